import { stringify } from 'devalue';
import { LabbookError } from '#lib/errors/index.ts';
import type { SiteModel } from '#site/view/site-model.ts';

/** The module pages import their model from (declared in site/src/virtual-modules.d.ts). */
const SITE_MODEL_MODULE = 'virtual:labbook/site';
const RESOLVED = `\0${SITE_MODEL_MODULE}`;

/**
 * A Vite plugin serving the data pass's result to the pages as a module, the way Starlight
 * hands its configuration to its pages (`virtual:starlight/user-config`): the integration that
 * ran the pass owns the value, and the pages, bundled in another module graph, import it.
 * devalue keeps what JSON would lose (the downloads Set, undefined members, shared objects);
 * the value travels as one string literal, which the bundler passes over without parsing it.
 */
export function siteModelPlugin(current: () => SiteModel | null) {
  return {
    name: 'labbook-site-model',
    resolveId(id: string) {
      return id === SITE_MODEL_MODULE ? RESOLVED : null;
    },
    load(id: string) {
      if (id !== RESOLVED) return null;
      const model = current();
      if (!model) throw new LabbookError('the site data pass has not run; build the site with "labbook site build"');
      return `import { parse } from 'devalue';\nexport const model = parse(${JSON.stringify(stringify(model))});\n`;
    },
  };
}
