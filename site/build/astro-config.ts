import type { AstroUserConfig } from 'astro';
import { labbookData, type LabbookDataOptions } from './labbook-integration.ts';
import { modulePreload } from './module-preload.ts';

interface SiteConfig extends LabbookDataOptions {
  /** Base path, `/` or `/my-repo/` for a GitHub Pages project site. */
  base: string;
  /** The site's origin, e.g. `https://me.github.io`. */
  site?: string | null;
}

/**
 * The Astro configuration of the site, from typed options: `labbook site build` passes it to
 * Astro's `build()` directly, and `site/astro.config.ts` (for a plain `astro dev`) builds it
 * from its environment. Pages receive what they need through the integration's virtual module.
 */
export function siteAstroConfig(config: SiteConfig): AstroUserConfig {
  return {
    site: config.site || undefined,
    base: config.base,
    output: 'static',
    trailingSlash: 'ignore',
    build: { format: 'directory', inlineStylesheets: 'never' },
    devToolbar: { enabled: false },
    // Scripts and styles stay files (not inlined) so the Content-Security-Policy can forbid inline scripts.
    // reportCompressedSize: Vite gzips every chunk only to print its size in the log.
    // Vite's own log stops at warnings (which reach Astro's logger, and so the user, in full): its
    // info is a line per chunk file of the staging folder, noise even in `site build --verbose`,
    // where Astro's log level (set by buildSite) lets Astro's page list through.
    vite: { logLevel: 'warn', build: { assetsInlineLimit: 0, reportCompressedSize: false } },
    integrations: [labbookData(config), modulePreload()],
  };
}
