import type { Span } from '#schemas/span.ts';
import { spanToolName } from '#lib/aggregate/tool-name.ts';
import { formatCost, formatCount, formatMs } from '#site/view/format.ts';
import { h } from './dom.ts';
import { retrievedDocuments, type RetrievedDocument } from './documents.ts';
import { callView, jsonView, valueView } from './value-view.ts';

/** Characters of a document shown before "show all". */
const PREVIEW = 280;

/** Retrieved documents as cards: rank, title or id, score, and the start of the text. */
function documentCards(documents: RetrievedDocument[]): HTMLElement {
  return h(
    'ol',
    { class: 'doc-cards', 'aria-label': `${documents.length} retrieved documents` },
    ...documents.map((d, i) => {
      const text = h('p', { class: 'doc-text' }, d.text.length > PREVIEW ? `${d.text.slice(0, PREVIEW)}…` : d.text);
      const more =
        d.text.length > PREVIEW ? h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false' }, 'show all') : null;
      more?.addEventListener('click', () => {
        const open = more.getAttribute('aria-expanded') === 'true';
        text.textContent = open ? `${d.text.slice(0, PREVIEW)}…` : d.text;
        more.setAttribute('aria-expanded', String(!open));
        more.textContent = open ? 'show all' : 'show less';
      });
      return h(
        'li',
        { class: 'doc-card' },
        h(
          'div',
          { class: 'doc-head' },
          h('span', { class: 'doc-rank' }, `#${i + 1}`),
          h('strong', { class: 'doc-title' }, d.title ?? d.id ?? `document ${i + 1}`),
          d.title && d.id ? h('span', { class: 'mono faint' }, d.id) : null,
          d.score !== null
            ? h('span', { class: 'badge', title: 'score as the retriever reported it' }, `score ${Number(d.score.toPrecision(3))}`)
            : null,
        ),
        text,
        more,
      );
    }),
  );
}

function kv(entries: [string, Node | string | null | undefined][]): HTMLElement {
  const dl = h('dl', { class: 'kv' });
  for (const [key, value] of entries) {
    if (value === null || value === undefined || value === '') continue;
    dl.append(h('dt', null, key), h('dd', null, value));
  }
  return dl;
}

function block(title: string, content: Node): HTMLElement {
  return h('div', { class: 'value-block' }, h('h3', null, title), content);
}

/** Text of several lines (a stack trace, a prompt) keeps its lines, wrapped to the panel. */
function attributeValue(value: unknown): Node | string {
  return typeof value === 'string' && value.includes('\n') ? h('pre', { class: 'text-value' }, value) : compact(value);
}

function compact(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * The selected span: what it is, what it cost, and what went in and out — chat as a
 * conversation, a tool call as a call — then attributes, events and the raw JSON.
 */
export function spanDetail(span: Span, traceStart: number): HTMLElement {
  const usage = span.usage;
  const tokens = usage
    ? `${formatCount(usage.input)} in · ${formatCount(usage.output)} out · ${formatCount(usage.total ?? usage.input + usage.output)} total${usage.cached ? ` · ${formatCount(usage.cached)} cached` : ''}${usage.simulated ? ' (estimated)' : ''}`
    : null;
  const body = h(
    'div',
    { class: 'body' },
    kv([
      ['Duration', formatMs(span.end - span.start)],
      ['Starts at', `+${formatMs(span.start - traceStart)}`],
      ['Span id', h('span', { class: 'mono' }, span.id)],
      ['Parent', span.parentId ? h('span', { class: 'mono' }, span.parentId) : null],
      ['Model', span.model],
      ['Tokens', tokens],
      ['Cost', span.cost ? formatCost(span.cost.total) : null],
    ]),
  );
  if (span.error) body.append(h('pre', { class: 'error-box', role: 'note', 'aria-label': 'span error' }, span.error));
  if (span.type === 'TOOL') body.append(block('Call', callView(spanToolName(span), span.inputs ?? {}, null, span.outputs)));
  if (span.inputs !== undefined) body.append(block('Inputs', valueView(span.inputs, 'span inputs')));
  const documents = span.outputs !== undefined ? retrievedDocuments(span.outputs) : null;
  if (documents) {
    body.append(block('Retrieved documents', documentCards(documents)));
    const rawOutputs = h('details', null, h('summary', null, 'Outputs as JSON'), valueView(span.outputs, 'span outputs'));
    body.append(rawOutputs);
  } else if (span.outputs !== undefined) body.append(block('Outputs', valueView(span.outputs, 'span outputs')));
  if (span.attributes && Object.keys(span.attributes).length > 0) {
    body.append(block('Attributes', kv(Object.entries(span.attributes).map(([k, v]) => [k, attributeValue(v)]))));
  }
  if (span.events && span.events.length > 0) {
    body.append(
      block(
        'Events',
        h(
          'ul',
          null,
          ...span.events.map((e) =>
            h(
              'li',
              null,
              h('strong', null, e.name),
              ` +${formatMs(e.time - span.start)}`,
              e.attributes ? kv(Object.entries(e.attributes).map(([k, v]) => [k, attributeValue(v)])) : null,
            ),
          ),
        ),
      ),
    );
  }
  const raw = h('details', null, h('summary', null, 'Raw span JSON'));
  raw.addEventListener(
    'toggle',
    () => {
      if (raw.open && raw.childElementCount === 1) raw.append(jsonView(span, 'raw span JSON'));
    },
    { once: false },
  );
  body.append(raw);
  return h(
    'section',
    { class: 'panel detail', 'aria-label': 'Selected span' },
    h(
      'header',
      null,
      h('span', { class: `type ${span.type}` }, span.type),
      h('h2', null, span.name || span.id),
      h('span', { class: `badge ${span.status === 'error' ? 'error' : 'ok'}` }, span.status),
    ),
    body,
  );
}
