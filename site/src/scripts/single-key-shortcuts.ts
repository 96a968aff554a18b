import { h } from './dom.ts';

/** Where the choice is remembered, per browser: 'off', or nothing for on. */
const STORAGE_KEY = 'labbook.single-key-shortcuts';

/**
 * Whether the page-wide single-key shortcuts (n/p on a trace, 1–9 and j/k in review) are on.
 * WCAG 2.1.4 asks that such keys can be turned off: a speech-input user's words arrive as
 * letters, and a stray one would move to another trace. Keys of a focused widget (the span
 * tree, a table) stay on: they only act where the user put the focus.
 */
export function singleKeyShortcutsOn(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true; // storage refused (a private window's policy): the default
  }
}

/** A button that turns the page-wide single-key shortcuts off and on, remembered in this browser. */
export function shortcutsToggle(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn btn-small shortcuts-toggle' });
  const show = () => {
    const on = singleKeyShortcutsOn();
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? 'single-key shortcuts on (turn off)' : 'single-key shortcuts off (turn on)';
  };
  button.addEventListener('click', () => {
    try {
      if (singleKeyShortcutsOn()) localStorage.setItem(STORAGE_KEY, 'off');
      else localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage refused: nothing to remember the choice in
    }
    show();
  });
  show();
  return button;
}
