// Shared helpers for the benchmarks in bench/: run id, engine client, bounded
// concurrent container creation, label-scoped cleanup (also on Ctrl-C and on a
// crash), statistics, and the RESULT line every benchmark ends with
// (support/result.ts, re-exported here).
//
// Every container a benchmark creates carries the label berth.bench=<runId> and
// is removed at the end by listing with that label filter and force-deleting
// each one. (POST /containers/prune is never used: it would remove every
// stopped container on the engine, not only ours.)
import { randomBytes } from 'node:crypto';
import { EngineClient } from '../src/core/engine/client';
import { removeContainer } from '../src/core/engine/resources';
import type { EngineWatcher } from '../src/core/explorer/engineWatcher';
import { result, resultCrashed, type Check } from './support/result';

export { result, resultCrashed, resultLine, type Check } from './support/result';

export const DOCKER_SOCKET = process.env.BERTH_BENCH_SOCKET ?? '/var/run/docker.sock';
export const IMAGE = 'busybox:1.35';
export const LABEL = 'berth.bench';
export const IN_FLIGHT = 8;

export const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export function makeClient(socketPath = DOCKER_SOCKET): EngineClient {
  return new EngineClient({ kind: 'unix', socketPath });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `limit` calls in flight; stops starting new ones once cleanup began. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>, stoppable = true): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !(stoppable && stopping)) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (stoppable && stopping) throw new Error('interrupted');
  return out;
}

let stopping = false;
const inflight = new Set<Promise<unknown>>();

/** Creates one labelled container (created, not started); `extraLabels` are added to the bench label. */
export function createContainer(client: EngineClient, name: string, extraLabels: Record<string, string> = {}): Promise<string> {
  if (stopping) return Promise.reject(new Error('interrupted'));
  const p = client
    .request<{ Id: string }>('POST', '/containers/create', `create ${name}`, {
      query: { name },
      body: { Image: IMAGE, Cmd: ['true'], Labels: { [LABEL]: runId, ...extraLabels }, HostConfig: { NetworkMode: 'none' } },
      timeoutMs: 60_000,
    })
    .then((r) => r.Id);
  inflight.add(p);
  void p.finally(() => inflight.delete(p)).catch(() => undefined);
  return p;
}

/** Creates `n` labelled containers, IN_FLIGHT at a time; returns their ids. */
export function createMany(client: EngineClient, n: number, prefix: string, extraLabels: Record<string, string> = {}): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `berth-bench-${runId}-${prefix}-${String(i).padStart(4, '0')}`);
  return pool(names, IN_FLIGHT, (name) => createContainer(client, name, extraLabels));
}

/** Ids of this run's containers still on the engine. */
export async function listOurs(client: EngineClient): Promise<string[]> {
  const list = await client.request<Array<{ Id: string }>>('GET', '/containers/json', 'list bench containers', {
    query: { all: true, filters: { label: [`${LABEL}=${runId}`] } },
    timeoutMs: 60_000,
  });
  return list.map((c) => c.Id);
}

/** Removes every container labelled with this run's id (force), IN_FLIGHT at a time. */
export async function removeOurs(client: EngineClient): Promise<number> {
  stopping = true;
  // Creations already sent may still land: wait for them so that the listing sees them.
  await Promise.race([Promise.allSettled([...inflight]), sleep(30_000)]);
  let removed = 0;
  for (let round = 0; round < 3; round++) {
    const ids = await listOurs(client);
    if (ids.length === 0) break;
    await pool(
      ids,
      IN_FLIGHT,
      (id) =>
        removeContainer(client, id, true).then(
          () => void removed++,
          (err) => console.error(`cleanup: ${id.slice(0, 12)}: ${(err as Error).message}`),
        ),
      false,
    );
  }
  return removed;
}

// ---- statistics ----
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
export const nowMs = () => performance.now();

