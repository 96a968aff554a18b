import type { Problem } from '../errors/problem.ts';

/**
 * A problem as a GitHub Actions workflow command (`::error file=…,line=…::message`), which the
 * runner turns into an annotation on the pull request's diff. The message comes from files a
 * pull request controls, so it is escaped the way @actions/core does: a line break in it can
 * never start a second command.
 */
export function workflowCommand(problem: Problem): string {
  const properties = [`file=${escapeProperty(problem.file)}`];
  if (problem.line) properties.push(`line=${problem.line}`);
  if (problem.line && problem.column) properties.push(`col=${problem.column}`);
  const message = `${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
  return `::${problem.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(message)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
