import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FileFormatError } from '../../src/errors/index.ts';
import { describeZodIssue } from '../../src/json/zod-issue.ts';
import { errorMessage } from '../../src/errors/error-message.ts';

export const CATEGORIES = ['retrieval', 'calculation', 'lookup', 'multi-hop'] as const;

export const demoExampleSchema = z.object({
  id: z.string().min(1),
  input: z.object({ question: z.string().min(1) }),
  expected: z.string(),
  category: z.enum(CATEGORIES),
  /** Where the expected answer comes from (a passage id or a table cell), for people reading a trace. */
  source: z.string().optional(),
});
export type DemoExample = z.infer<typeof demoExampleSchema>;

/** Reads a JSON Lines dataset; a bad line is an error naming the file, line and field. Blank lines are skipped. */
export function readDataset(file: string): DemoExample[] {
  const examples: DemoExample[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new FileFormatError({ file, line }, `not valid JSON: ${errorMessage(error)}`, { cause: error });
      }
      const parsed = demoExampleSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new FileFormatError({ file, line, field: issue.path.join('.') || undefined }, describeZodIssue(issue, value));
      }
      examples.push(parsed.data);
    });
  return examples;
}
