import type { CredentialStore, ResolvedCredential } from './credentials';
import { dockerCredentialFor } from './dockerConfig';
import type { RegistryEndpoint } from './registryUrl';

// Which credential a registry call uses is the user's choice, made once per
// registry: Berth's own store (the editor's SecretStorage), Docker's
// credentials (config.json and its helpers), or none. No source falls back to
// another: a missing or failing credential is reported, not replaced.

export type CredentialSourceKind = 'store' | 'docker' | 'none';

export interface CredentialSourceOptions {
  store?: CredentialStore;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  signal?: AbortSignal;
}

export async function resolveCredential(registry: RegistryEndpoint, source: CredentialSourceKind, opts: CredentialSourceOptions): Promise<ResolvedCredential | undefined> {
  switch (source) {
    case 'none':
      return undefined;
    case 'docker':
      return dockerCredentialFor(registry.host, { env: opts.env, homeDir: opts.homeDir, signal: opts.signal });
    case 'store': {
      const credential = await opts.store?.get(registry.authKey, opts.signal);
      return credential ? { credential, source: "Berth's secret storage" } : undefined;
    }
  }
}
