// EngineWatcher against the REAL engine, observed through EngineProxy (a
// counting unix-socket proxy; every byte still goes to the real engine).
import assert from 'node:assert/strict';
import { EngineClient } from '../../src/core/engine/client';
import { followEvents, type EngineEvent } from '../../src/core/engine/events';
import { EngineWatcher, type EngineStatus } from '../../src/core/explorer/engineWatcher';
import { EngineProxy } from '../support/engineProxy';
import { cleanupRun, createContainer, engineSocketPath, newClient, RUN_ID, sleep, TEST_LABEL, waitFor } from './support';

type Live = Extract<EngineStatus, { state: 'live' }>;
const LIST_CONTAINERS = /\/containers\/json/;
const EVENTS = /\/events(\?|$)/;

describe('EngineWatcher against the real engine', function () {
  const direct = newClient(); // test-side calls bypass the proxy, so the proxy sees only the watcher
  let proxy: EngineProxy;
  let watcher: EngineWatcher | undefined;

  before(async function () {
    const target = engineSocketPath();
    if (!target) return this.skip(); // EngineProxy fronts unix sockets only
    proxy = await EngineProxy.start(`/tmp/bt-${RUN_ID}-w.sock`, target);
  });
  afterEach(async function () {
    watcher?.dispose();
    watcher = undefined;
    await cleanupRun(direct);
  });
  after(async () => {
    await proxy?.close();
  });

  function watch(): EngineWatcher {
    watcher = new EngineWatcher(new EngineClient({ kind: 'unix', socketPath: proxy.socketPath }));
    return watcher;
  }
  const live = (w: EngineWatcher, ms = 10_000): Promise<Live> =>
    waitFor(() => (w.status.state === 'live' ? w.status : undefined), ms, `watcher live (now ${w.status.state})`);
  const shows = (w: EngineWatcher, id: string) => Boolean(w.snapshot('containers')?.some((c) => c.Id === id));

  it("goes live with events, and a new container shows in the snapshot within 1000 ms", async function () {
    const w = watch();
    const states: string[] = [];
    w.onDidChangeStatus((s) => states.push(s.state));
    assert.equal(w.status.state, 'idle');
    w.setVisible('containers', true);
    const st = await live(w);
    assert.equal(st.events, true, 'event stream open, not the polling fallback');
    assert.equal(st.info.pinnedApiVersion, st.info.apiVersion, 'engine 1.41 is not pinned down');
    assert.deepEqual(states, ['connecting', 'live']);
    assert.ok(Array.isArray(w.snapshot('containers')), 'first list read before going live');
    assert.equal(w.snapshot('images'), undefined, 'hidden views are not listed');

    const t0 = Date.now();
    const c = await createContainer(direct, 'w-new');
    await waitFor(() => shows(w, c.id), 1000, 'created container in snapshot', 10);
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 1000, `appeared after ${elapsed} ms`);

    await direct.request('DELETE', `/containers/${c.id}`, 'remove', { query: { force: true } });
    await waitFor(() => !shows(w, c.id), 1000, 'removed container gone from snapshot', 10);
  });

  it('lists a view that becomes visible while the first lists are still running', async function () {
    const w = watch();
    let shownWhileConnecting = false;
    // The editor reports restored views one by one; one may come in after the first
    // list has answered but before the watcher is live.
    w.onDidChangeResource((k) => {
      if (k === 'containers' && w.status.state !== 'live' && !shownWhileConnecting) {
        shownWhileConnecting = true;
        w.setVisible('volumes', true);
      }
    });
    w.setVisible('containers', true);
    await live(w);
    assert.ok(shownWhileConnecting, 'the volumes view was shown before the watcher went live');
    await waitFor(() => w.snapshot('volumes') !== undefined, 3000, 'a first list of volumes');
  });

  it('with no view visible: idle, no engine request over 3 s, no open connection', async function () {
    this.timeout(30_000);
    const w = watch();
    w.setVisible('containers', true);
    await live(w);
    w.setVisible('containers', false);
    assert.equal(w.status.state, 'idle');

    const hiddenAt = Date.now();
    await sleep(200);
    assert.equal(proxy.cutEventStreams(), 0, 'the event stream was closed at once');
    // What may linger is an idle keep-alive connection in Node's HTTP agent pool (freed after 5 s).
    await waitFor(() => proxy.openConnections === 0, 7000, `open connections to drop to 0 (now ${proxy.openConnections})`, 20);
    const dropMs = Date.now() - hiddenAt;

    const since = Date.now();
    const c = await createContainer(direct, 'w-hidden');
    await sleep(3000);
    assert.deepEqual(proxy.requests.filter((r) => r.at >= hiddenAt), [], 'no request while hidden');
    assert.equal(proxy.openConnections, 0, 'still no open connection');
    assert.equal(w.status.state, 'idle');
    assert.equal(shows(w, c.id), false, 'snapshot not refreshed while hidden');
    assert.ok(Date.now() - since >= 3000);

    // Shown again: the stale list is read at once.
    w.setVisible('containers', true);
    await live(w);
    await waitFor(() => shows(w, c.id), 2000, 'container created while hidden');
    this.test!.title += ` [connections closed ${dropMs} ms after hiding]`;
  });

  it('reconnects after the event stream is cut and re-lists what changed meanwhile', async function () {
    const w = watch();
    w.setVisible('containers', true);
    await live(w);
    const cutAt = Date.now();
    assert.ok(proxy.cutEventStreams() >= 1, 'an event stream was open');
    const c = await createContainer(direct, 'w-after-cut');
    await waitFor(() => proxy.count(EVENTS, cutAt) >= 1, 5000, 'a new /events request');
    await waitFor(() => shows(w, c.id), 2000 - (Date.now() - cutAt), 'container created after the cut', 10);
    assert.ok(Date.now() - cutAt <= 2000);
    assert.equal(w.status.state, 'live');

    // The new stream delivers events again.
    const t0 = Date.now();
    const d = await createContainer(direct, 'w-after-reconnect');
    await waitFor(() => shows(w, d.id), 1000, 'container created after reconnecting', 10);
    assert.ok(Date.now() - t0 < 1000);
  });

  // Bug: events.ts resolves only on 'end'/'close', but Node reports a connection
  // reset under a chunked response as an 'error' (ECONNRESET, "aborted") first,
  // so followEvents rejects, the watcher maps it to kind 'refused' and shows
  // the healthy engine as unreachable until the reconnect 250 ms later.
  it('a cut event stream does not show the healthy engine as unreachable while reconnecting', async function () {
    const w = watch();
    w.setVisible('containers', true);
    await live(w);
    const seen: string[] = [];
    w.onDidChangeStatus((s) => seen.push(s.state === 'unreachable' ? `unreachable(${s.error.kind}: ${s.error.message})` : s.state));
    const cutAt = Date.now();
    assert.ok(proxy.cutEventStreams() >= 1);
    await waitFor(() => proxy.count(EVENTS, cutAt) >= 1 && w.status.state === 'live', 5000, 'reconnected');
    await sleep(300);
    assert.deepEqual(
      seen.filter((s) => s !== 'live'),
      [],
      `status while reconnecting to a healthy engine: ${seen.join(' -> ')}`,
    );
  });

  it('re-lists on health_status events: the snapshot reaches (healthy) without other changes', async function () {
    const w = watch();
    w.setVisible('containers', true);
    await live(w);
    const c = await createContainer(direct, 'w-health', {
      extra: { Healthcheck: { Test: ['CMD', 'true'], Interval: 500e6, Timeout: 1e9, Retries: 1, StartPeriod: 0 } },
      start: true,
    });
    const status = () => w.snapshot('containers')?.find((r) => r.Id === c.id)?.Status ?? '';
    await waitFor(() => status().includes('(health: starting)'), 2000, 'starting in snapshot');
    await waitFor(() => status().includes('(healthy)'), 3000, `healthy in snapshot (now "${status()}")`);
  });

  it('under a steady stream of events stays fresh (gap <= 2 s) and coalesces re-lists', async function () {
    this.timeout(30_000);
    const w = watch();
    w.setVisible('containers', true);
    await live(w);
    await sleep(700); // let the first list's pacing window pass

    // Count the engine's own events for our containers on a separate stream.
    const events: EngineEvent[] = [];
    const counter = new AbortController();
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const counting = followEvents(direct, {
      types: ['container'],
      signal: counter.signal,
      onOpen: opened,
      onEvent: (ev) => {
        if (ev.Actor?.Attributes?.[TEST_LABEL] === RUN_ID) events.push(ev);
      },
    });
    await open;

    const changes: number[] = [];
    const sub = w.onDidChangeResource((k) => k === 'containers' && changes.push(Date.now()));
    const made: string[] = [];
    const churn: Array<Promise<void>> = [];
    const start = Date.now();
    try {
      // One create+remove every 100 ms on the clock, not after the previous one
      // finished, so the event rate does not depend on how busy the engine is.
      for (let i = 0; start + i * 100 < start + 5000; i++) {
        const wait = start + i * 100 - Date.now();
        if (wait > 0) await sleep(wait);
        churn.push(
          createContainer(direct, `w-churn-${i}`).then(async (c) => {
            made.push(c.id);
            await direct.request('DELETE', `/containers/${c.id}`, 'remove', { query: { force: true } });
          }),
        );
      }
      await Promise.all(churn);
    } finally {
      sub.dispose();
    }
    const end = Date.now();
    await sleep(1200); // the trailing re-list
    counter.abort();
    await counting;

    const runMs = Date.now() - start;
    const lists = proxy.count(LIST_CONTAINERS, start);
    const inWindow = [start, ...changes.filter((t) => t >= start && t <= end), end];
    const maxGap = Math.max(...inWindow.slice(1).map((t, i) => t - inWindow[i]));
    assert.ok(events.length >= 80, `events flowed: ${events.length}`);
    assert.ok(maxGap <= 2000, `max gap between snapshot changes ${maxGap} ms`);
    assert.ok(lists <= runMs / 400, `${lists} container lists in ${runMs} ms (${events.length} events)`);
    assert.ok(lists * 4 <= events.length, `${lists} lists is far fewer than ${events.length} events`);
    assert.ok(!made.some((id) => shows(w, id)), 'final snapshot has none of the removed containers');
    this.test!.title += ` [${events.length} events, ${lists} lists, max gap ${maxGap} ms]`;
  });

  it('dispose() leaves no open connection to the engine', async function () {
    this.timeout(20_000);
    const w = watch();
    w.setVisible('containers', true);
    w.setVisible('images', true);
    await live(w);
    assert.ok(proxy.openConnections >= 1);
    w.dispose();
    watcher = undefined;
    const t0 = Date.now();
    await sleep(200);
    assert.equal(proxy.cutEventStreams(), 0, 'the event stream was closed at once');
    await waitFor(() => proxy.openConnections === 0, 7000, `open connections to drop to 0 (now ${proxy.openConnections})`, 20);
    const since = Date.now();
    await sleep(1000);
    assert.equal(proxy.count(/./, since), 0, 'no request after dispose');
    this.test!.title += ` [closed ${since - t0} ms after dispose]`;
  });
});
