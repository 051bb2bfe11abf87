import type { ContainerRecord } from '../engine/resources';
import { formatAge, shortId } from '../util/format';
import { ExplorerNode, NodeIcon, PublishedPort } from './node';

export type ContainerGrouping = 'compose' | 'none';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';

export type Health = 'starting' | 'healthy' | 'unhealthy' | undefined;

/** The list call has no health field (API 1.41); the engine puts it in Status: "Up 3 min (healthy)". */
export function healthOf(status: string | undefined): Health {
  if (!status) return undefined;
  if (status.includes('(health: starting)')) return 'starting';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(healthy)')) return 'healthy';
  return undefined;
}

export function containerIcon(state: string, health: Health): NodeIcon {
  if (state === 'running') {
    if (health === 'healthy') return { id: 'pass-filled', color: 'charts.green' };
    if (health === 'unhealthy') return { id: 'warning', color: 'charts.red' };
    if (health === 'starting') return { id: 'pulse', color: 'charts.yellow' };
    return { id: 'vm-running', color: 'charts.green' };
  }
  switch (state) {
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'restarting':
      return { id: 'sync~spin', color: 'charts.orange' };
    case 'created':
      return { id: 'circle-large-outline' };
    case 'removing':
      return { id: 'trash' };
    case 'dead':
      return { id: 'error', color: 'charts.red' };
    default:
      return { id: 'vm-outline' };
  }
}

/** Host-published ports, without the IPv4/IPv6 twins the engine lists for one binding. */
export function publishedPorts(c: ContainerRecord): PublishedPort[] {
  const seen = new Set<string>();
  const out: PublishedPort[] = [];
  for (const p of c.Ports ?? []) {
    if (!p.PublicPort) continue;
    const key = `${p.PublicPort}/${p.PrivatePort}/${p.Type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ hostIp: p.IP ?? '0.0.0.0', hostPort: p.PublicPort, containerPort: p.PrivatePort, protocol: p.Type });
  }
  return out.sort((a, b) => a.hostPort - b.hostPort);
}

export function containerName(c: ContainerRecord): string {
  return (c.Names?.[0] ?? shortId(c.Id)).replace(/^\//, '');
}

export function containerNode(c: ContainerRecord, nowMs: number): ExplorerNode {
  const name = containerName(c);
  const health = healthOf(c.Status);
  const ports = publishedPorts(c);
  const portText = ports.map((p) => `${p.hostPort}→${p.containerPort}${p.protocol === 'tcp' ? '' : '/' + p.protocol}`).join(', ');
  const words = ['container', c.State];
  if (health) words.push(health);
  if (ports.some((p) => p.protocol === 'tcp')) words.push('ports');
  return {
    id: `container:${c.Id}`,
    label: name,
    description: [c.Image, portText, formatAge(c.Created, nowMs)].filter(Boolean).join(' · '),
    tooltip: [
      `${name} (${shortId(c.Id)})`,
      `Image: ${c.Image}`,
      `State: ${c.State}${health ? ` (${health})` : ''} — ${c.Status}`,
      ports.length ? `Ports: ${ports.map((p) => `${p.hostIp}:${p.hostPort}→${p.containerPort}/${p.protocol}`).join(', ')}` : '',
      `Created: ${new Date(c.Created * 1000).toISOString()}`,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: containerIcon(c.State, health),
    contextValue: words.join(' '),
    ref: { kind: 'containers', id: c.Id, name, state: c.State, ports },
  };
}

const byLabel = (a: ExplorerNode, b: ExplorerNode) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/**
 * Rows for the Containers view: Compose projects and Swarm stacks as groups
 * (first), the rest below them; everything sorted by name.
 */
export function containerTree(records: readonly ContainerRecord[], grouping: ContainerGrouping, nowMs = Date.now()): ExplorerNode[] {
  if (grouping === 'none') return records.map((c) => containerNode(c, nowMs)).sort(byLabel);
  const groups = new Map<string, ExplorerNode>();
  const loose: ExplorerNode[] = [];
  for (const c of records) {
    const node = containerNode(c, nowMs);
    const project = c.Labels?.[COMPOSE_PROJECT_LABEL];
    const stack = project ? undefined : c.Labels?.[STACK_NAMESPACE_LABEL];
    const groupName = project ?? stack;
    if (!groupName) {
      loose.push(node);
      continue;
    }
    const kind = project ? 'project' : 'stack';
    const key = `${kind}:${groupName}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        id: `group:${key}`,
        label: groupName,
        icon: { id: project ? 'layers' : 'server-environment' },
        contextValue: `containerGroup ${kind}`,
        children: [],
      };
      groups.set(key, group);
    }
    group.children!.push(node);
  }
  const groupNodes = [...groups.values()].sort(byLabel);
  for (const g of groupNodes) {
    g.children!.sort(byLabel);
    const running = g.children!.filter((n) => n.ref?.state === 'running').length;
    const kind = g.contextValue.endsWith('project') ? 'Compose project' : 'Swarm stack';
    g.description = `${kind} · ${running}/${g.children!.length} running`;
    g.icon = running > 0 ? { ...g.icon, color: 'charts.green' } : g.icon;
  }
  return [...groupNodes, ...loose.sort(byLabel)];
}
