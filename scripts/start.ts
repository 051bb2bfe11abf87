// `npm start`: from a fresh Debian machine (root) to a real VS Code in the browser with
// Berth installed from its packaged VSIX and the demo workspace examples/shop open,
// connected to a Docker engine. Ctrl-C stops everything this run started.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { REPO, RunningCodeServer, startCodeServer } from './codeServer';

const USAGE = `Usage: npm start [-- --port N] [-- --kubernetes]

Provisions a Docker engine (only when none answers) and code-server, packages Berth,
builds the demo images, then serves VS Code with Berth and examples/shop open at
http://127.0.0.1:N (default 8080; or set BERTH_PORT). Ctrl-C stops what it started.

--kubernetes also starts the rig's single-node Kubernetes cluster (built from Go modules
on first use, about 11 minutes on 2 cores; cached afterwards) and gives the editor its
kubeconfig (context berth-rig).`;

// The same socket scripts/provision.sh provisions.
const SOCK = process.env.BERTH_TEST_SOCKET ?? '/var/run/docker.sock';
const DOCKER = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
// Stable across runs so the editor keeps its state (open editors, layout) between starts.
const ROOT = path.join(REPO, '.cache/start');
const WORKSPACE = path.join(REPO, 'examples/shop');
const LOG = path.join(ROOT, 'start.log');
const KUBE_RIG = path.join(process.env.BERTH_STATE_DIR ?? '/var/tmp/berth', 'kubernetes');
let steps = 5;
let kubernetesStarted = false; // only a cluster this run started is stopped on Ctrl-C

let stepNo = 0;
let midLine = false; // a step's line is open: anything else printed must start a new line
let current: ChildProcess | undefined; // the step's child, ended on SIGTERM
let server: RunningCodeServer | undefined;
let starting: Promise<RunningCodeServer> | undefined; // Ctrl-C mid-start must still stop it
let engineWasUp = true;
let stopping = false;
let logStarted = false; // errors before it (bad arguments) have no log to point at

function say(line: string): void {
  if (midLine) process.stdout.write('\n');
  midLine = false;
  console.log(`[berth] ${line}`);
}

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  if (midLine) process.stdout.write('\n');
  process.stdout.write(`[berth] ${++stepNo}/${steps} ${label} … `);
  midLine = true; // the step's output goes to the log, so the line stays ours until it ends
  const result = await fn();
  if (stopping) return result; // Ctrl-C came meanwhile: shutdown() does the talking
  const secs = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (midLine) process.stdout.write(`ok, ${secs}\n`);
  else console.log(`[berth] ${stepNo}/${steps} ok, ${secs}`);
  midLine = false;
  return result;
}

// The provisioning scripts' stage lines ("[provision-editor] code-server … : done in 133 s"):
// shown as they come, so a step of minutes is not a silent one.
const STAGE_LINE = /^\[provision[\w-]*\] .*(…|done in \d+ s|failed.*)$/;

/** Runs a command (argument array, no shell) with its output appended to the log. */
function run(cmd: string, args: string[]): Promise<number> {
  fs.appendFileSync(LOG, `\n$ ${cmd} ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const onData = (chunk: Buffer) => {
      fs.appendFileSync(LOG, chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (STAGE_LINE.test(line)) say(`    ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    current = child;
    child.on('error', (err) => (fs.appendFileSync(LOG, `${err.message}\n`), resolve(127)));
    child.on('close', (code) => ((current = undefined), resolve(code ?? 1)));
  });
}

async function must(what: string, cmd: string, args: string[]): Promise<void> {
  const code = await run(cmd, args);
  if (code !== 0) throw new Error(`${what} failed (exit ${code})`);
}

/** GET /_ping on the engine's socket: true when a daemon answers. */
function engineAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: SOCK, path: '/_ping', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** The dockerd this run made provision.sh start (it writes its PID to the default pidfile). */
function ourDockerd(): number | undefined {
  if (engineWasUp) return undefined;
  try {
    const pid = Number(fs.readFileSync('/var/run/docker.pid', 'utf8').trim());
    return pid > 0 && alive(pid) && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'dockerd' ? pid : undefined;
  } catch {
    return undefined; // no pidfile: dockerd did not start (or writes it elsewhere)
  }
}

