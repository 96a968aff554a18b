import { describe, expect, it } from 'vitest';
import { EnvironmentError, environmentErrorFrom } from './environment-error.ts';

const fsError = (code: string, syscall: string, path?: string, dest?: string) =>
  Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path, ...(dest ? { dest } : {}) });

describe('environmentErrorFrom', () => {
  it('says what, where and what to do for each environment error', () => {
    expect(environmentErrorFrom(fsError('EACCES', 'open', '/data/demo/run.json'))?.message).toBe(
      'cannot open /data/demo/run.json: permission denied (EACCES); give this user write access to it, or point --data at a folder you own',
    );
    expect(environmentErrorFrom(fsError('EPERM', 'unlink', '/data/x'))?.message).toMatch(
      /^cannot remove \/data\/x: the operation is not permitted \(EPERM\); check its owner, permissions and attributes \(lsattr\)/,
    );
    expect(environmentErrorFrom(fsError('ENOSPC', 'write', undefined), '/data')?.message).toBe(
      'cannot write to a file in /data: no space left on the device (ENOSPC); free some disk space, or point --data at another disk',
    );
    expect(environmentErrorFrom(fsError('EDQUOT', 'mkdir', '/data/new'))?.code).toBe('EDQUOT');
    expect(environmentErrorFrom(fsError('EMFILE', 'open', '/data/a'))?.message).toMatch(
      /too many open files \(EMFILE\); raise the limit \(ulimit -n\)/,
    );
  });

  it('names the target of a rename or copy, and the file behind a temporary sibling', () => {
    expect(environmentErrorFrom(fsError('EROFS', 'rename', '/data/a.tmp', '/data/b'))?.path).toBe('/data/b');
    expect(environmentErrorFrom(fsError('EROFS', 'open', '/out/runs.csv.1234.0a1b2c3d.tmp'))?.message).toMatch(
      /^cannot open \/out\/runs\.csv: the file system is read-only \(EROFS\)/,
    );
  });

  it('finds the system error behind wrapping errors, and leaves everything else alone', () => {
    const wrapped = new Error('build failed', { cause: new Error('hook failed', { cause: fsError('EROFS', 'mkdir', '/site') }) });
    expect(environmentErrorFrom(wrapped)).toBeInstanceOf(EnvironmentError);
    expect(environmentErrorFrom(new TypeError('x is undefined'))).toBeNull();
    expect(environmentErrorFrom(fsError('ENOENT', 'open', '/nope'))).toBeNull();
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(environmentErrorFrom(loop)).toBeNull();
  });
});
