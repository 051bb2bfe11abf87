import type { NetworkRecord, VolumeRecord } from '../engine/resources';
import { formatAge, shortId } from '../util/format';
import { ExplorerNode } from './node';

/** Networks every engine creates itself; hidden by default since users rarely act on them. */
export const BUILT_IN_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'host', 'none', 'ingress', 'docker_gwbridge']);

export function networkTree(records: readonly NetworkRecord[], showBuiltIn: boolean, nowMs = Date.now()): ExplorerNode[] {
  return records
    .filter((n) => showBuiltIn || !BUILT_IN_NETWORKS.has(n.Name))
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((n) => {
      const created = Date.parse(n.Created ?? '') / 1000;
      const builtIn = BUILT_IN_NETWORKS.has(n.Name);
      return {
        id: `network:${n.Id}`,
        label: n.Name,
        description: [n.Driver, n.Scope, Number.isFinite(created) ? formatAge(created, nowMs) : ''].filter(Boolean).join(' · '),
        tooltip: `${n.Name} (${shortId(n.Id)})\nDriver: ${n.Driver}\nScope: ${n.Scope}${n.Internal ? '\nInternal' : ''}`,
        icon: { id: 'type-hierarchy' },
        contextValue: builtIn ? 'network builtIn' : 'network',
        ref: { kind: 'networks' as const, id: n.Id, name: n.Name },
      };
    });
}

export function volumeTree(records: readonly VolumeRecord[], nowMs = Date.now()): ExplorerNode[] {
  return [...records]
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((v) => {
      const created = Date.parse(v.CreatedAt ?? '') / 1000;
      const project = v.Labels?.['com.docker.compose.project'];
      return {
        id: `volume:${v.Name}`,
        label: v.Name,
        description: [v.Driver, project ? `project ${project}` : '', Number.isFinite(created) ? formatAge(created, nowMs) : ''].filter(Boolean).join(' · '),
        tooltip: `${v.Name}\nDriver: ${v.Driver}\nMountpoint: ${v.Mountpoint}`,
        icon: { id: 'database' },
        contextValue: 'volume',
        ref: { kind: 'volumes' as const, id: v.Name, name: v.Name },
      };
    });
}
