import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs this checkout's `labbook` command, echoing it, with the output shown; exits the demo if it fails. */
export function labbook(root: string, cwd: string, argv: string[], options: { allowFailure?: boolean; quiet?: boolean } = {}): string {
  console.log(`\n$ labbook ${argv.map(quote).join(' ')}`);
  const result = spawnSync(process.execPath, [join(root, 'bin', 'labbook.js'), ...argv], {
    cwd,
    encoding: 'utf8',
    stdio: ['inherit', 'pipe', 'inherit'],
    env: { ...process.env, GITHUB_ACTIONS: '' },
  });
  if (!options.quiet) process.stdout.write(result.stdout);
  if (result.status !== 0 && !options.allowFailure) {
    console.error(`demo: labbook ${argv[0]} failed (exit ${result.status})`);
    process.exit(1);
  }
  return result.stdout;
}

/** `labbook site preview`, in the foreground until Ctrl-C. */
export function preview(root: string, cwd: string, argv: string[]): void {
  console.log(`\n$ labbook ${argv.map(quote).join(' ')}`);
  spawn(process.execPath, [join(root, 'bin', 'labbook.js'), ...argv], { cwd, stdio: 'inherit' }).on('exit', (code) =>
    process.exit(code ?? 0),
  );
}

function quote(arg: string): string {
  return /^[\w./:=,@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
