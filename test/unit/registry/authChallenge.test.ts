import assert from 'node:assert/strict';
import { parseAuthChallenges, pickChallenge } from '../../../src/core/registry/authChallenge';

describe('WWW-Authenticate challenges', () => {
  it('reads a registry Bearer challenge', () => {
    const [c] = parseAuthChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"');
    assert.deepEqual(c, { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } });
  });

  it('reads Basic, unquoted values, spaces and case', () => {
    assert.deepEqual(parseAuthChallenges('Basic realm="berth-basic"'), [{ scheme: 'basic', params: { realm: 'berth-basic' } }]);
    assert.deepEqual(parseAuthChallenges('BEARER  Realm = http://t/token , Service=svc'), [{ scheme: 'bearer', params: { realm: 'http://t/token', service: 'svc' } }]);
  });

  it('keeps commas and escaped quotes inside quoted strings (multi-scope, error text)', () => {
    const [c] = parseAuthChallenges('Bearer realm="http://t/token",scope="repository:a/b:pull,push",error="insufficient_scope",error_description="say \\"hi\\", then go"');
    assert.equal(c.params.scope, 'repository:a/b:pull,push');
    assert.equal(c.params.error, 'insufficient_scope');
    assert.equal(c.params.error_description, 'say "hi", then go');
  });

  it('splits several challenges in one header and across headers, and prefers Bearer', () => {
    const all = parseAuthChallenges(['Basic realm="r1", Bearer realm="http://t/token",service="s"', 'Negotiate']);
    assert.deepEqual(all.map((c) => c.scheme), ['basic', 'bearer', 'negotiate']);
    assert.equal(pickChallenge(all)?.scheme, 'bearer');
    assert.equal(pickChallenge(parseAuthChallenges('Basic realm="x"'))?.scheme, 'basic');
    // A Bearer without realm cannot be answered: Basic wins.
    assert.equal(pickChallenge(parseAuthChallenges('Bearer service="s", Basic realm="x"'))?.scheme, 'basic');
  });

  it('survives malformed input without looping', () => {
    assert.deepEqual(parseAuthChallenges(''), []);
    assert.deepEqual(parseAuthChallenges(null), []);
    assert.deepEqual(parseAuthChallenges(', ,,"'), []);
    assert.ok(Array.isArray(parseAuthChallenges('==x="\\')));
    assert.deepEqual(parseAuthChallenges('Bearer realm="unterminated'), [{ scheme: 'bearer', params: { realm: 'unterminated' } }]);
  });
});
