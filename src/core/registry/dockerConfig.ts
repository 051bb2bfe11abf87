import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { helperGet, type HelperOptions } from './credentialHelper';
import type { RegistryCredential, ResolvedCredential } from './credentials';
import { RegistryError } from './registryError';
import { authConfigKey, hostOf } from './registryRef';

// Docker's own credentials, read as docker/cli does (cli/config/configfile):
// `credHelpers[registry]` wins, then `credsStore`; a configured helper's answer
// is final (found or not), and its failure is an error. Only without a helper
// do the inline `auths` count: `auth` is base64("user:password"), or an
// `identitytoken`. Docker Hub's key is https://index.docker.io/v1/.
// DOCKER_CONFIG comes from the process environment (the user's shell or the
// machine), never from a workspace setting: it decides which helper runs.

export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfigFile {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface DockerConfigOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  signal?: AbortSignal;
  /** Per helper call. */
  helperTimeoutMs?: number;
}

/** $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  return env.DOCKER_CONFIG?.trim() || path.join(homeDir, '.docker');
}

/** The parsed config.json; an empty config when there is none; an error when it cannot be read or parsed. */
export async function readDockerConfig(dir: string): Promise<DockerConfigFile> {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new RegistryError('credentials', `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the offending text, which may be a secret: say where, not what.
    throw new RegistryError('credentials', `${file} is not valid JSON.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RegistryError('credentials', `${file} does not hold a JSON object.`);
  return parsed as DockerConfigFile;
}

/** The helper Docker would ask for `registryKey`: its credHelpers entry, else credsStore. */
export function configuredHelper(config: DockerConfigFile, registryKey: string): { name: string; from: string } | undefined {
  const host = hostOf(registryKey);
  const per = config.credHelpers?.[registryKey] ?? config.credHelpers?.[host];
  if (per) return { name: per, from: 'credHelpers' };
  if (config.credsStore) return { name: config.credsStore, from: 'credsStore' };
  return undefined;
}

/** The inline `auths` entry for a registry: its exact key, else a key naming the same host (http://host, host/v1/). */
export function inlineAuth(config: DockerConfigFile, registryKey: string): DockerAuthEntry | undefined {
  const auths = config.auths ?? {};
  if (auths[registryKey]) return auths[registryKey];
  const host = hostOf(registryKey);
  for (const [key, entry] of Object.entries(auths)) if (authConfigKey(hostOf(key)) === authConfigKey(host)) return entry;
  return undefined;
}

/** An `auths` entry as a credential; undefined when it holds none. */
export function decodeAuthEntry(entry: DockerAuthEntry, where: string): RegistryCredential | undefined {
  if (entry.identitytoken) return { kind: 'identity-token', identityToken: entry.identitytoken, username: entry.username };
  if (entry.registrytoken) return { kind: 'registry-token', registryToken: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new RegistryError('credentials', `The auth of ${where} is not base64 of "user:password".`, [entry.auth, decoded]);
    return { kind: 'password', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { kind: 'password', username: entry.username, password: entry.password };
  return undefined;
}

/** Docker's credential for a registry host (or Hub), with where it came from; undefined when Docker has none. */
export async function dockerCredentialFor(registryHost: string, opts: DockerConfigOptions): Promise<ResolvedCredential | undefined> {
  const dir = dockerConfigDir(opts.env, opts.homeDir);
  const config = await readDockerConfig(dir);
  const key = authConfigKey(registryHost);
  const helper = configuredHelper(config, key);
  if (helper) {
    const helperOpts: HelperOptions = { env: opts.env, signal: opts.signal, timeoutMs: opts.helperTimeoutMs };
    const credential = await helperGet(helper.name, key, helperOpts);
    return credential ? { credential, source: `credential helper docker-credential-${helper.name} (${helper.from})` } : undefined;
  }
  const entry = inlineAuth(config, key);
  const credential = entry && decodeAuthEntry(entry, `"${key}" in ${path.join(dir, 'config.json')}`);
  return credential ? { credential, source: `auths in ${path.join(dir, 'config.json')}` } : undefined;
}
