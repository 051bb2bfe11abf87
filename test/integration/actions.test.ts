// Every explorer action against the REAL engine: each test checks that the
// engine's state changed the way the action claims.
import assert from 'node:assert/strict';
import {
  containerAction,
  createNetwork,
  createVolume,
  followLogs,
  inspectResource,
  pruneResources,
  removeContainer,
  removeImage,
  removeNetwork,
  removeVolume,
  tagImage,
} from '../../src/core/engine/resources';
import { LogDemuxer, type LogChunk } from '../../src/core/engine/logFrames';
import {
  BASE_IMAGE,
  cleanupRun,
  commitDangling,
  containerState,
  createContainer,
  expectEngineError,
  newClient,
  testName,
  waitFor,
} from './support';

const client = newClient();

describe('explorer actions change the real engine', function () {
  afterEach(() => cleanupRun(client));

  describe('containers', function () {
    it('start, pause, unpause, restart and stop move the container through its states', async function () {
      const c = await createContainer(client, 'lifecycle');
      assert.equal((await containerState(client, c.id)).Status, 'created');

      await containerAction(client, c.id, 'start');
      const started = await containerState(client, c.id);
      assert.equal(started.Status, 'running');
      assert.equal(started.Running, true);

      // The engine answers 304 for "already started"; that is success, not an error.
      await containerAction(client, c.id, 'start');

      await containerAction(client, c.id, 'pause');
      const paused = await containerState(client, c.id);
      assert.equal(paused.Status, 'paused');
      assert.equal(paused.Paused, true);

      await containerAction(client, c.id, 'unpause');
      assert.equal((await containerState(client, c.id)).Status, 'running');

      await containerAction(client, c.id, 'restart');
      const restarted = await containerState(client, c.id);
      assert.equal(restarted.Status, 'running');
      assert.ok(Date.parse(restarted.StartedAt) > Date.parse(started.StartedAt), 'restart started it again');

      await containerAction(client, c.id, 'stop');
      const stopped = await containerState(client, c.id);
      assert.equal(stopped.Status, 'exited');
      assert.equal(stopped.Running, false);
    });

    it('removeContainer without force refuses a running container with a 409 naming it', async function () {
      const c = await createContainer(client, 'rm-running', { start: true });
      const err = await expectEngineError(removeContainer(client, c.id, false), 'engine-error', 409);
      assert.ok(err.message.includes(c.id.slice(0, 12)), `message names the container: ${err.message}`);
      assert.match(err.message, /running/);
      assert.equal(err.unreachable, false, 'a refused action is not an unreachable engine');
      assert.equal((await containerState(client, c.id)).Status, 'running', 'container untouched');
    });

    it('removeContainer with force removes a running container', async function () {
      const c = await createContainer(client, 'rm-force', { start: true });
      await removeContainer(client, c.id, true);
      await expectEngineError(inspectResource(client, 'containers', c.id), 'engine-error', 404);
    });

    it('removeContainer without force removes a stopped container', async function () {
      const c = await createContainer(client, 'rm-stopped');
      await removeContainer(client, c.id, false);
      await expectEngineError(inspectResource(client, 'containers', c.id), 'engine-error', 404);
    });
  });

  describe('inspect', function () {
    it('returns the engine object for each kind', async function () {
      const c = await createContainer(client, 'inspect');
      const net = testName('inspect-net');
      const vol = testName('inspect-vol');
      const { Id: netId } = await createNetwork(client, net);
      await createVolume(client, vol);

      const ci = (await inspectResource(client, 'containers', c.id)) as { Id: string; Name: string; Config: { Image: string } };
      assert.equal(ci.Id, c.id);
      assert.equal(ci.Name, `/${c.name}`);
      assert.equal(ci.Config.Image, BASE_IMAGE);

      const ii = (await inspectResource(client, 'images', BASE_IMAGE)) as { Id: string; RepoTags: string[] };
      assert.match(ii.Id, /^sha256:[0-9a-f]{64}$/);
      assert.ok(ii.RepoTags.includes(BASE_IMAGE));

      const ni = (await inspectResource(client, 'networks', netId)) as { Id: string; Name: string };
      assert.deepEqual([ni.Id, ni.Name], [netId, net]);

      const vi = (await inspectResource(client, 'volumes', vol)) as { Name: string; Driver: string };
      assert.deepEqual([vi.Name, vi.Driver], [vol, 'local']);

      await expectEngineError(inspectResource(client, 'volumes', testName('no-such-volume')), 'engine-error', 404);
    });
  });

  describe('images', function () {
    it('tagImage adds a tag; removeImage of that tag only untags', async function () {
      const repo = testName('tagged');
      const base = (await inspectResource(client, 'images', BASE_IMAGE)) as { Id: string };
      await tagImage(client, BASE_IMAGE, repo, 'v1');
      const tagged = (await inspectResource(client, 'images', `${repo}:v1`)) as { Id: string; RepoTags: string[] };
      assert.equal(tagged.Id, base.Id, 'the tag points at the same image');
      assert.ok(tagged.RepoTags.includes(BASE_IMAGE) && tagged.RepoTags.includes(`${repo}:v1`));

      const report = await removeImage(client, `${repo}:v1`, false);
      assert.deepEqual(report, [{ Untagged: `${repo}:v1` }], 'only untagged, nothing deleted');
      await expectEngineError(inspectResource(client, 'images', `${repo}:v1`), 'engine-error', 404);
      const after = (await inspectResource(client, 'images', BASE_IMAGE)) as { Id: string };
      assert.equal(after.Id, base.Id, `${BASE_IMAGE} is still there`);
    });

    it('tag and remove work for a registry reference with a port and slashes', async function () {
      const repo = `localhost:5000/${testName('team')}/app`;
      await tagImage(client, BASE_IMAGE, repo, '2');
      const img = (await inspectResource(client, 'images', `${repo}:2`)) as { RepoTags: string[] };
      assert.ok(img.RepoTags.includes(`${repo}:2`));
      assert.deepEqual(await removeImage(client, `${repo}:2`, false), [{ Untagged: `${repo}:2` }]);
      await expectEngineError(inspectResource(client, 'images', `${repo}:2`), 'engine-error', 404);
    });

    it("pruneResources('images') removes a dangling image and reports its id", async function () {
      const c = await createContainer(client, 'commit', { cmd: ['true'] });
      const dangling = await commitDangling(client, c.id);
      const report = await pruneResources(client, 'images');
      assert.ok(report.removed.includes(dangling), `removed ${JSON.stringify(report.removed)} includes ${dangling}`);
      assert.ok(Number.isFinite(report.spaceReclaimed) && report.spaceReclaimed >= 0);
      await expectEngineError(inspectResource(client, 'images', dangling), 'engine-error', 404);
      await inspectResource(client, 'images', BASE_IMAGE); // tagged images are kept
    });
  });

  describe('networks', function () {
    it('createNetwork creates a bridge network; a second one with the same name is refused; removeNetwork removes it', async function () {
      const name = testName('net');
      const { Id } = await createNetwork(client, name);
      const ni = (await inspectResource(client, 'networks', Id)) as { Name: string; Driver: string };
      assert.deepEqual([ni.Name, ni.Driver], [name, 'bridge']);
      await expectEngineError(createNetwork(client, name), 'engine-error', 409);
      await removeNetwork(client, Id);
      await expectEngineError(inspectResource(client, 'networks', Id), 'engine-error', 404);
    });

    it("pruneResources('networks') removes an unused network and keeps the built-ins", async function () {
      const name = testName('prune-net');
      const { Id } = await createNetwork(client, name);
      const report = await pruneResources(client, 'networks');
      assert.ok(report.removed.includes(name), `removed ${JSON.stringify(report.removed)} includes ${name}`);
      await expectEngineError(inspectResource(client, 'networks', Id), 'engine-error', 404);
      await inspectResource(client, 'networks', 'bridge');
    });
  });

  describe('volumes', function () {
    it('createVolume creates a volume; removeVolume removes it', async function () {
      const name = testName('vol');
      const v = await createVolume(client, name);
      assert.equal(v.Name, name);
      assert.equal(((await inspectResource(client, 'volumes', name)) as { Name: string }).Name, name);
      await removeVolume(client, name, false);
      await expectEngineError(inspectResource(client, 'volumes', name), 'engine-error', 404);
    });

    it('removeVolume refuses a volume in use with a 409', async function () {
      const name = testName('busy-vol');
      await createVolume(client, name);
      await createContainer(client, 'vol-user', { extra: { HostConfig: { Binds: [`${name}:/data`] } } });
      await expectEngineError(removeVolume(client, name, false), 'engine-error', 409);
      await inspectResource(client, 'volumes', name);
    });

    it("pruneResources('volumes') removes an unused volume", async function () {
      const name = testName('prune-vol');
      await createVolume(client, name);
      const report = await pruneResources(client, 'volumes');
      assert.ok(report.removed.includes(name), `removed ${JSON.stringify(report.removed)} includes ${name}`);
      await expectEngineError(inspectResource(client, 'volumes', name), 'engine-error', 404);
    });
  });

  describe('logs', function () {
    it('followLogs + LogDemuxer split stdout from stderr; aborting ends the stream', async function () {
      const c = await createContainer(client, 'logs', { cmd: ['sh', '-c', 'echo out; echo err >&2; sleep 30'], start: true });
      const ac = new AbortController();
      const { stream, tty } = await followLogs(client, c.id, 100, ac.signal);
      assert.equal(tty, false);
      const demux = new LogDemuxer(tty);
      const got: LogChunk[] = [];
      const ended = new Promise<void>((resolve) => {
        stream.on('close', () => resolve());
        stream.on('end', () => resolve());
        stream.on('error', () => resolve());
      });
      stream.on('data', (chunk: Buffer) => got.push(...demux.push(chunk)));
      const text = (s: 'stdout' | 'stderr') => got.filter((g) => g.stream === s).map((g) => g.text).join('');
      try {
        await waitFor(() => text('stdout').includes('out\n') && text('stderr').includes('err\n'), 10_000, 'both log lines');
      } finally {
        ac.abort();
      }
      assert.equal(text('stdout'), 'out\n');
      assert.equal(text('stderr'), 'err\n');
      const t0 = Date.now();
      await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error('stream did not end within 2 s of abort')), 2000))]);
      assert.ok(Date.now() - t0 < 2000);
    });

    it('a TTY container is reported as tty and read raw', async function () {
      const c = await createContainer(client, 'tty-logs', { cmd: ['sh', '-c', 'echo hello-tty; sleep 30'], extra: { Tty: true }, start: true });
      const ac = new AbortController();
      const { stream, tty } = await followLogs(client, c.id, 100, ac.signal);
      assert.equal(tty, true);
      const demux = new LogDemuxer(tty);
      let out = '';
      stream.on('data', (chunk: Buffer) => (out += demux.push(chunk).map((g) => g.text).join('')));
      stream.on('error', () => undefined);
      try {
        await waitFor(() => out.includes('hello-tty'), 10_000, 'tty output');
      } finally {
        ac.abort();
      }
      assert.match(out, /^hello-tty\r?\n/);
    });
  });
});
