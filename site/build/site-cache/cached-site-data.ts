import { join } from 'node:path';
import type { RunDataSummary, SiteExperiment, SiteRun } from '#site/view/site-source.ts';
import type { RepoRef } from '#site/view/repo-links.ts';
import type { RunAnnotationsFile } from '#site/view/run-annotations-file.ts';
import { runDataPaths } from '#site/view/run-meta.ts';
import { countNoun } from '#lib/text/count-noun.ts';
import { SiteRunCache } from './site-run-cache.ts';

/**
 * The site build's two passes over the runs, with the per-run cache around them: `reuse` stands
 * before the data pass (a hit links the run's folder in and skips reading its traces, for the
 * data pass and the CSV pass alike), `keep` after the CSV pass stores each run built afresh, and
 * `finish` drops entries no run used and says what the cache did.
 */
export class CachedSiteData {
  readonly #cache: SiteRunCache<RunDataSummary>;
  readonly #siteRoot: string;
  readonly #siteRepo: RepoRef | null;
  /** Runs built from their traces this time, with their key: stored after the CSV pass. */
  readonly #fresh: Array<{ experiment: string; run: string; key: string; summary: RunDataSummary }> = [];
  /** Run ids whose folder came from the cache, traces.csv included. */
  readonly reused = new Set<string>();

  constructor(options: { cacheDir: string; siteRoot: string; siteRepo: RepoRef | null; warn: (message: string) => void }) {
    this.#cache = new SiteRunCache(options.cacheDir, options.warn);
    this.#siteRoot = options.siteRoot;
    this.#siteRepo = options.siteRepo;
  }

  /** The run's folder from the cache, or null: then the caller builds it and hands it to `built`. */
  async reuse(experiment: SiteExperiment, run: SiteRun, annotations: { file: RunAnnotationsFile }): Promise<RunDataSummary | null> {
    const key = await this.#key(experiment, run, annotations);
    if (!key) return null;
    const target = join(this.#siteRoot, runDataPaths(experiment.name, run.manifest.id).dir);
    const hit = await this.#cache.restore(experiment.name, run.manifest.id, key, target);
    if (hit) {
      this.reused.add(run.manifest.id);
      return hit.summary;
    }
    return null;
  }

  async built(experiment: SiteExperiment, run: SiteRun, annotations: { file: RunAnnotationsFile }, summary: RunDataSummary): Promise<void> {
    const key = await this.#key(experiment, run, annotations);
    if (key) this.#fresh.push({ experiment: experiment.name, run: run.manifest.id, key, summary });
  }

  /** Stores the runs built afresh (after the CSV pass wrote their traces.csv) and prunes. */
  async finish(): Promise<string> {
    for (const run of this.#fresh) {
      await this.#cache.save(
        run.experiment,
        run.run,
        run.key,
        join(this.#siteRoot, runDataPaths(run.experiment, run.run).dir),
        run.summary,
      );
    }
    const pruned = await this.#cache.prune();
    return `site cache: ${countNoun(this.#cache.hits, 'run')} reused, ${this.#fresh.length} built from their traces${pruned ? `, ${countNoun(pruned, 'stale entry', 'stale entries')} removed` : ''}`;
  }

  #key(experiment: SiteExperiment, run: SiteRun, annotations: { file: RunAnnotationsFile }): Promise<string | null> {
    return this.#cache.key(run.dir, {
      definition: experiment.definition,
      rules: experiment.annotations.rules,
      annotations: annotations.file,
      siteRepo: this.#siteRepo,
    });
  }
}
