import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './labbook-package.ts';

/** The anchor GitHub gives a heading: lower case, punctuation gone, spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

/** Anchors of a markdown file's headings (outside code blocks), repeated ones numbered as GitHub does. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const anchor = headingAnchor(heading[1]!);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/** `[text](target)` links of a markdown file outside code blocks and inline code, with their lines. */
function linksOf(text: string): Array<{ target: string; line: number }> {
  const links: Array<{ target: string; line: number }> = [];
  let fenced = false;
  for (const [index, line] of text.split('\n').entries()) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) links.push({ target: match[1]!, line: index + 1 });
  }
  return links;
}

describe('links between the docs', () => {
  it('names GitHub anchors as GitHub makes them', () => {
    expect(headingAnchor('otlp-receiver (#17): live OTLP under `labbook run`')).toBe('otlp-receiver-17-live-otlp-under-labbook-run');
    expect(headingAnchor('Use it in your repository')).toBe('use-it-in-your-repository');
  });

  it('lead to files that exist and to headings they hold', () => {
    const files = execFileSync('git', ['ls-files', '*.md'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(REPO, file), 'utf8');
      for (const { target, line } of linksOf(text)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:: not ours to check offline
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const linked = path === '' ? join(REPO, file) : join(REPO, dirname(file), decodeURIComponent(path));
        const where = `${file}:${line} → ${target}`;
        if (!existsSync(linked)) broken.push(`${where}: no such file`);
        else if (anchor !== undefined && linked.endsWith('.md') && !anchorsOf(readFileSync(linked, 'utf8')).has(anchor))
          broken.push(`${where}: ${relative(REPO, linked)} has no heading with that anchor`);
      }
    }
    expect(broken).toEqual([]);
  });
});
