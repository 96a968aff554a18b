import { agreementText } from '../annotations/agreement-text.ts';
import type { NameAgreement } from '../annotations/summarize-annotations.ts';
import { wrapText } from '../text/wrap-text.ts';
import { escapeMarkdown } from '../text/escape-markdown.ts';

/**
 * The "People" block after compare's table (or as markdown): per annotation name, how far the
 * annotators agree over the compared runs together. Empty when nobody annotated them. Lines fit
 * `width` columns, as the compact comparison does.
 */
export function renderPeopleAgreement(agreement: readonly NameAgreement[], markdown: boolean, width = 100): string {
  if (agreement.length === 0) return '';
  const title = 'People: how far the annotators agree, over these runs together';
  if (markdown) {
    return `\n### People\n\nHow far the annotators agree, over these runs together.\n\n${agreement.map((a) => `- **${escapeMarkdown(a.name)}**: ${escapeMarkdown(agreementText(a))}`).join('\n')}`;
  }
  const lines = agreement.flatMap((a) => wrapText(agreementText(a), width, `${a.name}: `, '    '));
  return `\n${[...wrapText(title, width, ''), ...lines].join('\n')}`;
}
