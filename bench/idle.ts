// What Berth asks of the engine while nobody is looking, and while a view just sits there.
//
// Run:               npx tsx bench/idle.ts
// Quick check:       BERTH_BENCH_IDLE_SECONDS=5 npx tsx bench/idle.ts
//
// An EngineProxy (test/support/engineProxy.ts) on a temp socket counts every
// request the watcher's client sends to the real engine.
// (i)  A watcher with no view visible for N s (default 60); one container is
//      created (directly, not through the proxy) at the start so the engine has
//      activity. Bar: 0 requests through the proxy.
// (ii) setVisible('containers', true), wait until live, then count only the
//      requests made after that moment for N s with no changes. Bar: <= 1 per
//      minute. The engine may be shared: a direct event stream (not through the
//      proxy) records container events made by others; when there were any,
//      requests within 1.5 s after one are attributed to it and the bar is
//      checked on the rest (the raw count is printed too). Afterwards the watcher is disposed; bar: proxy.openConnections
//      is 0 (checked 1 s after dispose). Note: Node's default http agent keeps
//      an idle keep-alive socket open for 5 s after the last request, so with
//      windows shorter than ~5 s that socket can still be open at dispose time.
import { followEvents } from '../src/core/engine/events';
import { EngineWatcher } from '../src/core/explorer/engineWatcher';
import { kindChangedBy, WATCHED_EVENT_TYPES } from '../src/core/explorer/eventKinds';
import { EngineProxy } from '../test/support/engineProxy';
import { createContainer, DOCKER_SOCKET, makeClient, nowMs, round, runBench, runId, sleep, showContainersAndGoLive } from './support';

const SECONDS = Number(process.env.BERTH_BENCH_IDLE_SECONDS ?? 60);
const HIDDEN_BAR = 0;
const VISIBLE_BAR_PER_MIN = 1;
// A re-list within this long after a container event is that event's doing (settle 40 ms + throttle 500 ms + a list in flight).
const EXPLAINED_MS = 1500;

/** "3× GET /x, 1× GET /y" */
const summarize = (paths: string[]) =>
  [...paths.reduce((m, p) => m.set(p, (m.get(p) ?? 0) + 1), new Map<string, number>())].map(([p, n]) => `${n}× ${p}`).join(', ') || 'none';

