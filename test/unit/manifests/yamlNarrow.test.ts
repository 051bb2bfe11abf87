import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYaml, parseYamlExact } from '../../../src/core/manifests/yamlDocument';
import type { ValuePath } from '../../../src/core/manifests/types';
import { narrowToEntry } from '../../../src/core/manifests/yamlNarrow';

// Positions found by narrowing to one entry must be exactly those of the whole-file parse.
const snippetText = (file: string) =>
  Object.values(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../snippets', file), 'utf8')) as Record<string, { body: string[] }>).map((s) =>
    s.body.join('\n').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d/g, ''),
  );

const FILES = [
  'name: shop\nservices:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n      - target: 443\n        published: 8443\n    environment:\n      A: 1\n      "B": two\n    command: >\n      sh -c\n      "echo hi"\n  db:\n    image: postgres:16\n    volumes:\n    - data:/var/lib/postgresql/data\n\nvolumes:\n  data: {}\n',
  'services:\r\n  api:\r\n    build:\r\n      context: ./api\r\n      args:\r\n        V: "1"\r\n    depends_on:\r\n      db:\r\n        condition: service_healthy\r\n  db:\r\n    image: postgres\r\n',
  ...snippetText('kubernetes.json'),
];

function paths(v: unknown, at: (string | number)[] = [], out: ValuePath[] = []): ValuePath[] {
  if (at.length >= 2) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

describe('Narrowed YAML positions (unit)', () => {
  FILES.forEach((text, n) => {
    it(`file ${n}: every key and value is where the whole-file parse puts it`, () => {
      const fast = parseYaml(text).documents[0];
      const exact = parseYamlExact(text).documents[0];
      const all = paths(exact.value);
      assert.ok(all.length >= 2);
      for (const p of all)
        for (const target of ['key', 'value'] as const) assert.deepEqual(fast.locate(p, target), exact.locate(p, target), `${p.join('.')} (${target})`);
    });
  });

  it('gives up where indentation alone cannot be trusted', () => {
    assert.equal(narrowToEntry('a: 1\n---\nservices:\n  web:\n    image: x\n', ['services', 'web']), undefined, 'several documents');
    assert.equal(narrowToEntry('services: {web: {image: x}}\n', ['services', 'web']), undefined, 'flow style');
    assert.equal(narrowToEntry('services:\n  web:\n    image: x\n  web:\n    image: y\n', ['services', 'web']), undefined, 'a key twice');
    assert.equal(narrowToEntry('services:\n  - web\n', ['services', 'web']), undefined, 'a sequence');
    assert.equal(narrowToEntry('services:\n  web: &w\n    image: x\n', ['services', 'web']), undefined, 'a value on the key line');
    assert.ok(narrowToEntry('services:\n  web:\n    image: x\n', ['services', 'web']));
  });

  it('falls back to the whole file when the entry does not parse alone (an alias to an anchor elsewhere)', () => {
    const text = 'x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: nginx\n    imgae: typo\n';
    const fast = parseYaml(text).documents[0];
    const exact = parseYamlExact(text).documents[0];
    assert.deepEqual(fast.locate(['services', 'web', 'imgae'], 'key'), exact.locate(['services', 'web', 'imgae'], 'key'));
    assert.deepEqual(fast.locate(['services', 'web', 'restart'], 'value'), { start: { line: 1, column: 11 }, end: { line: 1, column: 17 } });
  });
});
