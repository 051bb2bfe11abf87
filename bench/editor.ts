// bench/editor: the explorer's responsiveness in a real VS Code (code-server +
// chromium, test/e2e/support) against the real engine.
//
// Run: npx tsx bench/editor.ts        (needs dist/berth.vsix: `npm run package`)
//
// (a) Click-to-first-row, 3 samples, each in a FRESH editor (new user data,
//     extensions and browser), so every sample is a cold first open of Berth.
//     One labelled container exists beforehand. The editor opens examples/shop.
//     "Once the extension host is up": we wait until the extension host log
//     (remoteexthost.log) says `Eager extensions activated` and has then been
//     quiet for 1.5 s (the onStartupFinished activations are done too). Berth
//     itself is NOT active at that point: it has no startup activation event,
//     only the implicit onView:berth.* ones, so its status-bar item is absent
//     (checked and printed). Its activation, caused by the click, is inside the
//     measured time.
//     Measured in the page: a capture-phase pointerdown listener on the window
//     takes the event's timeStamp when the press lands on Berth's activity-bar
//     icon; a MutationObserver takes performance.now() when the first
//     `.monaco-list-row` with a non-empty `.label-name` exists in the Containers
//     pane. Playwright's round trips are outside the figure. The same observer
//     notes when Berth's status-bar item appears (= Berth activated), and the
//     extension host log gives when activation started.
//     Bar: median <= 1000 ms.
// (b) `docker run` to row, 5 samples, ~1.5 s apart, in the last editor of (a)
//     with the Containers view open: t0 = Date.now() in this process, then
//     POST /containers/create + POST /containers/{id}/start (what `docker run -d`
//     does); a MutationObserver installed in the page before t0 records Date.now()
//     when a row whose `.label-name` is the new container's name exists (and
//     when that row shows the running icon). Both are the same machine's wall
//     clock. Bar: median(row - t0) <= 600 ms. The row first shows in the
//     "created" state (the engine's create event), usually before the start call
//     has even returned; the running icon follows with the next refresh, which
//     the watcher paces at most one per 500 ms: printed as "running icon at".
//
// Container Tools 2.4.5 measured 3.6 s for (a) and 853 ms for (b).
// Every container created here is labelled berth.bench=<runId> and removed at
// the end (also on Ctrl-C and on a crash); the editor is stopped first.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineClient } from '../src/core/engine/client';
import { Editor, editorMissing, REPO } from '../test/e2e/support/editor';
import { IMAGE, LABEL, median, round, runBench, runId, sleep } from './support';

const CLICK_SAMPLES = 3;
const RUN_SAMPLES = 5;
const CLICK_BAR_MS = 1000;
const RUN_BAR_MS = 600;
const CT_CLICK_MS = 3600;
const CT_RUN_MS = 853;
const GAP_MS = 1500;
const QUIET_MS = 1500;
const ROW_TIMEOUT_MS = 60_000;
const RUN_ROW_TIMEOUT_MS = 20_000;
const WORKSPACE = path.join(REPO, 'examples/shop');
const SCREENSHOT = path.join(REPO, 'test-results/bench/editor.png');
const ICON = '.activitybar [aria-label^="Berth"]';
const STATUS_ITEM = '.statusbar-item[id$="berth.engine"]';
const CONTAINERS_HEADER = '.pane-header[aria-label="Containers Section"]';

let stopping = false;
const pendingCreates = new Set<Promise<unknown>>();

/** `docker run -d` through the API: create, then start; returns the id. */
async function runContainer(client: EngineClient, name: string): Promise<string> {
  if (stopping) throw new Error('interrupted');
  const p = client
    .request<{ Id: string }>('POST', '/containers/create', `create ${name}`, {
      query: { name },
      body: { Image: IMAGE, Cmd: ['sleep', '600'], Labels: { [LABEL]: runId }, StopTimeout: 1, HostConfig: { NetworkMode: 'none' } },
      timeoutMs: 60_000,
    })
    .then(async ({ Id }) => {
      await client.request('POST', `/containers/${Id}/start`, `start ${name}`, { timeoutMs: 60_000 });
      return Id;
    });
  pendingCreates.add(p);
  void p.finally(() => pendingCreates.delete(p)).catch(() => undefined);
  return p;
}

