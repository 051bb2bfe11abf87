// Builds the extension-host test runner (test/exthost/runner): bundles the
// runner extension, the desktop test entry and the suite with esbuild (`vscode`
// and `mocha` stay external: the editor provides one, the checkout the other),
// then packages test/exthost/runner/berth-exthost-tests.vsix with vsce.
// --no-package: bundles only (enough for `npm run test:desktop`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const runner = path.join(here, 'runner');
const dist = path.join(runner, 'dist');
export const RUNNER_VSIX = path.join(runner, 'berth-exthost-tests.vsix');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
  absWorkingDir: repo,
};

fs.rmSync(dist, { recursive: true, force: true });
const suite = fs.readdirSync(path.join(here, 'suite')).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(here, 'suite', f));
await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(runner, 'src/runner.ts')], outfile: path.join(dist, 'runner.js') }),
  esbuild.build({ ...common, entryPoints: [path.join(runner, 'src/desktopIndex.ts')], outfile: path.join(dist, 'desktopIndex.js') }),
  esbuild.build({ ...common, entryPoints: suite, outdir: path.join(dist, 'suite') }),
]);

if (!process.argv.includes('--no-package')) {
  const vsce = path.join(repo, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', RUNNER_VSIX], {
    cwd: runner,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  console.log(`[exthost] ${path.relative(repo, RUNNER_VSIX)}`);
}
