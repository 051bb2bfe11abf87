import * as os from 'node:os';
import * as vscode from 'vscode';
import { EngineClient, DEFAULT_TIMEOUT_MS } from '../core/engine/client';
import { Resolution, resolveEngines } from '../core/engine/contexts';
import { EngineWatcher } from '../core/explorer/engineWatcher';

/**
 * Which engine Berth talks to, and the watcher that keeps the views live.
 * Resolution reads Docker's config and context store, so it runs on first
 * need, never inside activate(). Switching engines (a setting change) swaps the
 * client under the same watcher so views keep their subscriptions.
 */
export class EngineSession implements vscode.Disposable {
  private resolution?: Resolution;
  private resolving?: Promise<Resolution>;
  private readonly changed = new vscode.EventEmitter<Resolution>();
  /** Fired when the resolved engine (or the list of candidates) changes. */
  readonly onDidResolve = this.changed.event;
  readonly watcher: EngineWatcher;

  constructor() {
    // Until resolution finishes the watcher holds a placeholder that is never called:
    // nothing runs before a view becomes visible, and that path awaits resolve() first.
    this.watcher = new EngineWatcher(new EngineClient({ kind: 'unix', socketPath: '/var/run/docker.sock' }, timeoutMs()));
  }

  get current(): Resolution | undefined {
    return this.resolution;
  }

  /** Resolves once (re-resolved by reload()); safe to call from anywhere. */
  resolve(): Promise<Resolution> {
    if (this.resolution) return Promise.resolve(this.resolution);
    if (!this.resolving) {
      const loading = this.load().finally(() => {
        if (this.resolving === loading) this.resolving = undefined;
      });
      this.resolving = loading;
    }
    return this.resolving;
  }

  /** Re-reads settings, environment and Docker's context store; reconnects when the engine changed. */
  reload(): Promise<Resolution> {
    this.resolution = undefined;
    this.resolving = undefined; // an in-flight load may have read the old settings
    return this.resolve();
  }

  /** The client for the current engine (one that cannot be addressed fails each call with the reason). */
  async client(): Promise<EngineClient> {
    await this.resolve();
    return this.watcher.engine;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }

  /** What the watcher's client was made for; a new client only when this changes. */
  private appliedKey?: string;
  private loads = 0;

  private async load(): Promise<Resolution> {
    const seq = ++this.loads;
    const setting = vscode.workspace.getConfiguration('berth').get<string>('engine') ?? '';
    const r = await resolveEngines({ env: process.env, homeDir: os.homedir(), setting });
    // A newer load started meanwhile (settings changed again): its answer wins.
    if (seq !== this.loads) return this.resolve();
    this.resolution = r;
    const timeout = timeoutMs();
    const key = JSON.stringify([r.current, timeout]);
    if (key !== this.appliedKey) {
      this.appliedKey = key;
      const endpoint = r.current.endpoint;
      this.watcher.setClient(endpoint ? new EngineClient(endpoint, timeout) : EngineClient.unusable(r.current.problem ?? 'No engine address.'));
    }
    this.changed.fire(r);
    return r;
  }
}

function timeoutMs(): number {
  const s = vscode.workspace.getConfiguration('berth').get<number>('engine.requestTimeoutSeconds');
  return s && s > 0 ? s * 1000 : DEFAULT_TIMEOUT_MS;
}
