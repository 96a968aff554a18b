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

  it('says plainly when a path the user gave is a folder, a file, or nothing', () => {
    expect(environmentErrorFrom(fsError('EISDIR', 'read', '/repo/experiments'))?.message).toBe(
      'cannot read /repo/experiments: it is a folder, not a file (EISDIR); give the path of a file',
    );
    expect(environmentErrorFrom(fsError('EISDIR', 'rename', '/repo/out.123.0a1b2c3d.tmp', '/repo/out'))?.message).toBe(
      'cannot write /repo/out: it is a folder, not a file (EISDIR); give the path of a file',
    );
    expect(environmentErrorFrom(fsError('ENOTDIR', 'scandir', '/repo/package.json/x'))?.message).toMatch(
      /a part of that path is a file, not a folder/,
    );
    expect(environmentErrorFrom(fsError('ENOENT', 'scandir', '/repo/nosuch'))?.message).toBe(
      'cannot list the folder /repo/nosuch: there is no such file or folder (ENOENT); check the path',
    );
  });

  it('finds the system error behind wrapping errors, and leaves everything else alone', () => {
    const wrapped = new Error('build failed', { cause: new Error('hook failed', { cause: fsError('EROFS', 'mkdir', '/site') }) });
    expect(environmentErrorFrom(wrapped)).toBeInstanceOf(EnvironmentError);
    expect(environmentErrorFrom(new TypeError('x is undefined'))).toBeNull();
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(environmentErrorFrom(loop)).toBeNull();
  });
});
