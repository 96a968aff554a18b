import { open } from 'node:fs/promises';
import { UsageError } from '../errors/index.ts';
import type { ImportFormat } from './import-run.ts';
import { listInputFiles } from './input-files.ts';
import { canStartProtobuf, looksLikeProtobuf } from './otlp/read-protobuf-file.ts';

/** How much of the first file is read to tell its format: its top-level keys come first. */
const HEAD_BYTES = 64 * 1024;

/**
 * The format of an import, told by the first file's content when `--format` is not given:
 * protobuf (a file that is not JSON and starts as protobuf can), or JSON with `resourceSpans`,
 * is OTLP; JSON with an MLflow trace's `info` and `spans` is MLflow. Anything else asks for
 * `--format`, naming the file.
 */
export async function detectImportFormat(paths: readonly string[]): Promise<{ format: ImportFormat; file: string }> {
  const [file] = await listInputFiles(paths);
  if (file === undefined) throw new UsageError('give the file or folder to import');
  const head = await readHead(file);
  // Text that is not JSON (its first byte no protobuf file starts with) is no known format.
  if ((await looksLikeProtobuf(file)) && canStartProtobuf(head.bytes[0]!)) return { format: 'otlp', file };
  const text = head.text;
  const otlp = /"(resourceSpans|resource_spans)"\s*:/.test(text);
  const mlflow = /"info"\s*:/.test(text) && /"spans"\s*:/.test(text);
  if (otlp !== mlflow) return { format: otlp ? 'otlp' : 'mlflow', file };
  throw new UsageError(
    `cannot tell the format of ${file} from its start (neither OTLP's "resourceSpans" nor an MLflow trace's "info" and "spans"): give --format otlp or --format mlflow`,
  );
}

async function readHead(file: string): Promise<{ bytes: Buffer; text: string }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return { bytes: buffer.subarray(0, bytesRead), text: buffer.toString('utf8', 0, bytesRead) };
  } finally {
    await handle.close();
  }
}
