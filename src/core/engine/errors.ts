import { EngineEndpoint, formatEndpoint } from './endpoint';

/**
 * Why an engine call failed, as a user can act on it. The explorer shows the
 * welcome text for the kind and the message for the specifics.
 */
export type EngineProblemKind =
  | 'socket-missing'
  | 'permission-denied'
  | 'refused'
  | 'timeout'
  | 'api-too-old'
  | 'unsupported-endpoint'
  | 'bad-endpoint'
  | 'tls'
  | 'engine-error'
  | 'cancelled'
  | 'unknown';

/** Kinds that mean "cannot talk to the engine at all" (as opposed to one request failing). */
const UNREACHABLE: ReadonlySet<EngineProblemKind> = new Set<EngineProblemKind>([
  'socket-missing',
  'permission-denied',
  'refused',
  'timeout',
  'api-too-old',
  'unsupported-endpoint',
  'bad-endpoint',
  'tls',
  'unknown',
]);

export class EngineError extends Error {
  constructor(
    readonly kind: EngineProblemKind,
    message: string,
    /** HTTP status for `engine-error`. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  get unreachable(): boolean {
    return UNREACHABLE.has(this.kind);
  }
}

interface RawError {
  code?: string;
  syscall?: string;
  address?: string;
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | string | null;
  message?: string;
  name?: string;
}

/** Turns whatever dockerode / node threw into an EngineError with a precise, plain reason. */
export function toEngineError(err: unknown, endpoint: EngineEndpoint, what: string): EngineError {
  if (err instanceof EngineError) return err;
  const e = (err ?? {}) as RawError;
  const where = formatEndpoint(endpoint);
  const path = endpoint.kind === 'unix' ? endpoint.socketPath : where;
  if (e.name === 'TimeoutError') {
    return new EngineError('timeout', `The engine at ${where} did not answer ${what} in time.`);
  }
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') {
    return new EngineError('cancelled', `${what} was cancelled.`);
  }
  switch (e.code) {
    case 'ENOENT':
      return new EngineError('socket-missing', `No Docker engine socket at ${path}: the engine is not running, or it listens elsewhere.`);
    case 'EACCES':
    case 'EPERM':
      return new EngineError(
        'permission-denied',
        `Permission denied on ${path}: add your user to the "docker" group (then log in again) or use a rootless engine.`,
      );
    case 'ECONNREFUSED':
      return new EngineError('refused', `Connection refused at ${where}: nothing is listening there (is the engine running?).`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new EngineError('refused', `The engine at ${where} closed the connection during ${what}.`);
    case 'ETIMEDOUT':
      return new EngineError('timeout', `Connecting to ${where} timed out.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EngineError('bad-endpoint', `Host of ${where} cannot be resolved.`);
    case 'ENOTSOCK':
      return new EngineError('bad-endpoint', `${path} is not a socket.`);
    default:
      break;
  }
  if (e.code && /^(ERR_TLS|CERT_|DEPTH_ZERO|UNABLE_TO_|SELF_SIGNED)/.test(e.code)) {
    return new EngineError('tls', `TLS handshake with ${where} failed: ${e.message ?? e.code}.`);
  }
  if (typeof e.statusCode === 'number') {
    // For streamed calls docker-modem leaves `json` empty and puts the engine's words in the message only.
    const streamed = e.message?.match(/^\(HTTP code \d+\) [^-]*- ([\s\S]*\S)\s*$/)?.[1];
    const msg = typeof e.json === 'object' && e.json?.message ? e.json.message : typeof e.json === 'string' && e.json ? e.json : (streamed ?? e.reason);
    return new EngineError('engine-error', `${what} failed: ${(msg ?? `HTTP ${e.statusCode}`).trim()}`, e.statusCode);
  }
  return new EngineError('unknown', `${what} failed: ${e.message ?? String(err)}`);
}
