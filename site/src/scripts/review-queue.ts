import type { Trace } from '#schemas/trace.ts';
import type { Queue } from '#schemas/queue.ts';
import { assignReviewers, queueProgress, selectQueueTraces, tracesFor, type QueueJudgement } from '#lib/annotations/queue.ts';
import { queueAnnotationEntries, queueAnnotationsYaml, queueFileName, type QueueDraft } from '#lib/annotations/queue-file.ts';
import { newFileLink } from '#lib/annotations/new-file-url.ts';
import { validateNewAnnotation } from '#lib/annotations/validate-new-annotation.ts';
import { countNoun } from '#lib/text/count-noun.ts';
import type { AnnotateTarget } from '#site/view/annotate-target.ts';
import { queueAgreementText } from '#site/view/queue-agreement-text.ts';
import { queryFromParams, queryRows } from '#site/view/table-query.ts';
import type { RunAnnotationsFile } from '#site/view/run-annotations-file.ts';
import type { RunRows } from '#site/view/run-rows.ts';
import { announce, copiedLabel, copyText } from './copy-text.ts';
import { basePath, h, isTyping, showError } from './dom.ts';
import { shortcutsToggle, singleKeyShortcutsOn } from './single-key-shortcuts.ts';
import { fetchJson } from './fetch-json.ts';
import { fetchRunRows } from './load-run-rows.ts';
import { loadTraceAt } from './trace-loader.ts';
import { valueView } from './value-view.ts';

/** Keys that pick label values, in order over every label field of the queue. */
const VALUE_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

interface QueuePage {
  app: HTMLElement;
  name: string;
  queue: Queue;
  target: AnnotateTarget;
  rows: RunRows;
  ids: string[];
  unknown: string[];
  judgements: QueueJudgement[];
}

/** What a reviewer has typed so far, kept in this browser so a reload loses nothing. */
interface SavedReview {
  drafts: Record<string, QueueDraft>;
  position: number;
}

export function initReviewQueue(): void {
  const app = document.getElementById('queue-app');
  if (!app) return;
  load(app).catch((error: Error) => showError(app, error.message));
}

/**
 * The queue a traces-table filter makes: the traces it shows (the table's query is in the URL),
 * every label and metric experiment.yaml declares, and the names the experiment's annotations
 * already use. Null when there is nothing to collect.
 */
function adhocQueue(rows: RunRows, target: AnnotateTarget): Queue | null {
  const used = (kind: 'metric' | 'label') => target.usedKinds.filter((u) => u.kind === kind).map((u) => u.name);
  const labels = [...Object.keys(target.rules.labels), ...used('label')];
  const metrics = [...Object.keys(target.rules.metrics), ...used('metric')];
  if (labels.length + metrics.length === 0) return null;
  const shown = queryRows(rows, queryFromParams(new URLSearchParams(location.search)));
  return {
    title: 'Traces from a filter',
    run: target.run,
    select: { traces: Array.from(shown, (i) => rows.id[i]!) },
    collect: { labels, metrics },
    reviewers: [],
    overlap: 1,
  };
}

/** A link to this page with one parameter changed, keeping the rest (an ad-hoc queue's filter). */
function withParam(name: string, value: string | null): string {
  const params = new URLSearchParams(location.search);
  if (value === null) params.delete(name);
  else params.set(name, value);
  const search = params.toString();
  return `${location.pathname}${search ? `?${search}` : ''}`;
}