function readLog(editor: Editor): string {
  const file = editor.extensionHostLog();
  try {
    return file ? fs.readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

/** Waits for `Eager extensions activated` in the extension host log, then for the log to stay quiet for QUIET_MS. */
async function waitForExtensionHost(editor: Editor, timeoutMs = 120_000): Promise<number> {
  const start = Date.now();
  let last = '';
  let quietSince = Date.now();
  for (;;) {
    const log = readLog(editor);
    if (log !== last) {
      last = log;
      quietSince = Date.now();
    }
    if (log.includes('Eager extensions activated') && Date.now() - quietSince >= QUIET_MS) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`extension host not up after ${timeoutMs} ms\n${editor.serverLogTail(20)}`);
    await sleep(100);
  }
}

/** Log line time ("2026-11-22 20:47:46.674", the server's local time) as epoch ms. */
function logTime(log: string, pattern: RegExp): number | undefined {
  for (const line of log.split('\n')) {
    if (!pattern.test(line)) continue;
    const m = line.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/);
    if (m) return new Date(`${m[1]}T${m[2]}`).getTime();
  }
  return undefined;
}

interface ClickResult {
  clickAt: number; // page performance.now() of the pointerdown
  clickEpoch: number; // the same instant as epoch ms
  rowAt: number;
  rowLabel: string;
  statusAt?: number;
}

// In-page code is plain JavaScript in strings: the repo compiles without the DOM
// lib, and functions transpiled by tsx could reference helpers the page lacks.

/** In-page probes for (a): pointerdown on Berth's icon, its status-bar item, the first Containers row. */
function clickProbeScript(): string {
  return `(() => {
    const ICON = ${JSON.stringify(ICON)}, STATUS_ITEM = ${JSON.stringify(STATUS_ITEM)}, HEADER = ${JSON.stringify(CONTAINERS_HEADER)};
    const r = {};
    window.__benchClick = r;
    window.addEventListener('pointerdown', (e) => {
      if (r.clickAt !== undefined || !(e.target instanceof Element) || !e.target.closest(ICON)) return;
      const now = performance.now();
      // The event's own time stamp (when the input arrived) when it is sane, else now.
      r.clickAt = e.timeStamp > 0 && e.timeStamp <= now ? e.timeStamp : now;
      r.clickEpoch = performance.timeOrigin + r.clickAt;
    }, true);
    const obs = new MutationObserver(() => {
      const now = performance.now();
      if (r.clickAt === undefined) return;
      if (r.statusAt === undefined && document.querySelector(STATUS_ITEM)) r.statusAt = now;
      for (const header of document.querySelectorAll(HEADER)) {
        const pane = header.closest('.pane');
        const row = pane && pane.querySelector('.monaco-list-row');
        const label = row && row.querySelector('.label-name');
        const text = label && label.textContent.trim();
        if (text) {
          r.rowAt = now;
          r.rowLabel = text;
          r.done = true;
          obs.disconnect();
          return;
        }
      }
    });
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  })()`;
}

/** In-page probe for (b): Date.now() when a Containers row labelled `name` exists, and when it shows the running icon. */
function runProbeScript(name: string): string {
  return `(() => {
    const NAME = ${JSON.stringify(name)}, HEADER = ${JSON.stringify(CONTAINERS_HEADER)};
    const r = {};
    window.__benchRun = r;
    const obs = new MutationObserver(() => {
      const now = Date.now();
      for (const header of document.querySelectorAll(HEADER)) {
        const pane = header.closest('.pane');
        if (!pane) continue;
        for (const label of pane.querySelectorAll('.monaco-list-row .label-name')) {
          if (label.textContent.trim() !== NAME) continue;
          if (r.rowAt === undefined) r.rowAt = now;
          const row = label.closest('.monaco-list-row');
          if (r.runningAt === undefined && row && row.querySelector('.codicon-vm-running')) {
            r.runningAt = now;
            obs.disconnect();
          }
          return;
        }
      }
    });
    obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class'] });
  })()`;
}

interface ClickSample {
  ms: number;
  statusMs?: number;
  activationStartMs?: number;
  firstRow: string;
  hostUpWaitMs: number;
  startMs: number;
}

/** The editor being started or running, so that teardown (also on Ctrl-C) stops it. */
let starting: Promise<Editor> | undefined;
let current: Editor | undefined;

async function stopCurrent(): Promise<void> {
  const e = current ?? (await starting?.catch(() => undefined));
  current = undefined;
  starting = undefined;
  await e?.stop();
}

