// What a tree row shows, as plain data. The core builds these from engine
// records; the VS Code layer only maps them onto TreeItems, so the tree's
// content is unit-testable and benchmarkable without an editor.

export interface NodeIcon {
  /** A codicon id, e.g. 'vm-running'. */
  id: string;
  /** A theme color id, e.g. 'charts.green'. */
  color?: string;
}

export interface ExplorerNode {
  /** Stable across refreshes, so expansion and selection survive. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: NodeIcon;
  /** Space-separated words that menus match with `viewItem =~ /\bword\b/`. */
  contextValue: string;
  children?: ExplorerNode[];
  /** The engine object the row stands for (absent on group rows). */
  ref?: ResourceRef;
}

export interface ResourceRef {
  kind: 'containers' | 'images' | 'networks' | 'volumes';
  /** Id for containers and networks, reference (repo:tag or id) for images, name for volumes. */
  id: string;
  name: string;
  /** Containers only. */
  state?: string;
  ports?: PublishedPort[];
}

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}
