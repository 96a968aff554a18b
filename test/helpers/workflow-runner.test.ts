import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { condition, evaluateExpression, interpolate, matrixCombinations, runWorkflow, type Workflow } from './workflow-runner.ts';

describe('the workflow runner used by the adoption tests', () => {
  it("evaluates expressions with GitHub's own library", () => {
    const contexts = { github: { event_name: 'pull_request' }, steps: { a: { outputs: { x: 'yes' } } } };
    expect(evaluateExpression("github.event_name == 'pull_request'", contexts).coerceString()).toBe('true');
    expect(interpolate('run ${{ steps.a.outputs.x }} / ${{ steps.b.outputs.y }}.', contexts)).toBe('run yes / .');
    expect(condition("steps.a.outputs.x == 'yes'", contexts, true)).toBe(false); // success() is implied
    expect(condition("always() && steps.a.outputs.x == 'yes'", contexts, true)).toBe(true);
    expect(matrixCombinations({ config: '${{ fromJSON(\'["a","b"]\') }}', shard: ['1/2', '2/2'] }, {})).toHaveLength(4);
  });

  it('runs jobs in order with matrix, needs, step outputs and skipped steps, and refuses unknown actions', async () => {
    const root = mkdtempSync(join(tmpdir(), 'labbook-runner-'));
    const workflow = yaml.load(`
jobs:
  list:
    runs-on: ubuntu-latest
    outputs:
      items: \${{ steps.l.outputs.items }}
    steps:
      - id: l
        run: echo 'items=["x","y"]' >> "$GITHUB_OUTPUT"
  each:
    needs: list
    strategy:
      matrix:
        item: \${{ fromJSON(needs.list.outputs.items) }}
    steps:
      - run: echo "item \${{ matrix.item }} on $GITHUB_EVENT_NAME" >> "${join(root, 'log')}"
      - if: \${{ github.event_name == 'pull_request' }}
        run: echo never >> "${join(root, 'log')}"
      - run: exit 3
      - if: always()
        run: echo cleanup >> "${join(root, 'log')}"
  after:
    needs: each
    steps:
      - run: echo unreachable >> "${join(root, 'log')}"
`) as Workflow;
    const machine = {
      remote: root,
      root,
      repository: 'o/r',
      sha: 'abc',
      event: 'push' as const,
      workflowFile: '.github/workflows/t.yml',
      runId: '1',
      apiUrl: 'http://127.0.0.1:9',
      actions: {},
    };
    const done = await runWorkflow(workflow, machine);
    expect(done.list!.outputs.items).toBe('["x","y"]');
    expect(done.each!.result).toBe('failure');
    expect(done.after!.result).toBe('skipped');
    expect(readFileSync(join(root, 'log'), 'utf8')).toBe('item x on push\ncleanup\nitem y on push\ncleanup\n');
    await expect(runWorkflow({ jobs: { j: { steps: [{ uses: 'someone/else@v1' }] } } }, machine)).rejects.toThrow(/does not emulate/);
  });
});
