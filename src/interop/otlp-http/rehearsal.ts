/**
 * A made-up OTLP request shaped like an instrumented agent's: traces of a root agent span with
 * its example, chat spans with a model, token counts and messages, tool calls, and an evaluation
 * event. The receiver reads it while it waits for its first real request (see `rehearse` in
 * receiver.ts): the first thousands of spans a process reads cost it ten times what later ones
 * do, while V8 compiles the decoder and the mapping, and the command's start leaves a core idle
 * for that. Nothing read from it is kept.
 */
export function rehearsalRequest(traces = 20): unknown {
  const spans: unknown[] = [];
  const words = ['refund', 'warranty', 'order', 'shipping', 'size', 'return'];
  for (let t = 0; t < traces; t++) {
    const traceId = hex(t + 1, 32);
    const root = hex(t * 8 + 1, 16);
    const start = 1_700_000_000_000_000_000n + BigInt(t) * 1_000_000_000n;
    const at = (ms: number) => String(start + BigInt(ms) * 1_000_000n);
    const question = `${words[t % words.length]} ${t}`;
    const child = (n: number, name: string, attributes: Array<[string, string | number]>) => ({
      traceId,
      spanId: hex(t * 8 + 1 + n, 16),
      parentSpanId: root,
      name,
      kind: 1,
      startTimeUnixNano: at(n * 10),
      endTimeUnixNano: at(n * 10 + 8),
      attributes: attributes.map(([key, value]) => ({ key, value: anyValue(value) })),
      status: {},
    });
    spans.push(
      child(1, 'chat gpt-4o-mini', [
        ['gen_ai.operation.name', 'chat'],
        ['gen_ai.request.model', 'gpt-4o-mini'],
        ['gen_ai.usage.input_tokens', 100 + t],
        ['gen_ai.usage.output_tokens', 10 + t],
        ['gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: question }] }])],
        ['gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `about ${question}` }] }])],
      ]),
      child(2, `execute_tool ${words[t % words.length]}`, [
        ['gen_ai.operation.name', 'execute_tool'],
        ['gen_ai.tool.name', words[t % words.length]!],
        ['gen_ai.tool.call.arguments', JSON.stringify({ query: question })],
      ]),
      child(3, 'chat gpt-4o-mini', [
        ['gen_ai.operation.name', 'chat'],
        ['gen_ai.request.model', 'gpt-4o-mini'],
        ['gen_ai.usage.input_tokens', 200 + t],
        ['gen_ai.usage.output_tokens', 20 + t],
      ]),
      {
        traceId,
        spanId: root,
        name: 'agent',
        kind: 1,
        startTimeUnixNano: at(0),
        endTimeUnixNano: at(40),
        attributes: [
          { key: 'gen_ai.operation.name', value: anyValue('invoke_agent') },
          { key: 'labbook.example.id', value: anyValue(`q${t}`) },
          { key: 'labbook.example.input', value: anyValue(JSON.stringify({ question })) },
        ],
        events: [
          {
            name: 'gen_ai.evaluation.result',
            timeUnixNano: at(40),
            attributes: [
              { key: 'gen_ai.evaluation.name', value: anyValue('correct') },
              { key: 'gen_ai.evaluation.score.value', value: { doubleValue: t % 2 } },
            ],
          },
        ],
        status: {},
      },
    );
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: anyValue('agent') }] },
        scopeSpans: [{ scope: { name: 'rehearsal' }, spans }],
      },
    ],
  };
}

function anyValue(value: string | number): Record<string, unknown> {
  return typeof value === 'string' ? { stringValue: value } : { intValue: String(value) };
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}
