import * as vscode from 'vscode';
import type { RegistryList } from '../registries/registryList';

// The Registries view: the registries the user added, their repositories and
// tags, read through the registry's HTTP API when a row is expanded. This
// shell is loaded at activation; the HTTP client and credential lookup behind
// `load` are not (they load with the workflows chunk on first expansion).

export type RegistryRow =
  | { kind: 'registry'; url: string }
  | { kind: 'repository'; url: string; host: string; repository: string }
  | { kind: 'tag'; url: string; host: string; repository: string; tag: string }
  | { kind: 'message'; id: string; text: string; icon: string; detail?: string };

export interface RegistryLoader {
  /** Children of a registry or repository row (or message rows saying why there are none). */
  children(row: RegistryRow, signal: AbortSignal): Promise<RegistryRow[]>;
  /** The registry row's label and login line ("logged in as alice (Berth's secret storage)"). */
  describe(url: string): { label: string; description: string; tooltip?: string };
}

export class RegistriesTreeProvider implements vscode.TreeDataProvider<RegistryRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RegistryRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly abort = new AbortController();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly list: RegistryList,
    private readonly loader: () => RegistryLoader,
  ) {
    this.sub = list.onDidChange(() => this.refresh());
  }

  /** Redraws one registry's row (its login line changed) or, without a url, the whole tree. */
  refresh(url?: string): void {
    const row = url === undefined ? undefined : this.rows.get(url);
    if (url === undefined || row) this.changed.fire(row);
  }

  // The tree knows rows by object identity: a registry's row stays the same object,
  // so its login line can be redrawn alone.
  private readonly rows = new Map<string, RegistryRow>();

  getChildren(row?: RegistryRow): RegistryRow[] | Promise<RegistryRow[]> {
    if (!row) {
      const urls = this.list.all().map((r) => r.url);
      for (const url of [...this.rows.keys()]) if (!urls.includes(url)) this.rows.delete(url);
      return urls.map((url) => {
        let r = this.rows.get(url);
        if (!r) this.rows.set(url, (r = { kind: 'registry', url }));
        return r;
      });
    }
    if (row.kind === 'registry' || row.kind === 'repository') return this.loader().children(row, this.abort.signal);
    return [];
  }

  getTreeItem(row: RegistryRow): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (row.kind) {
      case 'registry': {
        const d = this.loader().describe(row.url);
        const item = new vscode.TreeItem(d.label, collapsed);
        item.id = `registry:${row.url}`;
        item.description = d.description;
        item.tooltip = d.tooltip ?? `${row.url}\n${d.description}`;
        item.contextValue = 'registry';
        item.iconPath = new vscode.ThemeIcon('database');
        item.accessibilityInformation = { label: `${d.label}, ${d.description}` };
        return item;
      }
      case 'repository': {
        const item = new vscode.TreeItem(row.repository, collapsed);
        item.id = `registry:${row.url}:repo:${row.repository}`;
        item.contextValue = 'registryRepository';
        item.iconPath = new vscode.ThemeIcon('repo');
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(row.tag, vscode.TreeItemCollapsibleState.None);
        item.id = `registry:${row.url}:repo:${row.repository}:tag:${row.tag}`;
        item.description = `${row.host}/${row.repository}:${row.tag}`;
        item.contextValue = 'registryTag';
        item.iconPath = new vscode.ThemeIcon('tag');
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(row.text, vscode.TreeItemCollapsibleState.None);
        item.id = row.id;
        item.tooltip = row.detail ?? row.text;
        item.contextValue = 'registryMessage';
        item.iconPath = new vscode.ThemeIcon(row.icon);
        return item;
      }
    }
  }

  dispose(): void {
    this.abort.abort();
    this.sub.dispose();
    this.changed.dispose();
  }
}
