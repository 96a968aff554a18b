import type { AnnotateTarget } from '#site/view/annotate-target.ts';

/** The annotate target a page renders into `data-annotate` (JSON made at build time). */
export function readAnnotateTarget(element: HTMLElement): AnnotateTarget | null {
  try {
    return element.dataset.annotate ? (JSON.parse(element.dataset.annotate) as AnnotateTarget) : null;
  } catch {
    return null;
  }
}

/**
 * Opens the "Add metric / label" form for one trace. The form, with the schema check it runs
 * (zod), is its own chunk, fetched the first time someone opens it: the pages stay small.
 */
export async function openAnnotateForm(target: AnnotateTarget, trace: string, opener: HTMLElement | null): Promise<void> {
  const { showAnnotationForm } = await import('./annotation-form.ts');
  showAnnotationForm(target, trace, opener);
}
