import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextDirName, resolveEngines, type EngineCandidate, type Resolution } from '../../../src/core/engine/contexts';

let root: string;

/** A fresh home directory per test so stores never leak between cases. */
async function newHome(): Promise<{ home: string; docker: string }> {
  const home = await mkdtemp(path.join(root, 'home-'));
  return { home, docker: path.join(home, '.docker') };
}

async function writeConfig(configDir: string, body: unknown): Promise<void> {
  await mkdir(configDir, { recursive: true });
  await writeFile(path.join(configDir, 'config.json'), typeof body === 'string' ? body : JSON.stringify(body));
}

interface ContextSpec {
  host?: string;
  description?: string;
  skipTlsVerify?: boolean;
  tlsFiles?: string[];
}

async function writeContext(configDir: string, name: string, spec: ContextSpec): Promise<void> {
  const dir = path.join(configDir, 'contexts', 'meta', contextDirName(name));
  await mkdir(dir, { recursive: true });
  const meta: Record<string, unknown> = { Name: name, Metadata: spec.description ? { Description: spec.description } : {}, Endpoints: {} };
  if (spec.host !== undefined) {
    meta.Endpoints = { docker: { Host: spec.host, SkipTLSVerify: spec.skipTlsVerify ?? false } };
  }
  await writeFile(path.join(dir, 'meta.json'), JSON.stringify(meta));
  if (spec.tlsFiles) {
    const tlsDir = tlsDirOf(configDir, name);
    await mkdir(tlsDir, { recursive: true });
    for (const f of spec.tlsFiles) await writeFile(path.join(tlsDir, f), `-- ${f} --`);
  }
}

function tlsDirOf(configDir: string, name: string): string {
  return path.join(configDir, 'contexts', 'tls', contextDirName(name), 'docker');
}

function metaDirOf(configDir: string): string {
  return path.join(configDir, 'contexts', 'meta');
}

function names(r: Resolution): string[] {
  return r.candidates.map((c) => c.name);
}

function byName(r: Resolution, name: string): EngineCandidate {
  const found = r.candidates.find((c) => c.name === name);
  assert.ok(found, `no candidate named ${name} in ${names(r).join(', ')}`);
  return found;
}

const LINUX = 'linux' as const;

