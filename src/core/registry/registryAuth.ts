import type { AuthChallenge } from './authChallenge';
import { secretForms, type RegistryCredential } from './credentials';
import { RegistryError, toRegistryError } from './registryError';
import { isLoopbackHost } from './registryRef';
import { withTimeout } from '../util/signals';

// How one registry client authenticates: Basic (the credential on every
// request, after the registry asked for it) or Bearer (a token per scope from
// the challenge's realm, cached until shortly before it expires). The cache is
// per client, so two registries (or two users) never share a token.

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens live 60 s when the server does not say (distribution's token spec). */
const DEFAULT_TOKEN_SECONDS = 60;
/** Refresh this long before expiry, so a request never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 5_000;

export class RegistryAuth {
  private mode: 'none' | 'basic' | 'bearer' = 'none';
  private readonly tokens = new Map<string, CachedToken>();
  /** Every bearer token issued to this client, so messages can be scrubbed of them. */
  private readonly issued = new Set<string>();

  constructor(
    private readonly registryUrl: string,
    private readonly credential: RegistryCredential | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** Every secret this client holds: what error messages are scrubbed of. */
  get secrets(): string[] {
    return [...secretForms(this.credential), ...this.issued];
  }

  get scheme(): 'none' | 'basic' | 'bearer' {
    return this.mode;
  }

  /** The Authorization header for a request needing `scope`, when one is known. */
  header(scope: string): string | undefined {
    if (this.credential?.kind === 'registry-token') return `Bearer ${this.credential.registryToken}`;
    if (this.mode === 'basic') return this.basicHeader();
    if (this.mode === 'bearer') {
      const t = this.tokens.get(scope);
      if (t && t.expiresAt > Date.now()) return `Bearer ${t.token}`;
    }
    return undefined;
  }

  /** Answers a 401's challenge so the request can be retried; throws when it cannot be answered. */
  async answer(challenge: AuthChallenge | undefined, scope: string, signal?: AbortSignal): Promise<void> {
    if (this.credential?.kind === 'registry-token') throw this.refused('rejected the registry token');
    if (!challenge) throw new RegistryError('unauthorized', `${this.registryUrl} refused the request without saying how to authenticate (no WWW-Authenticate).`, this.secrets, 401);
    if (challenge.scheme === 'basic') {
      if (this.mode === 'basic') throw this.refused('refused the username and password');
      if (this.credential?.kind !== 'password') throw new RegistryError('unauthorized', `${this.registryUrl} needs a username and password (Basic authentication); none is configured.`, [], 401);
      this.mode = 'basic';
      return;
    }
    if (challenge.scheme !== 'bearer') throw new RegistryError('unauthorized', `${this.registryUrl} asks for "${challenge.scheme}" authentication, which Berth does not speak.`, [], 401);
    this.mode = 'bearer';
    this.tokens.delete(scope);
    const token = await this.fetchToken(challenge.params, challenge.params.scope || scope, signal);
    this.tokens.set(scope, token);
  }

  private basicHeader(): string | undefined {
    const c = this.credential;
    return c?.kind === 'password' ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  private refused(what: string): RegistryError {
    return new RegistryError('unauthorized', `${this.registryUrl} ${what}: check the credentials (wrong password, expired token, or no access).`, this.secrets, 401);
  }

  private async fetchToken(params: Record<string, string>, scope: string, signal?: AbortSignal): Promise<CachedToken> {
    let realm: URL;
    try {
      realm = new URL(params.realm);
    } catch {
      throw new RegistryError('protocol', `${this.registryUrl} named a token realm that is not a URL.`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new RegistryError('protocol', `${this.registryUrl} named a token realm that is not http(s).`);
    const c = this.credential;
    // Credentials may go to an http realm only when the registry itself is plain http or the realm is on this machine.
    if (c && realm.protocol === 'http:' && this.registryUrl.startsWith('https:') && !isLoopbackHost(realm.host)) {
      throw new RegistryError('protocol', `${this.registryUrl} wants the credentials sent over plain http to ${realm.host}; Berth refuses.`);
    }
    const q = new URLSearchParams();
    if (params.service) q.set('service', params.service);
    if (scope) q.set('scope', scope);
    const signalT = withTimeout(this.timeoutMs, signal);
    let res: Response;
    try {
      if (c?.kind === 'identity-token') {
        // An identity token is an OAuth2 refresh token: exchanged with POST (distribution's oauth spec).
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.identityToken, client_id: 'berth' });
        if (params.service) form.set('service', params.service);
        if (scope) form.set('scope', scope);
        res = await fetch(realm, { method: 'POST', body: form, signal: signalT, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      } else {
        if (c?.kind === 'password') q.set('account', c.username);
        for (const [k, v] of q) realm.searchParams.append(k, v);
        const headers: Record<string, string> = {};
        const basic = this.basicHeader();
        if (basic) headers.authorization = basic;
        res = await fetch(realm, { headers, signal: signalT });
      }
    } catch (err) {
      throw toRegistryError(err, 'issuing a token', `The token service ${realm.origin}`, this.secrets, signalT);
    }
    const text = await res.text().catch(() => '');
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError('unauthorized', `The token service of ${this.registryUrl} refused the credentials (${res.status}${bodyDetail(text)}).`, this.secrets, res.status);
    }
    if (!res.ok) throw new RegistryError('protocol', `The token service of ${this.registryUrl} answered ${res.status}${bodyDetail(text)}.`, this.secrets, res.status);
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new RegistryError('protocol', `The token service of ${this.registryUrl} answered something that is not JSON.`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError('protocol', `The token service of ${this.registryUrl} answered without a token.`);
    this.issued.add(token);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    return { token, expiresAt: Date.now() + Math.max(seconds * 1000 - EXPIRY_MARGIN_MS, 1000) };
  }
}

/** ": message" from a registry or token server error body ({errors:[{code,message}]} or {details}), short. */
export function bodyDetail(text: string): string {
  try {
    const j = JSON.parse(text) as { errors?: { code?: string; message?: string }[]; details?: string; error?: string };
    const first = j.errors?.[0];
    const msg = first ? [first.code, first.message].filter(Boolean).join(': ') : (j.details ?? j.error);
    if (msg) return `: ${String(msg).slice(0, 300)}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  const t = text.trim().split('\n')[0]?.slice(0, 200);
  return t ? `: ${t}` : '';
}
