import type { ContextEntry } from '../buildcontext/contextWalk';
import { varintSize, WireBuffer } from './protoWire';

// fsutil's wire messages (types/wire.proto Packet, types/stat.proto Stat) and
// their gRPC framing, as the sending side of DiffCopy writes them.
//
// The listing is one STAT packet per entry (20,000 on a large context) and a
// small file is answered with two DATA packets: encoded one by one through
// ProtoWriter (a chunk per field, BigInt varints, a copy per nesting level
// and one more for the gRPC prefix) they cost more than the walk did. The
// writers here encode a whole framed message straight into a WireBuffer,
// sizes computed first, so a batch of them is one buffer, written once.
// test/support/fileSyncReference.ts encodes the same messages field by field
// with ProtoWriter: the reference the tests compare these bytes with.

export const enum PacketType {
  Stat = 0,
  Req = 1,
  Data = 2,
  Fin = 3,
  Err = 4,
}

// Go's os.FileMode bits: fsutil sends Go's mode, not the Unix st_mode.
const GO_DIR = 1 << 31;
const GO_SYMLINK = 1 << 27;
const GO_DEVICE = 1 << 26;
const GO_PIPE = 1 << 25;
const GO_SETUID = 1 << 23;
const GO_SETGID = 1 << 22;
const GO_CHARDEV = 1 << 21;
const GO_STICKY = 1 << 20;

export function goFileMode(e: Pick<ContextEntry, 'kind' | 'mode'>): number {
  let m = e.mode & 0o777;
  if (e.mode & 0o4000) m |= GO_SETUID;
  if (e.mode & 0o2000) m |= GO_SETGID;
  if (e.mode & 0o1000) m |= GO_STICKY;
  switch (e.kind) {
    case 'directory': m |= GO_DIR; break;
    case 'symlink': m |= GO_SYMLINK; break;
    case 'fifo': m |= GO_PIPE; break;
    case 'character-device': m |= GO_DEVICE | GO_CHARDEV; break;
    case 'block-device': m |= GO_DEVICE; break;
  }
  return m >>> 0;
}

/** The modification time as fsutil's int64 nanoseconds (an integer held exactly in a double). */
export const modTimeNs = (e: ContextEntry) => Math.round(e.mtimeMs * 1e6);

export function devNumbers(e: ContextEntry): [major: number, minor: number] | undefined {
  if (e.rdev === undefined || (e.kind !== 'character-device' && e.kind !== 'block-device')) return undefined;
  return [(e.rdev >> 8) & 0xfff, (e.rdev & 0xff) | ((e.rdev >> 12) & 0xfff00)];
}

/** A varint field's bytes (tag included); 0 when proto3 leaves it out (zero). */
const uintField = (v: number) => (v === 0 ? 0 : 1 + varintSize(v));
const bytesField = (n: number) => (n === 0 ? 0 : 1 + varintSize(n) + n);

/** Appends one framed gRPC message: Packet{type: STAT, stat: <e>}, the same bytes as encodePacket(Stat, {stat: encodeStat(e)}). */
export function writeStatFrame(w: WireBuffer, e: ContextEntry): void {
  const pathLen = Buffer.byteLength(e.path, 'utf8');
  const linkLen = e.linkTarget ? Buffer.byteLength(e.linkTarget, 'utf8') : 0;
  const mode = goFileMode(e);
  const size = e.kind === 'file' ? e.size : 0;
  const ns = modTimeNs(e);
  const dev = devNumbers(e);
  const statLen = bytesField(pathLen) + uintField(mode) + uintField(size) + uintField(ns) + bytesField(linkLen) + (dev ? uintField(dev[0]) + uintField(dev[1]) : 0);
  const packetLen = 1 + varintSize(statLen) + statLen;
  w.reserve(5 + packetLen);
  w.byte(0);
  w.uint32be(packetLen);
  w.byte((2 << 3) | 2); // stat, length-delimited
  w.varint(statLen);
  if (pathLen) {
    w.byte((1 << 3) | 2);
    w.varint(pathLen);
    w.utf8(e.path, pathLen);
  }
  if (mode) (w.byte(2 << 3), w.varint(mode));
  if (size) (w.byte(5 << 3), w.varint(size));
  if (ns) (w.byte(6 << 3), w.varint(ns));
  if (linkLen) {
    w.byte((7 << 3) | 2);
    w.varint(linkLen);
    w.utf8(e.linkTarget!, linkLen);
  }
  if (dev?.[0]) (w.byte(8 << 3), w.varint(dev[0]));
  if (dev?.[1]) (w.byte(9 << 3), w.varint(dev[1]));
}

/** Appends a framed Packet with no fields but its type (STAT: the end of the listing; FIN). */
export function writeBareFrame(w: WireBuffer, type: PacketType): void {
  const packetLen = uintField(type);
  w.reserve(5 + packetLen);
  w.byte(0);
  w.uint32be(packetLen);
  if (type) (w.byte(1 << 3), w.varint(type));
}

/** Appends a framed Packet{type: DATA, id, data}; no data (or empty) is the end of that file. */
export function writeDataFrame(w: WireBuffer, id: number, data?: Uint8Array): void {
  const n = data?.length ?? 0;
  const packetLen = uintField(PacketType.Data) + uintField(id) + bytesField(n);
  w.reserve(5 + packetLen);
  w.byte(0);
  w.uint32be(packetLen);
  w.byte(1 << 3);
  w.varint(PacketType.Data);
  if (id) (w.byte(3 << 3), w.varint(id));
  if (n) {
    w.byte((4 << 3) | 2);
    w.varint(n);
    w.copy(data!);
  }
}

/**
 * Reads a Packet as the receiver sends them (REQ, FIN, ERR): type, id and
 * data, other fields skipped. Numbers, not BigInt: a REQ per file is read.
 */
export function decodePacket(buf: Buffer): { type: number; id: number; data?: Buffer } {
  let type = 0;
  let id = 0;
  let data: Buffer | undefined;
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++];
      v += (b & 0x7f) * scale;
      if (!(b & 0x80)) return v;
      scale *= 128;
      if (scale > 2 ** 70) throw new Error('protobuf: varint too long');
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    switch (key % 8) {
      case 0: {
        const v = varint();
        // int32/uint32 fields: the low 32 bits, as Go reads them.
        if (field === 1) type = v % 2 ** 32 | 0;
        else if (field === 3) id = v % 2 ** 32 >>> 0;
        break;
      }
      case 2: {
        const len = varint();
        if (pos + len > buf.length) throw new Error('protobuf: truncated field');
        if (field === 4) data = buf.subarray(pos, pos + len);
        pos += len;
        break;
      }
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${key % 8}`);
    }
  }
  if (pos > buf.length) throw new Error('protobuf: truncated field');
  return { type, id, data };
}
