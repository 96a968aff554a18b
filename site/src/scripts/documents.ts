/**
 * Retrieved documents, recognised in a span's outputs whatever the framework called their
 * fields, so the trace view can show them as cards (title, score, text) instead of raw JSON.
 * Pure: the trace page calls it in the browser; tests call it in Node.
 */
export interface RetrievedDocument {
  title: string | null;
  id: string | null;
  score: number | null;
  text: string;
}

const TEXT_KEYS = ['text', 'content', 'page_content', 'pageContent', 'document', 'snippet', 'chunk', 'body'];
const TITLE_KEYS = ['title', 'name', 'source', 'url', 'path', 'file'];
const ID_KEYS = ['id', 'doc_id', 'document_id', 'documentId'];
const SCORE_KEYS = ['score', 'relevance', 'relevance_score', 'similarity', 'distance'];
const LIST_KEYS = ['documents', 'docs', 'results', 'retrieved', 'hits', 'chunks', 'matches', 'sources'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function first<T>(record: Record<string, unknown>, keys: readonly string[], accept: (value: unknown) => value is T): T | null {
  for (const key of keys) if (accept(record[key])) return record[key] as T;
  return null;
}
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isScore = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isLabel = (value: unknown): value is string | number => (typeof value === 'string' && value.length > 0) || typeof value === 'number';

function documentOf(value: unknown): RetrievedDocument | null {
  if (!isRecord(value)) return null;
  // LangChain-style `{ page_content, metadata }` and OpenInference's `{ document: { content, … } }`.
  const inner = isRecord(value.document) ? value.document : value;
  const metadata = isRecord(inner.metadata) ? inner.metadata : {};
  const text = first(inner, TEXT_KEYS, isText);
  if (text === null) return null;
  const title = first(inner, TITLE_KEYS, isLabel) ?? first(metadata, TITLE_KEYS, isLabel);
  const id = first(inner, ID_KEYS, isLabel) ?? first(metadata, ID_KEYS, isLabel);
  const score = first(value, SCORE_KEYS, isScore) ?? first(inner, SCORE_KEYS, isScore);
  return { title: title === null ? null : String(title), id: id === null ? null : String(id), score, text };
}

/** The documents in `value`, or null when it does not look like a list of documents. */
export function retrievedDocuments(value: unknown): RetrievedDocument[] | null {
  let list: unknown = value;
  if (isRecord(value)) list = LIST_KEYS.map((key) => value[key]).find(Array.isArray);
  if (!Array.isArray(list) || list.length === 0) return null;
  const documents: RetrievedDocument[] = [];
  for (const item of list) {
    const document = documentOf(item);
    if (!document) return null;
    documents.push(document);
  }
  return documents;
}
