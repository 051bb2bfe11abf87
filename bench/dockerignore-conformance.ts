// bench/dockerignore-conformance: Berth's .dockerignore reader and matcher
// against the verdicts of Docker's own code (../shared/conformance), as
// black-box data.
//   npx tsx bench/dockerignore-conformance.ts [--verbose]
// Three corpora:
//   dockerignore-cases.jsonl        {patterns, path, excluded, error?}: is the path left out
//                                   (or, with error, is the list rejected)?
//   dockerignore-divergences.jsonl  classic builder vs BuildKit; BuildKit's answer is `excluded`
//   dockerignore-parse-cases.jsonl  raw file text → the pattern list Docker builds
// Cases that carry the raw file text are also run through the reader first, so
// the reader and matcher are judged together there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreMatcher, parseDockerignore } from '../src/core/buildcontext/dockerignore';

interface MatchCase {
  patterns: string[];
  path: string;
  excluded: boolean;
  error?: boolean;
  dockerignore?: string;
  source?: string;
}
interface ParseCase {
  dockerignore: string;
  patterns: string[];
  source?: string;
}

const verbose = process.argv.includes('--verbose');
const SHARED = process.env.BERTH_SHARED ?? path.resolve(__dirname, '../../shared');
const read = <T>(name: string): T[] =>
  fs
    .readFileSync(path.join(SHARED, 'conformance', name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

const disagreements: string[] = [];
const tally = (key: string, label: string) => ({ key, label, ok: 0, total: 0 });

function judgeMatch(c: MatchCase, patterns: string[], via: string): boolean {
  const m = new IgnoreMatcher(patterns);
  const gotError = m.error !== undefined;
  const got = m.excludes(c.path);
  const ok = c.error ? gotError : !gotError && got === c.excluded;
  if (!ok) {
    const want = c.error ? 'an error' : `excluded=${c.excluded}`;
    const have = gotError ? `error (${m.error})` : `excluded=${got}`;
    disagreements.push(`[${via}] ${JSON.stringify(patterns)} ${JSON.stringify(c.path)}: want ${want}, got ${have} (${c.source ?? '?'})`);
  }
  return ok;
}

const matcher = tally('matcher', 'matcher (dockerignore-cases)');
for (const c of read<MatchCase>('dockerignore-cases.jsonl')) {
  matcher.total++;
  if (judgeMatch(c, c.patterns, 'match')) matcher.ok++;
}

const divergences = tally('divergences', 'BuildKit answer (divergences)');
for (const c of read<MatchCase>('dockerignore-divergences.jsonl')) {
  divergences.total++;
  if (judgeMatch(c, c.patterns, 'divergence')) divergences.ok++;
}

// The e2e cases keep the raw file: read it, then match with what the reader produced.
const endToEnd = tally('endToEnd', 'reader + matcher (cases with raw text)');
for (const c of read<MatchCase>('dockerignore-cases.jsonl')) {
  if (c.dockerignore === undefined) continue;
  endToEnd.total++;
  if (judgeMatch(c, parseDockerignore(c.dockerignore).patterns, 'end-to-end')) endToEnd.ok++;
}

const parse = tally('parse', 'reader (dockerignore-parse-cases)');
for (const c of read<ParseCase>('dockerignore-parse-cases.jsonl')) {
  parse.total++;
  const got = parseDockerignore(c.dockerignore).patterns;
  if (JSON.stringify(got) === JSON.stringify(c.patterns)) parse.ok++;
  else disagreements.push(`[parse] ${JSON.stringify(c.dockerignore)}: want ${JSON.stringify(c.patterns)}, got ${JSON.stringify(got)} (${c.source ?? '?'})`);
}

const groups = [matcher, divergences, endToEnd, parse];
const pct = (ok: number, total: number) => (total ? +((100 * ok) / total).toFixed(1) : 100);
for (const g of groups) console.log(`${g.label.padEnd(42)} ${String(g.ok).padStart(4)}/${String(g.total).padEnd(4)} ${pct(g.ok, g.total)}%`);
const ok = groups.reduce((n, g) => n + g.ok, 0);
const total = groups.reduce((n, g) => n + g.total, 0);
const overall = pct(ok, total);
console.log(`overall: ${ok}/${total} = ${overall}%`);
if (disagreements.length) console.log(`disagreements:\n  ${disagreements.join('\n  ')}`);
else if (verbose) console.log('no disagreements');
const summary = Object.fromEntries(groups.map((g) => [g.key, { ok: g.ok, total: g.total, pct: pct(g.ok, g.total) }]));
console.log(`RESULT dockerignore-conformance ${JSON.stringify({ overall: { ok, total, pct: overall }, ...summary, pass: overall >= 97 && summary.parse.pct >= 97 })}`);
