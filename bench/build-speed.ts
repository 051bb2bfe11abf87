// Build speed against the docker CLI (issue 10): a 20,000-file context (after
// .dockerignore) built from scratch, then rebuilt with nothing changed, by
// Berth and by Debian's docker CLI 20.10 with DOCKER_BUILDKIT=1 on the same engine.
//
// Run: node --import tsx bench/build-speed.ts   (or npm run bench -- build-speed)
//   BERTH_BENCH_ROUNDS (default 7), BERTH_BENCH_DOCKER (default /usr/bin/docker, must be
//   20.10), BERTH_BENCH_TIMELINE=1 prints each Berth build's events with their times.
//
// Berth runs in-process through buildImage(), as the extension runs it, with a
// new EngineClient per build (so its /_ping and version negotiation are timed,
// as the CLI's are). The CLI is spawned (/usr/bin/docker build, argument
// array); its process start is part of its wall time, as it is for its users.
//
// Fairness, and what "from scratch" means here. Both tools open a BuildKit
// session with a shared key derived from the context's absolute path (the CLI:
// sha256(node id + path), Berth: sha256("berth:" + path)), and BuildKit keeps,
// per shared key, a snapshot of what it received last time (source/local:
// the "local source for context" record): a later sync only asks for the files
// whose stat changed. `--no-cache` does not touch that snapshot. So a build
// of the same folder after a first one transfers only stats, whatever the
// options. Each round therefore renames the context folder to a new path (a
// rename: the same files, still in the page cache) before its two scratch
// builds: both tools then get a shared key BuildKit has never seen, start from
// an empty snapshot and receive every byte. A scratch build also passes
// --no-cache, a fresh BUST build arg (used by the RUN) and a fresh label.
// The no-change rebuilds follow in the same round at the same path, with the
// same options as a primed build before the rounds: every step is cached and
// the sync is a stat walk against the snapshot the scratch build left.
// Each tool's builds use its own images, tags and snapshot; the order of the
// two tools alternates by round; the figures are medians over the rounds.
//
// Transfer share: the engine's own timing of the `[internal] load build
// context` vertex for both tools (Berth reads it from the status stream, the
// CLI prints it with --progress=plain as `#N DONE 1.2s`), and Berth's own
// figure from its `transfer` event (the DiffCopy call, first STAT to FIN).
//
// Cleanup: the images this run built (by id) and the build-cache records it
// left (BuildKit records created during the run that are ours: the local
// snapshots of our context, by size, and the steps naming this run's id).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage } from '../src/core/build/buildImage';
import type { BuildProgress } from '../src/core/build/buildTypes';
import { readBuildContext } from '../src/core/buildcontext/buildContext';
import type { EngineClient } from '../src/core/engine/client';
import { seededRandom } from './support/random';
import { DOCKER_SOCKET, makeClient, median, nowMs, round, runBench, runId, type Check } from './support';

const DOCKER = process.env.BERTH_BENCH_DOCKER ?? '/usr/bin/docker';
const FILES = 20_000;
const ROUNDS = Number(process.env.BERTH_BENCH_ROUNDS ?? 7);
const LOAD_CONTEXT = '[internal] load build context';

type Tool = 'berth' | 'cli';
interface Sample {
  wallMs: number;
  /** The engine's duration of `[internal] load build context`. */
  engineTransferMs?: number;
  /** Berth's own: the context DiffCopy call, first STAT to FIN. */
  ownTransferMs?: number;
  bytes?: number;
  sentFiles?: number;
  imageId: string;
  cachedSteps?: number;
  /** The engine's duration of each step (vertex name -> ms), for the breakdown. */
  steps: Map<string, number>;
}

