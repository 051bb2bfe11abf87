import * as vscode from 'vscode';
import type { CredentialSourceKind } from '../../core/registry/credentialSource';
import type { CredentialStore, RegistryCredential } from '../../core/registry/credentials';

// The registries the user added, and the secrets Berth keeps for them. The list
// (addresses and which credential source each uses, never a secret) lives in
// the editor's global state, not in settings: a workspace cannot add or
// redirect a registry. Secrets live only in SecretStorage (the OS keychain
// where the editor has one), keyed by the registry's credential key.

export interface SavedRegistry {
  /** What the user added: a URL or host, as parseRegistryUrl takes it. */
  url: string;
  /** Where the credential comes from; chosen at login, never guessed later. */
  source: CredentialSourceKind;
}

const LIST_KEY = 'berth.registries';
const SECRET_PREFIX = 'berth.registry/';

export class RegistryList implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  all(): SavedRegistry[] {
    return this.state.get<SavedRegistry[]>(LIST_KEY, []);
  }

  find(url: string): SavedRegistry | undefined {
    return this.all().find((r) => r.url === url);
  }

  async save(entry: SavedRegistry): Promise<void> {
    const rest = this.all().filter((r) => r.url !== entry.url);
    await this.state.update(LIST_KEY, [...rest, entry]);
    this.changed.fire();
  }

  async remove(url: string): Promise<void> {
    await this.state.update(LIST_KEY, this.all().filter((r) => r.url !== url));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** CredentialStore over the editor's SecretStorage. */
export class SecretCredentialStore implements CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(registryKey: string): Promise<RegistryCredential | undefined> {
    const text = await this.secrets.get(SECRET_PREFIX + registryKey);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as RegistryCredential;
    } catch {
      return undefined;
    }
  }

  async store(registryKey: string, credential: RegistryCredential): Promise<void> {
    await this.secrets.store(SECRET_PREFIX + registryKey, JSON.stringify(credential));
  }

  async delete(registryKey: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + registryKey);
  }
}
