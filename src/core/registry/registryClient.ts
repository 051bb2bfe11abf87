import { parseAuthChallenges, pickChallenge } from './authChallenge';
import type { RegistryCredential } from './credentials';
import { MANIFEST_ACCEPT, parseManifest, type Manifest } from './manifest';
import { RegistryAuth, bodyDetail } from './registryAuth';
import { RegistryError, toRegistryError } from './registryError';
import type { RegistryEndpoint } from './registryUrl';
import { withTimeout } from '../util/signals';

// The registry HTTP API V2 (distribution spec): /v2/ (ping and login check),
// /v2/_catalog, /v2/<name>/tags/list and /v2/<name>/manifests/<ref>. Lists
// follow Link: <…>; rel="next" until the end. A 401 is answered once (Basic or
// a Bearer token for the request's scope, see registryAuth.ts) and retried.
// Every request has a timeout and takes the caller's AbortSignal.

export const REGISTRY_TIMEOUT_MS = 20_000;
const PAGE_SIZE = 100;
/** A registry whose "next" links never end must not keep us listing forever. */
const MAX_PAGES = 1000;

export interface RegistryClientOptions {
  credential?: RegistryCredential;
  timeoutMs?: number;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** Entries per page asked for (`n`); the registry may send fewer. */
  pageSize?: number;
}

export interface LoginState {
  /** The registry answered /v2/ with the credential (or without one when it needs none). */
  ok: true;
  scheme: 'none' | 'basic' | 'bearer';
  authenticated: boolean;
}

export class RegistryClient {
  private readonly auth: RegistryAuth;
  private readonly timeoutMs: number;

  constructor(
    readonly endpoint: RegistryEndpoint,
    private readonly opts: RegistryClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? REGISTRY_TIMEOUT_MS;
    this.auth = new RegistryAuth(endpoint.url, opts.credential, this.timeoutMs);
  }

  /** The secrets this client holds (credential forms and issued tokens), to scrub messages with. */
  get secrets(): string[] {
    return this.auth.secrets;
  }

  /** GET /v2/: is the registry there, and do the credentials work? Throws `unauthorized` when they do not. */
  async checkLogin(signal?: AbortSignal): Promise<LoginState> {
    const res = await this.send('GET', '/v2/', '', 'checking the login', signal);
    await res.body?.cancel();
    return { ok: true, scheme: this.auth.scheme, authenticated: this.opts.credential !== undefined && this.auth.scheme !== 'none' };
  }

  /** Every repository name (`_catalog`, all pages). Docker Hub does not offer it. */
  async catalog(opts: ListOptions = {}): Promise<string[]> {
    if (this.endpoint.host === 'docker.io') throw new RegistryError('unsupported', 'Docker Hub does not list repositories through the registry API (no _catalog).');
    return this.list<{ repositories?: string[] | null }>(`/v2/_catalog?n=${opts.pageSize ?? PAGE_SIZE}`, 'registry:catalog:*', 'listing repositories', (b) => b.repositories ?? [], opts.signal);
  }

  /** Every tag of a repository (all pages). */
  async tags(repository: string, opts: ListOptions = {}): Promise<string[]> {
    return this.list<{ tags?: string[] | null }>(
      `/v2/${repoPath(repository)}/tags/list?n=${opts.pageSize ?? PAGE_SIZE}`,
      pullScope(repository),
      `listing the tags of ${repository}`,
      (b) => b.tags ?? [],
      opts.signal,
    );
  }

  /** The manifest of a tag or digest: an image or an index, with its digest. */
  async manifest(repository: string, reference: string, signal?: AbortSignal): Promise<Manifest> {
    const what = `reading the manifest of ${repository}:${reference}`;
    const res = await this.send('GET', `/v2/${repoPath(repository)}/manifests/${encodeURIComponent(reference)}`, pullScope(repository), what, signal, MANIFEST_ACCEPT);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return parseManifest(bytes, res.headers.get('content-type'), res.headers.get('docker-content-digest'), reference, `${this.endpoint.name}/${repository}`);
  }

