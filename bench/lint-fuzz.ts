// bench/lint-fuzz: 100,000 random and mutated Dockerfiles (seeded from the
// hadolint and BuildKit corpora) through the linter.
// Bars: 0 crashes, p99 ≤ 20 ms. A crash is an exception out of lintDockerfile or
// a BR0000 finding: the linter catches an exception thrown by a rule and reports
// it as BR0000 ("Berth rule X failed on this file"), so a throwing rule never
// reaches the try/catch here.
//   npx tsx bench/lint-fuzz.ts [count]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { lintDockerfile } from '../src/core/dockerfile/linter';
import type { Finding } from '../src/core/dockerfile/types';
import { quantile, seededRandom } from './support/random';
import { result } from './support/result';

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
let ruleFailures = 0;
const failedRules = new Map<string, number>();
let slowest = { ms: 0, index: -1 };
const show = (what: string, i: number, text: string) => console.log(`${what} on input ${i}\n  ${JSON.stringify(text).slice(0, 300)}`);
for (let i = 0; i < COUNT; i++) {
  const text = i % 4 === 0 ? random() : mutate(pick(seeds));
  const t = performance.now();
  let findings: Finding[] = [];
  try {
    findings = lintDockerfile(text);
  } catch (err) {
    exceptions++;
    if (exceptions + ruleFailures <= 5) show(`exception ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}`, i, text);
  }
  const ms = performance.now() - t;
  times.push(ms);
  if (ms > slowest.ms) slowest = { ms, index: i };
  for (const f of findings) {
    if (f.code !== 'BR0000') continue;
    ruleFailures++;
    const rule = /Berth rule (\S+)/.exec(f.message)?.[1] ?? '?';
    failedRules.set(rule, (failedRules.get(rule) ?? 0) + 1);
    if (exceptions + ruleFailures <= 5) show(`BR0000 (${f.message})`, i, text);
  }
}
times.sort((a, b) => a - b);
const p = (q: number) => quantile(times, q);
const crashes = exceptions + ruleFailures;
console.log(`${COUNT} inputs (1/4 random, 3/4 mutated corpus files): p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${slowest.ms.toFixed(1)} ms (input ${slowest.index})`);
console.log(
  `crashes: ${crashes} = ${exceptions} exception(s) out of lintDockerfile + ${ruleFailures} BR0000 finding(s) (a rule threw)${failedRules.size ? `: ${[...failedRules].map(([r, n]) => `${r} ×${n}`).join(', ')}` : ''}`,
);
result('lint-fuzz', [
  ['crashes', crashes, '= 0', crashes === 0],
  ['p99', `${p(0.99)} ms`, '≤ 20 ms', p(0.99) <= 20],
  ['inputs', COUNT, '', true],
  ['p50', `${p(0.5)} ms`, '', true],
  ['max', `${slowest.ms.toFixed(1)} ms`, '', true],
]);
