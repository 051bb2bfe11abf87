import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonFinding } from '../../src/core/dockerfile/formats';
import { bundleBeforeSuite, CLI } from '../support/cliBundle';

// `berth validate` as CI runs it: the bundled dist/cli.js (with its
// precompiled Compose schema and lazily required Kubernetes chunk) in a real
// process, on real files.


const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`;

describe('berth validate (CLI process)', function () {
  let work: string;

  bundleBeforeSuite();
  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'berth-cli-validate-'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  function validate(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
    const r = spawnSync(process.execPath, [CLI, 'validate', ...args], { cwd: work, env: { ...process.env, ...opts.env }, input: opts.input ?? '', encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  async function put(rel: string, text: string): Promise<string> {
    const full = path.join(work, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text);
    return full;
  }

  it('exits 0 and prints nothing for a valid Compose file and a valid Deployment', async () => {
    await put('compose.yaml', 'services:\n  web:\n    image: busybox:1.35\n    ports:\n      - "8080:80"\n');
    await put('k8s/deployment.yaml', DEPLOYMENT);
    const r = validate(['compose.yaml', 'k8s/deployment.yaml']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '');
    assert.equal(r.status, 0);
  });

  it('reports findings as JSON with 1-based positions on the offending key, and exits 1', async () => {
    await put('compose.yaml', 'services:\n  web:\n    imgae: busybox:1.35\n  db:\n    image: postgres:16\n    depends_on: [cache]\n');
    const r = validate(['--format', 'json', 'compose.yaml']);
    assert.equal(r.status, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    const key = findings.find((f) => f.code === 'CMP002')!;
    assert.deepEqual([key.file, key.line, key.column, key.endLine, key.endColumn, key.severity], ['compose.yaml', 3, 5, 3, 10, 'error']);
    assert.match(key.message, /did you mean "image"/);
    const ref = findings.find((f) => f.code === 'CMP011')!;
    assert.deepEqual([ref.line, ref.column], [6, 18]);
    assert.match(ref.message, /Undefined service "cache"/);
  });

  it('tells Kubernetes from content, reads stdin, and prints SARIF', async () => {
    const bad = DEPLOYMENT.replace('replicas: 2', 'replicas: two').replace('registry.example.com/web:1.4.2', 'nginx');
    const r = validate(['--format', 'sarif', '-'], { input: bad });
    assert.equal(r.status, 1, r.stderr);
    const sarif = JSON.parse(r.stdout);
    const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    assert.ok(results.some((x) => x.ruleId === 'K8S001' && x.locations[0].physicalLocation.region.startLine === 6), JSON.stringify(results));
    assert.ok(results.some((x) => x.ruleId === 'BK003' && x.locations[0].physicalLocation.region.startLine === 15));
    const rules = sarif.runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
    assert.ok(rules.find((x) => x.id === 'K8S001')?.helpUri?.startsWith('https://'));
  });

  it('uses .env next to the Compose file and the environment for interpolation', async () => {
    await put('.env', 'REPLICAS=3\n');
    await put('compose.yaml', 'services:\n  web:\n    image: busybox:${TAG:?set TAG}\n    deploy:\n      replicas: ${REPLICAS}\n');
    const missing = validate(['--format', 'json', 'compose.yaml'], { env: { TAG: '' } });
    const codes = (JSON.parse(missing.stdout) as JsonFinding[]).map((f) => f.code);
    assert.deepEqual(codes, ['CMP031'], 'only the required variable; replicas from .env is no type error');
    assert.equal(missing.status, 0, 'a warning does not fail the run');
    const set = validate(['--format', 'json', 'compose.yaml'], { env: { TAG: '1.35' } });
    assert.deepEqual(JSON.parse(set.stdout), []);
  });

  it('says which files it cannot use and still validates the others; usage errors exit 2', async () => {
    await put('compose.yaml', 'services:\n  web:\n    image: busybox:1.35\n');
    await put('notes.yaml', 'title: not a manifest\n');
    const r = validate(['compose.yaml', 'missing.yaml', 'notes.yaml']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing\.yaml: no such file/);
    assert.match(r.stderr, /notes\.yaml: is neither a Compose file nor a Kubernetes manifest/);
    assert.equal(validate(['--kind', 'helm', 'compose.yaml']).status, 2);
    assert.equal(validate([]).status, 2);
  });
});
