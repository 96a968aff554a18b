import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkAnnotations, type AnnotationCheckReport } from '../../annotations/check-annotations.ts';
import { buildPreviewView } from '../../annotations/preview-view.ts';
import { workflowCommand } from '../../annotations/workflow-command.ts';
import { LabbookError, NotFoundError, UsageError } from '../../errors/index.ts';
import { parseJsonText } from '../../json/parse-json.ts';
import { createRenderer } from '../../render/environment.ts';
import { formatProblem } from '../../errors/problem.ts';
import { unknownSubCommand } from '../unknown-sub-command.ts';
import type { Command, CommandContext, ParsedArgs } from '../command.ts';
import { countNoun } from '../../text/count-noun.ts';

export const annotationsCommand: Command = {
  name: 'annotations',
  summary: 'check annotation files, or render the pull request preview of a check',
  usage: `usage: labbook annotations check [path...] [--json] [--base <git-ref>] [--data <dir>]
       labbook annotations preview <check.json> [--repository owner/repo] [--sha <commit>] [--site-url <url>] [--out <file.md>]

check: validates annotation files (YAML syntax, schema, experiment.yaml's allowed labels and
metric ranges, finite numbers, lengths, one judgement per author, trace and name, and that
every run and trace exists). A path may be an annotation file, an annotations/ folder, an
experiment folder or the data folder (default). Problems name file:line:column. Exits 1 on
any error. --json prints the report as JSON on stdout (problems still go to stderr).
--base compares with a git ref (a pull request's base): the report lists the entries the
change adds and the recorded judgements it changes (old and new value, with a warning: only
a judgement's author may change it), warns about earlier entries it removes, rejects annotation files put
outside annotations/, and turns errors already present on the base into warnings.
In GitHub Actions, problems are also emitted as file annotations.

preview: renders a check's JSON report as the pull request comment (Markdown).`,
  options: {
    json: { type: 'boolean' },
    base: { type: 'string' },
    repository: { type: 'string' },
    sha: { type: 'string' },
    'site-url': { type: 'string' },
    out: { type: 'string' },
  },
  async run(args, ctx) {
    const [sub, ...rest] = args.positionals;
    if (sub === 'check') return check(rest, args, ctx);
    if (sub === 'preview') return preview(rest, args, ctx);
    throw unknownSubCommand('annotations', sub, ['check', 'preview']);
  },
};

async function check(paths: string[], args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const report = await checkAnnotations(paths, { dataDir: ctx.dataDir, cwd: ctx.cwd, base: args.values.base as string | undefined });
  for (const problem of report.problems) {
    ctx.stderr(formatProblem(problem));
    // stderr, so that stdout stays pure JSON with --json; the runner reads commands from both
    if (ctx.env.GITHUB_ACTIONS === 'true') ctx.stderr(workflowCommand(problem));
  }
  if (args.values.json) {
    ctx.stdout(JSON.stringify(report, null, 2));
  } else {
    const added = report.changes
      ? `, ${report.changes.added.length} added and ${report.changes.changed.length} changed since ${report.changes.base}`
      : '';
    ctx.stdout(
      `${report.ok ? 'ok' : 'invalid'}: ${countNoun(report.files, 'file')}, ${countNoun(report.entries, 'valid annotation')}${added}; ${countNoun(report.errors, 'error')}, ${countNoun(report.warnings, 'warning')}`,
    );
  }
  return report.ok ? 0 : 1;
}

async function preview(positionals: string[], args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give one check report: labbook annotations preview <check.json>');
  // Relative to the command's folder; a missing file, a folder or broken JSON is said as every
  // command says it (not found; the environment error's words; file:line:column).
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError('file', path, 'give the report "labbook annotations check --json" printed');
    throw error;
  }
  const report = parseJsonText(text, { file: path }) as AnnotationCheckReport | null;
  if (report?.schemaVersion !== 1 || !Array.isArray(report.problems))
    throw new LabbookError(`${path} is not a "labbook annotations check --json" report`);
  const view = buildPreviewView(report, {
    repository: (args.values.repository as string | undefined) ?? ctx.env.GITHUB_REPOSITORY,
    sha: args.values.sha as string | undefined,
    serverUrl: ctx.env.GITHUB_SERVER_URL,
    siteUrl: args.values['site-url'] as string | undefined,
  });
  const markdown = createRenderer().render('annotations-preview.njk', { view });
  if (args.values.out) await writeFile(resolve(ctx.cwd, args.values.out as string), markdown);
  else ctx.stdout(markdown);
  return 0;
}
