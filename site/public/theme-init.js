// Applies the saved theme before the first paint (a blocking external script keeps the CSP strict).
try {
  var t = localStorage.getItem('labbook-theme');
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
} catch {
  // storage refused (private mode, blocked cookies): the system theme applies
}
