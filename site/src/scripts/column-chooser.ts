import { h } from './dom.ts';

export interface ChoosableColumn {
  key: string;
  label: string;
}

/** The URL parameter that lists hidden columns, so a chosen view can be shared or reloaded. */
const PARAM = 'hide';

/** Column keys hidden by the page's URL. */
export function hiddenFromUrl(): Set<string> {
  return new Set((new URLSearchParams(location.search).get(PARAM) ?? '').split(',').filter(Boolean));
}

function writeUrl(hidden: ReadonlySet<string>): void {
  const params = new URLSearchParams(location.search);
  if (hidden.size > 0) params.set(PARAM, [...hidden].join(','));
  else params.delete(PARAM);
  const search = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

/**
 * A "Columns" menu of checkboxes, one per column that may be hidden. The choice goes into the
 * URL (`?hide=a,b`), so a reload or a shared link shows the same columns.
 */
export function columnChooser(
  id: string,
  columns: readonly ChoosableColumn[],
  onChange: (hidden: ReadonlySet<string>) => void,
): HTMLDetailsElement {
  const hidden = hiddenFromUrl();
  const boxes = columns.map((column) => {
    const box = h('input', { type: 'checkbox', value: column.key, checked: !hidden.has(column.key) });
    box.addEventListener('change', () => {
      if (box.checked) hidden.delete(column.key);
      else hidden.add(column.key);
      writeUrl(hidden);
      onChange(hidden);
    });
    return h('label', { class: 'column-choice' }, box, ` ${column.label}`);
  });
  const all = h('button', { type: 'button', class: 'btn btn-small' }, 'show all');
  all.addEventListener('click', () => {
    hidden.clear();
    for (const label of boxes) label.querySelector('input')!.checked = true;
    writeUrl(hidden);
    onChange(hidden);
  });
  const menu = h('div', { class: 'column-menu', role: 'group', 'aria-label': 'Columns shown' }, ...boxes, all);
  const chooser = h('details', { class: 'column-chooser', id }, h('summary', { class: 'btn' }, 'Columns'), menu);
  // The menu hangs from the button's right edge. Where the toolbar has wrapped the button to the
  // start of a line (on a phone) that puts it past the screen's left edge: it hangs from the left then.
  chooser.addEventListener('toggle', () => {
    if (!chooser.open) return;
    menu.classList.remove('from-start');
    if (menu.getBoundingClientRect().left < 0) menu.classList.add('from-start');
  });
  return chooser;
}
