import { readFileSync } from 'node:fs';
import { packagePath } from '../store/package-root.ts';

/**
 * The text of a template under `templates/`, or null when there is none by that name.
 *
 * From source this reads the repository's `templates/` folder. The bundled action has no
 * such folder beside it, so `scripts/build-action.js` replaces this module with one that
 * embeds every template's text (same export, same behaviour): the two can never disagree on
 * which templates exist, because both are made from the same folder.
 */
export function readTemplateSource(name: string): string | null {
  if (!/^_?[a-z0-9][a-z0-9._-]*\.njk$/.test(name)) return null; // no paths: a name never leaves the folder
  try {
    return readFileSync(packagePath('templates', name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
