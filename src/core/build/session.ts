import { createHash, randomBytes } from 'node:crypto';
import type { EngineClient } from '../engine/client';
import { hijack } from './engineHttp';
import { fileSyncHandler, FILESYNC_DIFFCOPY, type SyncedDir, type SyncSent } from './fileSync';
import { serveGrpc, type GrpcConnection, type GrpcHandler } from './grpcServer';
import { ProtoWriter } from './protoWire';

// A BuildKit session, as the docker CLI opens one (moby/buildkit session/
// session.go, docker/cli build_session.go): `POST /session` upgraded to h2c,
// with headers naming the session (X-Docker-Expose-Session-Uuid, -Name,
// -Sharedkey) and one X-Docker-Expose-Session-Grpc-Method per method we
// serve. BuildKit only calls methods listed there (a missing auth method
// means anonymous), so we list exactly what we implement:
//  - grpc.health.v1.Health/Check: the engine health-checks the session every
//    few seconds and drops it after two failures;
//  - moby.filesync.v1.FileSync/DiffCopy: the build context and the Dockerfile;
//  - moby.filesync.v1.Auth/Credentials: empty credentials (anonymous pulls).
//    FetchToken and the token-authority methods are not served, so BuildKit
//    falls back to its own anonymous token flow.

const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
const AUTH_CREDENTIALS = '/moby.filesync.v1.Auth/Credentials';
const SESSION_HEAD_TIMEOUT_MS = 15_000;

export interface BuildSession {
  id: string;
  /** Closes the session; the engine then cancels whatever still needs it. */
  close(): void;
  closed: Promise<void>;
}

export interface SessionOptions {
  /** The session's id (default: a new random one); known before it opens, a /build naming it can go out at the same time. */
  id?: string;
  /** Shown by the engine (the context folder's name, as the CLI does). */
  name: string;
  /** A stable key for the context, so BuildKit reuses what it synced last time (CLI: sha256 of node id and folder). */
  sharedKey: string;
  locals: ReadonlyMap<string, (includes: string[]) => Promise<SyncedDir>>;
  signal?: AbortSignal;
  onLocal?: (name: string, files: number) => void;
  /** A local's sync ended: what BuildKit asked for and how long the call took. */
  onSent?: (name: string, sent: SyncSent) => void;
  onError?: (err: Error) => void;
}

export function sharedKeyFor(dir: string): string {
  return createHash('sha256').update(`berth:${dir}`).digest('hex');
}

export async function openSession(client: EngineClient, opts: SessionOptions): Promise<BuildSession> {
  const id = opts.id ?? randomBytes(16).toString('hex');
  const handlers = new Map<string, GrpcHandler>([
    [HEALTH_CHECK, healthCheck],
    [FILESYNC_DIFFCOPY, fileSyncHandler(opts.locals, opts.onLocal, opts.onSent)],
    [AUTH_CREDENTIALS, anonymousCredentials],
  ]);
  const socket = await hijack(
    client,
    {
      method: 'POST',
      path: '/session',
      headers: {
        'X-Docker-Expose-Session-Uuid': id,
        'X-Docker-Expose-Session-Name': opts.name,
        'X-Docker-Expose-Session-Sharedkey': opts.sharedKey,
        'X-Docker-Expose-Session-Grpc-Method': [...handlers.keys()],
      },
      signal: opts.signal,
      headTimeoutMs: SESSION_HEAD_TIMEOUT_MS,
      what: 'the build session',
    },
    'h2c',
  );
  const conn: GrpcConnection = serveGrpc(socket, handlers, opts.onError);
  return { id, close: () => conn.close(), closed: conn.closed };
}

// HealthCheckResponse{status: SERVING (1)}
const healthCheck: GrpcHandler = async (call) => {
  for await (const _ of call.messages) break; // a unary request: its one message is enough
  await call.send(new ProtoWriter().uint(1, 1).finish());
};

// CredentialsResponse{} — no username, no secret: anonymous.
const anonymousCredentials: GrpcHandler = async (call) => {
  for await (const _ of call.messages) break; // a unary request: its one message is enough
  await call.send(new Uint8Array(0));
};
