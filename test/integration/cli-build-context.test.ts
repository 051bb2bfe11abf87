import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleBeforeSuite, CLI } from '../support/cliBundle';

// `berth build-context` as users run it: the bundled dist/cli.js in a real
// process, on real folders. No engine needed.

describe('berth build-context (CLI process)', function () {
  let work: string;

  bundleBeforeSuite();
  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'berth-cli-context-'));
    await chmod(work, 0o755);
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  function run(args: string[], opts: { uid?: number } = {}) {
    const drop = opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {};
    const r = spawnSync(process.execPath, [CLI, 'build-context', ...args], { cwd: work, encoding: 'utf8', timeout: 30_000, ...drop });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  async function put(rel: string, text: string): Promise<void> {
    const full = path.join(work, rel);
    await mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, text);
  }

  it('--json: the files sent, sorted and /-separated, their total size and the largest', async () => {
    await put('Dockerfile', 'FROM scratch\nCOPY . /app\n');
    await put('.dockerignore', 'node_modules\n*.log\n');
    await put('src/z.js', 'z'.repeat(40));
    await put('src/a/b.js', 'b'.repeat(300));
    await put('README.md', 'r');
    await put('node_modules/x/index.js', 'x');
    await put('debug.log', 'l');
    await symlink('src', path.join(work, 'current'));
    const r = run(['--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['files', 'totalBytes', 'largest', 'directories']);
    assert.deepEqual(out.files, ['.dockerignore', 'Dockerfile', 'README.md', 'current', 'src/a/b.js', 'src/z.js']);
    assert.deepEqual(out.directories, ['src', 'src/a']);
    assert.equal(out.totalBytes, 18 + 26 + 1 + 300 + 40);
    assert.deepEqual(out.largest.slice(0, 2), [{ path: 'src/a/b.js', bytes: 300 }, { path: 'src/z.js', bytes: 40 }]);
  });

  it('text: size, largest, what each ignore line excluded, and the node_modules warning', async () => {
    await put('Dockerfile', 'FROM scratch\n');
    await put('.dockerignore', '# logs\n*.log\n');
    await put('a.log', '');
    await put('b.log', '');
    await put('node_modules/left-pad/index.js', 'module.exports = 1;\n');
    await put('app.js', 'x');
    const r = run([work]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Build context \//);
    assert.match(r.stdout, /\n {2}\d+ B in 4 files and 2 folders\n/);
    assert.match(r.stdout, /\nLargest files\n {2}.*node_modules\/left-pad\/index\.js\n/);
    assert.match(r.stdout, /\nLargest folders\n {2}.*node_modules\/ {2}\(1 file\)\n/);
    assert.match(r.stdout, /\nExcluded by \.dockerignore\n {2}line 2 {4}\*\.log {2}2 files\n/);
    assert.match(r.stdout, /\nWarnings\n {2}! node_modules is in the context \(node_modules .*add "node_modules" to \.dockerignore\n/);
  });

  it('--file is relative to the current folder and brings its own <Dockerfile>.dockerignore', async () => {
    await put('.dockerignore', '**\n');
    await put('docker/api.Dockerfile', 'FROM scratch\n');
    await put('docker/api.Dockerfile.dockerignore', 'secret\n');
    await put('secret', 's');
    await put('api.js', 'a');
    const r = run(['.', '--file', 'docker/api.Dockerfile', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).files, ['.dockerignore', 'api.js', 'docker/api.Dockerfile', 'docker/api.Dockerfile.dockerignore']);
  });

  it('exit 1 with one clear message: malformed ignore file, build file linking out, unreadable file', async () => {
    await put('Dockerfile', 'FROM scratch\n');
    await put('.dockerignore', 'ok\n[\n');
    let r = run(['--json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'berth build-context: ignore file ".dockerignore" line 2: syntax error in pattern "[": the builder refuses this file\n');

    await rm(path.join(work, '.dockerignore'));
    const outside = await mkdtemp(path.join(os.tmpdir(), 'berth-cli-outside-'));
    try {
      await writeFile(path.join(outside, 'Dockerfile'), 'FROM scratch\n');
      await rm(path.join(work, 'Dockerfile'));
      await symlink(path.join(outside, 'Dockerfile'), path.join(work, 'Dockerfile'));
      r = run([]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^berth build-context: Dockerfile "Dockerfile" is a symlink to ".*", which resolves to .*, outside the build context .*: refused/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }

    await rm(path.join(work, 'Dockerfile'));
    await put('keys/deploy.pem', 'KEY');
    await chmod(path.join(work, 'keys/deploy.pem'), 0o000);
    // Root reads a mode-000 file: run the CLI as nobody when the tests run as root.
    r = run(['--json'], process.getuid?.() === 0 ? { uid: 65534 } : {});
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'berth build-context: cannot read "keys/deploy.pem" in the build context: permission denied. Nothing was sent: make it readable or add it to .dockerignore\n');
  });

  it('exit 1 for a missing folder or Dockerfile; exit 2 for usage errors; --help', async () => {
    assert.equal(run(['nope']).status, 1);
    assert.match(run(['nope']).stderr, /build context "nope" does not exist/);
    const noFile = run(['.', '--file', 'Missing.Dockerfile']);
    assert.deepEqual([noFile.status, noFile.stderr], [1, 'berth build-context: Dockerfile "Missing.Dockerfile" not found\n']);
    for (const args of [['--bogus'], ['a', 'b'], ['--file'], ['-']]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^berth build-context: .*\nRun "berth build-context --help" for usage\.\n$/);
    }
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: berth build-context \[DIR\] \[--file DOCKERFILE\] \[--json\]/);
  });
});
