/**
 * What the receiver needs to read and answer a request beyond listening for it: protobufjs, the
 * OTLP messages and the OTLP mapping, about 60 ms of loading that `labbook run` spends after its
 * command is spawned (while the command's own runtime starts) rather than before (see
 * `OtlpReceiver.prepare`).
 */
export {
  decodeTraceRequestSalvaging,
  encodeStatus,
  encodeTraceRequest,
  encodeTraceResponse,
  ProtobufDecodeError,
  readSpanTraceIds,
} from '../otlp/protobuf-codec.ts';
export { spanTraceIdsOf } from '../otlp/import-otlp.ts';
export { rehearsalRequest } from './rehearsal.ts';
