import { TextDecoder } from 'node:util';

export type LogStreamName = 'stdout' | 'stderr';

export interface LogChunk {
  stream: LogStreamName;
  text: string;
}

/**
 * A log stream that cannot be decoded any further. `chunks` holds whatever text
 * the failing call had already decoded, so output that preceded the failure in
 * the same network chunk is not lost to the caller.
 */
export class LogStreamError extends Error {
  constructor(
    message: string,
    readonly fromDaemon: boolean,
    readonly chunks: LogChunk[] = [],
  ) {
    super(message);
    this.name = 'LogStreamError';
  }
}

const HEADER_SIZE = 8;
const TYPE_SYSTEMERR = 3;
// stdin echo (type 0) is what the terminal showed the user, so it belongs with
// stdout; docker-modem's routing it to stderr is a bug we do not copy.
const STREAM_BY_TYPE = new Map<number, LogStreamName>([[0, 'stdout'], [1, 'stdout'], [2, 'stderr']]);

// ignoreBOM keeps a leading U+FEFF that a program actually printed instead of
// silently eating it; fatal:false because one bad byte must not kill the view.
const newDecoder = (): TextDecoder => new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Demultiplexes Docker's framed log/attach stream. Payload bytes are never
 * buffered: each slice goes straight into that stream's streaming decoder, so
 * a huge frame arriving in many chunks costs linear work. Only the 8 header
 * bytes (and a systemerr payload, which we need whole) are held back.
 */
export class LogDemuxer {
  private readonly decoders: Record<LogStreamName, TextDecoder> = { stdout: newDecoder(), stderr: newDecoder() };
  private readonly header = new Uint8Array(HEADER_SIZE);
  private headerFill = 0;
  /** Bytes of the current frame's payload still to come; -1 while reading a header. */
  private remaining = -1;
  private frameType = 0;
  private daemonMessage: Uint8Array[] = [];
  // Once the framing is lost we cannot resynchronise (there is no marker to
  // search for), so every later call reports the same failure.
  private failure: LogStreamError | undefined;

  /** raw = true for TTY containers (no framing). */
  constructor(private readonly raw: boolean) {}

  push(chunk: Uint8Array): LogChunk[] {
    if (this.failure) throw this.failure;
    const out: LogChunk[] = [];
    if (this.raw) {
      emit(out, 'stdout', this.decoders.stdout.decode(chunk, { stream: true }));
      return out;
    }
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining < 0) {
        const take = Math.min(HEADER_SIZE - this.headerFill, chunk.length - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill === HEADER_SIZE) this.startFrame(out);
      } else {
        const take = Math.min(this.remaining, chunk.length - pos);
        this.payload(chunk.subarray(pos, pos + take), out);
        this.remaining -= take;
        pos += take;
      }
      if (this.remaining === 0) this.finishFrame(out);
    }
    return out;
  }

  end(): LogChunk[] {
    if (this.failure) throw this.failure;
    if (!this.raw && (this.headerFill > 0 || this.remaining > 0)) {
      const what = this.remaining > 0 ? `payload (${this.remaining} bytes missing)` : 'header';
      this.fail(`Log stream ended inside a frame ${what}`, false, []);
    }
    const out: LogChunk[] = [];
    // A final decode() without stream:true turns a dangling partial UTF-8
    // sequence into U+FFFD rather than dropping it silently.
    emit(out, 'stdout', this.decoders.stdout.decode());
    emit(out, 'stderr', this.decoders.stderr.decode());
    return out;
  }

  private startFrame(out: LogChunk[]): void {
    const h = this.header;
    // Bytes 1-3 are reserved as zero; anything else means we are reading
    // payload as a header, and guessing (as docker-modem does by falling back
    // to raw passthrough) would show garbage as if it were real output.
    const knownType = h[0] === TYPE_SYSTEMERR || STREAM_BY_TYPE.has(h[0]);
    if (!knownType || h[1] !== 0 || h[2] !== 0 || h[3] !== 0) {
      const hex = Array.from(h, (b) => b.toString(16).padStart(2, '0')).join(' ');
      this.fail(`Corrupt log frame header: ${hex}`, false, out);
    }
    this.frameType = h[0];
    this.remaining = ((h[4] << 24) | (h[5] << 16) | (h[6] << 8) | h[7]) >>> 0;
    this.headerFill = 0;
  }

  private payload(bytes: Uint8Array, out: LogChunk[]): void {
    if (bytes.length === 0) return;
    if (this.frameType === TYPE_SYSTEMERR) {
      // Copy: the caller may reuse its buffer before the message is complete.
      this.daemonMessage.push(bytes.slice());
      return;
    }
    const stream = STREAM_BY_TYPE.get(this.frameType) ?? 'stdout';
    emit(out, stream, this.decoders[stream].decode(bytes, { stream: true }));
  }

  private finishFrame(out: LogChunk[]): void {
    this.remaining = -1;
    if (this.frameType !== TYPE_SYSTEMERR) return;
    const text = new TextDecoder('utf-8').decode(Buffer.concat(this.daemonMessage));
    this.daemonMessage = [];
    // Trailing newline is wire formatting, not part of what the user should see.
    this.fail(text.trimEnd() || 'Docker daemon reported an error in the log stream', true, out);
  }

  private fail(message: string, fromDaemon: boolean, out: LogChunk[]): never {
    this.failure = new LogStreamError(message, fromDaemon, out);
    throw this.failure;
  }
}

/** Appends text, merging with the previous chunk when it is the same stream. */
function emit(out: LogChunk[], stream: LogStreamName, text: string): void {
  if (text.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.stream === stream) last.text += text;
  else out.push({ stream, text });
}

/**
 * Splits streamed text into lines for rendering. Lines longer than the cap are
 * cut into pieces, and an unterminated line is cut eagerly too, so a program
 * that never prints a newline cannot grow the buffer without bound.
 */
export class LineBuffer {
  private rest = '';

  constructor(private readonly max = 16 * 1024) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxLineLength must be a positive integer, got ${max}`);
  }

  push(text: string): string[] {
    const lines: string[] = [];
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    for (const part of parts) this.cut(part.endsWith('\r') ? part.slice(0, -1) : part, lines);
    // A trailing '\r' may be half of a "\r\n" split across pushes, so it must
    // not count toward the cap; cutting only while strictly over the cap keeps
    // `rest` non-empty, so the '\n' that follows never yields an empty line.
    const pendingCr = this.rest.endsWith('\r') ? 1 : 0;
    while (this.rest.length - pendingCr > this.max) {
      const at = this.cutPoint(this.rest);
      lines.push(this.rest.slice(0, at));
      this.rest = this.rest.slice(at);
    }
    return lines;
  }

  flush(): string[] {
    const last = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
    this.rest = '';
    return last.length > 0 ? this.cut(last, []) : [];
  }

  private cut(line: string, into: string[]): string[] {
    while (line.length > this.max) {
      const at = this.cutPoint(line);
      into.push(line.slice(0, at));
      line = line.slice(at);
    }
    into.push(line);
    return into;
  }

  /** Cap position, moved back one so a surrogate pair is never split. */
  private cutPoint(s: string): number {
    const code = s.charCodeAt(this.max - 1);
    return this.max > 1 && code >= 0xd800 && code <= 0xdbff ? this.max - 1 : this.max;
  }
}
