import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { PendingBuildContext } from '../buildcontext/buildContext';
import { literalPaths, walkPaths, withBuildFiles } from '../buildcontext/contextPaths';
import type { EngineClient } from '../engine/client';
import { BuildError, type BuildOptions, type BuildProgress, type BuildResult } from './buildTypes';
import { decodeStatus, JsonLines, StatusTracker } from './buildkitStatus';
import { streamRequest } from './engineHttp';
import { namedFiles, narrowEntries, type SyncedDir } from './fileSync';
import { openSession, sharedKeyFor } from './session';
import { locateBuildkitStep } from './stepLocation';

// A build through BuildKit, as the docker CLI drives it: open a session that
// serves the context and the Dockerfile folder as the locals `context` and
// `dockerfile`, and (at the same time) `POST /build?version=2` naming the session, with
// `remote=client-session` (the context comes through the session, not in the
// body) and a `buildid` (what /build/cancel takes). Progress is BuildKit's
// status stream. Cancelling posts /build/cancel, closes the /build request
// and the session: BuildKit cancels the solve when its request's context
// ends, and a step still running is killed with it.
//
// The context's walk may still be running when the build starts (see
// buildImage): the context local waits for it, the `.dockerignore` request
// before it does not (contextPaths.ts), and a walk that fails (a file that
// cannot be read) stops the build with its own error; no byte of the
// context has been sent then.

const BUILD_HEAD_TIMEOUT_MS = 60_000;
const CANCEL_TIMEOUT_MS = 5_000;

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: BuildProgress) => void;
}

