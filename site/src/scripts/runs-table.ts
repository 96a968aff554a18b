import { columnChooser, hiddenFromUrl } from './column-chooser.ts';
import { byId } from './dom.ts';

/** Most runs the compare page shows side by side. */
const MAX_COMPARE = 4;

/**
 * The experiment page's runs table (rendered at build time; a few hundred rows at most):
 * sorts by any column, filters by text and status, and turns 2–4 checked runs into a compare link.
 */
export function initRunsTable(): void {
  const table = document.getElementById('runs-table') as HTMLTableElement | null;
  if (!table) return;
  const tbody = table.tBodies[0]!;
  const rows = [...tbody.rows];
  const search = byId<HTMLInputElement>('runs-search');
  const status = byId<HTMLSelectElement>('runs-status');
  const count = byId('runs-count');
  const compare = byId<HTMLAnchorElement>('compare-selected');
  const compareBase = table.dataset.compareHref ?? 'compare/';

  const applyFilter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const text = row.dataset.search ?? '';
      const visible = (!status.value || row.dataset.status === status.value) && words.every((w) => text.includes(w));
      row.hidden = !visible;
      if (visible) shown++;
    }
    const runs = (n: number) => `${n} ${n === 1 ? 'run' : 'runs'}`;
    count.textContent = shown === rows.length ? runs(rows.length) : `${shown} of ${runs(rows.length)}`;
  };
  search.addEventListener('input', applyFilter);
  status.addEventListener('change', applyFilter);

  const headers = [...table.tHead!.rows[0]!.cells];
  // Every column but the selection box and the run name can be hidden; the choice is in the URL.
  const choosable = headers
    .map((th, index) => ({ th, index, key: th.dataset.key ?? '', label: th.textContent?.trim() ?? '' }))
    .filter((c) => c.key && c.key !== 'name');
  const showColumns = (hidden: ReadonlySet<string>) => {
    for (const c of choosable) {
      const hide = hidden.has(c.key);
      c.th.hidden = hide;
      for (const row of rows) if (row.cells[c.index]) row.cells[c.index]!.hidden = hide;
    }
  };
  byId('runs-toolbar').append(columnChooser('runs-columns', choosable, showColumns));
  showColumns(hiddenFromUrl());
  headers.forEach((th, column) => {
    const button = th.querySelector('button.sort');
    if (!button) return;
    button.addEventListener('click', () => {
      const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      for (const other of headers) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', dir);
      const numeric = th.dataset.numeric === 'true' || th.classList.contains('num');
      const value = (row: HTMLTableRowElement) => row.cells[column]?.dataset.sort ?? '';
      const sign = dir === 'ascending' ? 1 : -1;
      const sorted = [...rows].sort((a, b) => {
        const av = value(a);
        const bv = value(b);
        if (av === '' || bv === '') return av === bv ? 0 : av === '' ? 1 : -1;
        return sign * (numeric ? Number(av) - Number(bv) : av.localeCompare(bv, 'en', { numeric: true }));
      });
      tbody.append(...sorted);
    });
  });

  const picks = rows.map((row) => row.querySelector<HTMLInputElement>('input.pick')!).filter(Boolean);
  // In the order they were checked: the first becomes the compare page's baseline.
  const chosen = picks.filter((p) => p.checked).map((p) => p.value);
  const updateCompare = () => {
    const ok = chosen.length >= 2 && chosen.length <= MAX_COMPARE;
    compare.setAttribute('aria-disabled', String(!ok));
    compare.href = `${compareBase}?runs=${chosen.map(encodeURIComponent).join(',')}`;
    compare.textContent = chosen.length > MAX_COMPARE ? `Compare (pick at most ${MAX_COMPARE})` : `Compare selected (${chosen.length})`;
  };
  for (const pick of picks) {
    pick.addEventListener('change', () => {
      if (pick.checked) chosen.push(pick.value);
      else chosen.splice(chosen.indexOf(pick.value), 1);
      updateCompare();
    });
  }
  compare.addEventListener('click', (event) => {
    if (compare.getAttribute('aria-disabled') === 'true') event.preventDefault();
  });
  updateCompare();
}
