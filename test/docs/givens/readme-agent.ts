// Given for README.md's SDK sample: its examples and a toy agent's two steps.
const examples = [
  { id: 'q1', input: 'What is 6 × 7?', expected: '42' },
  { id: 'q2', input: 'Capital of France?', expected: 'Paris' },
  { id: 'q3', input: 'Largest planet?', expected: 'Jupiter' },
];
const facts: Record<string, string> = { 'What is 6 × 7?': '42', 'Capital of France?': 'Paris', 'Largest planet?': 'Saturn' };
async function search(question: string): Promise<string[]> {
  return [facts[question] ?? ''];
}
async function answer(docs: string[]): Promise<string> {
  return docs[0] ?? 'not sure';
}
