import assert from 'node:assert/strict';
import { GrpcDeframer, grpcFrame } from '../../../src/core/build/grpcServer';
import { decodePacket, goFileMode, narrowEntries } from '../../../src/core/build/fileSync';
import { encodePacket, encodeStat } from '../../support/fileSyncReference';
import { writeBareFrame, writeDataFrame, writeStatFrame } from '../../../src/core/build/fileSyncWire';
import { ProtoMessage, ProtoWriter, varintSize, WireBuffer, writeVarint } from '../../../src/core/build/protoWire';
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

  it('writes number varints exactly as the BigInt ones, up to 2^64', () => {
    const values = [1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 1_764_000_000_123_456_768, 2 ** 63, 2 ** 64 - 2048];
    for (const v of values) {
      const big = new ProtoWriter().uint(1, BigInt(v)).finish();
      const buf = new Uint8Array(11);
      const end = writeVarint(buf, 0, v);
      assert.equal(end, varintSize(v), `size of ${v}`);
      assert.deepEqual([...buf.subarray(0, end)], [...big.subarray(1)], `varint of ${v}`);
      assert.deepEqual([...new ProtoWriter().uint(1, v).finish()], [...big], `ProtoWriter number ${v}`);
    }
    const zero = new Uint8Array(1);
    assert.equal(writeVarint(zero, 0, 0), 1);
    assert.equal(zero[0], 0);
  });

  it('frames STAT, DATA and bare packets straight into a batch, byte for byte as the reference encoders', () => {
    const entries: ContextEntry[] = [
      { path: 'src/a.txt', kind: 'file', size: 12, mode: 0o644, mtimeMs: 1_700_000_000_123.456 },
      { path: 'src', kind: 'directory', size: 0, mode: 0o755, mtimeMs: 1_764_000_000_000.000_9 },
      { path: 'ünïcødé/日本.txt', kind: 'file', size: 0, mode: 0o600, mtimeMs: 0 },
      { path: 'link', kind: 'symlink', size: 0, mode: 0o777, mtimeMs: 5, linkTarget: '../ziel/ä' },
      { path: 'dev/null', kind: 'character-device', size: 0, mode: 0o666, mtimeMs: 1, rdev: (1 << 8) | 3 },
      { path: 'dev/big', kind: 'block-device', size: 0, mode: 0o4755, mtimeMs: 1, rdev: (259 << 8) | (0x12 << 12) | 7 },
      { path: 'x'.repeat(300), kind: 'file', size: 2 ** 40, mode: 0o1777, mtimeMs: 1 },
    ];
    const w = new WireBuffer(16); // grows as needed
    for (const e of entries) writeStatFrame(w, e);
    writeBareFrame(w, 0);
    writeDataFrame(w, 7, Buffer.from('xy'));
    writeDataFrame(w, 7);
    writeDataFrame(w, 0, Buffer.alloc(40_000, 1));
    writeBareFrame(w, 3);
    const expected = Buffer.concat([
      ...entries.map((e) => grpcFrame(encodePacket(0, { stat: encodeStat(e) }))),
      grpcFrame(encodePacket(0)),
      grpcFrame(encodePacket(2, { id: 7, data: Buffer.from('xy') })),
      grpcFrame(encodePacket(2, { id: 7 })),
      grpcFrame(encodePacket(2, { data: Buffer.alloc(40_000, 1) })),
      grpcFrame(encodePacket(3)),
    ]);
    assert.ok(w.take().equals(expected));
    assert.equal(w.pos, 0, 'take() starts a new batch');
  });

  it('reads REQ packets with ids past 2^31 and skips fields it does not know', () => {
    const raw = new ProtoWriter().uint(1, 1).uint(3, 2 ** 32 - 1).uint(9, 2n ** 63n).bytes(10, Buffer.from('?')).finish();
    assert.deepEqual(decodePacket(raw), { type: 1, id: 2 ** 32 - 1, data: undefined });
    assert.throws(() => decodePacket(Buffer.from([0x22, 5, 1])), /truncated/);
  });

  it('narrows to include patterns, keeping the folders above what matches', () => {
    const entries: ContextEntry[] = ['.dockerignore', 'a', 'a/b', 'a/b/c.txt', 'a/d.txt', 'z.txt'].map((p) => ({ path: p, kind: p.includes('.') ? 'file' : 'directory', size: 0, mode: 0o644, mtimeMs: 0 }));
    assert.deepEqual(narrowEntries(entries, ['.dockerignore']).map((e) => e.path), ['.dockerignore']);
    assert.deepEqual(narrowEntries(entries, ['a/b/c.txt']).map((e) => e.path), ['a', 'a/b', 'a/b/c.txt']);
    assert.equal(narrowEntries(entries, []).length, entries.length);
  });
});
