import { append, h } from './dom.ts';

export interface VirtualColumn {
  key: string;
  label: string;
  /** Width in pixels (the table is fixed-layout so rows never reflow). */
  width: number;
  numeric?: boolean;
  sortable?: boolean;
  title?: string;
  /** A class for the column's header and cells (e.g. annotation columns, told apart from scores). */
  className?: string;
  /** Words after the label for screen readers only (e.g. "(annotation)" next to an icon). */
  hint?: string;
  /** Fills the cell of data row `row`; must use text or DOM nodes, never HTML strings. */
  render(row: number, cell: HTMLTableCellElement): void;
}

export interface VirtualTableOptions {
  label: string;
  columns: VirtualColumn[];
  rowHeight?: number;
  /** Opens a data row (click, Enter). `newTab` for middle click or Ctrl/Cmd+click. */
  onOpen?: (row: number, newTab: boolean) => void;
  onSort?: (key: string) => void;
  /** Marks a row as `.winner`, `.error`, …: extra classes for a data row. */
  rowClass?: (row: number) => string;
}

/** Rows rendered beyond the visible ones, so fast scrolling does not flash blank rows. */
const OVERSCAN = 8;

/**
 * A table that keeps only the visible rows in the DOM: a real <table> (headers, cells, sort
 * state for assistive technology) whose body holds a top spacer, ~40 rows and a bottom spacer.
 * Every row has the same height, so the row under any scroll offset is one division away.
 * Keyboard: ↑/↓ or k/j move the active row, Enter opens it, Home/End/PageUp/PageDown jump.
 * Focus stays on the scroller while the active row moves, so a screen reader would say nothing:
 * a polite live region beside it reads the row the keys moved to.
 */
export class VirtualTable {
  readonly scroller: HTMLDivElement;
  readonly #table: HTMLTableElement;
  readonly #tbody: HTMLTableSectionElement;
  readonly #theadRow: HTMLTableRowElement;
  readonly #colgroup: HTMLTableColElement;
  readonly #announcer: HTMLElement;
  #options: VirtualTableOptions;
  #rows: ArrayLike<number> = [];
  #active = -1;
  #sort: { key: string; dir: 'asc' | 'desc' } | null = null;
  #frame = 0;
  #lastRange = '';
  readonly #rowHeight: number;

