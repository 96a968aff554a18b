import { relative, sep } from 'node:path';
import { loadAnnotations } from '../annotations/load-annotations.ts';
import { loadQueues } from '../annotations/load-queues.ts';
import { listDeployments } from '../deploy/deployment-record.ts';
import type { Problem } from '../errors/problem.ts';

/** What names a run in the data folder, each a file relative to it (`demo/annotations/ada.yaml`). */
export interface RunReferences {
  /** Run id → the deployment records that name it (deployed, or refused: the record points at it). */
  deployments: Map<string, string[]>;
  /** Run id → the annotation files and review queues that refer to it. */
  annotations: Map<string, string[]>;
}

/**
 * Reads what refers to the runs of some experiments: deployment records, annotations and review
 * queues. What cannot be read is told to `onProblem`, since it might be what names a run: those
 * who remove runs (`gc`, `rm`) then remove nothing. Only errors count; an annotation warning
 * leaves its entry readable.
 */
export async function collectRunReferences(
  dataDir: string,
  experiments: readonly string[],
  onProblem: (message: string) => void,
): Promise<RunReferences> {
  const references: RunReferences = { deployments: new Map(), annotations: new Map() };
  const add = (to: Map<string, string[]>, run: string, file: string) => {
    const files = to.get(run) ?? [];
    if (!files.includes(file)) files.push(file);
    to.set(run, files);
  };
  const note = (error: unknown) => onProblem(error instanceof Error ? error.message : String(error));
  const inData = (file: string) => relative(dataDir, file).split(sep).join('/');
  for (const experiment of experiments) {
    for (const record of await listDeployments(dataDir, experiment, note))
      add(references.deployments, record.run, `${experiment}/deployments/${record.id}.json`);
    const onAnnotationProblem = (p: Problem) => {
      if (p.severity === 'error') onProblem(`${p.file}: ${p.message}`);
    };
    const entries = await loadAnnotations(dataDir, experiment, { onProblem: onAnnotationProblem }).catch(
      (error: unknown) => (note(error), []),
    );
    for (const entry of entries) add(references.annotations, entry.run, entry.file);
    for (const queue of await loadQueues(dataDir, experiment, note)) add(references.annotations, queue.queue.run, inData(queue.file));
  }
  return references;
}
