/**
 * What a site build reports as it goes, for the command line's short display; Astro's own log
 * (`labbook site build --verbose`) tells the same story at length.
 */
export type SiteBuildEvent =
  /** The output folder passed its checks: Astro starts. */
  | { kind: 'start'; dataDir: string; outDir: string }
  /** One more run's data written, of `total`. */
  | { kind: 'run'; done: number; total: number }
  /** The data pass is over: Astro bundles and renders the pages next. */
  | {
      kind: 'data';
      experiments: number;
      runs: number;
      traces: number;
      seconds: number;
      /** What the per-run cache did (`site cache: 3 runs reused, …`), when there is one. */
      cache: string | null;
    }
  /** Astro has written the pages. */
  | { kind: 'pages'; pages: number };
