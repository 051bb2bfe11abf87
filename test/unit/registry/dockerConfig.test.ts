import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { helperErase, helperGet, helperStore } from '../../../src/core/registry/credentialHelper';
import type { RegistryCredential } from '../../../src/core/registry/credentials';
import { dockerConfigDir, dockerCredentialFor, readDockerConfig } from '../../../src/core/registry/dockerConfig';
import { RegistryError } from '../../../src/core/registry/registryError';
import { HELPER_SECRET, HUB_IDENTITY_TOKEN, LEAKED_SECRET, writeHelpers, type HelperDir } from './helperScripts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe("Docker's credentials: config.json and credential helpers", () => {
  let home: string;
  let helpers: HelperDir;
  before(() => {
    helpers = writeHelpers();
  });
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'berth-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  after(() => rmSync(helpers.dir, { recursive: true, force: true }));

  const writeConfig = (config: unknown, dir = path.join(home, '.docker')) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return dir;
  };
  const lookup = (host: string, env: NodeJS.ProcessEnv = helpers.env) => dockerCredentialFor(host, { env: { ...env, DOCKER_CONFIG: env.DOCKER_CONFIG }, homeDir: home });

  it('finds the config in $DOCKER_CONFIG, else ~/.docker; no file means no credentials', async () => {
    assert.equal(dockerConfigDir({}, home), path.join(home, '.docker'));
    assert.equal(dockerConfigDir({ DOCKER_CONFIG: '/x/y' }, home), '/x/y');
    assert.deepEqual(await readDockerConfig(path.join(home, 'nope')), {});
    assert.equal(await lookup('127.0.0.1:5001'), undefined);
  });

  it('decodes inline auths (base64 user:password, passwords holding ":")', async () => {
    writeConfig({ auths: { '127.0.0.1:5001': { auth: b64('carol:pa:ss:word') } } });
    const r = await lookup('127.0.0.1:5001');
    assert.deepEqual(r?.credential, { kind: 'password', username: 'carol', password: 'pa:ss:word' });
    assert.match(r!.source, /auths in .*config\.json/);
  });

  it("uses Docker Hub's key https://index.docker.io/v1/ for docker.io, and legacy http:// keys by host", async () => {
    const dir = writeConfig({ auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') }, 'http://reg.example:5000/v1/': { identitytoken: 'idt-123' } } }, path.join(home, 'elsewhere'));
    const env = { ...helpers.env, DOCKER_CONFIG: dir };
    assert.deepEqual((await lookup('docker.io', env))?.credential, { kind: 'password', username: 'hubuser', password: 'hubpass' });
    assert.deepEqual((await lookup('index.docker.io', env))?.credential, { kind: 'password', username: 'hubuser', password: 'hubpass' });
    assert.deepEqual((await lookup('reg.example:5000', env))?.credential, { kind: 'identity-token', identityToken: 'idt-123', username: undefined });
  });

  it('asks credHelpers[host] first, credsStore otherwise, through the real helper protocol', async () => {
    writeConfig({ credsStore: 'berthtest', credHelpers: { 'other.example': 'berthfail' }, auths: { '127.0.0.1:5001': { auth: b64('inline:never-used') } } });
    const r = await lookup('127.0.0.1:5001');
    assert.deepEqual(r?.credential, { kind: 'password', username: 'alice', password: HELPER_SECRET });
    assert.equal(r?.source, 'credential helper docker-credential-berthtest (credsStore)');
    // Username "<token>" marks an identity token; Hub is asked under its v1 key.
    assert.deepEqual((await lookup('docker.io'))?.credential, { kind: 'identity-token', identityToken: HUB_IDENTITY_TOKEN });
    // "credentials not found" is an absence, not an error, and the inline auth is not consulted.
    assert.equal(await lookup('unknown.example'), undefined);
    await assert.rejects(lookup('other.example'), /docker-credential-berthfail get failed \(exit 1\): .*keychain is locked/);
  });

  it('a failing helper is an error, never a fallback to the inline credential', async () => {
    writeConfig({ credsStore: 'berthfail', auths: { '127.0.0.1:5001': { auth: b64('inline:fallback-pw') } } });
    await assert.rejects(lookup('127.0.0.1:5001'), (e: Error) => e instanceof RegistryError && e.kind === 'credentials' && /berthfail/.test(e.message));
    writeConfig({ credHelpers: { '127.0.0.1:5001': 'notinstalled' }, auths: { '127.0.0.1:5001': { auth: b64('inline:fallback-pw') } } });
    await assert.rejects(lookup('127.0.0.1:5001'), /docker-credential-notinstalled is not installed/);
  });

  it("never quotes a secret from a helper's broken answer or failure", async () => {
    writeConfig({ credsStore: 'berthleak' });
    const e1 = await lookup('127.0.0.1:5001').then(() => assert.fail('resolved'), (e: Error) => e);
    assert.match(e1.message, /exit 3/);
    assert.ok(!e1.message.includes(LEAKED_SECRET) && !String(e1.stack).includes(LEAKED_SECRET), e1.message);
    writeConfig({ credsStore: 'berthjunk' });
    const e2 = await lookup('127.0.0.1:5001').then(() => assert.fail('resolved'), (e: Error) => e);
    assert.match(e2.message, /not JSON/);
    assert.ok(!String(e2.stack).includes(LEAKED_SECRET));
  });

  it('a config.json that is not JSON is an error that does not quote it', async () => {
    writeConfig('{"auths": {"x": {"auth": "c2VjcmV0LXB3"}} oops');
    await assert.rejects(lookup('x'), (e: Error) => /not valid JSON/.test(e.message) && !e.message.includes('c2VjcmV0LXB3'));
  });

  it('stores, reads and erases through a helper with the secret on stdin only', async () => {
    const cred: RegistryCredential = { kind: 'password', username: 'dave', password: 'stored-pw-991' };
    await helperStore('berthtest', 'reg.store.example', cred, { env: helpers.env });
    assert.deepEqual(await helperGet('berthtest', 'reg.store.example', { env: helpers.env }), cred);
    await helperErase('berthtest', 'reg.store.example', { env: helpers.env });
    assert.equal(await helperGet('berthtest', 'reg.store.example', { env: helpers.env }), undefined);
    const argv = readFileSync(helpers.argvLog, 'utf8');
    assert.match(argv, /^berthtest store$/m);
    for (const secret of ['stored-pw-991', HELPER_SECRET]) assert.ok(!argv.includes(secret), 'a secret reached argv');
  });

  it('times out and cancels a helper, and refuses helper names that are paths', async () => {
    await assert.rejects(helperGet('berthslow', 'x', { env: helpers.env, timeoutMs: 200 }), /did not finish within/);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(helperGet('berthslow', 'x', { env: helpers.env, signal: ac.signal }), (e: Error) => e instanceof RegistryError && e.kind === 'cancelled');
    await assert.rejects(helperGet('../../bin/sh', 'x', { env: helpers.env }), /not a credential helper name/);
  });
});
