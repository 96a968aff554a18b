import type { Annotation } from '../../schemas/annotation.ts';
import type { AnnotationRules } from '../../schemas/experiment.ts';
import type { Trace } from '../../schemas/trace.ts';
import { judgesAndPeople, type JudgesAndPeople } from '../annotations/judges-and-people.ts';
import { judgeErrorsText, judgeRowText, judgesStateText } from '../annotations/judges-and-people-text.ts';
import { formatTable } from '../text/format-table.ts';
import { wrapText } from '../text/wrap-text.ts';
import { escapeMarkdown } from '../text/escape-markdown.ts';

/** One compared run's judges beside its people (`labbook compare`'s `judges`). */
export type RunJudges = { run: string } & JudgesAndPeople;

/**
 * Each compared run's automated judges against its own annotations: agreement is a property of
 * a run's judges on that run's traces, so it is given per run, not as a difference.
 */
export function judgesPerRun(
  runIds: readonly string[],
  traces: ReadonlyArray<ReadonlyArray<Trace>>,
  annotations: readonly Annotation[],
  rules: AnnotationRules,
): RunJudges[] {
  return runIds.map((run, i) => ({
    run,
    ...judgesAndPeople(
      traces[i] ?? [],
      annotations.filter((a) => a.run === run),
      rules,
    ),
  }));
}

/**
 * The "Judges and people" block after compare's table (or as markdown): one table of every
 * run's judges, the runs with nothing to compare named, and the error correlation of several
 * judges. Empty when no run has annotations. Run letters are those of the comparison (A = baseline).
 * The text fits `width` columns, as the compact comparison does: names and judges are clipped,
 * notes wrapped.
 */
export function renderJudgesPerRun(runs: readonly RunJudges[], markdown: boolean, width = 100): string {
  if (runs.every((r) => r.state === 'none')) return '';
  const letter = (i: number) => String.fromCharCode(65 + i);
  const rows = runs.flatMap((r, i) => r.rows.map((row) => ({ run: letter(i), ...judgeRowText(row) })));
  const notes = runs.flatMap((r, i) => {
    const state = judgesStateText(r);
    if (state === null) return [`${letter(i)} (${r.run}): no annotations.`];
    return [`${letter(i)} (${r.run}): ${state}`, ...r.errors.flatMap((e) => judgeErrorsText(e).map((l) => `  ${l}`))];
  });
  const header = ['run', 'name', 'judge', 'n', 'agreement (95% CI)', 'bias (judge − people)', 'disagree'];
  const cells = rows.map((r) => [r.run, r.name, r.judge, r.n, r.agreement, r.bias, r.disagreements]);
  if (markdown) {
    const table =
      rows.length === 0
        ? ''
        : `| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|\n${cells.map((c) => `| ${c.map(escapeMarkdown).join(' | ')} |`).join('\n')}\n\n`;
    return `\n### Judges and people\n\n${table}${notes.map((n) => (n.startsWith('  ') ? `  - ${escapeMarkdown(n.trim())}` : `- ${escapeMarkdown(n)}`)).join('\n')}`;
  }
  // What the other columns take, with the gaps between all seven; name and judge share the rest.
  const widest = (i: number) => Math.max(header[i]!.length, ...cells.map((c) => c[i]!.length));
  const free = Math.max(16, width - [0, 3, 4, 5, 6].reduce((sum, i) => sum + widest(i), 0) - 6 * 2);
  const nameWidth = Math.min(widest(1), Math.max(8, Math.floor(free / 2)));
  const widths: Array<number | undefined> = [undefined, nameWidth, Math.max(8, free - nameWidth)];
  const table =
    rows.length === 0
      ? ''
      : `${formatTable(
          cells,
          header.map((h, i) => ({
            header: h,
            value: (c: string[]) => c[i]!,
            maxWidth: widths[i],
            align: i === 3 ? ('right' as const) : undefined,
          })),
        )}\n`;
  const wrapped = notes.flatMap((n) => (n.startsWith('  ') ? wrapText(n.trim(), width, '  ', '    ') : wrapText(n, width, '', '  ')));
  return `\nJudges and people\n${table}${wrapped.join('\n')}`;
}
