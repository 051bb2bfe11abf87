import assert from 'node:assert/strict';
import {
  DOCKER_HUB_AUTH_KEY,
  RefError,
  authConfigKey,
  familiarName,
  formatRef,
  parseImageRef,
  registryBaseUrl,
  repositoryName,
} from '../../../src/core/registry/registryRef';
import { DOCKER_HUB, parseRegistryUrl } from '../../../src/core/registry/registryUrl';

const D = 'sha256:' + 'a'.repeat(64);

describe('registry references (Docker normalisation)', () => {
  const cases: [string, string, string, string | undefined, string | undefined][] = [
    ['nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined],
    ['team/app', 'docker.io', 'team/app', 'latest', undefined],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['index.docker.io/library/nginx:1', 'docker.io', 'library/nginx', '1', undefined],
    ['localhost/app', 'localhost', 'app', 'latest', undefined],
    ['localhost:5000/app:dev', 'localhost:5000', 'app', 'dev', undefined],
    ['127.0.0.1:5001/a/b/c:v1.2-rc_3', '127.0.0.1:5001', 'a/b/c', 'v1.2-rc_3', undefined],
    ['ghcr.io/org/img', 'ghcr.io', 'org/img', 'latest', undefined],
    [`nginx@${D}`, 'docker.io', 'library/nginx', undefined, D],
    [`reg.example:443/x:t@${D}`, 'reg.example:443', 'x', 't', D],
    ['Upper/app', 'Upper', 'app', 'latest', undefined], // an upper-case first part is a host, as in Docker
  ];
  for (const [input, registry, repository, tag, digest] of cases) {
    it(`parses ${input}`, () => {
      assert.deepEqual(parseImageRef(input), { registry, repository, tag, digest });
    });
  }

  it('rejects what docker rejects, with the reason', () => {
    assert.throws(() => parseImageRef('Team/App'), (e: Error) => e instanceof RefError);
    assert.throws(() => parseImageRef('nginx/App'), /lowercase/);
    assert.throws(() => parseImageRef('nginx:bad tag'), /not a valid tag/);
    assert.throws(() => parseImageRef('nginx@sha256:xyz'), /not a digest/);
    assert.throws(() => parseImageRef(''), /empty/);
    assert.throws(() => parseImageRef('a//b'), /not a valid repository name component/);
    assert.throws(() => parseImageRef('-a'), /not a valid repository name component/);
  });

  it('formats back in full and in familiar form', () => {
    const r = parseImageRef('nginx');
    assert.equal(formatRef(r), 'docker.io/library/nginx:latest');
    assert.equal(familiarName(r), 'nginx:latest');
    assert.equal(repositoryName(r), 'nginx');
    assert.equal(repositoryName(parseImageRef('team/app:1')), 'team/app');
    assert.equal(repositoryName(parseImageRef('127.0.0.1:5000/a/b:1')), '127.0.0.1:5000/a/b');
    assert.equal(familiarName(parseImageRef(`localhost:5000/a@${D}`)), `localhost:5000/a@${D}`);
  });

  it("keeps Docker Hub's credentials under https://index.docker.io/v1/", () => {
    for (const h of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/']) assert.equal(authConfigKey(h), DOCKER_HUB_AUTH_KEY);
    assert.equal(authConfigKey('127.0.0.1:5000'), '127.0.0.1:5000');
    assert.equal(authConfigKey('https://Reg.Example:5000/v2/'), 'reg.example:5000');
  });

  it('reaches loopback over http, others over https, Hub at registry-1', () => {
    assert.equal(registryBaseUrl('localhost:5000'), 'http://localhost:5000');
    assert.equal(registryBaseUrl('127.0.0.1:5001'), 'http://127.0.0.1:5001');
    assert.equal(registryBaseUrl('[::1]:5000'), 'http://[::1]:5000');
    assert.equal(registryBaseUrl('ghcr.io'), 'https://ghcr.io');
    assert.equal(registryBaseUrl('docker.io'), 'https://registry-1.docker.io');
  });

  it('reads registry addresses the user adds', () => {
    assert.deepEqual(parseRegistryUrl('http://127.0.0.1:5000/v2/'), { name: '127.0.0.1:5000', url: 'http://127.0.0.1:5000', host: '127.0.0.1:5000', authKey: '127.0.0.1:5000' });
    assert.equal(parseRegistryUrl('localhost:5000').url, 'http://localhost:5000');
    assert.equal(parseRegistryUrl('reg.example').url, 'https://reg.example');
    assert.equal(parseRegistryUrl('https://reg.example/prefix/').url, 'https://reg.example/prefix');
    assert.equal(parseRegistryUrl('docker.io'), DOCKER_HUB);
    assert.equal(parseRegistryUrl('https://index.docker.io/v1/'), DOCKER_HUB);
    assert.throws(() => parseRegistryUrl('ftp://x'), /http or https/);
    assert.throws(
      () => parseRegistryUrl('https://bob:hunter22@reg.example'),
      (e: Error) => /credential store/.test(e.message) && !e.message.includes('hunter22') && !String(e.stack).includes('hunter22'),
    );
  });
});
