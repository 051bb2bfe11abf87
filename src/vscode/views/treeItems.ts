import * as vscode from 'vscode';
import type { ExplorerNode } from '../../core/explorer/node';

/** Maps a core row onto a TreeItem; all content decisions were made in the core. */
export function toTreeItem(node: ExplorerNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.label,
    node.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  // Screen readers (and UI tests) get what the row shows, not the long tooltip.
  item.accessibilityInformation = { label: node.description ? `${node.label}, ${node.description}` : node.label };
  item.contextValue = node.contextValue;
  item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  return item;
}