describe('engine contexts', () => {
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'berth-contexts-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('contexts: contextDirName', () => {
    it('is the sha256 hex digest of the name', () => {
      assert.equal(contextDirName('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      assert.match(contextDirName('desktop-linux'), /^[0-9a-f]{64}$/);
    });
  });

  describe('contexts: resolveEngines defaults', () => {
    it('uses the default socket when nothing is configured', async () => {
      const { home } = await newHome();
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.equal(r.chosenBy, 'default socket');
      assert.deepEqual(r.current, { name: 'default', source: 'default', endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock' } });
      assert.deepEqual(names(r), ['default']);
      assert.deepEqual(r.warnings, []);
    });

    it('uses the Docker Desktop named pipe on win32', async () => {
      const { home } = await newHome();
      const r = await resolveEngines({ env: {}, homeDir: home, platform: 'win32' });
      assert.equal(r.chosenBy, 'default named pipe');
      assert.deepEqual(r.current.endpoint, { kind: 'npipe', pipePath: '//./pipe/docker_engine' });
    });

    it('treats empty and whitespace-only variables and setting as unset', async () => {
      const { home } = await newHome();
      const r = await resolveEngines({
        env: { DOCKER_HOST: '', DOCKER_CONTEXT: '  ', DOCKER_CONFIG: '' },
        homeDir: home,
        setting: '   ',
        platform: LINUX,
      });
      assert.equal(r.chosenBy, 'default socket');
      assert.equal(r.current.name, 'default');
    });
  });

  describe('contexts: precedence', () => {
    let home: string;
    let docker: string;

    before(async () => {
      ({ home, docker } = await newHome());
      await writeConfig(docker, { auths: {}, currentContext: 'from-config' });
      await writeContext(docker, 'from-config', { host: 'unix:///run/config.sock' });
      await writeContext(docker, 'from-env', { host: 'unix:///run/env.sock' });
      await writeContext(docker, 'from-setting', { host: 'ssh://me@setting-host' });
    });

    it('currentContext in config.json beats the default socket', async () => {
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.equal(r.current.name, 'from-config');
      assert.equal(r.chosenBy, `currentContext in ~${path.sep}.docker${path.sep}config.json`);
      assert.deepEqual(r.current.endpoint, { kind: 'unix', socketPath: '/run/config.sock' });
      assert.equal(r.current.source, 'context');
    });

    it('DOCKER_CONTEXT beats currentContext', async () => {
      const r = await resolveEngines({ env: { DOCKER_CONTEXT: 'from-env' }, homeDir: home, platform: LINUX });
      assert.equal(r.current.name, 'from-env');
      assert.equal(r.chosenBy, 'DOCKER_CONTEXT=from-env');
      assert.deepEqual(r.warnings, []);
    });

    it('DOCKER_CONTEXT=default selects the implicit default even with a currentContext', async () => {
      const r = await resolveEngines({ env: { DOCKER_CONTEXT: 'default' }, homeDir: home, platform: LINUX });
      assert.equal(r.current.name, 'default');
      assert.equal(r.chosenBy, 'DOCKER_CONTEXT=default');
      assert.deepEqual(r.current.endpoint, { kind: 'unix', socketPath: '/var/run/docker.sock' });
    });

    it('DOCKER_HOST beats DOCKER_CONTEXT, with a warning, and also repoints default', async () => {
      const r = await resolveEngines({
        env: { DOCKER_HOST: 'tcp://build:2375', DOCKER_CONTEXT: 'from-env' },
        homeDir: home,
        platform: LINUX,
      });
      assert.equal(r.chosenBy, 'DOCKER_HOST');
      assert.deepEqual(r.current, { name: 'tcp://build:2375', source: 'DOCKER_HOST', endpoint: { kind: 'tcp', host: 'build', port: 2375 } });
      assert.deepEqual(byName(r, 'default').endpoint, { kind: 'tcp', host: 'build', port: 2375 });
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], /DOCKER_HOST.*DOCKER_CONTEXT=from-env/);
    });

    it('DOCKER_HOST beats currentContext', async () => {
      const r = await resolveEngines({ env: { DOCKER_HOST: 'unix:///tmp/x.sock' }, homeDir: home, platform: LINUX });
      assert.equal(r.chosenBy, 'DOCKER_HOST');
      assert.deepEqual(r.current.endpoint, { kind: 'unix', socketPath: '/tmp/x.sock' });
      assert.deepEqual(r.warnings, []);
    });

    it('a context name in the setting beats DOCKER_HOST and DOCKER_CONTEXT', async () => {
      const r = await resolveEngines({
        env: { DOCKER_HOST: 'tcp://build:2375', DOCKER_CONTEXT: 'from-env' },
        homeDir: home,
        setting: 'from-setting',
        platform: LINUX,
      });
      assert.equal(r.chosenBy, 'berth.engine setting');
      assert.equal(r.current.name, 'from-setting');
      assert.deepEqual(r.current.endpoint, { kind: 'ssh', host: 'setting-host', user: 'me' });
      // DOCKER_HOST is not in force, so it is only reachable through 'default'.
      assert.deepEqual(names(r), ['default', 'from-config', 'from-env', 'from-setting']);
    });

    it('an address in the setting beats DOCKER_HOST and is listed after the contexts', async () => {
      const r = await resolveEngines({
        env: { DOCKER_HOST: 'tcp://build:2375' },
        homeDir: home,
        setting: ' ssh://ops@vm:2222 ',
        platform: LINUX,
      });
      assert.equal(r.chosenBy, 'berth.engine setting');
      assert.deepEqual(r.current, { name: 'ssh://ops@vm:2222', source: 'setting', endpoint: { kind: 'ssh', host: 'vm', user: 'ops', port: 2222 } });
      assert.deepEqual(names(r), ['default', 'from-config', 'from-env', 'from-setting', 'ssh://ops@vm:2222']);
      assert.ok(r.candidates.includes(r.current));
    });

    it('setting "default" means DOCKER_HOST when it is set, else the socket', async () => {
      const withHost = await resolveEngines({ env: { DOCKER_HOST: 'tcp://build' }, homeDir: home, setting: 'default', platform: LINUX });
      assert.equal(withHost.chosenBy, 'berth.engine setting');
      assert.deepEqual(withHost.current, { name: 'default', source: 'default', endpoint: { kind: 'tcp', host: 'build', port: 2375 } });
      assert.deepEqual(names(withHost), ['default', 'from-config', 'from-env', 'from-setting']);

      const without = await resolveEngines({ env: {}, homeDir: home, setting: 'default', platform: LINUX });
      assert.deepEqual(without.current.endpoint, { kind: 'unix', socketPath: '/var/run/docker.sock' });
    });

    it('lists DOCKER_HOST as its own candidate only while it is in force, without duplicates', async () => {
      const r = await resolveEngines({ env: { DOCKER_HOST: 'tcp://build:2375' }, homeDir: home, platform: LINUX });
      assert.deepEqual(names(r), ['default', 'from-config', 'from-env', 'from-setting', 'tcp://build:2375']);
      assert.equal(new Set(names(r)).size, r.candidates.length);
      assert.ok(r.candidates.includes(r.current));
    });

    it('reports an unparseable DOCKER_HOST as the current problem', async () => {
      const r = await resolveEngines({ env: { DOCKER_HOST: 'build:2375' }, homeDir: home, platform: LINUX });
      assert.equal(r.chosenBy, 'DOCKER_HOST');
      assert.equal(r.current.endpoint, undefined);
      assert.match(r.current.problem ?? '', /tcp:\/\/build:2375/);
      assert.match(byName(r, 'default').problem ?? '', /no scheme/);
    });
  });

  describe('contexts: DOCKER_CONFIG', () => {
    it('reads config and store from DOCKER_CONFIG instead of ~/.docker', async () => {
      const { home, docker } = await newHome();
      await writeConfig(docker, { currentContext: 'home-ctx' });
      await writeContext(docker, 'home-ctx', { host: 'unix:///home.sock' });
      const alt = path.join(home, 'elsewhere');
      await writeConfig(alt, { currentContext: 'alt-ctx' });
      await writeContext(alt, 'alt-ctx', { host: 'unix:///alt.sock', description: 'Alternative' });

      const r = await resolveEngines({ env: { DOCKER_CONFIG: alt }, homeDir: home, platform: LINUX });
      assert.equal(r.current.name, 'alt-ctx');
      assert.equal(r.current.description, 'Alternative');
      assert.equal(r.chosenBy, `currentContext in ~${path.sep}elsewhere${path.sep}config.json`);
      assert.deepEqual(names(r), ['default', 'alt-ctx']);
    });

    it('shows the full config path when it is outside the home directory', async () => {
      const { home } = await newHome();
      const outside = await mkdtemp(path.join(root, 'cfg-'));
      await writeConfig(outside, { currentContext: 'default' });
      const r = await resolveEngines({ env: { DOCKER_CONFIG: outside }, homeDir: home, platform: LINUX });
      assert.equal(r.chosenBy, `currentContext in ${path.join(outside, 'config.json')}`);
    });
  });

  describe('contexts: TLS', () => {
    it('gives a tcp context the TLS files from its tls folder, defaulting to port 2376', async () => {
      const { home, docker } = await newHome();
      await writeContext(docker, 'secure', { host: 'tcp://prod.example.com', tlsFiles: ['ca.pem', 'cert.pem', 'key.pem'] });
      const r = await resolveEngines({ env: {}, homeDir: home, setting: 'secure', platform: LINUX });
      const tlsDir = tlsDirOf(docker, 'secure');
      assert.deepEqual(r.current.endpoint, {
        kind: 'tcp',
        host: 'prod.example.com',
        port: 2376,
        tls: {
          caPath: path.join(tlsDir, 'ca.pem'),
          certPath: path.join(tlsDir, 'cert.pem'),
          keyPath: path.join(tlsDir, 'key.pem'),
          verify: true,
        },
      });
    });

    it('lists only the TLS files present and honours SkipTLSVerify', async () => {
      const { home, docker } = await newHome();
      await writeContext(docker, 'ca-only', { host: 'tcp://h:9000', tlsFiles: ['ca.pem'], skipTlsVerify: true });
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.deepEqual(byName(r, 'ca-only').endpoint, {
        kind: 'tcp',
        host: 'h',
        port: 9000,
        tls: { caPath: path.join(tlsDirOf(docker, 'ca-only'), 'ca.pem'), verify: false },
      });
    });

    it('uses unverified TLS for SkipTLSVerify without a tls folder, and no TLS otherwise', async () => {
      const { home, docker } = await newHome();
      await writeContext(docker, 'insecure', { host: 'tcp://h', skipTlsVerify: true });
      await writeContext(docker, 'plain', { host: 'tcp://h' });
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.deepEqual(byName(r, 'insecure').endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: { verify: false } });
      assert.deepEqual(byName(r, 'plain').endpoint, { kind: 'tcp', host: 'h', port: 2375 });
    });

    it('takes DOCKER_HOST TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', async () => {
      const { home } = await newHome();
      const certs = path.join(home, 'certs');
      await mkdir(certs);
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(path.join(certs, f), f);
      const r = await resolveEngines({
        env: { DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs },
        homeDir: home,
        platform: LINUX,
      });
      const tls = { caPath: path.join(certs, 'ca.pem'), certPath: path.join(certs, 'cert.pem'), keyPath: path.join(certs, 'key.pem'), verify: true };
      assert.deepEqual(r.current.endpoint, { kind: 'tcp', host: 'remote', port: 2376, tls });
      assert.deepEqual(byName(r, 'default').endpoint, { kind: 'tcp', host: 'remote', port: 2376, tls });
    });

    it('looks for DOCKER_HOST certificates in the config dir when DOCKER_CERT_PATH is unset', async () => {
      const { home, docker } = await newHome();
      await mkdir(docker, { recursive: true });
      await writeFile(path.join(docker, 'ca.pem'), 'ca');
      const r = await resolveEngines({ env: { DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: 'yes' }, homeDir: home, platform: LINUX });
      assert.deepEqual(r.current.endpoint, { kind: 'tcp', host: 'remote', port: 2376, tls: { caPath: path.join(docker, 'ca.pem'), verify: true } });
    });

    it('treats DOCKER_TLS alone as unverified TLS, and no TLS variables as plain tcp', async () => {
      const { home } = await newHome();
      const tlsOnly = await resolveEngines({ env: { DOCKER_HOST: 'tcp://remote', DOCKER_TLS: '1' }, homeDir: home, platform: LINUX });
      assert.deepEqual(tlsOnly.current.endpoint, { kind: 'tcp', host: 'remote', port: 2376, tls: { verify: false } });
      const plain = await resolveEngines({ env: { DOCKER_HOST: 'tcp://remote', DOCKER_TLS_VERIFY: '' }, homeDir: home, platform: LINUX });
      assert.deepEqual(plain.current.endpoint, { kind: 'tcp', host: 'remote', port: 2375 });
    });

    it('applies the TLS variables to an address in the setting, like docker --host', async () => {
      const { home } = await newHome();
      const r = await resolveEngines({ env: { DOCKER_TLS_VERIFY: '1' }, homeDir: home, setting: 'tcp://box', platform: LINUX });
      assert.deepEqual(r.current.endpoint, { kind: 'tcp', host: 'box', port: 2376, tls: { verify: true } });
    });
  });

  describe('contexts: unknown contexts', () => {
    let home: string;
    let docker: string;

    before(async () => {
      ({ home, docker } = await newHome());
      await writeContext(docker, 'real', { host: 'unix:///real.sock' });
    });

    const cases: Array<{ label: string; setting?: string; env: Record<string, string>; config?: object; chosenBy: (d: string) => string }> = [
      { label: 'the setting', setting: 'ghost', env: {}, chosenBy: () => 'berth.engine setting' },
      { label: 'DOCKER_CONTEXT', env: { DOCKER_CONTEXT: 'ghost' }, chosenBy: () => 'DOCKER_CONTEXT=ghost' },
      { label: 'currentContext', env: {}, config: { currentContext: 'ghost' }, chosenBy: () => `currentContext in ~${path.sep}.docker${path.sep}config.json` },
    ];

    for (const c of cases) {
      it(`reports a missing context named by ${c.label} precisely`, async () => {
        await writeConfig(docker, c.config ?? {});
        const r = await resolveEngines({ env: c.env, homeDir: home, setting: c.setting, platform: LINUX });
        assert.equal(r.chosenBy, c.chosenBy(docker));
        assert.deepEqual(r.current, { name: 'ghost', source: 'context', problem: `context "ghost" not found in ${metaDirOf(docker)}` });
        assert.deepEqual(names(r), ['default', 'real', 'ghost']);
        assert.equal(r.warnings.length, 1);
        assert.match(r.warnings[0], /"ghost"/);
      });
    }
  });

  describe('contexts: damaged files', () => {
    it('warns about a broken config.json and falls back to the default socket', async () => {
      const { home, docker } = await newHome();
      await writeConfig(docker, '{"currentContext": "x",');
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.equal(r.chosenBy, 'default socket');
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], /config\.json is not valid JSON/);
    });

    it('warns about a config.json that is not an object or has a non-string currentContext', async () => {
      const { home, docker } = await newHome();
      await writeConfig(docker, '[1,2]');
      const a = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.match(a.warnings.join('\n'), /does not contain a JSON object/);
      await writeConfig(docker, { currentContext: 42 });
      const b = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.match(b.warnings.join('\n'), /not a string/);
      assert.equal(b.current.name, 'default');
    });

    it('keeps the readable contexts when others are broken, missing or misplaced', async () => {
      const { home, docker } = await newHome();
      const meta = metaDirOf(docker);
      await writeContext(docker, 'good', { host: 'unix:///good.sock', description: 'Works' });
      await mkdir(path.join(meta, contextDirName('broken')));
      await writeFile(path.join(meta, contextDirName('broken'), 'meta.json'), '{ not json');
      await mkdir(path.join(meta, contextDirName('empty')));
      await writeFile(path.join(meta, 'stray-file.txt'), 'not a context');
      await mkdir(path.join(meta, 'wrong-folder'));
      await writeFile(path.join(meta, 'wrong-folder', 'meta.json'), JSON.stringify({ Name: 'moved', Endpoints: {} }));
      await mkdir(path.join(meta, contextDirName('default')));
      await writeFile(path.join(meta, contextDirName('default'), 'meta.json'), JSON.stringify({ Name: 'default', Endpoints: { docker: { Host: 'tcp://evil' } } }));

      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.deepEqual(names(r), ['default', 'good']);
      assert.deepEqual(byName(r, 'default').endpoint, { kind: 'unix', socketPath: '/var/run/docker.sock' });
      assert.deepEqual(byName(r, 'good'), { name: 'good', source: 'context', description: 'Works', endpoint: { kind: 'unix', socketPath: '/good.sock' } });
      const text = r.warnings.join('\n');
      assert.equal(r.warnings.length, 4, text);
      assert.match(text, /not valid JSON/);
      assert.match(text, /no meta\.json/);
      assert.match(text, /does not match the context name "moved"/);
      assert.match(text, /reserved/);
      assert.doesNotMatch(text, /stray-file/);
    });

    it('explains why a named context whose folder is broken cannot be used', async () => {
      const { home, docker } = await newHome();
      const dir = path.join(metaDirOf(docker), contextDirName('broken'));
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'meta.json'), '{ not json');
      const r = await resolveEngines({ env: { DOCKER_CONTEXT: 'broken' }, homeDir: home, platform: LINUX });
      assert.equal(r.current.name, 'broken');
      assert.equal(r.current.endpoint, undefined);
      assert.match(r.current.problem ?? '', /^context "broken" could not be read: .*not valid JSON/);
    });

    it('gives a context with a bad or missing Host a problem instead of an endpoint', async () => {
      const { home, docker } = await newHome();
      await writeContext(docker, 'bad-host', { host: 'tcp://h:2375/api' });
      await writeContext(docker, 'no-endpoint', {});
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      const bad = byName(r, 'bad-host');
      assert.equal(bad.endpoint, undefined);
      assert.match(bad.problem ?? '', /path/);
      assert.match(byName(r, 'no-endpoint').problem ?? '', /no Docker endpoint/);
      assert.deepEqual(r.warnings, []);
    });

    it('warns when the context store is not a folder', async () => {
      const { home, docker } = await newHome();
      await mkdir(path.join(docker, 'contexts'), { recursive: true });
      await writeFile(metaDirOf(docker), 'oops');
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.deepEqual(names(r), ['default']);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], /Could not list Docker contexts/);
    });

    it('sorts stored contexts by name after default', async () => {
      const { home, docker } = await newHome();
      for (const n of ['zeta', 'Alpha', 'mid', 'alpha']) await writeContext(docker, n, { host: `unix:///${n}.sock` });
      const r = await resolveEngines({ env: {}, homeDir: home, platform: LINUX });
      assert.deepEqual(names(r), ['default', 'Alpha', 'alpha', 'mid', 'zeta']);
    });
  });
});
