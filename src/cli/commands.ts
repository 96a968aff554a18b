import type { Command } from './command.ts';

/**
 * Every `labbook` command, loaded only when called so that `labbook --help` stays fast.
 * Sub-commands (`site build`, `annotations check`, `export csv`, `deploy check`) are one
 * command each that reads its first positional.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runCommand,
  validate: async () => (await import('./commands/validate.ts')).validateCommand,
  ls: async () => (await import('./commands/ls.ts')).lsCommand,
  show: async () => (await import('./commands/show.ts')).showCommand,
  annotations: async () => (await import('./commands/annotations.ts')).annotationsCommand,
  annotate: async () => (await import('./commands/annotate.ts')).annotateCommand,
  compare: async () => (await import('./commands/compare.ts')).compareCommand,
  query: async () => (await import('./commands/query.ts')).queryCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
  deploy: async () => (await import('./commands/deploy.ts')).deployCommand,
  site: async () => (await import('./commands/site.ts')).siteCommand,
  import: async () => (await import('./commands/import.ts')).importCommand,
  export: async () => (await import('./commands/export.ts')).exportCommand,
};
