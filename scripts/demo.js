#!/usr/bin/env node
// `npm run demo [-- --no-serve] [-- --data <dir>]`: evaluates the example agent's three configs
// with `labbook run`, validates the runs, compares them, builds the site and serves it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const serve = !args.includes('--no-serve');
const dataIndex = args.indexOf('--data');
const dataDir = dataIndex === -1 ? 'experiments' : args[dataIndex + 1];
const labbook = (...argv) => {
  console.log(`\n$ labbook ${argv.join(' ')}`);
  const result = spawnSync(process.execPath, [join(root, 'bin', 'labbook.js'), ...argv, '--data', dataDir], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
};

// The demo experiment's definition (metrics, directions, annotation rules) lives in the
// repository's experiments/ folder; a demo into another folder starts from a copy of it.
const experimentYaml = resolve(root, dataDir, 'demo', 'experiment.yaml');
if (!existsSync(experimentYaml)) {
  mkdirSync(resolve(root, dataDir, 'demo'), { recursive: true });
  copyFileSync(join(root, 'experiments', 'demo', 'experiment.yaml'), experimentYaml);
}

const configs = readdirSync(join(root, 'examples', 'configs')).filter((f) => f.endsWith('.yaml')).sort();
const runIds = [];
for (const config of configs) {
  console.log(`\n$ labbook run --experiment demo --config examples/configs/${config} --dataset examples/data/dataset.jsonl -- node bin/tsx.js examples/evaluate.ts`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'bin', 'labbook.js'), 'run', '--data', dataDir, '--experiment', 'demo', '--config', `examples/configs/${config}`, '--dataset', 'examples/data/dataset.jsonl', '--quiet', '--', process.execPath, 'bin/tsx.js', 'examples/evaluate.ts'],
    { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  process.stdout.write(result.stdout);
  const id = /run (\S+) (completed|failed|partial)/.exec(result.stdout)?.[1];
  if (result.status !== 0 || !id) {
    console.error(`demo: evaluating ${config} failed (exit ${result.status})`);
    process.exit(1);
  }
  runIds.push(id);
}

if (labbook('validate') !== 0) process.exit(1);
if (existsSync(join(root, 'src', 'cli', 'commands', 'compare.ts'))) labbook('compare', ...runIds);
if (!existsSync(join(root, 'src', 'cli', 'commands', 'site.ts'))) {
  labbook('ls', 'demo');
  process.exit(0);
}
if (labbook('site', 'build', '--out', 'site/dist') !== 0) process.exit(1);
if (serve) labbook('site', 'preview', '--out', 'site/dist');
