import { evalPlanSchema, type EvalPlan } from '../../schemas/eval-plan.ts';
import { FileFormatError } from '../errors/index.ts';
import { parseYamlMapping } from '../store/yaml.ts';
import { describeZodIssue } from '../json/zod-issue.ts';

/**
 * Reads the text of a plan.yaml. Errors name the file, the line of the offending field when it
 * can be found, and the field: `experiments/qa/plan.yaml:4: metrics.0.margin: …`.
 */
export function parsePlan(text: string, file: string): EvalPlan {
  const raw = parseYamlMapping(text, file);
  const result = evalPlanSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const line = lineOfField(text, issue.path);
    throw new FileFormatError(
      { file, ...(line !== undefined ? { line } : {}), field: issue.path.join('.') || undefined },
      describeZodIssue(issue, raw),
    );
  }
  return result.data;
}

/**
 * The 1-based line where a field of a plan starts, for the shapes a plan has (top-level keys,
 * and keys of the items of `metrics`). Undefined when the text is laid out otherwise (flow
 * style, say): the error then names the file and field only, never a wrong line.
 */
function lineOfField(text: string, path: readonly PropertyKey[]): number | undefined {
  const lines = text.split('\n');
  const [top, index, key] = path;
  if (typeof top !== 'string') return undefined;
  const topLine = lines.findIndex((l) => new RegExp(`^${escape(top)}\\s*:`).test(l));
  if (topLine < 0) return undefined;
  if (typeof index !== 'number') return topLine + 1;
  let item = -1;
  let itemIndent = -1;
  for (let i = topLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line)) break; // the next top-level key
    const dash = /^(\s*)-\s/.exec(line);
    if (dash && (itemIndent < 0 || dash[1]!.length === itemIndent)) {
      itemIndent = dash[1]!.length;
      item++;
      if (item === index && typeof key !== 'string') return i + 1;
    }
    if (item === index && typeof key === 'string' && new RegExp(`^\\s*(-\\s+)?${escape(key)}\\s*:`).test(line)) return i + 1;
    if (item > index) break;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