runBench('idle', async ({ client, onTeardown }) => {
  if (!(SECONDS > 0)) throw new Error(`BERTH_BENCH_IDLE_SECONDS must be a positive number, got ${process.env.BERTH_BENCH_IDLE_SECONDS}`);
  const proxy = await EngineProxy.start(`/tmp/berth-idle-${runId}.sock`, DOCKER_SOCKET);
  onTeardown(() => proxy.close());
  const watcher = new EngineWatcher(makeClient(proxy.socketPath));
  onTeardown(() => watcher.dispose());
  const listRequests = (since: number) => proxy.requests.filter((r) => r.at >= since).map((r) => `${r.method} ${r.path}`);
  console.log(`proxy ${proxy.socketPath} -> ${DOCKER_SOCKET}; windows of ${SECONDS} s`);

  // The engine may be shared (other sessions' tests): a direct event stream, not
  // through the proxy, records container changes nobody here made, so that
  // re-lists they cause are told apart from re-lists with nothing to show.
  const monitor = new AbortController();
  onTeardown(() => monitor.abort());
  const foreign: Array<{ at: number; what: string }> = [];
  let monitorOpen!: () => void;
  const monitorReady = new Promise<void>((r) => (monitorOpen = r));
  void followEvents(client, {
    types: WATCHED_EVENT_TYPES,
    signal: monitor.signal,
    onOpen: () => monitorOpen(),
    onEvent: (ev) => {
      if (kindChangedBy(ev) === 'containers') foreign.push({ at: Date.now(), what: `${ev.Action} ${ev.Actor?.Attributes?.name ?? ev.Actor?.ID?.slice(0, 12)}` });
    },
  }).catch((e) => console.error('event monitor:', e));
  await monitorReady;

  // (i) no view visible
  const hiddenStart = Date.now();
  const id = await createContainer(client, `berth-bench-${runId}-idle`);
  console.log(`(i) no view visible; created ${id.slice(0, 12)} directly on the engine; waiting ${SECONDS} s...`);
  await sleep(SECONDS * 1000);
  const hidden = listRequests(hiddenStart);
  console.log(`(i) requests through the proxy with no view visible: ${hidden.length} (bar: ${HIDDEN_BAR})`);
  if (hidden.length) console.log(`    ${summarize(hidden)}`);

  // (ii) Containers visible, nothing changes
  const tLive = nowMs();
  await showContainersAndGoLive(watcher);
  const status = watcher.status;
  const startup = proxy.requests.length - hidden.length;
  console.log(`(ii) live in ${round(nowMs() - tLive)} ms (events: ${status.state === 'live' && status.events}) after ${startup} request(s):`);
  for (const r of proxy.requests.slice(hidden.length)) console.log(`    ${r.method} ${r.path}`);
  const visibleStart = Date.now();
  await sleep(SECONDS * 1000);
  const inWindow = proxy.requests.filter((r) => r.at >= visibleStart);
  const visible = inWindow.map((r) => `${r.method} ${r.path}`);
  const perMinute = (visible.length * 60) / SECONDS;
  const events = foreign.filter((e) => e.at >= visibleStart - EXPLAINED_MS);
  const unexplained = inWindow.filter((r) => !events.some((e) => e.at <= r.at && r.at - e.at <= EXPLAINED_MS)).map((r) => `${r.method} ${r.path}`);
  const unexplainedPerMinute = (unexplained.length * 60) / SECONDS;
  const quiet = events.length === 0;
  console.log(`(ii) requests in ${SECONDS} s with Containers visible: ${visible.length} = ${round(perMinute, 2)}/min: ${summarize(visible)}`);
  console.log(
    `(ii) container events on the engine from elsewhere in the window: ${events.length}${quiet ? ' (quiet)' : `: ${summarize(events.map((e) => e.what.replace(/^(\S+).*/, '$1')))}`}`,
  );
  console.log(
    `(ii) requests not within ${EXPLAINED_MS} ms after such an event: ${unexplained.length} = ${round(unexplainedPerMinute, 2)}/min (bar: <= ${VISIBLE_BAR_PER_MIN}/min${quiet ? '' : '; the engine was not quiet, so the bar is checked on these'})`,
  );
  const openWhileLive = proxy.openConnections;

  const disposedAt = nowMs();
  watcher.dispose();
  const openAtDispose = proxy.openConnections;
  let open = openAtDispose;
  const deadline = Date.now() + 1000;
  while (open > 0 && Date.now() < deadline) {
    await sleep(20);
    open = proxy.openConnections;
  }
  console.log(
    `proxy.openConnections: ${openWhileLive} at the end of the window, ${openAtDispose} right after dispose(), ${open} ${round(nowMs() - disposedAt)} ms later (bar: 0 within 1 s)`,
  );
  if (open > 0) {
    // Diagnosis only: Node's default http agent keeps an idle keep-alive socket for 5 s after the last list.
    await sleep(5500);
    console.log(`    (diagnosis) openConnections ${round((nowMs() - disposedAt) / 1000, 1)} s after dispose: ${proxy.openConnections}`);
  }

  return {
    figures: {
      windowSeconds: SECONDS,
      hiddenRequests: hidden.length,
      startupRequests: startup,
      visibleRequests: visible.length,
      visibleRequestsPerMinute: round(perMinute, 2),
      foreignContainerEvents: events.length,
      unexplainedRequestsPerMinute: round(unexplainedPerMinute, 2),
      openConnectionsAfterDispose: open,
    },
    checks: [
      ['requests with no view visible', hidden.length, `≤ ${HIDDEN_BAR}`, hidden.length <= HIDDEN_BAR],
      ['idle requests with Containers visible', `${round(unexplainedPerMinute, 2)}/min`, `≤ ${VISIBLE_BAR_PER_MIN}/min`, unexplainedPerMinute <= VISIBLE_BAR_PER_MIN],
      ['connections open 1 s after dispose', open, '= 0', open === 0],
      ['window', `${SECONDS} s`, '', true],
      ['foreign container events', events.length, '', true],
    ],
  };
});