// ---- the context ----
/** Writes the context: FILES files after .dockerignore (Dockerfile and .dockerignore included), plus ignored folders. */
function makeContext(dir: string): { bytes: number; buildFiles: number[] } {
  const { rand } = seededRandom(20_000);
  const text = randomBytes(3 << 20).toString('base64'); // source-like filler, sliced
  const blob = randomBytes(2 << 20);
  let bytes = 0;
  const write = (rel: string, data: Buffer | string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, data);
  };
  const slice = (n: number) => {
    const at = Math.floor(rand() * (text.length - n));
    return text.slice(at, at + n);
  };
  const dockerfile = ['FROM busybox:1.35', 'ARG BUST', 'COPY . /app', `RUN ls -lR /app | wc -l && echo "berth-bench-${runId} $BUST"`, ''].join('\n');
  const ignore = ['.git', 'node_modules', '**/*.tmp', ''].join('\n');
  write('Dockerfile', dockerfile);
  write('.dockerignore', ignore);
  bytes += dockerfile.length + ignore.length;
  const exts = ['ts', 'ts', 'ts', 'js', 'json', 'md', 'css', 'html', 'svg', 'txt'];
  let made = 2;
  // 25 packages x 8 folders x up to 100 files, some one level deeper.
  outer: for (let p = 0; ; p++) {
    for (let f = 0; f < 8; f++) {
      for (let i = 0; i < 100; i++) {
        if (made >= FILES) break outer;
        const deep = i % 10 === 9 ? `/impl${i % 3}` : '';
        const r = rand();
        let rel: string;
        let data: Buffer | string;
        if (r < 0.001) {
          rel = `packages/pkg${p}/assets${deep}/blob${i}.bin`;
          data = blob.subarray(0, 256 * 1024 + Math.floor(rand() * 768 * 1024));
        } else if (r < 0.02) {
          rel = `packages/pkg${p}/mod${f}${deep}/data${i}.json`;
          data = slice(16 * 1024 + Math.floor(rand() * 48 * 1024));
        } else if (r < 0.1) {
          rel = `packages/pkg${p}/mod${f}${deep}/big${i}.${exts[i % exts.length]}`;
          data = slice(4096 + Math.floor(rand() * 12 * 1024));
        } else {
          rel = `packages/pkg${p}/mod${f}${deep}/file${i}.${exts[i % exts.length]}`;
          data = slice(100 + Math.floor(rand() * 3000));
        }
        write(rel, data);
        bytes += data.length;
        made++;
      }
    }
  }
  // What .dockerignore leaves out: a node_modules of 10,000 files, a .git, stray *.tmp.
  for (let i = 0; i < 10_000; i++) write(`node_modules/dep${i % 200}/lib/f${i}.js`, slice(200 + Math.floor(rand() * 2000)));
  for (let i = 0; i < 500; i++) write(`.git/objects/${(i % 256).toString(16).padStart(2, '0')}/o${i}`, slice(100 + Math.floor(rand() * 1000)));
  for (let i = 0; i < 50; i++) write(`packages/pkg${i % 5}/scratch${i}.tmp`, slice(500));
  return { bytes, buildFiles: [dockerfile.length, ignore.length] };
}

// ---- the two tools ----
async function berthBuild(dir: string, opts: { noCache: boolean; bust: string; label: string; tag: string }): Promise<Sample> {
  const events: BuildProgress[] = [];
  const times: number[] = [];
  const t0 = nowMs();
  const client = makeClient();
  try {
    const r = await buildImage(
      client,
      { context: dir, noCache: opts.noCache, buildArgs: { BUST: opts.bust }, labels: { 'berth.bench': runId, 'berth.bench.build': opts.label }, tags: [opts.tag] },
      { onProgress: (p) => (events.push(p), times.push(nowMs() - t0)) },
    );
    const wallMs = nowMs() - t0;
    if (process.env.BERTH_BENCH_TIMELINE) {
      const marks = events.map((e, i) => (e.kind === 'vertex' && e.state !== 'started' ? `${Math.round(times[i])} ${e.state} ${e.name.slice(0, 24)} ${e.durationMs}` : e.kind === 'vertex' ? `${Math.round(times[i])} start ${e.name.slice(0, 24)}` : e.kind === 'builder' || e.kind === 'transfer' ? `${Math.round(times[i])} ${e.kind}` : '')).filter(Boolean);
      console.log(`  timeline: ${marks.join(' | ')} | ${Math.round(wallMs)} end`);
    }
    const steps = new Map<string, number>();
    for (const e of events) if (e.kind === 'vertex' && e.durationMs !== undefined) steps.set(e.name, e.durationMs);
    // The last completion: BuildKit may report the vertex done at once, then start it again for the sync.
    const load = events.filter((e) => e.kind === 'vertex' && e.name === LOAD_CONTEXT && (e.state === 'completed' || e.state === 'cached')).pop();
    // The last sync of `context` is the context itself (the first one, narrowed to .dockerignore, sends that file alone).
    const sent = events.filter((e): e is Extract<BuildProgress, { kind: 'transfer' }> => e.kind === 'transfer' && e.local === 'context').pop();
    return {
      wallMs,
      engineTransferMs: load?.kind === 'vertex' ? load.durationMs : undefined,
      ownTransferMs: sent?.ms,
      bytes: sent?.bytes,
      sentFiles: sent?.files,
      imageId: r.imageId,
      cachedSteps: r.cachedSteps,
      steps,
    };
  } finally {
    client.dispose();
  }
}

