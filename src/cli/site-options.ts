import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { UsageError } from '../errors/index.ts';
import { parseRepoRef } from '#site/view/repo-links.ts';
import { branchNameProblem } from '../git/branch-name.ts';

/**
 * The checks of `labbook site build` and `labbook site preview` options, made before anything is
 * built or served: a wrong value is one line naming the option (or the variable or setting it
 * came from), the value, and what is expected, never Astro's stack trace halfway through a build
 * (Astro refuses a site that is not a URL only after the build has started).
 *
 * `from` is how the value was given: `--site`, `$LABBOOK_SITE`, `repository in labbook.config.yaml`.
 * Each returns the value as given, so whatever was accepted before builds as it did.
 */

/** The site's origin: an http(s) URL, perhaps with a path (Astro takes one), without query or fragment. */
export function siteOrigin(value: string, from: string): string {
  const refuse = (why: string) =>
    new UsageError(`${from} "${value}" ${why}: give the address the site is served from, such as https://me.github.io`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(/^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(value) ? 'has no scheme' : 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`is not a web address (${url.protocol} is not http: or https:)`);
  if (!url.hostname) throw refuse('names no host');
  if (url.search || url.hash || value.endsWith('?') || value.endsWith('#')) throw refuse('has a query or fragment');
  if (url.username || url.password) throw refuse('holds a user name or password');
  return value;
}

/**
 * A base path: segments of letters, digits, `.`, `_`, `~` and `-` (what a repository name may
 * hold; letters beyond ASCII too, which browsers encode), with or without the slashes around
 * them (normalizeBase adds them); empty is `/`. A space, `?`, `#` or `\` would break every link.
 */
export function basePath(value: string, from: string): string {
  const refuse = (why: string) =>
    new UsageError(`${from} "${value}" ${why}: give the path the site is served under, such as /my-repo/ (or / for the root)`);
  const trimmed = value.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) throw refuse('is a URL, not a path (the origin goes in --site)');
  const segments = trimmed.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.length === 1 && segments[0] === '') return value;
  if (segments.includes('')) throw refuse('has an empty segment (//)');
  if (segments.some((s) => s === '.' || s === '..')) throw refuse('has a . or .. segment');
  const odd = /[^\p{L}\p{N}._~-]/u.exec(segments.join(''));
  if (odd) throw refuse(`holds ${odd[0] === ' ' ? 'a space' : `"${odd[0]}"`}, which a path segment here may not`);
  return value;
}

/** `owner/name`, or a repository's http(s) URL (parseRepoRef's forms). */
export function repositoryName(value: string, from: string): string {
  if (parseRepoRef(value)) return value;
  throw new UsageError(`${from} "${value}" is not a repository: give owner/name, such as octo/lab, or its https:// URL`);
}

/** A branch name git would accept, in the characters a link carries safely (branchNameProblem). */
export function branchName(value: string, from: string): string {
  const problem = branchNameProblem(value);
  if (problem) throw new UsageError(`${from} "${value}" is not a branch name: ${problem}`);
  return value;
}

/** A cache folder: absent (it is made) or a folder, never a file. */
export function cacheFolder(path: string, from: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return path;
    if (code === 'ENOTDIR')
      throw new UsageError(`${from} ${path}: a part of that path is a file, not a folder; give a folder for the cache`);
    throw error;
  }
  if (!isFolder) throw new UsageError(`${from} ${path} is a file, not a folder; give a folder for the cache, such as .labbook-site-cache`);
  return path;
}

/** A TCP port, written in digits: 0 to 65535 (0: any free port). */
export function portNumber(value: string, from: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (port >= 0 && port <= 65535) return port;
  throw new UsageError(`${from} "${value}" is not a port number: give a whole number from 1 to 65535, such as 4321 (0: any free port)`);
}

/** A host name or IP address to listen on, without scheme or port. */
export function hostName(value: string, from: string): string {
  const label = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
  if (isIP(value) || new RegExp(`^${label}(?:\\.${label})*\\.?$`).test(value)) return value;
  throw new UsageError(
    `${from} "${value}" is not a host name or IP address: give the address to listen on, such as 127.0.0.1, localhost or 0.0.0.0`,
  );
}