// ---- running a benchmark ----
/** A bar as the older benches state it (`detail` says how it was missed); prefer `checks`. */
export interface Bar {
  label: string;
  ok: boolean;
  detail: string;
}
export interface Outcome {
  figures: Record<string, unknown>;
  /** The rows of the RESULT line: [label, value, bar, ok] (see support/result.ts). */
  checks?: Check[];
  /** Older form, still accepted: each becomes a check whose value is `detail` when missed. */
  bars?: Bar[];
}
export interface BenchContext {
  client: EngineClient;
  /** Registers a teardown step (dispose a watcher, close a proxy) run before container cleanup, also on Ctrl-C. */
  onTeardown(fn: () => unknown): void;
}

/**
 * Runs a benchmark against the engine: prints its figures and the final
 * `RESULT <name>: PASS|FAIL — ...` line, always removes this run's containers,
 * exits 0 (bars missed or not); on a crash (the engine unreachable, say) prints
 * `RESULT <name>: FAIL — crashed: ...` and exits 1; on Ctrl-C the same with 130.
 */
export function runBench(name: string, body: (ctx: BenchContext) => Promise<Outcome>): void {
  const client = makeClient();
  const teardowns: Array<() => unknown> = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const fn of teardowns.reverse()) await Promise.resolve().then(fn).catch((e) => console.error('teardown:', e));
      const n = await removeOurs(client).catch((e) => (console.error('cleanup failed:', e), -1));
      const left = await listOurs(client).catch(() => [] as string[]);
      console.log(`cleanup: removed ${n} container(s) labelled ${LABEL}=${runId}; ${left.length} left`);
    })());
  let interrupted = false;
  const onSignal = (sig: string) => {
    if (interrupted) return void cleanup();
    interrupted = true;
    console.log(`\n${sig}: cleaning up...`);
    void cleanup().finally(() => {
      resultCrashed(name, `interrupted by ${sig}`);
      process.exit(130);
    });
  };
  // A lasting listener: the signal may arrive more than once (terminal group, npx,
  // tsx relaying it), and tsx exits at once on a signal nobody listens to any more.
  // cleanup() is memoized, so repeats only wait for the same cleanup.
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  console.log(`${name}: run ${runId} (label ${LABEL}=${runId}), engine ${DOCKER_SOCKET}`);
  void (async () => {
    let outcome: Outcome | undefined;
    let crash: unknown;
    try {
      const info = await client.connect().catch((err: Error) => {
        throw new Error(`Docker engine unreachable at ${DOCKER_SOCKET} (set BERTH_BENCH_SOCKET, or run scripts/provision.sh): ${err.message}`);
      });
      console.log(`engine ${info.version}, API ${info.apiVersion} (pinned ${info.pinnedApiVersion})`);
      outcome = await body({ client, onTeardown: (fn) => teardowns.push(fn) });
    } catch (err) {
      crash = err;
    } finally {
      await cleanup();
    }
    if (interrupted) return; // the signal handler exits (130) once cleanup is done
    if (crash || !outcome) {
      console.error(`${name} crashed:`, crash);
      resultCrashed(name, crash ?? 'no outcome');
      process.exit(1);
    }
    const checks: Check[] = [...(outcome.checks ?? []), ...(outcome.bars ?? []).map((b): Check => [b.label, b.ok ? 'ok' : b.detail, '', b.ok])];
    console.log(`figures: ${JSON.stringify(outcome.figures)}`);
    result(name, checks);
    process.exit(0);
  })();
}

/** Shows the Containers view to `watcher` and resolves once it is live (rejects when the engine is unreachable). */
export function showContainersAndGoLive(watcher: EngineWatcher): Promise<void> {
  const live = new Promise<void>((resolve, reject) => {
    watcher.onDidChangeStatus((s) => {
      if (s.state === 'live') resolve();
      if (s.state === 'unreachable') reject(s.error);
    });
  });
  watcher.setVisible('containers', true);
  return live;
}