// dockerd is not our child: once ended, it may linger as a zombie until init reaps it.
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function stopDockerd(): Promise<void> {
  const pid = ourDockerd();
  if (!pid) return;
  say(`stopping the dockerd this run started (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  // dockerd stops its containers first (10 s grace each, in parallel).
  for (let i = 0; i < 120 && alive(pid); i++) await new Promise((r) => setTimeout(r, 250));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function parseArgs(argv: string[]): { port: number; kubernetes: boolean } | 'help' {
  let raw = process.env.BERTH_PORT ?? '8080';
  let kubernetes = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--kubernetes') kubernetes = true;
    else if (a === '--port') raw = argv[++i] ?? '';
    else if (a.startsWith('--port=')) raw = a.slice('--port='.length);
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN; // Number() alone takes "0x10", "1e3", ""
  if (!(port >= 1 && port <= 65535)) throw new Error(`invalid port "${raw}"`);
  return { port, kubernetes };
}

const KUBE_SCRIPT = ['scripts/provision-kubernetes.sh'];

async function stopKubernetes(): Promise<void> {
  if (kubernetesStarted) await run('bash', [...KUBE_SCRIPT, 'stop']);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') return console.log(USAGE);
  const { port, kubernetes } = args;
  if (kubernetes) steps++;
  // Otherwise code-server fails to bind and an old instance's /healthz would answer for it.
  if (!(await portFree(port))) throw new Error(`port ${port} is in use on 127.0.0.1; choose another with --port N or BERTH_PORT`);
  fs.mkdirSync(ROOT, { recursive: true });
  fs.writeFileSync(LOG, `npm start ${new Date().toISOString()}\n`);
  logStarted = true;
  say(`log: ${path.relative(process.cwd(), LOG)}`);

  engineWasUp = await engineAnswers();
  await step(`Docker engine (${engineWasUp ? 'already answers' : 'provisioning, starting dockerd'})`, () =>
    must('provisioning the engine (scripts/provision.sh)', 'bash', ['scripts/provision.sh']));
  if (kubernetes) {
    const wasUp = (await run('bash', [...KUBE_SCRIPT, 'status'])) === 0;
    await step(`Kubernetes cluster (${wasUp ? 'already running' : 'building what is missing, starting it'})`, async () => {
      kubernetesStarted = !wasUp;
      await must('starting the Kubernetes rig (scripts/provision-kubernetes.sh)', 'bash', KUBE_SCRIPT);
    });
  }
  await step('VS Code (code-server) and chromium', () =>
    must('provisioning the editor (scripts/provision-editor.sh)', 'bash', ['scripts/provision-editor.sh']));
  await step('packaging Berth (dist/berth.vsix)', () => must('packaging the VSIX (npm run package)', 'npm', ['run', '--silent', 'package']));
  const failed: string[] = [];
  await step('building the demo images shop-web:dev, shop-worker:dev', async () => {
    for (const svc of ['web', 'worker']) {
      const code = await run(DOCKER, ['-H', `unix://${SOCK}`, 'build', '-t', `shop-${svc}:dev`, path.join(WORKSPACE, svc)]);
      if (code !== 0 && !stopping) failed.push(`shop-${svc}:dev`);
    }
  });
  // The demo still opens without images; Berth can build them from the workspace.
  if (failed.length) say(`warning: building ${failed.join(', ')} failed; see ${LOG}`);
  fs.rmSync(path.join(ROOT, 'code-server.log'), { force: true }); // so a crash report shows this run only
  server = await step(`starting VS Code on 127.0.0.1:${port}`, () =>
    (starting = startCodeServer({
      root: ROOT,
      workspace: WORKSPACE,
      port,
      settings: SOCK === '/var/run/docker.sock' ? {} : { 'berth.engine': `unix://${SOCK}` },
      // Kubernetes tools in the editor (and Berth's Kubernetes backend) read KUBECONFIG.
      env: kubernetes ? { KUBECONFIG: path.join(KUBE_RIG, 'admin.kubeconfig') } : undefined,
    })));
  if (stopping) return;
  const { process: child, logFile } = server;
  child.once('exit', async (code, signal) => {
    if (stopping) return;
    stopping = true;
    const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
    say(`code-server exited by itself (${signal ?? `exit ${code}`}); last lines of ${logFile}:\n${tail}`);
    try {
      process.kill(-child.pid!, 'SIGKILL'); // helpers left in its process group
    } catch {
      /* none left */
    }
    await stopKubernetes();
    await stopDockerd();
    process.exit(1);
  });
  if (kubernetes) say(`Kubernetes: context berth-rig in ${path.join(KUBE_RIG, 'admin.kubeconfig')}`);
  say(`Berth is running in VS Code at ${server.url}`);
  say('Press Ctrl-C to stop.');
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping`);
  current?.kill('SIGTERM');
  await (server ?? (await starting?.catch(() => undefined)))?.stop();
  await stopKubernetes();
  await stopDockerd();
  say('stopped');
  process.exit(0);
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
main().catch(async (err: Error) => {
  if (stopping) return; // a step ended by Ctrl-C: shutdown() reports and exits
  stopping = true;
  say(`error: ${err.message.split('\n')[0]}${logStarted ? ` (log: ${LOG})` : ''}`);
  await server?.stop();
  await stopKubernetes().catch(() => undefined);
  await stopDockerd().catch(() => undefined);
  process.exit(1);
});
