// What a registry credential is, where the editor keeps it, and how its secret
// is kept out of every message. The core never stores secrets itself: the
// VS Code layer implements CredentialStore over SecretStorage; the CLI reads
// Docker's own credentials (dockerConfig.ts).

/**
 * A username and password (a personal access token is a password here), or an
 * OAuth2 refresh token (`identitytoken`, what `docker login` keeps for registries
 * that issue one; exchanged at the token realm), or a registry bearer token sent as is.
 */
export type RegistryCredential =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'identity-token'; username?: string; identityToken: string }
  | { kind: 'registry-token'; registryToken: string };

/** Where a credential came from, for "logged in as … (from …)" lines; never the secret itself. */
export interface ResolvedCredential {
  credential: RegistryCredential;
  /** "credential helper docker-credential-pass", "config.json auths", "Berth's secret storage". */
  source: string;
}

/**
 * Secrets kept by the editor (SecretStorage) under a registry key: the host for
 * most registries, https://index.docker.io/v1/ for Docker Hub (registryRef.authConfigKey).
 */
export interface CredentialStore {
  get(registryKey: string, signal?: AbortSignal): Promise<RegistryCredential | undefined>;
  store(registryKey: string, credential: RegistryCredential): Promise<void>;
  delete(registryKey: string): Promise<void>;
}

/** A store in memory, for the CLI's single run and for tests. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly entries = new Map<string, RegistryCredential>();
  async get(key: string): Promise<RegistryCredential | undefined> {
    return this.entries.get(key);
  }
  async store(key: string, credential: RegistryCredential): Promise<void> {
    this.entries.set(key, credential);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

/** The username to show ("<token>" for bare tokens), never the secret. */
export function credentialUser(c: RegistryCredential): string {
  if (c.kind === 'password') return c.username;
  if (c.kind === 'identity-token') return c.username ?? '<token>';
  return '<token>';
}

/**
 * Every form a credential's secret can take on the wire or in a message: the
 * raw secret, base64 of "user:secret" (a Basic header, config.json `auth`), and
 * URL-safe/unpadded base64 variants. Short values are skipped (a 1-2 character
 * "secret" would blank unrelated text; such a secret protects nothing anyway).
 */
export function secretForms(c: RegistryCredential | undefined): string[] {
  if (!c) return [];
  const raw = c.kind === 'password' ? c.password : c.kind === 'identity-token' ? c.identityToken : c.registryToken;
  const forms = [raw];
  if (c.kind === 'password') {
    const b64 = Buffer.from(`${c.username}:${c.password}`).toString('base64');
    forms.push(b64, b64.replace(/=+$/, ''), b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  forms.push(encodeURIComponent(raw), JSON.stringify(raw).slice(1, -1));
  return [...new Set(forms)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

export const REDACTED = '***';

/** `text` with every occurrence of every secret replaced by ***. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join(REDACTED);
  return out;
}
