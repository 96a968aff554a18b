import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seeded } from './trace-lines.ts';
import { vocabulary, zipfWord } from './vocabulary.ts';

export interface OtlpGeneratorOptions {
  /** Spans in all. */
  spans: number;
  /** Spans per trace; `spans` for one trace holding everything. */
  spansPerTrace: number;
  /** Spans per JSON Lines record (one `ExportTraceServiceRequest` per line, as the Collector writes). */
  spansPerRequest?: number;
  /** Each span's parent is the span before it (a chain as deep as the trace) instead of the root. */
  chain?: boolean;
}

/**
 * Writes synthetic OTLP JSON Lines shaped like a real GenAI agent's: per trace an AGENT root
 * (OpenInference, with input and output values), then alternating chat model calls (GenAI
 * conventions: operation, models, token usage, input and output messages) and tool calls
 * (`execute_tool` with arguments and result). Ids are hex, times nanosecond strings, as the
 * OTLP JSON mapping prescribes. Questions, answers and tool arguments are sentences drawn from
 * a 5,000-word vocabulary with a Zipf-like frequency, so neither JSON.parse's string handling
 * nor a compressor is flattered by repetition. Deterministic, so runs of the benchmark compare.
 */
export async function writeOtlpJsonl(file: string, options: OtlpGeneratorOptions): Promise<{ bytes: number; traces: number }> {
  const perRequest = options.spansPerRequest ?? 1000;
  const out = createWriteStream(file);
  let bytes = 0;
  let buffer: string[] = [];
  let traces = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const line = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bench-agent"}}]},"scopeSpans":[{"scope":{"name":"bench"},"spans":[${buffer.join(',')}]}]}]}\n`;
    buffer = [];
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  const base = 1_750_000_000_000; // ms
  const text = variedText(11);
  for (let i = 0; i < options.spans; i++) {
    const traceIndex = Math.floor(i / options.spansPerTrace);
    const inTrace = i % options.spansPerTrace;
    if (inTrace === 0) traces++;
    const traceId = hex(traceIndex + 1, 32);
    const spanId = hex(i + 1, 16);
    const parentId = inTrace === 0 ? '' : hex(options.chain ? i : i - inTrace + 1, 16);
    const startMs = base + traceIndex * 10_000 + inTrace;
    const start = `${startMs}${String((i * 7919) % 1_000_000).padStart(6, '0')}`;
    const end = `${startMs + 1}000000`;
    buffer.push(spanJson(inTrace, traceIndex, traceId, spanId, parentId, start, end, text));
    if (buffer.length >= perRequest) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { bytes, traces };
}

/** Sentences of words made of syllables, frequent words favoured as in real text; one question per trace. */
function variedText(seed: number): { sentence: (min: number, max: number) => string; question: (trace: number) => string } {
  const random = seeded(seed);
  const words = vocabulary(random, 5000, 4);
  const sentence = (min: number, max: number) => {
    let out = '';
    for (let i = 0, n = min + Math.floor(random() * (max - min)); i < n; i++) out += (i === 0 ? '' : ' ') + zipfWord(words, random);
    return out;
  };
  let lastTrace = -1;
  let lastQuestion = '';
  const question = (trace: number) => {
    if (trace !== lastTrace) {
      lastTrace = trace;
      lastQuestion = `${sentence(6, 20)}?`;
    }
    return lastQuestion;
  };
  return { sentence, question };
}

function spanJson(
  inTrace: number,
  traceIndex: number,
  traceId: string,
  spanId: string,
  parentId: string,
  start: string,
  end: string,
  text: ReturnType<typeof variedText>,
): string {
  const head = `"traceId":"${traceId}","spanId":"${spanId}","parentSpanId":"${parentId}","startTimeUnixNano":"${start}","endTimeUnixNano":"${end}"`;
  if (inTrace === 0) {
    const question = JSON.stringify(JSON.stringify({ question: text.question(traceIndex) }));
    return `{${head},"name":"agent","kind":1,"status":{"code":1},"attributes":[${kv('openinference.span.kind', 'AGENT')},{"key":"input.value","value":{"stringValue":${question}}},${kv('input.mime_type', 'application/json')},${kv('output.value', `${text.sentence(5, 25)}.`)}]}`;
  }
  if (inTrace % 2 === 1) {
    const messages = JSON.stringify(JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text.question(traceIndex) }] }]));
    const answer = JSON.stringify(
      JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `${text.sentence(4, 30)}.` }], finish_reason: 'stop' }]),
    );
    return `{${head},"name":"chat gpt-4o-mini","kind":3,"attributes":[${kv('gen_ai.operation.name', 'chat')},${kv('gen_ai.provider.name', 'openai')},${kv('gen_ai.request.model', 'gpt-4o-mini')},${kv('gen_ai.response.model', 'gpt-4o-mini-2024-07-18')},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"${120 + (traceIndex % 50)}"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"${8 + (inTrace % 5)}"}},{"key":"gen_ai.input.messages","value":{"stringValue":${messages}}},{"key":"gen_ai.output.messages","value":{"stringValue":${answer}}}]}`;
  }
  return `{${head},"name":"execute_tool calculator","kind":1,"attributes":[${kv('gen_ai.operation.name', 'execute_tool')},${kv('gen_ai.tool.name', 'calculator')},${kv('gen_ai.tool.call.id', `call_${spanId}`)},${kv('gen_ai.tool.call.arguments', JSON.stringify({ query: text.sentence(2, 8), limit: 1 + (traceIndex % 20) }))},${kv('gen_ai.tool.call.result', text.sentence(3, 40))}]}`;
}

function kv(key: string, value: string): string {
  return `{"key":"${key}","value":{"stringValue":${JSON.stringify(value)}}}`;
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}
