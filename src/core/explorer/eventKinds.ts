import type { EngineEvent } from '../engine/events';
import type { ResourceKind } from '../engine/resources';

// Which engine events change what a list shows. Events that change nothing
// visible (exec sessions, attach, copies, volume mounts on every container start)
// would only cost re-lists.
const IGNORED: Record<string, ReadonlySet<string>> = {
  container: new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'archive-path', 'extract-to-dir', 'export', 'copy', 'commit']),
  image: new Set(['push', 'save']),
  network: new Set(['connect', 'disconnect']),
  volume: new Set(['mount', 'unmount']),
};

const KIND_OF_TYPE: Record<string, ResourceKind> = {
  container: 'containers',
  image: 'images',
  network: 'networks',
  volume: 'volumes',
};

export const WATCHED_EVENT_TYPES = Object.keys(KIND_OF_TYPE);

/** The list an event makes stale, or undefined when it changes nothing shown. */
export function kindChangedBy(ev: EngineEvent): ResourceKind | undefined {
  const kind = KIND_OF_TYPE[ev.Type];
  if (!kind) return undefined;
  // Health checks emit "health_status: healthy" etc.; the action carries the detail after a colon.
  const action = (ev.Action ?? '').split(':')[0].trim();
  return IGNORED[ev.Type]?.has(action) ? undefined : kind;
}
