import * as http2 from 'node:http2';
import type { Duplex } from 'node:stream';

// A gRPC server on one connection, written by hand because no JavaScript
// library serves gRPC over a socket someone else dialled: in a build session
// the ENGINE is the HTTP/2 client (BuildKit's session manager calls into us
// over the hijacked /session connection) and Berth answers. gRPC over HTTP/2
// is small: each message is a 5-byte prefix (compressed flag, big-endian
// length) and the body; the reply carries `content-type: application/grpc`
// and ends with trailers `grpc-status` (0 = OK) and `grpc-message`.

export const GRPC_OK = 0;
export const GRPC_CANCELLED = 1;
export const GRPC_UNKNOWN = 2;
export const GRPC_NOT_FOUND = 5;
export const GRPC_UNIMPLEMENTED = 12;

/** Frames one message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** Splits a byte stream into messages: feed chunks, get the complete messages so far. */
export class GrpcDeframer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.pending.length >= 5) {
      if (this.pending[0] !== 0) throw new Error('gRPC: compressed messages are not supported');
      const len = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + len) break;
      out.push(this.pending.subarray(5, 5 + len));
      this.pending = this.pending.subarray(5 + len);
    }
    return out;
  }

  /** Bytes of an unfinished message (a clean end leaves none). */
  get leftover(): number {
    return this.pending.length;
  }
}

export class GrpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** One call: its metadata (every value of every key, in order), the messages coming in, a way to send. */
export interface GrpcCall {
  method: string;
  metadata: Map<string, string[]>;
  /** Messages from the peer, as they arrive; ends when the peer half-closes. */
  messages: AsyncIterable<Buffer>;
  /** Sends one message, waiting while HTTP/2 flow control holds the stream back. */
  send(message: Uint8Array): Promise<void>;
  /** Sends bytes already framed (whole messages, several at once: one write for them all), waiting as `send` does. */
  sendFramed(frames: Buffer): Promise<void>;
  /** Aborts when the peer cancels the call or the connection goes. */
  signal: AbortSignal;
}

/** A handler returns when the call is complete (trailers OK) or throws (a GrpcError's code, else UNKNOWN). */
export type GrpcHandler = (call: GrpcCall) => Promise<void>;

export interface GrpcConnection {
  /** Resolves when the connection has closed, for whatever reason. */
  closed: Promise<void>;
  close(): void;
}

/** Serves `handlers` (keyed by "/package.Service/Method") on `socket` until it closes. */
export function serveGrpc(socket: Duplex, handlers: ReadonlyMap<string, GrpcHandler>, onError?: (err: Error) => void): GrpcConnection {
  const server = http2.createServer();
  let session: http2.ServerHttp2Session | undefined;
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
  });
  server.on('session', (s) => {
    session = s;
    s.on('error', (err) => onError?.(err));
  });
  server.on('stream', (stream: http2.ServerHttp2Stream, _headers: http2.IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
    void handleStream(stream, rawHeaders, handlers).catch((err: Error) => onError?.(err));
  });
  // The engine is the HTTP/2 client; this hands Node's server the connection it dialled.
  server.emit('connection', socket);
  return {
    closed,
    close: () => {
      session?.destroy();
      socket.destroy();
    },
  };
}

async function handleStream(stream: http2.ServerHttp2Stream, rawHeaders: string[], handlers: ReadonlyMap<string, GrpcHandler>): Promise<void> {
  const metadata = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = rawHeaders[i].toLowerCase();
    metadata.set(key, [...(metadata.get(key) ?? []), rawHeaders[i + 1]]);
  }
  const method = metadata.get(':path')?.[0] ?? '';
  const handler = handlers.get(method);
  stream.on('error', () => undefined); // a reset by the peer ends the call; the signal tells the handler
  if (!handler) {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(GRPC_UNIMPLEMENTED), 'grpc-message': `${method} is not served by this session` }, { endStream: true });
    return;
  }
  const abort = new AbortController();
  stream.once('close', () => abort.abort(new GrpcError(GRPC_CANCELLED, 'call closed')));
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  let trailers: Record<string, string> = { 'grpc-status': String(GRPC_OK) };
  stream.once('wantTrailers', () => stream.sendTrailers(trailers));
  const call: GrpcCall = {
    method,
    metadata,
    messages: incoming(stream),
    send: (message) => write(stream, grpcFrame(message)),
    sendFramed: (frames) => write(stream, frames),
    signal: abort.signal,
  };
  try {
    await handler(call);
  } catch (err) {
    const code = err instanceof GrpcError ? err.code : GRPC_UNKNOWN;
    // grpc-message is percent-encoded text (gRPC's HTTP/2 spec).
    trailers = { 'grpc-status': String(code), 'grpc-message': encodeURIComponent((err as Error).message ?? String(err)) };
  }
  if (!stream.destroyed && !stream.closed) stream.end();
}

// Not `for await (chunk of stream)`: leaving such a loop early destroys the
// stream, and a handler that is done reading (DiffCopy after FIN) must still
// send its trailers. Messages are queued from 'data' events instead.
function incoming(stream: http2.ServerHttp2Stream): AsyncIterable<Buffer> {
  const deframer = new GrpcDeframer();
  // Read from `head` on, not with shift(): tens of thousands of REQs can be waiting (a large
  // context's files), and shift() moves every element left each time.
  let queue: Buffer[] = [];
  let head = 0;
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  stream.on('data', (chunk: Buffer) => {
    try {
      for (const m of deframer.push(chunk)) queue.push(m);
    } catch (err) {
      failure = err as Error;
    }
    notify();
  });
  stream.once('end', () => {
    ended = true;
    notify();
  });
  stream.once('close', () => {
    ended = true;
    notify();
  });
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (failure) throw failure;
        if (head < queue.length) {
          const m = queue[head++];
          if (head === queue.length) {
            queue = [];
            head = 0;
          }
          yield m;
          continue;
        }
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

// How much may wait in the stream's own buffer before a sender waits for it to
// drain. Node's default (16 KiB) would stop a sender at every batch of
// messages, and each stop costs a turn of the event loop while the engine
// keeps reading; HTTP/2 flow control still bounds what is in flight.
const WRITE_BUFFER_LIMIT = 1 << 20;

/** Per stream, the one wait for 'drain' that every sender past the limit shares (one listener pair, however many wait). */
const drains = new WeakMap<http2.ServerHttp2Stream, Promise<void>>();

function write(stream: http2.ServerHttp2Stream, data: Buffer): Promise<void> {
  if (stream.destroyed || stream.closed) return Promise.reject(new GrpcError(GRPC_CANCELLED, 'call closed'));
  stream.write(data, (err) => (err ? stream.destroy(err) : undefined));
  if (stream.writableLength < WRITE_BUFFER_LIMIT) return Promise.resolve();
  // Past the limit, write() has returned false, so 'drain' will come (or 'close').
  let wait = drains.get(stream);
  if (!wait) {
    wait = new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        stream.off('close', onClose);
        drains.delete(stream);
        resolve();
      };
      const onClose = () => {
        stream.off('drain', onDrain);
        drains.delete(stream);
        reject(new GrpcError(GRPC_CANCELLED, 'call closed'));
      };
      stream.once('drain', onDrain);
      stream.once('close', onClose);
    });
    drains.set(stream, wait);
  }
  return wait;
}
