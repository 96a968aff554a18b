// Given for docs/sdk.md's sample: a toy agent's retrieval and model call.
async function search(input: unknown, depth: number): Promise<string[]> {
  return Array.from({ length: depth }, (_, i) => `passage ${i + 1} about ${JSON.stringify(input)}`);
}
async function answer(input: unknown, docs: string[]): Promise<{ text: string; usage: { in: number; out: number } }> {
  return {
    text: `${docs.length > 1 ? 'According to [1]' : 'Probably'}: ${JSON.stringify(input).length % 7}`,
    usage: { in: 40 * docs.length, out: 9 },
  };
}
