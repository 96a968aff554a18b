import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CodeInfo {
  commit: string | null;
  branch: string | null;
  dirty: boolean;
}

/** The commit, branch and dirty flag of the checkout at `cwd`; nulls outside a git repository. */
export async function readCodeInfo(cwd: string): Promise<CodeInfo> {
  const git = async (...args: string[]) => (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  try {
    const commit = await git('rev-parse', 'HEAD');
    const branch = await git('rev-parse', '--abbrev-ref', 'HEAD').catch(() => '');
    const status = await git('status', '--porcelain', '--untracked-files=no');
    return { commit, branch: branch && branch !== 'HEAD' ? branch : null, dirty: status !== '' };
  } catch {
    return { commit: null, branch: null, dirty: false };
  }
}
