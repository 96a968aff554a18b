import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');

/**
 * What a user downloads and waits for: the packed package's size and file count, what installing
 * it brings in, and the time `import('labbook/sdk')` and `labbook --version` add to a bare
 * `node` start (goal for the SDK: under 150 ms more), medians of several runs, from a project
 * that installed the tarball.
 */
export async function benchPackage(options: { quick?: boolean }): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'labbook-bench-package-'));
  try {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as [{ filename: string; size: number; unpackedSize: number; entryCount: number }];
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "bench-user", "private": true, "type": "module" }\n');
    const started = performance.now();
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, pack.filename)], {
      cwd: project,
      stdio: 'ignore',
    });
    const installSeconds = (performance.now() - started) / 1000;
    const modules = join(project, 'node_modules');
    const runs = options.quick ? 5 : 15;
    const bare = medianMs(runs, project, ['-e', '']);
    const sdk = medianMs(runs, project, ['--input-type=module', '-e', "await import('labbook/sdk')"]);
    const cli = medianMs(runs, project, [join(modules, 'labbook', 'bin', 'labbook.js'), '--version']);
    return {
      'packed tarball (kB)': (pack.size / 1024).toFixed(0),
      'unpacked package (MB)': (pack.unpackedSize / 1024 / 1024).toFixed(1),
      'files in the package': pack.entryCount,
      'install from npm cache (s)': installSeconds.toFixed(1),
      'installed node_modules (MB)': (folderBytes(modules) / 1024 / 1024).toFixed(0),
      'installed packages': countPackages(modules),
      'bare node -e "" (ms, median)': bare.toFixed(0),
      'import labbook/sdk (ms, median)': sdk.toFixed(0),
      'SDK import over bare node (ms, goal < 150)': (sdk - bare).toFixed(0),
      'labbook --version over bare node (ms)': (cli - bare).toFixed(0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function medianMs(runs: number, cwd: string, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed in ${cwd}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function countPackages(modules: string): number {
  let count = 0;
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) count += readdirSync(join(modules, entry.name)).length;
    else count++;
  }
  return count;
}
