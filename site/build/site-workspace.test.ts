import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { nodeModulesLookup, siteWorkspace } from './site-workspace.ts';

describe('nodeModulesLookup', () => {
  it("lists the folders Node looks in, nearest first, skipping node_modules' own, up to the last that exists", () => {
    const root = tempDir('labbook-lookup-');
    const site = join(root, 'project', 'node_modules', 'labbook', 'site');
    mkdirSync(join(root, 'project', 'node_modules', 'labbook', 'node_modules'), { recursive: true });
    mkdirSync(site, { recursive: true });
    expect(nodeModulesLookup(site).map((folder) => folder.slice(root.length))).toEqual([
      '/project/node_modules/labbook/site/node_modules',
      '/project/node_modules/labbook/node_modules',
      '/project/node_modules',
    ]);
  });
});

describe('siteWorkspace', () => {
  it('builds a writable site folder in place', async () => {
    const root = tempDir('labbook-workspace-');
    const workspace = await siteWorkspace(root);
    expect(workspace).toMatchObject({ root, viteCacheDir: undefined });
  });

  it('mirrors a package it cannot write to, and removes the mirror', async () => {
    // (The build as an account that cannot write: test/package/adoption.test.ts.)
    const root = tempDir('labbook-workspace-');
    const pkg = join(root, 'project', 'node_modules', 'labbook');
    mkdirSync(join(pkg, 'site', 'src'), { recursive: true });
    mkdirSync(join(pkg, 'site', '.astro'));
    mkdirSync(join(pkg, 'templates'));
    writeFileSync(join(pkg, 'package.json'), '{}');
    const workspace = await siteWorkspace(join(pkg, 'site'), false);
    expect(workspace.viteCacheDir).toBe(join(workspace.root, '..', '..', '.vite'));
    expect(readdirSync(workspace.root)).toEqual(['src']); // what builds make is not linked
    expect(readlinkSync(join(workspace.root, 'src'))).toBe(join(pkg, 'site', 'src'));
    expect(readlinkSync(join(workspace.root, '..', 'package.json'))).toBe(join(pkg, 'package.json'));
    expect(readlinkSync(join(workspace.root, '..', 'templates'))).toBe(join(pkg, 'templates'));
    expect(readlinkSync(join(workspace.root, '..', '..', 'node_modules'))).toBe(join(root, 'project', 'node_modules'));
    await workspace.dispose();
    expect(() => readdirSync(workspace.root)).toThrow(/ENOENT/);
  });
});
