import type { Duplex } from 'node:stream';
import { hijack } from '../build/engineHttp';
import type { EngineClient } from '../engine/client';
import { EngineError } from '../engine/errors';
import { createBody, type RunSpec } from './runSpec';

// Creates and starts a container from a RunSpec. An interactive run attaches
// before it starts (POST /attach upgraded to a raw stream), so not a byte of the
// first output is lost, and a container whose start fails is removed again:
// a failed Run leaves nothing behind.

export interface RunResult {
  id: string;
  name: string;
  /** Interactive runs: the terminal's byte stream (TTY: not multiplexed), both ways. */
  stream?: Duplex;
}

export async function runContainer(client: EngineClient, spec: RunSpec, signal?: AbortSignal): Promise<RunResult> {
  const body = createBody(spec);
  const created = await client.request<{ Id: string; Warnings?: string[] }>('POST', '/containers/create', `create a container from ${spec.image}`, {
    query: spec.name ? { name: spec.name } : {},
    body,
    signal,
  });
  const id = created.Id;
  let stream: Duplex | undefined;
  try {
    if (spec.interactive) {
      stream = await hijack(
        client,
        { method: 'POST', path: `/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`, signal, headTimeoutMs: 15_000, what: 'attach to the container' },
        'tcp',
      );
    }
    await client.request('POST', `/containers/${id}/start`, `start the container from ${spec.image}`, { signal });
    const info = await client.request<{ Name: string }>('GET', `/containers/${id}/json`, 'inspect the new container', { signal }).catch(() => ({ Name: spec.name ?? id.slice(0, 12) }));
    return { id, name: info.Name.replace(/^\//, ''), stream };
  } catch (err) {
    stream?.destroy();
    // Started nothing: take the created container away again (force: it may have half-started).
    await client.request('DELETE', `/containers/${id}`, 'remove the container that did not start', { query: { force: true } }).catch(() => undefined);
    throw err;
  }
}

/** Tells the engine the terminal's size; a container that has exited meanwhile is not an error. */
export async function resizeTty(client: EngineClient, id: string, columns: number, rows: number): Promise<void> {
  try {
    await client.request('POST', `/containers/${id}/resize`, 'resize the terminal', { query: { w: columns, h: rows } });
  } catch (err) {
    if (err instanceof EngineError && (err.statusCode === 404 || err.statusCode === 409)) return;
    throw err;
  }
}

/** The ports the image says it exposes (its config's ExposedPorts: "8080/tcp"). */
export async function imageExposedPorts(client: EngineClient, image: string, signal?: AbortSignal): Promise<string[]> {
  const info = await client.request<{ Config?: { ExposedPorts?: Record<string, unknown> | null } }>('GET', `/images/${encodeURIComponent(image)}/json`, `inspect ${image}`, { signal });
  return Object.keys(info.Config?.ExposedPorts ?? {});
}
