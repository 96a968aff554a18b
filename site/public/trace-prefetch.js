// Starts fetching what a trace page shows as soon as the HTML head is parsed — the run's
// index.json, then the chunk that holds the trace in ?id= — instead of after the page's module
// graph has loaded (a waterfall of ~8 files). The page's scripts take these responses
// (scripts/early-fetch.ts) rather than fetching again. An external file keeps the CSP strict;
// any failure here is silent: the page then fetches as it always did, and reports errors itself.
(function () {
  var script = document.currentScript;
  var dir = script && script.getAttribute('data-dir');
  var id = new URLSearchParams(location.search).get('id');
  if (!dir || !id || typeof fetch !== 'function') return;
  var early = (window.__labbookEarlyFetch = window.__labbookEarlyFetch || {});
  // The script is async: on a slow load the page's modules may have run first and taken the
  // response themselves (the entry is then `true`), and nothing is left to start.
  var take = function (url) {
    if (early[url] === true) return null;
    if (!early[url]) early[url] = fetch(url);
    return early[url];
  };
  var index = take(dir + 'index.json');
  if (!index) return;
  index
    .then(function (response) {
      return response && response.ok ? response.clone().json() : null;
    })
    .then(function (index) {
      if (!index || index.omitted || !Array.isArray(index.ids) || !Array.isArray(index.chunkStarts)) return;
      var row = index.ids.indexOf(id);
      if (row < 0) return;
      var k = 0;
      while (k + 1 < index.chunkStarts.length && index.chunkStarts[k + 1] <= row) k++;
      take(dir + 'traces-' + k + '.json.gz');
    })
    .catch(function () {});
})();
