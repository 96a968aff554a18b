import { appendAnnotations } from '../../annotations/append-annotations.ts';
import { authorKey } from '../../annotations/cross-check.ts';
import { displayPath } from '../../annotations/check-annotations.ts';
import type { NewAnnotation } from '../../annotations/entry-yaml.ts';
import { annotationKind, type AnnotationEntry } from '../../annotations/annotation-entry.ts';
import { loadAnnotations } from '../../annotations/load-annotations.ts';
import { ReferenceIndex } from '../../annotations/reference-index.ts';
import { findTrace } from '../../store/find-trace.ts';
import { resolveAuthor } from '../../annotations/resolve-author.ts';
import { ANNOTATION_LIMITS } from '../../annotations/limits.ts';
import { validateNewAnnotation } from '../../annotations/validate-new-annotation.ts';
import { LabbookError, NotFoundError, UsageError } from '../../errors/index.ts';
import { findRun } from '../../store/store.ts';
import { readExperiment } from '../../store/experiments.ts';
import type { Command, CommandContext } from '../command.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fieldPosition, parseAnnotationFile } from '../../annotations/parse-annotation-file.ts';
import { formatProblem, type Problem } from '../../errors/problem.ts';
import { countNoun } from '../../text/count-noun.ts';
import { groupDigits } from '../../text/group-digits.ts';

export const annotateCommand: Command = {
  name: 'annotate',
  summary: 'add a metric or label to a trace in your own annotations file',
  usage: `usage: labbook annotate <run> <trace> (--metric name=0.8 | --label name=value)... [--note <text>] [--author <name>] [--data <dir>]
       labbook annotate --from <file.yaml> [--data <dir>]

The run and trace are named as arguments (as "labbook show <run> <trace>" takes them), or with
--run <id> --trace <id>.

Appends one entry per --metric/--label to <data>/<experiment>/annotations/<author>.yaml,
creating the file if needed; nothing already in it is rewritten. A number makes a metric, a
text a label; experiment.yaml's "annotations" rules (allowed labels, metric ranges) apply.
The author is --author, else "git config user.name", else $USER. Commit the file and open a
pull request: "labbook annotations check" runs on it. --trace takes the trace's id, or the id
of the dataset example it ran when the run ran that example once (the file records the trace id).

--from takes a whole annotation file (what a review queue on the site produces, or one written
by hand), checks every entry as "labbook annotations check" would, that its runs and traces
exist, and that no author judged the same trace and name before; then appends the entries to
each author's file. Nothing is written unless every entry passes.

examples:
  labbook annotate --run 20260131-baseline-ab12 --trace t-17 --label "verdict=needs review"
  labbook annotate --run 20260131-baseline-ab12 --trace t-17 --metric reviewer_score=0.8 --note "cites the wrong manual"`,
  options: {
    run: { type: 'string' },
    trace: { type: 'string' },
    metric: { type: 'string', multiple: true },
    label: { type: 'string', multiple: true },
    note: { type: 'string' },
    author: { type: 'string' },
    from: { type: 'string' },
  },
  async run(args, ctx) {
    const from = args.values.from as string | undefined;
    if (from !== undefined) {
      if (args.values.run || args.values.trace || args.values.metric || args.values.label || args.values.note || args.values.author) {
        throw new UsageError('--from takes everything from the file; drop --run, --trace, --metric, --label, --note and --author');
      }
      if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
      return annotateFromFile(resolve(ctx.cwd, from), ctx);
    }
    const { runId, traceRef } = runAndTrace(
      args.positionals,
      args.values.run as string | undefined,
      args.values.trace as string | undefined,
    );
    const metrics = (args.values.metric as string[] | undefined) ?? [];
    const labels = (args.values.label as string[] | undefined) ?? [];
    if (metrics.length + labels.length === 0) throw new UsageError('give at least one --metric name=number or --label name=value');

    const givenAuthor = args.values.author as string | undefined;
    // An empty --author is a mistake (an unset variable, say), not a request for git's user.name.
    if (givenAuthor !== undefined && givenAuthor.trim() === '')
      throw new UsageError('--author is empty: give the name to record, or leave --author out to use "git config user.name"');
    const note = args.values.note as string | undefined;
    if (note !== undefined && note.length > ANNOTATION_LIMITS.noteLength)
      throw new UsageError(`--note is ${groupDigits(note.length)} characters; the limit is ${groupDigits(ANNOTATION_LIMITS.noteLength)}`);
    const author = await resolveAuthor(givenAuthor, ctx.rootDir, ctx.env);
    if (!author) throw new UsageError('no author: pass --author, or set "git config user.name"');
    const { experiment, runId: run, dir } = await findRun(ctx.dataDir, runId);
    const { trace, byExample } = await findTrace(dir, run, traceRef);
    const traceId = trace.id;
    const rules = (await readExperiment(ctx.dataDir, experiment)).annotations;

    const at = new Date().toISOString();
    const entries: NewAnnotation[] = [
      ...metrics.map((text) => ({ ...splitPair('--metric', text), kind: 'metric' as const })),
      ...labels.map((text) => ({ ...splitPair('--label', text), kind: 'label' as const })),
    ].map(({ name, raw, kind, flag }) => {
      const value = kind === 'metric' ? parseMetric(flag, name, raw) : raw;
      const entry: NewAnnotation = { run, trace: traceId, name, value, author, at, ...(note ? { note } : {}) };
      const issues = validateNewAnnotation(entry, rules);
      const error = issues.find((issue) => issue.severity === 'error');
      // A note's or author's problem is theirs, whichever --metric or --label it was checked with.
      if (error)
        throw new UsageError(
          error.field === 'note'
            ? `--note: ${error.message}`
            : error.field === 'author'
              ? `${givenAuthor === undefined ? 'the author (git config user.name)' : '--author'}: ${error.message}`
              : `${flag} ${name}=${raw}: ${error.field}: ${error.message}`,
        );
      for (const warning of issues) ctx.stderr(`warning: ${flag} ${name}=${raw}: ${warning.field}: ${warning.message}`);
      return entry;
    });
    const names = entries.map((e) => e.name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated) throw new UsageError(`"${repeated}" is given twice; one judgement per name`);

    const existing = await loadAnnotations(ctx.dataDir, experiment, { rules, onProblem: () => {} });
    for (const entry of entries) {
      const other = otherKind(existing, entry);
      if (other)
        throw new UsageError(
          `"${entry.name}" is a ${other.kind} at ${displayPath(ctx.cwd, `${ctx.dataDir}/${other.file}`)}:${other.line}, so it cannot be a ${annotationKind(entry.value)} here: use --${other.kind} ${entry.name}=…, or another name`,
        );
      const same = existing.find(
        (e) => e.run === run && e.trace === traceId && e.name === entry.name && authorKey(e.author) === authorKey(author),
      );
      if (same) {
        throw new LabbookError(
          `${author} already annotated "${entry.name}" of trace ${traceId} (${JSON.stringify(same.value)}) in ${displayPath(ctx.cwd, `${ctx.dataDir}/${same.file}`)}:${same.line}; edit that entry instead`,
        );
      }
    }
    const written = await appendAnnotations(ctx.dataDir, experiment, author, entries);
    for (const [i, entry] of entries.entries()) {
      ctx.stdout(
        `added ${entry.name} = ${JSON.stringify(entry.value)} to trace ${traceId}${byExample ? ` (example ${traceRef})` : ''} of run ${run} in ${displayPath(ctx.cwd, written.file)}:${written.lines[i]}`,
      );
    }
    ctx.stdout('commit the file and open a pull request; "labbook annotations check" validates it');
    return 0;
  },
};

