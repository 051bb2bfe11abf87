import * as http from 'node:http';

// The suite's own line to the engine: plain HTTP over the Docker socket with
// node's http module, so a test's setup and checks do not go through the code
// under test (Berth's client).

export const SOCKET = process.env.BERTH_EXTHOST_SOCKET ?? '/var/run/docker.sock';

export function engine<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise<T>((resolve, reject) => {
    const req = http.request(
      {
        socketPath: SOCKET,
        method,
        path,
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {},
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) return reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.trim()}`));
          try {
            resolve((text ? JSON.parse(text) : undefined) as T);
          } catch {
            resolve(text as unknown as T);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Creates a busybox:1.35 container (never pulls; StopTimeout 1 keeps stops quick) and returns its id. */
export async function createContainer(name: string, labels: Record<string, string>, start: boolean): Promise<string> {
  const { Id } = await engine<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(name)}`, {
    Image: 'busybox:1.35',
    Cmd: ['sleep', '600'],
    Labels: labels,
    StopTimeout: 1,
  });
  if (start) await engine('POST', `/containers/${Id}/start`);
  return Id;
}

export async function containerStatus(id: string): Promise<string> {
  return (await engine<{ State: { Status: string } }>('GET', `/containers/${id}/json`)).State.Status;
}

export async function removeContainer(id: string): Promise<void> {
  await engine('DELETE', `/containers/${id}?force=true`).catch(() => undefined);
}

export { waitFor } from '../../support/waitFor';
