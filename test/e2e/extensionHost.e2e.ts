import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, RESULTS } from './support/editor';
import { editorPerSuite, waitUntil } from './support/fixtures';

// Berth's extension-host suite (test/exthost/suite: real `vscode` API, real
// engine) run inside the extension host of a real code-server. The test-only
// runner extension (test/exthost/runner, never in Berth's VSIX) is installed
// next to Berth; BERTH_EXTHOST_REPORT in the editor's environment makes it run
// the suite on startup and write a JSON report, which this test reads.

const RUNNER_VSIX = path.join(REPO, 'test/exthost/runner/berth-exthost-tests.vsix');
const REPORT = path.join(RESULTS, 'exthost-report.json');

interface Report {
  total: number;
  passed: number;
  failed: number;
  pending: number;
  editor?: string;
  tests: Array<{ title: string; state: string; durationMs?: number; error?: string }>;
}

const SUITE_DIR = path.join(REPO, 'test/exthost/suite');

function declaredTests(): number {
  let n = 0;
  for (const f of fs.readdirSync(SUITE_DIR).filter((f) => f.endsWith('.test.ts'))) {
    n += (fs.readFileSync(path.join(SUITE_DIR, f), 'utf8').match(/^\s*it\(/gm) ?? []).length;
  }
  return n;
}

describe('extension-host suite in code-server (e2e)', function () {
  editorPerSuite(
    async () => {
      const build = spawnSync(process.execPath, [path.join(REPO, 'test/exthost/build.mjs')], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
      assert.equal(build.status, 0, `building the runner failed:\n${build.stdout}\n${build.stderr}`);
      fs.rmSync(REPORT, { force: true });
      return {
        workspace: path.join(REPO, 'examples/shop'),
        extraVsix: [RUNNER_VSIX],
        env: { BERTH_EXTHOST_REPORT: REPORT, BERTH_REPO: REPO },
      };
    },
  );

  it('passes inside the extension host (commands, configuration scopes, tree providers against the engine)', async function () {
    this.timeout(200_000);
    // The extension host starts once the browser window connects; the suite runs after startup finished.
    const report = await waitUntil(
      () => (fs.existsSync(REPORT) ? (JSON.parse(fs.readFileSync(REPORT, 'utf8')) as Report) : undefined),
      180_000,
      `the runner's report at ${REPORT}`,
    );
    console.log(`      ${report.editor ?? ''}`);
    for (const t of report.tests) {
      const mark = t.state === 'passed' ? '✓' : t.state === 'pending' ? '-' : '✗';
      console.log(`      ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
      if (t.error) console.log(t.error.replace(/^/gm, '          '));
    }
    console.log(`      ${report.passed} passed, ${report.failed} failed, ${report.pending} pending (report: ${path.relative(REPO, REPORT)})`);
    assert.equal(report.failed, 0, `${report.failed} extension-host test(s) failed: ${report.tests.filter((t) => t.state === 'failed').map((t) => t.title).join('; ')}`);
    // Every declared test must have run and passed: mocha's count of the loaded suite, and
    // the count of it() calls in its sources (a file that failed to load would lower both).
    const declared = declaredTests();
    assert.equal(report.total, declared, `the loaded suite has ${report.total} tests, its sources declare ${declared}`);
    assert.equal(report.pending, 0, `${report.pending} extension-host test(s) skipped`);
    assert.equal(report.passed, declared, `${report.passed} of ${declared} extension-host tests passed`);
  });
});
