// bench/compose-conformance: Berth's Compose validation against compose-go's
// own cases (../shared/conformance/compose/manifest.json), as black-box data.
//   npx tsx bench/compose-conformance.ts [--verbose]
// A valid case agrees when Berth reports no error; an invalid one when Berth
// reports at least one error (--verbose prints where and what, to compare with
// the error compose-go asserts). Prints agreement per stage and overall.
// Bar: overall agreement ≥ 97% (the bar of the other conformance benches; this
// one stated none before).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateManifest } from '../src/core/manifests/validateManifest';
import { result } from './support/result';

const BAR_PCT = 97;

interface Case {
  file: string;
  expected: 'valid' | 'invalid';
  stage?: string;
  error_contains?: string;
}

const verbose = process.argv.includes('--verbose');
const SHARED = process.env.BERTH_SHARED ?? path.resolve(__dirname, '../../shared');
const dir = path.join(SHARED, 'conformance/compose');
const cases = (JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { cases: Case[] }).cases;
const files = { readText: (f: string) => (fs.existsSync(f) && fs.statSync(f).isFile() ? fs.readFileSync(f, 'utf8') : undefined) };

const byStage = new Map<string, { agree: number; total: number; missed: string[] }>();
for (const c of cases) {
  const stage = c.expected === 'valid' ? 'valid' : c.stage ?? 'unknown';
  const file = path.join(dir, c.file);
  // The files are Compose files by definition; their names are compose-go's test names.
  const r = validateManifest(fs.readFileSync(file, 'utf8'), { kind: 'compose', file, files, environment: {} });
  const errors = (r?.diagnostics ?? []).filter((d) => d.severity === 'error');
  const agree = c.expected === 'valid' ? errors.length === 0 : errors.length > 0;
  const s = byStage.get(stage) ?? { agree: 0, total: 0, missed: [] };
  s.total++;
  if (agree) s.agree++;
  else s.missed.push(c.file);
  byStage.set(stage, s);
  if (verbose || !agree) {
    const first = errors[0];
    const said = first ? `${first.range.start.line + 1}:${first.range.start.column + 1} ${first.code} ${first.message}` : 'no error';
    console.log(`${agree ? 'agree   ' : 'DISAGREE'} ${stage.padEnd(16)} ${c.file}\n         compose-go: ${c.error_contains ?? 'valid'}\n         berth:      ${said}`);
  }
}

let agree = 0;
let total = 0;
console.log('\nstage             agree/total');
for (const [stage, s] of [...byStage].sort()) {
  agree += s.agree;
  total += s.total;
  console.log(`${stage.padEnd(17)} ${s.agree}/${s.total}${s.missed.length ? `  (missed: ${s.missed.join(', ')})` : ''}`);
}
const pct = (s?: { agree: number; total: number }) => (s ? ((100 * s.agree) / s.total).toFixed(1) : 'n/a');
const semantic = ['semantic', 'semantic-graph'].map((k) => byStage.get(k)).reduce((a, s) => ({ agree: a.agree + (s?.agree ?? 0), total: a.total + (s?.total ?? 0) }), { agree: 0, total: 0 });
const overall = total ? (100 * agree) / total : 0;
result('compose-conformance', [
  ['overall', `${agree}/${total} = ${overall.toFixed(1)}%`, `≥ ${BAR_PCT}%`, overall >= BAR_PCT],
  ['valid', `${pct(byStage.get('valid'))}%`, '', true],
  ['yaml-parse', `${pct(byStage.get('yaml-parse'))}%`, '', true],
  ['loader-structure', `${pct(byStage.get('loader-structure'))}%`, '', true],
  ['schema', `${pct(byStage.get('schema'))}%`, '', true],
  ['semantic+graph', `${semantic.agree}/${semantic.total} (${pct(semantic)}%)`, '', true],
]);
