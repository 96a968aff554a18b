import { formatLocation } from '../errors/index.ts';
import type { AddedAnnotation } from './annotation-changes.ts';
import type { AnnotationCheckReport } from './check-annotations.ts';
import { httpUrl, linkPart, markdownText } from './markdown-text.ts';
import { countNoun } from '../text/count-noun.ts';

/** The hidden line the commenter finds its own comment by. */
export const PREVIEW_MARKER = '<!-- labbook:annotations-preview -->';

/**
 * Characters spent on annotation rows and on problems before the rest are summed up in one
 * line: a comment must stay under GitHub's 65,536 characters, whatever the files hold.
 */
const ROWS_BUDGET = 36_000;
const PROBLEMS_BUDGET = 20_000;

interface PreviewContext {
  /** `owner/repo`, for links to the files at the pull request's head. */
  repository?: string;
  /** The pull request's head commit. */
  sha?: string;
  serverUrl?: string;
  /** The published site, for links to the traces. */
  siteUrl?: string;
}

interface PreviewRow {
  run: string;
  trace: string;
  traceLink: string | null;
  name: string;
  value: string;
  author: string;
  note: string;
  where: string;
  whereLink: string | null;
}

/** A recorded judgement the change edits: the row of an added one, and what it was before. */
interface PreviewChangedRow extends PreviewRow {
  before: string;
}

interface PreviewProblem {
  icon: string;
  where: string;
  whereLink: string | null;
  message: string;
}

/** Everything the template shows, as final Markdown: escaped by `markdownText`, links from validated parts. */
interface PreviewView {
  marker: string;
  ok: boolean;
  headline: string;
  /** Edited judgements, shown first: an edit rewrites what someone said, an addition does not. */
  changedRows: PreviewChangedRow[];
  moreChangedRows: number;
  rows: PreviewRow[];
  moreRows: number;
  problems: PreviewProblem[];
  moreProblems: number;
  summary: string;
  base: string | null;
}

const shownValue = (value: number | string) => (typeof value === 'number' ? String(value) : value);

/** Maps items in order until their rendered strings would pass `budget` characters. */
function withinBudget<T, R extends object>(items: readonly T[], budget: number, map: (item: T) => R): R[] {
  const out: R[] = [];
  let spent = 0;
  for (const item of items) {
    const row = map(item);
    spent += Object.values(row).reduce((n: number, v) => n + (typeof v === 'string' ? v.length : 0), 16);
    if (spent > budget) break;
    out.push(row);
  }
  return out;
}

/**
 * The pull request comment's view model, built from `labbook annotations check --json`'s
 * report alone (the commenter never reads the pull request's files). Every string that came
 * from an annotation file passes through `markdownText`; links are built from validated parts.
 */
export function buildPreviewView(report: AnnotationCheckReport, context: PreviewContext = {}): PreviewView {
  const repo = context.repository && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(context.repository) ? context.repository : null;
  const sha = context.sha && /^[0-9a-f]{7,64}$/i.test(context.sha) ? context.sha : null;
  const server = (httpUrl(context.serverUrl) ?? 'https://github.com/').replace(/\/+$/, '');
  const site = httpUrl(context.siteUrl);
  const fileLink = (path: string, line?: number) =>
    repo && sha && !path.startsWith('/') && !path.startsWith('..')
      ? `${server}/${repo}/blob/${sha}/${path.split('/').map(linkPart).join('/')}${line ? `#L${line}` : ''}`
      : null;
  // the site's trace page (site/view/site-paths.ts: experiments/<e>/runs/<r>/trace/?id=<trace>)
  const traceLink = (experiment: string, run: string, trace: string) =>
    site ? `${site.replace(/\/+$/, '')}/experiments/${linkPart(experiment)}/runs/${linkPart(run)}/trace/?id=${linkPart(trace)}` : null;

  const added = report.changes?.added ?? [];
  // Reports written before edits were told apart have no `changed`.
  const changed = report.changes?.changed ?? [];
  const row = (a: AddedAnnotation): PreviewRow => ({
    run: markdownText(a.run, 60),
    trace: markdownText(a.trace, 60),
    traceLink: traceLink(a.experiment, a.run, a.trace),
    name: markdownText(a.name, 60),
    value: markdownText(shownValue(a.value), 60),
    author: markdownText(a.author, 60),
    note: a.note ? markdownText(a.note, 140) : '',
    where: markdownText(`${a.path}:${a.line}`, 120),
    whereLink: fileLink(a.path, a.line),
  });
  const changedRows = withinBudget(changed, ROWS_BUDGET / 2, (c): PreviewChangedRow => ({
    ...row(c),
    before: markdownText(shownValue(c.before.value), 60),
  }));
  const rows = withinBudget(added, ROWS_BUDGET / (changed.length > 0 ? 2 : 1), row);
  const sorted = [...report.problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const problems = withinBudget(sorted, PROBLEMS_BUDGET, (p): PreviewProblem => ({
    icon: p.severity === 'error' ? '❌' : '⚠️',
    where: markdownText(formatLocation(p), 120),
    whereLink: fileLink(p.file, p.line),
    message: markdownText(`${p.field ? `${p.field}: ` : ''}${p.message}`, 400),
  }));
  const headline = !report.ok
    ? `❌ ${countNoun(report.errors, 'error')}: fix them before merging`
    : changed.length > 0
      ? `⚠️ ${countNoun(changed.length, 'recorded judgement')} changed${added.length > 0 ? ` and ${countNoun(added.length, 'annotation')} added` : ''}: only a judgement's author may change it; confirm each change below with its author before merging`
      : `✅ ${countNoun(added.length, 'annotation')} added, all pass the check`;
  const parts = [
    countNoun(report.files, 'file'),
    `${countNoun(report.entries, 'valid annotation')} in the checked folders`,
    countNoun(report.errors, 'error'),
    countNoun(report.warnings, 'warning'),
  ];
  if (report.changes && report.changes.removed > 0)
    parts.push(`${countNoun(report.changes.removed, 'earlier entry', 'earlier entries')} edited or removed`);
  return {
    marker: PREVIEW_MARKER,
    ok: report.ok,
    headline,
    changedRows,
    moreChangedRows: Math.max(0, changed.length - changedRows.length),
    rows,
    moreRows: Math.max(0, added.length - rows.length),
    problems,
    moreProblems: Math.max(0, report.problems.length - problems.length),
    summary: parts.join(' · '),
    base: report.changes ? markdownText(report.changes.base, 80) : null,
  };
}