function cliBuild(dir: string, opts: { noCache: boolean; bust: string; label: string; tag: string }, iidDir: string): Promise<Sample> {
  const iid = path.join(iidDir, `iid-${randomBytes(4).toString('hex')}`);
  const args = ['build', '--progress=plain', ...(opts.noCache ? ['--no-cache'] : []), '--build-arg', `BUST=${opts.bust}`, '--label', `berth.bench=${runId}`, '--label', `berth.bench.build=${opts.label}`, '-t', opts.tag, '--iidfile', iid, dir];
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = spawn(DOCKER, args, { env: { ...process.env, DOCKER_BUILDKIT: '1', DOCKER_HOST: `unix://${DOCKER_SOCKET}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = nowMs() - t0;
      if (code !== 0) return reject(new Error(`docker build exited ${code}: ${out.split('\n').slice(-15).join('\n')}`));
      // #5 [internal] load build context ... #5 DONE 1.2s  (or #5 CACHED)
      const step = new RegExp(`^#(\\d+) ${LOAD_CONTEXT.replace(/[[\]]/g, '\\$&')}$`, 'm').exec(out)?.[1];
      // The last DONE of that step (it may be printed done at once, then again after the sync).
      const done = step ? [...out.matchAll(new RegExp(`^#${step} DONE ([\\d.]+)s$`, 'gm'))].pop() : undefined;
      const bytesLine = step ? new RegExp(`^#${step} transferring context: ([\\d.]+)([kMG]?B)`, 'gm') : null;
      let bytes: number | undefined;
      for (let m = bytesLine?.exec(out); m; m = bytesLine!.exec(out)) bytes = Number(m[1]) * ({ B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[2]] ?? 1);
      const steps = new Map<string, number>();
      const names = new Map<string, string>();
      for (const m of out.matchAll(/^#(\d+) (.*)$/gm)) {
        const d = /^DONE ([\d.]+)s$/.exec(m[2]);
        if (d && names.has(m[1])) steps.set(names.get(m[1])!, Number(d[1]) * 1000);
        else if (!names.has(m[1])) names.set(m[1], m[2]);
      }
      resolve({ wallMs, engineTransferMs: done ? Number(done[1]) * 1000 : undefined, bytes, imageId: fs.readFileSync(iid, 'utf8').trim(), steps });
    });
  });
}

// ---- cleanup ----
interface CacheRecord {
  ID: string;
  Type: string;
  Description: string;
  InUse: boolean;
  Size: number;
  CreatedAt: string;
}
const cacheRecords = (client: EngineClient) => client.request<{ BuildCache?: CacheRecord[] }>('GET', '/system/df', 'disk usage', { timeoutMs: 120_000 }).then((r) => r.BuildCache ?? []);