async function load(app: HTMLElement): Promise<void> {
  const target = JSON.parse(app.dataset.annotate!) as AnnotateTarget;
  const [rows, annotations] = await Promise.all([fetchRunRows(app.dataset.rows!), fetchJson<RunAnnotationsFile>(app.dataset.annotations!)]);
  const queue = app.dataset.adhoc ? adhocQueue(rows, target) : (JSON.parse(app.dataset.queue!) as Queue);
  if (!queue) {
    app.replaceChildren(
      h(
        'p',
        { class: 'notice', id: 'queue-nothing' },
        'No label or metric to collect yet: experiment.yaml declares none and no annotation uses one. Declare some under "annotations" in experiment.yaml (see docs/annotations.md), or use "Add metric / label" on a trace.',
      ),
    );
    return;
  }
  if ('traces' in queue.select && queue.select.traces.length === 0) {
    app.replaceChildren(h('p', { class: 'empty', id: 'queue-nothing' }, 'The filter shows no trace.'));
    return;
  }
  const selected = selectQueueTraces(queue.select, {
    ids: rows.id,
    scores: new Map(rows.scores.filter((c) => c.source === 'score').map((c) => [c.name, c.values])),
    disagreements: new Set(rows.disagreements.map((i) => rows.id[i]!)),
    judgeDisagreements: new Set((rows.judgeDisagreements ?? []).map((i) => rows.id[i]!)),
  });
  const page: QueuePage = {
    app,
    name: app.dataset.queueName!,
    queue,
    target,
    rows,
    ids: selected.ids,
    unknown: selected.unknown,
    judgements: annotations.entries.map((e) => ({ trace: e.trace, name: e.name, author: e.author, value: e.value })),
  };
  const reviewer = new URLSearchParams(location.search).get('review');
  if (reviewer) reviewMode(page, reviewer);
  else overview(page);
}

/** The queue at a glance: traces, progress per reviewer, agreement so far, and where to start. */
function overview(page: QueuePage): void {
  const { queue, ids } = page;
  const progress = queueProgress(queue, ids, page.judgements);
  const reviewHref = (name: string) => withParam('review', name);
  const start =
    queue.reviewers.length > 0
      ? null
      : (() => {
          const input = h('input', {
            class: 'input',
            id: 'queue-reviewer',
            autocomplete: 'name',
            maxlength: 100,
            placeholder: 'your name',
            'aria-label': 'Your name',
          });
          try {
            input.value = localStorage.getItem('labbook.annotation-author') ?? '';
          } catch {
            // storage can be off
          }
          const go = h('button', { type: 'button', class: 'btn primary', id: 'queue-start' }, 'Start reviewing');
          go.addEventListener('click', () => {
            if (input.value.trim()) location.assign(reviewHref(input.value.trim()));
            else input.focus();
          });
          return h('div', { class: 'toolbar' }, input, go);
        })();
  const parts: (HTMLElement | null)[] = [
    h('p', { id: 'queue-summary' }, `${ids.length} ${ids.length === 1 ? 'trace' : 'traces'} · ${progress.complete} complete`),
    page.unknown.length > 0
      ? h(
          'p',
          { class: 'notice' },
          `The queue lists ${countNoun(page.unknown.length, 'trace id')} the run does not have: ${page.unknown.slice(0, 5).join(', ')}${page.unknown.length > 5 ? ', …' : ''}`,
        )
      : null,
    ids.length === 0 ? h('p', { class: 'empty' }, 'No trace of the run matches this queue.') : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'queue-progress' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'reviewer'),
            h('th', { scope: 'col', class: 'num' }, 'done'),
            h('th', { scope: 'col', class: 'num' }, 'assigned'),
            h('th', { scope: 'col' }, ''),
          ),
        ),
        h(
          'tbody',
          null,
          ...progress.reviewers.map((r) =>
            h(
              'tr',
              { 'data-reviewer': r.reviewer },
              h('th', { scope: 'row' }, r.reviewer),
              h('td', { class: 'num' }, String(r.done)),
              h('td', { class: 'num' }, String(r.assigned)),
              h('td', null, h('a', { class: 'btn btn-small', href: reviewHref(r.reviewer) }, `review as ${r.reviewer}`)),
            ),
          ),
        ),
      ),
    ),
    start,
    h('h2', null, 'Agreement so far'),
    h(
      'ul',
      { id: 'queue-agreement' },
      ...progress.agreement.map((a) => h('li', null, h('strong', null, a.name), ` — ${queueAgreementText(a)}`)),
    ),
  ];
  page.app.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

