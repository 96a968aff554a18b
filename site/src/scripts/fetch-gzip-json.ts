import { basePath } from './dom.ts';
import { fetchEarly } from './early-fetch.ts';
import { errorMessage } from '#lib/errors/error-message.ts';

const cache = new Map<string, Promise<unknown>>();

/**
 * Fetches a site-relative gzip-compressed JSON file (a run's trace chunk) once per page and
 * inflates it in the browser with `DecompressionStream`. Static hosts serve a `.gz` file as it
 * is, without Content-Encoding, so the page does what the browser would not. Errors say which
 * file failed and why, for the page to show.
 */
export function fetchGzipJson<T>(path: string): Promise<T> {
  const url = `${basePath()}${path}`;
  let pending = cache.get(url);
  if (!pending) {
    pending = fetchGzipJsonOnce(path);
    pending.catch(() => cache.delete(url));
    cache.set(url, pending);
  }
  return pending as Promise<T>;
}

/** The same without keeping the result: for files whose content the caller keeps in another shape (rows pages). */
export async function fetchGzipJsonOnce<T>(path: string): Promise<T> {
  const response = await fetchEarly(`${basePath()}${path}`);
  if (!response.ok || !response.body) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  if (typeof DecompressionStream === 'undefined')
    throw new Error(`could not read ${path}: this browser has no DecompressionStream (Chrome 80, Firefox 113, Safari 16.4 or later)`);
  try {
    return (await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).json()) as T;
  } catch (error) {
    throw new Error(`could not read ${path}: ${errorMessage(error)}`);
  }
}
