import { LabbookError, UsageError } from '../../errors/index.ts';
import { skippedReport } from '../skipped-report.ts';
import { reportAnnotationProblems } from '../annotation-problems.ts';
import type { Problem } from '../../errors/problem.ts';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, MAX_RUNS, MIN_RUNS, compareRuns, prepareComparison } from '../../compare/compare-runs.ts';
import { comparisonView } from '../../compare/comparison-view.ts';
import { loadCompareInput } from '../../compare/load-compare-input.ts';
import { comparePerTrace } from '../../compare/per-trace.ts';
import { renderComparisonMarkdown, renderComparisonText } from '../../compare/render-comparison.ts';
import { renderComparisonCompact } from '../../compare/render-comparison-compact.ts';
import { evidenceLines } from '../../compare/evidence-summary.ts';
import { noSharedExampleText } from '../../compare/no-shared-example.ts';
import { judgesPerRun, renderJudgesPerRun } from '../../compare/judges-per-run.ts';
import { renderPeopleAgreement } from '../../compare/render-people-agreement.ts';
import { agreementOverRuns } from '../../annotations/agreement-over-runs.ts';
import type { Command } from '../command.ts';
import { RUN_REFERENCE_HELP } from '../run-reference-help.ts';
import { unsealedRunWarnings } from '../unsealed-run-warnings.ts';