  /** The digest a tag points at (HEAD, so no manifest body is transferred). */
  async digest(repository: string, reference: string, signal?: AbortSignal): Promise<string> {
    const res = await this.send('HEAD', `/v2/${repoPath(repository)}/manifests/${encodeURIComponent(reference)}`, pullScope(repository), `resolving ${repository}:${reference}`, signal, MANIFEST_ACCEPT);
    const d = res.headers.get('docker-content-digest');
    if (!d) return (await this.manifest(repository, reference, signal)).digest;
    return d;
  }

  private async list<B>(first: string, scope: string, what: string, pick: (body: B) => string[], signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    const seen = new Set<string>();
    let next: string | undefined = first;
    while (next) {
      if (seen.has(next) || seen.size >= MAX_PAGES) throw new RegistryError('protocol', `${this.endpoint.name}: the pages of ${what} do not end.`);
      seen.add(next);
      const res = await this.send('GET', next, scope, what, signal);
      const text = await res.text();
      let body: B;
      try {
        body = JSON.parse(text) as B;
      } catch {
        throw new RegistryError('protocol', `${this.endpoint.name} answered ${what} with something that is not JSON.`);
      }
      out.push(...pick(body));
      next = this.nextLink(res.headers.get('link'));
    }
    return out;
  }

  /** The rel="next" target as a path on this registry; a link elsewhere is refused (it would get our token). */
  private nextLink(link: string | null): string | undefined {
    const m = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
    if (!m) return undefined;
    const base = new URL(this.endpoint.url);
    const target = new URL(m[1], base);
    if (target.origin !== base.origin) throw new RegistryError('protocol', `${this.endpoint.name} sent a next-page link to another server (${target.origin}).`);
    return target.pathname.slice(base.pathname.replace(/\/$/, '').length) + target.search;
  }

  private async send(method: string, path: string, scope: string, what: string, signal?: AbortSignal, accept?: string): Promise<Response> {
    const url = this.endpoint.url + path;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'user-agent': 'berth' };
      if (accept) headers.accept = accept;
      const authorization = this.auth.header(scope);
      if (authorization) headers.authorization = authorization;
      const timed = withTimeout(this.timeoutMs, signal);
      let res: Response;
      try {
        res = await fetch(url, { method, headers, signal: timed });
      } catch (err) {
        throw toRegistryError(err, what, this.endpoint.name, this.secrets, timed);
      }
      if (res.ok) return res;
      const text = method === 'HEAD' ? '' : await res.text().catch(() => '');
      if (res.status === 401 && attempt === 0) {
        await this.auth.answer(pickChallenge(parseAuthChallenges(res.headers.get('www-authenticate'))), scope, signal);
        continue;
      }
      throw this.failure(res, text, what);
    }
  }

  private failure(res: Response, text: string, what: string): RegistryError {
    const detail = bodyDetail(text);
    const where = this.endpoint.name;
    if (res.status === 401) {
      const challenge = pickChallenge(parseAuthChallenges(res.headers.get('www-authenticate')));
      if (challenge?.params.error === 'insufficient_scope') return new RegistryError('denied', `${where} denied ${what}: the credentials lack access${detail}.`, this.secrets, 401);
      const hint = this.opts.credential ? 'the credentials were refused' : 'it needs credentials, and none are configured';
      return new RegistryError('unauthorized', `${where} refused ${what}: ${hint}${detail}.`, this.secrets, 401);
    }
    if (res.status === 403) return new RegistryError('denied', `${where} denied ${what}${detail}.`, this.secrets, 403);
    if (res.status === 404) return new RegistryError('not-found', `${where}: not found while ${what}${detail}.`, this.secrets, 404);
    return new RegistryError('protocol', `${where} answered ${res.status} ${res.statusText} while ${what}${detail}.`, this.secrets, res.status);
  }
}

function repoPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}
