import { readFileSync } from 'node:fs';
import { packagePath } from '../store/package-root.ts';

/**
 * The text of `templates/init/<name>` with every `@{key}` replaced by `values[key]`. The
 * placeholder is `@{…}` rather than nunjucks' `{{ … }}` because the workflow templates are full
 * of GitHub's own `${{ … }}` expressions, which must come out untouched. A placeholder without a
 * value is a bug in the caller, so it throws rather than writing `@{key}` into a user's file.
 */
export function renderInitTemplate(name: string, values: Record<string, string>): string {
  const text = readFileSync(packagePath('templates', 'init', name), 'utf8');
  return text.replace(/@\{([A-Za-z]+)\}/g, (_, key: string) => {
    if (!Object.hasOwn(values, key)) throw new Error(`templates/init/${name}: no value for @{${key}}`);
    return values[key]!;
  });
}