async function clickSample(i: number, keep: boolean): Promise<{ sample: ClickSample; editor?: Editor }> {
  const t0 = Date.now();
  starting = Editor.start({ workspace: WORKSPACE });
  const editor = (current = await starting);
  try {
    const startMs = Date.now() - t0;
    const icon = editor.page.locator(ICON).first();
    await icon.waitFor({ state: 'visible', timeout: 90_000 });
    const hostUpWaitMs = await waitForExtensionHost(editor);
    const activeBefore = (await editor.page.locator(STATUS_ITEM).count()) > 0;
    const berthLoggedBefore = /_doActivateExtension berth\.berth\b/.test(readLog(editor));
    if (activeBefore || berthLoggedBefore) console.log(`  warning: Berth was already active before the click (status bar ${activeBefore}, log ${berthLoggedBefore})`);
    if ((await icon.getAttribute('aria-expanded')) === 'true') throw new Error('Berth view container already open before the click');

    await editor.page.evaluate(clickProbeScript());
    await icon.click();
    await editor.page.waitForFunction('window.__benchClick && window.__benchClick.done === true', undefined, { timeout: ROW_TIMEOUT_MS, polling: 100 });
    const r = (await editor.page.evaluate('window.__benchClick')) as ClickResult;
    // Activation start, from the extension host log (server clock = this machine's clock).
    let activationStartMs: number | undefined;
    for (let k = 0; k < 20 && activationStartMs === undefined; k++) {
      const at = logTime(readLog(editor), /_doActivateExtension berth\.berth\b/);
      if (at !== undefined) activationStartMs = at - r.clickEpoch;
      else await sleep(100);
    }
    const sample: ClickSample = {
      ms: r.rowAt - r.clickAt,
      statusMs: r.statusAt !== undefined ? r.statusAt - r.clickAt : undefined,
      activationStartMs,
      firstRow: r.rowLabel,
      hostUpWaitMs,
      startMs,
    };
    console.log(
      `  (a) sample ${i + 1}: click -> first row ${round(sample.ms)} ms` +
        ` [Berth activation started +${activationStartMs !== undefined ? Math.round(activationStartMs) : '?'} ms (log, 1 ms resolution),` +
        ` status bar item +${sample.statusMs !== undefined ? round(sample.statusMs) : '?'} ms, first row "${r.rowLabel}"]` +
        ` (editor up in ${round(startMs / 1000)} s, then ${round(hostUpWaitMs / 1000)} s until the extension host was up and quiet)`,
    );
    if (!keep) await stopCurrent();
    return { sample, editor: keep ? editor : undefined };
  } catch (err) {
    await stopCurrent();
    throw err;
  }
}

interface RunSample {
  ms: number;
  runningMs?: number;
  apiMs: number;
}

async function runSample(editor: Editor, client: EngineClient, name: string): Promise<RunSample> {
  await editor.page.evaluate(runProbeScript(name));
  const t0 = Date.now();
  await runContainer(client, name);
  const apiMs = Date.now() - t0;
  const handle = await editor.page.waitForFunction('window.__benchRun.rowAt', undefined, { timeout: RUN_ROW_TIMEOUT_MS, polling: 50 });
  const rowAt = (await handle.jsonValue()) as number;
  // The running icon usually follows within one refresh (the list paced after the create event).
  let runningAt: number | undefined;
  try {
    runningAt = (await (
      await editor.page.waitForFunction('window.__benchRun.runningAt', undefined, { timeout: 5_000, polling: 50 })
    ).jsonValue()) as number;
  } catch {
    /* reported as "?" */
  }
  return { ms: rowAt - t0, runningMs: runningAt !== undefined ? runningAt - t0 : undefined, apiMs };
}

