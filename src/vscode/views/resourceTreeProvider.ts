import * as vscode from 'vscode';
import type { ResourceKind, ResourceRecords } from '../../core/engine/resources';
import type { EngineWatcher } from '../../core/explorer/engineWatcher';
import type { ExplorerNode } from '../../core/explorer/node';
import { toTreeItem } from './treeItems';

export type BuildRows<K extends ResourceKind> = (records: ResourceRecords[K]) => ExplorerNode[];

/**
 * One provider per resource view. Rows are built from the watcher's latest
 * list and cached per list (the array identity changes on every re-list), so
 * VS Code asking again costs nothing. Never calls the engine itself.
 */
export class ResourceTreeProvider<K extends ResourceKind> implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private cache?: { from: unknown; rows: ExplorerNode[] };
  private readonly subscription: { dispose(): void };

  constructor(
    readonly kind: K,
    private readonly watcher: EngineWatcher,
    private readonly build: BuildRows<K>,
  ) {
    this.subscription = watcher.onDidChangeResource((k) => {
      if (k === kind) this.changed.fire(undefined);
    });
  }

  /** Rows again from the same list (a display setting changed). */
  rebuild(): void {
    this.cache = undefined;
    this.changed.fire(undefined);
  }

  /** Every row, flattened (for palette pickers). */
  rows(): ExplorerNode[] {
    return this.roots().flatMap((n) => (n.children ? n.children : [n]));
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    if (node) return node.children ?? [];
    // An unreachable engine shows the welcome text (empty tree) rather than stale rows.
    return this.watcher.status.state === 'unreachable' ? [] : this.roots();
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private roots(): ExplorerNode[] {
    const records = this.watcher.snapshot(this.kind);
    if (!records) return [];
    if (this.cache?.from !== records) this.cache = { from: records, rows: this.build(records) };
    return this.cache.rows;
  }
}
