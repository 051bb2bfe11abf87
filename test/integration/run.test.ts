import assert from 'node:assert/strict';
import * as http from 'node:http';
import { runContainer, resizeTty, imageExposedPorts } from '../../src/core/run/runContainer';
import { parsePort, type RunSpec } from '../../src/core/run/runSpec';
import { BASE_IMAGE, cleanupRun, newClient, testLabels, testName, waitFor } from './support';

// Run Image on the real engine: published ports answer on 127.0.0.1, an
// interactive run's terminal carries keystrokes both ways and takes resizes,
// and a container whose start fails is not left behind.

describe('Run Image on the real engine', function () {
  const client = newClient();
  after(async () => {
    await cleanupRun(client);
    client.dispose();
  });

  const spec = (over: Partial<RunSpec>): RunSpec => ({ image: BASE_IMAGE, ports: [], env: [], volumes: [], remove: false, interactive: false, labels: testLabels(), ...over });

  it('starts a detached container whose published port answers on 127.0.0.1, with its env', async function () {
    const r = await runContainer(
      client,
      spec({
        name: testName('run-httpd'),
        ports: [parsePort('127.0.0.1::8080')],
        env: ['GREETING=hello from berth'],
        command: ['sh', '-c', 'mkdir -p /www && echo "$GREETING" > /www/index.html && exec httpd -f -p 8080 -h /www'],
      }),
    );
    assert.equal(r.name, testName('run-httpd'));
    const info = await client.request<any>('GET', `/containers/${r.id}/json`, 'inspect');
    const binding = info.NetworkSettings.Ports['8080/tcp'][0];
    assert.equal(binding.HostIp, '127.0.0.1');
    const body = await waitFor(() => get(`http://127.0.0.1:${binding.HostPort}/`).catch(() => ''), 10_000, 'httpd answers');
    assert.equal(body.trim(), 'hello from berth');
  });

  it('attaches an interactive run: keystrokes in, output out, resize taken, exit seen', async function () {
    const r = await runContainer(client, spec({ name: testName('run-it'), interactive: true, remove: true, command: ['sh'] }));
    assert.ok(r.stream, 'an interactive run returns its stream');
    let out = '';
    r.stream.on('data', (c: Buffer) => (out += c.toString('utf8')));
    await resizeTty(client, r.id, 123, 45);
    r.stream.write('stty size; echo "sum=$((40+2))"\n');
    await waitFor(() => /sum=42/.test(out), 10_000, 'the shell answered');
    assert.match(out, /45 123/, 'the TTY has the size we set');
    const ended = new Promise<void>((resolve) => r.stream!.once('end', resolve));
    r.stream.write('exit\n');
    await ended;
    // --rm: the engine removes it once it exited.
    await waitFor(async () => (await client.request<unknown[]>('GET', '/containers/json', 'list', { query: { all: true, filters: { name: [testName('run-it')] } } })).length === 0, 10_000, 'auto-removed');
  });

  it('removes the container again when its start fails, and says why', async function () {
    const name = testName('run-bad');
    await assert.rejects(runContainer(client, spec({ name, command: ['/no/such/program'] })), /no such file|not found|executable/i);
    const left = await client.request<unknown[]>('GET', '/containers/json', 'list', { query: { all: true, filters: { name: [name] } } });
    assert.equal(left.length, 0, 'nothing left behind');
  });

  it("reads the image's exposed ports", async function () {
    assert.deepEqual(await imageExposedPorts(client, BASE_IMAGE), []);
  });
});

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(String(res.statusCode)))));
    }).on('error', reject);
  });
}
