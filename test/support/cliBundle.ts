import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The CLI as users run it: the bundled dist/cli.js in a real process.
export const REPO = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO, 'dist/cli.js');

/** Registers a mocha `before` hook that bundles dist/ once for the enclosing suite. */
export function bundleBeforeSuite(): void {
  before(function () {
    this.timeout(180_000);
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8', timeout: 170_000 });
    assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
  });
}
