import type { LiveTraces } from '../interop/otlp/live-traces.ts';
import { startOtlpReceiver } from '../interop/otlp-http/receiver.ts';
import type { Evaluator } from '../sdk/evaluators/evaluator.ts';
import type { Trace } from '../../schemas/trace.ts';
import type { TraceWriter } from '../store/trace-writer.ts';
import { countNoun } from '../text/count-noun.ts';
import { errorMessage } from '../errors/error-message.ts';
import { environmentErrorFrom } from '../errors/environment-error.ts';
import type { WrittenTraces } from '../store/written-traces.ts';
import type { LiveChunks } from '../store/live-chunks.ts';

/** The variables an OpenTelemetry SDK reads, pointed at the run's receiver. */
const OTLP_ENV = {
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  tracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  protocol: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  serviceName: 'OTEL_SERVICE_NAME',
} as const;

export interface OtlpSessionOptions {
  runDir: string;
  experiment: string;
  datasetPath?: string;
  /** The user's environment: a service name they set is kept. */
  env: NodeJS.ProcessEnv;
  /** One line of the run's log, prefixed by the caller (stderr for `labbook run`, the job log in CI). */
  onLog: (line: string) => void;
  graceMs?: number;
  /** Evaluators that score each received trace (experiment.yaml `evaluators:`, `--evaluator`). */
  evaluators?: readonly Evaluator[];
}

export interface OtlpSession {
  /** Added to the command's environment. */
  env: Record<string, string>;
  /** Starts loading what receiving needs: called once the command is spawned (see OtlpReceiver.prepare). */
  prepare(): void;
  /**
   * After the command exits: writes what is still open, closes the receiver, and logs what it
   * received (when it received anything).
   */
  finish(): Promise<OtlpSessionSummary>;
  /** Whether it has written a trace to the run yet. */
  readonly wroteTraces: boolean;
}

interface OtlpSessionSummary {
  requests: number;
  spans: number;
  traces: number;
  lateSpans: number;
  /** The received traces as written, summed, for sealing (undefined when none was written). */
  written?: WrittenTraces;
  /** The same, compressed as they were written, for sealing. */
  liveChunks?: LiveChunks;
}

/**
 * The run's OTLP receiver, for the length of the evaluation command: any agent instrumented with
 * OpenTelemetry (in any language) records into the run with no code change, because the SDKs
 * read OTEL_EXPORTER_OTLP_* from the environment. Traces it assembles are appended to the run
 * beside any the Labbook SDK writes, each a whole line.
 */
