import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

// `npm run test:desktop`: the extension-host suite (test/exthost/suite) in a
// desktop VS Code through @vscode/test-electron, with Berth loaded as the
// extension under development (so `berth.berth` is the checkout itself).
//
// Needs to DOWNLOAD VS Code (update.code.visualstudio.com) on first run, and a
// display (on a headless Linux box: `xvfb-run -a npm run test:desktop`). Not
// possible on the offline CI/dev machine, where the same suite runs inside
// code-server instead (test/e2e/extensionHost.e2e.ts, part of `npm test`).
//
// Expects the bundles to be built first; the npm script does it:
//   node scripts/build.mjs && node test/exthost/build.mjs --no-package && tsx test/exthost/desktop.ts
// BERTH_VSCODE_VERSION picks the VS Code version ('stable' by default).

const REPO = path.resolve(__dirname, '../..');
const TESTS = path.join(REPO, 'test/exthost/runner/dist/desktopIndex.js');

async function main(): Promise<number> {
  for (const f of [path.join(REPO, 'dist/extension.js'), TESTS]) {
    if (!fs.existsSync(f)) throw new Error(`${f} missing: run "node scripts/build.mjs && node test/exthost/build.mjs --no-package"`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-desktop-'));
  const report = path.join(REPO, 'test-results/exthost-desktop.json');
  fs.rmSync(report, { force: true });
  try {
    await runTests({
      version: process.env.BERTH_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath: TESTS,
      extensionTestsEnv: { BERTH_EXTHOST_REPORT: report, BERTH_REPO: REPO },
      launchArgs: [
        path.join(REPO, 'examples/shop'),
        // Installed extensions off; the one under development (Berth) still loads.
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        path.join(root, 'user'),
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    return 0;
  } catch (err) {
    console.error(`extension-host tests failed: ${(err as Error).message}`);
    return 1;
  } finally {
    if (fs.existsSync(report)) {
      const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { passed: number; failed: number };
      console.log(`\n${r.passed} passed, ${r.failed} failed (report: ${path.relative(REPO, report)})`);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
