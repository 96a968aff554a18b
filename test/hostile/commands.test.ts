import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceInput } from '../../schemas/trace.ts';
import { VALUE_LIMITS } from '../../schemas/value-limits.ts';
import { loadSite } from '../../site/build/load-site.ts';
import { writeSiteCsv } from '../../site/build/write-site-csv.ts';
import { writeSiteData } from '../../site/build/write-site-data.ts';
import { finishRun } from '../../src/store/finish-run.ts';
import { createRun, ensureExperiment } from '../../src/store/run-writer.ts';
import { makeTrace } from '../helpers/make-trace.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { DEEP_SLOTS, nestedJson, traceDeepAt, WIDE } from './corpus.ts';

/**
 * The hostile corpus against every command that reads traces: a run written as another
 * language would write it (raw lines, sealed by the runner's ingest) holding, in every field a
 * reader walks, values exactly at the limits (kept everywhere) and just past them (refused by
 * validate, skipped with file:line by the exports and the site), plus a repeated id, a TAB in
 * an id and bytes that are not UTF-8; and runs whose run.json is 100,000 levels deep.
 */
const root = tempDir('labbook-hostile-');
const dataDir = join(root, 'experiments');
const configPath = join(root, 'agent.yaml');
const source = { kind: 'local' as const, host: 'h', user: 'u' };
const code = { commit: null, branch: null, dirty: false };

let good = '';
let hostile = '';
let deepManifest = '';
let deepName = '';
let latin1Manifest = '';
let tracesFile = '';
/** Line numbers of the traces (in the sealed run's chunk) that readers must refuse, with what the message must say. */
const refused: Array<{ line: number; says: RegExp }> = [];
/** Trace ids every reader must keep. */
const kept: string[] = [];

async function rawRun(lines: Array<string | Buffer>): Promise<{ id: string; dir: string }> {
  const { dir, manifest } = await createRun({ dataDir, experiment: 'demo', configPath, source, code, rootDir: root });
  for (const line of lines) appendFileSync(join(dir, 'traces.jsonl'), Buffer.concat([Buffer.from(line), Buffer.from('\n')]));
  await finishRun(dir);
  return { id: manifest.id, dir };
}

