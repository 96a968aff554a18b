// Compares the token usage of two runs by span type and writes a Vega-Lite chart of it:
// the spec as JSON (open it in the Vega editor, or embed it) and the SVG it renders to.
//
//   node bin/tsx.js examples/analysis/token-usage-by-span-type.ts <run-a> <run-b> \
//     [--data experiments] [--out token-usage]
//
// Everything it reads comes through the public API (`labbook`, here src/index.ts): openStore
// streams each run's spans, so runs of any size fit in memory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { breakdown, openStore, type BreakdownRow } from '../../src/index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string', default: 'experiments' }, out: { type: 'string', default: 'token-usage' } },
});
if (positionals.length !== 2) {
  process.stderr.write('usage: token-usage-by-span-type.ts <run-a> <run-b> [--data experiments] [--out token-usage]\n');
  process.exit(2);
}

const store = openStore(values.data);
const runs = await Promise.all(positionals.map((id) => store.run(id)));

// One streaming pass per run: tokens, calls and latency grouped by span type.
const rows: Array<{ run: string; type: string; input: number; output: number; total: number; calls: number }> = [];
for (const run of runs) {
  const byType: BreakdownRow[] = await breakdown(run.spans(), 'span-type');
  for (const row of byType) {
    if (row.totalTokens === 0) continue; // span types that use no tokens (tools, retrieval) add nothing to this chart
    rows.push({
      run: `${run.manifest.name} (${run.id})`,
      type: row.key,
      input: row.inputTokens,
      output: row.outputTokens,
      total: row.totalTokens,
      calls: row.calls,
    });
  }
}

// Input and output tokens side by side for each span type, one bar per run.
const chartData = rows.flatMap((r) => [
  { run: r.run, type: r.type, kind: 'input', tokens: r.input },
  { run: r.run, type: r.type, kind: 'output', tokens: r.output },
]);
const spec: TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: 'Tokens by span type',
  data: { values: chartData },
  width: 420,
  height: { step: 14 },
  mark: 'bar',
  encoding: {
    y: { field: 'type', type: 'nominal', title: 'span type' },
    yOffset: { field: 'run', type: 'nominal' },
    x: { field: 'tokens', type: 'quantitative', stack: 'zero', title: 'tokens' },
    color: { field: 'run', type: 'nominal', legend: { orient: 'bottom', direction: 'vertical' } },
    opacity: { field: 'kind', type: 'ordinal', scale: { domain: ['input', 'output'], range: [1, 0.55] }, title: 'tokens' },
    tooltip: [{ field: 'run' }, { field: 'type' }, { field: 'kind' }, { field: 'tokens', format: ',' }],
  },
};

// Rendered in Node without a browser: vega's headless scenegraph serialised to SVG.
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
view.finalize();

const out = resolve(values.out);
await mkdir(out, { recursive: true });
await writeFile(join(out, 'token-usage-by-span-type.vl.json'), `${JSON.stringify(spec, null, 2)}\n`);
await writeFile(join(out, 'token-usage-by-span-type.svg'), svg);

const [a, b] = runs;
const types = [...new Set(rows.map((r) => r.type))].sort();
const total = (run: string, type: string) => rows.find((r) => r.run === run && r.type === type)?.total ?? 0;
const nameOf = (run: typeof a) => `${run!.manifest.name} (${run!.id})`;
process.stdout.write(`span type        ${a!.id.padStart(28)}  ${b!.id.padStart(28)}  change\n`);
for (const type of types) {
  const before = total(nameOf(a), type);
  const after = total(nameOf(b), type);
  const change = before === 0 ? '—' : `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)}%`;
  process.stdout.write(
    `${type.padEnd(16)} ${before.toLocaleString('en-US').padStart(28)}  ${after.toLocaleString('en-US').padStart(28)}  ${change}\n`,
  );
}
process.stdout.write(`\nwrote ${join(out, 'token-usage-by-span-type.vl.json')} and .svg\n`);
