import assert from 'node:assert/strict';
import { MemoryCredentialStore, scrubSecrets, secretForms } from '../../../src/core/registry/credentials';
import { decodeRegistryAuth, encodeRegistryAuth } from '../../../src/core/registry/registryAuthHeader';
import { RegistryError } from '../../../src/core/registry/registryError';
import { modemDebugEnabled } from '../../../src/core/registry/imageTransfer';

describe('X-Registry-Auth and secret scrubbing', () => {
  it('encodes username/password as base64url JSON with the server address', () => {
    const h = encodeRegistryAuth({ kind: 'password', username: 'u', password: 'p?>>~~' }, '127.0.0.1:5001');
    assert.match(h, /^[A-Za-z0-9_=-]+$/, 'URL-safe alphabet, padding kept');
    assert.deepEqual(decodeRegistryAuth(h), { username: 'u', password: 'p?>>~~', serveraddress: '127.0.0.1:5001' });
    // Exactly what Go's base64.URLEncoding of the JSON gives (docker-modem's encoding).
    assert.equal(h, Buffer.from(JSON.stringify({ username: 'u', password: 'p?>>~~', serveraddress: '127.0.0.1:5001' })).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'));
  });

  it('encodes identity tokens, registry tokens and anonymous', () => {
    assert.deepEqual(decodeRegistryAuth(encodeRegistryAuth({ kind: 'identity-token', identityToken: 'idt' }, 'https://index.docker.io/v1/')), { identitytoken: 'idt', serveraddress: 'https://index.docker.io/v1/' });
    assert.deepEqual(decodeRegistryAuth(encodeRegistryAuth({ kind: 'registry-token', registryToken: 'rt' }, 'h')), { registrytoken: 'rt', serveraddress: 'h' });
    assert.equal(encodeRegistryAuth(undefined, 'h'), 'e30=');
  });

  it('scrubs the secret in every form it travels in', () => {
    const c = { kind: 'password', username: 'alice', password: 'Sup3r/Secret+' } as const;
    const forms = secretForms(c);
    const basic = Buffer.from('alice:Sup3r/Secret+').toString('base64');
    const text = `pw=Sup3r/Secret+ basic=${basic} url=${encodeURIComponent('Sup3r/Secret+')}`;
    const out = scrubSecrets(text, forms);
    assert.equal(out, 'pw=*** basic=*** url=***');
    assert.deepEqual(secretForms(undefined), []);
  });

  it('builds RegistryError messages and stacks without the secret', () => {
    const e = new RegistryError('unauthorized', 'registry said: bad password "hunter2-pw" for alice', secretForms({ kind: 'password', username: 'alice', password: 'hunter2-pw' }));
    assert.equal(e.message, 'registry said: bad password "***" for alice');
    assert.ok(!String(e.stack).includes('hunter2-pw'));
  });

  it('keeps credentials in a memory store by registry key', async () => {
    const s = new MemoryCredentialStore();
    await s.store('127.0.0.1:5001', { kind: 'password', username: 'a', password: 'b' });
    assert.deepEqual(await s.get('127.0.0.1:5001'), { kind: 'password', username: 'a', password: 'b' });
    await s.delete('127.0.0.1:5001');
    assert.equal(await s.get('127.0.0.1:5001'), undefined);
  });

  it("tells when DEBUG turns on docker-modem's header logging", () => {
    assert.equal(modemDebugEnabled(undefined), false);
    assert.equal(modemDebugEnabled('modem'), true);
    assert.equal(modemDebugEnabled('*'), true);
    assert.equal(modemDebugEnabled('express:*,mod*'), true);
    assert.equal(modemDebugEnabled('*,-modem'), false);
    assert.equal(modemDebugEnabled('express:*'), false);
  });
});
