import { mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { removeAbandonedStaging } from './site-output.ts';

describe('removeAbandonedStaging', () => {
  it("removes a killed build's staging folder a day on, and nothing else", async () => {
    const site = tempDir('labbook-staging-');
    for (const name of ['.build-_site-old', '.build-_site-running', 'src', '.astro'])
      mkdirSync(join(site, name, 'inner'), { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(site, '.build-_site-old'), twoDaysAgo, twoDaysAgo);
    utimesSync(join(site, 'src'), twoDaysAgo, twoDaysAgo);
    await removeAbandonedStaging(site);
    expect(readdirSync(site).sort()).toEqual(['.astro', '.build-_site-running', 'src']);
  });
});
