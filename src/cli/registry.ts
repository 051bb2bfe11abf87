// `berth push`, `berth pull`, `berth registry ls|tags`: the core's registry
// code for terminals and CI. Credentials come from Docker's own store
// (config.json, credential helpers) unless --registry-auth-from none; they are
// never taken from argv (there is no --password) and never printed.
// Exit status: 0 ok, 1 the registry, the credentials or the engine failed, 2 usage error.

import { EngineClient } from '../core/engine/client';
import { resolveEngines } from '../core/engine/contexts';
import { EngineError } from '../core/engine/errors';
import { resolveCredential, type CredentialSourceKind } from '../core/registry/credentialSource';
import { pullImage, pushImage, type TransferProgress } from '../core/registry/imageTransfer';
import { RegistryClient } from '../core/registry/registryClient';
import { RegistryError } from '../core/registry/registryError';
import { RefError, parseImageRef } from '../core/registry/registryRef';
import { parseRegistryUrl, type RegistryEndpoint } from '../core/registry/registryUrl';
import { parseArgs, UsageError } from './args';
import type { LintIO } from './lint';

export const REGISTRY_USAGE = `Usage:
  berth push IMAGE[:TAG] [--registry-auth-from docker|none] [--engine NAME]
  berth pull REF         [--registry-auth-from docker|none] [--engine NAME]
  berth registry ls URL          repositories of a V2 registry (_catalog)
  berth registry tags URL/REPO   tags of a repository

The engine pushes and pulls; progress is printed per layer. Credentials come
from Docker's config.json (auths, credsStore, credHelpers) unless
--registry-auth-from none. A failing credential helper is an error.`;

const SPECS = {
  from: { names: ['--registry-auth-from'], value: true },
  engine: { names: ['--engine'], value: true },
} as const;

export async function runRegistryCommand(command: 'push' | 'pull' | 'registry', argv: string[], io: LintIO): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<keyof typeof SPECS>>;
  let source: CredentialSourceKind;
  try {
    parsed = parseArgs(argv, SPECS, command === 'registry' ? 'subcommand' : 'image', { noneRequired: true });
    const from = parsed.options.from ?? 'docker';
    if (from !== 'docker' && from !== 'none') throw new UsageError(`--registry-auth-from takes docker or none (got "${String(from)}")`);
    source = from;
    if (!parsed.help && parsed.files.length !== (command === 'registry' ? 2 : 1)) throw new UsageError(command === 'registry' ? 'registry ls URL | registry tags URL/REPO' : `${command} takes one image`);
    if (command === 'registry' && !['ls', 'tags'].includes(parsed.files[0])) throw new UsageError(`unknown subcommand "registry ${parsed.files[0]}"`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await io.stderr(`berth ${command}: ${err.message}\nRun "berth ${command} --help" for usage.\n`);
    return 2;
  }
  if (parsed.help) {
    await io.stdout(REGISTRY_USAGE + '\n');
    return 0;
  }
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  try {
    if (command === 'registry') return await listing(parsed.files[0] as 'ls' | 'tags', parsed.files[1], source, io, ac.signal);
    return await transfer(command, parsed.files[0], source, typeof parsed.options.engine === 'string' ? parsed.options.engine : undefined, io, ac.signal);
  } catch (err) {
    if (err instanceof RegistryError || err instanceof EngineError || err instanceof RefError) {
      await io.stderr(`berth ${command}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

async function credentialFor(registry: RegistryEndpoint, source: CredentialSourceKind, io: LintIO, signal: AbortSignal) {
  const resolved = await resolveCredential(registry, source, { env: io.env, homeDir: io.homeDir, signal });
  return resolved?.credential;
}

async function transfer(command: 'push' | 'pull', image: string, source: CredentialSourceKind, engineSetting: string | undefined, io: LintIO, signal: AbortSignal): Promise<number> {
  const ref = parseImageRef(image);
  const credential = await credentialFor(parseRegistryUrl(ref.registry), source, io, signal);
  const r = await resolveEngines({ env: io.env, homeDir: io.homeDir, setting: engineSetting });
  if (!r.current.endpoint) throw new EngineError('bad-endpoint', r.current.problem ?? 'no engine address');
  const client = new EngineClient(r.current.endpoint);
  // One line per layer and status change: byte counts would flood a CI log.
  const last = new Map<string, string>();
  const onProgress = (p: TransferProgress) => {
    const key = p.layer ?? '';
    if (last.get(key) === p.status) return;
    last.set(key, p.status);
    void io.stdout(p.layer ? `${p.layer}: ${p.status}\n` : `${p.status}\n`);
  };
  try {
    const result = await (command === 'push' ? pushImage : pullImage)(client, image, { credential, signal, onProgress });
    await io.stdout(`${command === 'push' ? 'pushed' : 'pulled'} ${result.image}${result.digest ? ` (${result.digest})` : ''}\n`);
    return 0;
  } finally {
    client.dispose();
  }
}

async function listing(sub: 'ls' | 'tags', target: string, source: CredentialSourceKind, io: LintIO, signal: AbortSignal): Promise<number> {
  let registryText = target;
  let repository = '';
  if (sub === 'tags') {
    // URL/REPO: the registry is the scheme and host, the rest is the repository.
    const m = target.match(/^((?:[a-z][a-z0-9+.-]*:\/\/)?[^/]+)\/(.+)$/i);
    if (!m) throw new RegistryError('protocol', `"${target}" is not URL/REPOSITORY.`);
    registryText = m[1];
    repository = m[2].replace(/^v2\//, '');
  }
  const registry = parseRegistryUrl(registryText);
  const credential = await credentialFor(registry, source, io, signal);
  const client = new RegistryClient(registry, { credential });
  const rows = sub === 'ls' ? await client.catalog({ signal }) : await client.tags(repository, { signal });
  await io.stdout(rows.map((r) => `${r}\n`).join(''));
  return 0;
}
