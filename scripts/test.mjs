// `npm test`: provisions what the suites need (idempotently), builds, then runs
// unit, integration (real engine) and end-to-end (real editor, real browser)
// suites, the Kubernetes suite (a real single-node cluster the rig builds from Go modules)
// and end-to-end (real editor, real browser) suites in that order. Ends with one summary
// line "N passed, N failed". BERTH_TEST_SUITES=unit,integration limits the run (all by default).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const wanted = (process.env.BERTH_TEST_SUITES ?? 'unit,integration,kubernetes,e2e').split(',').map((s) => s.trim());
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedStages = [];

function run(label, cmd, args, { parseMocha = false } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let tail = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (parseMocha) {
        const num = (re) => Number(tail.match(re)?.[1] ?? 0);
        totals.passed += num(/(\d+) passing/);
        totals.failed += num(/(\d+) failing/);
        totals.skipped += num(/(\d+) pending/);
      }
      console.log(`== ${label}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${secs} s`);
      if (code !== 0) failedStages.push(label);
      resolve(code === 0);
    });
  });
}

const mocha = ['node_modules/.bin/mocha'];
const engineSuites = ['integration', 'kubernetes', 'e2e'];
if (engineSuites.some((s) => wanted.includes(s))) {
  if (!(await run('provision engine', 'bash', ['scripts/provision.sh']))) finish();
}
// Three local registries (open, basic auth, token auth) for the registry integration and e2e tests.
if (engineSuites.some((s) => wanted.includes(s)) && !(await run('provision registries', 'bash', ['scripts/provision-registries.sh']))) finish();
if (!(await run('build', 'node', ['scripts/build.mjs']))) finish();
if (!(await run('typecheck', 'node_modules/.bin/tsc', ['--noEmit', '-p', '.']))) finish();
if (wanted.includes('unit')) await run('unit tests', mocha[0], ['--config', 'test/.mocharc.unit.json'], { parseMocha: true });
if (wanted.includes('integration')) await run('integration tests (real engine)', mocha[0], ['--config', 'test/.mocharc.integration.json'], { parseMocha: true });
if (wanted.includes('kubernetes')) {
  // The first run on a machine builds the cluster from Go modules (about 11 minutes on 2
  // cores, printed per component); later runs start it from the cached binaries.
  if (await run('provision kubernetes', 'bash', ['scripts/provision-kubernetes.sh'])) {
    await run('kubernetes tests (real cluster)', mocha[0], ['--config', 'test/.mocharc.kubernetes.json'], { parseMocha: true });
  }
  // The suite's last test stops the cluster and checks nothing is left; this stop is for a
  // run that failed before it, so the later suites never share the cores with a cluster.
  await run('stop kubernetes', 'bash', ['scripts/provision-kubernetes.sh', 'stop']);
}
if (wanted.includes('e2e')) {
  if (await run('provision editor', 'bash', ['scripts/provision-editor.sh'])) {
    if (await run('package VSIX', 'npm', ['run', '--silent', 'package'])) {
      const report = 'test-results/e2e/exthost-report.json';
      rmSync(report, { force: true });
      await run('end-to-end tests (real VS Code, real browser)', mocha[0], ['--config', 'test/.mocharc.e2e.json'], { parseMocha: true });
      // The extension-host suite runs inside the editor as one e2e test; count its tests too.
      if (existsSync(report)) {
        const r = JSON.parse(readFileSync(report, 'utf8'));
        console.log(`== extension-host suite: ${r.passed} passed, ${r.failed} failed`);
        totals.passed += r.passed;
        totals.failed += r.failed;
      }
    }
  }
}
finish();

function finish() {
  if (failedStages.length) console.log(`\nFailed stages: ${failedStages.join(', ')}`);
  if (failedStages.length && totals.failed === 0) totals.failed = failedStages.length;
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(failedStages.length ? 1 : 0);
}