export async function buildkitBuild(client: EngineClient, context: PendingBuildContext, options: BuildOptions, run: RunOptions = {}): Promise<BuildResult> {
  const started = Date.now();
  const emit = run.onProgress ?? (() => undefined);
  const dockerfile = context.files.dockerfile;
  if (!dockerfile) throw new BuildError(`no Dockerfile in ${context.files.root}`, 'buildkit');
  const dfDir = path.dirname(dockerfile.path);
  const dfName = path.basename(dockerfile.path);
  const dfText = await readFile(dockerfile.path, 'utf8');
  const syntax = /^#\s*syntax\s*=\s*(\S+)/im.exec(dfText.split('\n').filter((l) => l.startsWith('#')).join('\n'))?.[1];

  const root = context.files.root;
  const contextLocal = async (includes: string[]): Promise<SyncedDir> => {
    if (!includes.length) return { root, entries: (await context.walk).entries };
    // Narrowed (BuildKit asks for `.dockerignore` first): plain paths are looked up as the walk
    // decides them, without waiting for it; globs and folders need the walk.
    const literal = literalPaths(includes);
    const named = literal && walkPaths(root, context.matcher, literal);
    const entries = named || narrowEntries((await context.walk).entries, includes);
    // It also sees the build files the ignore file left out, as the CLI's does.
    return { root, entries: withBuildFiles(root, context.files, entries) };
  };
  const dockerfileLocal = (includes: string[]): Promise<SyncedDir> =>
    namedFiles(dfDir, includes.length ? includes.filter((p) => !/[*?[\\/]/.test(p)) : [dfName, `${dfName}.dockerignore`]);

  const stop = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal;
  let walkFailure: unknown;
  context.walk.catch((err: unknown) => {
    if (run.signal?.aborted) return; // the walk stopped with the build
    walkFailure = err;
    stop.abort(err);
  });
  const fail = (err: unknown): never => {
    if (walkFailure) throw walkFailure;
    if (run.signal?.aborted) throw new BuildError('the build was cancelled', 'buildkit');
    throw err;
  };
  // The /build request goes out with the session's upgrade, not after it, as the docker CLI
  // sends them: the engine waits for the session the build names (a round trip saved).
  const sessionId = randomBytes(16).toString('hex');
  const opening = openSession(client, {
    id: sessionId,
    name: path.basename(context.files.root),
    sharedKey: sharedKeyFor(context.files.root),
    locals: new Map([
      ['context', contextLocal],
      ['dockerfile', dockerfileLocal],
    ]),
    signal,
    onLocal: (local, files) => emit({ kind: 'context', local, files }),
    onSent: (local, sent) => emit({ kind: 'transfer', local, ...sent }),
  });
  // A session that cannot open: the /build waiting for it is closed.
  opening.catch(() => stop.abort());

  const buildId = randomBytes(16).toString('hex');
  const q = new URLSearchParams({ version: '2', session: sessionId, remote: 'client-session', dockerfile: dfName, buildid: buildId });
  for (const t of options.tags ?? []) q.append('t', t);
  if (options.buildArgs && Object.keys(options.buildArgs).length) q.set('buildargs', JSON.stringify(options.buildArgs));
  if (options.labels && Object.keys(options.labels).length) q.set('labels', JSON.stringify(options.labels));
  if (options.target) q.set('target', options.target);
  if (options.noCache) q.set('nocache', '1');

  const cancelOnEngine = () => {
    void client.request('POST', '/build/cancel', 'cancel the build', { query: { id: buildId }, timeoutMs: CANCEL_TIMEOUT_MS }).catch(() => undefined);
  };
  run.signal?.addEventListener('abort', cancelOnEngine, { once: true });

  const tracker = new StatusTracker(emit, (name) => locateBuildkitStep(name, dfText, dockerfile.path), dockerfile.path);
  let imageId = '';
  let engineError: string | undefined;
  try {
    // Cancelled or refused while the session was being opened: the same errors as later on (fail).
    const [, { response }] = await Promise.all([opening, streamRequest(client, { method: 'POST', path: `/build?${q.toString()}`, signal, headTimeoutMs: BUILD_HEAD_TIMEOUT_MS, what: 'the build' })]);
    const lines = new JsonLines();
    const handle = (msg: unknown) => {
      const m = msg as { id?: string; aux?: unknown; error?: string; errorDetail?: { message?: string }; stream?: string };
      if (m.id === 'moby.buildkit.trace' && typeof m.aux === 'string') tracker.push(decodeStatus(Buffer.from(m.aux, 'base64')));
      else if (m.id === 'moby.image.id') imageId = (m.aux as { ID?: string })?.ID ?? imageId;
      else if (m.errorDetail || m.error) engineError ??= m.errorDetail?.message ?? m.error;
      else if (m.stream) emit({ kind: 'message', text: m.stream });
    };
    await new Promise<void>((resolve, reject) => {
      response.on('data', (c: Buffer) => {
        try {
          lines.push(c).forEach(handle);
        } catch (err) {
          reject(err as Error);
        }
      });
      response.once('end', () => {
        try {
          lines.end().forEach(handle);
        } catch {
          /* a cut last line */
        }
        resolve();
      });
      response.once('error', reject);
      response.once('close', () => (signal.aborted ? reject(signal.reason as Error) : resolve()));
    });
  } catch (err) {
    fail(err);
  } finally {
    run.signal?.removeEventListener('abort', cancelOnEngine);
    stop.abort();
    opening.then((session) => session.close(), () => undefined);
  }
  // The engine's error, when the walk failed, is only about the context local it could not get.
  if (walkFailure) throw walkFailure;
  if (engineError !== undefined || !imageId) {
    const failed = tracker.failed;
    let message = engineError ?? 'the engine ended the build without an image';
    const frontendFailed = syntax !== undefined && (!failed || failed.name.includes(syntax.replace(/^docker\.io\//, '')) || /frontend gateway/.test(message));
    if (frontendFailed) {
      message = `the Dockerfile's "# syntax=${syntax}" line asks the engine for that frontend image, and it could not get it (remove the line to use the engine's built-in frontend): ${message}`;
      throw new BuildError(message, 'buildkit', failed ? { name: failed.name, location: failed.location } : undefined);
    }
    throw new BuildError(failed ? `${failed.name}: ${message}` : message, 'buildkit', failed ? { name: failed.name, location: failed.location } : undefined);
  }
  return { imageId, builder: 'buildkit', durationMs: Date.now() - started, cachedSteps: tracker.cachedSteps };
}
