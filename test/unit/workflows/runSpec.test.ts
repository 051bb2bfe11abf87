import assert from 'node:assert/strict';
import { createBody, defaultMapping, dockerRunCommand, formatPort, parsePort, RunSpecError, shellQuote, type RunSpec } from '../../../src/core/run/runSpec';

const base: RunSpec = { image: 'shop-web:dev', ports: [], env: [], volumes: [], remove: false, interactive: false };

describe('RunSpec: the docker run forms, the create body and the line to copy', () => {
  it('parses the port forms docker run takes', () => {
    const cases: Array<[string, ReturnType<typeof parsePort>]> = [
      ['80', { hostIp: undefined, hostPort: undefined, containerPort: '80', protocol: 'tcp' }],
      ['53/udp', { hostIp: undefined, hostPort: undefined, containerPort: '53', protocol: 'udp' }],
      ['8080:80', { hostIp: undefined, hostPort: '8080', containerPort: '80', protocol: 'tcp' }],
      ['127.0.0.1:8080:80', { hostIp: '127.0.0.1', hostPort: '8080', containerPort: '80', protocol: 'tcp' }],
      ['127.0.0.1::80', { hostIp: '127.0.0.1', hostPort: undefined, containerPort: '80', protocol: 'tcp' }],
      ['[::1]:8080:80/sctp', { hostIp: '::1', hostPort: '8080', containerPort: '80', protocol: 'sctp' }],
    ];
    for (const [text, want] of cases) {
      assert.deepEqual(parsePort(text), want, text);
      assert.equal(formatPort(parsePort(text)), text.replace(/\/tcp$/, ''), `round trip of ${text}`);
    }
    for (const bad of ['', 'http', '0', '70000', '1:2:3:4', '80/icmp', 'host.example:80:80']) assert.throws(() => parsePort(bad), RunSpecError, bad);
  });

  it('proposes EXPOSEd ports on 127.0.0.1 only', () => {
    assert.deepEqual(defaultMapping('8080/tcp'), { hostIp: '127.0.0.1', hostPort: '8080', containerPort: '8080', protocol: 'tcp' });
    assert.equal(formatPort(defaultMapping('53/udp')), '127.0.0.1:53:53/udp');
  });

  it('builds the Engine API create body', () => {
    const body = createBody({
      ...base,
      name: 'web',
      ports: [parsePort('127.0.0.1:18080:8080'), parsePort('9000')],
      env: ['A=1', 'B'],
      volumes: ['orders:/data', '/srv/www:/www:ro'],
      network: 'shop',
      restart: 'unless-stopped',
      labels: { team: 'shop' },
    }) as any;
    assert.equal(body.Image, 'shop-web:dev');
    assert.deepEqual(body.ExposedPorts, { '8080/tcp': {}, '9000/tcp': {} });
    assert.deepEqual(body.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }], '9000/tcp': [{ HostIp: '', HostPort: '' }] });
    assert.deepEqual(body.HostConfig.Binds, ['orders:/data', '/srv/www:/www:ro']);
    assert.equal(body.HostConfig.NetworkMode, 'shop');
    assert.deepEqual(body.HostConfig.RestartPolicy, { Name: 'unless-stopped' });
    assert.equal(body.Tty, false);
    const it = createBody({ ...base, interactive: true, remove: true, command: ['sh'] }) as any;
    assert.deepEqual([it.Tty, it.OpenStdin, it.HostConfig.AutoRemove, it.Cmd], [true, true, true, ['sh']]);
  });

  it('refuses what the engine would refuse, with the reason', () => {
    assert.throws(() => createBody({ ...base, remove: true, restart: 'always' }), /cannot also restart/);
    assert.throws(() => createBody({ ...base, volumes: ['data'] }), /source:\/path/);
    assert.throws(() => createBody({ ...base, volumes: ['data:relative'] }), /source:\/path/);
    assert.throws(() => createBody({ ...base, env: ['=x'] }), /NAME=value/);
    assert.throws(() => createBody({ ...base, name: '-web' }), /not a container name/);
  });

  it('writes the equivalent docker run line, quoted for a POSIX shell', () => {
    const line = dockerRunCommand({ ...base, name: 'web', ports: [parsePort('127.0.0.1:18080:8080')], env: ["GREETING=it's here", 'B=$HOME'], volumes: ['orders:/data'], remove: true });
    assert.equal(line, `docker run -d --rm --name web -p 127.0.0.1:18080:8080 -e 'GREETING=it'\\''s here' -e 'B=$HOME' -v orders:/data shop-web:dev`);
    assert.equal(dockerRunCommand({ ...base, interactive: true, command: ['sh', '-c', 'echo a b'] }), `docker run -it shop-web:dev sh -c 'echo a b'`);
    assert.equal(shellQuote(''), `''`);
  });
});
