// Precise reasons for an engine Berth cannot use, through EngineClient.connect()
// and through the EngineWatcher's status; then a REAL second engine that goes
// away and comes back under a watcher that keeps running.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { EngineClient } from '../../src/core/engine/client';
import type { EngineEndpoint } from '../../src/core/engine/endpoint';
import type { EngineError, EngineProblemKind } from '../../src/core/engine/errors';
import { EngineWatcher, type EngineStatus } from '../../src/core/explorer/engineWatcher';
import { SecondEngine } from '../support/secondEngine';
import { expectEngineError, RUN_ID, waitFor } from './support';

type Unreachable = Extract<EngineStatus, { state: 'unreachable' }>;
const tmp = (suffix: string) => `/tmp/bt-${RUN_ID}-${suffix}`; // short: unix socket paths max 107 bytes

let watcher: EngineWatcher | undefined;
function watch(endpoint: EngineEndpoint, timeoutMs?: number): EngineWatcher {
  watcher = new EngineWatcher(new EngineClient(endpoint, timeoutMs));
  watcher.setVisible('containers', true);
  return watcher;
}
const unreachable = (w: EngineWatcher, ms: number): Promise<Unreachable> =>
  waitFor(() => (w.status.state === 'unreachable' ? w.status : undefined), ms, `watcher unreachable (now ${w.status.state})`, 10);

/** connect() and a watcher both report `kind`; returns the two errors. */
async function bothReport(endpoint: EngineEndpoint, kind: EngineProblemKind, timeoutMs?: number): Promise<EngineError[]> {
  const direct = await expectEngineError(new EngineClient(endpoint, timeoutMs).connect(), kind);
  assert.equal(direct.unreachable, true);
  const st = await unreachable(watch(endpoint, timeoutMs), 3000);
  assert.equal(st.error.kind, kind, `watcher error: ${st.error.message}`);
  return [direct, st.error];
}

describe('unreachable engines: precise reasons', function () {
  const cleanups: Array<() => unknown> = [];
  afterEach(async function () {
    watcher?.dispose();
    watcher = undefined;
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("a socket path that does not exist is 'socket-missing', naming the path", async function () {
    const path = tmp('missing.sock');
    fs.rmSync(path, { force: true });
    for (const e of await bothReport({ kind: 'unix', socketPath: path }, 'socket-missing')) {
      assert.ok(e.message.includes(path), e.message);
    }
  });

  it("a socket file nobody listens on is 'refused'", async function () {
    const live = tmp('l.sock');
    const dead = tmp('refused.sock');
    for (const p of [live, dead]) fs.rmSync(p, { force: true });
    cleanups.push(() => fs.rmSync(dead, { force: true }));
    // Closing a listener unlinks its path, so keep a second link to the socket inode.
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(live, r));
    fs.linkSync(live, dead);
    await new Promise<void>((r) => server.close(() => r()));
    assert.ok(fs.statSync(dead).isSocket());
    for (const e of await bothReport({ kind: 'unix', socketPath: dead }, 'refused')) {
      assert.ok(e.message.includes(dead), e.message);
    }
  });

  it("a TCP server that accepts but never answers is 'timeout' within ~1 s (client timeout 500 ms)", async function () {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
    const endpoint: EngineEndpoint = { kind: 'tcp', host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };

    const t0 = Date.now();
    const e = await expectEngineError(new EngineClient(endpoint, 500).connect(), 'timeout');
    const took = Date.now() - t0;
    assert.ok(took >= 450 && took < 1000, `timed out after ${took} ms`);
    assert.ok(e.message.includes(`127.0.0.1:${endpoint.port}`), e.message);

    const w0 = Date.now();
    const st = await unreachable(watch(endpoint, 500), 1500);
    assert.equal(st.error.kind, 'timeout');
    assert.ok(Date.now() - w0 < 1200, `watcher unreachable after ${Date.now() - w0} ms`);
  });

  it("an engine older than API 1.41 is 'api-too-old', naming its version", async function () {
    // No engine that old can run here, so this stand-in answers only the version handshake.
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/version')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ApiVersion: '1.30', Version: '17.06.0' }));
      } else {
        res.writeHead(500).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
    const endpoint: EngineEndpoint = { kind: 'tcp', host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
    for (const e of await bothReport(endpoint, 'api-too-old')) {
      assert.match(e.message, /API 1\.30 \(Docker 17\.06\.0\)/);
      assert.match(e.message, /1\.41/);
    }
  });

  describe('a real second engine that stops and starts again', function () {
    const engine = new SecondEngine(tmp('d'));
    const sock = engine.socketPath;

    before(async function () {
      this.timeout(45_000);
      await engine.start();
    });

    after(async function () {
      this.timeout(60_000);
      watcher?.dispose();
      await engine.destroy();
    });

    it('goes live, turns unreachable within 5 s of the engine stopping, and comes back on its own', async function () {
      this.timeout(90_000);
      const w = watch({ kind: 'unix', socketPath: sock });
      const st = await waitFor(() => (w.status.state === 'live' ? w.status : undefined), 10_000, 'live');
      assert.equal(st.events, true);
      assert.equal(st.info.apiVersion, '1.41');

      const killedAt = Date.now();
      await engine.stop();
      const down = await unreachable(w, Math.max(0, 5000 - (Date.now() - killedAt)));
      assert.ok(['socket-missing', 'refused'].includes(down.error.kind), `kind ${down.error.kind}: ${down.error.message}`);
      assert.ok(down.error.message.includes(sock), down.error.message);
      const downMs = Date.now() - killedAt;

      const startedAt = Date.now();
      await engine.start();
      const back = await waitFor(() => (w.status.state === 'live' ? w.status : undefined), 15_000, `live again (now ${w.status.state})`, 50);
      assert.equal(back.events, true);
      assert.ok(Array.isArray(w.snapshot('containers')));
      // Events flow from the restarted engine: a volume made there shows up.
      w.setVisible('volumes', true);
      const vol = `berth-test-${RUN_ID}-second`;
      await new EngineClient({ kind: 'unix', socketPath: sock }).request('POST', '/volumes/create', 'create volume', {
        body: { Name: vol, Labels: { 'berth.test': RUN_ID } },
      });
      await waitFor(() => w.snapshot('volumes')?.some((v) => v.Name === vol), 2000, 'volume on the restarted engine');
      this.test!.title += ` [unreachable ${downMs} ms after SIGTERM, live ${Date.now() - startedAt} ms after restart]`;
    });
  });
});
