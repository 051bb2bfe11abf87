import type { EngineClient } from '../engine/client';
import { EngineError } from '../engine/errors';
import { secretForms, scrubSecrets, type RegistryCredential } from './credentials';
import { encodeRegistryAuth } from './registryAuthHeader';
import { RegistryError } from './registryError';
import { authConfigKey, familiarName, parseImageRef, repositoryName, type ImageRef } from './registryRef';

// Push and pull run in the engine (POST /images/{name}/push, POST
// /images/create): the engine talks to the registry, Berth hands it the
// credential in X-Registry-Auth only and reads the JSON progress stream, one
// object per line: {status, id, progressDetail:{current,total}} per layer,
// {aux:{Tag,Digest,Size}} at the end of a push, {error, errorDetail} on failure
// (often after a 200 head, so the stream itself must be read for errors).

export interface TransferProgress {
  /** The layer (short id) a line is about; absent for whole-image lines. */
  layer?: string;
  /** The engine's words: "Pushing", "Layer already exists", "Download complete", "Pulling from …". */
  status: string;
  current?: number;
  total?: number;
}

export interface TransferOptions {
  credential?: RegistryCredential;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
}

export interface TransferResult {
  /** The image as the engine names it ("127.0.0.1:5000/app:1"). */
  image: string;
  /** The manifest digest in the registry, when the engine reported it. */
  digest?: string;
  /** Layers the engine reported on, in first-seen order. */
  layers: string[];
}

/** Pushes a local image (already tagged with the registry's name) to its registry. */
export async function pushImage(client: EngineClient, image: string, opts: TransferOptions = {}): Promise<TransferResult> {
  const ref = parseImageRef(image);
  if (ref.digest) throw new RegistryError('protocol', `Push a tag, not a digest: "${image}".`);
  const path = `/images/${encodeURIComponent(repositoryName(ref))}/push`;
  return transfer(client, ref, path, { tag: ref.tag }, `push ${familiarName(ref)}`, opts);
}

/** Pulls an image by tag or digest; the engine keeps it under that reference. */
export async function pullImage(client: EngineClient, image: string, opts: TransferOptions = {}): Promise<TransferResult> {
  const ref = parseImageRef(image);
  // The engine's "tag" parameter takes a digest as well (what docker pull name@digest sends).
  const query = { fromImage: repositoryName(ref), tag: ref.digest ?? ref.tag };
  return transfer(client, ref, '/images/create', query, `pull ${familiarName(ref)}`, opts);
}

async function transfer(client: EngineClient, ref: ImageRef, path: string, query: Record<string, unknown>, what: string, opts: TransferOptions): Promise<TransferResult> {
  const secrets = secretForms(opts.credential);
  // docker-modem's DEBUG=modem logging prints request headers: with it on, the credential would land in the log.
  if (opts.credential && modemDebugEnabled(process.env.DEBUG)) {
    throw new RegistryError('credentials', `Refusing to ${what} with credentials while DEBUG enables docker-modem's logging (it prints request headers).`);
  }
  const registryAuth = encodeRegistryAuth(opts.credential, authConfigKey(ref.registry));
  secrets.push(registryAuth);
  let stream: NodeJS.ReadableStream;
  try {
    // Layers can take minutes; only the response head is bounded (EngineClient.stream).
    stream = await client.stream('POST', path, what, { query, registryAuth, signal: opts.signal, timeoutMs: 60_000 });
  } catch (err) {
    throw scrubbed(err, secrets, what);
  }
  return readProgress(stream, familiarName(ref), what, secrets, opts);
}

function readProgress(stream: NodeJS.ReadableStream, image: string, what: string, secrets: string[], opts: TransferOptions): Promise<TransferResult> {
  const result: TransferResult = { image, layers: [] };
  return new Promise<TransferResult>((resolve, reject) => {
    let buffered = '';
    let failed: RegistryError | undefined;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else if (failed) reject(failed);
      else resolve(result);
    };
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      finish(new RegistryError('cancelled', `${what} was cancelled.`));
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const line = (text: string) => {
      if (!text.trim()) return;
      let msg: ProgressLine;
      try {
        msg = JSON.parse(text) as ProgressLine;
      } catch {
        return; // not a progress object (a proxy's banner): skip it rather than fail a working transfer
      }
      if (msg.error || msg.errorDetail) {
        const message = msg.errorDetail?.message ?? msg.error ?? 'unknown error';
        failed ??= new RegistryError(AUTH_FAILURE.test(message) ? 'unauthorized' : 'engine', `${what} failed: ${message}`, secrets);
        return;
      }
      if (msg.aux?.Digest) result.digest = msg.aux.Digest;
      const digest = msg.status?.match(/digest: (sha256:[0-9a-f]{64})/i);
      if (digest) result.digest ??= digest[1];
      if (msg.id && msg.status && !result.layers.includes(msg.id) && /^[0-9a-f]{12}$/.test(msg.id)) result.layers.push(msg.id);
      if (msg.status && opts.onProgress) {
        opts.onProgress({
          // Layer lines carry a short id; whole-image lines ("Pulling from …") put the name there.
          ...(msg.id && /^[0-9a-f]{12}$/.test(msg.id) ? { layer: msg.id } : {}),
          status: scrubSecrets(msg.status, secrets),
          ...(msg.progressDetail?.current !== undefined ? { current: msg.progressDetail.current } : {}),
          ...(msg.progressDetail?.total !== undefined ? { total: msg.progressDetail.total } : {}),
        });
      }
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        line(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    stream.on('end', () => {
      line(buffered);
      finish();
    });
    stream.on('error', (err: Error) => finish(opts.signal?.aborted ? new RegistryError('cancelled', `${what} was cancelled.`) : scrubbed(err, secrets, what)));
  });
}

/** How the engine words a registry's refusal (distribution's errors, relayed). */
const AUTH_FAILURE = /unauthorized|authentication required|authentication failed|denied|no basic auth/i;

interface ProgressLine {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Tag?: string; Digest?: string; Size?: number };
}

/** Any error as one whose message (and so stack) holds none of the secrets. */
function scrubbed(err: unknown, secrets: string[], what: string): Error {
  if (err instanceof RegistryError) return err;
  if (err instanceof EngineError) {
    const refused = err.statusCode === 401 || AUTH_FAILURE.test(err.message);
    const kind = err.kind === 'cancelled' ? 'cancelled' : err.kind === 'timeout' ? 'timeout' : refused ? 'unauthorized' : 'engine';
    return new RegistryError(kind, err.message, secrets, err.statusCode);
  }
  return new RegistryError('engine', `${what} failed: ${err instanceof Error ? err.message : String(err)}`, secrets);
}

/** Whether `debug`'s DEBUG patterns enable the "modem" namespace (comma/space separated, * wildcards, - negations). */
export function modemDebugEnabled(debug: string | undefined): boolean {
  if (!debug) return false;
  let on = false;
  for (const p of debug.split(/[\s,]+/).filter(Boolean)) {
    const negated = p.startsWith('-');
    const re = new RegExp(`^${(negated ? p.slice(1) : p).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`);
    if (re.test('modem')) on = !negated;
  }
  return on;
}