export async function startOtlpSession(options: OtlpSessionOptions): Promise<OtlpSession> {
  let writer: TraceWriter | undefined;
  /** The first failure to write a trace (see write): nothing is written after it. */
  let failure: unknown;
  const evaluators = options.evaluators ?? [];
  const scoring = new Set<Promise<void>>();
  let live: { counts: LiveTraces['counts'] } | undefined;
  // Made when the receiver first needs it, with the modules only receiving uses (assembling,
  // checking and writing traces), loaded then: `labbook run` asks once its command is spawned.
  const makeTraces = async () => {
    const [{ LiveTraces }, { traceLine }, { appendTrace }, { TraceWriter }, { datasetLines, scoreTrace }, storage] = await Promise.all([
      import('../interop/otlp/live-traces.ts'),
      import('../interop/trace-line.ts'),
      import('../sdk/append-trace.ts'),
      import('../store/trace-writer.ts'),
      import('./received-traces.ts'),
      // Known before the first trace, which is compressed as written (LiveChunks); a setting in
      // error is the seal's to report, and the traces are received all the same.
      import('../store/storage-settings.ts').then(({ readStorageSettings }) => readStorageSettings(options.runDir)).catch(() => undefined),
    ]);
    type Line = ReturnType<typeof traceLine>;
    const dataset = options.datasetPath ? datasetLines(options.datasetPath) : undefined;
    const write = (trace: Trace, prepared?: Line) => {
      if (failure !== undefined) return;
      // The assembler builds traces in the schema's shape: most are written as their own JSON
      // without the schema's parse (a tenth of the receiver's time). One it cannot vouch for
      // goes through appendTrace, which keeps even a refused trace as an error trace.
      const line = prepared ?? traceLine(trace);
      try {
        writer ??= new TraceWriter(options.runDir, { sum: true, coalesce: true, ...(storage ? { compress: storage } : {}) });
        // assembleTrace repaired its span tree; a scored trace has been through evaluators, so it is checked again.
        if ('json' in line) writer.appendLine(line.json, line.trace, { treeChecked: evaluators.length === 0 });
        else appendTrace(writer, trace);
      } catch (error) {
        // Thrown here, either would end this process from a timer's callback with the command
        // still running. A trace no run can hold (an id with a TAB in it, from OTLP JSON) is
        // this trace's loss alone.
        if (!environmentErrorFrom(error)) {
          options.onLog(`trace ${JSON.stringify(trace.id)} not recorded: ${errorMessage(error)}`);
          return;
        }
        // A full disk, say: the receiver goes on answering, and finish() throws it once the
        // command is done, for the caller to say what to do.
        failure = error;
        options.onLog(
          `could not write the received traces (${errorMessage(error)}): those not yet on disk, and any received from now on, are not recorded`,
        );
      }
    };
    const made = new LiveTraces<Line | undefined>({
      graceMs: options.graceMs ?? 2000,
      // Its line made ahead, while the receiver waits for requests; scored traces change after.
      prepare: (trace) => (evaluators.length === 0 ? traceLine(trace) : undefined),
      onTrace: (trace, prepared) => {
        if (evaluators.length === 0) return write(trace, prepared);
        const scored = scoreTrace(trace, evaluators, options.onLog)
          .then(write, (error: unknown) => {
            options.onLog(`trace ${trace.id}: its evaluators failed (${String(error)}); written without their scores`);
            write(trace);
          })
          .finally(() => scoring.delete(scored));
        scoring.add(scored);
      },
      onLog: options.onLog,
      ...(dataset ? { datasetLine: dataset } : {}),
    });
    live = made;
    return made;
  };
  const receiver = await startOtlpReceiver({ traces: makeTraces, onLog: options.onLog });
  const env: Record<string, string> = {
    [OTLP_ENV.endpoint]: receiver.url,
    [OTLP_ENV.tracesEndpoint]: `${receiver.url}/v1/traces`,
    [OTLP_ENV.protocol]: 'http/protobuf',
    [OTLP_ENV.serviceName]: options.env[OTLP_ENV.serviceName] || options.experiment,
  };
  return {
    env,
    prepare: () => receiver.prepare(),
    get wroteTraces() {
      return writer !== undefined;
    },
    async finish() {
      try {
        await receiver.stop();
        await Promise.all([...scoring]);
      } finally {
        try {
          writer?.close();
        } catch (error) {
          failure ??= error; // lines gathered since the last write: failed as they were written
        }
      }
      const counts = live?.counts ?? { requests: 0, spans: 0, traces: 0, lateSpans: 0 };
      const { requests, spans, traces, lateSpans } = counts;
      // Every line is on disk once the writer has closed, but for a trace refused and those a
      // failed write lost (the lines gathered with it, and every trace after it).
      const unwritten = traces - (writer?.linesWritten ?? 0);
      const lost = [
        ...(lateSpans > 0 ? [`${countNoun(lateSpans, 'late span')} not recorded`] : []),
        ...(unwritten > 0 ? [`${countNoun(unwritten, 'trace')} not written`] : []),
      ];
      if (spans > 0)
        options.onLog(
          `received ${countNoun(spans, 'span')} in ${countNoun(requests, 'request')} → ${countNoun(traces, 'trace')}${lost.length > 0 ? ` (${lost.join(', ')})` : ''}`,
        );
      if (failure !== undefined) throw failure;
      return { ...counts, ...(writer ? { written: writer.written, liveChunks: writer.liveChunks } : {}) };
    },
  };
}
