import assert from 'node:assert/strict';
import { LineBuffer, LogChunk, LogDemuxer, LogStreamError } from '../../../src/core/engine/logFrames';

// Built from the wire format description, not from the code under test, so a
// mistake in the demuxer's header parsing cannot cancel out here.
function frame(type: number, payload: string | Uint8Array): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** Feeds the pieces and ends the stream, returning every chunk produced. */
function run(demux: LogDemuxer, pieces: Uint8Array[]): LogChunk[] {
  const out: LogChunk[] = [];
  for (const piece of pieces) out.push(...demux.push(piece));
  out.push(...demux.end());
  return out;
}

/** Canonical form: adjacent same-stream chunks merged, since merging is optional. */
function normalize(chunks: LogChunk[]): LogChunk[] {
  const out: LogChunk[] = [];
  for (const c of chunks) {
    assert.ok(c.text.length > 0, 'empty chunks should not be emitted');
    const last = out[out.length - 1];
    if (last && last.stream === c.stream) last.text += c.text;
    else out.push({ ...c });
  }
  return out;
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...cuts, buf.length];
  return points.slice(1).map((end, i) => buf.subarray(points[i], end));
}

// mulberry32: tiny, deterministic, so a failing split is reproducible.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectStreamError(fn: () => unknown, fromDaemon: boolean, message?: RegExp | string): LogStreamError {
  let caught: unknown;
  assert.throws(fn, (err: unknown) => {
    caught = err;
    return err instanceof LogStreamError;
  });
  const err = caught as LogStreamError;
  assert.equal(err.fromDaemon, fromDaemon);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
  return err;
}

// Multibyte characters of every UTF-8 length, split at awkward places below.
const MIXED = Buffer.concat([
  frame(1, 'hello '),
  frame(2, 'warn: é\n'),
  frame(1, ''),
  frame(1, 'price €5 and 🐳\n'),
  frame(0, 'typed'),
  frame(2, Buffer.from('日本', 'utf8')),
  frame(1, 'end\n'),
]);
const MIXED_EXPECTED: LogChunk[] = [
  { stream: 'stdout', text: 'hello ' },
  { stream: 'stderr', text: 'warn: é\n' },
  { stream: 'stdout', text: 'price €5 and 🐳\ntyped' },
  { stream: 'stderr', text: '日本' },
  { stream: 'stdout', text: 'end\n' },
];

