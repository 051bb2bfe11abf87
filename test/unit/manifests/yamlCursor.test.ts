import assert from 'node:assert/strict';
import { cursorContext, type CursorContext } from '../../../src/core/manifests/yamlCursor';

/** The context at the `|` in `marked` (which is removed). */
function ctx(marked: string): CursorContext | undefined {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'fixture has a cursor');
  return cursorContext(marked.slice(0, offset) + marked.slice(offset + 1), offset);
}
const key = (path: (string | number)[], prefix = '', siblings: string[] = []): CursorContext => ({ path, position: 'key', prefix, siblings });
const value = (path: (string | number)[], prefix = ''): CursorContext => ({ path, position: 'value', prefix, siblings: [] });
const item = (path: (string | number)[], prefix = ''): CursorContext => ({ path, position: 'item', prefix, siblings: [] });

describe('YAML cursor context (unit)', () => {
  it('key positions at each depth, with the keys already there', () => {
    assert.deepEqual(ctx('|'), key([]));
    assert.deepEqual(ctx('serv|'), key([], 'serv'));
    assert.deepEqual(ctx('services:\n  web:\n    ima|'), key(['services', 'web'], 'ima'));
    assert.deepEqual(ctx('services:\n  web:\n    image: nginx\n    |'), key(['services', 'web'], '', ['image']));
    // Keys below the cursor count too; those of other mappings do not.
    assert.deepEqual(ctx('services:\n  web:\n    image: x\n  db:\n    |\n    image: y\n    ports: []\nvolumes:\n  data:\n'), key(['services', 'db'], '', ['image', 'ports']));
    assert.deepEqual(ctx('services:\n  web:\n    healthcheck:\n      test: ["CMD"]\n    |'), key(['services', 'web'], '', ['healthcheck']));
    assert.deepEqual(ctx('services:\n  web:\n    healthcheck:\n      test: ["CMD"]\n  |'), key(['services'], '', ['web']));
    assert.deepEqual(ctx('services:\n  web:\n    deploy:\n      resources:\n        limits:\n          |'), key(['services', 'web', 'deploy', 'resources', 'limits']));
    // Blank lines and comments between are skipped; quoted keys unquoted.
    assert.deepEqual(ctx('services:\n  "web":\n\n    # note\n    |'), key(['services', 'web']));
  });

  it('value positions', () => {
    assert.deepEqual(ctx('services:\n  web:\n    pull_policy: |'), value(['services', 'web', 'pull_policy']));
    assert.deepEqual(ctx('services:\n  web:\n    restart: un|'), value(['services', 'web', 'restart'], 'un'));
    assert.deepEqual(ctx('services:\n  web:\n    depends_on:\n      db:\n        condition: |'), value(['services', 'web', 'depends_on', 'db', 'condition']));
    assert.deepEqual(ctx('services:\n  "web":\n    image: |'), value(['services', 'web', 'image']));
  });

  it('list items of mappings: the item is index 0 of the list', () => {
    // The value of a key that starts an item.
    assert.deepEqual(ctx('services:\n  web:\n    ports:\n      - protocol: |'), value(['services', 'web', 'ports', 0, 'protocol']));
    assert.deepEqual(ctx('include:\n  - path: |'), value(['include', 0, 'path']));
    assert.deepEqual(ctx('a:\n  - b:\n      - c: |'), value(['a', 0, 'b', 0, 'c']));
    // A further key of the item.
    assert.deepEqual(ctx('services:\n  web:\n    ports:\n      - target: 80\n        |'), key(['services', 'web', 'ports', 0], '', ['target']));
    assert.deepEqual(ctx('services:\n  web:\n    ports:\n      - target: 80\n        protocol: |'), value(['services', 'web', 'ports', 0, 'protocol']));
    assert.deepEqual(ctx('include:\n  - path: a\n    |'), key(['include', 0], '', ['path']));
    assert.deepEqual(ctx('a:\n  - b:\n      - c: 1\n        |'), key(['a', 0, 'b', 0], '', ['c']));
    // A later item: only its own keys are siblings.
    assert.deepEqual(
      ctx('services:\n  web:\n    volumes:\n      - type: bind\n        source: .\n      - type: volume\n        |'),
      key(['services', 'web', 'volumes', 0], '', ['type']),
    );
    assert.deepEqual(
      ctx('services:\n  web:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              driver: |'),
      value(['services', 'web', 'deploy', 'resources', 'reservations', 'devices', 0, 'driver']),
    );
  });

  it('new list items, after earlier items of the same list', () => {
    assert.deepEqual(ctx('services:\n  web:\n    ports:\n      - |'), item(['services', 'web', 'ports']));
    assert.deepEqual(ctx('services:\n  web:\n    ports:\n      - tar|'), item(['services', 'web', 'ports'], 'tar'));
    // Earlier items are siblings, not the parent of the new one.
    assert.deepEqual(ctx('services:\n  web:\n    environment:\n      - A=1\n      - |'), item(['services', 'web', 'environment']));
    assert.deepEqual(ctx('services:\n  web:\n    volumes:\n      - type: bind\n        source: .\n      - |'), item(['services', 'web', 'volumes']));
    assert.deepEqual(ctx('services:\n  web:\n    ports:\n      - "80:80"\n      - protocol: |'), value(['services', 'web', 'ports', 0, 'protocol']));
    // A list at the same indentation as its key.
    assert.deepEqual(ctx('services:\n  web:\n    volumes:\n    - a:/a\n    ports:\n    - |'), item(['services', 'web', 'ports']));
  });

  it('no context inside a comment', () => {
    assert.equal(ctx('x: 1 # |'), undefined);
    assert.equal(ctx('# services:|'), undefined);
  });

  it('reads CRLF text like LF', () => {
    const lf = 'services:\n  web:\n    image: x\n    ports:\n      - target: 80\n        |';
    assert.deepEqual(ctx(lf.replace(/\n/g, '\r\n')), ctx(lf));
  });
});
