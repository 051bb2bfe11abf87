import * as vscode from 'vscode';
import { formatEndpoint } from '../../core/engine/endpoint';
import type { EngineCandidate } from '../../core/engine/contexts';
import type { EngineStatus } from '../../core/explorer/engineWatcher';
import type { EngineSession } from '../engineSession';

/** The Engines view: every engine Berth can reach by Docker's rules, the current one marked; a click switches. */
export class EnginesTreeProvider implements vscode.TreeDataProvider<EngineCandidate>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly session: EngineSession) {
    this.subscriptions = [session.onDidResolve(() => this.changed.fire(undefined)), session.watcher.onDidChangeStatus(() => this.changed.fire(undefined))];
  }

  async getChildren(node?: EngineCandidate): Promise<EngineCandidate[]> {
    if (node) return [];
    return (await this.session.resolve()).candidates;
  }

  getTreeItem(c: EngineCandidate): vscode.TreeItem {
    const r = this.session.current;
    const isCurrent = r?.current.name === c.name && r.current.source === c.source;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = `engine:${c.source}:${c.name}`;
    const address = c.endpoint ? formatEndpoint(c.endpoint) : c.problem;
    item.description = [isCurrent ? '(current)' : '', address].filter(Boolean).join(' ');
    item.tooltip = [c.description, address, isCurrent && r ? `Chosen by ${r.chosenBy}` : 'Click to switch to this engine'].filter(Boolean).join('\n');
    item.iconPath = isCurrent ? statusIcon(this.session.watcher.status) : new vscode.ThemeIcon('server');
    item.contextValue = isCurrent ? 'engine current' : 'engine';
    if (!isCurrent) item.command = { command: 'berth.engine.use', title: 'Use Engine', arguments: [c] };
    return item;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function statusIcon(status: EngineStatus): vscode.ThemeIcon {
  switch (status.state) {
    case 'live':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green'));
    case 'unreachable':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red'));
    case 'connecting':
      return new vscode.ThemeIcon('sync~spin');
    default:
      return new vscode.ThemeIcon('circle-filled');
  }
}