describe('LogDemuxer (multiplexed)', () => {
  it('decodes a single stdout frame', () => {
    assert.deepEqual(run(new LogDemuxer(false), [frame(1, 'hi\n')]), [{ stream: 'stdout', text: 'hi\n' }]);
  });

  it('decodes several frames in one chunk and merges adjacent same-stream text', () => {
    const buf = Buffer.concat([frame(1, 'a'), frame(1, 'b'), frame(2, 'c'), frame(1, 'd')]);
    assert.deepEqual(new LogDemuxer(false).push(buf), [
      { stream: 'stdout', text: 'ab' },
      { stream: 'stderr', text: 'c' },
      { stream: 'stdout', text: 'd' },
    ]);
  });

  it('accepts zero-length frames anywhere, including a whole stream of them', () => {
    const buf = Buffer.concat([frame(1, ''), frame(2, ''), frame(1, 'x'), frame(2, ''), frame(0, '')]);
    assert.deepEqual(run(new LogDemuxer(false), [buf]), [{ stream: 'stdout', text: 'x' }]);
    assert.deepEqual(run(new LogDemuxer(false), [frame(1, ''), frame(2, '')]), []);
  });

  it('routes stdin frames (type 0) to stdout, not stderr', () => {
    assert.deepEqual(run(new LogDemuxer(false), [frame(0, 'echo')]), [{ stream: 'stdout', text: 'echo' }]);
  });

  it('handles a header delivered one byte at a time', () => {
    const buf = frame(2, 'oops');
    const pieces = Array.from(buf, (b) => Uint8Array.of(b));
    assert.deepEqual(normalize(run(new LogDemuxer(false), pieces)), [{ stream: 'stderr', text: 'oops' }]);
  });

  it('produces identical output for a split at every position', () => {
    assert.deepEqual(normalize(run(new LogDemuxer(false), [MIXED])), MIXED_EXPECTED);
    for (let i = 0; i <= MIXED.length; i++) {
      const got = normalize(run(new LogDemuxer(false), splitAt(MIXED, [i])));
      assert.deepEqual(got, MIXED_EXPECTED, `split at ${i}`);
    }
  });

  it('produces identical output for seeded random chunk boundaries', () => {
    const rand = prng(0xbe27);
    for (let round = 0; round < 300; round++) {
      const cuts = new Set<number>();
      const count = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < count; i++) cuts.add(Math.floor(rand() * (MIXED.length + 1)));
      const sorted = [...cuts].sort((a, b) => a - b);
      const got = normalize(run(new LogDemuxer(false), splitAt(MIXED, sorted)));
      assert.deepEqual(got, MIXED_EXPECTED, `cuts ${sorted.join(',')}`);
    }
  });

  it('keeps a multibyte character split across frames, with the other stream interleaved', () => {
    const whale = Buffer.from('🐳', 'utf8'); // 4 bytes
    const euro = Buffer.from('€', 'utf8'); // 3 bytes
    const buf = Buffer.concat([
      frame(1, whale.subarray(0, 1)),
      frame(2, euro.subarray(0, 2)),
      frame(1, whale.subarray(1, 3)),
      frame(2, euro.subarray(2)),
      frame(1, whale.subarray(3)),
    ]);
    const got = normalize(run(new LogDemuxer(false), [buf]));
    assert.deepEqual(got, [
      { stream: 'stderr', text: '€' },
      { stream: 'stdout', text: '🐳' },
    ]);
  });

  it('decodes a large payload arriving in many chunks', () => {
    const text = 'abcdefghij€'.repeat(100_000);
    const buf = frame(1, text);
    const pieces: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 4093) pieces.push(buf.subarray(i, i + 4093));
    const got = normalize(run(new LogDemuxer(false), pieces));
    assert.equal(got.length, 1);
    assert.equal(got[0].text, text);
  });

  it('rejects an invalid stream type instead of falling back to raw passthrough', () => {
    const demux = new LogDemuxer(false);
    const bad = Buffer.concat([frame(1, 'ok'), frame(4, 'junk')]);
    const err = expectStreamError(() => demux.push(bad), false, /corrupt/i);
    assert.deepEqual(err.chunks, [{ stream: 'stdout', text: 'ok' }], 'text before the bad header is kept');
    // The framing is lost for good: later bytes must not be shown as output.
    expectStreamError(() => demux.push(frame(1, 'after')), false, /corrupt/i);
    expectStreamError(() => demux.end(), false, /corrupt/i);
  });

  it('rejects a header whose reserved bytes 1-3 are not zero', () => {
    for (const idx of [1, 2, 3]) {
      const bad = frame(1, 'x');
      bad[idx] = 0x20;
      expectStreamError(() => new LogDemuxer(false).push(bad), false, /corrupt/i);
    }
  });

  it('detects corruption when the header arrives split across chunks', () => {
    const bad = frame(1, 'x');
    bad[2] = 1;
    const demux = new LogDemuxer(false);
    assert.deepEqual(demux.push(bad.subarray(0, 2)), []);
    expectStreamError(() => demux.push(bad.subarray(2)), false, /corrupt/i);
  });

  it('does not mistake plain text for frames (what a TTY stream would look like)', () => {
    expectStreamError(() => new LogDemuxer(false).push(Buffer.from('hello world\n')), false);
  });

  it('raises the daemon message from a systemerr frame', () => {
    const msg = 'Error grabbing logs: invalid character \'l\' after object key';
    const demux = new LogDemuxer(false);
    const buf = Buffer.concat([frame(1, 'before'), frame(3, msg + '\n'), frame(1, 'after')]);
    const err = expectStreamError(() => demux.push(buf), true, msg);
    assert.deepEqual(err.chunks, [{ stream: 'stdout', text: 'before' }]);
    // The daemon gave up on this stream; later bytes must not resume output.
    expectStreamError(() => demux.push(frame(1, 'more')), true, msg);
    expectStreamError(() => demux.end(), true, msg);
  });

  it('raises a systemerr whose payload is split across chunks, only once complete', () => {
    const buf = frame(3, 'Error grabbing logs: ünexpected EOF');
    const demux = new LogDemuxer(false);
    assert.deepEqual(demux.push(buf.subarray(0, 30)), []);
    expectStreamError(() => demux.push(buf.subarray(30)), true, 'Error grabbing logs: ünexpected EOF');
  });

  it('raises a systemerr with an empty payload', () => {
    const err = expectStreamError(() => new LogDemuxer(false).push(frame(3, '')), true);
    assert.ok(err.message.length > 0);
  });

  it('reports a frame truncated inside its header at end()', () => {
    const buf = Buffer.concat([frame(1, 'ok'), frame(1, 'lost').subarray(0, 5)]);
    const demux = new LogDemuxer(false);
    assert.deepEqual(demux.push(buf), [{ stream: 'stdout', text: 'ok' }]);
    expectStreamError(() => demux.end(), false, /header/);
  });

  it('reports a frame truncated inside its payload at end()', () => {
    const buf = frame(2, 'partial payload');
    const demux = new LogDemuxer(false);
    assert.deepEqual(demux.push(buf.subarray(0, 12)), [{ stream: 'stderr', text: 'part' }]);
    expectStreamError(() => demux.end(), false, /payload \(11 bytes missing\)/);
  });

  it('ends cleanly on an empty stream and after a complete frame', () => {
    assert.deepEqual(new LogDemuxer(false).end(), []);
    const demux = new LogDemuxer(false);
    demux.push(frame(1, 'done'));
    assert.deepEqual(demux.end(), []);
  });

  it('flushes a dangling partial UTF-8 sequence as U+FFFD at end()', () => {
    const euro = Buffer.from('€', 'utf8');
    const got = run(new LogDemuxer(false), [frame(2, Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]))]);
    assert.deepEqual(normalize(got), [{ stream: 'stderr', text: 'a\uFFFD' }]);
  });
});

