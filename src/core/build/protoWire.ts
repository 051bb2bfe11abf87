// The protobuf wire format, only as far as the build session needs it.
//
// Why hand-written and not protobufjs: the session speaks six small messages
// (fsutil's Packet and Stat, BuildKit's StatusResponse family, the health and
// auth replies) and uses varints, length-delimited fields and nothing else.
// This file is ~120 lines; protobufjs would add a dependency and a runtime
// load for descriptors we would still have to write. Field numbers are copied
// from the .proto files named beside each message (fsutil types/*.proto,
// buildkit api/services/control/control.proto, solver/pb/ops.proto).

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

/** Appends fields to a growing list of chunks; `finish()` joins them. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  private varint(v: bigint | number): void {
    if (typeof v === 'number' && v >= 0 && Number.isInteger(v)) {
      // Numbers without BigInt: the common case (ids, modes, sizes, times as integer doubles).
      const out = new Uint8Array(varintSize(v));
      writeVarint(out, 0, v);
      this.parts.push(out);
      return;
    }
    let n = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    while (n >= 0x80n) {
      out.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    out.push(Number(n));
    this.parts.push(Uint8Array.from(out));
  }

  private tag(field: number, type: WireType): void {
    this.varint((field << 3) | type);
  }

  /** A varint field; proto3 leaves zero values out, so do we. */
  uint(field: number, v: number | bigint): this {
    if (v === 0 || v === 0n) return this;
    this.tag(field, WireType.Varint);
    this.varint(v);
    return this;
  }

  bytes(field: number, v: Uint8Array | undefined, keepEmpty = false): this {
    if (!v || (v.length === 0 && !keepEmpty)) return this;
    this.tag(field, WireType.Bytes);
    this.varint(v.length);
    this.parts.push(v);
    return this;
  }

  string(field: number, v: string | undefined): this {
    return v ? this.bytes(field, Buffer.from(v, 'utf8')) : this;
  }

  /** An embedded message (always written, even empty: presence matters for messages). */
  message(field: number, w: ProtoWriter): this {
    return this.bytes(field, w.finish(), true);
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Bytes of `v` (a non-negative integer, exact as a double up to 2^64) as a varint. */
export function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes `v` (a non-negative integer) as a varint at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  // Above 2^31 the bit operators would truncate: divide (exact for integers held in a double).
  while (v > 0x7fffffff) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/**
 * A growing buffer that whole gRPC messages are encoded into, several at a
 * time, so that many small messages leave in one write (one HTTP/2 DATA
 * frame's worth and more) instead of one write each. `take()` hands the bytes
 * over and starts a fresh buffer, so nothing handed over is written again.
 */
export class WireBuffer {
  buf: Buffer;
  pos = 0;

  constructor(private readonly capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  varint(v: number): void {
    this.pos = writeVarint(this.buf, this.pos, v);
  }

  /** A 4-byte big-endian length (the gRPC message prefix). */
  uint32be(v: number): void {
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
  }

  utf8(s: string, byteLength: number): void {
    this.buf.write(s, this.pos, byteLength, 'utf8');
    this.pos += byteLength;
  }

  copy(data: Uint8Array): void {
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.pos = 0;
    return out;
  }
}

export interface ProtoField {
  field: number;
  type: WireType;
  /** Varints as bigint (int64 fields such as times and sizes exceed 2^53). */
  varint?: bigint;
  bytes?: Buffer;
}

/** Reads every field of one message; unknown wire types fail (the stream is corrupt). */
export function readFields(buf: Buffer): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('protobuf: varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const type = (key & 7) as WireType;
    switch (type) {
      case WireType.Varint:
        out.push({ field, type, varint: varint() });
        break;
      case WireType.Bytes: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new Error('protobuf: truncated field');
        out.push({ field, type, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case WireType.Fixed64:
        out.push({ field, type, bytes: buf.subarray(pos, pos + 8) });
        pos += 8;
        break;
      case WireType.Fixed32:
        out.push({ field, type, bytes: buf.subarray(pos, pos + 4) });
        pos += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${type as number}`);
    }
  }
  return out;
}

/** Small helpers for decoders: the last value of a scalar field wins, as protobuf says. */
export class ProtoMessage {
  constructor(readonly fields: ProtoField[]) {}

  static parse(buf: Buffer): ProtoMessage {
    return new ProtoMessage(readFields(buf));
  }

  private last(field: number): ProtoField | undefined {
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i].field === field) return this.fields[i];
    return undefined;
  }

  int(field: number): number {
    const v = this.last(field)?.varint;
    return v === undefined ? 0 : Number(BigInt.asIntN(64, v));
  }

  bool(field: number): boolean {
    return this.int(field) !== 0;
  }

  bytes(field: number): Buffer | undefined {
    return this.last(field)?.bytes;
  }

  string(field: number): string {
    return this.bytes(field)?.toString('utf8') ?? '';
  }

  message(field: number): ProtoMessage | undefined {
    const b = this.bytes(field);
    return b ? ProtoMessage.parse(b) : undefined;
  }

  repeated(field: number): Buffer[] {
    return this.fields.filter((f) => f.field === field && f.bytes).map((f) => f.bytes!);
  }

  messages(field: number): ProtoMessage[] {
    return this.repeated(field).map((b) => ProtoMessage.parse(b));
  }

  /** A google.protobuf.Timestamp field as epoch milliseconds (with the fraction: nanoseconds matter when ordering); undefined when unset. */
  timestampMs(field: number): number | undefined {
    const ts = this.message(field);
    return ts ? ts.int(1) * 1000 + ts.int(2) / 1e6 : undefined;
  }
}