beforeAll(async () => {
  writeFileSync(configPath, 'model: demo\n');
  await ensureExperiment(dataDir, 'demo');
  good = (await rawRun([1, 2, 3].map((i) => JSON.stringify(makeTrace(i))))).id;

  const lines: Array<string | Buffer> = [];
  const keep = (trace: TraceInput) => {
    lines.push(JSON.stringify(trace));
    kept.push(trace.id!);
  };
  const refuse = (line: string | Buffer, says: RegExp) => {
    lines.push(line);
    refused.push({ line: lines.length, says });
  };
  keep(makeTrace(1));
  let n = 100;
  for (const slot of Object.keys(DEEP_SLOTS)) {
    keep({ ...traceDeepAt(n, slot, VALUE_LIMITS.depth), id: `at-${slot}` });
    refuse(
      JSON.stringify({ ...traceDeepAt(n + 1, slot, VALUE_LIMITS.depth + 1), id: `past-${slot}` }),
      new RegExp(`${String(DEEP_SLOTS[slot]![0])}.*nested deeper than 128 levels`),
    );
    n += 2;
  }
  // Far past the limit: JSON.parse takes it, no reader may walk it recursively.
  refuse(
    `{"id":"abyss","exampleId":"e","input":${nestedJson(100_000)},"start":0,"end":1,"durationMs":1}`,
    /input\.k\.k.*nested deeper than 128 levels/,
  );
  keep({ ...makeTrace(200), id: 'wide-array', input: WIDE.array(VALUE_LIMITS.arrayLength) });
  refuse(
    JSON.stringify({ ...makeTrace(201), id: 'wider-array', input: WIDE.array(VALUE_LIMITS.arrayLength + 1) }),
    /input: an array of 1000001 items/,
  );
  keep({ ...makeTrace(202), id: 'wide-object', metadata: WIDE.object(VALUE_LIMITS.objectKeys) });
  refuse(
    JSON.stringify({ ...makeTrace(203), id: 'wider-object', metadata: WIDE.object(VALUE_LIMITS.objectKeys + 1) }),
    /metadata: an object with 100001 keys/,
  );
  keep({ ...makeTrace(204), id: 'rationale-at-limit', scores: [{ name: 'correct', value: true, rationale: 'r'.repeat(100_000) }] });
  refuse(
    JSON.stringify({ ...makeTrace(205), id: 'rationale-past', scores: [{ name: 'correct', value: true, rationale: 'r'.repeat(100_001) }] }),
    /scores\.0\.rationale/,
  );
  refuse(JSON.stringify(makeTrace(1)), /id: trace id "t1" appears more than once \(first on line 1\)/);
  refuse(JSON.stringify({ ...makeTrace(206), id: 'tab\there' }), /id: contains control or bidirectional-override characters/);
  refuse(JSON.stringify({ ...makeTrace(207), id: 'cr\rhere' }), /id: contains control/);
  const text = JSON.stringify({ ...makeTrace(208), id: 'latin1' });
  const at = text.indexOf('q208');
  refuse(
    Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(at))]),
    /invalid UTF-8 at byte \d+/,
  );
  keep({ ...makeTrace(209), id: 'last-good' });
  const run = await rawRun(lines);
  hostile = run.id;
  tracesFile = join(run.dir, 'traces', '00000.jsonl.gz'); // sealed: the lines live in the chunk

  // run.json 100,000 levels deep: once in a field the schema ignores, once in one it reads.
  const deep = await rawRun([JSON.stringify(makeTrace(1))]);
  deepManifest = deep.id;
  const manifestText = readFileSync(join(deep.dir, 'run.json'), 'utf8');
  writeFileSync(join(deep.dir, 'run.json'), manifestText.replace(/^\{/, `{"extra":${nestedJson(100_000)},`));
  const deep2 = await rawRun([JSON.stringify(makeTrace(1))]);
  deepName = deep2.id;
  const manifest2 = readFileSync(join(deep2.dir, 'run.json'), 'utf8');
  writeFileSync(join(deep2.dir, 'run.json'), manifest2.replace(/"name": "[^"]*"/, `"name": ${nestedJson(100_000)}`));
  // run.json with a Latin-1 byte in its name (line 5): named with line and column, never replaced by U+FFFD.
  const latin1 = await rawRun([JSON.stringify(makeTrace(1))]);
  latin1Manifest = latin1.id;
  const text3 = readFileSync(join(latin1.dir, 'run.json'), 'utf8').split('\n');
  expect(text3[4]).toMatch(/"name": "/);
  text3[4] = text3[4]!.replace(/"name": "/, '"name": "caf\u0000');
  writeFileSync(
    join(latin1.dir, 'run.json'),
    Buffer.from(text3.join('\n'), 'latin1').map((b) => (b === 0 ? 0xe9 : b)),
  );
}, 120_000);

const cli = (argv: string[]) => runCli([...argv, '--data', dataDir], { cwd: root });

function expectEveryRefusal(text: string) {
  for (const { line, says } of refused) {
    const mentions = text.split('\n').filter((l) => l.includes(`${tracesFile}:${line}:`));
    expect(mentions.join('\n'), `line ${line}`).toMatch(says);
  }
}

describe('the hostile corpus', () => {
  it('is sealed by the runner as failed, keeping every trace at the limits', async () => {
    const manifest = JSON.parse(readFileSync(join(tracesFile, '..', '..', 'run.json'), 'utf8'));
    expect(manifest.status).toBe('failed');
    expect(manifest.counts.traces).toBe(kept.length);
  });

  it('validate: names the file, line and field of every refused line, and only those', async () => {
    const { code, stdout, stderr } = await cli(['validate']);
    const out = stdout + stderr;
    expect(code).toBe(1);
    expect(out).not.toMatch(/unexpected error/);
    expectEveryRefusal(out);
    expect(out).toMatch(
      new RegExp(`${deepManifest}/run.json: extra: nested deeper than 128 levels|${deepManifest}.*run.json.*nested deeper`),
    );
    expect(out).toMatch(new RegExp(`${deepName}.*run.json.*nested deeper`));
    expect(out).toMatch(new RegExp(`${latin1Manifest}/run\\.json:5:\\d+: invalid UTF-8`));
    for (const id of kept.filter((id) => id !== 't1')) expect(out).not.toContain(`"${id}"`); // t1 is named by its repeat
  });

  it('export csv: writes every readable trace once and says which lines it left out', async () => {
    const { code, stderr } = await cli(['export', 'csv', '--experiment', 'demo', '--run', hostile, '-o', 'out/traces.csv']);
    expect(code, stderr).toBe(0);
    expectEveryRefusal(stderr);
    expect(stderr).toContain(`wrote ${kept.length} traces`);
    const script =
      'import csv,json,sys; csv.field_size_limit(1<<30); print(json.dumps([r["trace_id"] for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))]))';
    expect(
      JSON.parse(execFileSync('python3', ['-c', script, join(root, 'out/traces.csv')], { encoding: 'utf8', maxBuffer: 1 << 26 })),
    ).toEqual(kept);
  });

  it('export otlp: the same traces, the same warnings', async () => {
    const { code, stderr } = await cli(['export', 'otlp', '--run', hostile, '-o', 'out/traces.otlp.jsonl']);
    expect(code, stderr).toBe(0);
    expectEveryRefusal(stderr);
    expect(stderr).toContain(`wrote ${kept.length} traces`);
    expect(readFileSync(join(root, 'out/traces.otlp.jsonl'), 'utf8').trim().split('\n')).toHaveLength(kept.length);
  });

  it('show and export: a run.json 100,000 levels deep is a clear error, not a crash', async () => {
    for (const id of [deepManifest, deepName]) {
      for (const argv of [
        ['show', id],
        ['export', 'csv', '--experiment', 'demo', '--run', id, '-o', 'out/x.csv'],
        ['export', 'otlp', '--run', id, '-o', 'out/x.json'],
      ]) {
        const { code, stderr } = await cli(argv);
        expect(code, argv.join(' ')).toBe(1);
        expect(stderr).toMatch(new RegExp(`${id}/run\\.json: (extra|name)[^:]*: nested deeper than 128 levels`));
      }
    }
    const runs = await cli(['export', 'csv', '--experiment', 'demo', '-o', 'out/runs.csv']);
    expect(runs.code).toBe(0);
    expect(runs.stderr).toMatch(new RegExp(`warning: skipped: .*${deepManifest}/run\\.json`));
    expect(runs.stderr).toContain('wrote 2 runs of demo'); // good and hostile; the three broken run.json are named
    expect(runs.stderr).toMatch(new RegExp(`warning: skipped: .*${latin1Manifest}/run\\.json:5:\\d+: invalid UTF-8`));
  });

  it('site data: the bad runs are skipped and named, every other run keeps its data and CSV downloads', async () => {
    const site = await loadSite(dataDir);
    expect(site.warnings.join('\n')).toMatch(new RegExp(`skipped run .*${deepManifest}`));
    expect(site.warnings.join('\n')).toMatch(new RegExp(`skipped run .*${deepName}`));
    const out = join(root, 'site-data');
    const data = await writeSiteData(site, out);
    expect(data.runs[`demo/${hostile}`]!.traces).toBe(kept.length);
    expectEveryRefusal(data.warnings.join('\n'));
    const csv = await writeSiteCsv(site, out);
    expect(csv.paths).toEqual(
      expect.arrayContaining([`data/demo/${good}/traces.csv`, `data/demo/${hostile}/traces.csv`, 'data/demo/runs.csv']),
    );
    expect(existsSync(join(out, 'data', 'demo', good, 'traces.csv'))).toBe(true);
  });
});
