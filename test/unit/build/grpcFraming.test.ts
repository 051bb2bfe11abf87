import assert from 'node:assert/strict';
import { GrpcDeframer, grpcFrame } from '../../../src/core/build/grpcServer';
import { decodePacket, encodePacket, encodeStat, goFileMode, narrowEntries } from '../../../src/core/build/fileSync';
import { ProtoMessage, ProtoWriter } from '../../../src/core/build/protoWire';
import type { ContextEntry } from '../../../src/core/buildcontext/contextWalk';

describe('build: gRPC framing and the file-sync wire', () => {
  it('frames with a 5-byte prefix: uncompressed flag, big-endian length', () => {
    const f = grpcFrame(Buffer.from('abc'));
    assert.deepEqual([...f], [0, 0, 0, 0, 3, 0x61, 0x62, 0x63]);
  });

  it('deframes messages split and joined across chunks', () => {
    const d = new GrpcDeframer();
    const all = Buffer.concat([grpcFrame(Buffer.from('one')), grpcFrame(Buffer.alloc(0)), grpcFrame(Buffer.alloc(70_000, 7))]);
    const got: Buffer[] = [];
    for (let i = 0; i < all.length; i += 1000) got.push(...d.push(all.subarray(i, i + 1000)));
    assert.equal(got.length, 3);
    assert.equal(got[0].toString(), 'one');
    assert.equal(got[1].length, 0);
    assert.equal(got[2].length, 70_000);
    assert.equal(d.leftover, 0);
  });

  it('refuses compressed messages', () => {
    assert.throws(() => new GrpcDeframer().push(Buffer.from([1, 0, 0, 0, 0])), /compressed/);
  });

  it('writes varints of int64 values (nanosecond times) exactly', () => {
    const ns = 1_764_000_000_123_456_789n;
    const m = ProtoMessage.parse(new ProtoWriter().uint(6, ns).finish());
    assert.equal(m.fields[0].varint, ns);
  });

  it("sends Go's os.FileMode, not st_mode", () => {
    assert.equal(goFileMode({ kind: 'directory', mode: 0o755 }), ((1 << 31) | 0o755) >>> 0);
    assert.equal(goFileMode({ kind: 'symlink', mode: 0o777 }), (1 << 27) | 0o777);
    assert.equal(goFileMode({ kind: 'file', mode: 0o4755 }), (1 << 23) | 0o755);
  });

  it('encodes a STAT packet fsutil reads back (Packet{type, stat{path, mode, size, modTime}})', () => {
    const e: ContextEntry = { path: 'src/a.txt', kind: 'file', size: 12, mode: 0o644, mtimeMs: 1_700_000_000_000 };
    const p = ProtoMessage.parse(encodePacket(0, { stat: encodeStat(e) }));
    assert.equal(p.int(1), 0);
    const stat = p.message(2)!;
    assert.equal(stat.string(1), 'src/a.txt');
    assert.equal(stat.int(2), 0o644);
    assert.equal(stat.int(5), 12);
    assert.equal(stat.fields.find((f) => f.field === 6)?.varint, 1_700_000_000_000_000_000n);
    const data = decodePacket(encodePacket(2, { id: 7, data: Buffer.from('xy') }));
    assert.deepEqual({ type: data.type, id: data.id, data: data.data?.toString() }, { type: 2, id: 7, data: 'xy' });
    // The end of the listing is a STAT packet without a stat.
    assert.equal(encodePacket(0).length, 0);
  });

  it('narrows to include patterns, keeping the folders above what matches', () => {
    const entries: ContextEntry[] = ['.dockerignore', 'a', 'a/b', 'a/b/c.txt', 'a/d.txt', 'z.txt'].map((p) => ({ path: p, kind: p.includes('.') ? 'file' : 'directory', size: 0, mode: 0o644, mtimeMs: 0 }));
    assert.deepEqual(narrowEntries(entries, ['.dockerignore']).map((e) => e.path), ['.dockerignore']);
    assert.deepEqual(narrowEntries(entries, ['a/b/c.txt']).map((e) => e.path), ['a', 'a/b', 'a/b/c.txt']);
    assert.equal(narrowEntries(entries, []).length, entries.length);
  });
});