function storageKey(page: QueuePage, reviewer: string): string {
  // An ad-hoc queue is its filter: another filter keeps its own progress.
  const filter = page.app.dataset.adhoc ? `?${withParam('review', null).split('?')[1] ?? ''}` : '';
  return `labbook.queue:${page.target.experiment}/${page.name}${filter}/${page.queue.run}/${reviewer}`;
}

function loadSaved(key: string): SavedReview {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as SavedReview | null;
    if (saved && typeof saved === 'object' && saved.drafts && typeof saved.position === 'number') return saved;
  } catch {
    // a broken or missing entry starts the review afresh
  }
  return { drafts: {}, position: 0 };
}

/**
 * The review: one trace at a time beside the form, driven by the keyboard (j/k or arrows move,
 * 1–9 pick a label, m a metric, n the note), every change saved in this browser at once, and
 * at the end one annotation file for all of it.
 */
function reviewMode(page: QueuePage, reviewer: string): void {
  const { queue, target } = page;
  // Reviewing is not the overview: the title says whose review this is, for tabs and screen readers.
  document.title = `Reviewing as ${reviewer} · ${document.title}`;
  const mine = tracesFor(reviewer, page.ids, assignReviewers(page.ids, queue.reviewers, queue.overlap));
  const key = storageKey(page, reviewer);
  const saved = loadSaved(key);
  const save = () => {
    try {
      localStorage.setItem(key, JSON.stringify(saved));
    } catch {
      status.textContent = 'This browser does not keep the review; finish it before you leave the page.';
    }
  };
  try {
    localStorage.setItem('labbook.annotation-author', reviewer);
  } catch {
    // storage can be off
  }
  const names = [...queue.collect.labels, ...queue.collect.metrics];
  const rowOf = new Map(page.rows.id.map((id, i) => [id, i]));
  const seenLabels = (name: string) =>
    [...new Set(page.judgements.filter((j) => j.name === name && typeof j.value === 'string').map((j) => String(j.value)))].sort();
  const labelValues = queue.collect.labels.map((name) => ({ name, values: target.rules.labels[name] ?? seenLabels(name) }));
  const keyed: { name: string; value: string; key: string }[] = [];
  for (const field of labelValues)
    for (const value of field.values)
      if (keyed.length < VALUE_KEYS.length) keyed.push({ name: field.name, value, key: VALUE_KEYS[keyed.length]! });

  const status = h('p', { class: 'count', id: 'review-status', 'aria-live': 'polite' });
  const traceHost = h('div', { class: 'review-trace', id: 'review-trace' });
  const form = h('form', { class: 'review-form', id: 'review-form', 'aria-label': 'Your judgement' });
  const finish = h('section', { class: 'section', id: 'review-finish', 'aria-labelledby': 'review-finish-title' });
  const prev = h('button', { type: 'button', class: 'btn', id: 'review-prev' }, '← previous (k)');
  const next = h('button', { type: 'button', class: 'btn', id: 'review-next' }, 'next (j) →');
  page.app.replaceChildren(
    ...[
      h('div', { class: 'toolbar' }, h('a', { class: 'btn', href: withParam('review', null) }, 'queue overview'), prev, next, status),
      h(
        'p',
        { class: 'keys-help' },
        h('kbd', null, 'j'),
        '/',
        h('kbd', null, 'k'),
        ' next/previous · ',
        h('kbd', null, '1'),
        '–',
        h('kbd', null, '9'),
        ' pick a label · ',
        h('kbd', null, 'm'),
        ' metric · ',
        h('kbd', null, 'n'),
        ' note · ',
        h('kbd', null, 'Esc'),
        ' back to the keys',
        shortcutsToggle(),
      ),
      mine.length === 0
        ? h('p', { class: 'empty' }, `No trace of this queue is assigned to ${reviewer}.`)
        : h('div', { class: 'review-split' }, traceHost, form),
      finish,
    ],
  );
  if (mine.length === 0) return;

  let position = Math.min(Math.max(0, saved.position), mine.length - 1);
  const draftOf = (trace: string): QueueDraft => (saved.drafts[trace] ??= { trace, values: {} });
  const judged = () => mine.filter((id) => names.every((n) => saved.drafts[id]?.values[n] !== undefined)).length;

  const show = async () => {
    const id = mine[position]!;
    saved.position = position;
    save();
    status.textContent = `${reviewer} · trace ${position + 1} of ${mine.length} · ${judged()} judged`;
    prev.disabled = position === 0;
    next.disabled = position === mine.length - 1;
    renderForm(id);
    traceHost.replaceChildren(h('p', { class: 'loading' }, 'Loading the trace…'));
    const trace = await loadTraceAt(target.experiment, target.run, rowOf.get(id)!);
    if (mine[position] === id)
      traceHost.replaceChildren(traceView(trace, `${basePath()}${page.app.dataset.tracePage}?id=${encodeURIComponent(id)}`));
  };

  const renderForm = (id: string) => {
    const draft = draftOf(id);
    const fields: HTMLElement[] = [h('h2', { tabindex: -1 }, 'Your judgement'), h('p', { class: 'mono faint' }, id)];
    for (const field of labelValues) {
      const buttons = field.values.map((value) => {
        const k = keyed.find((x) => x.name === field.name && x.value === value)?.key;
        const button = h(
          'button',
          {
            type: 'button',
            class: 'btn review-choice',
            'aria-pressed': String(draft.values[field.name] === value),
            'data-name': field.name,
            'data-value': value,
          },
          k ? h('kbd', null, k) : null,
          ` ${value}`,
        );
        button.addEventListener('click', () => choose(field.name, value));
        return button;
      });
      const free =
        field.values.length === 0
          ? h('input', {
              class: 'input',
              'data-name': field.name,
              'aria-label': field.name,
              maxlength: 200,
              value: typeof draft.values[field.name] === 'string' ? String(draft.values[field.name]) : '',
            })
          : null;
      free?.addEventListener('change', () => setValue(field.name, free.value.trim() || undefined));
      fields.push(h('fieldset', { class: 'review-field' }, h('legend', null, field.name), ...buttons, free));
    }
    for (const name of queue.collect.metrics) {
      const rule = target.rules.metrics[name];
      const input = h('input', {
        class: 'input review-metric',
        type: 'number',
        step: 'any',
        'data-name': name,
        id: `metric-${name}`,
        ...(rule?.min !== undefined ? { min: rule.min } : {}),
        ...(rule?.max !== undefined ? { max: rule.max } : {}),
        value: typeof draft.values[name] === 'number' ? String(draft.values[name]) : '',
      });
      input.addEventListener('change', () => setValue(name, input.value === '' ? undefined : Number(input.value)));
      fields.push(
        h(
          'label',
          { class: 'review-field', for: `metric-${name}` },
          h('span', null, name, rule ? h('span', { class: 'faint' }, ` (${rule.min ?? '−∞'} to ${rule.max ?? '∞'})`) : null),
          input,
        ),
      );
    }
    const note = h('textarea', { class: 'input', id: 'review-note', rows: 3, maxlength: 5000 });
    note.value = draft.note ?? '';
    note.addEventListener('input', () => {
      draft.note = note.value || undefined;
      save();
      renderFinish();
    });
    fields.push(h('label', { class: 'review-field', for: 'review-note' }, h('span', null, 'note'), note));
    fields.push(h('ul', { class: 'annotate-issues', id: 'review-issues', 'aria-live': 'polite' }));
    // The form is made anew for each trace: a control that had focus hands it to its
    // counterpart in the new form (the same label's button, metric or note), not to the page.
    const had = form.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
    const counterpart =
      had &&
      (had.dataset.value !== undefined
        ? `[data-name="${CSS.escape(had.dataset.name ?? '')}"][data-value="${CSS.escape(had.dataset.value)}"]`
        : had.id
          ? `#${CSS.escape(had.id)}`
          : null);
    form.replaceChildren(...fields);
    if (had) (form.querySelector<HTMLElement>(counterpart ?? 'h2') ?? form.querySelector<HTMLElement>('h2'))?.focus();
    checkDraft(id);
  };

  const checkDraft = (id: string) => {
    const issues = queueAnnotationEntries(target.run, reviewer, new Date().toISOString(), [draftOf(id)], names).flatMap((entry) =>
      validateNewAnnotation(entry, target.rules).map((issue) => `${entry.name}: ${issue.message}`),
    );
    document.getElementById('review-issues')?.replaceChildren(...issues.map((text) => h('li', null, text)));
  };

  const setValue = (name: string, value: number | string | undefined) => {
    const id = mine[position]!;
    const draft = draftOf(id);
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) delete draft.values[name];
    else draft.values[name] = value;
    save();
    status.textContent = `${reviewer} · trace ${position + 1} of ${mine.length} · ${judged()} judged`;
    checkDraft(id);
    renderFinish();
  };

  const choose = (name: string, value: string) => {
    setValue(name, value);
    for (const button of form.querySelectorAll<HTMLButtonElement>(`button.review-choice`)) {
      if (button.dataset.name === name) button.setAttribute('aria-pressed', String(button.dataset.value === value));
    }
    announce(`${name}: ${value}`);
  };

  const move = (step: number) => {
    const to = position + step;
    if (to < 0 || to >= mine.length) return;
    position = to;
    void show();
  };
  prev.addEventListener('click', () => move(-1));
  next.addEventListener('click', () => move(1));

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    if (event.key === 'Escape' && (target.matches('input, textarea') || isTyping(event))) {
      target.blur();
      return;
    }
    if (isTyping(event) || target.matches('input, textarea, select') || !singleKeyShortcutsOn()) return;
    const pick = keyed.find((x) => x.key === event.key);
    if (pick) {
      event.preventDefault();
      choose(pick.name, pick.value);
    } else if (event.key === 'j' || event.key === 'ArrowRight') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'k' || event.key === 'ArrowLeft') {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'm') {
      event.preventDefault();
      form.querySelector<HTMLInputElement>('input.review-metric')?.focus();
    } else if (event.key === 'n') {
      event.preventDefault();
      form.querySelector<HTMLTextAreaElement>('#review-note')?.focus();
    }
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('keydown', (event) => {
    // Enter in a metric box confirms it and hands the keys back to the review.
    if (event.key === 'Enter' && (event.target as HTMLElement).matches('input')) {
      event.preventDefault();
      (event.target as HTMLInputElement).dispatchEvent(new Event('change'));
      (event.target as HTMLInputElement).blur();
    }
  });

  /** The annotation file of everything judged so far, and the ways to hand it in. */
  let fileAt = new Date();
  const fileName = queueFileName(reviewer, fileAt);
  // The download link's object URL is remade on every change; the previous one is let go.
  let downloadUrl = '';
  const renderFinish = () => {
    fileAt = new Date();
    const drafts = mine.map((id) => saved.drafts[id]).filter((d): d is QueueDraft => d !== undefined);
    const entries = queueAnnotationEntries(target.run, reviewer, fileAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), drafts, names);
    const invalid = entries.filter((entry) => validateNewAnnotation(entry, target.rules).some((issue) => issue.severity === 'error'));
    const yaml = queueAnnotationsYaml(
      queue.title ?? page.name,
      entries.filter((e) => !invalid.includes(e)),
    );
    const link = newFileLink({
      repository: target.repository,
      serverUrl: target.serverUrl,
      branch: target.branch,
      dataPath: target.dataPath,
      experiment: target.experiment,
      fileName,
      yaml,
    });
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
    const download = h('a', { class: 'btn', id: 'review-download', download: fileName, href: downloadUrl }, `Download ${fileName}`);
    const copy = h('button', { type: 'button', class: 'btn', id: 'review-copy' }, 'Copy YAML');
    copy.addEventListener(
      'click',
      () => void copyText(yaml, document.getElementById('review-yaml')).then((result) => (copy.textContent = copiedLabel(result))),
    );
    const folder = link.folder;
    const commands = [
      `git switch ${target.branch} && git pull`,
      `mv ~/Downloads/${fileName} ${folder}/`,
      `git switch -c annotations/${fileName.replace(/\.yaml$/, '')}`,
      `git add ${folder}/${fileName} && git commit -m "Annotations from the ${page.name} queue"`,
      `gh pr create --base ${target.branch} --fill`,
      `# or add them to your own annotations file: labbook annotate --from ~/Downloads/${fileName}`,
    ].join('\n');
    finish.replaceChildren(
      h('h2', { id: 'review-finish-title' }, 'Hand in your judgements'),
      h(
        'p',
        { id: 'review-count' },
        `${entries.length} ${entries.length === 1 ? 'annotation' : 'annotations'} on ${drafts.filter((d) => Object.keys(d.values).length > 0).length} of ${mine.length} traces${invalid.length > 0 ? `; ${invalid.length} with a problem are left out until fixed` : ''}.`,
      ),
      h(
        'div',
        { class: 'toolbar' },
        link.kind === 'url'
          ? h(
              'a',
              { class: 'btn primary', id: 'review-propose', href: link.url, target: '_blank', rel: 'noopener noreferrer' },
              'Propose on GitHub (one pull request)',
            )
          : null,
        download,
        copy,
      ),
      link.kind === 'fallback'
        ? h(
            'p',
            { class: 'muted' },
            link.reason === 'too-long'
              ? 'Too many judgements for a GitHub link: download the file, then run:'
              : 'This site does not know its repository: download the file, then run:',
          )
        : h('p', { class: 'muted' }, 'Or download the file and run:'),
      h('pre', { class: 'code-block', id: 'review-commands' }, commands),
      h('details', null, h('summary', null, 'The file'), h('pre', { class: 'code-block', id: 'review-yaml' }, yaml)),
    );
  };
  renderFinish();
  void show();
}

