/**
 * Decides which Docker engine Berth talks to, the way the docker CLI would,
 * and lists the alternatives a user can switch to.
 *
 * Everything here is best effort on purpose: a half-written context store or
 * a broken config.json must not stop Berth from offering the engines it can
 * read, so such damage becomes a warning or a candidate's `problem`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_UNIX_SOCKET, parseDockerHost, type EngineEndpoint, type TlsMaterial } from './endpoint';

export type CandidateSource = 'setting' | 'DOCKER_HOST' | 'context' | 'default';

export interface EngineCandidate {
  name: string;
  endpoint?: EngineEndpoint;
  problem?: string;
  source: CandidateSource;
  description?: string;
}

export interface ResolutionInput {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  setting?: string;
  platform?: NodeJS.Platform;
}

export interface Resolution {
  current: EngineCandidate;
  /** Why current was chosen, in words a status bar tooltip can show. */
  chosenBy: string;
  /** 'default' first, then stored contexts by name, then current if it is neither. */
  candidates: EngineCandidate[];
  warnings: string[];
}

const DEFAULT_CONTEXT = 'default';
const WINDOWS_DEFAULT_HOST = 'npipe:////./pipe/docker_engine';

/** Docker names context folders by hash so any context name is a safe folder name. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

export async function resolveEngines(input: ResolutionInput): Promise<Resolution> {
  const env = input.env;
  const platform = input.platform ?? process.platform;
  const configDir = nonEmpty(env.DOCKER_CONFIG) ?? path.join(input.homeDir, '.docker');
  const configFile = path.join(configDir, 'config.json');
  const metaDir = path.join(configDir, 'contexts', 'meta');

  const [config, store, envTls] = await Promise.all([
    readConfig(configFile),
    readStore(configDir, metaDir),
    envTlsMaterial(env, configDir),
  ]);
  const warnings = [...config.warnings, ...store.warnings];

  const dockerHost = nonEmpty(env.DOCKER_HOST);
  const dockerContext = nonEmpty(env.DOCKER_CONTEXT);
  // The implicit default context is how docker keeps pre-context setups
  // (DOCKER_HOST, or nothing at all) working; it never comes from the store.
  const platformHost = platform === 'win32' ? WINDOWS_DEFAULT_HOST : `unix://${DEFAULT_UNIX_SOCKET}`;
  const defaultCandidate = addressCandidate(DEFAULT_CONTEXT, dockerHost ?? platformHost, envTls, 'default');

  const lookup = (name: string, askedBy: string): EngineCandidate => {
    if (name === DEFAULT_CONTEXT) return defaultCandidate;
    const found = store.contexts.get(name);
    if (found) return found;
    const broken = store.broken.get(contextDirName(name));
    const problem = broken ? `context "${name}" could not be read: ${broken}` : `context "${name}" not found in ${metaDir}`;
    warnings.push(`${askedBy} names context "${name}", but ${broken ? 'it could not be read' : `it is not in ${metaDir}`}.`);
    return { name, problem, source: 'context' };
  };

  let current: EngineCandidate;
  let chosenBy: string;
  const setting = input.setting?.trim();
  if (setting) {
    chosenBy = 'berth.engine setting';
    // The setting plays the role of docker's --context / --host flags, so
    // like --host an address picks up the TLS environment variables.
    current = setting.includes('://') ? addressCandidate(setting, setting, envTls, 'setting') : lookup(setting, chosenBy);
  } else if (dockerHost) {
    chosenBy = 'DOCKER_HOST';
    current = addressCandidate(dockerHost, dockerHost, envTls, 'DOCKER_HOST');
    if (dockerContext) {
      warnings.push(`DOCKER_HOST and DOCKER_CONTEXT=${dockerContext} are both set; DOCKER_HOST wins, as it does for the docker CLI.`);
    }
  } else if (dockerContext) {
    chosenBy = `DOCKER_CONTEXT=${dockerContext}`;
    current = lookup(dockerContext, 'DOCKER_CONTEXT');
  } else if (config.currentContext) {
    const shown = tildePath(configFile, input.homeDir);
    chosenBy = `currentContext in ${shown}`;
    current = lookup(config.currentContext, `currentContext in ${shown}`);
  } else {
    chosenBy = platform === 'win32' ? 'default named pipe' : 'default socket';
    current = defaultCandidate;
  }

  const stored = [...store.contexts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const candidates = [defaultCandidate, ...stored];
  // Keeping current in the list (even a broken one) lets a picker show what
  // is in force next to the alternatives.
  if (!candidates.some((c) => c.name === current.name)) candidates.push(current);

  return { current, chosenBy, candidates, warnings };
}

function addressCandidate(name: string, address: string, tls: TlsMaterial | undefined, source: CandidateSource): EngineCandidate {
  try {
    return { name, endpoint: parseDockerHost(address, tls), source };
  } catch (err) {
    return { name, problem: errorText(err), source };
  }
}

interface ConfigInfo {
  currentContext?: string;
  warnings: string[];
}

async function readConfig(file: string): Promise<ConfigInfo> {
  const raw = await readText(file);
  if (raw.kind === 'missing') return { warnings: [] };
  if (raw.kind === 'error') return { warnings: [`Could not read ${file}: ${raw.error}.`] };
  const parsed = parseJsonObject(raw.text);
  if (typeof parsed === 'string') return { warnings: [`${file} ${parsed}; its currentContext is ignored.`] };
  const value = parsed.currentContext;
  if (value === undefined || value === null) return { warnings: [] };
  if (typeof value !== 'string') return { warnings: [`currentContext in ${file} is not a string; ignored.`] };
  return { currentContext: value.trim() || undefined, warnings: [] };
}

interface StoreInfo {
  contexts: Map<string, EngineCandidate>;
  /** Folder name → why it was skipped, so a lookup can explain a miss. */
  broken: Map<string, string>;
  warnings: string[];
}

