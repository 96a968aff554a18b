/**
 * gRPC's message framing over HTTP/2 (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
 * each message is a byte saying whether it is compressed, its length as 4 big-endian bytes, then
 * the message. An OTLP/gRPC `Export` call carries one request message. Pure.
 */

/** Why a body is not one gRPC message. */
export class GrpcFrameError extends Error {
  override name = 'GrpcFrameError';
}

export interface GrpcMessage {
  compressed: boolean;
  message: Buffer;
}

/** The one message of a unary call's body. */
export function readGrpcMessage(body: Buffer): GrpcMessage {
  if (body.length < 5) throw new GrpcFrameError(`the body is ${body.length} bytes, shorter than a gRPC message's 5-byte prefix`);
  const flag = body[0]!;
  if (flag > 1) throw new GrpcFrameError(`the gRPC message's compressed flag is ${flag}, not 0 or 1`);
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) {
    throw new GrpcFrameError(
      body.length < 5 + length
        ? `the gRPC message says ${length} bytes but the body holds ${body.length - 5}`
        : `the body holds more than the one gRPC message of ${length} bytes an Export call sends`,
    );
  }
  return { compressed: flag === 1, message: body.subarray(5) };
}

/** `message` framed as one uncompressed gRPC message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.byteLength);
  frame[0] = 0;
  frame.writeUInt32BE(message.byteLength, 1);
  frame.set(message, 5);
  return frame;
}

/** A `grpc-message` trailer: percent-encoded UTF-8, as the protocol asks. */
export function grpcMessageHeader(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (byte) =>
    byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}
