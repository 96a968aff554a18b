/** Where public/trace-prefetch.js leaves the responses it started while the page's modules loaded. */
const KEY = '__labbookEarlyFetch';

type EarlyFetches = Record<string, Promise<Response> | true>;

/**
 * `fetch(url)`, or the response public/trace-prefetch.js already asked for. A response body
 * can be read once, so the entry is marked taken: neither the prefetch script nor a second call
 * uses it again (a failed load the caller retries fetches anew).
 */
export function fetchEarly(url: string): Promise<Response> {
  const early = ((window as unknown as Record<string, EarlyFetches | undefined>)[KEY] ??= {});
  const pending = early[url];
  early[url] = true;
  return pending && pending !== true ? pending : fetch(url);
}
