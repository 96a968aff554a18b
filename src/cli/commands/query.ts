import { BREAKDOWN_KEYS } from '../../analysis/span-keys.ts';
import { BREAKDOWN_METRICS, type BreakdownMetric } from '../../analysis/breakdowns.ts';
import { queryRuns, type QueryResult } from '../../analysis/query-runs.ts';
import { queryJudges, type JudgeQueryResult } from '../../analysis/query-judges.ts';
import { judgeErrorsText, judgeRowText, judgesStateText, type JudgeRowText } from '../../annotations/judges-and-people-text.ts';
import { formatProblem } from '../../errors/problem.ts';
import { judgesCsvRows } from '../../export/judges-csv.ts';
import { UsageError } from '../../errors/index.ts';
import { skippedReport } from '../skipped-report.ts';
import { toCsv } from '../../export/csv.ts';
import { queryCsvRows } from '../../export/query-csv.ts';
import { RUN_REFERENCE_HELP } from '../run-reference-help.ts';
import type { Command } from '../command.ts';
import { formatNumber, formatTable, type Column } from '../../text/format-table.ts';
import { warnOfUnsealedRuns } from '../unsealed-run-warnings.ts';
import { formatPercent } from '../../text/format-percent.ts';

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export const queryCommand: Command = {
  name: 'query',
  summary: 'break down tokens, latency, cost and calls of runs by span type, model, tool or name; or set judges beside people',
  usage: `usage: labbook query <run>... --by span-type|model|tool|name|judge
                     [--metric tokens|latency|cost|calls] [--format table|json|csv] [--data <dir>]

The runs are named as arguments, or each with --run <id> (the two may be mixed).
${RUN_REFERENCE_HELP}

Streams every span of the runs once and groups them: by span type, by model (spans that name
one), by tool (TOOL spans, by gen_ai.tool.name or tool.name, else span name) or by span name. Each row
has calls, errors, input/output/total tokens, cost and span latency (total, mean, p50, p95, max).
--metric (default tokens) chooses the figure the table shows and rows are sorted by: total
tokens, total time in the group, total cost, or calls. json prints every figure.

--by judge sets each automated score (llm_judge or code) beside the human annotations of the
same name on the same traces: per name and judge, the traces both scored, Cohen's kappa for
labels or Pearson's r for metrics with a 95% interval, Spearman's rho, the mean bias
(judge - people) with a t interval, and the traces they disagree on; with several judges of a
name, how their errors correlate. --metric does not apply. See docs/annotations.md.`,
  options: {
    run: { type: 'string', multiple: true },
    by: { type: 'string' },
    metric: { type: 'string' },
    format: { type: 'string' },
  },
  async run(args, ctx) {
    const runs = [...args.positionals, ...((args.values.run as string[] | undefined) ?? [])];
    if (runs.length === 0) throw new UsageError('give at least one run: labbook query <run>... --by <key>');
    const by = oneOf('--by', args.values.by as string | undefined, [...BREAKDOWN_KEYS, 'judge'] as const, undefined);
    if (by === 'judge') {
      if (args.values.metric !== undefined) throw new UsageError('--metric does not apply to --by judge (it shows agreement, not usage)');
      const format = oneOf('--format', args.values.format as string | undefined, FORMATS, 'table');
      const result = await queryJudges(ctx.dataDir, runs, (problem) => ctx.stderr(formatProblem(problem)));
      ctx.stdout(renderJudges(result, format));
      return 0;
    }
    const metric = oneOf('--metric', args.values.metric as string | undefined, BREAKDOWN_METRICS, 'tokens');
    const format = oneOf('--format', args.values.format as string | undefined, FORMATS, 'table');
    // An invalid trace line (the reason a run was sealed failed) costs only itself, as in report.
    const skipped = skippedReport(ctx.stderr);
    const result = await queryRuns(ctx.dataDir, runs, by, metric, skipped.onSkipped);
    skipped.finish();
    await warnOfUnsealedRuns(ctx.dataDir, runs, 'counted', ctx.stderr);
    ctx.stdout(render(result, format));
    return 0;
  },
};

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T | undefined): T {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} is required: one of ${allowed.join(', ')}`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

function render(result: QueryResult, format: Format): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  if (format === 'csv') return toCsv(queryCsvRows(result));
  type Row = QueryResult['rows'][number];
  const columns: Column<Row>[] = [{ header: result.by, value: (r) => r.key, maxWidth: 48 }];
  if (result.runs.length > 1) columns.push({ header: 'run', value: (r) => r.run, maxWidth: 40 });
  columns.push({ header: 'calls', value: (r) => formatNumber(r.calls), align: 'right' });
  const byMetric: Record<BreakdownMetric, Column<Row>[]> = {
    tokens: [
      { header: 'input', value: (r) => formatNumber(r.inputTokens), align: 'right' },
      { header: 'output', value: (r) => formatNumber(r.outputTokens), align: 'right' },
      { header: 'total tokens', value: (r) => formatNumber(r.totalTokens), align: 'right' },
      { header: 'share', value: (r) => formatPercent(r.share), align: 'right' },
    ],
    latency: [
      { header: 'total ms', value: (r) => formatNumber(r.latencyMs.sum), align: 'right' },
      { header: 'mean', value: (r) => formatNumber(r.latencyMs.mean), align: 'right' },
      { header: 'p50', value: (r) => formatNumber(r.latencyMs.p50), align: 'right' },
      { header: 'p95', value: (r) => formatNumber(r.latencyMs.p95), align: 'right' },
      { header: 'max', value: (r) => formatNumber(r.latencyMs.max), align: 'right' },
      { header: 'share', value: (r) => formatPercent(r.share), align: 'right' },
    ],
    cost: [
      { header: 'cost ($)', value: (r) => formatNumber(r.cost, 6), align: 'right' },
      { header: 'per call', value: (r) => formatNumber(r.calls === 0 ? null : r.cost / r.calls, 6), align: 'right' },
      { header: 'share', value: (r) => formatPercent(r.share), align: 'right' },
    ],
    calls: [
      { header: 'errors', value: (r) => formatNumber(r.errors), align: 'right' },
      { header: 'error rate', value: (r) => formatPercent(r.calls === 0 ? null : r.errors / r.calls), align: 'right' },
      { header: 'share', value: (r) => formatPercent(r.share), align: 'right' },
    ],
  };
  columns.push(...byMetric[result.metric]);
  const notes = result.runs.map((run) => `${run.id}: ${formatNumber(run.spans)} spans in ${formatNumber(run.traces)} traces`);
  // An empty table alone reads like a failure: say what was looked for.
  if (result.rows.length === 0) notes.push(EMPTY_NOTE[result.by]);
  return `${formatTable(result.rows, columns)}\n\n${notes.join('\n')}`;
}

const EMPTY_NOTE: Record<QueryResult['by'], string> = {
  'span-type': 'no spans in these runs',
  model: 'no span names a model (a span\'s "model" field) in these runs',
  tool: 'no tool calls in these runs (spans of type TOOL)',
  name: 'no spans in these runs',
};

function renderJudges(result: JudgeQueryResult, format: Format): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  if (format === 'csv') return toCsv(judgesCsvRows(result));
  type Row = JudgeRowText & { run: string };
  const rows: Row[] = result.runs.flatMap((run) => run.judges.rows.map((r) => ({ run: run.id, ...judgeRowText(r) })));
  const columns: Column<Row>[] = [
    { header: 'name', value: (r) => r.name, maxWidth: 32 },
    { header: 'judge', value: (r) => r.judge, maxWidth: 32 },
  ];
  if (result.runs.length > 1) columns.push({ header: 'run', value: (r) => r.run, maxWidth: 40 });
  columns.push(
    { header: 'n', value: (r) => r.n, align: 'right' },
    { header: 'agreement (95% CI)', value: (r) => r.agreement },
    { header: 'spearman', value: (r) => r.spearman },
    { header: 'bias (judge - people)', value: (r) => r.bias },
    { header: 'disagree', value: (r) => r.disagreements, align: 'right' },
  );
  const notes = result.runs.flatMap((run) => {
    const state = judgesStateText(run.judges) ?? 'No annotations: nothing to set judges beside.';
    return [`${run.id}: ${state}`, ...run.judges.errors.flatMap((e) => judgeErrorsText(e).map((line) => `  ${line}`))];
  });
  return rows.length === 0 ? notes.join('\n') : `${formatTable(rows, columns)}\n\n${notes.join('\n')}`;
}
