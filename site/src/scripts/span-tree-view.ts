import type { Span } from '#schemas/span.ts';
import { formatMs } from '#site/view/format.ts';
import type { SpanTree } from '#lib/store/span-tree-layout.ts';
import { collapseBelow, indentLevels, revealSpan, spanIndent, visibleSpans } from '#site/view/span-tree-model.ts';
import { h } from './dom.ts';

const ROW = 26;
const OVERSCAN = 10;

export interface SpanTreeViewOptions {
  onSelect: (span: number) => void;
}

/**
 * The span tree with its waterfall, virtualized: a spacer as tall as all visible rows and
 * absolutely placed rows for the ones on screen. Collapsing and expanding recompute the visible
 * list from the pre-order arrays (see src/store/span-tree-layout.ts), so 50,000 spans stay fast.
 * Keys (on the focused tree): ↑/↓ or k/j move, → / l expands or enters, ← / h collapses or
 * goes to the parent, Enter/Space toggles, Home/End.
 */
export class SpanTreeView {
  readonly element: HTMLElement;
  readonly #scroll: HTMLDivElement;
  readonly #spacer: HTMLDivElement;
  /** The head's name cell: its width says how many levels the rows can indent. */
  readonly #nameHead: HTMLSpanElement;
  readonly #spans: readonly Span[];
  readonly #tree: SpanTree;
  readonly #collapsed: Uint8Array;
  readonly #options: SpanTreeViewOptions;
  #visible: Int32Array;
  /** Span index → position in #visible, or -1 when hidden. */
  #rowOf: Int32Array;
  #selected = -1;
  #frame = 0;
  /** Levels indented before deeper spans stay put and show their depth (see spanIndent). */
  #levels = indentLevels(0);

