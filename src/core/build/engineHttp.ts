import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import { readFile } from 'node:fs/promises';
import type { EngineClient } from '../engine/client';
import { EngineError, toEngineError } from '../engine/errors';

// Raw HTTP to the engine, beside EngineClient (which wraps docker-modem), for
// the two calls of a BuildKit build docker-modem cannot make: the /session
// upgrade (we need the hijacked socket itself, to serve HTTP/2 on it) and a
// /build whose request we must be able to close at any moment (closing it is
// how a build is cancelled) with repeated query keys (`t` per tag). The
// client still negotiates: every path here is pinned to its API version.

export interface RawRequest {
  method: string;
  /** Path and query, unversioned: `/session`, `/build?...`. */
  path: string;
  headers?: Record<string, string | string[]>;
  signal?: AbortSignal;
  /** Bound on the wait for the response head (not on the whole stream). */
  headTimeoutMs: number;
  what: string;
}

async function options(client: EngineClient, req: RawRequest): Promise<{ mod: typeof http | typeof https; opts: https.RequestOptions }> {
  const info = await client.connect(req.signal);
  const ep = client.endpoint;
  const base = { method: req.method, path: `/v${info.pinnedApiVersion}${req.path}`, headers: { Host: 'docker', ...req.headers }, agent: false as const };
  if (ep.kind === 'unix') return { mod: http, opts: { ...base, socketPath: ep.socketPath } };
  if (ep.kind === 'tcp' && !ep.tls) return { mod: http, opts: { ...base, host: ep.host, port: ep.port } };
  if (ep.kind === 'tcp' && ep.tls) {
    const read = (p?: string) => (p ? readFile(p).catch(() => undefined) : Promise.resolve(undefined));
    const [ca, cert, key] = await Promise.all([read(ep.tls.caPath), read(ep.tls.certPath), read(ep.tls.keyPath)]);
    return { mod: https, opts: { ...base, host: ep.host, port: ep.port, ca, cert, key, rejectUnauthorized: ep.tls.verify !== false } };
  }
  throw new EngineError('unsupported-endpoint', `Berth cannot build on a ${ep.kind} engine yet.`);
}

/** POST with an Upgrade; resolves with the raw socket once the engine answers 101. */
export async function hijack(client: EngineClient, req: RawRequest, protocol: string): Promise<Duplex> {
  const { mod, opts } = await options(client, req);
  return new Promise<Duplex>((resolve, reject) => {
    const r = mod.request({ ...opts, headers: { ...opts.headers, Connection: 'Upgrade', Upgrade: protocol } });
    const timer = setTimeout(() => r.destroy(new DOMException('timeout', 'TimeoutError')), req.headTimeoutMs);
    const onAbort = () => r.destroy(req.signal!.reason as Error);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    r.once('upgrade', (_res, socket, head) => {
      done();
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    r.once('response', (res) => {
      done();
      collect(res).then((body) => reject(new EngineError('engine-error', `the engine refused ${req.what} (HTTP ${res.statusCode}): ${engineMessage(body)}`, res.statusCode)));
    });
    r.once('error', (err) => {
      done();
      reject(toEngineError(req.signal?.aborted ? req.signal.reason : err, client.endpoint, req.what));
    });
    r.end();
  });
}

/** A request whose response is a stream; rejects on a non-2xx answer with the engine's message. */
export async function streamRequest(client: EngineClient, req: RawRequest, body?: NodeJS.ReadableStream): Promise<{ response: http.IncomingMessage; request: http.ClientRequest }> {
  const { mod, opts } = await options(client, req);
  return new Promise((resolve, reject) => {
    const r = mod.request(opts);
    const timer = setTimeout(() => r.destroy(new DOMException('timeout', 'TimeoutError')), req.headTimeoutMs);
    const onAbort = () => r.destroy(req.signal!.reason as Error);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.once('response', (res) => {
      clearTimeout(timer);
      if ((res.statusCode ?? 0) >= 300) {
        req.signal?.removeEventListener('abort', onAbort);
        collect(res).then((b) => reject(new EngineError('engine-error', `${req.what}: ${engineMessage(b)}`, res.statusCode)));
        return;
      }
      resolve({ response: res, request: r });
    });
    r.once('error', (err) => {
      clearTimeout(timer);
      reject(toEngineError(req.signal?.aborted ? req.signal.reason : err, client.endpoint, req.what));
    });
    r.once('close', () => req.signal?.removeEventListener('abort', onAbort));
    if (body) {
      body.once('error', (err) => r.destroy(err as Error));
      body.pipe(r);
    } else r.end();
  });
}

function collect(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    res.on('data', (c: Buffer) => parts.push(c));
    res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    res.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function engineMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.trim();
  } catch {
    return body.trim();
  }
}
