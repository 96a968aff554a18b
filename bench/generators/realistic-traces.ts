import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { TraceInput } from '../../schemas/trace.ts';
import { seeded } from './trace-lines.ts';
import { vocabulary, zipfWord } from './vocabulary.ts';

/**
 * Traces shaped like a real retrieval agent's, 15–30 KB each: 3–4 LLM calls that each resend the
 * chat so far (a 2.3 KB system prompt and the tool schemas in every call), retrieved documents
 * quoted into the context, tool calls with arguments and results. Text is drawn word by word from
 * a 20,000-word vocabulary with a Zipf-like frequency and documents from a corpus of 20,000, so
 * gzip sees realistic repetition (the shared prompt, popular documents) and no more.
 */

export interface RealisticTraceGenerator {
  trace(index: number): TraceInput;
}

export function realisticTraces(seed = 7): RealisticTraceGenerator {
  const random = seeded(seed);
  const words = vocabulary(random, 20000, 5);
  // Zipf-like: index = floor(n^u) favours early words without making text repetitive.
  const word = () => zipfWord(words, random);
  const sentence = (min: number, max: number) => {
    const n = min + Math.floor(random() * (max - min));
    let text = '';
    for (let i = 0; i < n; i++) text += (i === 0 ? '' : ' ') + word();
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = (bytes: number) => {
    let text = '';
    while (text.length < bytes) text += `${sentence(6, 22)} `;
    return text.trim();
  };
  const systemPrompt = `You are the support assistant of an online bookshop. ${paragraph(2250)}`;
  const toolSchemas = ['search_catalog', 'order_status', 'refund_policy', 'shipping_quote'].map((name) => ({
    type: 'function',
    function: {
      name,
      description: paragraph(80),
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: paragraph(40) }, limit: { type: 'integer', minimum: 1, maximum: 20 } },
        required: ['query'],
      },
    },
  }));
  const documentOf = (id: number) => {
    const local = seeded(id * 7919 + seed); // a document reads the same each time it is retrieved
    const n = 250 + Math.floor(local() * 350);
    let text = '';
    while (text.length < n) text += `${zipfWord(words, local)} `;
    return { id: `doc-${id}`, title: sentence(3, 8), text: text.trim() };
  };

  return {
    trace(index) {
      const start = 1_760_000_000_000 + index * 5000;
      const question = sentence(8, 30).replace(/\.$/, '?');
      const docs = Array.from({ length: 2 + Math.floor(random() * 2) }, () => documentOf(Math.floor(Math.pow(20000, random()))));
      const calls = random() < 0.6 ? 3 : 4;
      const messages: Array<{ role: string; content: string; name?: string }> = [
        { role: 'system', content: systemPrompt },
        { role: 'user', content: question },
      ];
      const spans: NonNullable<TraceInput['spans']> = [];
      let cursor = start + 3;
      spans.push({
        id: 'retrieve',
        parentId: 'root',
        name: 'retrieve',
        type: 'RETRIEVER',
        start: cursor,
        end: cursor + 40,
        inputs: { query: question },
        outputs: { documents: docs },
      });
      cursor += 41;
      messages.push({ role: 'system', content: `Context:\n${docs.map((d) => `[${d.id}] ${d.title}\n${d.text}`).join('\n\n')}` });
      let usageIn = 0;
      for (let call = 0; call < calls; call++) {
        const last = call === calls - 1;
        const reply = last
          ? paragraph(200 + Math.floor(random() * 400))
          : `Calling ${toolSchemas[call % toolSchemas.length]!.function.name}.`;
        const duration = 300 + Math.floor(random() * 2500);
        const input = 2000 + Math.floor(random() * 4000);
        usageIn += input;
        spans.push({
          id: `llm-${call}`,
          parentId: 'root',
          name: 'chat',
          type: 'LLM',
          start: cursor,
          end: cursor + duration,
          model: call % 2 === 0 ? 'gpt-4o-mini' : 'claude-3-5-haiku',
          usage: { input, output: 50 + Math.floor(random() * 600) },
          inputs: { messages: messages.map((m) => ({ ...m })), tools: toolSchemas, temperature: 0.2 },
          outputs: { role: 'assistant', content: reply },
        });
        cursor += duration + 1;
        messages.push({ role: 'assistant', content: reply });
        if (!last) {
          const tool = toolSchemas[call % toolSchemas.length]!.function.name;
          const result = paragraph(100 + Math.floor(random() * 300));
          spans.push({
            id: `tool-${call}`,
            parentId: 'root',
            name: tool,
            type: 'TOOL',
            start: cursor,
            end: cursor + 80,
            inputs: { query: sentence(3, 9), limit: 5 },
            outputs: { result },
          });
          cursor += 81;
          messages.push({ role: 'tool', name: tool, content: result });
        }
      }
      spans.unshift({ id: 'root', parentId: null, name: 'support-agent', type: 'AGENT', start, end: cursor + 1 });
      const correct = random() < 0.72;
      return {
        id: `trace-${index}`,
        exampleId: `ex-${index}`,
        input: question,
        output: messages.at(-1)!.content,
        expected: sentence(10, 40),
        start,
        end: cursor + 1,
        durationMs: cursor + 1 - start,
        status: random() < 0.03 ? 'error' : 'ok',
        spans,
        scores: [
          { name: 'correct', value: correct },
          { name: 'faithfulness', value: Math.round(random() * 100) / 100 },
          { name: 'tokens_in', value: usageIn },
        ],
      };
    },
  };
}

/** Writes `count` realistic traces as JSON Lines; resolves with the bytes written. */
export async function writeRealisticTraces(file: string, count: number, seed = 7): Promise<number> {
  const generator = realisticTraces(seed);
  const out = createWriteStream(file);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const line = `${JSON.stringify(generator.trace(i))}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
