import assert from 'node:assert/strict';
import type { ContainerRecord } from '../../../src/core/engine/resources';
import { containerIcon, containerTree, healthOf, publishedPorts } from '../../../src/core/explorer/containerNodes';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

function container(over: Partial<ContainerRecord> & { name: string }): ContainerRecord {
  const { name, ...rest } = over;
  return {
    Id: `${name}-id`.padEnd(64, '0'),
    Names: [`/${name}`],
    Image: 'busybox:1.35',
    ImageID: 'sha256:abc',
    Command: 'sh',
    Created: NOW / 1000 - 3 * 3600,
    Ports: [],
    Labels: {},
    State: 'running',
    Status: 'Up 3 hours',
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
    ...rest,
  } as ContainerRecord;
}

describe('container tree (unit)', () => {
  const records = [
    container({ name: 'shop-web-1', Labels: { 'com.docker.compose.project': 'shop' } }),
    container({ name: 'shop-db-1', State: 'exited', Status: 'Exited (0) 2 hours ago', Labels: { 'com.docker.compose.project': 'shop' } }),
    container({ name: 'api_web.1.xyz', Labels: { 'com.docker.stack.namespace': 'api' } }),
    container({ name: 'zeta' }),
    container({ name: 'alpha', State: 'paused', Status: 'Up 1 hour (Paused)' }),
  ];

  it('groups Compose projects and Swarm stacks first, loose containers after, all by name', () => {
    const rows = containerTree(records, 'compose', NOW);
    assert.deepEqual(
      rows.map((r) => r.label),
      ['api', 'shop', 'alpha', 'zeta'],
    );
    const shop = rows[1];
    assert.equal(shop.contextValue, 'containerGroup project');
    assert.deepEqual(
      shop.children!.map((c) => c.label),
      ['shop-db-1', 'shop-web-1'],
    );
    assert.equal(shop.description, 'Compose project · 1/2 running');
    assert.equal(rows[0].contextValue, 'containerGroup stack');
    assert.equal(rows[0].description, 'Swarm stack · 1/1 running');
  });

  it('shows every container flat when grouping is off', () => {
    const rows = containerTree(records, 'none', NOW);
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => !r.children));
    assert.deepEqual(rows.map((r) => r.label), ['alpha', 'api_web.1.xyz', 'shop-db-1', 'shop-web-1', 'zeta']);
  });

  it('a project label wins over a stack label', () => {
    const rows = containerTree([container({ name: 'x', Labels: { 'com.docker.compose.project': 'p', 'com.docker.stack.namespace': 's' } })], 'compose', NOW);
    assert.equal(rows[0].id, 'group:project:p');
  });

  it('describes a row with image, published ports and age, and keeps ids stable', () => {
    const c = container({
      name: 'web',
      Ports: [
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { PrivatePort: 443, Type: 'tcp' } as never,
        { IP: '127.0.0.1', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
      ],
    });
    const [row] = containerTree([c], 'none', NOW);
    assert.equal(row.description, 'busybox:1.35 · 5353→53/udp, 8080→80 · 3 h');
    assert.equal(row.id, `container:${c.Id}`);
    assert.equal(row.contextValue, 'container running ports');
    assert.equal(row.ref!.ports!.length, 2, 'the IPv6 twin of a binding and unpublished ports are dropped');
    assert.equal(containerTree([c], 'none', NOW + 5000)[0].id, row.id);
  });

  it('reads health from the status text', () => {
    assert.equal(healthOf('Up 2 minutes (healthy)'), 'healthy');
    assert.equal(healthOf('Up 5 seconds (health: starting)'), 'starting');
    assert.equal(healthOf('Up 1 minute (unhealthy)'), 'unhealthy');
    assert.equal(healthOf('Up 1 minute'), undefined);
    assert.equal(healthOf('Exited (1) 3 seconds ago'), undefined);
  });

  it('gives each state and health a distinct icon', () => {
    const icons = [
      containerIcon('running', undefined),
      containerIcon('running', 'healthy'),
      containerIcon('running', 'unhealthy'),
      containerIcon('running', 'starting'),
      containerIcon('paused', undefined),
      containerIcon('exited', undefined),
      containerIcon('restarting', undefined),
      containerIcon('created', undefined),
      containerIcon('dead', undefined),
    ].map((i) => i.id);
    assert.equal(new Set(icons).size, icons.length, `icons not distinct: ${icons.join(', ')}`);
    const [row] = containerTree([container({ name: 'h', Status: 'Up 1 minute (unhealthy)' })], 'none', NOW);
    assert.equal(row.icon.id, 'warning');
    assert.match(row.contextValue, /\bunhealthy\b/);
  });

  it('lists published ports sorted and de-duplicated', () => {
    const ports = publishedPorts(
      container({
        name: 'p',
        Ports: [
          { IP: '0.0.0.0', PrivatePort: 2, PublicPort: 9002, Type: 'tcp' },
          { IP: '0.0.0.0', PrivatePort: 1, PublicPort: 9001, Type: 'tcp' },
          { IP: '::', PrivatePort: 1, PublicPort: 9001, Type: 'tcp' },
        ],
      }),
    );
    assert.deepEqual(
      ports.map((p) => p.hostPort),
      [9001, 9002],
    );
  });

  it('builds 1,000 rows fast enough for a tree refresh', () => {
    const many = Array.from({ length: 1000 }, (_, i) => container({ name: `c${i}`, Labels: i % 3 ? { 'com.docker.compose.project': `p${i % 10}` } : {} }));
    const rows = containerTree(many, 'compose', NOW);
    assert.equal(rows.reduce((n, r) => n + (r.children?.length ?? 1), 0), 1000);
  });
});
