import * as vscode from 'vscode';
import { BuildSteps, formatDuration, type BuildStep } from '../../core/build/buildSteps';

// The Build view: the builds of this window, newest first, each with its steps
// as BuildKit reports them (state, duration, cache hit). A step's log opens on
// click. The view is redrawn at most every 150 ms while a build streams: a
// busy RUN sends hundreds of status updates a second.

export type BuildState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface BuildRecord {
  id: number;
  /** The image's tag (or the Dockerfile's path when it has none). */
  title: string;
  dockerfile: vscode.Uri;
  steps: BuildSteps;
  state: BuildState;
  totalMs?: number;
  imageId?: string;
  error?: string;
  cancel(): void;
}

export type BuildRow = { kind: 'build'; build: BuildRecord } | { kind: 'step'; build: BuildRecord; step: BuildStep };

const KEEP = 10;
const REDRAW_MS = 150;

export class BuildHistory implements vscode.TreeDataProvider<BuildRow>, vscode.Disposable {
  private readonly builds: BuildRecord[] = [];
  private readonly changed = new vscode.EventEmitter<BuildRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly updated = new vscode.EventEmitter<BuildRecord>();
  /** Fires (throttled) when a build's steps or state changed: the step-log documents follow it. */
  readonly onDidUpdate = this.updated.event;
  private timer?: NodeJS.Timeout;
  private pending = new Set<BuildRecord>();
  private nextId = 1;

  start(title: string, dockerfile: vscode.Uri, cancel: () => void): BuildRecord {
    const record: BuildRecord = { id: this.nextId++, title, dockerfile, steps: new BuildSteps(), state: 'running', cancel };
    this.builds.unshift(record);
    this.builds.splice(KEEP);
    this.changed.fire(undefined);
    this.syncContext();
    return record;
  }

  get(id: number): BuildRecord | undefined {
    return this.builds.find((b) => b.id === id);
  }

  all(): readonly BuildRecord[] {
    return this.builds;
  }

  running(): BuildRecord[] {
    return this.builds.filter((b) => b.state === 'running');
  }

  /** Schedules a redraw of a build (its steps changed). */
  touch(record: BuildRecord): void {
    this.pending.add(record);
    this.timer ??= setTimeout(() => this.flush(), REDRAW_MS);
  }

  /** Redraws now (a build ended: its final state must show at once). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const records = [...this.pending];
    this.pending.clear();
    this.changed.fire(undefined);
    for (const r of records) this.updated.fire(r);
    this.syncContext();
  }

  getChildren(row?: BuildRow): BuildRow[] {
    if (!row) return this.builds.map((build) => ({ kind: 'build', build }));
    if (row.kind === 'build') return row.build.steps.steps.map((step) => ({ kind: 'step', build: row.build, step }));
    return [];
  }

  getTreeItem(row: BuildRow): vscode.TreeItem {
    if (row.kind === 'build') {
      const b = row.build;
      const latest = this.builds[0] === b;
      const item = new vscode.TreeItem(b.title, latest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `build:${b.id}`;
      const steps = b.steps.steps.length;
      const cached = b.steps.cachedCount;
      const time = b.totalMs !== undefined ? ` in ${formatDuration(b.totalMs)}` : '';
      item.description = `${STATE_WORD[b.state]}${time} · ${steps} steps${cached ? `, ${cached} cached` : ''}${b.steps.builder ? ` · ${b.steps.builder.builder}` : ''}`;
      item.tooltip = [vscode.workspace.asRelativePath(b.dockerfile), b.error, b.imageId, b.steps.builder && `builder: ${b.steps.builder.builder} (${b.steps.builder.why})`].filter(Boolean).join('\n');
      item.iconPath = new vscode.ThemeIcon(...BUILD_ICON[b.state]);
      item.contextValue = `build ${b.state}`;
      item.accessibilityInformation = { label: `${b.title}, ${item.description}` };
      return item;
    }
    const s = row.step;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = `build:${row.build.id}:step:${s.id}`;
    const progress = s.state === 'running' && s.progress ? ` ${Math.round((100 * s.progress.current) / s.progress.total)}%` : '';
    item.description = s.state === 'cached' ? 'cached' : s.state === 'running' ? `running${progress}` : `${s.state === 'error' ? 'failed ' : ''}${formatDuration(s.durationMs)}`;
    item.tooltip = s.error ? `${s.name}\n${s.error}` : s.name;
    item.iconPath = new vscode.ThemeIcon(...STEP_ICON[s.state]);
    item.contextValue = `buildStep ${s.state}`;
    item.command = { command: 'berth.build.showStepLog', title: 'Show Step Log', arguments: [row.build.id, s.id] };
    item.accessibilityInformation = { label: `${s.name}, ${item.description}` };
    return item;
  }

  private syncContext(): void {
    void vscode.commands.executeCommand('setContext', 'berth.buildRunning', this.running().length > 0);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const b of this.running()) b.cancel();
    this.changed.dispose();
    this.updated.dispose();
  }
}

const STATE_WORD: Record<BuildState, string> = { running: 'building', succeeded: 'built', failed: 'failed', cancelled: 'cancelled' };
type Icon = [string, vscode.ThemeColor?];
const BUILD_ICON: Record<BuildState, Icon> = {
  running: ['sync~spin'],
  succeeded: ['pass', new vscode.ThemeColor('testing.iconPassed')],
  failed: ['error', new vscode.ThemeColor('testing.iconFailed')],
  cancelled: ['circle-slash'],
};
const STEP_ICON: Record<BuildStep['state'], Icon> = {
  running: ['loading~spin'],
  done: ['check'],
  cached: ['database'],
  error: ['error', new vscode.ThemeColor('testing.iconFailed')],
};
