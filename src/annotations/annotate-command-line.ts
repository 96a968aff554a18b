import type { NewAnnotation } from './entry-yaml.ts';

/**
 * The `labbook annotate` command that records the same annotation, for people who prefer the
 * terminal or when no repository link can be built. Arguments are quoted for POSIX shells.
 * No Node imports: the site shows it as a fallback.
 */
export function annotateCommandLine(entry: Omit<NewAnnotation, 'at'> & { at?: string }): string {
  const kind = typeof entry.value === 'number' ? '--metric' : '--label';
  const parts = ['labbook', 'annotate', '--run', entry.run, '--trace', entry.trace, kind, `${entry.name}=${entry.value}`];
  if (entry.note) parts.push('--note', entry.note);
  parts.push('--author', entry.author);
  return parts.map((part, i) => (i < 2 ? part : shellQuote(part))).join(' ');
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
