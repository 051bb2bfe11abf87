// The registry code against real registries (scripts/provision-registries.sh):
// Debian's docker-registry open (5000), with htpasswd basic auth (5001) and
// with token auth (5002, tokens from test/support/tokenServer.ts on 5003).
// Images get there the way Berth will push them: the real engine's push with
// X-Registry-Auth (pushImage), then they are listed and read back through the
// HTTP client and pulled back by digest.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { removeImage, tagImage } from '../../src/core/engine/resources';
import type { RegistryCredential } from '../../src/core/registry/credentials';
import { dockerCredentialFor } from '../../src/core/registry/dockerConfig';
import { pullImage, pushImage, type TransferProgress } from '../../src/core/registry/imageTransfer';
import { MEDIA_TYPES, sha256Digest } from '../../src/core/registry/manifest';
import { RegistryClient } from '../../src/core/registry/registryClient';
import { RegistryError } from '../../src/core/registry/registryError';
import { parseRegistryUrl } from '../../src/core/registry/registryUrl';
import { spawnSync } from 'node:child_process';
import { CLI, bundleBeforeSuite } from '../support/cliBundle';
import { BASE_IMAGE, RUN_ID, newClient } from './support';

const STATE = path.join(process.env.BERTH_STATE_DIR ?? '/var/tmp/berth', 'registries');

interface Rig {
  open: string;
  basic: string;
  token: string;
  user: string;
  usersFile: string;
}

function readRig(): { rig: Rig; password: string; identityToken: string } {
  const file = path.join(STATE, 'rig.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "bash scripts/provision-registries.sh" first`);
  const rig = JSON.parse(readFileSync(file, 'utf8')) as Rig;
  const users = JSON.parse(readFileSync(rig.usersFile, 'utf8')) as Record<string, { password: string; identityToken: string }>;
  return { rig, password: users[rig.user].password, identityToken: users[rig.user].identityToken };
}

const hostOf = (url: string) => new URL(url).host;

/** Every thrown error's message and stack collected here is checked for the password at the end. */
const seenErrors: Error[] = [];
async function rejection(p: Promise<unknown>): Promise<RegistryError> {
  const err = await p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e as Error,
  );
  seenErrors.push(err);
  assert.ok(err instanceof RegistryError, `not a RegistryError: ${err}`);
  return err;
}

