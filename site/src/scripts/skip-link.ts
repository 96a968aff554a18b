/**
 * "Skip to main content" focuses <main> (the next Tab goes to its first control) without putting
 * `#main` in the URL: the run page's tabs are chosen by the hash (`#traces`), and following the
 * link's own href would switch a reader on the Traces tab back to the Overview. Without script the
 * plain link still works.
 */
export function initSkipLink(): void {
  const link = document.querySelector<HTMLAnchorElement>('a.skip-link');
  const main = document.getElementById('main');
  if (!link || !main) return;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
}
