import assert from 'node:assert/strict';
import {
  DEFAULT_UNIX_SOCKET,
  EndpointError,
  formatEndpoint,
  parseDockerHost,
  type EngineEndpoint,
  type TlsMaterial,
} from '../../../src/core/engine/endpoint';

/** Asserts an EndpointError whose message matches every given pattern. */
function assertRejects(value: string, ...patterns: RegExp[]): void {
  assert.throws(
    () => parseDockerHost(value),
    (err: unknown) => {
      assert.ok(err instanceof EndpointError, `expected EndpointError, got ${String(err)}`);
      for (const p of patterns) assert.match(err.message, p);
      return true;
    },
  );
}

const TLS: TlsMaterial = { caPath: '/certs/ca.pem', certPath: '/certs/cert.pem', keyPath: '/certs/key.pem', verify: true };

describe('endpoint: parseDockerHost', () => {
  describe('unix', () => {
    it('parses an absolute socket path', () => {
      assert.deepEqual(parseDockerHost('unix:///var/run/docker.sock'), { kind: 'unix', socketPath: '/var/run/docker.sock' });
    });

    it('keeps a user socket path exactly', () => {
      assert.deepEqual(parseDockerHost('unix:///home/me/.colima/default/docker.sock'), {
        kind: 'unix',
        socketPath: '/home/me/.colima/default/docker.sock',
      });
    });

    it('trims surrounding whitespace', () => {
      assert.deepEqual(parseDockerHost('  unix:///tmp/d.sock \n'), { kind: 'unix', socketPath: '/tmp/d.sock' });
    });

    it('ignores TLS material, which has no meaning for a socket', () => {
      assert.deepEqual(parseDockerHost('unix:///tmp/d.sock', TLS), { kind: 'unix', socketPath: '/tmp/d.sock' });
    });

    it('rejects a unix URL without a path', () => {
      assertRejects('unix://', /socket path/, /unix:\/\/\/var\/run\/docker\.sock/);
    });

    it('rejects a doubled scheme', () => {
      assertRejects('unix://unix:///tmp/d.sock', /second scheme/);
    });
  });

  describe('tcp', () => {
    it('parses host and port', () => {
      assert.deepEqual(parseDockerHost('tcp://docker.example.com:4243'), { kind: 'tcp', host: 'docker.example.com', port: 4243 });
    });

    it('defaults to port 2375 without TLS', () => {
      assert.deepEqual(parseDockerHost('tcp://10.0.0.5'), { kind: 'tcp', host: '10.0.0.5', port: 2375 });
    });

    it('defaults to port 2376 with TLS and carries the TLS material', () => {
      assert.deepEqual(parseDockerHost('tcp://10.0.0.5', TLS), { kind: 'tcp', host: '10.0.0.5', port: 2376, tls: TLS });
    });

    it('keeps an explicit port even with TLS', () => {
      assert.deepEqual(parseDockerHost('tcp://h:2375', TLS), { kind: 'tcp', host: 'h', port: 2375, tls: TLS });
    });

    it('parses a bracketed IPv6 address with and without a port', () => {
      assert.deepEqual(parseDockerHost('tcp://[::1]:2375'), { kind: 'tcp', host: '::1', port: 2375 });
      assert.deepEqual(parseDockerHost('tcp://[fe80::1]'), { kind: 'tcp', host: 'fe80::1', port: 2375 });
    });

    it('accepts a trailing slash and a trailing colon', () => {
      assert.deepEqual(parseDockerHost('tcp://h:2375/'), { kind: 'tcp', host: 'h', port: 2375 });
      assert.deepEqual(parseDockerHost('tcp://h:'), { kind: 'tcp', host: 'h', port: 2375 });
    });

    it('fills in localhost like docker for tcp:// and tcp://:port', () => {
      assert.deepEqual(parseDockerHost('tcp://'), { kind: 'tcp', host: 'localhost', port: 2375 });
      assert.deepEqual(parseDockerHost('tcp://:2376'), { kind: 'tcp', host: 'localhost', port: 2376 });
    });

    it('accepts an upper-case scheme', () => {
      assert.deepEqual(parseDockerHost('TCP://h:1234'), { kind: 'tcp', host: 'h', port: 1234 });
    });

    it('treats http:// as plain tcp', () => {
      assert.deepEqual(parseDockerHost('http://h'), { kind: 'tcp', host: 'h', port: 2375 });
      assert.deepEqual(parseDockerHost('http://h:8080'), { kind: 'tcp', host: 'h', port: 8080 });
    });

    it('treats https:// as tcp with verified TLS on port 2376', () => {
      assert.deepEqual(parseDockerHost('https://h'), { kind: 'tcp', host: 'h', port: 2376, tls: { verify: true } });
    });

    it('lets https:// use supplied TLS material as given', () => {
      const unverified: TlsMaterial = { caPath: '/c/ca.pem', verify: false };
      assert.deepEqual(parseDockerHost('https://h:9999', unverified), { kind: 'tcp', host: 'h', port: 9999, tls: unverified });
    });

    it('rejects a path after the port', () => {
      assertRejects('tcp://h:2375/v1.43', /path/, /"\/v1\.43"/);
    });

    it('rejects a query or fragment', () => {
      assertRejects('tcp://h:2375?x=1', /query or fragment/);
      assertRejects('tcp://h:2375#frag', /query or fragment/);
    });

    it('rejects credentials', () => {
      assertRejects('tcp://me@h:2375', /user name/);
    });

    it('rejects ports that are not numbers from 1 to 65535', () => {
      for (const port of ['abc', '0', '65536', '99999', '-1', '12a']) {
        assertRejects(`tcp://h:${port}`, /invalid port/, new RegExp(`"${port}"`));
      }
    });

    it('accepts the highest valid port', () => {
      assert.deepEqual(parseDockerHost('tcp://h:65535'), { kind: 'tcp', host: 'h', port: 65535 });
    });

    it('rejects an unbracketed IPv6 address and points at the bracket form', () => {
      assertRejects('tcp://::1:2375', /brackets/, /tcp:\/\/\[::1\]:2375/);
    });

    it('rejects malformed brackets', () => {
      assertRejects('tcp://[::1:2375', /without closing/);
      assertRejects('tcp://[::1]x', /unexpected text/);
      assertRejects('tcp://[]:2375', /empty IPv6/);
    });
  });

  describe('ssh', () => {
    it('parses a bare host', () => {
      assert.deepEqual(parseDockerHost('ssh://build-box'), { kind: 'ssh', host: 'build-box' });
    });

    it('parses user, host and port', () => {
      assert.deepEqual(parseDockerHost('ssh://deploy@build-box:2222'), { kind: 'ssh', host: 'build-box', user: 'deploy', port: 2222 });
    });

    it('parses a user without a port and leaves the port to ssh config', () => {
      const e = parseDockerHost('ssh://deploy@build-box');
      assert.deepEqual(e, { kind: 'ssh', host: 'build-box', user: 'deploy' });
      assert.equal('port' in e, false);
    });

    it('parses a bracketed IPv6 host', () => {
      assert.deepEqual(parseDockerHost('ssh://root@[2001:db8::7]:22'), { kind: 'ssh', host: '2001:db8::7', user: 'root', port: 22 });
    });

    it('ignores TLS material', () => {
      assert.deepEqual(parseDockerHost('ssh://h', TLS), { kind: 'ssh', host: 'h' });
    });

    it('rejects a password', () => {
      assertRejects('ssh://me:secret@h', /password/);
    });

    it('rejects a missing host or an empty user', () => {
      assertRejects('ssh://', /missing a host/);
      assertRejects('ssh://me@', /missing a host/);
      assertRejects('ssh://@h', /empty user/);
    });

    it('rejects a path and a bad port', () => {
      assertRejects('ssh://h/var/run/docker.sock', /path/);
      assertRejects('ssh://h:notaport', /invalid port/);
    });
  });

  describe('npipe', () => {
    it('parses the Docker Desktop pipe', () => {
      assert.deepEqual(parseDockerHost('npipe:////./pipe/docker_engine'), { kind: 'npipe', pipePath: '//./pipe/docker_engine' });
    });

    it('accepts backslash pipe paths as written', () => {
      assert.deepEqual(parseDockerHost('npipe://\\\\.\\pipe\\dockerDesktopLinuxEngine'), {
        kind: 'npipe',
        pipePath: '\\\\.\\pipe\\dockerDesktopLinuxEngine',
      });
    });

    it('rejects a missing or malformed pipe path', () => {
      assertRejects('npipe://', /pipe path/);
      assertRejects('npipe:///tmp/docker', /named pipe/);
      assertRejects('npipe:////./pipe/', /named pipe/);
    });
  });

  describe('other input', () => {
    it('rejects empty and whitespace-only input', () => {
      assertRejects('', /No Docker engine address/);
      assertRejects('   \t', /No Docker engine address/);
    });

    it('rejects a bare host:port and suggests the tcp form', () => {
      assertRejects('localhost:2375', /no scheme/, /tcp:\/\/localhost:2375/, /ssh:\/\//);
    });

    it('rejects a bare host name', () => {
      assertRejects('docker.example.com', /tcp:\/\/docker\.example\.com/);
    });

    it('rejects a bare path and suggests the unix form', () => {
      assertRejects('/var/run/docker.sock', /unix:\/\/\/var\/run\/docker\.sock/);
    });

    it('rejects fd:// as daemon-only', () => {
      assertRejects('fd://', /daemon/);
      assertRejects('fd://3', /fd:\/\//);
    });

    it('rejects unknown schemes and names the expected forms', () => {
      assertRejects('ftp://h', /unsupported scheme "ftp:\/\/"/, /unix:\/\//, /tcp:\/\//, /npipe:\/\//);
    });

    it('throws an Error subclass named EndpointError', () => {
      try {
        parseDockerHost('bogus');
        assert.fail('expected a throw');
      } catch (err) {
        assert.ok(err instanceof Error);
        assert.equal((err as Error).name, 'EndpointError');
      }
    });
  });
});

describe('endpoint: formatEndpoint', () => {
  it('formats each kind in URL form', () => {
    assert.equal(formatEndpoint({ kind: 'unix', socketPath: '/var/run/docker.sock' }), 'unix:///var/run/docker.sock');
    assert.equal(formatEndpoint({ kind: 'tcp', host: 'h', port: 2376, tls: TLS }), 'tcp://h:2376');
    assert.equal(formatEndpoint({ kind: 'ssh', host: 'h', user: 'u', port: 22 }), 'ssh://u@h:22');
    assert.equal(formatEndpoint({ kind: 'ssh', host: 'h' }), 'ssh://h');
    assert.equal(formatEndpoint({ kind: 'npipe', pipePath: '//./pipe/docker_engine' }), 'npipe:////./pipe/docker_engine');
  });

  it('brackets IPv6 hosts', () => {
    assert.equal(formatEndpoint({ kind: 'tcp', host: '::1', port: 2375 }), 'tcp://[::1]:2375');
    assert.equal(formatEndpoint({ kind: 'ssh', host: 'fe80::2', user: 'u' }), 'ssh://u@[fe80::2]');
  });

  it('round-trips through parseDockerHost', () => {
    const samples: EngineEndpoint[] = [
      { kind: 'unix', socketPath: '/run/user/1000/docker.sock' },
      { kind: 'tcp', host: '::1', port: 2375 },
      { kind: 'tcp', host: 'example.com', port: 443 },
      { kind: 'ssh', host: 'h', user: 'u', port: 2200 },
      { kind: 'ssh', host: '2001:db8::1' },
      { kind: 'npipe', pipePath: '//./pipe/docker_engine' },
    ];
    for (const e of samples) assert.deepEqual(parseDockerHost(formatEndpoint(e)), e);
  });

  it('normalises http and default ports to the canonical tcp form', () => {
    assert.equal(formatEndpoint(parseDockerHost('http://h')), 'tcp://h:2375');
    assert.equal(formatEndpoint(parseDockerHost('https://h')), 'tcp://h:2376');
  });
});

describe('endpoint: DEFAULT_UNIX_SOCKET', () => {
  it('is the standard Linux socket', () => {
    assert.equal(DEFAULT_UNIX_SOCKET, '/var/run/docker.sock');
  });
});
