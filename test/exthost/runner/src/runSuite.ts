import * as fs from 'node:fs';
import * as path from 'node:path';

// Runs the bundled extension-host suite with mocha's programmatic API and
// collects one entry per test (and per failed hook) for a machine-readable
// report. Shared by the code-server runner extension and the desktop
// (@vscode/test-electron) entry.

export interface TestEntry {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface Report {
  /** How many tests the loaded suite declares (mocha's own count), run or not. */
  total: number;
  passed: number;
  failed: number;
  pending: number;
  tests: TestEntry[];
  /** Where it ran: the editor's version and app host. */
  editor?: string;
}

/** Every bundled test file (dist/suite/*.js next to the runner bundle). */
export function suiteFiles(distDir: string): string[] {
  const dir = path.join(distDir, 'suite');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function runSuite(MochaCtor: typeof Mocha, files: string[], opts: { reporter?: string } = {}): Promise<Report> {
  const mocha = new MochaCtor({ ui: 'bdd', timeout: 60_000, color: false, reporter: opts.reporter ?? 'spec' });
  for (const f of files) mocha.addFile(f);
  const tests: TestEntry[] = [];
  return new Promise<Report>((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => undefined);
    } catch (err) {
      reject(err);
      return;
    }
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    // Also fires for failed hooks (whose tests then never run): those count as failures too.
    runner.on('fail', (t, err) => tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: errorText(err) }));
    runner.on('end', () => {
      resolve({
        total: runner.total,
        passed: tests.filter((t) => t.state === 'passed').length,
        failed: tests.filter((t) => t.state === 'failed').length,
        pending: tests.filter((t) => t.state === 'pending').length,
        tests,
      });
    });
  });
}

export function failureReport(title: string, err: unknown): Report {
  return { total: 0, passed: 0, failed: 1, pending: 0, tests: [{ title, state: 'failed', error: errorText(err) }] };
}

export function writeReport(file: string, report: Report): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole then renamed, so a reader polling for the file never sees half of it.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(report, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // The whole message (assertion diffs are in it), then where it was thrown.
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4);
  return [`${err.name}: ${err.message}`, ...frames].join('\n');
}
