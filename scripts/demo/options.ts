import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../src/errors/error-message.ts';

export interface DemoOptions {
  /** Where everything the demo makes goes; emptied first, so runs never pile up. */
  dir: string;
  serve: boolean;
}

const USAGE = 'usage: npm run demo [-- --no-serve] [-- --dir <folder>]   (default folder: .demo/ in the repository)';

export function parseDemoOptions(argv: string[], root: string): DemoOptions {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { 'no-serve': { type: 'boolean' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return { dir: resolve(values.dir ?? resolve(root, '.demo')), serve: !values['no-serve'] };
  } catch (error) {
    console.error(`demo: ${errorMessage(error)}\n${USAGE}`);
    process.exit(2);
  }
}
