// Builds on the REAL engine through BuildKit (session + /build?version=2) and
// the classic builder: options, cache hits, failed-step locations, the ignore
// file, a `# syntax=` line that cannot be pulled, and cancel.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImage } from '../../src/core/build/buildImage';
import { buildkitBuild } from '../../src/core/build/buildkitBuild';
import { resolveBuildFiles } from '../../src/core/buildcontext/buildFiles';
import { ContextError } from '../../src/core/buildcontext/contextError';
import type { ContextWalk } from '../../src/core/buildcontext/contextWalk';
import { IgnoreMatcher } from '../../src/core/buildcontext/dockerignore';
import { BuildError, type BuildProgress } from '../../src/core/build/buildTypes';
import type { EngineClient } from '../../src/core/engine/client';
import { cleanupRun, newClient, RUN_ID, testLabels, testName } from './support';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'build');
const fixture = (name: string) => path.join(FIXTURES, name);

interface ImageInspect {
  Id: string;
  RepoTags: string[];
  Config: { Labels?: Record<string, string> };
  RootFS: { Layers: string[] };
}

/** Processes on this host whose command line holds `needle` (BuildKit runs steps with runc, not as containers). */
function processesWith(needle: string | RegExp): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (typeof needle === 'string' ? cmd.includes(needle) : needle.test(cmd)) out.push(`${pid}: ${cmd}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The runc processes that are ancestors of `procs` ("pid: cmdline" lines): the ones running this test's step, not another build's. */
function runcAncestors(procs: string[]): string[] {
  const out = new Set<string>();
  for (const line of procs) {
    let pid = line.split(':')[0];
    for (let depth = 0; depth < 8 && pid && pid !== '1'; depth++) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        pid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        if (/^runc .* run --bundle /.test(cmd)) out.add(`${pid}: ${cmd}`);
      } catch {
        break;
      }
    }
  }
  return [...out];
}

describe('build (real engine)', function () {
  this.timeout(120_000);
  let client: EngineClient;
  const tag = `${testName('build')}:latest`;

  before(() => {
    client = newClient();
  });
  after(async () => {
    await cleanupRun(client);
    client.dispose();
  });

  it('builds a multi-stage --target through BuildKit with a cache mount, labels and tags', async () => {
    const events: BuildProgress[] = [];
    const result = await buildImage(client, { context: fixture('multistage'), target: 'app', tags: [tag], labels: testLabels({ 'berth.kind': 'fixture' }), buildArgs: { GREETING: `hi-${RUN_ID}` } }, { onProgress: (p) => events.push(p) });
    assert.equal(result.builder, 'buildkit');
    const builder = events.find((e) => e.kind === 'builder');
    assert.ok(builder && builder.kind === 'builder' && builder.builder === 'buildkit', 'the builder is named');
    const image = await client.request<ImageInspect>('GET', `/images/${encodeURIComponent(tag)}/json`, 'inspect');
    assert.equal(image.Id, result.imageId);
    assert.equal(image.Config.Labels?.['berth.kind'], 'fixture');
    const base = await client.request<ImageInspect>('GET', '/images/busybox:1.35/json', 'inspect');
    // RUN (greeting), COPY, RUN (listing): three layers above busybox's.
    assert.equal(image.RootFS.Layers.length, base.RootFS.Layers.length + 3);
    const names = events.filter((e) => e.kind === 'vertex').map((e) => (e as { name: string }).name);
    assert.ok(names.some((n) => /^\[base 2\/2\] RUN --mount=type=cache,target=\/cache/.test(n)), names.join('\n'));
    assert.ok(!names.some((n) => n.includes('echo never')), 'the stage after --target is not built');
    const ctx = events.find((e) => e.kind === 'context' && e.local === 'context' && e.files > 0);
    assert.ok(ctx, 'the context was synced');
  });

  it('shows cache hits on a second build of the same context', async () => {
    const events: BuildProgress[] = [];
    const result = await buildImage(client, { context: fixture('multistage'), target: 'app', tags: [tag], labels: testLabels({ 'berth.kind': 'fixture' }), buildArgs: { GREETING: `hi-${RUN_ID}` } }, { onProgress: (p) => events.push(p) });
    const cached = events.filter((e) => e.kind === 'vertex' && e.state === 'cached').map((e) => (e as { name: string }).name);
    assert.ok(cached.some((n) => n.includes('RUN --mount=type=cache')), `cached: ${cached.join(', ')}`);
    assert.ok(cached.some((n) => n.includes('COPY . /ctx')), `cached: ${cached.join(', ')}`);
    assert.ok(result.cachedSteps >= 3);
  });

  it('leaves the ignored files out of the image (the walker decides what is sent)', async () => {
    const logs: string[] = [];
    await buildImage(client, { context: fixture('multistage'), target: 'check', tags: [`${testName('check')}:latest`], labels: testLabels(), buildArgs: { NONCE: `${RUN_ID}-${Date.now()}` } }, { onProgress: (p) => p.kind === 'log' && logs.push(p.text) });
    const text = logs.join('');
    assert.match(text, /keep\.txt/);
    assert.doesNotMatch(text, /token\.secret|inner\.txt/);
  });

  it('sends content intact: files over one 32 KiB chunk, empty files, modes and symlinks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-build-'));
    try {
      const big = randomBytes(1024 * 1024 + 7);
      const mid = randomBytes(40 * 1024);
      writeFileSync(path.join(dir, 'big.bin'), big);
      writeFileSync(path.join(dir, 'mid.bin'), mid);
      writeFileSync(path.join(dir, 'empty'), '');
      writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
      chmodSync(path.join(dir, 'run.sh'), 0o755);
      symlinkSync('big.bin', path.join(dir, 'link'));
      writeFileSync(path.join(dir, 'Dockerfile'), `FROM busybox:1.35\nCOPY . /c\nRUN echo ${RUN_ID}-${Date.now()} && cd /c && sha256sum big.bin mid.bin empty && stat -c '%n %a' run.sh && readlink link\n`);
      const logs: string[] = [];
      await buildImage(client, { context: dir, labels: testLabels() }, { onProgress: (p) => p.kind === 'log' && logs.push(p.text) });
      const text = logs.join('');
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      assert.match(text, new RegExp(`${sha(big)}\\s+big\\.bin`));
      assert.match(text, new RegExp(`${sha(mid)}\\s+mid\\.bin`));
      assert.match(text, new RegExp(`${sha(Buffer.alloc(0))}\\s+empty`));
      assert.match(text, /run\.sh 755/);
      assert.match(text, /^big\.bin$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing RUN yields its Dockerfile line', async () => {
    const err = await buildImage(client, { context: fixture('failing'), labels: testLabels(), noCache: true }).then(
      () => assert.fail('the build should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof BuildError, String(err));
    assert.match(err.message, /exit code: 1/);
    assert.equal(err.step?.name, '[3/3] RUN echo about to fail &&     false');
    assert.equal(err.step?.location?.file, path.join(fixture('failing'), 'Dockerfile'));
    assert.equal(err.step?.location?.range.start.line, 3); // 0-based: the fourth line
    assert.equal(err.step?.location?.range.end.line, 4); // the continuation
  });

  it('the classic builder (version=1) builds too, and names its failed step', async () => {
    const events: BuildProgress[] = [];
    const ok = await buildImage(client, { context: fixture('classic'), builder: 'classic', tags: [`${testName('classic')}:latest`], labels: testLabels() }, { onProgress: (p) => events.push(p) });
    assert.equal(ok.builder, 'classic');
    assert.ok(events.some((e) => e.kind === 'message' && /Step \d+\/\d+ : COPY/.test(e.text)));
    const err = await buildImage(client, { context: fixture('failing'), builder: 'classic', labels: testLabels(), noCache: true }).then(
      () => assert.fail('should fail'),
      (e: unknown) => e as BuildError,
    );
    assert.equal(err.builder, 'classic');
    assert.equal(err.step?.location?.range.start.line, 3);
  });

  it('a # syntax= line that cannot be pulled fails with a clear message, in bounded time', async () => {
    const t0 = Date.now();
    const err = await buildImage(client, { context: fixture('syntax'), labels: testLabels() }).then(
      () => assert.fail('should fail without network'),
      (e: unknown) => e as Error,
    );
    assert.ok(Date.now() - t0 < 60_000);
    assert.match(err.message, /# syntax=/);
    assert.match(err.message, /docker\/dockerfile:1\.99/);
  });

  it('cancel stops the build on the engine: nothing keeps running, the next build works', async () => {
    const nonce = `berth-cancel-${RUN_ID}-${Date.now()}`;
    const abort = new AbortController();
    let sawSleep = false;
    let runningBefore: string[] = [];
    let runcBefore: string[] = [];
    const build = buildImage(client, { context: fixture('slow'), labels: testLabels(), buildArgs: { NONCE: nonce } }, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.kind === 'log' && p.text.includes(nonce)) {
          sawSleep = true;
          setTimeout(() => {
            runningBefore = processesWith(/^sleep 30\s*$/);
            // Only the runc above this step's sleep: another build on the engine may be running its own.
            runcBefore = runcAncestors(runningBefore);
            abort.abort();
          }, 300);
        }
      },
    });
    const t0 = Date.now();
    const err = await build.then(
      () => assert.fail('should be cancelled'),
      (e: unknown) => e as Error,
    );
    assert.ok(sawSleep, 'the step was running when cancelled');
    assert.ok(runningBefore.length > 0, 'the step process is visible in /proc before cancel (so the check below means something)');
    assert.match(err.message, /cancelled/);
    assert.ok(Date.now() - t0 < 25_000, `the build ended ${Date.now() - t0} ms after starting (sleep is 30 s)`);
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = processesWith(/^sleep 30\s*$/).filter((p) => runningBefore.includes(p));
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(left, [], 'no step process is left running');
    // The runc that ran the step (a child of dockerd) is gone too.
    assert.ok(runcBefore.length > 0, 'the step ran under runc');
    const runcLeft = processesWith(/^runc .* run --bundle /).filter((p) => runcBefore.includes(p));
    assert.deepEqual(runcLeft, [], 'the step\'s runc is gone');
    const next = await buildImage(client, { context: fixture('multistage'), target: 'app', labels: testLabels() });
    assert.ok(next.imageId.startsWith('sha256:'));
  });

  it('a walk that fails while the build is under way stops it with the walk\'s own error, the context unsent', async () => {
    // The walk runs while the session opens (buildImage); here it fails once the engine has asked for the Dockerfile.
    const files = await resolveBuildFiles(fixture('multistage'));
    const walk = new Promise<ContextWalk>((_, reject) => setTimeout(() => reject(new ContextError('cannot read "secret" in the build context: permission denied. Nothing was sent', 'secret')), 400));
    walk.catch(() => undefined);
    const events: BuildProgress[] = [];
    const t0 = Date.now();
    const err = await buildkitBuild(client, { files, matcher: new IgnoreMatcher([]), walk }, { context: fixture('multistage'), target: 'app', labels: testLabels() }, { onProgress: (p) => events.push(p) }).then(
      () => assert.fail('should fail'),
      (e: unknown) => e as Error,
    );
    assert.ok(err instanceof ContextError, `${err.name}: ${err.message}`);
    assert.match(err.message, /cannot read "secret"/);
    assert.ok(Date.now() - t0 < 10_000, `ended ${Date.now() - t0} ms after starting`);
    assert.ok(!events.some((e) => e.kind === 'transfer' && e.local === 'context' && e.files > 1), 'no context content was sent');
    const next = await buildImage(client, { context: fixture('multistage'), target: 'app', labels: testLabels() });
    assert.ok(next.imageId.startsWith('sha256:'), 'the next build works');
  });
});
