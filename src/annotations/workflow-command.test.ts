import { describe, expect, it } from 'vitest';
import { workflowCommand } from './workflow-command.ts';

describe('workflowCommand', () => {
  it('points at file, line and column', () => {
    expect(workflowCommand({ severity: 'warning', file: 'a/b.yaml', line: 3, column: 7, field: 'name', message: 'not declared' })).toBe(
      '::warning file=a/b.yaml,line=3,col=7::name: not declared',
    );
  });

  it('escapes text from the pull request so that it cannot start another command', () => {
    const line = workflowCommand({ severity: 'error', file: 'x,y:z.yaml', message: 'bad\n::add-mask::secret 100%\r' });
    expect(line).toBe('::error file=x%2Cy%3Az.yaml::bad%0A::add-mask::secret 100%25%0D');
    expect(line.split('\n')).toHaveLength(1);
  });
});
