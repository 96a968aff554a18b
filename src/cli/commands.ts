import type { Command } from './command.ts';

interface CommandEntry {
  /** One line for `labbook --help`; kept here so the help needs no command loaded. */
  summary: string;
  load: () => Promise<Command>;
}

/**
 * Every `labbook` command, loaded only when called so that `labbook --help` stays fast.
 * Sub-commands (`site build`, `annotations check`, `export csv`, `deploy check`) are one
 * command each that reads its first positional.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  init: {
    summary: 'set up labbook in your repository: config, experiment, evaluation script, workflows',
    load: async () => (await import('./commands/init.ts')).initCommand,
  },
  run: {
    summary: 'evaluate: prepare a run, run your evaluation command, seal the run',
    load: async () => (await import('./commands/run.ts')).runCommand,
  },
  validate: {
    summary: 'check experiments, runs, traces, annotations and SHA256SUMS',
    load: async () => (await import('./commands/validate.ts')).validateCommand,
  },
  repair: {
    summary: 'seal a run whose writer died (left running, or a torn last line) as partial',
    load: async () => (await import('./commands/repair.ts')).repairCommand,
  },
  compact: {
    summary: "compress sealed runs' plain traces.jsonl into gzip chunks (runs made before chunks)",
    load: async () => (await import('./commands/compact.ts')).compactCommand,
  },
  gc: {
    summary: 'remove runs the retention policy lets go (dry run unless --apply); sizes against GitHub limits',
    load: async () => (await import('./commands/gc.ts')).gcCommand,
  },
  rm: {
    summary: 'remove runs, refusing those a deployment, annotations or a live writer needs',
    load: async () => (await import('./commands/rm.ts')).rmCommand,
  },
  ls: { summary: 'list experiments, or the runs of one experiment', load: async () => (await import('./commands/ls.ts')).lsCommand },
  show: {
    summary: "print a run's provenance, config and metrics, or one of its traces",
    load: async () => (await import('./commands/show.ts')).showCommand,
  },
  compare: {
    summary: 'compare 2–4 runs on the same examples, with paired statistics',
    load: async () => (await import('./commands/compare.ts')).compareCommand,
  },
  plan: {
    summary: 'the sample size a comparison needs to detect a given difference',
    load: async () => (await import('./commands/plan.ts')).planCommand,
  },
  query: {
    summary: 'tokens, latency, cost and calls by span type, model, tool or name',
    load: async () => (await import('./commands/query.ts')).queryCommand,
  },
  annotate: {
    summary: "add an expert's metric or label to a trace",
    load: async () => (await import('./commands/annotate.ts')).annotateCommand,
  },
  annotations: {
    summary: 'annotations check | preview: validate annotation files, render a PR preview',
    load: async () => (await import('./commands/annotations.ts')).annotationsCommand,
  },
  site: {
    summary: 'site build | preview: the static site of experiments, runs and traces',
    load: async () => (await import('./commands/site.ts')).siteCommand,
  },
  export: {
    summary: 'export csv | otlp: runs and traces as CSV, or as OpenTelemetry JSON',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  report: {
    summary: 'a PDF or self-contained HTML report comparing 2–4 runs',
    load: async () => (await import('./commands/report.ts')).reportCommand,
  },
  import: {
    summary: 'make a run from OpenTelemetry (OTLP) or MLflow traces',
    load: async () => (await import('./commands/import.ts')).importCommand,
  },
  deploy: {
    summary: 'deploy check: is a run eligible for deployment?',
    load: async () => (await import('./commands/deploy.ts')).deployCommand,
  },
};