describe('registries: push, list, read and pull against real registries', function () {
  this.timeout(120_000);
  const engine = newClient(60_000);
  const { rig, password, identityToken } = readRig();
  const good: RegistryCredential = { kind: 'password', username: rig.user, password };
  const wrongPassword = `wrong-${RUN_ID}-Xq7p`;
  const wrong: RegistryCredential = { kind: 'password', username: rig.user, password: wrongPassword };
  const repo = `berth-test-${RUN_ID}/busybox`;
  const localTags: string[] = [];
  const digests: Record<string, string> = {};

  const image = (url: string, tag = '1') => `${hostOf(url)}/${repo}:${tag}`;
  async function tagged(url: string, tag = '1', r = repo): Promise<string> {
    const name = `${hostOf(url)}/${r}`;
    await tagImage(engine, BASE_IMAGE, name, tag);
    localTags.push(`${name}:${tag}`);
    return `${name}:${tag}`;
  }

  after(async () => {
    for (const t of localTags) await removeImage(engine, t, false).catch(() => undefined);
    engine.dispose();
  });

  describe('open registry (no auth)', () => {
    it('pushes through the engine with per-layer progress, then lists, reads and resolves it', async () => {
      const events: TransferProgress[] = [];
      const pushed = await pushImage(engine, await tagged(rig.open), { onProgress: (p) => events.push(p) });
      assert.match(pushed.digest ?? '', /^sha256:[0-9a-f]{64}$/);
      assert.ok(pushed.layers.length >= 1, 'a layer was reported');
      assert.ok(events.some((e) => e.layer && /Pushed|Layer already exists|Mounted/.test(e.status)), JSON.stringify(events));
      digests.open = pushed.digest!;
      const client = new RegistryClient(parseRegistryUrl(rig.open));
      assert.deepEqual(await client.checkLogin(), { ok: true, scheme: 'none', authenticated: false });
      assert.ok((await client.catalog()).includes(repo));
      assert.deepEqual(await client.tags(repo), ['1']);
      const m = await client.manifest(repo, '1');
      assert.equal(m.kind, 'image');
      assert.equal(m.mediaType, MEDIA_TYPES.dockerManifest);
      assert.equal(m.digest, pushed.digest);
      assert.equal(m.layers?.length, pushed.layers.length);
      assert.equal(await client.digest(repo, '1'), pushed.digest);
      // By digest: the bytes are checked against it.
      assert.equal((await client.manifest(repo, pushed.digest!)).digest, pushed.digest);
    });

    it('follows Link pagination for the catalog and tags', async () => {
      for (const t of ['2', '3', '4']) await pushImage(engine, await tagged(rig.open, t));
      for (const r of ['a', 'b']) await pushImage(engine, await tagged(rig.open, '1', `berth-test-${RUN_ID}/${r}`));
      const client = new RegistryClient(parseRegistryUrl(rig.open));
      const all = await client.catalog({ pageSize: 1000 });
      assert.deepEqual(await client.catalog({ pageSize: 1 }), all, 'one repository per page, same result');
      for (const r of [repo, `berth-test-${RUN_ID}/a`, `berth-test-${RUN_ID}/b`]) assert.ok(all.includes(r));
      assert.deepEqual((await client.tags(repo, { pageSize: 1 })).sort(), ['1', '2', '3', '4']);
    });

    it('reads a Docker manifest list and an OCI index with their platforms', async () => {
      const client = new RegistryClient(parseRegistryUrl(rig.open));
      const image = await client.manifest(repo, '1');
      for (const [mediaType, tag] of [
        [MEDIA_TYPES.dockerList, 'list'],
        [MEDIA_TYPES.ociIndex, 'index'],
      ]) {
        const body = JSON.stringify({
          schemaVersion: 2,
          mediaType,
          manifests: [{ mediaType: MEDIA_TYPES.dockerManifest, digest: image.digest, size: image.size, platform: { os: 'linux', architecture: 'amd64' } }],
        });
        const put = await fetch(`${rig.open}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': mediaType }, body, signal: AbortSignal.timeout(10_000) });
        assert.equal(put.status, 201, await put.text());
        const m = await client.manifest(repo, tag);
        assert.equal(m.kind, 'index');
        assert.equal(m.mediaType, mediaType);
        assert.equal(m.digest, sha256Digest(Buffer.from(body)));
        assert.deepEqual(m.manifests, [{ mediaType: MEDIA_TYPES.dockerManifest, digest: image.digest, size: image.size, platform: { os: 'linux', architecture: 'amd64' } }]);
      }
    });

    it('reports a missing repository and a refused connection plainly', async () => {
      const client = new RegistryClient(parseRegistryUrl(rig.open));
      assert.equal((await rejection(client.tags(`berth-test-${RUN_ID}/nothing`))).kind, 'not-found');
      const dead = new RegistryClient(parseRegistryUrl('http://127.0.0.1:1'));
      assert.equal((await rejection(dead.catalog())).kind, 'unreachable');
    });
  });

  describe('basic auth registry (htpasswd)', () => {
    it('pushes with the password in X-Registry-Auth, lists and reads with Basic', async () => {
      const pushed = await pushImage(engine, await tagged(rig.basic), { credential: good });
      digests.basic = pushed.digest!;
      const client = new RegistryClient(parseRegistryUrl(rig.basic), { credential: good });
      assert.deepEqual(await client.checkLogin(), { ok: true, scheme: 'basic', authenticated: true });
      assert.ok((await client.catalog()).includes(repo));
      assert.deepEqual(await client.tags(repo), ['1']);
      assert.equal((await client.manifest(repo, '1')).digest, pushed.digest);
    });

    it('without credentials or with a wrong password: a clear error, and nothing is pushed', async () => {
      const anonymous = new RegistryClient(parseRegistryUrl(rig.basic));
      const e1 = await rejection(anonymous.catalog());
      assert.equal(e1.kind, 'unauthorized');
      assert.match(e1.message, /needs a username and password/);
      const e2 = await rejection(new RegistryClient(parseRegistryUrl(rig.basic), { credential: wrong }).checkLogin());
      assert.equal(e2.kind, 'unauthorized');
      assert.match(e2.message, /the credentials were refused/);
      const wrongRepo = `berth-test-${RUN_ID}/wrong-basic`;
      const e3 = await rejection(pushImage(engine, await tagged(rig.basic, '1', wrongRepo), { credential: wrong }));
      assert.equal(e3.kind, 'unauthorized', e3.message);
      assert.ok(!(await new RegistryClient(parseRegistryUrl(rig.basic), { credential: good }).catalog()).includes(wrongRepo), 'nothing was pushed');
    });
  });

  describe('token auth registry (Bearer)', () => {
    const tokenLog = path.join(STATE, 'token-server.log');
    const issued = () => (existsSync(tokenLog) ? readFileSync(tokenLog, 'utf8').split('\n').filter((l) => /→ 200 user=/.test(l)).length : 0);

    it('pushes through the engine (which fetches its own token) and lists with bearer tokens cached per scope', async () => {
      const pushed = await pushImage(engine, await tagged(rig.token), { credential: good });
      digests.token = pushed.digest!;
      const client = new RegistryClient(parseRegistryUrl(rig.token), { credential: good });
      const before = issued();
      assert.ok((await client.catalog()).includes(repo));
      assert.ok((await client.catalog()).includes(repo));
      assert.equal(issued() - before, 1, 'the catalog token was fetched once and reused');
      assert.deepEqual(await client.tags(repo), ['1']);
      assert.equal((await client.manifest(repo, '1')).digest, pushed.digest);
      assert.equal(issued() - before, 2, 'one more token, for the repository scope, shared by tags and manifest');
      assert.equal((await client.checkLogin()).scheme, 'bearer');
    });

    it('exchanges an identity token (OAuth2 refresh token) for access tokens', async () => {
      const client = new RegistryClient(parseRegistryUrl(rig.token), { credential: { kind: 'identity-token', identityToken } });
      assert.deepEqual(await client.tags(repo), ['1']);
    });

    it('a wrong password: the token service refuses, nothing is pushed', async () => {
      const e1 = await rejection(new RegistryClient(parseRegistryUrl(rig.token), { credential: wrong }).catalog());
      assert.equal(e1.kind, 'unauthorized');
      assert.match(e1.message, /token service .* refused the credentials \(401/);
      assert.equal((await rejection(new RegistryClient(parseRegistryUrl(rig.token)).catalog())).kind, 'unauthorized');
      const wrongRepo = `berth-test-${RUN_ID}/wrong-token`;
      const e2 = await rejection(pushImage(engine, await tagged(rig.token, '1', wrongRepo), { credential: wrong }));
      assert.equal(e2.kind, 'unauthorized', e2.message);
      assert.ok(!(await new RegistryClient(parseRegistryUrl(rig.token), { credential: good }).catalog()).includes(wrongRepo));
    });

    it('pulls back by digest', async () => {
      const ref = `${hostOf(rig.token)}/${repo}@${digests.token}`;
      await removeImage(engine, image(rig.token), false);
      // Wrong password first: once the engine holds a manifest by digest it serves pulls of it without asking the registry.
      const refused = await rejection(pullImage(engine, ref, { credential: wrong }));
      assert.equal(refused.kind, 'unauthorized', refused.message);
      assert.match(refused.message, /authentication failed/);
      const pulled = await pullImage(engine, ref, { credential: good });
      assert.equal(pulled.digest ?? digests.token, digests.token);
      const info = await engine.request<{ RepoDigests: string[] }>('GET', `/images/${encodeURIComponent(ref)}/json`, 'inspect pulled image');
      assert.ok(info.RepoDigests.includes(ref), JSON.stringify(info.RepoDigests));
      await removeImage(engine, ref, false);
    });

    it('cancels a push through its AbortSignal', async () => {
      const ac = new AbortController();
      const e = await rejection(pushImage(engine, await tagged(rig.token, 'cancelled'), { credential: good, signal: ac.signal, onProgress: () => ac.abort() }));
      assert.equal(e.kind, 'cancelled');
    });
  });

  describe('the berth CLI (bundled)', () => {
    bundleBeforeSuite();
    const cli = (args: string[], dockerConfig: string) =>
      spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DOCKER_CONFIG: dockerConfig } });

    it("push, registry tags and pull with Docker's credentials; --registry-auth-from none is refused by the registry", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'berth-cli-config-'));
      try {
        writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { [hostOf(rig.basic)]: { auth: Buffer.from(`${rig.user}:${password}`).toString('base64') } } }));
        const name = await tagged(rig.basic, 'cli');
        const push = cli(['push', name], dir);
        assert.equal(push.status, 0, push.stderr);
        assert.match(push.stdout, /^[0-9a-f]{12}: (Pushed|Layer already exists|Mounted from .*)$/m);
        assert.match(push.stdout, new RegExp(`^pushed ${name.replace(/[.]/g, '\\.')} \\(sha256:[0-9a-f]{64}\\)$`, 'm'));
        const tags = cli(['registry', 'tags', `${rig.basic}/${repo}`], dir);
        assert.equal(tags.status, 0, tags.stderr);
        assert.ok(tags.stdout.split('\n').includes('cli'), tags.stdout);
        const pull = cli(['pull', name], dir);
        assert.equal(pull.status, 0, pull.stderr);
        const anonymous = cli(['push', name, '--registry-auth-from', 'none'], dir);
        assert.equal(anonymous.status, 1);
        assert.match(anonymous.stderr, /^berth push: .*(no basic auth credentials|unauthorized)/m);
        const usage = cli(['push', name, '--registry-auth-from', 'keychain'], dir);
        assert.equal(usage.status, 2);
        for (const r of [push, tags, pull, anonymous, usage]) assert.ok(!(r.stdout + r.stderr).includes(password), 'the password was printed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the password stays secret', () => {
    it('reaches no argv while a credential helper answers and the engine pushes', async () => {
      // A real helper that hands out the rig's password, slowly enough for argv to be sampled while it runs.
      const dir = mkdtempSync(path.join(tmpdir(), 'berth-reg-helper-'));
      const helper = path.join(dir, 'docker-credential-berthrig');
      const reply = JSON.stringify({ ServerURL: hostOf(rig.basic), Username: rig.user, Secret: password });
      writeFileSync(path.join(dir, 'reply.json'), reply);
      writeFileSync(helper, `#!/bin/sh\ncat >/dev/null\nsleep 0.3\ncat '${dir}/reply.json'\n`);
      chmodSync(helper, 0o755);
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ credHelpers: { [hostOf(rig.basic)]: 'berthrig' } }));
      const env = { ...process.env, PATH: `${dir}:${process.env.PATH}`, DOCKER_CONFIG: dir };
      const leaks: string[] = [];
      let sampled = 0;
      let sawHelper = false;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
            let cmdline: string;
            try {
              cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
            } catch {
              continue; // gone meanwhile
            }
            sampled++;
            if (cmdline.includes('docker-credential-berthrig')) sawHelper = true;
            if (cmdline.includes(password) || cmdline.includes(Buffer.from(`${rig.user}:${password}`).toString('base64'))) leaks.push(`${pid}: ${cmdline}`);
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      try {
        const resolved = await dockerCredentialFor(hostOf(rig.basic), { env, homeDir: dir });
        assert.deepEqual(resolved?.credential, good);
        await pushImage(engine, await tagged(rig.basic, 'helper'), { credential: resolved!.credential });
      } finally {
        sampling = false;
        await sampler;
        rmSync(dir, { recursive: true, force: true });
      }
      assert.ok(sawHelper, `the helper was seen running (${sampled} argv samples)`);
      assert.deepEqual(leaks, []);
    });

    it('appears in no error message or stack of the failures above', () => {
      assert.ok(seenErrors.length >= 8, `errors collected: ${seenErrors.length}`);
      for (const e of seenErrors) {
        for (const secret of [password, wrongPassword, identityToken]) {
          assert.ok(!e.message.includes(secret), `secret in message: ${e.message}`);
          assert.ok(!String(e.stack).includes(secret), `secret in stack: ${e.stack}`);
          assert.ok(!JSON.stringify(e).includes(secret), 'secret in the error object');
        }
      }
    });
  });
});
