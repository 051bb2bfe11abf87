import { scrubSecrets } from './credentials';

// One error type for everything registry-related (HTTP API, credentials,
// helpers, push and pull). The message is scrubbed of the secrets in play
// BEFORE the Error is built: a stack trace embeds the message at construction,
// so scrubbing later would leave the secret in `stack`.

export type RegistryProblemKind =
  | 'unauthorized' // no or wrong credentials
  | 'denied' // authenticated, but not allowed
  | 'not-found'
  | 'unsupported' // e.g. Docker Hub has no _catalog
  | 'unreachable'
  | 'timeout'
  | 'cancelled'
  | 'protocol' // an answer that is not what the V2 API says
  | 'credentials' // config.json or a credential helper failed
  | 'engine'; // the engine reported an error during push or pull

export class RegistryError extends Error {
  readonly kind: RegistryProblemKind;
  readonly statusCode?: number;

  constructor(kind: RegistryProblemKind, message: string, secrets: readonly string[] = [], statusCode?: number) {
    super(scrubSecrets(message, secrets));
    this.name = 'RegistryError';
    this.kind = kind;
    this.statusCode = statusCode;
  }
}

/** A network failure of `fetch` (or an abort) as a RegistryError, scrubbed. */
export function toRegistryError(err: unknown, what: string, where: string, secrets: readonly string[], signal?: AbortSignal): RegistryError {
  if (err instanceof RegistryError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const reason = signal?.aborted ? (signal.reason as { name?: string } | undefined) : undefined;
  if (reason?.name === 'TimeoutError' || e.name === 'TimeoutError') return new RegistryError('timeout', `${where} did not answer ${what} in time.`, secrets);
  if (e.name === 'AbortError' || reason) return new RegistryError('cancelled', `${what} was cancelled.`, secrets);
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return new RegistryError('unreachable', `Nothing answers at ${where} (connection refused) while ${what}.`, secrets);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new RegistryError('unreachable', `${where}: the host name does not resolve (${code}) while ${what}.`, secrets);
  if (code && /CERT|SSL|TLS/.test(code)) return new RegistryError('unreachable', `${where}: TLS failed (${code}) while ${what}.`, secrets);
  const detail = e.cause?.message ?? e.message ?? String(err);
  return new RegistryError('unreachable', `${where} failed while ${what}: ${detail}`, secrets);
}
