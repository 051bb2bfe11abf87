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
    this.resolving ??= this.load().finally(() => (this.resolving = undefined));
    return this.resolving;
  }

  /** Re-reads settings, environment and Docker's context store; reconnects when the engine changed. */
  async reload(): Promise<Resolution> {
    const before = this.resolution;
    this.resolution = undefined;
    const after = await this.resolve();
    if (!before || JSON.stringify(before.current) !== JSON.stringify(after.current)) this.applyClient(after);
    this.changed.fire(after);
    return after;
  }

  /** The client for the current engine, for commands; throws a readable error when the engine cannot be named. */
  async client(): Promise<EngineClient> {
    await this.resolve();
    return this.watcher.engine;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }

  private async load(): Promise<Resolution> {
    const setting = vscode.workspace.getConfiguration('berth').get<string>('engine') ?? '';
    const r = await resolveEngines({ env: process.env, homeDir: os.homedir(), setting });
    const first = !this.resolution && !this.applied;
    this.resolution = r;
    if (first) {
      this.applyClient(r);
      this.changed.fire(r);
    }
    return r;
  }

  private applied = false;

  private applyClient(r: Resolution): void {
    this.applied = true;
    const endpoint = r.current.endpoint;
    this.watcher.setClient(endpoint ? new EngineClient(endpoint, timeoutMs()) : EngineClient.unusable(r.current.problem ?? 'No engine address.'));
  }
}

function timeoutMs(): number {
  const s = vscode.workspace.getConfiguration('berth').get<number>('engine.requestTimeoutSeconds');
  return s && s > 0 ? s * 1000 : DEFAULT_TIMEOUT_MS;
}
