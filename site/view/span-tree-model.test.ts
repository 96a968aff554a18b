import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpanTree, type TreeSpanInput } from '#lib/store/span-tree-layout.ts';
import { collapseBelow, INDENT_STEP, indentLevels, revealSpan, spanIndent, visibleSpans } from './span-tree-model.ts';

const span = (id: string, parentId: string | null, start: number, end = start + 1): TreeSpanInput => ({ id, parentId, start, end });

describe('buildSpanTree', () => {
  it('orders parents before children and siblings by start time', () => {
    const tree = buildSpanTree([span('c2', 'root', 5), span('root', null, 0, 10), span('c1', 'root', 1), span('g', 'c1', 2)]);
    expect(Array.from(tree.order, (i) => ['c2', 'root', 'c1', 'g'][i])).toEqual(['root', 'c1', 'g', 'c2']);
    expect(Array.from(tree.depth)).toEqual([1, 0, 1, 2]);
    expect([tree.t0, tree.t1]).toEqual([0, 10]);
    expect(Array.from(tree.siblingIndex)).toEqual([2, 1, 1, 1]);
    expect(Array.from(tree.siblingCount)).toEqual([2, 1, 2, 1]);
  });

  it('makes orphans roots and breaks parent cycles, showing every span once', () => {
    const tree = buildSpanTree([span('a', 'b', 0), span('b', 'a', 1), span('lost', 'nowhere', 2), span('self', 'self', 3)]);
    expect(new Set(tree.order)).toEqual(new Set([0, 1, 2, 3]));
    expect(visibleSpans(tree, new Uint8Array(4))).toHaveLength(4);
  });

  it('handles a 50,000-deep chain without recursion', () => {
    const spans = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, i));
    const tree = buildSpanTree(spans);
    expect(tree.depth[49_999]).toBe(49_999);
    expect(tree.subtreeEnd[0]).toBe(50_000);
    const collapsed = new Uint8Array(50_000);
    collapsed[10] = 1;
    expect(visibleSpans(tree, collapsed)).toHaveLength(11);
    revealSpan(tree, collapsed, 40_000);
    expect(visibleSpans(tree, collapsed)).toHaveLength(50_000);
  });

  it('collapsing hides exactly the descendants, for any tree', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 60 }), (parents, flags) => {
        const spans = parents.map((p, i) => span(`s${i}`, i === 0 ? null : `s${p % i}`, i));
        const tree = buildSpanTree(spans);
        const collapsed = Uint8Array.from(spans, (_, i) => (flags[i] ? 1 : 0));
        const shown = new Set(visibleSpans(tree, collapsed));
        for (let i = 0; i < spans.length; i++) {
          let hidden = false;
          for (let p = tree.parent[i]!; p >= 0; p = tree.parent[p]!) if (collapsed[p]) hidden = true;
          expect(shown.has(i)).toBe(!hidden);
        }
      }),
    );
  });

  it('opens big trees compact: spans deeper than the limit are collapsed', () => {
    const tree = buildSpanTree([span('r', null, 0), span('a', 'r', 1), span('b', 'a', 2), span('c', 'b', 3)]);
    expect(visibleSpans(tree, collapseBelow(tree, 1))).toHaveLength(2);
  });
});

describe('the span tree indentation', () => {
  it('indents at most half the name column and keeps room for the type and the name: 3 to 32 levels', () => {
    expect(indentLevels(0)).toBe(3);
    expect(indentLevels(210)).toBe(3);
    expect(indentLevels(380)).toBe(13);
    expect(indentLevels(5000)).toBe(32);
  });

  it('stops indenting past the levels and writes the depth in the last two', () => {
    expect(spanIndent(0, 10)).toEqual({ px: 0, mark: null });
    expect(spanIndent(10, 10)).toEqual({ px: 10 * INDENT_STEP, mark: null });
    expect(spanIndent(11, 10)).toEqual({ px: 8 * INDENT_STEP, mark: '┄11┄' });
    expect(spanIndent(59, 10)).toEqual({ px: 8 * INDENT_STEP, mark: '┄59┄' });
  });
});
