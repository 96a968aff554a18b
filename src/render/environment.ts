import nunjucks from 'nunjucks';
import { LabbookError } from '../errors/index.ts';
import { markdownCell, markdownInline } from './markdown.ts';
import { readTemplateSource } from './template-source.ts';

/**
 * The one nunjucks environment for every template in `templates/`. Autoescape is on: a view
 * model's strings (config names, trace text, branch names) are data, never markup, and the
 * Markdown they land in is rendered as HTML by GitHub. Two filters escape for Markdown:
 * `cell` (a table cell: one line, pipes escaped) and `inline` (one line).
 */
export interface Renderer {
  render(template: string, view: object): string;
}

const loader = {
  getSource(name: string) {
    const src = readTemplateSource(name);
    if (src === null) throw new LabbookError(`no template named "${name}" in templates/`);
    return { src, path: `templates/${name}`, noCache: false };
  },
};

let shared: nunjucks.Environment | undefined;

export function createRenderer(): Renderer {
  if (!shared) {
    shared = new nunjucks.Environment([loader], { autoescape: true, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true });
    shared.addFilter('cell', (text: unknown) => new nunjucks.runtime.SafeString(markdownCell(String(text))));
    shared.addFilter('inline', (text: unknown) => new nunjucks.runtime.SafeString(markdownInline(String(text))));
  }
  const env = shared;
  return { render: (template, view) => env.render(template, view) };
}