async function readStore(configDir: string, metaDir: string): Promise<StoreInfo> {
  const info: StoreInfo = { contexts: new Map(), broken: new Map(), warnings: [] };
  let dirNames: string[];
  try {
    const entries = await readdir(metaDir, { withFileTypes: true });
    dirNames = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') info.warnings.push(`Could not list Docker contexts in ${metaDir}: ${errorText(err)}.`);
    return info;
  }

  const results = await Promise.all(dirNames.map((dir) => readContext(configDir, metaDir, dir)));
  results.forEach((result, i) => {
    if ('candidate' in result) {
      info.contexts.set(result.candidate.name, result.candidate);
    } else {
      info.broken.set(dirNames[i], result.reason);
      info.warnings.push(result.warning);
    }
  });
  return info;
}

type ContextRead = { candidate: EngineCandidate } | { reason: string; warning: string };

async function readContext(configDir: string, metaDir: string, dir: string): Promise<ContextRead> {
  const file = path.join(metaDir, dir, 'meta.json');
  const skip = (reason: string): ContextRead => ({ reason, warning: `Skipped Docker context folder ${dir}: ${reason}.` });

  const raw = await readText(file);
  if (raw.kind === 'missing') return skip('it has no meta.json');
  if (raw.kind === 'error') return skip(`its meta.json could not be read (${raw.error})`);
  const meta = parseJsonObject(raw.text);
  if (typeof meta === 'string') return skip(`its meta.json ${meta}`);

  const name = meta.Name;
  if (typeof name !== 'string' || name === '') return skip('its meta.json has no Name');
  // Docker finds a context by hashing its name, so a folder under the wrong
  // hash is unreachable for docker too; listing it would offer a dead entry.
  if (contextDirName(name) !== dir) return skip(`its folder does not match the context name "${name}"`);
  if (name === DEFAULT_CONTEXT) return skip('"default" is reserved for the implicit default context');

  const candidate: EngineCandidate = { name, source: 'context' };
  const metadata = asObject(meta.Metadata);
  if (metadata && typeof metadata.Description === 'string' && metadata.Description !== '') {
    candidate.description = metadata.Description;
  }

  const docker = asObject(asObject(meta.Endpoints)?.docker);
  const host = docker?.Host;
  if (typeof host !== 'string' || host.trim() === '') {
    candidate.problem = `context "${name}" has no Docker endpoint address`;
    return { candidate };
  }
  const tls = await contextTlsMaterial(configDir, dir, docker?.SkipTLSVerify === true);
  try {
    candidate.endpoint = parseDockerHost(host, tls);
  } catch (err) {
    candidate.problem = errorText(err);
  }
  return { candidate };
}

async function contextTlsMaterial(configDir: string, dir: string, skipVerify: boolean): Promise<TlsMaterial | undefined> {
  const tlsDir = path.join(configDir, 'contexts', 'tls', dir, 'docker');
  if (await isDirectory(tlsDir)) return { ...(await tlsFiles(tlsDir)), verify: !skipVerify };
  // Docker still speaks TLS (unverified) when asked to skip verification,
  // even if the context stores no certificates at all.
  return skipVerify ? { verify: false } : undefined;
}

async function envTlsMaterial(env: ResolutionInput['env'], configDir: string): Promise<TlsMaterial | undefined> {
  // Like docker: DOCKER_TLS_VERIFY implies TLS, DOCKER_TLS alone means
  // encrypted but unverified.
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  const certDir = nonEmpty(env.DOCKER_CERT_PATH) ?? configDir;
  return { ...(await tlsFiles(certDir)), verify };
}

/** Only files that exist are returned, so a CA-only setup does not look like a broken client cert. */
async function tlsFiles(dir: string): Promise<Omit<TlsMaterial, 'verify'>> {
  const [ca, cert, key] = await Promise.all(
    ['ca.pem', 'cert.pem', 'key.pem'].map(async (f) => ((await isFile(path.join(dir, f))) ? path.join(dir, f) : undefined)),
  );
  const out: Omit<TlsMaterial, 'verify'> = {};
  if (ca) out.caPath = ca;
  if (cert) out.certPath = cert;
  if (key) out.keyPath = key;
  return out;
}

type TextRead = { kind: 'ok'; text: string } | { kind: 'missing' } | { kind: 'error'; error: string };

async function readText(file: string): Promise<TextRead> {
  try {
    return { kind: 'ok', text: await readFile(file, 'utf8') };
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', error: errorText(err) };
  }
}

/** Returns the object, or a phrase describing what is wrong with the text. */
function parseJsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `is not valid JSON (${errorText(err)})`;
  }
  return asObject(value) ?? 'does not contain a JSON object';
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

// Docker treats an empty variable as unset; whitespace-only is treated the
// same here because it can only be a mistake.
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function tildePath(file: string, homeDir: string): string {
  if (homeDir && file.startsWith(homeDir + path.sep)) return `~${file.slice(homeDir.length)}`;
  return file;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
