import type Dockerode from 'dockerode';
import * as http from 'node:http';
import * as https from 'node:https';
import { readFile } from 'node:fs/promises';
import { EngineEndpoint, formatEndpoint } from './endpoint';
import { EngineError, toEngineError } from './errors';
import { withTimeout } from '../util/signals';

/** Oldest engine API Berth supports (Docker Engine 20.10). */
export const MIN_API_VERSION = '1.41';
/** Newest API whose semantics Berth is written against; newer engines are pinned down to it. */
export const MAX_API_VERSION = '1.47';
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface EngineInfo {
  /** Engine version, e.g. 20.10.24. */
  version: string;
  /** The newest API the engine speaks. */
  apiVersion: string;
  /** The API version every request of this connection is pinned to. */
  pinnedApiVersion: string;
  os: string;
  arch: string;
}

export interface RequestOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's default total timeout for this call. */
  timeoutMs?: number;
  /**
   * The X-Registry-Auth header for push and pull (registry/registryAuthHeader.ts).
   * A header, never a query parameter: the query ends up in URLs and logs.
   */
  registryAuth?: string;
}

/** Compares dotted API versions numerically ("1.9" < "1.41"). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

// Status codes the engine answers with; everything listed is handed to our own
// error mapping rather than docker-modem's generic "unexpected" text.
const STATUS: Record<number, boolean | string> = {
  200: true,
  201: true,
  204: true,
  // "already started/stopped/paused": the requested state holds, so not an error.
  304: true,
  400: 'bad parameter',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  406: 'not acceptable',
  409: 'conflict',
  500: 'server error',
  503: 'unavailable',
};

/**
 * One connection to one engine. The first request pings the engine (GET /version,
 * unversioned), refuses engines older than MIN_API_VERSION and pins every later
 * request to min(engine, MAX_API_VERSION), so results never drift with the
 * engine's release. dockerode is loaded on that first request, never before:
 * requiring it costs 100-200 ms.
 */
export class EngineClient {
  private docker?: Dockerode;
  private connecting?: Promise<EngineInfo>;
  private connected?: EngineInfo;
  // Our own agent, so dispose() can close every socket this client opened: after
  // a window reload nothing of the old instance stays connected to the engine.
  // A local socket connects in well under a millisecond, so no keep-alive there;
  // a TCP/TLS engine keeps connections alive (handshakes cost round trips).
  private readonly agent: http.Agent;

  constructor(
    readonly endpoint: EngineEndpoint,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    /** Set when the engine could not even be named (bad address, unknown context): every call fails with it. */
    private readonly unusableReason?: string,
  ) {
    const keepAlive = endpoint.kind === 'tcp';
    this.agent = endpoint.kind === 'tcp' && endpoint.tls ? new https.Agent({ keepAlive }) : new http.Agent({ keepAlive });
  }

  /** Closes every connection, streams included; the client must not be used afterwards. */
  dispose(): void {
    this.agent.destroy();
    this.reset();
  }

  /** A client for an engine that cannot be addressed; views show `reason` as the engine's problem. */
  static unusable(reason: string): EngineClient {
    return new EngineClient({ kind: 'unix', socketPath: '' }, DEFAULT_TIMEOUT_MS, reason);
  }

  get info(): EngineInfo | undefined {
    return this.connected;
  }

  /** Pings and negotiates once; concurrent callers share the attempt, a failed attempt is retried by the next call. */
  connect(signal?: AbortSignal): Promise<EngineInfo> {
    if (this.connected) return Promise.resolve(this.connected);
    if (!this.connecting) {
      this.connecting = this.negotiate(signal).then(
        (info) => {
          this.connected = info;
          return info;
        },
        (err) => {
          this.connecting = undefined;
          throw err;
        },
      );
    }
    return this.connecting;
  }

  /** Forgets the negotiated connection: the next request pings again (used after the engine went away). */
  reset(): void {
    this.connected = undefined;
    this.connecting = undefined;
    this.docker = undefined;
  }

  /** A request/response call with a total timeout; the body is parsed JSON (or undefined when empty). */
  async request<T>(method: string, path: string, what: string, opts: RequestOptions = {}): Promise<T> {
    await this.connect(opts.signal);
    const signal = withTimeout(opts.timeoutMs ?? this.defaultTimeoutMs, opts.signal);
    return this.dial<T>(this.docker!, method, path, what, opts, signal, false);
  }

