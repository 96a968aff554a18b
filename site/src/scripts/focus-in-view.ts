/** Boxes of static tables that scroll sideways (the virtual tables keep their active row in view themselves). */
const BOXES = '.table-wrap';
/** Room kept beside a control brought in from an edge: the width of that edge's fade (global.css `--fade`). */
const ROOM = 32;
/** Cells that stay at the box's left edge while the rest scrolls under them. */
const STICKY = '.sticky-col, .sticky-col-2';

interface Span {
  left: number;
  right: number;
}

/**
 * How far to scroll a box sideways so `control` lies inside `view`, `room` pixels in from the edge
 * it came past when there is space for that; 0 when it is in view already. A control wider than
 * the view shows its start.
 */
function sidewaysDelta(control: Span, view: Span, room: number): number {
  if (control.left >= view.left && control.right <= view.right) return 0;
  const spare = view.right - view.left - (control.right - control.left);
  const margin = Math.max(0, Math.min(room, spare / 2));
  if (control.left < view.left || spare < 0) return control.left - view.left - margin;
  return control.right - view.right + margin;
}

/** The part of `box` that shows its scrolled content beside `control`: inside its borders, right of the row's sticky cells. */
function visibleSpan(box: HTMLElement, control: HTMLElement): Span {
  const rect = box.getBoundingClientRect();
  let left = rect.left + box.clientLeft;
  if (!control.closest(STICKY))
    for (const cell of control.closest('tr')?.querySelectorAll(STICKY) ?? []) left = Math.max(left, cell.getBoundingClientRect().right);
  return { left, right: rect.left + box.clientLeft + box.clientWidth };
}

/**
 * Scrolls a table's box sideways to the control Tab or Shift+Tab just focused. Chromium scrolls a
 * focused control into view only when all of it is hidden: a link or a disclosure half past the
 * box's edge (or under its fade, or under a sticky column) stays cut. Keyboard focus only, so a
 * click on a half-shown link does not slide the table first.
 */
export function initFocusInView(): void {
  document.addEventListener('focusin', (event) => {
    const control = event.target;
    if (!(control instanceof HTMLElement) || !control.matches(':focus-visible')) return;
    const box = control.closest<HTMLElement>(BOXES);
    if (!box || box.scrollWidth <= box.clientWidth) return;
    const delta = sidewaysDelta(control.getBoundingClientRect(), visibleSpan(box, control), ROOM);
    if (delta !== 0) box.scrollLeft += delta;
  });
}