/** Why dist/berth.vsix may not hold the current code: a src/ file newer than it, or a manifest that differs beyond scripts. */
function staleVsix(): string | undefined {
  const vsix = path.join(REPO, 'dist/berth.vsix');
  if (!fs.existsSync(vsix)) return undefined; // Editor.start reports it missing
  const built = fs.statSync(vsix).mtimeMs;
  const newer = (dir: string): string | undefined => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const f = e.isDirectory() ? newer(p) : fs.statSync(p).mtimeMs > built ? p : undefined;
      if (f) return f;
    }
    return undefined;
  };
  const src = newer(path.join(REPO, 'src'));
  if (src) return `${path.relative(REPO, src)} changed after it was built`;
  const packed = spawnSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' });
  if (packed.status !== 0) return undefined;
  const strip = (text: string) => {
    const { scripts: _s, devDependencies: _d, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  try {
    if (strip(packed.stdout) !== strip(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'))) return 'its package.json differs from the repo\'s';
  } catch {
    /* unreadable: say nothing */
  }
  return undefined;
}

runBench('editor', async ({ client, onTeardown }) => {
  // Before any container: a missing code-server, Node 24, chromium or VSIX fails the bench with its cause.
  const missing = editorMissing();
  if (missing) throw new Error(`editor not provisioned: ${missing}`);
  const stale = staleVsix();
  if (stale) console.log(`warning: dist/berth.vsix may be stale (${stale}): run \`npm run package\` to measure the current code`);

  // Teardowns run in reverse order: stop the editor (one still starting: once it is up), then let creations in flight land.
  onTeardown(async () => {
    stopping = true;
    await Promise.race([Promise.allSettled([...pendingCreates]), sleep(30_000)]);
  });
  onTeardown(() => stopCurrent());

  // (a) ----------------------------------------------------------------------
  const seed = `berth-bench-${runId}-z-seed`;
  await runContainer(client, seed);
  console.log(`(a) click on Berth's activity-bar icon -> first Containers row; ${CLICK_SAMPLES} cold samples, each in a fresh editor (container ${seed} exists)`);
  const clicks: ClickSample[] = [];
  let editor: Editor | undefined;
  for (let i = 0; i < CLICK_SAMPLES; i++) {
    if (stopping) throw new Error('interrupted');
    const { sample, editor: kept } = await clickSample(i, i === CLICK_SAMPLES - 1);
    clicks.push(sample);
    editor = kept;
  }
  const clickMed = median(clicks.map((s) => s.ms));
  console.log(`(a) median ${round(clickMed)} ms over ${clicks.map((s) => round(s.ms)).join(', ')} ms (Container Tools 2.4.5: ${CT_CLICK_MS} ms; bar <= ${CLICK_BAR_MS} ms)`);

  // (b) ----------------------------------------------------------------------
  if (!editor) throw new Error('no editor kept for (b)');
  console.log(`(b) docker run (create + start via the API) -> row in the Containers view; ${RUN_SAMPLES} samples, ${GAP_MS} ms apart`);
  await sleep(GAP_MS);
  const runs: RunSample[] = [];
  for (let i = 0; i < RUN_SAMPLES; i++) {
    if (stopping) throw new Error('interrupted');
    // Names sort before the earlier ones (and the seed), so the new row is near the top of the list, inside the viewport.
    const name = `berth-bench-${runId}-r${RUN_SAMPLES - i}`;
    const s = await runSample(editor, client, name);
    runs.push(s);
    console.log(
      `  (b) sample ${i + 1}: docker run -> row ${s.ms} ms [create+start API calls ${s.apiMs} ms; running icon at ${s.runningMs ?? '?'} ms] (${name})`,
    );
    await sleep(GAP_MS);
  }
  const runMed = median(runs.map((s) => s.ms));
  console.log(`(b) median ${round(runMed)} ms over ${runs.map((s) => s.ms).join(', ')} ms (Container Tools 2.4.5: ${CT_RUN_MS} ms; bar <= ${RUN_BAR_MS} ms)`);

  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await editor.page.screenshot({ path: SCREENSHOT });
  console.log(`screenshot: ${path.relative(REPO, SCREENSHOT)}`);

  console.log('');
  console.log('                              Berth        Container Tools 2.4.5   bar');
  console.log(`  click -> first row (median) ${String(round(clickMed)).padStart(7)} ms   ${String(CT_CLICK_MS).padStart(7)} ms              <= ${CLICK_BAR_MS} ms`);
  console.log(`  docker run -> row (median)  ${String(round(runMed)).padStart(7)} ms   ${String(CT_RUN_MS).padStart(7)} ms              <= ${RUN_BAR_MS} ms`);

  const runningMs = runs.map((s) => s.runningMs).filter((x): x is number => x !== undefined);
  return {
    figures: {
      clickToFirstRowMs: clicks.map((s) => round(s.ms)),
      clickToFirstRowMedianMs: round(clickMed),
      clickToStatusBarMs: clicks.map((s) => (s.statusMs !== undefined ? round(s.statusMs) : null)),
      clickToActivationStartMs: clicks.map((s) => (s.activationStartMs !== undefined ? Math.round(s.activationStartMs) : null)),
      runToRowMs: runs.map((s) => s.ms),
      runToRowMedianMs: round(runMed),
      runToRunningIconMedianMs: runningMs.length ? round(median(runningMs)) : null,
      containerToolsClickMs: CT_CLICK_MS,
      containerToolsRunMs: CT_RUN_MS,
    },
    checks: [
      ['click to first row median', `${round(clickMed)} ms`, `≤ ${CLICK_BAR_MS} ms`, clickMed <= CLICK_BAR_MS],
      ['docker run to row median', `${round(runMed)} ms`, `≤ ${RUN_BAR_MS} ms`, runMed <= RUN_BAR_MS],
      ['Container Tools 2.4.5', `${CT_CLICK_MS} ms / ${CT_RUN_MS} ms`, '', true],
    ],
  };
});
