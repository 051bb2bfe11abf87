// bench/build-context-conformance: `berth build-context --json` (the bundled
// dist/cli.js in a real process, on a real folder) against the verdicts of
// Docker's own code in ../shared/conformance/dockerignore-cases.jsonl.
//   npx tsx bench/build-context-conformance.ts [--verbose] [--no-build]
//
// Each case gets a fresh temporary context holding its ignore file and its path:
//   - the ignore file: the raw text when the case keeps it (so the reader is
//     judged too), else the patterns one per line. Cases whose patterns come from
//     `<Dockerfile>.dockerignore` get that file, `--file <Dockerfile>`, and a
//     decoy `.dockerignore` of `**` that would exclude everything if it won;
//     cases "built with -f NAME" get `--file NAME`.
//   - `a/b`  → a file (its folders made on the way); judged excluded when it is
//     not in "files".
//   - `a/b/` → an empty folder; judged excluded when it is not in "directories".
//     Empty, so nothing inside can bring it back: BuildKit sends an excluded
//     folder only when something inside it is re-included, so an empty folder
//     is sent exactly when the matcher keeps it.
//   - `/`, `.` (the root): the root itself is always sent, so "is the root
//     excluded" can only mean "is what is in it excluded", which is what a
//     pattern matching the root does to its content (a parent's match excludes
//     its children). The context holds a probe file `berth-probe`; the root is
//     judged excluded when the probe is not sent.
//   - a path with a leading `/` (`/any/path/there`) names a path in the
//     context: the `/` is dropped, as paths in a context are relative.
//   - `error: true`: the command must exit non-zero with a message naming the
//     line at fault on stderr, and print nothing on stdout.
// Every successful output is also checked for the JSON shape (files and
// directories sorted, `/`-separated, relative; totalBytes a number; largest
// a list of {path, bytes}). Bar: 100% of cases agree, every output well formed.
//
// It also times the walk of a 20,000-file tree (in-process, median of 5, and
// the CLI process end to end): figures printed, no bar yet.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBuildContext } from '../src/core/buildcontext/buildContext';
import { result, resultCrashed } from './support/result';

interface Case {
  patterns: string[];
  path: string;
  excluded: boolean;
  error?: boolean;
  dockerignore?: string;
  note?: string;
  source?: string;
}
interface Output {
  files: string[];
  totalBytes: number;
  largest: Array<{ path: string; bytes: number }>;
  directories: string[];
}

const REPO = path.resolve(__dirname, '..');
const CLI = path.join(REPO, 'dist/cli.js');
const SHARED = process.env.BERTH_SHARED ?? path.resolve(REPO, '../shared');
const verbose = process.argv.includes('--verbose');
const PROBE = 'berth-probe';

function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** What the case's context looks like, and how the command is run on it. */
function materialise(c: Case, dir: string): { args: string[]; judge: (o: Output) => boolean; where: string } {
  const put = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    if (!fs.existsSync(path.join(dir, rel))) fs.writeFileSync(path.join(dir, rel), text);
  };
  const ignoreText = c.dockerignore ?? c.patterns.map((p) => `${p}\n`).join('');
  const perDockerfile = /from (\S+)\.dockerignore/.exec(c.note ?? '')?.[1];
  const builtWith = /built with -f (\S+)/.exec(c.note ?? '')?.[1];
  const args = ['build-context', dir, '--json'];
  if (perDockerfile) {
    fs.writeFileSync(path.join(dir, `${perDockerfile}.dockerignore`), ignoreText);
    fs.writeFileSync(path.join(dir, '.dockerignore'), '**\n');
    args.push('--file', path.join(dir, perDockerfile));
  } else fs.writeFileSync(path.join(dir, '.dockerignore'), ignoreText);
  const dockerfile = perDockerfile ?? builtWith;
  if (builtWith) args.push('--file', path.join(dir, builtWith));

  const rel = c.path.replace(/^\/+(?=.)/, '');
  let judge: (o: Output) => boolean;
  let where: string;
  if (rel === '/' || rel === '.' || rel === '') {
    put(PROBE, 'probe\n');
    judge = (o) => !o.files.includes(PROBE);
    where = `root (probe ${PROBE})`;
  } else if (rel.endsWith('/')) {
    const folder = rel.replace(/\/+$/, '');
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    judge = (o) => !o.directories.includes(folder);
    where = `empty folder ${folder}`;
  } else {
    put(rel, 'content\n');
    judge = (o) => !o.files.includes(rel);
    where = `file ${rel}`;
  }
  if (dockerfile) put(dockerfile, 'FROM scratch\n');
  return { args, judge, where };
}

const sorted = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1] < x);
// Relative, `/`-separated, clean: no empty, `.` or `..` segment. (A backslash is a legal Unix file name character: one case has `a\`.)
const relativeSlashed = (xs: string[]) => xs.every((x) => typeof x === 'string' && !x.startsWith('/') && !x.split('/').some((s) => s === '' || s === '.' || s === '..'));
function shapeProblem(o: Output): string | undefined {
  if (!Array.isArray(o.files) || !Array.isArray(o.directories)) return 'files/directories not arrays';
  if (!sorted(o.files) || !sorted(o.directories)) return 'not sorted';
  if (!relativeSlashed(o.files) || !relativeSlashed(o.directories)) return 'paths not relative and /-separated';
  if (typeof o.totalBytes !== 'number' || o.totalBytes < 0) return 'totalBytes not a number';
  if (!Array.isArray(o.largest) || !o.largest.every((l) => typeof l.path === 'string' && typeof l.bytes === 'number' && o.files.includes(l.path))) return 'largest malformed';
  return undefined;
}

