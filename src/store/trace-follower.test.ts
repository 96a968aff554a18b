import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTrace } from '../../test/helpers/make-trace.ts';
import { liveRuns } from '../../test/helpers/live-run.ts';
import { finishRun, type FinishRunResult } from './finish-run.ts';
import { TraceFollower } from './trace-follower.ts';

/** What another process writes: good traces, and every kind of line the seal reports. */
const text = [
  ...Array.from({ length: 20 }, (_, i) => JSON.stringify(makeTrace(i + 1))),
  '{"id": "broken", ', // malformed JSON
  '   ', // blank: skipped by every reader
  JSON.stringify(makeTrace(3)), // a repeated id
  JSON.stringify({
    ...makeTrace(21),
    spans: [
      { id: 's1', parentId: null, name: 'agent', type: 'AGENT', start: 0, end: 5 },
      { id: 's2', parentId: 'gone', name: 'llm', type: 'LLM', start: 1, end: 2 },
    ],
  }), // an orphan span: a warning
  JSON.stringify(makeTrace(22)),
].join('\n'); // and the last line has no newline: the writer was killed mid-line, say

const liveRun = liveRuns('labbook-follow-');

/** Appends `content` in uneven pieces, cutting lines (and a multi-byte character) in two, with a poll after each. */
async function writeFollowed(file: string, content: string, follower: TraceFollower) {
  const bytes = Buffer.from(content);
  for (let at = 0; at < bytes.length; at += 997) {
    appendFileSync(file, bytes.subarray(at, at + 997));
    await follower.poll();
  }
}

function recorded(dir: string, result: FinishRunResult) {
  return {
    metrics: readFileSync(join(dir, 'metrics.json'), 'utf8'),
    manifest: {
      ...result.manifest,
      id: '',
      createdAt: '',
      finishedAt: '',
      files: {},
      statusReason: result.manifest.statusReason?.replaceAll(dir, '<run>'),
    },
    warnings: result.warnings.map((w) => w.replaceAll(dir, '<run>')),
    errors: result.errors.map((e) => e.message.replaceAll(dir, '<run>')),
  };
}

describe('TraceFollower', () => {
  it('tallies what the seal would, from lines read while they were written', async () => {
    const followed = await liveRun();
    const follower = new TraceFollower(followed.file);
    await writeFollowed(followed.file, `${text.slice(0, 40)}é${text.slice(40)}`, follower);
    // The seal takes the follower's tally (it would parse the file otherwise, to the same record).
    await follower.finish();
    const tally = follower.summaryFor(createHash('sha256').update(readFileSync(followed.file)).digest('hex'));
    expect([tally?.counts.traces, tally?.errorCount, tally?.warningCount]).toEqual([22, 2, 1]);
    const parsed = await liveRun();
    writeFileSync(parsed.file, readFileSync(followed.file));
    const byParse = recorded(parsed.dir, await finishRun(parsed.dir));
    const byFollowing = recorded(followed.dir, await finishRun(followed.dir, { followed: follower }));
    expect(byFollowing).toEqual({ ...byParse, manifest: { ...byParse.manifest, experiment: byFollowing.manifest.experiment } });
    expect(byFollowing.manifest.counts.traces).toBe(22);
    expect(byFollowing.errors).toEqual([
      expect.stringMatching(/traces\/00000\.jsonl\.gz:21:18: truncated JSON/),
      expect.stringMatching(/traces\/00000\.jsonl\.gz:23: id: trace id "t3" appears more than once \(first on line 3\)/),
    ]);
  });

  it('offers its tally only for the bytes it followed, to the end', async () => {
    const { file } = await liveRun();
    const follower = new TraceFollower(file);
    await writeFollowed(file, `${text}\n`, follower);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(follower.summaryFor(sha(readFileSync(file)))).toBeUndefined(); // not finished: more may come
    await follower.finish();
    expect(follower.summaryFor(sha(readFileSync(file)))?.counts.traces).toBe(22);
    expect(follower.summaryFor(sha(Buffer.from('other bytes')))).toBeUndefined();
  });

  it('leaves the seal to parse a file changed behind it, and to report what it holds', async () => {
    const followed = await liveRun();
    const follower = new TraceFollower(followed.file);
    await writeFollowed(followed.file, `${text}\n`, follower);
    // Same length, another value: t1's quality 0.1 becomes 0.9, after it was read.
    writeFileSync(followed.file, readFileSync(followed.file, 'utf8').replace('"quality","value":0.1', '"quality","value":0.9'));
    const parsed = await liveRun();
    writeFileSync(parsed.file, readFileSync(followed.file));
    const byParse = recorded(parsed.dir, await finishRun(parsed.dir));
    expect(recorded(followed.dir, await finishRun(followed.dir, { followed: follower })).metrics).toBe(byParse.metrics);
  });

  it('gives up on a file that cannot be read, and the seal parses', async () => {
    const followed = await liveRun();
    const follower = new TraceFollower(join(followed.dir, 'no-such-dir', 'traces.jsonl'));
    appendFileSync(followed.file, `${JSON.stringify(makeTrace(1))}\n`);
    await follower.poll();
    const result = await finishRun(followed.dir, { followed: follower });
    expect(result.manifest.counts.traces).toBe(1);
  });
});