  constructor(spans: readonly Span[], tree: SpanTree, options: SpanTreeViewOptions) {
    this.#spans = spans;
    this.#tree = tree;
    this.#options = options;
    this.#collapsed = tree.count > 5000 ? collapseBelow(tree, 3) : new Uint8Array(tree.count);
    this.#visible = new Int32Array(0);
    this.#rowOf = new Int32Array(tree.count);
    this.#spacer = h('div', { class: 'tree-spacer', role: 'none' });
    this.#scroll = h(
      'div',
      { class: 'tree-scroll', role: 'tree', tabindex: 0, 'aria-label': `Span tree, ${tree.count} spans` },
      this.#spacer,
    );
    const duration = tree.t1 - tree.t0;
    const ticks = h(
      'div',
      { class: 'tree-ticks', 'aria-hidden': 'true' },
      ...[0, 0.25, 0.5, 0.75, 1].map((f) => {
        const tick = h('span', null, formatMs(duration * f));
        tick.style.left = `${f * 100}%`;
        return tick;
      }),
    );
    this.#nameHead = h('span', null, 'span');
    const head = h('div', { class: 'tree-head' }, this.#nameHead, h('span', { class: 'num' }, 'duration'), ticks);
    this.element = h('div', { class: 'tree panel' }, head, this.#scroll);
    this.#scroll.addEventListener('scroll', () => this.#schedule(), { passive: true });
    this.#scroll.addEventListener('click', (event) => this.#onClick(event));
    this.#scroll.addEventListener('keydown', (event) => this.#onKey(event));
    new ResizeObserver(() => {
      this.#levels = indentLevels(this.#nameHead.getBoundingClientRect().width);
      this.#schedule();
    }).observe(this.#scroll);
    this.#recompute();
  }

  get selected(): number {
    return this.#selected;
  }

  focus(): void {
    this.#scroll.focus({ preventScroll: true });
  }

  select(span: number, scroll = true): void {
    if (span < 0 || span >= this.#tree.count) return;
    if (this.#rowOf[span] === -1) {
      revealSpan(this.#tree, this.#collapsed, span);
      this.#recompute();
    }
    this.#selected = span;
    this.#scroll.setAttribute('aria-activedescendant', `span-row-${span}`);
    if (scroll) this.#scrollTo(this.#rowOf[span]!);
    this.#render();
    this.#options.onSelect(span);
  }

  toggle(span: number): void {
    if (this.#tree.childCount[span] === 0) return;
    this.#collapsed[span] = this.#collapsed[span] ? 0 : 1;
    this.#recompute();
  }

  setAllCollapsed(collapsed: boolean): void {
    for (let i = 0; i < this.#tree.count; i++)
      this.#collapsed[i] = collapsed && this.#tree.childCount[i]! > 0 && this.#tree.parent[i] !== -1 ? 1 : 0;
    if (this.#selected >= 0) revealSpan(this.#tree, this.#collapsed, this.#selected);
    this.#recompute();
  }

  #recompute(): void {
    this.#visible = visibleSpans(this.#tree, this.#collapsed);
    this.#rowOf.fill(-1);
    for (let i = 0; i < this.#visible.length; i++) this.#rowOf[this.#visible[i]!] = i;
    this.#spacer.style.height = `${this.#visible.length * ROW}px`;
    this.#render();
  }

  #scrollTo(row: number): void {
    const top = row * ROW;
    const height = this.#scroll.clientHeight;
    if (top < this.#scroll.scrollTop) this.#scroll.scrollTop = top;
    else if (top + ROW > this.#scroll.scrollTop + height) this.#scroll.scrollTop = top + ROW - height;
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #render(): void {
    const height = Math.max(this.#scroll.clientHeight, ROW * 20);
    const first = Math.max(0, Math.floor(this.#scroll.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(this.#visible.length, Math.ceil((this.#scroll.scrollTop + height) / ROW) + OVERSCAN);
    const { t0, t1 } = this.#tree;
    const span = t1 - t0 || 1;
    const fragment = document.createDocumentFragment();
    for (let row = first; row < last; row++) {
      const i = this.#visible[row]!;
      const s = this.#spans[i]!;
      const depth = this.#tree.depth[i]!;
      const hasChildren = this.#tree.childCount[i]! > 0;
      const collapsed = this.#collapsed[i] === 1;
      const el = h('div', {
        class: 'tree-row',
        role: 'treeitem',
        id: `span-row-${i}`,
        'data-span': i,
        'aria-level': depth + 1,
        'aria-setsize': this.#tree.siblingCount[i],
        'aria-posinset': this.#tree.siblingIndex[i],
        'aria-expanded': hasChildren ? String(!collapsed) : null,
        'aria-selected': String(i === this.#selected),
      });
      el.style.transform = `translateY(${row * ROW}px)`;
      const indent = spanIndent(depth, this.#levels);
      const label = s.name || s.id;
      // aria-level carries the depth to a screen reader; the mark is for the eye.
      const name = h(
        'span',
        { class: 'tree-name' },
        indent.mark ? h('span', { class: 'depth', 'aria-hidden': 'true', title: `${depth} levels deep` }, indent.mark) : null,
        h('span', { class: 'twisty', 'aria-hidden': 'true' }, hasChildren ? (collapsed ? '▶' : '▼') : ''),
        h('span', { class: `type ${s.type}` }, s.type),
        h('span', { class: 'label', title: label }, label),
        // The red "!" is punctuation a screen reader skips: the word is there for it.
        s.status === 'error'
          ? h('span', { class: 'err', title: 'error' }, ' !', h('span', { class: 'visually-hidden' }, ' (error)'))
          : null,
        collapsed
          ? h('span', { class: 'faint' }, ` +${this.#tree.subtreeEnd[this.#tree.position[i]!]! - this.#tree.position[i]! - 1}`)
          : null,
      );
      name.style.paddingLeft = `${indent.px}px`;
      const bar = h('span', { class: `tree-bar${s.status === 'error' ? ' error' : ''}` });
      bar.style.left = `${(((s.start - t0) / span) * 100).toFixed(3)}%`;
      bar.style.width = `${((Math.max(0, s.end - s.start) / span) * 100).toFixed(3)}%`;
      el.append(
        name,
        h('span', { class: 'tree-dur' }, formatMs(s.end - s.start)),
        h('span', { class: 'tree-track', 'aria-hidden': 'true' }, bar),
      );
      fragment.append(el);
    }
    this.#spacer.replaceChildren(fragment);
  }

  #onClick(event: MouseEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('.tree-row');
    if (!row) return;
    const span = Number(row.dataset.span);
    if ((event.target as HTMLElement).closest('.twisty')) this.toggle(span);
    this.select(span, false);
  }

  #onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const current = this.#selected >= 0 ? this.#rowOf[this.#selected]! : -1;
    const at = (row: number) => this.#visible[Math.max(0, Math.min(this.#visible.length - 1, row))]!;
    const s = this.#selected;
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        this.select(at(current + 1));
        break;
      case 'ArrowUp':
      case 'k':
        this.select(at(Math.max(0, current - 1)));
        break;
      case 'ArrowRight':
      case 'l':
        if (s < 0) break;
        if (this.#collapsed[s]) this.toggle(s);
        else if (this.#tree.childCount[s]! > 0) this.select(at(current + 1));
        break;
      case 'ArrowLeft':
      case 'h':
        if (s < 0) break;
        if (this.#tree.childCount[s]! > 0 && !this.#collapsed[s]) this.toggle(s);
        else if (this.#tree.parent[s]! >= 0) this.select(this.#tree.parent[s]!);
        break;
      case 'Enter':
      case ' ':
        if (s >= 0) this.toggle(s);
        break;
      case 'Home':
        this.select(at(0));
        break;
      case 'End':
        this.select(at(this.#visible.length - 1));
        break;
      case 'PageDown':
        this.select(at(current + Math.floor(this.#scroll.clientHeight / ROW)));
        break;
      case 'PageUp':
        this.select(at(current - Math.floor(this.#scroll.clientHeight / ROW)));
        break;
      default:
        return;
    }
    event.preventDefault();
  }
}
