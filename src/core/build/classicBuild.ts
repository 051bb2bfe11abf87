import { readFile } from 'node:fs/promises';
import type { BuildContext } from '../buildcontext/buildContext';
import { buildFileEntries, contextTar } from '../buildcontext/contextTar';
import type { EngineClient } from '../engine/client';
import type { RunOptions } from './buildkitBuild';
import { JsonLines } from './buildkitStatus';
import { BuildError, type BuildOptions, type BuildResult } from './buildTypes';
import { streamRequest } from './engineHttp';
import { locateClassicStep } from './stepLocation';

// The classic builder (`POST /build?version=1`), for engines without BuildKit
// (Podman's Docker API, old or Windows daemons): the context goes up as a tar
// streamed from the same walk (the build files the ignore file excludes are
// added, as the docker CLI does), progress is the builder's text lines.

const BUILD_HEAD_TIMEOUT_MS = 60_000;

export async function classicBuild(client: EngineClient, context: BuildContext, options: BuildOptions, run: RunOptions = {}): Promise<BuildResult> {
  const started = Date.now();
  const emit = run.onProgress ?? (() => undefined);
  const dockerfile = context.files.dockerfile;
  if (!dockerfile) throw new BuildError(`no Dockerfile in ${context.files.root}`, 'classic');
  const dfText = await readFile(dockerfile.path, 'utf8');
  const q = new URLSearchParams({ version: '1', dockerfile: dockerfile.relative, rm: '1' });
  for (const t of options.tags ?? []) q.append('t', t);
  if (options.buildArgs && Object.keys(options.buildArgs).length) q.set('buildargs', JSON.stringify(options.buildArgs));
  if (options.labels && Object.keys(options.labels).length) q.set('labels', JSON.stringify(options.labels));
  if (options.target) q.set('target', options.target);
  if (options.noCache) q.set('nocache', '1');

  const body = contextTar(context.walk, { signal: run.signal, extra: buildFileEntries(context) });
  let imageId = '';
  let engineError: string | undefined;
  let step: { n: number; name: string } | undefined;
  const handle = (msg: unknown) => {
    const m = msg as { aux?: { ID?: string }; error?: string; errorDetail?: { message?: string }; stream?: string };
    if (m.aux?.ID) imageId = m.aux.ID;
    else if (m.errorDetail || m.error) engineError ??= m.errorDetail?.message ?? m.error;
    else if (m.stream) {
      const s = /^Step (\d+)\/\d+ : (.*)$/m.exec(m.stream);
      if (s) step = { n: Number(s[1]), name: s[2] };
      emit({ kind: 'message', text: m.stream });
    }
  };
  try {
    const { response } = await streamRequest(
      client,
      { method: 'POST', path: `/build?${q.toString()}`, headers: { 'Content-Type': 'application/x-tar' }, signal: run.signal, headTimeoutMs: BUILD_HEAD_TIMEOUT_MS, what: 'the build' },
      body,
    );
    const lines = new JsonLines();
    await new Promise<void>((resolve, reject) => {
      response.on('data', (c: Buffer) => lines.push(c).forEach(handle));
      response.once('end', () => resolve());
      response.once('error', reject);
      response.once('close', () => (run.signal?.aborted ? reject(run.signal.reason as Error) : resolve()));
    });
  } catch (err) {
    if (run.signal?.aborted) throw new BuildError('the build was cancelled', 'classic');
    throw err;
  }
  if (engineError !== undefined || !imageId) {
    const location = step ? locateClassicStep(step.n, dfText, dockerfile.path) : undefined;
    throw new BuildError(`${step ? `${step.name}: ` : ''}${engineError ?? 'the engine ended the build without an image'}`, 'classic', step ? { name: step.name, location } : undefined);
  }
  return { imageId, builder: 'classic', durationMs: Date.now() - started, cachedSteps: 0 };
}
