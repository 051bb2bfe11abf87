import assert from 'node:assert/strict';
import { composeCompletions, composeHover, type CompletionEntry } from '../../../src/core/manifests/compose/composeAssist';

/** Completions at the `|` in `marked`. */
function complete(marked: string): CompletionEntry[] {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'fixture has a cursor');
  return composeCompletions(marked.slice(0, offset) + marked.slice(offset + 1), offset);
}
const labels = (entries: CompletionEntry[]) => entries.map((e) => e.label);

const PROJECT_TAIL = '  db:\n    image: postgres\n  cache:\n    image: redis\nnetworks:\n  front:\n  back:\nvolumes:\n  data:\nsecrets:\n  token:\n    file: ./t\n';

describe('Compose completion (unit)', () => {
  it('offers service keys with descriptions, leaving out those present', () => {
    const entries = complete('services:\n  web:\n    |\n');
    const image = entries.find((e) => e.label === 'image');
    assert.ok(image, 'image is offered');
    assert.equal(image.kind, 'key');
    assert.equal(image.insertText, 'image: ');
    assert.equal(image.detail, 'string');
    assert.match(image.documentation ?? '', /image/i);
    // A mapping or list key opens a new line.
    assert.equal(entries.find((e) => e.label === 'healthcheck')?.insertText, 'healthcheck:\n  ');
    for (const k of ['build', 'ports', 'depends_on', 'environment', 'restart']) assert.ok(labels(entries).includes(k), k);
    assert.ok(!labels(entries).includes('services'), 'no top-level keys under a service');
    assert.equal(new Set(labels(entries)).size, entries.length, 'no duplicates');

    const present = labels(complete('services:\n  web:\n    image: nginx\n    |\n    ports: []\n'));
    assert.ok(!present.includes('image') && !present.includes('ports'));
    assert.ok(present.includes('restart'));
  });

  it('offers top-level keys at the top and nested keys deeper', () => {
    assert.deepEqual(labels(complete('|')).sort(), ['configs', 'include', 'models', 'name', 'networks', 'secrets', 'services', 'version', 'volumes']);
    assert.deepEqual(labels(complete('services:\n  web:\n    image: x\nname: p\n|')).includes('name'), false);
    assert.deepEqual(labels(complete('services:\n  web:\n    deploy:\n      resources:\n        limits:\n          |')).sort(), ['cpus', 'memory', 'pids']);
    const portKeys = labels(complete('services:\n  web:\n    ports:\n      - target: 80\n        |'));
    assert.ok(portKeys.includes('published') && portKeys.includes('protocol'));
    assert.ok(!portKeys.includes('target'), 'the item\'s own key is present');
  });

  it('offers enum values and examples', () => {
    assert.deepEqual(labels(complete('services:\n  web:\n    pull_policy: |')), ['always', 'never', 'missing', 'if_not_present', 'build', 'daily', 'weekly', 'refresh']);
    const restart = labels(complete('services:\n  web:\n    restart: |'));
    for (const v of ['no', 'always', 'on-failure', 'unless-stopped']) assert.ok(restart.includes(v), v);
    assert.ok(complete('services:\n  web:\n    restart: |').every((e) => e.kind === 'value'));
    assert.deepEqual(labels(complete('services:\n  web:\n    ports:\n      - target: 80\n        protocol: |')), ['tcp', 'udp']);
    const boolean = labels(complete('services:\n  web:\n    read_only: |'));
    assert.ok(boolean.includes('true') && boolean.includes('false'));
  });

  it('offers the other services in depends_on, list and mapping forms', () => {
    const list = complete(`services:\n  web:\n    image: x\n    depends_on:\n      - |\n${PROJECT_TAIL}`);
    assert.deepEqual(labels(list), ['db', 'cache']);
    assert.ok(list.every((e) => e.kind === 'reference' && e.insertText === e.label));
    // Mapping form: names as keys, without the ones already there.
    const map = complete(`services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: service_healthy\n      |\n${PROJECT_TAIL}`);
    assert.deepEqual(labels(map), ['cache']);
    assert.deepEqual(map.map((e) => e.insertText), ['cache:']);
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    depends_on:\n      |\n${PROJECT_TAIL}`)), ['db', 'cache']);
  });

  it('offers the condition values of depends_on', () => {
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: |\n${PROJECT_TAIL}`)), [
      'service_started',
      'service_healthy',
      'service_completed_successfully',
    ]);
  });

  it('offers declared networks, volumes and secrets where a service names them', () => {
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    networks:\n      - |\n${PROJECT_TAIL}`)), ['front', 'back']);
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    networks:\n      front:\n      |\n${PROJECT_TAIL}`)), ['back']);
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    volumes:\n      - |\n${PROJECT_TAIL}`)), ['data:']);
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    secrets:\n      - |\n${PROJECT_TAIL}`)), ['token']);
    assert.deepEqual(labels(complete(`services:\n  web:\n    image: x\n    secrets:\n      - source: |\n${PROJECT_TAIL}`)), ['token']);
  });

  it('offers nothing in a comment', () => {
    assert.deepEqual(complete('services:\n  web: # |\n'), []);
  });
});

describe('Compose hover (unit)', () => {
  const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n      - target: 80\n        protocol: tcp\n';

  it('describes the key under the cursor, with its exact span', () => {
    const start = text.indexOf('image');
    for (const offset of [start, start + 2, start + 5]) {
      const h = composeHover(text, offset);
      assert.ok(h, `hover at ${offset}`);
      assert.equal(h.start, start);
      assert.equal(h.end, start + 'image'.length);
      assert.match(h.markdown, /^\*\*image\*\* \u2014 string\n\n/);
      assert.match(h.markdown, /image/i);
    }
    // Not on the value.
    assert.equal(composeHover(text, text.indexOf('nginx') + 1), undefined);
  });

  it('describes keys at the top, in a service and in a later list item', () => {
    const top = composeHover(text, 2);
    assert.deepEqual([top?.start, top?.end], [0, 8]);
    assert.match(top?.markdown ?? '', /^\*\*services\*\*/);
    const web = composeHover(text, text.indexOf('web'));
    assert.match(web?.markdown ?? '', /^\*\*web\*\*/);
    // `target` starts the second item of ports; `protocol` continues it.
    const target = text.indexOf('target');
    const t = composeHover(text, target + 1);
    assert.deepEqual([t?.start, t?.end], [target, target + 'target'.length]);
    assert.match(t?.markdown ?? '', /^\*\*target\*\*/);
    const protocol = text.indexOf('protocol');
    const p = composeHover(text, protocol);
    assert.deepEqual([p?.start, p?.end], [protocol, protocol + 'protocol'.length]);
    assert.match(p?.markdown ?? '', /^\*\*protocol\*\*/);
  });

  it('says nothing about unknown keys', () => {
    assert.equal(composeHover('services:\n  web:\n    imgae: x\n', 'services:\n  web:\n    im'.length), undefined);
  });
});
