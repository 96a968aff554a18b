import { gunzipSync } from 'node:zlib';
import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trace } from '../../schemas/trace.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun } from '../../src/store/run-writer.ts';
import { TraceWriter } from '../../src/store/trace-writer.ts';
import { loadSite } from './load-site.ts';
import { runDataPaths } from '../view/run-meta.ts';
import { chunkOfRow, type TraceIndex } from '../view/run-rows.ts';
import { readSiteRows } from './read-site-rows.ts';
import { writeSiteData } from './write-site-data.ts';

describe('the data pass', () => {
  let root: string;
  let runId: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labbook-data-pass-'));
    await writeFile(join(root, 'cfg.yaml'), 'model: m\n');
    const { dir, manifest } = await createRun({
      dataDir: join(root, 'experiments'),
      experiment: 'exp',
      configPath: join(root, 'cfg.yaml'),
      source: { kind: 'local', host: 'h', user: 'u' },
      code: { commit: null, branch: null, dirty: false },
    });
    runId = manifest.id;
    const writer = new TraceWriter(dir);
    for (let i = 0; i < 10; i++) {
      writer.append({
        id: `t${i}`,
        exampleId: `e${i}`,
        input: i === 4 ? 'x'.repeat(5000) : `q${i}`,
        output: `a${i}`,
        start: 0,
        end: i,
        durationMs: i,
        scores: [{ name: 's', value: i / 10 }],
      });
    }
    writer.close();
    // A line that is not a trace (the run is then sealed failed): the site skips it and says where.
    await appendFile(join(dir, 'traces.jsonl'), '{"id": "broken"\n');
    await finishRun(dir);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes rows, an index and size-bounded chunks from which every trace can be found', async () => {
    const out = join(root, 'site');
    const summary = await writeSiteData(await loadSite(join(root, 'experiments')), out, { chunks: { targetBytes: 400, maxTraces: 3 } });
    const run = summary.runs[`exp/${runId}`]!;
    expect(run.traces).toBe(10);
    expect(run.badLines).toBe(1);
    expect(run.warnings[0]).toMatch(/traces\/00000\.jsonl\.gz:11/);
    const paths = runDataPaths('exp', runId);
    const rows = await readSiteRows(out, 'exp', runId);
    const index = JSON.parse(await readFile(join(out, paths.index), 'utf8')) as TraceIndex;
    expect(rows.count).toBe(10);
    expect(index.ids).toEqual(rows.id);
    // Ten rows fit the first page; it is the only one.
    expect((await readdir(join(out, paths.dir))).filter((f) => f.startsWith('rows-'))).toEqual(['rows-0.json.gz']);
    const chunks = (await readdir(join(out, paths.dir))).filter((f) => f.startsWith('traces-'));
    expect(chunks).toHaveLength(run.chunks);
    expect(index.chunkStarts).toHaveLength(run.chunks);
    for (let row = 0; row < rows.count; row++) {
      const k = chunkOfRow(index.chunkStarts, row);
      const traces = JSON.parse(gunzipSync(await readFile(join(out, paths.chunk(k)))).toString('utf8')) as Trace[];
      expect(traces.length).toBeLessThanOrEqual(3);
      expect(traces[row - index.chunkStarts[k]!]!.id).toBe(`t${row}`);
    }
    // The 5 KB trace closes its chunk on its own rather than growing one chunk without bound.
    const big = chunkOfRow(index.chunkStarts, 4);
    expect(index.chunkStarts[big + 1]).toBe(5);
    const runsIndex = JSON.parse(await readFile(join(out, 'data', 'runs.json'), 'utf8'));
    expect(runsIndex.runs).toMatchObject([{ id: runId, experiment: 'exp', traces: 10 }]);
    expect(summary.bytesOut).toBeGreaterThan(0);
  });
});
