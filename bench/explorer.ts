// Explorer list cost with 1,000 containers: raw engine call vs Berth's path.
//
// Run (with the heap figure):   node --expose-gc --import tsx bench/explorer.ts
// Run (heap figure "n/a"):      npx tsx bench/explorer.ts
//
// Creates 1,000 containers (created, not started, labelled berth.bench=<runId>),
// then alternates, 2 warm-ups + 15 samples each:
//   (a) raw: GET /v<api>/containers/json?all=1 with node:http over the unix
//       socket, until the body is received and JSON.parsed;
//   (b) Berth: listResources(client, 'containers') + containerTree(records,
//       'compose'), until the tree rows exist.
// Bars: median(b)/median(a) <= 1.3; heap added by holding the records + tree
// (after gc) <= 30 MB (only checked when global.gc is available).
import * as http from 'node:http';
import { listResources } from '../src/core/engine/resources';
import { containerTree } from '../src/core/explorer/containerNodes';
import type { ExplorerNode } from '../src/core/explorer/node';
import { createContainer, DOCKER_SOCKET, IN_FLIGHT, LABEL, median, nowMs, percentile, pool, round, runBench, runId } from './support';

const COUNT = Number(process.env.BERTH_BENCH_CONTAINERS ?? 1000);
const WARMUPS = 2;
const SAMPLES = 15;
const RATIO_BAR = 1.3;
const HEAP_BAR_MB = 30;

function rawList(path: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: DOCKER_SOCKET, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[]);
        } catch (e) {
          reject(e);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const countRows = (nodes: readonly ExplorerNode[]): number => nodes.reduce((n, x) => n + 1 + (x.children ? countRows(x.children) : 0), 0);

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

runBench('explorer', async ({ client }) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const info = await client.connect();
  const rawPath = `/v${info.pinnedApiVersion}/containers/json?all=1`;

  const t0 = nowMs();
  let done = 0;
  const progress = setInterval(() => process.stdout.write(`  creating... ${done}/${COUNT}\n`), 5000);
  try {
    const names = Array.from({ length: COUNT }, (_, i) => `berth-bench-${runId}-x-${String(i).padStart(4, '0')}`);
    await pool(names, IN_FLIGHT, (name) => createContainer(client, name).then(() => void done++));
  } finally {
    clearInterval(progress);
  }
  const createSec = (nowMs() - t0) / 1000;
  console.log(`created ${COUNT} containers in ${round(createSec)} s (${round(COUNT / createSec)}/s, 8 in flight)`);

  // Heap: gc, then the first Berth list, holding the records and the tree.
  let heapAddedMB: number | 'n/a' = 'n/a';
  const held: unknown[] = [];
  {
    const before = gc ? heapAfterGc(gc) : 0;
    const records = await listResources(client, 'containers');
    const tree = containerTree(records, 'compose');
    held.push(records, tree);
    if (gc) heapAddedMB = round((heapAfterGc(gc) - before) / 2 ** 20, 2);
    const ours = records.filter((c) => c.Labels?.[LABEL] === runId).length;
    console.log(`engine lists ${records.length} containers (${ours} of this run); tree: ${tree.length} top-level rows, ${countRows(tree)} rows in all`);
    console.log(`heap added holding records + tree: ${heapAddedMB === 'n/a' ? 'n/a (run with node --expose-gc --import tsx)' : heapAddedMB + ' MB'}`);
  }

  const raw: number[] = [];
  const berth: number[] = [];
  let sink = 0;
  const sampleRaw = async () => {
    const s = nowMs();
    const list = await rawList(rawPath);
    const ms = nowMs() - s;
    sink += list.length;
    return ms;
  };
  const sampleBerth = async () => {
    const s = nowMs();
    const records = await listResources(client, 'containers');
    const tree = containerTree(records, 'compose');
    const ms = nowMs() - s;
    sink += tree.length;
    return ms;
  };
  for (let i = 0; i < WARMUPS + SAMPLES; i++) {
    // Alternate which path goes first, so neither always follows the other.
    const first = i % 2 === 0 ? sampleRaw : sampleBerth;
    const second = i % 2 === 0 ? sampleBerth : sampleRaw;
    const m1 = await first();
    const m2 = await second();
    const [a, b] = i % 2 === 0 ? [m1, m2] : [m2, m1];
    if (i < WARMUPS) {
      console.log(`warm-up ${i + 1}: raw ${round(a)} ms, berth ${round(b)} ms`);
      continue;
    }
    raw.push(a);
    berth.push(b);
    console.log(`sample ${String(i - WARMUPS + 1).padStart(2)}: raw ${round(a)} ms, berth ${round(b)} ms`);
  }
  if (sink === 0) console.log('(nothing listed)');

  const rawMed = median(raw);
  const berthMed = median(berth);
  const ratio = berthMed / rawMed;
  console.log(`raw   (a): median ${round(rawMed)} ms, p90 ${round(percentile(raw, 90))} ms`);
  console.log(`berth (b): median ${round(berthMed)} ms, p90 ${round(percentile(berth, 90))} ms`);
  console.log(`ratio b/a (medians): ${round(ratio, 2)} (bar <= ${RATIO_BAR})`);
  console.log(`heap added: ${heapAddedMB === 'n/a' ? 'n/a' : heapAddedMB + ' MB'} (bar <= ${HEAP_BAR_MB} MB${gc ? '' : ', not checked without --expose-gc'})`);
  held.length = 0;

  return {
    figures: {
      containers: COUNT,
      samples: SAMPLES,
      createSeconds: round(createSec),
      rawMedianMs: round(rawMed),
      rawP90Ms: round(percentile(raw, 90)),
      berthMedianMs: round(berthMed),
      berthP90Ms: round(percentile(berth, 90)),
      ratio: round(ratio, 2),
      heapAddedMB,
    },
    checks: [
      ['median ratio berth/raw', round(ratio, 2), `≤ ${RATIO_BAR}`, ratio <= RATIO_BAR],
      typeof heapAddedMB === 'number'
        ? ['heap added', `${heapAddedMB} MB`, `≤ ${HEAP_BAR_MB} MB`, heapAddedMB <= HEAP_BAR_MB]
        : ['heap added', 'n/a (not checked without node --expose-gc)', `≤ ${HEAP_BAR_MB} MB`, true],
      ['berth median', `${round(berthMed)} ms`, '', true],
      ['raw median', `${round(rawMed)} ms`, '', true],
      ['containers', COUNT, '', true],
    ],
  };
});
