import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * `labbook site build` and `labbook site preview` with options given wrong, as a newcomer types
 * them: each is refused before anything is built or served, in one line that names the option
 * (or the variable or setting it came from), the value and what is expected; exit 2, as every
 * usage error. Nothing is made, and a site already built stays as it was.
 */
describe('labbook site options given wrong', () => {
  const root = tempDir('labbook-site-options-');
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'experiments'));
  writeFileSync(join(root, 'a-file'), 'not a folder\n');
  // A site a previous build left: a wrong option must not replace it, nor start a build beside it.
  const previous = join(root, 'previous-site');
  mkdirSync(previous);
  writeFileSync(join(previous, '.labbook-site'), 'made by labbook site build\n');
  writeFileSync(join(previous, 'index.html'), '<h1>the previous site</h1>');
  const env = { GITHUB_ACTIONS: '' };

  /** Runs the command and checks it is refused in one line (plus the --help hint) holding `message`. */
  async function refused(argv: string[], message: string, options: { env?: NodeJS.ProcessEnv } = {}) {
    const result = await runCli(['site', ...argv], { cwd: root, env: { ...env, ...options.env } });
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toEqual([`labbook site: ${message}`, '(run "labbook site --help" for its options)']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  }

  const untouched = () => {
    expect(readdirSync(previous).sort()).toEqual(['.labbook-site', 'index.html']);
    expect(readFileSync(join(previous, 'index.html'), 'utf8')).toBe('<h1>the previous site</h1>');
    expect(readdirSync(root).sort()).toEqual(['.git', 'a-file', 'experiments', 'previous-site']);
  };

  const SITE = 'give the address the site is served from, such as https://me.github.io';
  const BASE = 'give the path the site is served under, such as /my-repo/ (or / for the root)';
  const REPOSITORY = 'give owner/name, such as octo/lab, or its https:// URL';
  const PORT = 'give a whole number from 1 to 65535, such as 4321 (0: any free port)';
  const HOST = 'give the address to listen on, such as 127.0.0.1, localhost or 0.0.0.0';

  it.each([
    [['--site', 'not-a-url'], `--site "not-a-url" is not a URL: ${SITE}`],
    [['--site', 'example.com'], `--site "example.com" has no scheme: ${SITE}`],
    [['--site', 'ftp://x'], `--site "ftp://x" is not a web address (ftp: is not http: or https:): ${SITE}`],
    [['--site', 'https://me.github.io/?tab=1'], `--site "https://me.github.io/?tab=1" has a query or fragment: ${SITE}`],
    [
      ['--base', 'https://me.github.io/lab/'],
      `--base "https://me.github.io/lab/" is a URL, not a path (the origin goes in --site): ${BASE}`,
    ],
    [['--base', 'my lab'], `--base "my lab" holds a space, which a path segment here may not: ${BASE}`],
    [['--base', '/lab?x'], `--base "/lab?x" holds "?", which a path segment here may not: ${BASE}`],
    [['--base', '/a//b/'], `--base "/a//b/" has an empty segment (//): ${BASE}`],
    [['--base', '../lab'], `--base "../lab" has a . or .. segment: ${BASE}`],
    [['--repository', 'lab'], `--repository "lab" is not a repository: ${REPOSITORY}`],
    [['--repo', 'octo/my lab'], `--repo "octo/my lab" is not a repository: ${REPOSITORY}`],
    [
      ['--data-branch', 'main; rm -rf /'],
      `--data-branch "main; rm -rf /" is not a branch name: use letters, digits, ".", "_", "-" and "/", such as main or labbook-data`,
    ],
    [['--data-branch', 'data/'], `--data-branch "data/" is not a branch name: "/" must sit between two parts`],
    [['--data-branch', 'a..b'], `--data-branch "a..b" is not a branch name: it may not hold ".." or end with "."`],
    [['--data-branch', 'data.lock'], `--data-branch "data.lock" is not a branch name: no part may start with "." or end with ".lock"`],
    [
      ['--cache', 'a-file'],
      `--cache ${join(root, 'a-file')} is a file, not a folder; give a folder for the cache, such as .labbook-site-cache`,
    ],
    [
      ['--cache', 'a-file/cache'],
      `--cache ${join(root, 'a-file', 'cache')}: a part of that path is a file, not a folder; give a folder for the cache`,
    ],
  ])('site build %j', async (argv, message) => {
    await refused(['build', '--out', previous, ...argv], message);
    untouched();
    // Nor is a new output folder made for it.
    await refused(['build', '--out', 'new-site', ...argv], message);
    untouched();
  });

  it('refuses an output path that is a file or lies under one', async () => {
    await refused(['build', '--out', 'a-file'], `--out ${join(root, 'a-file')} is a file, not a folder; choose a folder such as _site`);
    await refused(
      ['build', '--out', 'a-file/site'],
      `--out ${join(root, 'a-file', 'site')}: a part of that path is a file, not a folder; choose a folder such as _site`,
    );
    untouched();
  });

  it('names the variable or setting a wrong value came from', async () => {
    await refused(['build', '--out', previous], `$LABBOOK_SITE "me.github.io" has no scheme: ${SITE}`, {
      env: { LABBOOK_SITE: 'me.github.io' },
    });
    await refused(['build', '--out', previous], `$LABBOOK_BASE "my lab" holds a space, which a path segment here may not: ${BASE}`, {
      env: { LABBOOK_BASE: 'my lab' },
    });
    await refused(
      ['build', '--out', previous],
      `$LABBOOK_SITE_CACHE ${join(root, 'a-file')} is a file, not a folder; give a folder for the cache, such as .labbook-site-cache`,
      {
        env: { LABBOOK_SITE_CACHE: 'a-file' },
      },
    );
    writeFileSync(join(root, 'labbook.config.yaml'), 'repository: octo\n');
    try {
      await refused(['build', '--out', previous], `repository in labbook.config.yaml "octo" is not a repository: ${REPOSITORY}`);
      // The option, given, is the one that counts.
      await refused(['build', '--out', previous, '--repository', 'octo/lab', '--site', 'x'], `--site "x" is not a URL: ${SITE}`);
    } finally {
      rmSync(join(root, 'labbook.config.yaml'));
    }
    untouched();
  });

  it.each([
    [['--port', 'http'], `--port "http" is not a port number: ${PORT}`],
    [['--port', '70000'], `--port "70000" is not a port number: ${PORT}`],
    [['--port=-1'], `--port "-1" is not a port number: ${PORT}`],
    [['--port', '1e3'], `--port "1e3" is not a port number: ${PORT}`],
    [['--host', 'http://localhost'], `--host "http://localhost" is not a host name or IP address: ${HOST}`],
    [['--host', 'my box'], `--host "my box" is not a host name or IP address: ${HOST}`],
    // An address of another machine (TEST-NET, never local) and a name that resolves to nothing.
    [
      ['--host', '192.0.2.1', '--port', '0'],
      `--host "192.0.2.1" is not an address of this machine: give one to listen on, such as 127.0.0.1, localhost or 0.0.0.0`,
    ],
    [
      ['--host', 'preview.invalid', '--port', '0'],
      `--host "preview.invalid" is not an address of this machine: give one to listen on, such as 127.0.0.1, localhost or 0.0.0.0`,
    ],
    [
      ['--base', 'https://me.github.io/lab/'],
      `--base "https://me.github.io/lab/" is a URL, not a path (the origin goes in --site): ${BASE}`,
    ],
  ])('site preview %j', async (argv, message) => {
    await refused(['preview', '--out', previous, ...argv], message);
    untouched();
  });

  it('builds with every option given in an accepted form', async () => {
    const out = join(root, 'valid-site');
    const cache = join(root, 'site-cache');
    try {
      const result = await runCli(
        [
          'site',
          'build',
          '--out',
          out,
          '--site',
          'https://me.github.io/lab',
          '--base',
          'lab',
          '--repository',
          'https://github.com/octo/lab.git',
          '--data-branch',
          'labbook/data-1.0',
          '--cache',
          cache,
        ],
        { cwd: root, env },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="/lab/');
      expect(existsSync(cache)).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }, 240_000);
});
