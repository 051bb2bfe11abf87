// How fresh the Containers view is: an EngineWatcher with the view visible.
//
// Run: npx tsx bench/freshness.ts
//
// (i)  10 times, 1 s apart: note t0, create a labelled container through the
//      API, measure until watcher.snapshot('containers') holds its id (checked on
//      every onDidChangeResource). Bar: median <= 600 ms.
// (ii) A steady stream of one container action every 100 ms for 10 s: even
//      ticks create a new container, odd ticks remove one of 50 containers made
//      beforehand (so every action's visibility is unambiguous by id: create ->
//      id present, remove -> id absent). Every 50 ms:
//        staleness(t) = t - (issue time of the newest action already visible)
//      when a newer issued action is not visible yet, else 0 (with none visible
//      yet, the first action's issue time is used). Bar: max <= 2000 ms.
import type { ContainerRecord } from '../src/core/engine/resources';
import { removeContainer } from '../src/core/engine/resources';
import { EngineWatcher } from '../src/core/explorer/engineWatcher';
import { createContainer, createMany, makeClient, median, nowMs, percentile, round, runBench, runId, sleep, showContainersAndGoLive } from './support';

const SINGLE_SAMPLES = 10;
const SINGLE_BAR_MS = 600;
const STREAM_MS = 10_000;
const TICK_MS = 100;
const SAMPLE_MS = 50;
const STALE_BAR_MS = 2000;

interface Action {
  kind: 'create' | 'remove';
  at: number;
  id?: string;
  visibleAt?: number;
}

runBench('freshness', async ({ client, onTeardown }) => {
  const watcher = new EngineWatcher(makeClient());
  onTeardown(() => watcher.dispose());

  // What the snapshot holds, and when each id first appeared in it.
  let current = new Set<string>();
  const firstSeen = new Map<string, number>();
  let relists = 0;
  const changeHooks = new Set<(t: number) => void>();
  watcher.onDidChangeResource((kind) => {
    if (kind !== 'containers') return;
    const t = nowMs();
    relists++;
    current = new Set(((watcher.snapshot('containers') ?? []) as ContainerRecord[]).map((c) => c.Id));
    for (const id of current) if (!firstSeen.has(id)) firstSeen.set(id, t);
    for (const h of changeHooks) h(t);
  });
  const until = (pred: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (pred()) return resolve();
      const timer = setTimeout(() => (changeHooks.delete(hook), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
      const hook = () => {
        if (!pred()) return;
        clearTimeout(timer);
        changeHooks.delete(hook);
        resolve();
      };
      changeHooks.add(hook);
    });

  const tLive = nowMs();
  await showContainersAndGoLive(watcher);
  if (!watcher.snapshot('containers')) await until(() => watcher.snapshot('containers') !== undefined, 10_000, 'first list');
  const status = watcher.status;
  console.log(`watcher live in ${round(nowMs() - tLive)} ms (events: ${status.state === 'live' && status.events}), ${current.size} containers listed`);

  // (i) single changes
  const singles: number[] = [];
  for (let i = 0; i < SINGLE_SAMPLES; i++) {
    await sleep(1000);
    const t0 = nowMs();
    const id = await createContainer(client, `berth-bench-${runId}-single-${i}`);
    await until(() => firstSeen.has(id), 10_000, `container ${id.slice(0, 12)} in the snapshot`);
    const ms = firstSeen.get(id)! - t0;
    singles.push(ms);
    console.log(`single ${String(i + 1).padStart(2)}: visible after ${round(ms)} ms`);
  }
  const singleMed = median(singles);
  console.log(`single change -> snapshot: median ${round(singleMed)} ms, max ${round(Math.max(...singles))} ms (bar: median <= ${SINGLE_BAR_MS} ms)`);

  // (ii) steady stream
  const pre = await createMany(client, STREAM_MS / TICK_MS / 2, 'pre');
  await until(() => pre.every((id) => current.has(id)), 15_000, 'the pre-made containers in the snapshot');
  await sleep(1000);
  const actions: Action[] = [];
  const reflected = (a: Action) => a.id !== undefined && (a.kind === 'create' ? current.has(a.id) : !current.has(a.id));
  changeHooks.add((t) => {
    for (const a of actions) if (a.visibleAt === undefined && reflected(a)) a.visibleAt = t;
  });
  const stalenessAt = (t: number): number => {
    let newest = -1;
    for (let i = 0; i < actions.length; i++) if (actions[i].visibleAt !== undefined && actions[i].visibleAt! <= t) newest = i;
    const newerUnseen = actions.some((a, i) => i > newest && a.at <= t && (a.visibleAt === undefined || a.visibleAt > t));
    if (!newerUnseen) return 0;
    return t - (newest >= 0 ? actions[newest].at : actions[0].at);
  };
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(stalenessAt(nowMs())), SAMPLE_MS);
  const relistsBefore = relists;
  const ops: Promise<unknown>[] = [];
  const start = nowMs();
  const ticks = STREAM_MS / TICK_MS;
  try {
    for (let k = 0; k < ticks; k++) {
      const wait = start + k * TICK_MS - nowMs();
      if (wait > 0) await sleep(wait);
      if (k % 2 === 0) {
        const a: Action = { kind: 'create', at: nowMs() };
        actions.push(a);
        ops.push(
          createContainer(client, `berth-bench-${runId}-stream-${k}`).then((id) => {
            a.id = id;
            // The snapshot may already hold it (a list served after the engine created it).
            if (current.has(id)) a.visibleAt = firstSeen.get(id);
          }),
        );
      } else {
        const a: Action = { kind: 'remove', at: nowMs(), id: pre[k >> 1] };
        actions.push(a);
        ops.push(removeContainer(client, a.id!, true));
      }
    }
    const streamEnd = nowMs();
    await Promise.all(ops);
    await until(() => actions.every((a) => a.visibleAt !== undefined), 15_000, 'every action in the snapshot');
    await sleep(SAMPLE_MS * 2);
    console.log(`stream: ${actions.length} actions in ${round((streamEnd - start) / 1000, 2)} s, ${relists - relistsBefore} re-lists`);
  } finally {
    clearInterval(sampler);
  }
  const lags = actions.map((a) => a.visibleAt! - a.at);
  const maxStale = Math.max(...samples);
  console.log(`action -> visible: median ${round(median(lags))} ms, p90 ${round(percentile(lags, 90))} ms, max ${round(Math.max(...lags))} ms`);
  console.log(
    `staleness (${samples.length} samples every ${SAMPLE_MS} ms): median ${round(median(samples))} ms, p90 ${round(percentile(samples, 90))} ms, max ${round(maxStale)} ms (bar: max <= ${STALE_BAR_MS} ms)`,
  );

  watcher.dispose();
  return {
    figures: {
      singleMs: singles.map((x) => round(x)),
      singleMedianMs: round(singleMed),
      streamActions: actions.length,
      streamRelists: relists - relistsBefore,
      actionLagMedianMs: round(median(lags)),
      actionLagMaxMs: round(Math.max(...lags)),
      stalenessMedianMs: round(median(samples)),
      stalenessP90Ms: round(percentile(samples, 90)),
      stalenessMaxMs: round(maxStale),
    },
    checks: [
      ['single change to snapshot median', `${round(singleMed)} ms`, `≤ ${SINGLE_BAR_MS} ms`, singleMed <= SINGLE_BAR_MS],
      ['stream staleness max', `${round(maxStale)} ms`, `≤ ${STALE_BAR_MS} ms`, maxStale <= STALE_BAR_MS],
      ['action to visible median', `${round(median(lags))} ms`, '', true],
    ],
  };
});
