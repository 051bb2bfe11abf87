import type Dockerode from 'dockerode';
import { EngineClient } from './client';

// The engine calls behind the explorer and its actions, each one request, each
// cancellable through `signal`. List calls never ask for sizes: `size=1` makes
// the engine walk every container's filesystem (seconds, even minutes).

export type ContainerRecord = Dockerode.ContainerInfo;
export type ImageRecord = Dockerode.ImageInfo;
export type NetworkRecord = Dockerode.NetworkInspectInfo;
export type VolumeRecord = Dockerode.VolumeInspectInfo & { CreatedAt?: string };

export type ResourceKind = 'containers' | 'images' | 'networks' | 'volumes';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['containers', 'images', 'networks', 'volumes'];

export interface ResourceRecords {
  containers: ContainerRecord[];
  images: ImageRecord[];
  networks: NetworkRecord[];
  volumes: VolumeRecord[];
}

const seg = encodeURIComponent;

export async function listResources<K extends ResourceKind>(client: EngineClient, kind: K, signal?: AbortSignal): Promise<ResourceRecords[K]> {
  switch (kind) {
    case 'containers':
      return (await client.request<ContainerRecord[]>('GET', '/containers/json', 'listing containers', { query: { all: true }, signal })) as ResourceRecords[K];
    case 'images':
      return (await client.request<ImageRecord[]>('GET', '/images/json', 'listing images', { signal })) as ResourceRecords[K];
    case 'networks':
      return (await client.request<NetworkRecord[]>('GET', '/networks', 'listing networks', { signal })) as ResourceRecords[K];
    default: {
      const r = await client.request<{ Volumes: VolumeRecord[] | null }>('GET', '/volumes', 'listing volumes', { signal });
      return (r.Volumes ?? []) as ResourceRecords[K];
    }
  }
}

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause';

export function containerAction(client: EngineClient, id: string, action: ContainerAction, signal?: AbortSignal): Promise<void> {
  // stop/restart wait for the container's own stop timeout (10 s by default) before the engine kills it.
  return client.request('POST', `/containers/${seg(id)}/${action}`, `${action} container ${id.slice(0, 12)}`, {
    signal,
    timeoutMs: action === 'stop' || action === 'restart' ? 60_000 : undefined,
  });
}

export function removeContainer(client: EngineClient, id: string, force: boolean, signal?: AbortSignal): Promise<void> {
  return client.request('DELETE', `/containers/${seg(id)}`, `remove container ${id.slice(0, 12)}`, { query: { force, v: false }, signal, timeoutMs: 60_000 });
}

export function inspectResource(client: EngineClient, kind: ResourceKind, id: string, signal?: AbortSignal): Promise<unknown> {
  const path = {
    containers: `/containers/${seg(id)}/json`,
    images: `/images/${seg(id)}/json`,
    networks: `/networks/${seg(id)}`,
    volumes: `/volumes/${seg(id)}`,
  }[kind];
  return client.request('GET', path, `inspect ${kind.slice(0, -1)} ${id}`, { signal });
}

export function removeImage(client: EngineClient, ref: string, force: boolean, signal?: AbortSignal): Promise<Array<{ Deleted?: string; Untagged?: string }>> {
  return client.request('DELETE', `/images/${seg(ref)}`, `remove image ${ref}`, { query: { force }, signal, timeoutMs: 60_000 });
}

export function tagImage(client: EngineClient, ref: string, repo: string, tag: string, signal?: AbortSignal): Promise<void> {
  return client.request('POST', `/images/${seg(ref)}/tag`, `tag image ${ref}`, { query: { repo, tag }, signal });
}

export interface PruneReport {
  removed: string[];
  spaceReclaimed: number;
}

/** Prunes: images dangling only (as `docker image prune`), networks and volumes unused. */
export async function pruneResources(client: EngineClient, kind: Exclude<ResourceKind, 'containers'>, signal?: AbortSignal): Promise<PruneReport> {
  const query = kind === 'images' ? { filters: { dangling: ['true'] } } : undefined;
  const r = await client.request<Record<string, unknown>>('POST', `/${kind}/prune`, `prune ${kind}`, { query, signal, timeoutMs: 300_000 });
  const removed =
    kind === 'images'
      ? ((r.ImagesDeleted as Array<{ Deleted?: string; Untagged?: string }> | null) ?? []).map((d) => d.Deleted ?? d.Untagged ?? '?')
      : ((r[kind === 'networks' ? 'NetworksDeleted' : 'VolumesDeleted'] as string[] | null) ?? []);
  return { removed, spaceReclaimed: Number(r.SpaceReclaimed ?? 0) };
}

export function createNetwork(client: EngineClient, name: string, driver = 'bridge', signal?: AbortSignal): Promise<{ Id: string }> {
  return client.request('POST', '/networks/create', `create network ${name}`, { body: { Name: name, Driver: driver, CheckDuplicate: true }, signal });
}

export function createVolume(client: EngineClient, name: string, signal?: AbortSignal): Promise<VolumeRecord> {
  return client.request('POST', '/volumes/create', `create volume ${name}`, { body: { Name: name }, signal });
}

export function removeNetwork(client: EngineClient, id: string, signal?: AbortSignal): Promise<void> {
  return client.request('DELETE', `/networks/${seg(id)}`, `remove network ${id}`, { signal });
}

export function removeVolume(client: EngineClient, name: string, force: boolean, signal?: AbortSignal): Promise<void> {
  return client.request('DELETE', `/volumes/${seg(name)}`, `remove volume ${name}`, { query: { force }, signal });
}

/** Follows a container's log; the caller demuxes unless the container has a TTY. */
export async function followLogs(
  client: EngineClient,
  id: string,
  tail: number,
  signal: AbortSignal,
): Promise<{ stream: NodeJS.ReadableStream; tty: boolean }> {
  const info = await client.request<{ Config?: { Tty?: boolean } }>('GET', `/containers/${seg(id)}/json`, 'inspect container', { signal });
  const stream = await client.stream('GET', `/containers/${seg(id)}/logs`, `logs of ${id.slice(0, 12)}`, {
    query: { follow: true, stdout: true, stderr: true, tail, timestamps: false },
    signal,
  });
  return { stream, tty: Boolean(info.Config?.Tty) };
}
