import { h } from './dom.ts';

/**
 * Copies text to the clipboard. Where the page may not (an insecure origin, a denied
 * permission), selects `fallback`'s text instead so Ctrl+C copies it. Says which happened.
 */
export async function copyText(text: string, fallback: Element | null): Promise<'copied' | 'selected'> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    if (fallback) getSelection()?.selectAllChildren(fallback);
    return 'selected';
  }
}

/** A polite live region for "copied" messages, created once per page. */
export function announce(message: string): void {
  let region = document.getElementById('copy-status');
  if (!region) {
    region = h('div', { id: 'copy-status', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  region.textContent = message;
}

/** The label a copy button shows for a moment after it was used. */
export function copiedLabel(result: 'copied' | 'selected'): string {
  return result === 'copied' ? 'Copied' : 'Selected: press Ctrl+C';
}

/** Buttons rendered at build time with `data-copy="<id>"` copy the text of the element with that id. */
export function initCopyButtons(): void {
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-copy]');
    if (!button) return;
    const source = document.getElementById(button.dataset.copy ?? '');
    if (!source) return;
    void copyText(source.textContent ?? '', source).then((result) => {
      const label = button.textContent;
      button.textContent = copiedLabel(result);
      announce(result === 'copied' ? 'Copied to the clipboard' : 'Text selected: press Ctrl+C to copy it');
      setTimeout(() => (button.textContent = label), 2000);
    });
  });
}
