import assert from 'node:assert/strict';
import type { ImageRecord, NetworkRecord, VolumeRecord } from '../../../src/core/engine/resources';
import { imageTree, isDangling, splitReference } from '../../../src/core/explorer/imageNodes';
import { networkTree, volumeTree } from '../../../src/core/explorer/networkVolumeNodes';
import { kindChangedBy } from '../../../src/core/explorer/eventKinds';
import { formatAge, formatSize } from '../../../src/core/util/format';

const NOW = Date.UTC(2026, 0, 10);
const image = (id: string, tags: string[] | null, size = 1_500_000): ImageRecord =>
  ({ Id: `sha256:${id.padEnd(64, '0')}`, RepoTags: tags, Size: size, Created: NOW / 1000 - 86400 * 3 }) as unknown as ImageRecord;

describe('image, network and volume rows (unit)', () => {
  it('splits references at the tag colon, not a registry port', () => {
    assert.deepEqual(splitReference('127.0.0.1:5000/team/app:1.2'), { repository: '127.0.0.1:5000/team/app', tag: '1.2' });
    assert.deepEqual(splitReference('127.0.0.1:5000/team/app'), { repository: '127.0.0.1:5000/team/app', tag: 'latest' });
    assert.deepEqual(splitReference('busybox:1.35'), { repository: 'busybox', tag: '1.35' });
  });

  it('groups images by repository with a row per tag and hides dangling ones unless asked', () => {
    const records = [image('aa', ['busybox:1.35', 'busybox:latest', 'mirror/busybox:1.35']), image('bb', null), image('cc', ['<none>:<none>'])];
    assert.ok(isDangling(records[1]) && isDangling(records[2]) && !isDangling(records[0]));
    const rows = imageTree(records, false, NOW);
    assert.deepEqual(rows.map((r) => r.label), ['busybox', 'mirror/busybox']);
    assert.deepEqual(rows[0].children!.map((c) => c.label), ['1.35', 'latest']);
    assert.equal(rows[0].children![0].description, 'aa0000000000 · 1.50 MB · 3 d');
    assert.equal(rows[0].children![0].ref!.id, 'busybox:1.35', 'removing a tag row removes that reference');
    const withDangling = imageTree(records, true, NOW);
    assert.equal(withDangling.at(-1)!.label, '<none>');
    assert.equal(withDangling.at(-1)!.children!.length, 2);
    assert.match(withDangling.at(-1)!.children![0].contextValue, /\bdangling\b/);
  });

  it('hides built-in networks by default', () => {
    const nets = ['bridge', 'host', 'none', 'shop_default'].map((Name, i) => ({ Name, Id: `n${i}`, Driver: 'bridge', Scope: 'local', Created: '2026-01-01T00:00:00Z' }) as NetworkRecord);
    assert.deepEqual(networkTree(nets, false, NOW).map((n) => n.label), ['shop_default']);
    const all = networkTree(nets, true, NOW);
    assert.equal(all.length, 4);
    assert.equal(all.find((n) => n.label === 'host')!.contextValue, 'network builtIn');
  });

  it('lists volumes by name with their Compose project', () => {
    const vols = [
      { Name: 'zz', Driver: 'local', Mountpoint: '/x', Labels: { 'com.docker.compose.project': 'shop' }, CreatedAt: '2026-01-09T00:00:00Z' },
      { Name: 'aa', Driver: 'local', Mountpoint: '/y', Labels: null },
    ] as unknown as VolumeRecord[];
    const rows = volumeTree(vols, NOW);
    assert.deepEqual(rows.map((r) => r.label), ['aa', 'zz']);
    assert.equal(rows[1].description, 'local · project shop · 24 h');
  });

  it('maps engine events to the list they make stale', () => {
    assert.equal(kindChangedBy({ Type: 'container', Action: 'start' }), 'containers');
    assert.equal(kindChangedBy({ Type: 'container', Action: 'health_status: healthy' }), 'containers');
    assert.equal(kindChangedBy({ Type: 'container', Action: 'exec_start: sh' }), undefined);
    assert.equal(kindChangedBy({ Type: 'image', Action: 'tag' }), 'images');
    assert.equal(kindChangedBy({ Type: 'volume', Action: 'mount' }), undefined);
    assert.equal(kindChangedBy({ Type: 'network', Action: 'connect' }), undefined);
    assert.equal(kindChangedBy({ Type: 'network', Action: 'create' }), 'networks');
    assert.equal(kindChangedBy({ Type: 'daemon', Action: 'reload' }), undefined);
  });

  it('formats ages and sizes compactly', () => {
    assert.equal(formatAge(NOW / 1000 - 2, NOW), 'now');
    assert.equal(formatAge(NOW / 1000 - 90, NOW), '1 min');
    assert.equal(formatAge(NOW / 1000 - 86400 * 400, NOW), '13 mo');
    assert.equal(formatSize(999), '999 B');
    assert.equal(formatSize(4_300_000), '4.30 MB');
    assert.equal(formatSize(123_456_789), '123 MB');
  });
});
