import type { AnnotationEntry } from '#lib/annotations/annotation-entry.ts';
import type { AnnotationRules } from '#schemas/experiment.ts';
import type { SiteExperiment, SiteRun } from './site-source.ts';
import { type RepoRef, runRepo } from './repo-links.ts';
import { runAnnotationSummary } from './site-annotations.ts';

/** Where proposed annotations go: the data branch and the data folder inside the repository. */
export interface AnnotateOptions {
  /** The branch that holds the data, where annotation pull requests go. Default `main`. */
  branch: string;
  /** The data folder inside the repository. Default `experiments`. */
  dataPath: string;
}

export const DEFAULT_ANNOTATE_OPTIONS: AnnotateOptions = { branch: 'main', dataPath: 'experiments' };

/**
 * What the "Add metric / label" form needs for the traces of one run: the repository whose
 * "new file" page it opens (the run's CI repository, else the site's; null when unknown, then
 * the form offers only "copy YAML" and the `labbook annotate` command), the branch and folder,
 * the experiment's rules, and the names to suggest. Rendered into the page as JSON (data).
 */
export interface AnnotateTarget {
  experiment: string;
  run: string;
  /** `owner/name`, already checked; null when the site does not know it. */
  repository: string | null;
  serverUrl: string;
  branch: string;
  dataPath: string;
  rules: AnnotationRules;
  /** Declared in experiment.yaml first, then others already used on this run, each once. */
  names: string[];
  /**
   * Names the experiment's annotations already use, undeclared, with the kind they hold to:
   * `labbook annotations check` refuses the other kind under that name. A list, not an object
   * keyed by name, so a name such as `__proto__` stays data.
   */
  usedKinds: Array<{ name: string; kind: 'metric' | 'label' }>;
}

export function annotateTarget(
  experiment: SiteExperiment,
  run: SiteRun,
  siteRepo: RepoRef | null,
  options: AnnotateOptions,
): AnnotateTarget {
  const repo = runRepo(run.manifest, siteRepo);
  const rules = experiment.annotations.rules;
  const declared = [...Object.keys(rules.labels), ...Object.keys(rules.metrics)];
  const used = runAnnotationSummary(experiment.annotations, run.manifest.id).names.map((n) => n.name);
  return {
    experiment: experiment.name,
    run: run.manifest.id,
    repository: repo?.repository ?? null,
    serverUrl: repo?.serverUrl ?? 'https://github.com',
    branch: options.branch,
    dataPath: options.dataPath,
    rules,
    names: [...new Set([...declared, ...used])],
    usedKinds: usedKinds(experiment.annotations.entries, new Set(declared)),
  };
}

/** The kind of each undeclared name, as its first entry in the experiment set it. */
function usedKinds(entries: readonly AnnotationEntry[], declared: ReadonlySet<string>): AnnotateTarget['usedKinds'] {
  const kinds = new Map<string, 'metric' | 'label'>();
  for (const entry of entries) if (!declared.has(entry.name) && !kinds.has(entry.name)) kinds.set(entry.name, entry.kind);
  return [...kinds].map(([name, kind]) => ({ name, kind }));
}
