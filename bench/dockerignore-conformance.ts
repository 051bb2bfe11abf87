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
// A case is counted once, by its content (the question and the expected answer,
// not its source or notes): the raw-text run of a matcher case is a second
// judgement of the same case, not a case of its own, and a case that two corpora
// both hold is one case. A case agrees when every judgement of it agrees. The
// per-corpus rows count judgements; the overall figure counts distinct cases.
// Bars: distinct cases ≥ 97% agreement, reader (parse cases) ≥ 97%.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreMatcher, parseDockerignore } from '../src/core/buildcontext/dockerignore';
import { result } from './support/result';

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

/** Distinct cases by content: every judgement of each, and which corpus run first held it. */
const distinct = new Map<string, { ok: boolean; judgements: number; firstVia: string }>();
const dropped = new Map<string, number>();
function record(key: string, via: string, ok: boolean): void {
  const d = distinct.get(key);
  if (!d) return void distinct.set(key, { ok, judgements: 1, firstVia: via });
  d.ok &&= ok;
  d.judgements++;
  const why = `${via} judging a case already counted under ${d.firstVia}`;
  dropped.set(why, (dropped.get(why) ?? 0) + 1);
}
const matchKey = (c: MatchCase) => JSON.stringify(['match', c.patterns, c.path, c.excluded, c.error ?? false, c.dockerignore ?? null]);

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
  record(matchKey(c), via, ok);
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
  const ok = JSON.stringify(got) === JSON.stringify(c.patterns);
  if (ok) parse.ok++;
  else disagreements.push(`[parse] ${JSON.stringify(c.dockerignore)}: want ${JSON.stringify(c.patterns)}, got ${JSON.stringify(got)} (${c.source ?? '?'})`);
  record(JSON.stringify(['parse', c.dockerignore, c.patterns]), 'parse', ok);
}

const groups = [matcher, divergences, endToEnd, parse];
const pct = (ok: number, total: number) => (total ? +((100 * ok) / total).toFixed(1) : 100);
console.log('judgements per corpus run (a case with raw text is judged twice):');
for (const g of groups) console.log(`  ${g.label.padEnd(42)} ${String(g.ok).padStart(4)}/${String(g.total).padEnd(4)} ${pct(g.ok, g.total)}%`);
const judgements = groups.reduce((n, g) => n + g.total, 0);
const total = distinct.size;
const ok = [...distinct.values()].filter((d) => d.ok).length;
const overall = pct(ok, total);
const droppedCount = judgements - total;
console.log(`${judgements} judgements of ${total} distinct cases: ${droppedCount} duplicate(s) dropped${droppedCount ? ` (${[...dropped].map(([why, n]) => `${n}× ${why}`).join('; ')})` : ''}`);
console.log(`overall: ${ok}/${total} distinct cases agree (every judgement of the case) = ${overall}%`);
if (disagreements.length) console.log(`disagreements:\n  ${disagreements.join('\n  ')}`);
else if (verbose) console.log('no disagreements');
const parsePct = pct(parse.ok, parse.total);
result('dockerignore-conformance', [
  ['distinct cases agreeing', `${ok}/${total} = ${overall}%`, '≥ 97%', overall >= 97],
  ['reader (parse cases)', `${parse.ok}/${parse.total} = ${parsePct}%`, '≥ 97%', parsePct >= 97],
  ['duplicates dropped', droppedCount, '', true],
]);