/**
 * `labbook annotate --from <file>`: every entry of an annotation file, checked like a pull
 * request's, appended to its author's file. All or nothing: one bad entry writes nothing.
 */
async function annotateFromFile(file: string, ctx: CommandContext): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError('file', file, '--from takes an annotation file (YAML), such as the one a review queue on the site makes');
    throw error;
  }
  const shown = displayPath(ctx.cwd, file);
  // A first reading without rules finds the runs, and so the experiment whose rules apply.
  const first = parseAnnotationFile(text, { path: shown, file: shown, experiment: '' }, { labels: {}, metrics: {} });
  const fail = (problems: Problem[]) => {
    for (const problem of problems) ctx.stderr(formatProblem(problem));
    throw new LabbookError(
      `${shown}: nothing was added; fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} above`,
    );
  };
  const structural = first.problems.filter((p) => p.severity === 'error');
  if (structural.length > 0) fail(structural);
  if (first.total === 0) throw new UsageError(`${shown} holds no annotations`);
  const experiments = new Map<string, string>();
  for (const run of new Set(first.entries.map((e) => e.run))) {
    const found = await findRun(ctx.dataDir, run);
    experiments.set(run, found.experiment);
  }
  const experiment = [...new Set(experiments.values())];
  if (experiment.length > 1)
    throw new UsageError(`${shown} mixes runs of experiments ${experiment.join(', ')}; one file annotates one experiment`);
  const name = experiment[0]!;
  const rules = (await readExperiment(ctx.dataDir, name)).annotations;
  const parsed = parseAnnotationFile(text, { path: shown, file: shown, experiment: name }, rules);
  const problems: Problem[] = parsed.problems.filter((p) => p.severity === 'error');
  const references = new ReferenceIndex(ctx.dataDir);
  const existing = await loadAnnotations(ctx.dataDir, name, { rules, onProblem: () => {} });
  const seen = new Set<string>();
  for (const entry of parsed.entries) {
    const missing = await references.problem(name, entry.run, entry.trace);
    const at = fieldPosition(entry, missing?.field ?? 'trace');
    if (missing)
      problems.push({ severity: 'error', file: shown, line: at.line, column: at.column, field: missing.field, message: missing.message });
    const key = `${entry.run}\n${entry.trace}\n${entry.name}\n${authorKey(entry.author)}`;
    const same = existing.find(
      (e) => e.run === entry.run && e.trace === entry.trace && e.name === entry.name && authorKey(e.author) === authorKey(entry.author),
    );
    if (same || seen.has(key)) {
      const where = fieldPosition(entry, 'name');
      problems.push({
        severity: 'error',
        file: shown,
        line: where.line,
        column: where.column,
        field: 'name',
        message: same
          ? `${entry.author} already annotated "${entry.name}" of trace ${entry.trace} in ${displayPath(ctx.cwd, `${ctx.dataDir}/${same.file}`)}:${same.line}`
          : `${entry.author} judges "${entry.name}" of trace ${entry.trace} twice in this file`,
      });
    }
    seen.add(key);
    // A name is a metric or a label across the experiment: this file's earlier entries count too.
    const recorded = otherKind(existing, entry);
    const other = recorded ?? otherKind(parsed.entries.slice(0, parsed.entries.indexOf(entry)), entry);
    if (other) {
      const where = fieldPosition(entry, 'value');
      const otherAt = recorded ? `${displayPath(ctx.cwd, `${ctx.dataDir}/${recorded.file}`)}:${recorded.line}` : `${shown}:${other.line}`;
      problems.push({
        severity: 'error',
        file: shown,
        line: where.line,
        column: where.column,
        field: 'value',
        message: `"${entry.name}" is a ${other.kind} at ${otherAt} but a ${entry.kind} here; a name is either a metric (numbers) or a label (text)`,
      });
    }
  }
  if (problems.length > 0) fail(problems);
  for (const warning of parsed.problems.filter((p) => p.severity === 'warning')) ctx.stderr(formatProblem(warning));
  const byAuthor = new Map<string, NewAnnotation[]>();
  for (const entry of parsed.entries) {
    const { run, trace, name: n, value, author, at, note } = entry;
    const list = byAuthor.get(author) ?? [];
    list.push({ run, trace, name: n, value, author, at, ...(note !== undefined ? { note } : {}) });
    byAuthor.set(author, list);
  }
  for (const [author, entries] of byAuthor) {
    const written = await appendAnnotations(ctx.dataDir, name, author, entries);
    ctx.stdout(`added ${countNoun(entries.length, 'annotation')} by ${author} to ${displayPath(ctx.cwd, written.file)}`);
  }
  ctx.stdout(
    byAuthor.size === 1
      ? 'commit the file and open a pull request; "labbook annotations check" validates it'
      : 'commit the files and open a pull request; "labbook annotations check" validates them',
  );
  return 0;
}

