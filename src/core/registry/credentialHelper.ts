import { spawn } from 'node:child_process';
import { secretForms, type RegistryCredential } from './credentials';
import { RegistryError } from './registryError';

// Docker's credential helpers (docker/docker-credential-helpers client
// protocol): `docker-credential-<name> get` reads the server URL on stdin and
// answers {ServerURL, Username, Secret} on stdout; "credentials not found" on
// its output means there are none. The secret travels only through the pipes,
// never through argv or the environment. A helper that cannot run or fails is
// an error: falling back to another credential would hide the failure
// (CVE-2021-41092 was such a fallback).

export const HELPER_TIMEOUT_MS = 30_000;
const NOT_FOUND = 'credentials not found';
// A helper name becomes part of an executable's name looked up on PATH: letters, digits, ".", "_", "-" only.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface HelperOptions {
  /** The environment the helper runs with (PATH decides which executable). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Asks helper `name` for the credential of `serverUrl`; undefined when it has none. */
export async function helperGet(name: string, serverUrl: string, opts: HelperOptions = {}): Promise<RegistryCredential | undefined> {
  const run = await runHelper(name, 'get', serverUrl, opts);
  if (run.code !== 0) {
    if ((run.stdout + run.stderr).toLowerCase().includes(NOT_FOUND)) return undefined;
    throw helperFailure(name, 'get', run, []);
  }
  let reply: { Username?: unknown; Secret?: unknown };
  try {
    reply = JSON.parse(run.stdout) as typeof reply;
  } catch {
    // The output may be the secret itself in some broken helper: never quote it.
    throw new RegistryError('credentials', `docker-credential-${name} get answered something that is not JSON (${run.stdout.length} bytes).`);
  }
  if (typeof reply.Secret !== 'string' || (reply.Username !== undefined && typeof reply.Username !== 'string')) {
    throw new RegistryError('credentials', `docker-credential-${name} get answered JSON without a string Secret.`);
  }
  const username = (reply.Username as string | undefined) ?? '';
  if (!reply.Secret) return undefined;
  // "<token>" as the username marks an identity token (docker/cli native_store.go).
  if (username === '<token>') return { kind: 'identity-token', identityToken: reply.Secret };
  return { kind: 'password', username, password: reply.Secret };
}

/** Stores a username/password (or identity token) through the helper, as `docker login` does. */
export async function helperStore(name: string, serverUrl: string, credential: RegistryCredential, opts: HelperOptions = {}): Promise<void> {
  if (credential.kind === 'registry-token') throw new RegistryError('credentials', 'A registry token cannot be kept by a credential helper.');
  const payload =
    credential.kind === 'password'
      ? { ServerURL: serverUrl, Username: credential.username, Secret: credential.password }
      : { ServerURL: serverUrl, Username: '<token>', Secret: credential.identityToken };
  const run = await runHelper(name, 'store', JSON.stringify(payload), opts);
  if (run.code !== 0) throw helperFailure(name, 'store', run, secretForms(credential));
}

/** Removes the credential; a helper that had none is fine. */
export async function helperErase(name: string, serverUrl: string, opts: HelperOptions = {}): Promise<void> {
  const run = await runHelper(name, 'erase', serverUrl, opts);
  if (run.code !== 0 && !(run.stdout + run.stderr).toLowerCase().includes(NOT_FOUND)) throw helperFailure(name, 'erase', run, []);
}

function helperFailure(name: string, action: string, run: HelperRun, secrets: string[]): RegistryError {
  // A failing helper may still have printed part of a reply: scrub any Secret it holds.
  const printed = run.stdout.match(/"Secret"\s*:\s*"((?:[^"\\]|\\.)*)"/);
  const all = printed?.[1] ? [...secrets, printed[1]] : secrets;
  const said = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(0, 3).join(' ').slice(0, 300);
  return new RegistryError('credentials', `docker-credential-${name} ${action} failed (exit ${run.code ?? 'signal'})${said ? `: ${said}` : ''}.`, all);
}

function runHelper(name: string, action: string, input: string, opts: HelperOptions): Promise<HelperRun> {
  if (!HELPER_NAME.test(name)) return Promise.reject(new RegistryError('credentials', `"${name}" is not a credential helper name.`));
  const program = `docker-credential-${name}`;
  const timeoutMs = opts.timeoutMs ?? HELPER_TIMEOUT_MS;
  return new Promise<HelperRun>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new RegistryError('cancelled', `${program} ${action} was cancelled.`));
    const child = spawn(program, [action], { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new RegistryError('credentials', `${program} ${action} did not finish within ${Math.round(timeoutMs / 1000)} s.`)));
    }, timeoutMs);
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(new RegistryError('cancelled', `${program} ${action} was cancelled.`)));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `${program} is not installed (not found on PATH)` : `${program} could not run (${err.code ?? err.message})`;
      finish(() => reject(new RegistryError('credentials', `${why}; Docker's config.json names it as the credential store.`)));
    });
    child.on('close', (code) => finish(() => resolve({ code, stdout, stderr })));
    // A helper that exits without reading stdin makes the write fail with EPIPE; its exit status tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
