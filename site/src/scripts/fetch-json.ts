import { basePath } from './dom.ts';
import { fetchEarly } from './early-fetch.ts';

const cache = new Map<string, Promise<unknown>>();

/**
 * Fetches a site-relative JSON file once per page (later calls share the promise). Errors say
 * which file failed and why, for the page to show.
 */
export function fetchJson<T>(path: string): Promise<T> {
  const url = `${basePath()}${path}`;
  let pending = cache.get(url);
  if (!pending) {
    pending = fetchEarly(url).then(async (response) => {
      if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
      return response.json();
    });
    pending.catch(() => cache.delete(url));
    cache.set(url, pending);
  }
  return pending as Promise<T>;
}
