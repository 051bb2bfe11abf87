import assert from 'node:assert/strict';
import { compareApiVersions } from '../../../src/core/engine/client';
import { toEngineError } from '../../../src/core/engine/errors';

const unix = { kind: 'unix' as const, socketPath: '/run/x.sock' };
const tcp = { kind: 'tcp' as const, host: 'h', port: 2375 };

describe('engine errors (unit)', () => {
  it('names the precise reason for each transport failure', () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ code: 'ENOENT' }, 'socket-missing', /No Docker engine socket at \/run\/x\.sock/],
      [{ code: 'EACCES' }, 'permission-denied', /Permission denied on \/run\/x\.sock.*docker" group/],
      [{ code: 'ECONNREFUSED' }, 'refused', /Connection refused/],
      [{ name: 'TimeoutError' }, 'timeout', /did not answer listing in time/],
      [{ name: 'AbortError' }, 'cancelled', /cancelled/],
      [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'bad cert' }, 'tls', /TLS handshake/],
    ];
    for (const [raw, kind, message] of cases) {
      const e = toEngineError(raw, unix, 'listing');
      assert.equal(e.kind, kind);
      assert.match(e.message, message);
    }
    assert.match(toEngineError({ code: 'ECONNREFUSED' }, tcp, 'x').message, /tcp:\/\/h:2375/);
  });

  it('carries the engine message and status of an HTTP error, and is not "unreachable"', () => {
    const e = toEngineError({ statusCode: 409, json: { message: 'conflict: unable to remove running container' } }, unix, 'remove container abc');
    assert.equal(e.kind, 'engine-error');
    assert.equal(e.statusCode, 409);
    assert.equal(e.unreachable, false);
    assert.equal(e.message, 'remove container abc failed: conflict: unable to remove running container');
    assert.equal(toEngineError({ code: 'ENOENT' }, unix, 'x').unreachable, true);
  });

  it('compares API versions numerically', () => {
    assert.equal(compareApiVersions('1.9', '1.41'), -1);
    assert.equal(compareApiVersions('1.41', '1.41'), 0);
    assert.equal(compareApiVersions('1.44', '1.41'), 1);
    assert.equal(compareApiVersions('2.0', '1.99'), 1);
  });
});
