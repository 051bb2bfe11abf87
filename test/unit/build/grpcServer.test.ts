// The hand-written gRPC server against Node's own HTTP/2 client over a real
// socket, playing the engine's part: it dials, Berth serves.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodePacket, fileSyncHandler, FILESYNC_DIFFCOPY } from '../../../src/core/build/fileSync';
import { encodePacket } from '../../support/fileSyncReference';
import { GrpcDeframer, grpcFrame, serveGrpc, type GrpcConnection } from '../../../src/core/build/grpcServer';
import { ProtoMessage } from '../../../src/core/build/protoWire';
import type { ContextEntry } from '../../../src/core/buildcontext/contextWalk';

describe('build: gRPC server on a dialled connection', () => {
  let dir: string;
  let server: net.Server;
  let conn: GrpcConnection | undefined;
  let client: http2.ClientHttp2Session;
  const big = Buffer.alloc(100_000, 'b');

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-grpc-'));
    mkdirSync(path.join(dir, 'd'));
    writeFileSync(path.join(dir, 'd', 'big'), big);
    writeFileSync(path.join(dir, 'small'), 'hi');
    const entries: ContextEntry[] = [
      { path: 'd', kind: 'directory', size: 0, mode: 0o755, mtimeMs: 0 },
      { path: 'd/big', kind: 'file', size: big.length, mode: 0o644, mtimeMs: 0 },
      { path: 'small', kind: 'file', size: 2, mode: 0o644, mtimeMs: 0 },
    ];
    const handlers = new Map([[FILESYNC_DIFFCOPY, fileSyncHandler(new Map([['context', async () => ({ root: dir, entries })]]))]]);
    const sock = path.join(dir, 'sock');
    server = net.createServer((s) => (conn = serveGrpc(s, handlers)));
    await new Promise<void>((r) => server.listen(sock, r));
    client = http2.connect('http://session', { createConnection: () => net.connect(sock) });
  });
  after(() => {
    client.close();
    conn?.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function call(method: string, headers: Record<string, string> = {}) {
    const stream = client.request({ ':method': 'POST', ':path': method, 'content-type': 'application/grpc', te: 'trailers', ...headers });
    const deframer = new GrpcDeframer();
    const messages: Buffer[] = [];
    let onMessage: ((m: Buffer) => void) | undefined;
    stream.on('data', (c: Buffer) => deframer.push(c).forEach((m) => (onMessage ? onMessage(m) : messages.push(m))));
    const trailers = new Promise<http2.IncomingHttpHeaders>((resolve) => {
      stream.once('trailers', resolve);
      stream.once('response', (h) => h['grpc-status'] !== undefined && resolve(h));
    });
    return { stream, messages, trailers, setOnMessage: (f: (m: Buffer) => void) => ((onMessage = f), messages.splice(0).forEach(f)) };
  }

  it('answers a method it does not serve with UNIMPLEMENTED (12)', async () => {
    const c = call('/moby.filesync.v1.Auth/FetchToken');
    c.stream.end(grpcFrame(Buffer.alloc(0)));
    assert.equal((await c.trailers)['grpc-status'], '12');
  });

  it('DiffCopy: STATs in order, an empty STAT, DATA for each REQ in chunks, FIN for FIN, then grpc-status 0', async () => {
    const c = call(FILESYNC_DIFFCOPY, { 'dir-name': 'context' });
    const stats: string[] = [];
    const data = new Map<number, Buffer[]>();
    const finished = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      c.setOnMessage((raw) => {
        const p = decodePacket(raw);
        if (p.type === 0) {
          const stat = ProtoMessage.parse(raw).message(2);
          if (stat) return void stats.push(stat.string(1));
          // End of the listing: ask for both files (IDs are positions among the STATs).
          c.stream.write(grpcFrame(encodePacket(1, { id: 1 })));
          c.stream.write(grpcFrame(encodePacket(1, { id: 2 })));
        } else if (p.type === 2) {
          if (!p.data?.length) {
            finished.add(p.id);
            if (finished.size === 2) c.stream.end(grpcFrame(encodePacket(3)));
          } else data.set(p.id, [...(data.get(p.id) ?? []), p.data]);
        } else if (p.type === 3) resolve();
        else reject(new Error(`unexpected packet ${p.type}`));
      });
    });
    assert.deepEqual(stats, ['d', 'd/big', 'small']);
    assert.ok(data.get(1)!.every((b) => b.length <= 32 * 1024), 'chunks of at most 32 KiB');
    assert.ok(Buffer.concat(data.get(1)!).equals(big));
    assert.equal(Buffer.concat(data.get(2)!).toString(), 'hi');
    assert.equal((await c.trailers)['grpc-status'], '0');
  });

  it('DiffCopy of an unknown local fails NOT_FOUND (5)', async () => {
    const c = call(FILESYNC_DIFFCOPY, { 'dir-name': 'elsewhere' });
    c.stream.end();
    const t = await c.trailers;
    assert.equal(t['grpc-status'], '5');
    assert.match(decodeURIComponent(String(t['grpc-message'])), /no access allowed to dir "elsewhere"/);
  });
});