runBench('build-speed', async ({ client, onTeardown }) => {
  const startedAt = Date.now();
  const before = new Set((await cacheRecords(client)).map((r) => r.ID));
  const version = await new Promise<string>((resolve) => {
    const c = spawn(DOCKER, ['version', '--format', '{{.Client.Version}}'], { env: { ...process.env, DOCKER_HOST: `unix://${DOCKER_SOCKET}` } });
    let s = '';
    c.stdout.on('data', (d: Buffer) => (s += d.toString()));
    c.once('error', () => resolve('missing'));
    c.once('close', () => resolve(s.trim() || 'unknown'));
  });
  if (!/^20\.10\./.test(version)) throw new Error(`${DOCKER} is docker ${version}, not the 20.10 CLI this bench compares with (set BERTH_BENCH_DOCKER)`);
  console.log(`docker CLI ${version} (${DOCKER}), DOCKER_BUILDKIT=1`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-build-'));
  const images = new Set<string>();
  let ctxBytes = 0;
  let buildFileSizes = [-1, -1];
  onTeardown(async () => {
    let gone = 0;
    for (const id of images) {
      await client.request('DELETE', `/images/${id}`, 'remove bench image', { query: { force: true }, timeoutMs: 60_000 }).catch((e: Error & { status?: number }) => {
        // Already gone (an image re-built with the same id, or pruned meanwhile) is fine.
        if (/no such image/i.test(e.message) || e.status === 404) gone++;
        else console.error(`cleanup: image ${id.slice(7, 19)}: ${e.message}`);
      });
    }
    // Build-cache records of this run: new since it started, not in use, and ours by what they hold:
    // the snapshots of our context (its size: the local source and the COPY's result), of our
    // Dockerfile and .dockerignore (their sizes), the RUN's (it names the run id).
    const near = (size: number, want: number) => want > 0 && Math.abs(size - want) <= want * 0.05;
    const ours = (await cacheRecords(client).catch(() => [])).filter(
      (r) =>
        !before.has(r.ID) &&
        !r.InUse &&
        Date.parse(r.CreatedAt) >= startedAt - 1000 &&
        (r.Description.includes(`berth-bench-${runId}`) ||
          (r.Type === 'source.local' && (near(r.Size, ctxBytes) || r.Size === buildFileSizes[0] || r.Size === buildFileSizes[1])) ||
          (r.Type === 'regular' && r.Description === 'fileop target' && near(r.Size, ctxBytes))),
    );
    // BuildKit keeps a record while a child (the RUN's result on the COPY's) exists: a few passes,
    // counting what it says it deleted.
    let pruned = 0;
    let left = ours.map((r) => r.ID);
    for (let pass = 0; pass < 4 && left.length; pass++) {
      const next: string[] = [];
      for (const id of left) {
        const r = await client
          .request<{ CachesDeleted?: string[] | null }>('POST', '/build/prune', 'prune a bench cache record', { query: { filters: JSON.stringify({ id: [`^${id}$`] }) }, timeoutMs: 120_000 })
          .catch((e: Error) => (console.error(`cleanup: cache ${id}: ${e.message}`), undefined));
        if (r?.CachesDeleted?.length) pruned++;
        else next.push(id);
      }
      if (next.length === left.length) break;
      left = next;
    }
    fs.rmSync(work, { recursive: true, force: true });
    console.log(`cleanup: removed ${images.size - gone} image(s) (${gone} already gone), ${pruned} build-cache record(s)${left.length ? ` (${left.length} kept by the engine)` : ''}, ${work}`);
  });

  let dir = path.join(work, 'ctx-0');
  const t0 = nowMs();
  ({ bytes: ctxBytes, buildFiles: buildFileSizes } = makeContext(dir));
  const walk = (await readBuildContext(dir)).walk;
  const files = walk.entries.filter((e) => e.kind === 'file').length;
  console.log(`context: ${files} files, ${walk.entries.length - files} folders, ${round(ctxBytes / 2 ** 20)} MiB after .dockerignore (${walk.excluded.length} exclusions); written in ${round((nowMs() - t0) / 1000)} s`);
  if (files !== FILES) throw new Error(`the context has ${files} files after .dockerignore, not ${FILES}`);

  const tags = { berth: `berth-bench/build-speed-berth:${runId}`, cli: `berth-bench/build-speed-cli:${runId}` };
  const build = async (tool: Tool, kind: 'scratch' | 'rebuild', round_: number): Promise<Sample> => {
    const opts = kind === 'scratch'
      ? { noCache: true, bust: `${runId}-${tool}-${round_}-${randomBytes(4).toString('hex')}`, label: `scratch-${round_}`, tag: tags[tool] }
      : { noCache: false, bust: `${runId}-${tool}-rebuild`, label: 'rebuild', tag: tags[tool] };
    // The last build's dirty pages (its layers) are flushed before the next build starts, not during it.
    spawnSync('sync');
    const s = tool === 'berth' ? await berthBuild(dir, opts) : await cliBuild(dir, opts, work);
    images.add(s.imageId);
    return s;
  };

  // Warm-up (not counted): a scratch build and the primed rebuild options for each tool.
  for (const tool of ['berth', 'cli'] as const) {
    const a = await build(tool, 'scratch', -1);
    const b = await build(tool, 'rebuild', -1);
    console.log(`warm-up ${tool}: scratch ${round(a.wallMs)} ms, primed rebuild ${round(b.wallMs)} ms`);
  }

  const samples: Record<Tool, Record<'scratch' | 'rebuild', Sample[]>> = { berth: { scratch: [], rebuild: [] }, cli: { scratch: [], rebuild: [] } };
  for (let r = 0; r < ROUNDS; r++) {
    // A new path: a shared key BuildKit has never seen, for both tools (see the header).
    const next = path.join(work, `ctx-${r + 1}`);
    fs.renameSync(dir, next);
    dir = next;
    const order: Tool[] = r % 2 === 0 ? ['berth', 'cli'] : ['cli', 'berth'];
    for (const kind of ['scratch', 'rebuild'] as const) {
      for (const tool of order) {
        const s = await build(tool, kind, r);
        samples[tool][kind].push(s);
        const step = (re: RegExp) => [...s.steps].find(([n]) => re.test(n))?.[1];
        const parts = ([['copy', /\] COPY /], ['run', /\] RUN /], ['export', /^exporting/]] as const).map(([k, re]) => `${k} ${step(re) ?? '-'}`).join(', ');
        const share = s.engineTransferMs !== undefined ? ` (load build context ${round(s.engineTransferMs)} ms${s.ownTransferMs !== undefined ? `, own ${round(s.ownTransferMs)} ms` : ''})` : '';
        console.log(`round ${r + 1} ${kind.padEnd(7)} ${tool.padEnd(5)} ${String(round(s.wallMs)).padStart(8)} ms${share}${s.bytes !== undefined ? ` ${round(s.bytes / 2 ** 20)} MiB` : ''}${s.sentFiles !== undefined ? ` ${s.sentFiles} files sent` : ''}; ${parts}`);
      }
    }
  }

  const med = (xs: Sample[], f: (s: Sample) => number | undefined) => {
    const v = xs.map(f).filter((x): x is number => x !== undefined);
    return v.length ? median(v) : undefined;
  };
  const row = (tool: Tool) => {
    const sc = samples[tool].scratch;
    const rb = samples[tool].rebuild;
    const wall = med(sc, (s) => s.wallMs)!;
    const rewall = med(rb, (s) => s.wallMs)!;
    const xfer = med(sc, (s) => s.engineTransferMs);
    const own = med(sc, (s) => s.ownTransferMs);
    const rexfer = med(rb, (s) => s.engineTransferMs);
    return { wall, rewall, xfer, own, rexfer };
  };
  const b = row('berth');
  const c = row('cli');
  const pct = (part: number | undefined, whole: number) => (part === undefined ? 'n/a' : `${Math.round((100 * part) / whole)}%`);
  const ms = (x: number | undefined) => (x === undefined ? 'n/a' : `${Math.round(x)}`);
  console.log(`\nmedians over ${ROUNDS} rounds, ${FILES} files, ${round(ctxBytes / 2 ** 20)} MiB (transfer = the engine's "${LOAD_CONTEXT}"; Berth's own DiffCopy time in brackets)`);
  console.log('tool    scratch ms  transfer ms  share       | rebuild ms  transfer ms  share');
  for (const [name, r] of [['berth', b], ['cli', c]] as const) {
    const own = name === 'berth' ? ` (${ms(r.own)}, ${pct(r.own, r.wall)})` : '';
    console.log(`${name.padEnd(6)}  ${ms(r.wall).padStart(10)}  ${ms(r.xfer).padStart(11)}  ${pct(r.xfer, r.wall).padEnd(4)}${own.padEnd(14)} | ${ms(r.rewall).padStart(10)}  ${ms(r.rexfer).padStart(11)}  ${pct(r.rexfer, r.rewall)}`);
  }
  const checks: Check[] = [
    [`berth scratch ms (cli ${ms(c.wall)})`, Math.round(b.wall), `<= cli ${ms(c.wall)}`, b.wall <= c.wall],
    [`berth rebuild ms (cli ${ms(c.rewall)})`, Math.round(b.rewall), `<= cli ${ms(c.rewall)}`, b.rewall <= c.rewall],
    ['berth context transfer share', `${pct(b.xfer, b.wall)} (cli ${pct(c.xfer, c.wall)})`, '', true],
  ];
  return { figures: { files: FILES, mib: round(ctxBytes / 2 ** 20), rounds: ROUNDS, berth: b, cli: c }, checks };
});
