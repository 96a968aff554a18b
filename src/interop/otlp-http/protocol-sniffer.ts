import type { Server as HttpServer } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** What an HTTP/2 client sends first (RFC 9113, 3.4); gRPC is HTTP/2 without TLS here. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * One port for HTTP/1.1 and HTTP/2 without TLS: the exporter's protocol is its own choice
 * (OTLP/HTTP is usually HTTP/1.1, OTLP/gRPC is HTTP/2), and OTEL_EXPORTER_OTLP_ENDPOINT names one
 * address for both. `http1` listens; each connection's first bytes say which protocol it
 * speaks, and it then goes to that server's own connection handling, as if it had accepted it
 * (the HTTP/1.1 server keeps its timeouts and its idea of idle connections). Node's HTTP/2 server
 * reads a socket's handle directly, past bytes already read, so an HTTP/2 connection reaches it
 * through a stream that replays them.
 */
export function sniffHttp2(http1: HttpServer, http2: Http2Server): void {
  const handlers = http1.listeners('connection') as Array<(socket: Socket) => void>;
  http1.removeAllListeners('connection');
  http1.on('connection', (socket: Socket) => {
    let seen: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const compared = Math.min(seen.length, HTTP2_PREFACE.length);
      const isHttp2 = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
      if (isHttp2 && seen.length < HTTP2_PREFACE.length) return; // the preface so far: wait for the rest
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.setTimeout(0);
      socket.removeListener('timeout', onTimeout);
      socket.pause();
      if (isHttp2) {
        http2.emit('connection', replaying(socket, seen));
      } else {
        socket.unshift(seen);
        for (const handler of handlers) handler.call(http1, socket);
        socket.resume();
      }
    };
    // A client that connects and goes away before saying anything.
    const onError = () => socket.destroy();
    socket.on('data', onData);
    socket.on('error', onError);
    // A connection that stops halfway through the HTTP/2 preface holds nothing for long.
    const onTimeout = () => socket.destroy();
    socket.setTimeout(30_000, onTimeout);
  });
}

/** `socket` as a stream that first yields `first`, the bytes already read from it. */
function replaying(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => void socket.write(chunk, callback),
    final: (callback) => void socket.end(callback),
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(first);
  socket.on('data', (data: Buffer) => {
    if (!stream.push(data)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  // What Node's HTTP/2 server reads from a connection besides its bytes.
  Object.defineProperties(stream, {
    remoteAddress: { get: () => socket.remoteAddress },
    remotePort: { get: () => socket.remotePort },
    localAddress: { get: () => socket.localAddress },
    localPort: { get: () => socket.localPort },
  });
  return stream;
}
