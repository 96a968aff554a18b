import { UsageError } from '../errors/index.ts';
import { closestName } from '../text/closest-name.ts';

/**
 * The one error of a command's missing or mistyped sub-command (`labbook site biuld`): what
 * was typed, the sub-command it was probably meant to be, and the ones the command takes, as
 * `labbook comapre` names the command it meant. `hint` adds where something that is not a
 * sub-command lives (`labbook export pdf`: the PDF is `labbook report`).
 */
export function unknownSubCommand(command: string, typed: string | undefined, names: readonly string[], hint?: string): UsageError {
  const takes = `labbook ${command} takes ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' or ' : ''}${names.at(-1)}`;
  const more = hint ? `; ${hint}` : '';
  if (typed === undefined) return new UsageError(`give a sub-command: ${takes}${more}`);
  const near = closestName(typed, names);
  return new UsageError(`unknown sub-command "${typed}"${near ? ` (did you mean "${near}"?)` : ''}; ${takes}${more}`);
}
