/** Boxes that scroll sideways: static tables, virtual tables, charts wider than their box. */
const SCROLLERS = '.table-wrap, .vt, .chart';

type HiddenSides = 'left' | 'right' | 'both' | null;

/** Which sides of a box hide content past its edge (1 px of rounding is not content). */
function hiddenSides(box: Pick<Element, 'scrollLeft' | 'scrollWidth' | 'clientWidth'>): HiddenSides {
  const left = box.scrollLeft > 1;
  const right = box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
  return left && right ? 'both' : left ? 'left' : right ? 'right' : null;
}

function mark(box: HTMLElement): void {
  const sides = hiddenSides(box);
  if ((box.dataset.more ?? null) === sides) return;
  if (sides) box.dataset.more = sides;
  else delete box.dataset.more;
}

/**
 * Marks every sideways-scrolling box with `data-more` naming the sides that hide columns, so
 * the stylesheet fades those edges. Kept true as boxes scroll, the window resizes and scripts
 * add tables or show hidden sections (the compare page builds its tables after loading).
 */
export function initScrollCues(): void {
  let queued = false;
  const markAll = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      for (const box of document.querySelectorAll<HTMLElement>(SCROLLERS)) mark(box);
    });
  };
  // Scroll events do not bubble; a listener that captures hears every box's.
  document.addEventListener(
    'scroll',
    (event) => {
      if (event.target instanceof HTMLElement && event.target.matches(SCROLLERS)) mark(event.target);
    },
    { capture: true, passive: true },
  );
  addEventListener('resize', markAll);
  new MutationObserver(markAll).observe(document.body, { childList: true, subtree: true, attributeFilter: ['hidden', 'open'] });
  markAll();
}