/** An entry that already holds `entry`'s name to the other kind (metric or label), if any. */
function otherKind(entries: readonly AnnotationEntry[], entry: { name: string; value: number | string }): AnnotationEntry | undefined {
  const kind = annotationKind(entry.value);
  return entries.find((e) => e.name === entry.name && e.kind !== kind);
}

function splitPair(flag: string, text: string): { flag: string; name: string; raw: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} ${JSON.stringify(text)}: write name=value`);
  return { flag, name: text.slice(0, eq).trim(), raw: text.slice(eq + 1) };
}

function parseMetric(flag: string, name: string, raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw.trim()) || !Number.isFinite(value)) {
    throw new UsageError(`${flag} ${name}=${raw}: a metric is a finite number such as 0.8 (use --label for text)`);
  }
  return value;
}

/**
 * The run and trace, from `<run> <trace>` or `--run`/`--trace`, each given one way only. With
 * --run, a single argument is the trace; with --trace, the run.
 */
function runAndTrace(
  positionals: string[],
  runFlag: string | undefined,
  traceFlag: string | undefined,
): { runId: string; traceRef: string } {
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}": give a run and a trace`);
  if (runFlag !== undefined && positionals.length === 2)
    throw new UsageError(`the run is given twice (--run ${runFlag} and "${positionals[0]}"): give it once`);
  const [runArg, traceArg] = runFlag === undefined ? positionals : [undefined, ...positionals];
  if (traceArg !== undefined && traceFlag !== undefined)
    throw new UsageError(`the trace is given twice ("${traceArg}" and --trace ${traceFlag}): give it once`);
  const runId = runFlag ?? runArg;
  const traceRef = traceFlag ?? traceArg;
  if (!runId) throw new UsageError('name the run and the trace: labbook annotate <run> <trace> --label name=value');
  if (!traceRef)
    throw new UsageError(`name the trace of run ${runId} to annotate: labbook annotate <run> <trace> (its id, or its example's id)`);
  return { runId, traceRef };
}