  /**
   * A streaming call (events, follow logs). Only the wait for the response head is
   * bounded: a stream may rightly stay silent for hours, so no inactivity timeout.
   */
  async stream(method: string, path: string, what: string, opts: RequestOptions = {}): Promise<NodeJS.ReadableStream> {
    await this.connect(opts.signal);
    const head = new AbortController();
    const timer = setTimeout(() => head.abort(new DOMException('timeout', 'TimeoutError')), opts.timeoutMs ?? this.defaultTimeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, head.signal]) : head.signal;
    try {
      const stream = await this.dial<NodeJS.ReadableStream>(this.docker!, method, path, what, opts, signal, true);
      return stream;
    } finally {
      clearTimeout(timer);
    }
  }

  private async negotiate(signal?: AbortSignal): Promise<EngineInfo> {
    if (this.unusableReason) throw new EngineError('bad-endpoint', this.unusableReason);
    const base = await this.makeDockerode(undefined);
    const v = await this.dial<{ Version?: string; ApiVersion?: string; Os?: string; Arch?: string }>(
      base,
      'GET',
      '/version',
      'ping',
      {},
      withTimeout(this.defaultTimeoutMs, signal),
      false,
    );
    const apiVersion = v.ApiVersion ?? '0';
    if (compareApiVersions(apiVersion, MIN_API_VERSION) < 0) {
      throw new EngineError(
        'api-too-old',
        `The engine at ${formatEndpoint(this.endpoint)} speaks API ${apiVersion} (Docker ${v.Version ?? '?'}); Berth needs API ${MIN_API_VERSION} or newer (Docker Engine 20.10+). Upgrade the engine.`,
      );
    }
    const pinned = compareApiVersions(apiVersion, MAX_API_VERSION) > 0 ? MAX_API_VERSION : apiVersion;
    this.docker = await this.makeDockerode(pinned);
    return { version: v.Version ?? '?', apiVersion, pinnedApiVersion: pinned, os: v.Os ?? '?', arch: v.Arch ?? '?' };
  }

  private dial<T>(
    docker: Dockerode,
    method: string,
    path: string,
    what: string,
    opts: RequestOptions,
    signal: AbortSignal,
    isStream: boolean,
  ): Promise<T> {
    const options =
      opts.body !== undefined ? { _query: opts.query ?? {}, _body: opts.body } : opts.query && Object.keys(opts.query).length ? opts.query : undefined;
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(toEngineError(signal.reason, this.endpoint, what));
      docker.modem.dial(
        {
          path: path + '?',
          method,
          options: options ?? {},
          abortSignal: signal,
          isStream,
          statusCodes: STATUS,
          // docker-modem sends `authconfig.key` as X-Registry-Auth verbatim.
          ...(opts.registryAuth ? { authconfig: { key: opts.registryAuth } } : {}),
        } as never,
        (err: unknown, data: unknown) => {
          // docker-modem reports an abort as a plain AbortError; the signal says whether it was our timeout.
          if (err) return reject(toEngineError(signal.aborted ? signal.reason : err, this.endpoint, what));
          resolve(data as T);
        },
      );
    });
  }

  private async makeDockerode(pinned: string | undefined): Promise<Dockerode> {
    const ep = this.endpoint;
    const version = pinned ? `v${pinned}` : undefined;
    switch (ep.kind) {
      case 'unix':
        return new (loadDockerode())({ socketPath: ep.socketPath, version, agent: this.agent } as Dockerode.DockerOptions);
      case 'tcp': {
        const tls = ep.tls;
        const read = (p?: string) => (p ? readFile(p).catch(() => undefined) : Promise.resolve(undefined));
        const [ca, cert, key] = tls ? await Promise.all([read(tls.caPath), read(tls.certPath), read(tls.keyPath)]) : [];
        return new (loadDockerode())({
          host: ep.host,
          port: ep.port,
          protocol: tls ? 'https' : 'http',
          ca,
          cert,
          key,
          version,
          agent: this.agent,
          ...(tls && !tls.verify ? { checkServerIdentity: () => undefined } : {}),
        } as Dockerode.DockerOptions);
      }
      default:
        // The connection layer knows these forms; their transports (ssh dial-stdio, named pipes) come later.
        throw new EngineError('unsupported-endpoint', `Berth cannot reach ${formatEndpoint(ep)} yet: ${ep.kind} engines are not supported in this version.`);
    }
  }
}

let dockerodeCtor: typeof Dockerode | undefined;
function loadDockerode(): typeof Dockerode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dockerodeCtor ??= require('dockerode') as typeof Dockerode;
  return dockerodeCtor;
}
