// bench/lint-fuzz: 100,000 random and mutated Dockerfiles (seeded from the
// hadolint and BuildKit corpora) through the linter: no exception, p99 ≤ 20 ms.
//   npx tsx bench/lint-fuzz.ts [count]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { lintDockerfile } from '../src/core/dockerfile/linter';
import { quantile, seededRandom } from './support/random';

const COUNT = Number(process.argv[2] ?? 100_000);
const SHARED = process.env.BERTH_SHARED ?? path.resolve(__dirname, '../../shared');
const seeds = ['hadolint-cases.jsonl', 'buildkit-check-cases.jsonl'].flatMap((f) =>
  fs
    .readFileSync(path.join(SHARED, 'conformance', f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { dockerfile: string }).dockerfile),
);

const { rand, pick } = seededRandom(0x9e3779b9);
const TOKENS = ['\\\n', '`', '<<EOF\n', 'EOF\n', '"', "'", '${', '}', '$(', '[', ']', '--from=', '--mount=type=cache', '\n', '\r\n', '#', ' AS ', 'ONBUILD ', '=', '\t', '\u0000', '\u00e9', '😀', '&&', '|', ';'];
const KEYWORDS = ['FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'USER', 'WORKDIR', 'CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER', 'STOPSIGNAL', 'VOLUME', 'from', 'Run'];

function mutate(text: string): string {
  let t = text;
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (t.length + 1));
    switch (Math.floor(rand() * 5)) {
      case 0:
        t = t.slice(0, at) + pick(TOKENS) + t.slice(at);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 10));
        break;
      case 2:
        t = t.slice(0, at) + `\n${pick(KEYWORDS)} ` + t.slice(at);
        break;
      case 3:
        t = t + pick(seeds).slice(0, Math.floor(rand() * 200));
        break;
      default:
        t = t.slice(0, at) + t.slice(at).split('\n').reverse().join('\n');
    }
  }
  return t;
}

function random(): string {
  const len = Math.floor(rand() * 300);
  let s = '';
  for (let i = 0; i < len; i++) s += rand() < 0.3 ? pick(TOKENS) : rand() < 0.2 ? `${pick(KEYWORDS)} ` : String.fromCharCode(32 + Math.floor(rand() * 95));
  return s;
}

const times: number[] = [];
let exceptions = 0;
let slowest = { ms: 0, index: -1 };
for (let i = 0; i < COUNT; i++) {
  const text = i % 4 === 0 ? random() : mutate(pick(seeds));
  const t = performance.now();
  try {
    lintDockerfile(text);
  } catch (err) {
    exceptions++;
    if (exceptions <= 5) console.log(`exception on input ${i}: ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}\n  ${JSON.stringify(text).slice(0, 300)}`);
  }
  const ms = performance.now() - t;
  times.push(ms);
  if (ms > slowest.ms) slowest = { ms, index: i };
}
times.sort((a, b) => a - b);
const p = (q: number) => quantile(times, q);
console.log(`${COUNT} inputs (1/4 random, 3/4 mutated corpus files): ${exceptions} exceptions; p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${slowest.ms.toFixed(1)} ms (input ${slowest.index})`);
const pass = exceptions === 0 && p(0.99) <= 20;
if (!pass) console.log('BAR MISSED');
console.log(`RESULT lint-fuzz ${JSON.stringify({ inputs: COUNT, exceptions, p50Ms: p(0.5), p99Ms: p(0.99), maxMs: +slowest.ms.toFixed(1), pass })}`);
