import { startBuildContext } from '../buildcontext/buildContext';
import type { EngineClient } from '../engine/client';
import { buildkitBuild, type RunOptions } from './buildkitBuild';
import type { BuildOptions, BuildResult } from './buildTypes';
import { classicBuild } from './classicBuild';
import { streamRequest } from './engineHttp';

// The public entry of a build: read the context as `berth build-context` does
// (same files, same ignore rules), choose the builder, run it. The walk of the
// context starts first and runs while the builder is chosen and (BuildKit)
// the session opens: the engine asks for the context only after it has read
// the Dockerfile and the ignore file, and on a large context the walk is a
// good part of a no-change rebuild. The classic builder waits for it (its
// tar is made from it).
//
// BuildKit is the default wherever the engine has it. `/_ping`'s
// Builder-Version says what the engine prefers, but Docker 20.10 answers "1"
// (or nothing) unless its daemon.json opts in, while its BuildKit works all
// the same; so a Docker engine on Linux builds with BuildKit whatever the
// header says, and the classic builder is for engines that have none:
// Podman's Docker API (Server: Libpod) and Windows daemons.

export async function chooseBuilder(client: EngineClient, wanted: BuildOptions['builder'], signal?: AbortSignal): Promise<{ builder: 'buildkit' | 'classic'; why: string }> {
  if (wanted === 'buildkit') return { builder: 'buildkit', why: 'asked for' };
  if (wanted === 'classic') return { builder: 'classic', why: 'asked for' };
  const { response } = await streamRequest(client, { method: 'GET', path: '/_ping', signal, headTimeoutMs: 15_000, what: 'ping' });
  response.resume();
  const h = response.headers;
  const server = String(h['server'] ?? '');
  const version = String(h['builder-version'] ?? '');
  const os = String(h['ostype'] ?? '');
  if (version === '2') return { builder: 'buildkit', why: 'the engine names BuildKit its builder (Builder-Version: 2)' };
  if (/libpod|podman/i.test(server)) return { builder: 'classic', why: `the engine (${server}) has no BuildKit` };
  if (os === 'windows') return { builder: 'classic', why: 'BuildKit does not run on Windows engines' };
  if (/^Docker\//.test(server)) return { builder: 'buildkit', why: `Docker Engine ${server.slice(7).split(' ')[0]} includes BuildKit` };
  return { builder: 'classic', why: `the engine (${server || 'unnamed'}) does not say it has BuildKit` };
}

export async function buildImage(client: EngineClient, options: BuildOptions, run: RunOptions = {}): Promise<BuildResult> {
  // Stops the walk when the build ends before it does (the ping failed, the build was refused).
  const walkStop = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, walkStop.signal]) : walkStop.signal;
  // The ping goes out first: its round trips then overlap the build files' checks and the walk.
  const choosing = chooseBuilder(client, options.builder ?? 'auto', run.signal);
  choosing.catch(() => undefined); // a context error, if any, is the one reported
  const context = await startBuildContext(options.context, { dockerfile: options.dockerfile, cwd: options.cwd, signal });
  try {
    const { builder, why } = await choosing.catch(async (err: unknown) => {
      // A context that cannot be sent is the first thing to fix (and was reported first when the walk came before the ping).
      await context.walk;
      throw err;
    });
    run.onProgress?.({ kind: 'builder', builder, why });
    if (builder === 'buildkit') return await buildkitBuild(client, context, options, run);
    return await classicBuild(client, { files: context.files, ignore: context.ignore, walk: await context.walk }, options, run);
  } finally {
    walkStop.abort();
  }
}
