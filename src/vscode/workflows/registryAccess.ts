import * as os from 'node:os';
import { resolveCredential, type CredentialSourceKind } from '../../core/registry/credentialSource';
import { credentialUser, type ResolvedCredential } from '../../core/registry/credentials';
import { RegistryClient } from '../../core/registry/registryClient';
import { RegistryError } from '../../core/registry/registryError';
import { parseRegistryUrl, type RegistryEndpoint } from '../../core/registry/registryUrl';
import type { RegistryLoader, RegistryRow } from '../views/registriesTreeProvider';
import type { WorkflowHost } from '../workflowHost';

// Which credential a registry call uses, and the Registries view's data. A
// registry the user added uses the source chosen at login; one never added
// (a push to a reference typed by hand) uses Docker's own credentials, what the
// docker CLI would use. A source that fails (a helper that errors) is an
// error: nothing falls back to another source.

export interface RegistryAccess {
  endpoint: RegistryEndpoint;
  source: CredentialSourceKind;
  resolved?: ResolvedCredential;
}

export function savedFor(host: WorkflowHost, registryHost: string): { url: string; source: CredentialSourceKind } | undefined {
  return host.registries.all().find((r) => {
    try {
      return parseRegistryUrl(r.url).host === registryHost.toLowerCase();
    } catch {
      return false;
    }
  });
}

export async function accessFor(host: WorkflowHost, urlOrHost: string, signal?: AbortSignal): Promise<RegistryAccess> {
  const endpoint = parseRegistryUrl(urlOrHost);
  const source = host.registries.find(urlOrHost)?.source ?? savedFor(host, endpoint.host)?.source ?? 'docker';
  const resolved = await resolveCredential(endpoint, source, { store: host.credentials, env: process.env, homeDir: os.homedir(), signal });
  return { endpoint, source, resolved };
}

const SOURCE_WORD: Record<CredentialSourceKind, string> = { store: "Berth's secret storage", docker: "Docker's credentials", none: 'anonymous' };

interface LoginLine {
  label: string;
  description: string;
  tooltip?: string;
}

/** The Registries view's loader: login lines (checked once per refresh) and repository/tag listings. */
export class RegistryViewLoader implements RegistryLoader {
  private readonly lines = new Map<string, LoginLine>();
  private readonly checking = new Set<string>();

  constructor(private readonly host: WorkflowHost) {}

  /** Forgets the login lines, so the next draw checks again (after login, logout, refresh). */
  reset(url?: string): void {
    if (url) this.lines.delete(url);
    else this.lines.clear();
  }

  describe(url: string): LoginLine {
    const known = this.lines.get(url);
    if (known) return known;
    let label = url;
    try {
      label = parseRegistryUrl(url).name;
    } catch {
      /* shown as typed */
    }
    if (!this.checking.has(url)) {
      this.checking.add(url);
      void this.check(url, label).finally(() => this.checking.delete(url));
    }
    return { label, description: 'checking…' };
  }

  private async check(url: string, label: string): Promise<void> {
    let line: LoginLine;
    try {
      const access = await accessFor(this.host, url);
      const client = new RegistryClient(access.endpoint, { credential: access.resolved?.credential });
      const state = await client.checkLogin();
      const who = access.resolved ? `${credentialUser(access.resolved.credential)} (${access.resolved.source})` : undefined;
      line = {
        label,
        description: who ? `logged in as ${who}` : state.scheme === 'none' ? 'open, no login needed' : `anonymous (${SOURCE_WORD[access.source]}: none)`,
        tooltip: `${access.endpoint.url}\nauthentication: ${state.scheme}`,
      };
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      // A failing credential source says so: it is never shown (or used) as if there were no credential.
      const kind = err instanceof RegistryError ? err.kind : undefined;
      const description = kind === 'unauthorized' ? 'login needed' : kind === 'credentials' ? 'credentials failed' : kind === 'denied' ? 'access denied' : 'unreachable';
      line = { label, description, tooltip: msg };
    }
    this.lines.set(url, line);
    this.host.registriesView.refresh(url);
  }

  async children(row: RegistryRow, signal: AbortSignal): Promise<RegistryRow[]> {
    if (row.kind !== 'registry' && row.kind !== 'repository') return [];
    const messageId = `${row.kind}:${row.url}:${row.kind === 'repository' ? row.repository : ''}`;
    try {
      const access = await accessFor(this.host, row.url, signal);
      const client = new RegistryClient(access.endpoint, { credential: access.resolved?.credential });
      if (row.kind === 'registry') {
        const repos = await client.catalog({ signal });
        if (repos.length === 0) return [{ kind: 'message', id: `${messageId}:empty`, text: 'No repositories yet', icon: 'info' }];
        return repos.sort().map((repository) => ({ kind: 'repository', url: row.url, host: access.endpoint.host, repository }));
      }
      const tags = await client.tags(row.repository, { signal });
      if (tags.length === 0) return [{ kind: 'message', id: `${messageId}:empty`, text: 'No tags', icon: 'info' }];
      return tags.sort().map((tag) => ({ kind: 'tag', url: row.url, host: access.endpoint.host, repository: row.repository, tag }));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const unsupported = err instanceof RegistryError && err.kind === 'unsupported';
      return [{ kind: 'message', id: `${messageId}:error`, text: unsupported ? msg : `Could not list: ${msg}`, icon: unsupported ? 'info' : 'warning', detail: msg }];
    }
  }
}
