/**
 * The fenced code blocks of a Markdown file and what the comment line before each says about
 * running it. Every block must say, so a sample can never drift unseen:
 *
 *   <!-- sample: run -->                      run it as written
 *   <!-- sample: run, given toy-agent -->     run it after test/docs/givens/toy-agent.<ext>
 *   <!-- sample: run in a new project -->     a new user's steps: test/package/adoption.test.ts runs
 *                                             them in order in a fresh project with the packed package
 *   <!-- sample: not runnable: <reason> -->   shown only (a synopsis, output, a workflow file…)
 *
 * HTML comments render as nothing on GitHub, and the block keeps its plain language tag.
 */
export interface Sample {
  /** `README.md:90`: the file and the line of the opening fence. */
  where: string;
  /** The info string's first word (`ts`, `sh`, `python`), or '' when there is none. */
  lang: string;
  code: string;
  marker: SampleMarker | null;
}

export type SampleMarker = { kind: 'run'; given: string | null } | { kind: 'new-project' } | { kind: 'not-runnable'; reason: string };

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const MARKER = /^<!--\s*sample:\s*(.*?)\s*-->$/;

export function extractSamples(markdown: string, file: string): Sample[] {
  const lines = markdown.split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    // A closing fence: the same character, at least as long, nothing after it.
    for (; j < lines.length && !new RegExp(`^ {0,3}${fence![0]}{${fence!.length},}\\s*$`).test(lines[j]!); j++) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
    }
    samples.push({
      where: `${file}:${i + 1}`,
      lang: lang!.toLowerCase(),
      code: `${body.join('\n')}\n`,
      marker: markerBefore(lines, i, file),
    });
    i = j;
  }
  return samples;
}

function markerBefore(lines: string[], fenceIndex: number, file: string): SampleMarker | null {
  let k = fenceIndex - 1;
  while (k >= 0 && lines[k]!.trim() === '') k--;
  const match = k >= 0 ? MARKER.exec(lines[k]!.trim()) : null;
  if (!match) return null;
  const text = match[1]!;
  const run = /^run(?:,\s*given\s+([a-z0-9-]+))?$/.exec(text);
  if (run) return { kind: 'run', given: run[1] ?? null };
  if (text === 'run in a new project') return { kind: 'new-project' };
  const notRunnable = /^not runnable:\s*(\S.*)$/.exec(text);
  if (notRunnable) return { kind: 'not-runnable', reason: notRunnable[1]! };
  throw new Error(
    `${file}:${k + 1}: unreadable sample marker "${lines[k]!.trim()}": use "<!-- sample: run -->", "<!-- sample: run, given <name> -->", "<!-- sample: run in a new project -->" or "<!-- sample: not runnable: <reason> -->"`,
  );
}
