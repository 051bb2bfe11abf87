// `berth build`: builds an image on the engine, through BuildKit where the
// engine has it (the classic builder otherwise, named in the output).
// Exit status: 0 built, 1 the build (or the engine) failed, 2 usage error.

import { buildImage } from '../core/build/buildImage';
import { BuildError, type BuildProgress } from '../core/build/buildTypes';
import { plainLine } from '../core/build/progressText';
import { ContextError } from '../core/buildcontext/contextError';
import { EngineClient } from '../core/engine/client';
import { resolveEngines } from '../core/engine/contexts';
import { EngineError } from '../core/engine/errors';
import { parseArgs, UsageError } from './args';
import type { LintIO } from './lint';

export const BUILD_USAGE = `Usage: berth build [DIR] [-f FILE] [-t TAG] [--build-arg K=V] [--target STAGE] [--no-cache] [--label K=V] [--progress plain|json]

Builds DIR (default: the current folder) on the engine. The context sent is
what "berth build-context" shows.

Options:
  -f, --file FILE         the Dockerfile (default DIR/Dockerfile), relative to the current folder
  -t, --tag TAG           name the image (repeatable)
      --build-arg K=V     a build argument (repeatable)
      --label K=V         an image label (repeatable)
      --target STAGE      build up to this stage
      --no-cache          do not use the build cache
      --progress MODE     plain (default: one line per step, logs) or json (one event per line)
      --builder NAME      auto (default), buildkit or classic
      --engine NAME|ADDR  the engine to use
  -h, --help              this text`;

const SPECS = {
  file: { names: ['-f', '--file'], value: true },
  target: { names: ['--target'], value: true },
  noCache: { names: ['--no-cache'], value: false },
  progress: { names: ['--progress'], value: true },
  builder: { names: ['--builder'], value: true },
  engine: { names: ['--engine'], value: true },
} as const;

const REPEATED: Record<string, 'tags' | 'buildArgs' | 'labels'> = { '-t': 'tags', '--tag': 'tags', '--build-arg': 'buildArgs', '--label': 'labels' };

/** Takes the repeatable options out of argv (parseArgs keeps one value per option). */
function takeRepeated(argv: string[]): { rest: string[]; tags: string[]; buildArgs: Record<string, string>; labels: Record<string, string> } {
  const out = { rest: [] as string[], tags: [] as string[], buildArgs: {} as Record<string, string>, labels: {} as Record<string, string> };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = REPEATED[name];
    if (!key) {
      out.rest.push(arg);
      continue;
    }
    const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    if (key === 'tags') out.tags.push(v);
    else {
      const at = v.indexOf('=');
      // `--build-arg K` (no value) takes K from the environment, as docker does.
      const [k, val] = at < 0 ? [v, process.env[v]] : [v.slice(0, at), v.slice(at + 1)];
      if (!k) throw new UsageError(`${name} takes K=V (got "${v}")`);
      if (val !== undefined) out[key][k] = val;
    }
  }
  return out;
}

export async function runBuild(argv: string[], io: LintIO): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<keyof typeof SPECS>>;
  let repeated: ReturnType<typeof takeRepeated>;
  try {
    repeated = takeRepeated(argv);
    parsed = parseArgs(repeated.rest, SPECS, 'folder', { noneRequired: true });
    if (parsed.files.length > 1) throw new UsageError(`one folder only (got ${parsed.files.length})`);
    const p = parsed.options.progress ?? 'plain';
    if (p !== 'plain' && p !== 'json') throw new UsageError(`--progress takes plain or json (got "${String(p)}")`);
    const b = parsed.options.builder ?? 'auto';
    if (!['auto', 'buildkit', 'classic'].includes(String(b))) throw new UsageError(`--builder takes auto, buildkit or classic (got "${String(b)}")`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await io.stderr(`berth build: ${err.message}\nRun "berth build --help" for usage.\n`);
    return 2;
  }
  if (parsed.help) {
    await io.stdout(BUILD_USAGE + '\n');
    return 0;
  }
  const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
  const json = parsed.options.progress === 'json';
  const r = await resolveEngines({ env: io.env, homeDir: io.homeDir, setting: str(parsed.options.engine) });
  if (!r.current.endpoint) {
    await io.stderr(`berth build: ${r.current.problem ?? 'no engine address'}\n`);
    return 1;
  }
  const client = new EngineClient(r.current.endpoint);
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  const onProgress = (p: BuildProgress) => {
    if (json) return void io.stdout(JSON.stringify(p) + '\n');
    const line = plainLine(p);
    if (line) void io.stderr(line);
  };
  try {
    const result = await buildImage(
      client,
      {
        context: parsed.files[0] ?? '.',
        cwd: io.cwd,
        dockerfile: str(parsed.options.file),
        tags: repeated.tags,
        buildArgs: repeated.buildArgs,
        labels: repeated.labels,
        target: str(parsed.options.target),
        noCache: parsed.options.noCache === true,
        builder: (str(parsed.options.builder) ?? 'auto') as 'auto' | 'buildkit' | 'classic',
      },
      { signal: ac.signal, onProgress },
    );
    if (json) await io.stdout(JSON.stringify({ kind: 'result', ...result }) + '\n');
    else await io.stdout(`${result.imageId}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BuildError || err instanceof EngineError || err instanceof ContextError) {
      const at = err instanceof BuildError && err.step?.location ? `${err.step.location.file}:${err.step.location.range.start.line + 1}: ` : '';
      if (json) await io.stdout(JSON.stringify({ kind: 'error', message: err.message, location: err instanceof BuildError ? err.step?.location : undefined }) + '\n');
      await io.stderr(`berth build: ${at}${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    client.dispose();
  }
}