  constructor(host: HTMLElement, options: VirtualTableOptions) {
    this.#options = options;
    this.#rowHeight = options.rowHeight ?? 30;
    this.#colgroup = h('colgroup');
    this.#theadRow = h('tr', { 'aria-rowindex': 1 });
    this.#tbody = h('tbody');
    this.#table = h('table', null, this.#colgroup, h('thead', null, this.#theadRow), this.#tbody);
    this.scroller = h('div', { class: 'vt', tabindex: 0, role: 'region', 'aria-label': options.label }, this.#table);
    this.#announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    host.replaceChildren(this.scroller, this.#announcer);
    this.#renderHead();
    this.scroller.addEventListener('scroll', () => this.#schedule(), { passive: true });
    this.scroller.addEventListener('keydown', (event) => this.#onKey(event));
    this.#tbody.addEventListener('click', (event) => this.#onClick(event));
    this.#tbody.addEventListener('auxclick', (event) => this.#onClick(event));
    new ResizeObserver(() => this.#schedule()).observe(this.scroller);
  }

  /** Replaces the columns (e.g. the compare page's per-run columns). */
  setColumns(columns: VirtualColumn[]): void {
    this.#options = { ...this.#options, columns };
    this.#renderHead();
    this.refresh();
  }

  /** The data rows to show, in order (indices into the caller's data). */
  setRows(rows: ArrayLike<number>, keepScroll = false): void {
    this.#rows = rows;
    this.#table.setAttribute('aria-rowcount', String(rows.length + 1));
    if (!keepScroll) {
      this.scroller.scrollTop = 0;
      this.#active = rows.length > 0 ? 0 : -1;
    } else if (this.#active >= rows.length) {
      this.#active = rows.length - 1;
    }
    this.refresh();
  }

  setSort(sort: { key: string; dir: 'asc' | 'desc' } | null): void {
    this.#sort = sort;
    this.#renderHead();
  }

  get rows(): ArrayLike<number> {
    return this.#rows;
  }

  /** Renders now (after data changes that keep the same rows). */
  refresh(): void {
    this.#lastRange = '';
    this.#render();
  }

  #renderHead(): void {
    const { columns } = this.#options;
    this.#colgroup.replaceChildren(...columns.map((c) => h('col', { width: c.width })));
    let total = 0;
    for (const c of columns) total += c.width;
    this.#table.style.width = `${total}px`;
    this.#theadRow.replaceChildren(
      ...columns.map((c) => {
        const sorted = this.#sort?.key === c.key ? (this.#sort.dir === 'asc' ? 'ascending' : 'descending') : null;
        const cls = [c.numeric ? 'num' : '', c.className ?? ''].filter(Boolean).join(' ');
        const th = h('th', { scope: 'col', class: cls || undefined, 'aria-sort': sorted, title: c.title ?? c.label });
        const label = [c.label, c.hint ? h('span', { class: 'visually-hidden' }, ` ${c.hint}`) : null];
        if (c.sortable && this.#options.onSort) {
          const button = h('button', { class: 'sort', type: 'button' }, ...label);
          button.addEventListener('click', () => this.#options.onSort!(c.key));
          th.append(button);
        } else {
          append(th, ...label);
        }
        return th;
      }),
    );
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #render(): void {
    const rh = this.#rowHeight;
    const total = this.#rows.length;
    const header = this.#theadRow.offsetHeight || rh;
    const viewport = Math.max(this.scroller.clientHeight - header, rh * 10);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / rh) - OVERSCAN);
    const last = Math.min(total, Math.ceil((this.scroller.scrollTop + viewport) / rh) + OVERSCAN);
    const range = `${first}:${last}:${this.#active}`;
    if (range === this.#lastRange) return;
    this.#lastRange = range;
    const { columns, rowClass } = this.#options;
    const span = columns.length;
    const top = h('tr', { class: 'pad', 'aria-hidden': 'true' }, h('td', { colspan: span }));
    (top.firstChild as HTMLElement).style.height = `${first * rh}px`;
    const bottom = h('tr', { class: 'pad', 'aria-hidden': 'true' }, h('td', { colspan: span }));
    (bottom.firstChild as HTMLElement).style.height = `${(total - last) * rh}px`;
    const fragment = document.createDocumentFragment();
    fragment.append(top);
    for (let i = first; i < last; i++) {
      const row = this.#rows[i]!;
      const extra = rowClass ? rowClass(row) : '';
      const tr = h('tr', {
        class: `row${i === this.#active ? ' active' : ''}${extra ? ` ${extra}` : ''}`,
        'data-pos': i,
        'aria-rowindex': i + 2,
      });
      for (const column of columns) {
        const td = document.createElement('td');
        if (column.numeric) td.className = 'num';
        if (column.className) td.classList.add(column.className);
        column.render(row, td);
        tr.append(td);
      }
      fragment.append(tr);
    }
    fragment.append(bottom);
    this.#tbody.replaceChildren(fragment);
  }

  #onClick(event: MouseEvent): void {
    if (event.type === 'auxclick' && event.button !== 1) return;
    const target = event.target as HTMLElement;
    if (target.closest('a, button, input, select')) return; // links and controls do their own thing
    const tr = target.closest<HTMLTableRowElement>('tr.row');
    if (!tr) return;
    const pos = Number(tr.dataset.pos);
    this.setActive(pos);
    this.#options.onOpen?.(this.#rows[pos]!, event.type === 'auxclick' || event.ctrlKey || event.metaKey);
  }

  /** Highlights a row position and scrolls it into view. */
  setActive(pos: number): void {
    if (this.#rows.length === 0) return;
    this.#active = Math.max(0, Math.min(this.#rows.length - 1, pos));
    const rh = this.#rowHeight;
    const header = this.#theadRow.offsetHeight || rh;
    const top = this.#active * rh;
    const viewport = this.scroller.clientHeight - header;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + rh > this.scroller.scrollTop + viewport) this.scroller.scrollTop = top + rh - viewport;
    this.refresh();
  }

  get activePosition(): number {
    return this.#active;
  }

  #onKey(event: KeyboardEvent): void {
    if (event.target !== this.scroller || event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / this.#rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) {
      this.#moveTo(this.#active + moves[event.key]!);
    } else if (event.key === 'Home') {
      this.#moveTo(0);
    } else if (event.key === 'End') {
      this.#moveTo(this.#rows.length - 1);
    } else if (event.key === 'Enter' && this.#active >= 0) {
      this.#options.onOpen?.(this.#rows[this.#active]!, false);
    } else {
      return;
    }
    event.preventDefault();
  }

  /** A keyboard move: the row becomes active and its cells are read out, each after its column's name (not its buttons: Tab reaches those). */
  #moveTo(pos: number): void {
    this.setActive(pos);
    const tr = this.#tbody.querySelector<HTMLTableRowElement>(`tr.row[data-pos="${this.#active}"]`);
    if (!tr) return;
    const cells = this.#options.columns
      .map((column, i) => {
        const cell = tr.cells[i];
        return [column.label, cell && !cell.querySelector('button') ? (cell.textContent ?? '').trim() : ''] as const;
      })
      .filter(([, text]) => text !== '')
      .map(([label, text]) => `${label}: ${text}`);
    this.#announcer.textContent = `row ${this.#active + 1} of ${this.#rows.length}. ${cells.join('; ')}`;
  }
}
