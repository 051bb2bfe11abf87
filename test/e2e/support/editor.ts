import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { codeServerMissing, extensionHostLog, REPO, RunningCodeServer, startCodeServer, VSIX } from '../../../scripts/codeServer';

// A real VS Code (scripts/codeServer.ts) driven by Debian's chromium.

export { REPO };
export const CHROMIUM = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS = path.join(REPO, 'test-results/e2e');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface EditorOptions {
  workspace: string;
  /** false: the window opens in Restricted Mode (workspace trust on, folder untrusted). */
  trusted?: boolean;
  /** Extra environment for the editor (e.g. DOCKER_HOST for another engine). */
  env?: Record<string, string>;
  /** More VSIX files to install after Berth's (e.g. the extension-host test runner). */
  extraVsix?: string[];
  settings?: Record<string, unknown>;
}

export function editorMissing(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `chromium missing at ${CHROMIUM} (apt-get install chromium)`;
  if (!fs.existsSync(VSIX)) return `${VSIX} missing (npm run package)`;
  return codeServerMissing();
}

export class Editor {
  private constructor(
    readonly page: Page,
    readonly server: RunningCodeServer,
    private readonly browser: Browser,
    private readonly root: string,
  ) {}

  get userDataDir(): string {
    return this.server.userDataDir;
  }

  static async start(opts: EditorOptions): Promise<Editor> {
    const missing = editorMissing();
    if (missing) throw new Error(missing);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
    let server: RunningCodeServer;
    try {
      server = await startCodeServer({ root, workspace: opts.workspace, trusted: opts.trusted, env: opts.env, settings: opts.settings, vsix: [VSIX, ...(opts.extraVsix ?? [])] });
    } catch (err) {
      fs.rmSync(root, { recursive: true, force: true });
      throw err;
    }
    try {
      // Signals are the owner's to handle: Playwright's own handlers would close the
      // browser and exit at once, leaving code-server and test resources behind.
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(server.url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      return new Editor(page, server, browser, root);
    } catch (err) {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
      throw err;
    }
  }

  extensionHostLog(): string | undefined {
    return extensionHostLog(this.server.userDataDir);
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (!process.env.BERTH_KEEP_E2E) fs.rmSync(this.root, { recursive: true, force: true });
  }

  serverLogTail(lines = 40): string {
    try {
      return fs.readFileSync(this.server.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
