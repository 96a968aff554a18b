import { formatTable } from '../text/format-table.ts';
import type { ComparisonRow, ComparisonView } from './comparison-view.ts';

const COLUMNS: Array<{ header: string; key: keyof ComparisonRow; right?: boolean; maxWidth?: number }> = [
  { header: 'metric', key: 'metric', maxWidth: 28 },
  { header: 'kind', key: 'kind' },
  { header: 'direction', key: 'direction' },
  { header: 'run', key: 'run' },
  { header: 'n', key: 'n', right: true },
  { header: 'mean [95% CI]', key: 'mean', maxWidth: 40 },
  { header: 'Δ [95% CI]', key: 'delta', maxWidth: 44 },
  { header: 'test', key: 'test' },
  { header: 'p', key: 'p', right: true },
  { header: 'p (Holm)', key: 'pAdjusted', right: true },
  { header: 'verdict', key: 'verdict' },
];

/** The comparison for a terminal: legend, table, then alignment, config changes and warnings. */
export function renderComparisonText(view: ComparisonView): string {
  const table = formatTable(
    view.rows,
    COLUMNS.map((c) => ({
      header: c.header,
      value: (r: ComparisonRow) => r[c.key],
      align: c.right ? ('right' as const) : ('left' as const),
      maxWidth: c.maxWidth,
    })),
  );
  const sections = [
    view.title,
    view.legend.map((l) => `  ${l.letter}  ${l.run}  ${l.detail}`).join('\n'),
    table,
    view.footnote,
    `alignment\n${view.alignment.map((l) => `  ${l}`).join('\n')}`,
  ];
  if (view.gates.length > 0) sections.push(`non-inferiority\n${view.gates.map((l) => `  ${l}`).join('\n')}`);
  if (view.config.length > 0) sections.push(`config\n${view.config.map((l) => `  ${l}`).join('\n')}`);
  if (view.warnings.length > 0) sections.push(`warnings\n${view.warnings.map((l) => `  ! ${l}`).join('\n')}`);
  return sections.join('\n\n');
}

/** The same content as GitHub-flavoured markdown (a pull-request comment or a report). */
export function renderComparisonMarkdown(view: ComparisonView): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const header = `| ${COLUMNS.map((c) => c.header).join(' | ')} |`;
  const rule = `|${COLUMNS.map((c) => (c.right ? ' ---: ' : ' --- ')).join('|')}|`;
  const body = view.rows.map((r) => `| ${COLUMNS.map((c) => cell(r[c.key])).join(' | ')} |`);
  const list = (lines: string[]) => lines.map((l) => `- ${cell(l)}`).join('\n');
  const parts = [
    `### ${cell(view.title)}`,
    list(view.legend.map((l) => `**${l.letter}** \`${l.run}\` ${l.detail}`)),
    [header, rule, ...body].join('\n'),
    `<sub>${cell(view.footnote)}</sub>`,
    `**Alignment**\n\n${list(view.alignment)}`,
  ];
  if (view.gates.length > 0) parts.push(`**Non-inferiority**\n\n${list(view.gates)}`);
  if (view.config.length > 0) parts.push(`**Config changes**\n\n${list(view.config)}`);
  if (view.warnings.length > 0) parts.push(`**Warnings**\n\n${list(view.warnings)}`);
  return `${parts.join('\n\n')}\n`;
}
