// Shared helpers for the integration tests. Everything here talks to the REAL
// engine (no mocks); every object a test creates carries the label
// berth.test=<RUN_ID> and a name starting berth-test-<RUN_ID>-, so that
// cleanupRun() can find and remove it even after a failed test.
import assert from 'node:assert/strict';
import { EngineClient } from '../../src/core/engine/client';
import { DEFAULT_UNIX_SOCKET, parseDockerHost, type EngineEndpoint } from '../../src/core/engine/endpoint';
import { EngineError, type EngineProblemKind } from '../../src/core/engine/errors';

/** Short, lowercase (image names must be), unique per mocha process. */
export const RUN_ID = `${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 6)}`;
export const TEST_LABEL = 'berth.test';
export const BASE_IMAGE = 'busybox:1.35';
export const NAME_PREFIX = `berth-test-${RUN_ID}`;

export function testName(suffix: string): string {
  return `${NAME_PREFIX}-${suffix}`;
}

export function testLabels(extra: Record<string, string> = {}): Record<string, string> {
  return { [TEST_LABEL]: RUN_ID, ...extra };
}

/** The engine under test: DOCKER_HOST when set, the default socket otherwise. */
export function engineEndpoint(): EngineEndpoint {
  const host = process.env.DOCKER_HOST?.trim();
  return host ? parseDockerHost(host) : { kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET };
}

/** The engine's unix socket (for EngineProxy), or undefined when the engine is not on a unix socket. */
export function engineSocketPath(): string | undefined {
  const ep = engineEndpoint();
  return ep.kind === 'unix' ? ep.socketPath : undefined;
}

export function newClient(timeoutMs?: number, endpoint: EngineEndpoint = engineEndpoint()): EngineClient {
  return timeoutMs === undefined ? new EngineClient(endpoint) : new EngineClient(endpoint, timeoutMs);
}

export interface ContainerSpec {
  cmd?: string[];
  labels?: Record<string, string>;
  /** Extra fields merged into the create body (Healthcheck, HostConfig, Tty...). */
  extra?: Record<string, unknown>;
  start?: boolean;
}

export interface Created {
  id: string;
  name: string;
}

/** A command that runs until stopped, and stops at once on SIGTERM (a bare `sleep` as PID 1 ignores it). */
export const LONG_RUNNING = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

export async function createContainer(client: EngineClient, suffix: string, spec: ContainerSpec = {}): Promise<Created> {
  const name = testName(suffix);
  const r = await client.request<{ Id: string }>('POST', '/containers/create', `create container ${name}`, {
    query: { name },
    body: { Image: BASE_IMAGE, Cmd: spec.cmd ?? LONG_RUNNING, Labels: testLabels(spec.labels), StopTimeout: 2, ...spec.extra },
  });
  if (spec.start) await startContainer(client, r.Id);
  return { id: r.Id, name };
}

export function startContainer(client: EngineClient, id: string): Promise<void> {
  return client.request('POST', `/containers/${id}/start`, `start ${id.slice(0, 12)}`);
}

export interface ContainerState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  StartedAt: string;
  Health?: { Status: string };
}

export async function containerState(client: EngineClient, id: string): Promise<ContainerState> {
  const r = await client.request<{ State: ContainerState }>('GET', `/containers/${id}/json`, 'inspect container');
  return r.State;
}

/** Commits a container without a repository: the result is an untagged (dangling) image, labelled for cleanup. */
export async function commitDangling(client: EngineClient, containerId: string): Promise<string> {
  const r = await client.request<{ Id: string }>('POST', '/commit', 'commit container', {
    query: { container: containerId },
    body: { Labels: testLabels() },
  });
  return r.Id;
}

export { waitFor } from '../support/waitFor';

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}


/** Asserts that `p` rejects with an EngineError of `kind` (and `status`, when given); returns it. */
export async function expectEngineError(p: Promise<unknown>, kind: EngineProblemKind, status?: number): Promise<EngineError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof EngineError, `expected an EngineError of kind ${kind}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.kind, kind, `kind (message: ${caught.message})`);
  if (status !== undefined) assert.equal(caught.statusCode, status, `status (message: ${caught.message})`);
  return caught;
}

async function bestEffort(problems: string[], what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof EngineError && err.statusCode === 404) return;
    problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Removes everything this run created (by label, and by name prefix for what
 * cannot carry a label: image tags, networks and volumes made by Berth's own
 * create calls). Never touches BASE_IMAGE: tags are removed by reference only.
 */
export async function cleanupRun(client: EngineClient = newClient()): Promise<void> {
  const problems: string[] = [];
  const label = { label: [`${TEST_LABEL}=${RUN_ID}`] };
  const byName = { name: [NAME_PREFIX] };

  const containers = new Map<string, true>();
  for (const filters of [label, byName]) {
    const list = await client.request<Array<{ Id: string }>>('GET', '/containers/json', 'cleanup list', { query: { all: true, filters } });
    for (const c of list) containers.set(c.Id, true);
  }
  for (const id of containers.keys()) {
    await bestEffort(problems, `container ${id}`, () => client.request('DELETE', `/containers/${id}`, 'cleanup', { query: { force: true, v: true } }));
  }

  const images = await client.request<Array<{ Id: string; RepoTags?: string[] | null; Labels?: Record<string, string> | null }>>(
    'GET',
    '/images/json',
    'cleanup list',
    { query: { all: true } },
  );
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      if (tag.includes(NAME_PREFIX)) {
        await bestEffort(problems, `tag ${tag}`, () => client.request('DELETE', `/images/${encodeURIComponent(tag)}`, 'cleanup', { query: { force: false } }));
      }
    }
  }
  for (const img of images) {
    if (img.Labels?.[TEST_LABEL] === RUN_ID) {
      await bestEffort(problems, `image ${img.Id}`, () => client.request('DELETE', `/images/${img.Id}`, 'cleanup', { query: { force: true } }));
    }
  }

  const networks = new Map<string, true>();
  for (const filters of [label, byName]) {
    for (const n of await client.request<Array<{ Id: string }>>('GET', '/networks', 'cleanup list', { query: { filters } })) networks.set(n.Id, true);
  }
  for (const id of networks.keys()) {
    await bestEffort(problems, `network ${id}`, () => client.request('DELETE', `/networks/${id}`, 'cleanup'));
  }

  const volumes = new Map<string, true>();
  for (const filters of [label, byName]) {
    const r = await client.request<{ Volumes: Array<{ Name: string }> | null }>('GET', '/volumes', 'cleanup list', { query: { filters } });
    for (const v of r.Volumes ?? []) volumes.set(v.Name, true);
  }
  for (const name of volumes.keys()) {
    await bestEffort(problems, `volume ${name}`, () => client.request('DELETE', `/volumes/${name}`, 'cleanup', { query: { force: true } }));
  }

  if (problems.length) console.warn(`[berth-test cleanup] ${problems.join('\n')}`);
}