const FORMATS = ['table', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare 2–4 runs on the same examples, with paired tests and a verdict per metric',
  usage: `usage: labbook compare <run-a> <run-b> [<run-c> <run-d>] [--format table|json|markdown]
                       [--wide] [--width <columns>] [--traces] [--seed <n>] [--resamples <n>]
                       [--cluster-bootstrap] [--data <dir>]

Aligns the runs on their examples and compares every score, annotation metric, latency, tokens
and cost against the first run: means with 95% CIs, the paired difference with a bootstrap CI,
a paired test (McNemar for pass/fail, Wilcoxon signed-rank for numbers, chi-square or Fisher
for labels), Holm-adjusted p-values and a verdict using the directions in experiment.yaml.
${RUN_REFERENCE_HELP}

  --format     table (default), json (the documented contract, docs/compare.md) or markdown
  --wide       the table with every column (kind, test, raw p) instead of one block per metric
  --width      the terminal width the table fits (default 100)
  --traces     with --format json: add "perTrace", one row per matched example (outputs,
               scores, annotations, winner, word diff of outputs)
  --seed       bootstrap seed (default ${DEFAULT_SEED})
  --resamples  bootstrap resamples (default ${DEFAULT_RESAMPLES})
  --cluster-bootstrap  with a cluster key in experiment.yaml: intervals of the differences by
               resampling whole clusters (seeded) instead of the clustered t interval`,
  options: {
    format: { type: 'string' },
    traces: { type: 'boolean' },
    wide: { type: 'boolean' },
    width: { type: 'string' },
    seed: { type: 'string' },
    resamples: { type: 'string' },
    'cluster-bootstrap': { type: 'boolean' },
  },
  async run(args, ctx) {
    const ids = args.positionals;
    if (ids.length < MIN_RUNS || ids.length > MAX_RUNS) {
      throw new UsageError(`give ${MIN_RUNS} to ${MAX_RUNS} run ids, got ${ids.length}`);
    }
    const width = integerOption(args.values.width, '--width') ?? 100;
    if (width < 40 || width > 1000) throw new UsageError(`--width must be between 40 and 1000 columns, got ${width}`);
    const format = (args.values.format ?? 'table') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
    if (args.values.traces && format !== 'json') throw new UsageError('--traces only applies to --format json');
    // A flag that would change nothing is refused rather than ignored, as --traces is.
    if (format !== 'table' && args.values.wide)
      throw new UsageError(`--wide only applies to the table (--format ${format} has every column)`);
    if (format !== 'table' && args.values.width !== undefined)
      throw new UsageError(`--width only applies to the table, not --format ${format}`);
    const seed = integerOption(args.values.seed, '--seed');
    const resamples = integerOption(args.values.resamples, '--resamples');

    const problems: Problem[] = [];
    // An invalid trace line (the reason a run was sealed failed) costs only itself, as in report.
    const skipped = skippedReport(ctx.stderr);
    const input = await loadCompareInput(ctx.dataDir, ids, {
      onAnnotationProblem: (p) => problems.push(p),
      onTraceSkipped: skipped.onSkipped,
    });
    skipped.finish();
    for (const warning of await unsealedRunWarnings(
      ctx.dataDir,
      input.runs.map((r) => r.manifest),
    ))
      ctx.stderr(`warning: ${warning}`);
    refuseRepeatedRun(
      ids,
      input.runs.map((r) => r.manifest.id),
    );
    // The plan's cluster key has been applied by now: without any, there is nothing to resample.
    if (args.values['cluster-bootstrap'] && !input.experiment.cluster)
      throw new UsageError(
        `--cluster-bootstrap needs a cluster key: set cluster: in ${input.experiment.name}/experiment.yaml (or the eval plan) to the trace field that groups examples, e.g. metadata.document`,
      );
    input.options = {
      ...input.options,
      ...(seed !== undefined && { seed }),
      ...(resamples !== undefined && { resamples }),
      ...(args.values['cluster-bootstrap'] && { clusterInterval: 'cluster-bootstrap' as const }),
    };
    const prepared = prepareComparison(input);
    const comparison = compareRuns(input, prepared);

    reportAnnotationProblems(problems, ctx.stderr);

    // Each run's automated judges beside its own annotations (docs/compare.md, "Judges and people").
    const judges = judgesPerRun(
      comparison.runs.map((r) => r.id),
      input.traces,
      input.annotations ?? [],
      input.experiment.annotations,
    );
    // How far the people agree with each other, over the compared runs together.
    const people = agreementOverRuns(
      input.annotations ?? [],
      comparison.runs.map((r) => r.id),
      input.experiment.annotations,
    );
    // Runs with no example in common compare nothing: say so first and fail, rather than a table
    // of "not compared" rows that reads like a comparison. JSON readers still get the document, judges
    // and people included (each run's own, with nothing to pair).
    const nothingShared = noSharedExampleText(comparison.alignment);
    if (nothingShared !== null) {
      if (format === 'json') ctx.stdout(JSON.stringify({ ...comparison, judges, people }, null, 2));
      ctx.stderr(`labbook compare: ${nothingShared}; compare runs of the same examples`);
      return 1;
    }

    if (format === 'json') {
      const withJudges = { ...comparison, judges, people };
      const output = args.values.traces ? { ...withJudges, perTrace: comparePerTrace(input, {}, prepared) } : withJudges;
      ctx.stdout(JSON.stringify(output, null, 2));
    } else {
      const view = comparisonView(comparison);
      ctx.stdout(
        format === 'markdown'
          ? renderComparisonMarkdown(view)
          : args.values.wide
            ? renderComparisonText(view)
            : renderComparisonCompact(comparison, width),
      );
      // Clusters, trials, the gate and the eval plan with its flags, after the table.
      const evidence = evidenceLines(comparison);
      if (evidence.length > 0)
        ctx.stdout(
          format === 'markdown'
            ? `\n${evidence.map((l) => (l.startsWith('  ! ') ? `  - ⚠️ ${l.slice(4)}` : `- ${l}`)).join('\n')}`
            : `\n${evidence.join('\n')}`,
        );
      const judgesText = renderJudgesPerRun(judges, format === 'markdown', args.values.wide ? Infinity : width);
      if (judgesText) ctx.stdout(judgesText);
      const peopleText = renderPeopleAgreement(people, format === 'markdown', args.values.wide ? Infinity : width);
      if (peopleText) ctx.stdout(peopleText);
    }
    return 0;
  },
};

function integerOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${name} must be an integer, got "${text}"`);
  return Number(text);
}

/**
 * `compare A A` is a mistake worth explaining, not a malformed command line: a run compared
 * with itself differs by nothing, and the usage text would not say which arguments collided.
 */
function refuseRepeatedRun(given: string[], resolved: string[]): void {
  const first = resolved.findIndex((id, i) => resolved.indexOf(id) !== i);
  if (first === -1) return;
  const id = resolved[first]!;
  const names = given.filter((_, i) => resolved[i] === id).map((g) => `"${g}"`);
  const how = new Set(names).size === 1 ? `is given ${names.length} times` : `is named ${names.length} times (${names.join(', ')})`;
  throw new LabbookError(
    `run ${id} ${how}: a run compared with itself differs by nothing; give ${MIN_RUNS} to ${MAX_RUNS} different runs (\`labbook ls <experiment>\` lists them)`,
  );
}
