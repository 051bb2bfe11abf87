import * as os from 'node:os';
import { EngineClient } from '../core/engine/client';
import { resolveEngines } from '../core/engine/contexts';
import { formatEndpoint } from '../core/engine/endpoint';
import { EngineError } from '../core/engine/errors';
import { version } from '../../package.json';
import { runBuild } from './build';
import { runBuildContext } from './buildContext';
import { runLint } from './lint';
import { runRegistryCommand } from './registry';
import { runValidate } from './validate';

// The `berth` command: the same core as the extension, for terminals and CI.
// Exit status: 0 ok, 1 the engine (or a finding) failed, 2 usage error.

const USAGE = `Usage: berth <command> [options]

Commands:
  context ls [--json]             engines Berth can reach by Docker's rules, the current one marked
  context show [--json] [--ping]  the engine Berth would use and why (--ping: connect and report its version)
  lint [options] FILE... | -      lint Dockerfiles (hadolint rules and config; "berth lint --help" for options)
  validate [options] FILE... | -  validate Compose files and Kubernetes manifests ("berth validate --help")
  build [DIR] [-f FILE] [-t TAG] [--build-arg K=V] [--target STAGE] [--no-cache] [--label K=V] [--progress plain|json]
                                  build an image (BuildKit through the engine API; "berth build --help")
  build-context [DIR] [options]   what a build of DIR would send, after .dockerignore ("berth build-context --help")
  push IMAGE[:TAG] | pull REF     push or pull through the engine, progress per layer ("berth push --help")
  registry ls URL | tags URL/REPO repositories and tags of a V2 registry

Options:
  --engine NAME|ADDRESS           use this context or address (like the berth.engine setting)
  -h, --help                      this text`;

async function main(argv: string[]): Promise<number> {
  // lint has its own options (-h, -f, ...); hand it the rest before the engine options are taken out.
  if (argv[0] === 'lint') return runLint(argv.slice(1), lintIO());
  if (argv[0] === 'validate') return runValidate(argv.slice(1), lintIO());
  if (argv[0] === 'build-context') return runBuildContext(argv.slice(1), lintIO());
  if (argv[0] === 'build') return runBuild(argv.slice(1), lintIO());
  if (argv[0] === 'push' || argv[0] === 'pull' || argv[0] === 'registry') return runRegistryCommand(argv[0], argv.slice(1), lintIO());
  const args = [...argv];
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return false;
    args.splice(i, 1);
    return true;
  };
  const option = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    args.splice(i, 2);
    return v;
  };
  if (args.length === 0 || flag('-h') || flag('--help')) {
    process.stdout.write(USAGE + '\n');
    return args.length === 0 ? 2 : 0;
  }
  const json = flag('--json');
  const ping = flag('--ping');
  const engine = option('--engine');
  const [command, sub, ...rest] = args;
  if (command !== 'context') throw new UsageError(`unknown command "${command}"`);
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const r = await resolveEngines({ env: process.env, homeDir: os.homedir(), setting: engine });
  for (const w of r.warnings) process.stderr.write(`berth: warning: ${w}\n`);
  const show = (c: (typeof r.candidates)[number]) => ({ name: c.name, source: c.source, address: c.endpoint ? formatEndpoint(c.endpoint) : null, problem: c.problem ?? null, current: c === r.current });
  if (sub === 'ls') {
    if (json) process.stdout.write(JSON.stringify(r.candidates.map(show), null, 2) + '\n');
    else for (const c of r.candidates.map(show)) process.stdout.write(`${c.current ? '*' : ' '} ${c.name.padEnd(20)} ${c.address ?? `(${c.problem})`}\n`);
    return 0;
  }
  if (sub !== 'show') throw new UsageError(`unknown subcommand "context ${sub ?? ''}"`);
  const out: Record<string, unknown> = { ...show(r.current), chosenBy: r.chosenBy };
  let status = 0;
  if (ping) {
    try {
      if (!r.current.endpoint) throw new EngineError('bad-endpoint', r.current.problem ?? 'no address');
      const info = await new EngineClient(r.current.endpoint).connect();
      out.engine = info;
    } catch (err) {
      out.error = err instanceof Error ? err.message : String(err);
      status = 1;
    }
  }
  if (json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    process.stdout.write(`${r.current.name}  ${out.address ?? `(${r.current.problem})`}  (chosen by ${r.chosenBy})\n`);
    const info = out.engine as { version: string; pinnedApiVersion: string } | undefined;
    if (info) process.stdout.write(`engine: Docker ${info.version}, API ${info.pinnedApiVersion}\n`);
    if (out.error) process.stderr.write(`berth: ${out.error}\n`);
  }
  return status;
}

class UsageError extends Error {}

function lintIO(): Parameters<typeof runLint>[1] {
  // Resolve on flush: main exits the process right after, and a pending write to a pipe would be cut off.
  const write = (stream: NodeJS.WriteStream) => (text: string) => new Promise<void>((resolve) => stream.write(text, () => resolve()));
  // `berth lint ... | head` closes the pipe early: drop the rest of the output
  // quietly and still exit with the lint result, instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return { stdout: write(process.stdout), stderr: write(process.stderr), stdin: process.stdin, cwd: process.cwd(), env: process.env, homeDir: os.homedir(), version };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof UsageError) process.stderr.write(`Run "berth --help" for usage.\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
