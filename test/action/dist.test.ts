import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { ACTION, ROOT } from './harness.ts';

describe('action/dist', () => {
  it('is the bundle of the current sources and templates (run "npm run build:action" after a change)', () => {
    const outfile = join(tempDir('labbook-dist-'), 'index.js');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-action.js'), '--outfile', outfile], { cwd: ROOT });
    const fresh = readFileSync(outfile, 'utf8');
    const committed = readFileSync(ACTION, 'utf8');
    // Compare lengths first: a failing toBe on two 2 MB strings prints an unreadable diff.
    expect(committed.length, 'action/dist/index.js is stale: run "npm run build:action"').toBe(fresh.length);
    expect(committed === fresh, 'action/dist/index.js is stale: run "npm run build:action"').toBe(true);
  });

  it('carries every template, so the bundle needs no templates/ folder', () => {
    const bundle = readFileSync(ACTION, 'utf8');
    for (const name of ['job-summary.njk', 'pr-comment.njk', '_run-report.njk', 'deploy-summary.njk'])
      expect(bundle).toContain(JSON.stringify(name));
    expect(bundle).not.toContain('../../templates/');
  });
});
