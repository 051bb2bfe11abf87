import * as os from 'node:os';
import * as vscode from 'vscode';
import { resolveCredential, type CredentialSourceKind } from '../../core/registry/credentialSource';
import type { RegistryCredential } from '../../core/registry/credentials';
import { RegistryClient } from '../../core/registry/registryClient';
import { parseRegistryUrl, REGISTRY_PRESETS, type RegistryEndpoint } from '../../core/registry/registryUrl';
import { withJob } from '../commands/run';
import type { RegistryRow } from '../views/registriesTreeProvider';
import type { WorkflowHost } from '../workflowHost';
import type { RegistryViewLoader } from './registryAccess';

// Adding, removing, logging in and out of registries. A login is checked
// against the registry (GET /v2/ with the credential, Basic or Bearer as it
// asks) before anything is stored: a wrong password is reported and never kept.

export interface LoginGiven {
  /** 'store' with username and password; 'docker' uses Docker's credentials; 'none' is anonymous. */
  source: CredentialSourceKind;
  username?: string;
  password?: string;
}

export async function addRegistry(host: WorkflowHost, loader: RegistryViewLoader, url?: string): Promise<string | undefined> {
  let text = url;
  if (!text) {
    const other: vscode.QuickPickItem & { url?: string } = { label: '$(add) Another registry…', description: 'any registry with the V2 API: https://host[:port] or host:port' };
    const presets: Array<vscode.QuickPickItem & { url?: string }> = REGISTRY_PRESETS.map((p) => ({ label: p.name, description: p.url, url: p.host }));
    const picked = await vscode.window.showQuickPick([...presets, other], { placeHolder: 'Add which registry?' });
    if (!picked) return undefined;
    text = picked.url ?? await vscode.window.showInputBox({ prompt: 'Registry address (a bare loopback host:port means plain http)', validateInput: validateUrl });
  }
  if (!text) return undefined;
  const endpoint = parseRegistryUrl(text);
  const key = text.trim();
  if (!host.registries.find(key)) {
    // Docker's credentials when Docker has one for this host (what docker push would use), else anonymous.
    const docker = await resolveCredential(endpoint, 'docker', { env: process.env, homeDir: os.homedir() }).catch(() => undefined);
    await host.registries.save({ url: key, source: docker ? 'docker' : 'none' });
  }
  loader.reset(key);
  host.services.log.info(`registries: added ${endpoint.name} (${endpoint.url})`);
  return key;
}

function validateUrl(text: string): string | undefined {
  try {
    parseRegistryUrl(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

async function pickRegistry(host: WorkflowHost, loader: RegistryViewLoader, row?: RegistryRow | string): Promise<string | undefined> {
  if (typeof row === 'string') return host.registries.find(row) ? row : addRegistry(host, loader, row);
  if (row && row.kind !== 'message') return row.url;
  const all = host.registries.all();
  if (all.length === 0) return addRegistry(host, loader);
  const picked = await vscode.window.showQuickPick(all.map((r) => ({ label: r.url })), { placeHolder: 'Which registry?' });
  return picked?.label;
}

export async function removeRegistry(host: WorkflowHost, loader: RegistryViewLoader, row?: RegistryRow): Promise<void> {
  const url = await pickRegistry(host, loader, row);
  if (!url) return;
  const saved = host.registries.find(url);
  if (saved?.source === 'store') await host.credentials.delete(parseRegistryUrl(url).authKey);
  await host.registries.remove(url);
  loader.reset(url);
}

export async function login(host: WorkflowHost, loader: RegistryViewLoader, row?: RegistryRow | string, given?: LoginGiven): Promise<void> {
  const url = await pickRegistry(host, loader, row);
  if (!url) return;
  const endpoint = parseRegistryUrl(url);
  const choice = given ?? (await askLogin(endpoint));
  if (!choice) return;
  let credential: RegistryCredential | undefined;
  if (choice.source === 'store') {
    if (!choice.username || !choice.password) throw new Error('A login needs a username and a password or token.');
    credential = { kind: 'password', username: choice.username, password: choice.password };
  } else if (choice.source === 'docker') {
    const resolved = await resolveCredential(endpoint, 'docker', { env: process.env, homeDir: os.homedir() });
    if (!resolved) throw new Error(`Docker has no credential for ${endpoint.name} (no entry in config.json and no credential helper for it). Log in with a username instead, or run docker login.`);
    credential = resolved.credential;
  }
  if (choice.source !== 'none') {
    const client = new RegistryClient(endpoint, { credential });
    await withJob(`Logging in to ${endpoint.name}`, (signal) => client.checkLogin(signal));
  }
  if (choice.source === 'store') await host.credentials.store(endpoint.authKey, credential!);
  else if (host.registries.find(url)?.source === 'store') await host.credentials.delete(endpoint.authKey);
  await host.registries.save({ url, source: choice.source });
  loader.reset(url);
  host.services.log.info(`registries: ${endpoint.name} now uses ${choice.source === 'store' ? `a login for ${choice.username}` : choice.source === 'docker' ? "Docker's credentials" : 'no credentials'}`);
}

async function askLogin(endpoint: RegistryEndpoint): Promise<LoginGiven | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Username and password or token', description: "kept in the editor's secret storage", source: 'store' as const },
      { label: "Docker's credentials", description: '~/.docker/config.json and its credential helpers', source: 'docker' as const },
      { label: 'Anonymous', description: 'no credentials', source: 'none' as const },
    ],
    { placeHolder: `Log in to ${endpoint.name}` },
  );
  if (!picked || picked.source !== 'store') return picked && { source: picked.source };
  const username = await vscode.window.showInputBox({ prompt: `Username for ${endpoint.name}`, ignoreFocusOut: true });
  if (!username) return undefined;
  const password = await vscode.window.showInputBox({ prompt: `Password or access token for ${username} at ${endpoint.name}`, password: true, ignoreFocusOut: true });
  if (!password) return undefined;
  return { source: 'store', username, password };
}

export async function logout(host: WorkflowHost, loader: RegistryViewLoader, row?: RegistryRow): Promise<void> {
  const url = await pickRegistry(host, loader, row);
  if (!url) return;
  const endpoint = parseRegistryUrl(url);
  await host.credentials.delete(endpoint.authKey);
  await host.registries.save({ url, source: 'none' });
  loader.reset(url);
}
