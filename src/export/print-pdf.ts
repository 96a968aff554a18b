import { chromium } from 'playwright-core';
import { LabbookError } from '../errors/index.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { errorMessage } from '../errors/error-message.ts';

export const PAPER_SIZES = ['a4', 'letter'] as const;
export type Paper = (typeof PAPER_SIZES)[number];

interface PrintPdfOptions {
  paper: Paper;
  /** Shown at the foot of every page, with the page number. */
  footerTitle: string;
  env?: NodeJS.ProcessEnv;
}

/** Flags for a headless Chromium that prints one local page and talks to nothing. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--headless',
];

/** Debian's Chromium unless `LABBOOK_CHROMIUM` names another binary. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LABBOOK_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Prints self-contained HTML to PDF bytes with Chromium's `page.pdf()`: the paper size, 15 mm
 * margins, backgrounds printed, and "page N of M" with the title in every page's footer.
 * JavaScript is off and every request is refused: the page has everything inline.
 */
async function printPdf(html: string, options: PrintPdfOptions): Promise<Buffer> {
  const executablePath = chromiumPath(options.env);
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  } catch (error) {
    throw new LabbookError(
      `cannot start Chromium at ${executablePath} (install Debian's "chromium" package, or set LABBOOK_CHROMIUM to a Chromium binary): ${firstLine(error)}`,
      { cause: error },
    );
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: options.paper === 'a4' ? 'A4' : 'Letter',
      printBackground: true,
      margin: { top: '15mm', bottom: '18mm', left: '14mm', right: '14mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(options.footerTitle),
    });
  } finally {
    await browser.close();
  }
}

/** Prints and writes the PDF atomically: a failed print leaves no file and keeps an old one. */
export async function writePdf(file: string, html: string, options: PrintPdfOptions): Promise<number> {
  const pdf = await printPdf(html, options);
  await writeFileAtomic(file, pdf);
  return pdf.length;
}

/**
 * Chromium fills `pageNumber` and `totalPages` spans. The footer is its own tiny document
 * with a default font size of 0, hence the explicit style; the title is escaped by hand
 * because this string is HTML that never passes through the template engine.
 */
function footerTemplate(title: string): string {
  return `<div style="font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 7.5pt; color: #666; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;"><span>${escapeHtml(title)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function firstLine(error: unknown): string {
  return errorMessage(error).split('\n')[0]!;
}