describe('LogDemuxer (raw / TTY)', () => {
  it('passes bytes through, including ones that look like frame headers', () => {
    const looksFramed = Buffer.concat([frame(3, 'not an error'), frame(9, 'x')]);
    const got = normalize(run(new LogDemuxer(true), [looksFramed]));
    assert.deepEqual(got, [{ stream: 'stdout', text: looksFramed.toString('utf8') }]);
  });

  it('keeps multibyte UTF-8 intact at every split position', () => {
    const text = 'tty € 🐳 日本\r\n';
    const buf = Buffer.from(text, 'utf8');
    for (let i = 0; i <= buf.length; i++) {
      for (let j = i; j <= buf.length; j++) {
        const got = normalize(run(new LogDemuxer(true), splitAt(buf, [i, j])));
        assert.deepEqual(got, [{ stream: 'stdout', text }], `split at ${i},${j}`);
      }
    }
  });

  it('does not report truncation at end(), since there is no framing', () => {
    const demux = new LogDemuxer(true);
    demux.push(Buffer.from([1, 0, 0, 0, 0, 0]));
    assert.doesNotThrow(() => demux.end());
  });
});

describe('LineBuffer', () => {
  it('splits on \\n and \\r\\n, keeping the unfinished remainder', () => {
    const lb = new LineBuffer();
    assert.deepEqual(lb.push('one\ntwo\r\nthr'), ['one', 'two']);
    assert.deepEqual(lb.push('ee'), []);
    assert.deepEqual(lb.push('\n\n'), ['three', '']);
    assert.deepEqual(lb.flush(), []);
  });

  it('handles \\r\\n split across pushes and keeps a lone \\r inside a line', () => {
    const lb = new LineBuffer();
    assert.deepEqual(lb.push('50%\r100%\r'), []);
    assert.deepEqual(lb.push('\nnext'), ['50%\r100%']);
    assert.deepEqual(lb.flush(), ['next']);
    assert.deepEqual(lb.flush(), [], 'flush empties the buffer');
  });

  it('drops a trailing \\r at flush', () => {
    const lb = new LineBuffer();
    lb.push('tail\r');
    assert.deepEqual(lb.flush(), ['tail']);
  });

  it('cuts long lines into pieces of the cap', () => {
    const lb = new LineBuffer(4);
    assert.deepEqual(lb.push('abcdefghij\nxyzw\n'), ['abcd', 'efgh', 'ij', 'xyzw']);
  });

  it('cuts an unterminated line eagerly so memory stays bounded', () => {
    const lb = new LineBuffer(4);
    assert.deepEqual(lb.push('abcdefghij'), ['abcd', 'efgh']);
    assert.deepEqual(lb.push('k'), []);
    assert.deepEqual(lb.flush(), ['ijk']);
  });

  it('gives the same lines however the text is chunked, without spurious empty lines', () => {
    const text = 'abcd\r\nabcdefgh\r\nx\nabcdefghi\r\n\r\nyy';
    const whole = new LineBuffer(4);
    const expected = [...whole.push(text), ...whole.flush()];
    assert.deepEqual(expected, ['abcd', 'abcd', 'efgh', 'x', 'abcd', 'efgh', 'i', '', 'yy']);
    for (let i = 0; i <= text.length; i++) {
      const lb = new LineBuffer(4);
      const got = [...lb.push(text.slice(0, i)), ...lb.push(text.slice(i)), ...lb.flush()];
      assert.deepEqual(got, expected, `split at ${i}`);
    }
    const bytewise = new LineBuffer(4);
    const got = [...text].flatMap((ch) => bytewise.push(ch)).concat(bytewise.flush());
    assert.deepEqual(got, expected, 'one character at a time');
  });

  it('never cuts through a surrogate pair', () => {
    const lb = new LineBuffer(4);
    const lines = lb.push('abc🐳def\n');
    assert.deepEqual(lines, ['abc', '🐳de', 'f']);
  });

  it('defaults to a 16 KiB cap', () => {
    const lb = new LineBuffer();
    const lines = lb.push('x'.repeat(16 * 1024 * 2 + 1) + '\n');
    assert.deepEqual(lines.map((l) => l.length), [16384, 16384, 1]);
    assert.deepEqual(new LineBuffer().push('y'.repeat(16384) + '\n'), ['y'.repeat(16384)]);
  });

  it('rejects a non-positive cap', () => {
    assert.throws(() => new LineBuffer(0), RangeError);
    assert.throws(() => new LineBuffer(1.5), RangeError);
  });
});
