// The explorer's trees built from what the REAL engine lists: grouping by
// Compose project / Swarm stack, state and health icons, images, networks and
// volumes.
import assert from 'node:assert/strict';
import { listResources } from '../../src/core/engine/resources';
import { containerTree } from '../../src/core/explorer/containerNodes';
import { imageTree, NONE_REPOSITORY } from '../../src/core/explorer/imageNodes';
import { networkTree, volumeTree } from '../../src/core/explorer/networkVolumeNodes';
import type { ExplorerNode } from '../../src/core/explorer/node';
import {
  BASE_IMAGE,
  cleanupRun,
  commitDangling,
  containerState,
  createContainer,
  newClient,
  RUN_ID,
  startContainer,
  testLabels,
  testName,
  waitFor,
  type Created,
} from './support';

const client = newClient();
const words = (n: ExplorerNode) => n.contextValue.split(' ');

function findById(nodes: readonly ExplorerNode[], id: string): ExplorerNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = n.children && findById(n.children, id);
    if (inner) return inner;
  }
  return undefined;
}

describe('explorer trees against the real engine', function () {
  after(() => cleanupRun(client));

  describe('containers: grouping and state icons', function () {
    const project = testName('shop');
    const stack = testName('stack');
    let web: Created, db: Created, svc: Created, loose: Created;

    before(async function () {
      web = await createContainer(client, 'shop-web', { labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' }, start: true });
      db = await createContainer(client, 'shop-db', { labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'db' } });
      svc = await createContainer(client, 'stack-api', { labels: { 'com.docker.stack.namespace': stack }, start: true });
      await client.request('POST', `/containers/${svc.id}/pause`, 'pause');
      loose = await createContainer(client, 'loose', { cmd: ['true'], start: true });
      await waitFor(async () => (await containerState(client, loose.id)).Status === 'exited', 10_000, 'loose container to exit');
    });

    it('puts Compose and Swarm containers in their groups, the rest below', async function () {
      const tree = containerTree(await listResources(client, 'containers'), 'compose');
      const shop = tree.find((n) => n.id === `group:project:${project}`);
      assert.ok(shop, 'compose project group present at top level');
      assert.equal(shop.contextValue, 'containerGroup project');
      assert.equal(shop.label, project);
      assert.deepEqual(shop.icon, { id: 'layers', color: 'charts.green' }, 'project with a running service is green');
      assert.equal(shop.description, 'Compose project · 1/2 running');
      assert.deepEqual(shop.children!.map((c) => c.label), [db.name, web.name], 'children sorted by name');

      const st = tree.find((n) => n.id === `group:stack:${stack}`);
      assert.ok(st, 'swarm stack group present at top level');
      assert.equal(st.contextValue, 'containerGroup stack');
      assert.deepEqual(st.icon, { id: 'server-environment' }, 'no colour: nothing running (paused)');
      assert.equal(st.description, 'Swarm stack · 0/1 running');
      assert.deepEqual(st.children!.map((c) => c.ref?.id), [svc.id]);

      const looseIndex = tree.findIndex((n) => n.id === `container:${loose.id}`);
      assert.ok(looseIndex >= 0, 'unlabelled container is a top-level row');
      const lastGroup = tree.map((n) => n.contextValue.startsWith('containerGroup')).lastIndexOf(true);
      assert.ok(lastGroup < looseIndex, 'groups come before loose containers');
      assert.equal(tree.filter((n) => n.id === `container:${web.id}`).length, 0, 'grouped containers are not repeated at top level');
    });

    it('gives each state its contextValue words and icon', async function () {
      const tree = containerTree(await listResources(client, 'containers'), 'compose');
      const expect: Array<[Created, string, { id: string; color?: string }]> = [
        [web, 'running', { id: 'vm-running', color: 'charts.green' }],
        [db, 'created', { id: 'circle-large-outline' }],
        [svc, 'paused', { id: 'debug-pause', color: 'charts.yellow' }],
        [loose, 'exited', { id: 'vm-outline' }],
      ];
      for (const [c, state, icon] of expect) {
        const node = findById(tree, `container:${c.id}`);
        assert.ok(node, `${state} container in tree`);
        assert.equal(node.label, c.name);
        assert.deepEqual(words(node), ['container', state], `${c.name} contextValue`);
        assert.deepEqual(node.icon, icon, `${c.name} icon`);
        assert.equal(node.ref?.state, state);
        assert.match(node.description ?? '', new RegExp(`^${BASE_IMAGE.replace('.', '\\.')} · `));
      }
    });

    it("grouping 'none' gives flat rows sorted by name", async function () {
      const ours = new Set([web.id, db.id, svc.id, loose.id]);
      const records = (await listResources(client, 'containers')).filter((c) => c.Labels?.['berth.test'] === RUN_ID && ours.has(c.Id));
      assert.equal(records.length, 4);
      const flat = containerTree(records, 'none');
      assert.ok(flat.every((n) => n.children === undefined && n.contextValue.startsWith('container ')), 'no group rows');
      assert.deepEqual(
        flat.map((n) => n.label),
        [db.name, web.name, loose.name, svc.name].sort(),
      );
    });
  });

  describe('containers: health', function () {
    const check = (cmd: string) => ({ Healthcheck: { Test: ['CMD', cmd], Interval: 300e6, Timeout: 1e9, Retries: 1, StartPeriod: 0 } });

    it("a passing HEALTHCHECK reaches '(healthy)' and shows the healthy icon", async function () {
      const c = await createContainer(client, 'healthy', { extra: check('true'), start: true });
      const rec = await waitFor(
        async () => (await listResources(client, 'containers')).find((r) => r.Id === c.id && r.Status.includes('(healthy)')),
        15_000,
        'healthy status',
      );
      const node = findById(containerTree([rec], 'compose'), `container:${c.id}`)!;
      assert.deepEqual(node.icon, { id: 'pass-filled', color: 'charts.green' });
      assert.deepEqual(words(node), ['container', 'running', 'healthy']);
    });

    it('a failing HEALTHCHECK becomes unhealthy and shows the warning icon', async function () {
      const c = await createContainer(client, 'unhealthy', { extra: check('false'), start: true });
      const rec = await waitFor(
        async () => (await listResources(client, 'containers')).find((r) => r.Id === c.id && r.Status.includes('(unhealthy)')),
        15_000,
        'unhealthy status',
      );
      const node = findById(containerTree([rec], 'compose'), `container:${c.id}`)!;
      assert.deepEqual(node.icon, { id: 'warning', color: 'charts.red' });
      assert.deepEqual(words(node), ['container', 'running', 'unhealthy']);
    });

    it('a container still in its start period shows as starting', async function () {
      const c = await createContainer(client, 'starting', {
        extra: { Healthcheck: { Test: ['CMD', 'true'], Interval: 60e9, Timeout: 1e9, Retries: 1, StartPeriod: 60e9 } },
        start: true,
      });
      const rec = (await listResources(client, 'containers')).find((r) => r.Id === c.id)!;
      assert.match(rec.Status, /\(health: starting\)/);
      const node = findById(containerTree([rec], 'compose'), `container:${c.id}`)!;
      assert.deepEqual(node.icon, { id: 'pulse', color: 'charts.yellow' });
      assert.deepEqual(words(node), ['container', 'running', 'starting']);
    });
  });

  describe('containers: ports', function () {
    it('shows published tcp ports in the row and adds the "ports" word', async function () {
      const c = await createContainer(client, 'ports', {
        extra: { ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } } },
      });
      await startContainer(client, c.id);
      const rec = await waitFor(
        async () => (await listResources(client, 'containers')).find((r) => r.Id === c.id && r.Ports?.some((p) => p.PublicPort)),
        10_000,
        'published port',
      );
      const node = findById(containerTree([rec], 'compose'), `container:${c.id}`)!;
      const hostPort = rec.Ports.find((p) => p.PublicPort)!.PublicPort;
      assert.ok(words(node).includes('ports'));
      assert.match(node.description ?? '', new RegExp(`${hostPort}→80(?!/)`));
      assert.deepEqual(node.ref?.ports, [{ hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp' }]);
    });
  });

  describe('images', function () {
    let danglingId: string;
    const repo = testName('img');
    const registryRepo = `localhost:5000/${testName('team')}/app`;

    before(async function () {
      const c = await createContainer(client, 'for-commit', { cmd: ['true'] });
      danglingId = await commitDangling(client, c.id);
      await client.request('POST', `/images/${BASE_IMAGE}/tag`, 'tag', { query: { repo, tag: 'v1' } });
      await client.request('POST', `/images/${BASE_IMAGE}/tag`, 'tag', { query: { repo: registryRepo, tag: '2' } });
    });

    it('has repository busybox with tag 1.35, and one row per extra tag', async function () {
      const tree = imageTree(await listResources(client, 'images'), false);
      const busybox = tree.find((n) => n.label === 'busybox');
      assert.ok(busybox, 'busybox repository group');
      assert.equal(busybox.contextValue, 'imageRepository');
      const row = busybox.children!.find((r) => r.label === '1.35');
      assert.ok(row, 'tag 1.35 row');
      assert.equal(row.contextValue, 'image tagged');
      assert.deepEqual(row.icon, { id: 'package' });
      assert.equal(row.ref?.id, BASE_IMAGE, 'removing the row removes the tag, not the image id');
      assert.match(row.tooltip ?? '', /Also tagged: .*berth-test-/, 'tooltip names the other tags');

      assert.deepEqual(tree.find((n) => n.label === repo)?.children?.map((r) => r.label), ['v1']);
      const reg = tree.find((n) => n.label === registryRepo);
      assert.ok(reg, 'a registry host with port stays in the repository name');
      assert.equal(reg.children![0].label, '2');
    });

    it('hides dangling images unless asked, then lists them under <none> last', async function () {
      const records = await listResources(client, 'images');
      assert.ok(records.some((r) => r.Id === danglingId), 'engine lists the committed untagged image');
      const hidden = imageTree(records, false);
      assert.equal(hidden.find((n) => n.label === NONE_REPOSITORY), undefined);
      assert.equal(findById(hidden, `image:${danglingId}:${danglingId.replace('sha256:', '').slice(0, 12)}`), undefined);

      const shown = imageTree(records, true);
      const none = shown[shown.length - 1];
      assert.equal(none.label, NONE_REPOSITORY, '<none> group sorts last');
      const row = none.children!.find((r) => r.ref?.id === danglingId);
      assert.ok(row, 'dangling image row present');
      assert.equal(row.contextValue, 'image dangling');
      assert.deepEqual(row.icon, { id: 'circle-slash' });
    });
  });

  describe('networks and volumes', function () {
    const net = testName('net');
    const vol = testName('vol');
    const projVol = testName('projvol');

    before(async function () {
      await client.request('POST', '/networks/create', 'create network', { body: { Name: net, Driver: 'bridge', Labels: testLabels() } });
      await client.request('POST', '/volumes/create', 'create volume', { body: { Name: vol, Labels: testLabels() } });
      await client.request('POST', '/volumes/create', 'create volume', {
        body: { Name: projVol, Labels: testLabels({ 'com.docker.compose.project': 'shop' }) },
      });
    });

    it('networkTree hides built-in networks by default and shows ours', async function () {
      const records = await listResources(client, 'networks');
      assert.ok(records.some((n) => n.Name === 'bridge'), 'engine has the built-in bridge network');
      const tree = networkTree(records, false);
      assert.equal(tree.find((n) => n.label === 'bridge' || n.label === 'host' || n.label === 'none'), undefined);
      const ours = tree.find((n) => n.label === net);
      assert.ok(ours, 'created network listed');
      assert.equal(ours.contextValue, 'network');
      assert.match(ours.description ?? '', /^bridge · local/);

      const all = networkTree(records, true);
      assert.equal(all.find((n) => n.label === 'bridge')?.contextValue, 'network builtIn');
    });

    it('volumeTree lists a created volume, naming its Compose project', async function () {
      const tree = volumeTree(await listResources(client, 'volumes'));
      const row = tree.find((n) => n.label === vol);
      assert.ok(row, 'created volume listed');
      assert.equal(row.contextValue, 'volume');
      assert.deepEqual(row.ref, { kind: 'volumes', id: vol, name: vol });
      assert.match(row.description ?? '', /^local/);
      assert.match(tree.find((n) => n.label === projVol)?.description ?? '', /^local · project shop/);
    });
  });
});
