// `npm run bench [-- --only name[,name]] [-- --quick]`: every benchmark, one table each.
// Figures are ratios and sizes wherever a ratio says more than a time; goals are in the labels.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

type Bench = (options: { quick?: boolean }) => Promise<Record<string, string | number>>;

const BENCHES: Array<{ name: string; file: string; exportName: string; issue: string }> = [
  { name: 'foundation', file: 'foundation.bench.ts', exportName: 'benchFoundation', issue: '#2 store: validate + aggregate' },
  { name: 'aggregate', file: 'aggregate.bench.ts', exportName: 'benchAggregate', issue: '#2 aggregator alone' },
  { name: 'sdk', file: 'sdk.bench.ts', exportName: 'benchSdk', issue: '#2 SDK overhead per span' },
  { name: 'compare', file: 'compare.bench.ts', exportName: 'benchCompare', issue: '#3 compare 4 × 10,000' },
  { name: 'site', file: 'site.bench.ts', exportName: 'benchSite', issue: '#4 site scale' },
  { name: 'action', file: 'action.bench.ts', exportName: 'benchAction', issue: '#5 action overhead' },
  { name: 'export', file: 'export.bench.ts', exportName: 'benchExport', issue: '#8 CSV, query, PDF and HTML report' },
  { name: 'interop', file: 'interop.bench.ts', exportName: 'benchInterop', issue: '#8 OTLP import' },
  { name: 'otlp-receiver', file: 'otlp-receiver.bench.ts', exportName: 'benchOtlpReceiver', issue: '#17 live OTLP under labbook run' },
  { name: 'package', file: 'package.bench.ts', exportName: 'benchPackage', issue: '#13 the installed package' },
  { name: 'storage', file: 'storage.bench.ts', exportName: 'benchStorage', issue: '#16 compressed chunked runs (realistic traces)' },
  {
    name: 'site-storage',
    file: 'site-storage.bench.ts',
    exportName: 'benchSiteStorage',
    issue: '#16 site of realistic runs: cold, incremental, size, trace open',
  },
];

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : null;
const quick = args.includes('--quick');

let failed = false;
for (const bench of BENCHES) {
  if (only && !only.includes(bench.name)) continue;
  const path = join(import.meta.dirname, bench.file);
  if (!existsSync(path)) continue;
  process.stdout.write(`\n## ${bench.name} — ${bench.issue}\n`);
  try {
    const module = (await import(path)) as Record<string, Bench>;
    const started = performance.now();
    const figures = await module[bench.exportName]!({ quick });
    const width = Math.max(...Object.keys(figures).map((k) => k.length));
    for (const [key, value] of Object.entries(figures)) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
    process.stdout.write(`  ${'(bench wall time s)'.padEnd(width)}  ${((performance.now() - started) / 1000).toFixed(1)}\n`);
  } catch (error) {
    failed = true;
    process.stdout.write(`  failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
