// When the run page opens on its Traces tab, starts fetching the table's first rows page as soon
// as the HTML head is parsed instead of after the page's module graph has loaded; the table
// takes the response (scripts/early-fetch.ts). Silent on any failure: the page then fetches
// the page itself, and reports errors.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute('data-rows');
  if (!url || location.hash !== '#traces' || typeof fetch !== 'function') return;
  var early = (window.__labbookEarlyFetch = window.__labbookEarlyFetch || {});
  if (!early[url]) early[url] = fetch(url);
})();