async function pool<T, R>(items: T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

/** A 20,000-file tree: 20 packages × 10 modules × 100 files of 0-1 kB, with a node_modules and an ignore file. */
function makeTree(root: string): number {
  let n = 0;
  for (let a = 0; a < 20; a++) {
    for (let b = 0; b < 10; b++) {
      const d = path.join(root, a < 2 ? `node_modules/pkg${a}` : `src/pkg${a}`, `mod${b}`);
      fs.mkdirSync(d, { recursive: true });
      for (let f = 0; f < 100; f++, n++) fs.writeFileSync(path.join(d, `file${f}.${f % 10 === 0 ? 'log' : 'js'}`), 'x'.repeat((f * 37) % 1000));
    }
  }
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM scratch\nCOPY . /app\n');
  return n;
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr || b.stdout}`);
  }
  const cases = fs
    .readFileSync(path.join(SHARED, 'conformance/dockerignore-cases.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Case);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bcc-'));
  const disagreements: string[] = [];
  const shapes: string[] = [];
  const byKind = new Map<string, { ok: number; total: number }>();
  const t0 = performance.now();
  try {
    const verdicts = await pool(cases, Math.max(2, Math.min(8, os.cpus().length * 2)), async (c, i) => {
      const dir = path.join(work, String(i));
      fs.mkdirSync(dir);
      const { args, judge, where } = materialise(c, dir);
      const r = await run(args);
      const kind = c.error ? 'error' : where.split(' ')[0];
      let ok: boolean;
      let got: string;
      if (c.error) {
        ok = r.status !== 0 && /line \d+/.test(r.stderr) && r.stdout === '';
        got = `exit ${r.status}, stderr ${JSON.stringify(r.stderr.trim())}`;
      } else if (r.status !== 0) {
        ok = false;
        got = `exit ${r.status}: ${r.stderr.trim()}`;
      } else {
        const o = JSON.parse(r.stdout) as Output;
        const shape = shapeProblem(o);
        if (shape) shapes.push(`case ${i + 1}: ${shape}`);
        const excluded = judge(o);
        ok = excluded === c.excluded && !shape;
        got = `excluded=${excluded}`;
      }
      const k = byKind.get(kind) ?? byKind.set(kind, { ok: 0, total: 0 }).get(kind)!;
      k.total++;
      if (ok) k.ok++;
      else disagreements.push(`case ${i + 1} ${JSON.stringify(c.patterns)} ${JSON.stringify(c.path)} (${where}): want ${c.error ? 'an error' : `excluded=${c.excluded}`}, got ${got} (${c.source ?? '?'})`);
      return ok;
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    const ok = verdicts.filter(Boolean).length;
    const pct = +((100 * ok) / cases.length).toFixed(1);
    console.log(`cases by how they were materialised (${seconds} s for ${cases.length} CLI runs):`);
    for (const [kind, k] of [...byKind].sort()) console.log(`  ${kind.padEnd(8)} ${k.ok}/${k.total}`);
    console.log(`agreement: ${ok}/${cases.length} = ${pct}%`);
    if (disagreements.length) console.log(`disagreements:\n  ${disagreements.join('\n  ')}`);
    else if (verbose) console.log('no disagreements');
    if (shapes.length) console.log(`malformed outputs:\n  ${shapes.join('\n  ')}`);

    // The 20,000-file walk.
    const tree = path.join(work, 'tree');
    const files = makeTree(tree);
    fs.writeFileSync(path.join(tree, '.dockerignore'), 'node_modules\n**/*.log\n');
    const times: number[] = [];
    let sent = 0;
    for (let k = 0; k < 6; k++) {
      const t = performance.now();
      const ctx = await readBuildContext(tree);
      // The first run warms the page cache and V8; it is not counted.
      if (k > 0) times.push(performance.now() - t);
      sent = ctx.walk.entries.filter((e) => e.kind === 'file').length;
    }
    fs.rmSync(path.join(tree, '.dockerignore'));
    const allTimes: number[] = [];
    for (let k = 0; k < 4; k++) {
      const t = performance.now();
      await readBuildContext(tree);
      if (k > 0) allTimes.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const t = performance.now();
    const cli = await run(['build-context', tree, '--json']);
    const cliMs = performance.now() - t;
    const cliFiles = cli.status === 0 ? (JSON.parse(cli.stdout) as Output).files.length : -1;
    const walkMs = Math.round(median(allTimes));
    console.log(`20,000-file walk (${files} files + Dockerfile): ${walkMs} ms median in-process, all sent; ${Math.round(median(times))} ms with node_modules and *.log ignored (${sent} files sent); CLI process end to end ${Math.round(cliMs)} ms (${cliFiles} files listed)`);

    result('build-context-conformance', [
      ['cases agreeing', `${ok}/${cases.length} = ${pct}%`, '100%', ok === cases.length],
      ['malformed JSON outputs', shapes.length, '0', shapes.length === 0],
      ['20,000-file walk', `${walkMs} ms (CLI ${Math.round(cliMs)} ms)`, '', cliFiles === files + 1],
    ]);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  resultCrashed('build-context-conformance', err);
  process.exitCode = 1;
});
