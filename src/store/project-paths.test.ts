import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { resolveProjectPaths } from './project-paths.ts';

function projectWith(config: string): string {
  const root = tempDir('labbook-project-paths-');
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'labbook.config.yaml'), config);
  return root;
}

describe('the data folder from labbook.config.yaml', () => {
  it('is the "data" setting, relative to the repository root', async () => {
    const root = projectWith('# comment\ndata: records\n');
    expect(await resolveProjectPaths(root)).toEqual({ rootDir: root, dataDir: join(root, 'records') });
  });

  it('refuses a text setting given as something else, naming its line, rather than fall back in silence', async () => {
    for (const [config, message] of [
      ['dataBranch: main\ndata: 5\n', 'labbook.config.yaml:2:7: data: must be a folder, such as experiments, got number 5'],
      ['data:\n  - a\n', 'labbook.config.yaml:2:3: data: must be a folder, such as experiments, got a list'],
      ['data: ""\n', 'labbook.config.yaml:1:7: data: must be a folder, such as experiments, got empty text'],
      ['dataBranch: 7\n', 'labbook.config.yaml:1:13: dataBranch: must be a branch, such as labbook-data, got number 7'],
      ['repository:\n', 'labbook.config.yaml:1:12: repository: must be owner/name, got nothing'],
    ] as const) {
      const root = projectWith(config);
      await expect(resolveProjectPaths(root), config).rejects.toThrow(`${root}/${message}`);
    }
  });

  it('names the line of a misspelt setting, and the one it was meant to be', async () => {
    const root = projectWith('data: experiments\ndataBrnach: labbook-data\n');
    await expect(resolveProjectPaths(root)).rejects.toThrow(
      `${root}/labbook.config.yaml:2:1: dataBrnach: unknown setting (did you mean dataBranch?); labbook.config.yaml takes data, dataBranch, repository, retention, site, storage`,
    );
  });
});

describe('an empty labbook.config.yaml', () => {
  it('sets nothing: every reader of it keeps its defaults, where it was refused as "an empty document"', async () => {
    const { readStorageSettings } = await import('./storage-settings.ts');
    const { readRetentionPolicy } = await import('../gc/retention-policy.ts');
    const { readSiteBudget } = await import('#site/build/site-budget/site-budget-setting.ts');
    const defaults = async (root: string) => ({
      paths: await resolveProjectPaths(root),
      storage: await readStorageSettings(root),
      retention: await readRetentionPolicy(root),
      budget: await readSiteBudget(root),
    });
    const reference = await defaults(tempDir('labbook-no-config-'));
    for (const config of ['', '\n', '# data: records\n# retention:\n#   days: 30\n']) {
      const root = projectWith(config);
      const read = await defaults(root);
      expect(read.paths, JSON.stringify(config)).toEqual({ rootDir: root, dataDir: join(root, 'experiments') });
      expect(read.storage).toEqual(reference.storage);
      expect({ ...read.retention, file: undefined }).toEqual({ ...reference.retention, file: undefined });
      expect(read.budget).toBe(reference.budget);
    }
    // A document that is there but not a mapping stays an error.
    await expect(resolveProjectPaths(projectWith('- data\n'))).rejects.toThrow(/expected a YAML mapping \(key: value lines\), got a list/);
  });
});
