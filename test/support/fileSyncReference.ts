// fsutil's messages encoded the plain way, field by field through ProtoWriter: the
// reference the tests hold the fast writers of src/core/build/fileSyncWire.ts to, byte
// for byte. Only tests use it; the product writes framed messages straight into a batch.
import type { ContextEntry } from '../../src/core/buildcontext/contextWalk';
import { devNumbers, goFileMode, modTimeNs, type PacketType } from '../../src/core/build/fileSyncWire';
import { ProtoWriter } from '../../src/core/build/protoWire';

/** fsutil's Stat (types/stat.proto), owner reset to 0:0 as the docker CLI does for the context. */
export function encodeStat(e: ContextEntry): ProtoWriter {
  const w = new ProtoWriter()
    .string(1, e.path)
    .uint(2, goFileMode(e))
    .uint(5, e.kind === 'file' ? e.size : 0)
    .uint(6, modTimeNs(e))
    .string(7, e.linkTarget);
  const dev = devNumbers(e);
  if (dev) w.uint(8, dev[0]).uint(9, dev[1]);
  return w;
}

/** fsutil's Packet (types/wire.proto). */
export function encodePacket(type: PacketType, opts: { stat?: ProtoWriter; id?: number; data?: Uint8Array } = {}): Buffer {
  const w = new ProtoWriter().uint(1, type);
  if (opts.stat) w.message(2, opts.stat);
  return w.uint(3, opts.id ?? 0).bytes(4, opts.data).finish();
}