/** The trace as a reviewer needs it: input, output, expected, and the automated scores. */
function traceView(trace: Trace, href: string): HTMLElement {
  const panel = (title: string, value: unknown) =>
    h(
      'section',
      { class: 'panel', 'aria-label': title },
      h('header', null, title),
      h(
        'div',
        { class: 'body' },
        value === undefined || value === null ? h('span', { class: 'muted' }, '(none)') : valueView(value, title),
      ),
    );
  return h(
    'div',
    null,
    h(
      'p',
      null,
      h('a', { href, target: '_blank', rel: 'noopener' }, 'open the full trace'),
      trace.status === 'error' ? h('span', { class: 'badge fail' }, ' error') : null,
    ),
    panel('Input', trace.input),
    panel('Output', trace.output ?? trace.error),
    trace.expected !== undefined ? panel('Expected', trace.expected) : null,
    trace.scores.length > 0
      ? h(
          'ul',
          { class: 'review-scores', 'aria-label': 'automated scores' },
          ...trace.scores.map((s) =>
            h(
              'li',
              null,
              h('strong', null, s.name),
              ` ${s.value === null ? '—' : typeof s.value === 'boolean' ? (s.value ? 'pass' : 'fail') : String(s.value)}`,
              s.rationale ? h('span', { class: 'faint' }, ` — ${s.rationale}`) : null,
            ),
          ),
        )
      : null,
  );
}
