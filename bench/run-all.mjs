// `npm run bench`: runs every benchmark, each in its own process, one after the
// other, then prints a summary table (bench, PASS/FAIL, headline figure, wall time)
// and the RESULT lines. Exits 1 when any bench fails.
//   npm run bench                      every bench/*.ts except the support files
//   npm run bench -- lint-fuzz idle    only these
// The benches are found, not listed: every bench/*.ts but support.ts (and what is
// under bench/support/). Each runs as `node --expose-gc --import tsx bench/<name>.ts`
// (explorer's heap figure needs --expose-gc; the others ignore it).
// A bench passes only when it exits 0 and its last line is exactly one
// `RESULT <name>: PASS — ...` (written by bench/support/result.ts); a crash, a
// timeout (BERTH_BENCH_TIMEOUT_S, default 1800 s each), no RESULT line, or more
// than one, is a FAIL.
// Before the benches: `node scripts/build.mjs` (activation loads dist/extension.js),
// or `npm run package` when the editor bench is selected (it installs dist/berth.vsix).
// explorer, freshness and idle need the Docker engine (BERTH_BENCH_SOCKET, default
// /var/run/docker.sock; scripts/provision.sh), editor also code-server, Node 24 and
// chromium (scripts/provision-editor.sh): without them those benches FAIL, saying why.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH_DIR);
const TIMEOUT_MS = Number(process.env.BERTH_BENCH_TIMEOUT_S ?? 1800) * 1000;
const RESULT = /^RESULT (\S+): (PASS|FAIL) — (.*)$/;

const isSupport = (file) => /^support(\.|$)/.test(file) || file.endsWith('.d.ts');
const all = fs
  .readdirSync(BENCH_DIR, { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !isSupport(e.name))
  .map((e) => e.name.slice(0, -'.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`unknown bench(es): ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const benches = wanted.length ? all.filter((n) => wanted.includes(n)) : all;

let interrupted = false;
let child;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    // The bench cleans up (its containers, an editor) on the signal, then exits.
    child?.kill(sig);
  });
}

const rows = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// Preparation: a failure here is a row of its own (and the benches still run, failing where they need it).
const prepare = benches.includes('editor') ? ['npm', ['run', '--silent', 'package']] : ['node', ['scripts/build.mjs']];
{
  const [cmd, args] = prepare;
  console.log(`\n== prepare: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit', timeout: 600_000 });
  const ok = r.status === 0;
  if (!ok) rows.push({ bench: `(prepare) ${cmd} ${args.join(' ')}`, pass: false, headline: `exit ${r.status ?? r.signal ?? r.error?.message}`, ms: Date.now() - t0 });
}

function runOne(name) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let out = '';
    let timedOut = false;
    child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${name}.ts`], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n${name}: over ${seconds(TIMEOUT_MS)}: SIGTERM`);
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 60_000).unref();
    }, TIMEOUT_MS);
    child.on('error', (err) => (out += `\n(could not start: ${err.message})`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child = undefined;
      resolve({ out, code, signal, timedOut, ms: Date.now() - t0 });
    });
  });
}

/** The verdict of one run: pass only with exit 0 and exactly one well-formed PASS line as the last line. */
function judge(name, { out, code, signal, timedOut }) {
  const lines = out.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const results = lines.filter((l) => l.startsWith('RESULT '));
  const last = lines[lines.length - 1] ?? '';
  const m = RESULT.exec(last);
  const exit = timedOut ? `timed out after ${seconds(TIMEOUT_MS)}` : signal ? `killed by ${signal}` : code !== 0 ? `exit ${code}` : undefined;
  if (results.length === 0) return { pass: false, headline: `no RESULT line${exit ? ` (${exit})` : ''}`, line: undefined };
  if (results.length > 1) return { pass: false, headline: `${results.length} RESULT lines (one expected)`, line: results[results.length - 1] };
  if (!m) {
    const where = last.startsWith('RESULT ') ? 'not in the form `RESULT <name>: PASS|FAIL — ...`' : 'not the last line';
    return { pass: false, headline: `RESULT line ${where}${exit ? ` (${exit})` : ''}`, line: results[0] };
  }
  const [, said, verdict, figures] = m;
  const headline = figures.split('; ')[0];
  if (said !== name) return { pass: false, headline: `RESULT names "${said}", not "${name}"`, line: last };
  if (exit) return { pass: false, headline: `${headline} (${exit})`, line: last };
  return { pass: verdict === 'PASS', headline, line: last };
}

const resultLines = [];
for (const name of benches) {
  if (interrupted) {
    rows.push({ bench: name, pass: false, headline: 'not run (interrupted)', ms: 0 });
    continue;
  }
  console.log(`\n== ${name}: node --expose-gc --import tsx bench/${name}.ts`);
  const run = await runOne(name);
  const v = judge(name, run);
  rows.push({ bench: name, pass: v.pass, headline: v.headline, ms: run.ms });
  resultLines.push(v.line ?? `(${name}: no RESULT line)`);
}

console.log('\n== summary');
const table = [['bench', 'result', 'headline', 'wall'], ...rows.map((r) => [r.bench, r.pass ? 'PASS' : 'FAIL', r.headline, seconds(r.ms)])];
const width = (i) => Math.max(...table.map((t) => t[i].length));
const [w0, w1, w2] = [width(0), width(1), Math.min(width(2), 100)];
for (const [i, t] of table.entries()) {
  console.log(`${t[0].padEnd(w0)}  ${t[1].padEnd(w1)}  ${t[2].padEnd(w2)}  ${t[3].padStart(8)}`);
  if (i === 0) console.log(`${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(w2)}  ${'-'.repeat(8)}`);
}
const failed = rows.filter((r) => !r.pass);
console.log(`\n${rows.length - failed.length}/${rows.length} passed${failed.length ? `; FAILED: ${failed.map((r) => r.bench).join(', ')}` : ''}`);
console.log('\n== RESULT lines');
for (const line of resultLines) console.log(line);
process.exit(interrupted ? 130 : failed.length ? 1 : 0);
