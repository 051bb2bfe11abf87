import assert from 'node:assert/strict';
import { validateCompose } from '../../../src/core/manifests/compose/validateCompose';
import type { Range } from '../../../src/core/manifests/types';
import { parseYaml, parseYamlExact, positionFindings, type ManifestDocument } from '../../../src/core/manifests/yamlDocument';

/** `line:col-line:col`, 0-based, as the editor receives it. */
const at = (r: Range) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
const one = (text: string, exact = false): ManifestDocument => {
  const docs = (exact ? parseYamlExact(text) : parseYaml(text)).documents;
  assert.equal(docs.length, 1, 'one document');
  return docs[0];
};
/** The text a range covers (single-line ranges). */
const slice = (text: string, r: Range) => {
  assert.equal(r.start.line, r.end.line, 'single-line range');
  return text.split(/\r?\n/)[r.start.line].slice(r.start.column, r.end.column);
};

const SERVICE = 'services:\n  web:\n    image: "nginx:1.27"\n    ports:\n      - "8080:80"\n      - 9090\n    environment:\n      A: b\n';

describe('YAML document positions (unit)', () => {
  for (const exact of [false, true]) {
    it(`locates keys and values (${exact ? 'exact parser' : 'fast path'})`, () => {
      const d = one(SERVICE, exact);
      assert.deepEqual(d.value, { services: { web: { image: 'nginx:1.27', ports: ['8080:80', 9090], environment: { A: 'b' } } } });
      assert.equal(at(d.locate(['services', 'web', 'image'], 'key')), '2:4-2:9');
      // A quoted value's range includes its quotes.
      assert.equal(at(d.locate(['services', 'web', 'image'], 'value')), '2:11-2:23');
      assert.equal(slice(SERVICE, d.locate(['services', 'web', 'image'], 'value')), '"nginx:1.27"');
      assert.equal(at(d.locate(['services', 'web', 'ports', 1], 'value')), '5:8-5:12');
      assert.equal(at(d.locate(['services', 'web', 'environment', 'A'], 'key')), '7:6-7:7');
      assert.equal(at(d.locate(['services', 'web', 'environment', 'A'], 'value')), '7:9-7:10');
      assert.equal(at(d.range), '0:0-0:0');
    });
  }

  it('shows only the first line of a collection value', () => {
    const d = one(SERVICE, true);
    // The block mapping of `web` starts at `image`; the range stops at the end of that line.
    assert.equal(at(d.locate(['services', 'web'], 'value')), '2:4-2:23');
    assert.equal(at(d.locate(['services', 'web', 'ports'], 'value')), '4:6-4:17');
    const flow = one('a:\n  b: [1, 2]\n', true);
    assert.equal(at(flow.locate(['a', 'b'], 'value')), '1:5-1:11');
    assert.equal(at(flow.locate(['a', 'b', 1], 'value')), '1:9-1:10');
  });

  it('falls back to the nearest existing ancestor for a path that does not exist', () => {
    const d = one(SERVICE, true);
    assert.equal(at(d.locate(['services', 'web', 'nope'], 'key')), '1:2-1:5');
    assert.equal(at(d.locate(['services', 'web', 'ports', 7], 'value')), '4:6-4:17');
    assert.equal(at(d.locate(['nothing', 'here'], 'value')), '0:0-0:9');
  });

  it('follows aliases and merge keys to the anchor, own keys winning over merged ones', () => {
    const text = 'x-a: &a\n  image: a\n  restart: always\nx-b: &b\n  image: b\n  user: u\nsvc:\n  <<: [*a, *b]\n  restart: "no"\nref: *a\n';
    for (const exact of [false, true]) {
      const d = one(text, exact);
      assert.deepEqual((d.value as Record<string, unknown>).svc, { image: 'a', restart: 'no', user: 'u' });
      // image comes from the first merge source; a finding on it points at the anchor's key.
      assert.equal(at(d.locate(['svc', 'image'], 'key')), '1:2-1:7');
      assert.equal(at(d.locate(['svc', 'image'], 'value')), '1:9-1:10');
      // restart is the service's own.
      assert.equal(at(d.locate(['svc', 'restart'], 'key')), '8:2-8:9');
      // user only comes from the second source.
      assert.equal(at(d.locate(['svc', 'user'], 'key')), '5:2-5:6');
      // Through a plain alias.
      assert.equal(at(d.locate(['ref', 'restart'], 'value')), '2:11-2:17');
    }
  });

  it('a finding on a merged key is reported at the anchor', () => {
    const text = 'x-base: &base\n  imgae: nginx\nservices:\n  web:\n    <<: *base\n    restart: always\n';
    const diags = validateCompose(text).filter((d) => d.code === 'CMP002');
    assert.deepEqual(
      diags.map((d) => [at(d.range), d.fixes?.map((f) => [at(f.range), f.newText])]),
      [['1:2-1:7', [['1:2-1:7', 'image']]]],
    );
  });

  it('reads every document of a multi-document file with its own positions', () => {
    const text = 'a: 1\n---\n# only a comment\n---\nb:\n  c: 2\n';
    for (const p of [parseYaml(text), parseYamlExact(text)]) {
      const values = p.documents.map((d) => d.value);
      assert.deepEqual(values.filter((v) => v !== null && v !== undefined), [{ a: 1 }, { b: { c: 2 } }]);
      const last = p.documents[p.documents.length - 1];
      assert.equal(at(last.range), '4:0-4:0');
      assert.equal(at(last.locate(['b', 'c'], 'value')), '5:5-5:6');
      assert.equal(at(p.documents[0].locate(['a'], 'key')), '0:0-0:1');
    }
  });

  it('reports tab indentation where the tab is', () => {
    const d = one('services:\n\tweb:\n    image: x\n');
    assert.equal(d.problems.length >= 1, true);
    assert.match(d.problems[0].message, /tab/i);
    assert.equal(d.problems[0].range.start.line, 1);
    assert.equal(d.problems[0].range.start.column, 0);
    // And as a YML001 from the validator, with nothing else judged.
    const diags = validateCompose('services:\n\tweb:\n    image: x\n');
    assert.ok(diags.length >= 1 && diags.every((x) => x.code === 'YML001'), JSON.stringify(diags));
  });

  it('reports a duplicate key at its second occurrence', () => {
    const d = one('services:\n  web:\n    image: a\n    image: b\n');
    assert.equal(d.problems.length, 1);
    assert.match(d.problems[0].message, /unique/i);
    assert.equal(at(d.problems[0].range), '3:4-3:5');
    assert.doesNotMatch(d.problems[0].message, /line \d+/, 'the position is not repeated in the message');
  });

  it('refuses an alias bomb quickly, with a problem and no exception', () => {
    let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i <= 9; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    bomb += 'services:\n  web:\n    image: *a9\n';
    const started = Date.now();
    const d = one(bomb);
    assert.ok(Date.now() - started < 1000, `parsed in ${Date.now() - started} ms`);
    assert.equal(d.value, undefined);
    assert.equal(d.problems.length, 1);
    assert.match(d.problems[0].message, /alias/i);
    const t2 = Date.now();
    const diags = validateCompose(bomb);
    assert.ok(Date.now() - t2 < 1000, `validated in ${Date.now() - t2} ms`);
    assert.deepEqual(
      diags.map((x) => x.code),
      ['YML001'],
    );
  });

  it('lists non-string keys with paths that locate them', () => {
    const text = 'a:\n  1: x\n  true: y\n  ~: z\n  ? [p, q]\n  : w\n  ok: v\n';
    for (const d of [one(text), one(text, true)]) {
      assert.deepEqual(d.nonStringKeys, [
        { path: ['a', '1'], key: '1' },
        { path: ['a', 'true'], key: 'true' },
        { path: ['a', 'null'], key: 'null' },
        { path: ['a', '[p, q]'], key: '[p, q]' },
      ]);
      assert.deepEqual(
        d.nonStringKeys.map((k) => at(d.locate(k.path, 'key'))),
        ['1:2-1:3', '2:2-2:6', '3:2-3:3', '4:4-4:10'],
      );
    }
    // Quoted keys are strings.
    assert.deepEqual(one('"1": x\n\'true\': y\n').nonStringKeys, []);
    // Structure findings on them, with a quoting fix.
    const diags = validateCompose('services:\n  1:\n    image: x\n');
    assert.deepEqual(
      diags.map((x) => [x.code, at(x.range), x.fixes?.[0]?.newText]),
      [['CMP001', '1:2-1:3', '"1"']],
    );
    assert.match(diags[0].message, /Keys must be strings: 1 in services/);
  });

  it('gives the same lines and columns for CRLF text as for LF', () => {
    const crlf = SERVICE.replace(/\n/g, '\r\n');
    const paths: [(string | number)[], 'key' | 'value'][] = [
      [['services', 'web', 'image'], 'key'],
      [['services', 'web', 'image'], 'value'],
      [['services', 'web'], 'value'],
      [['services', 'web', 'ports'], 'value'],
      [['services', 'web', 'ports', 0], 'value'],
      [['services', 'web', 'environment', 'A'], 'value'],
    ];
    for (const exact of [false, true]) {
      const lf = one(SERVICE, exact);
      const cr = one(crlf, exact);
      assert.deepEqual(cr.value, lf.value);
      for (const [p, target] of paths) assert.equal(at(cr.locate(p, target)), at(lf.locate(p, target)), `${p.join('.')} ${target}`);
    }
    const tabs = 'a:\n\tb: 1\n';
    assert.deepEqual(
      one(tabs.replace(/\n/g, '\r\n')).problems.map((p) => at(p.range)),
      one(tabs).problems.map((p) => at(p.range)),
    );
    const bad = 'services:\n  web:\n    image: nginx\n    pull_policy: alway\n    ports:\n      - 22:22\n';
    assert.deepEqual(
      validateCompose(bad.replace(/\n/g, '\r\n')).map((x) => [x.code, at(x.range)]),
      validateCompose(bad).map((x) => [x.code, at(x.range)]),
    );
  });

  it('gives the exact source of a scalar', () => {
    const d = one('a: "q"\nb: \'s\'\nc: plain # comment\nd: 22:22\n');
    assert.equal(d.scalarSource(['a']), '"q"');
    assert.equal(d.scalarSource(['b']), "'s'");
    assert.equal(d.scalarSource(['c']), 'plain');
    assert.equal(d.scalarSource(['d']), '22:22');
    assert.equal(d.scalarSource(['nope']), undefined);
  });

  it('positions findings and their fixes; an empty value is shown at its key', () => {
    const d = one('services:\n  web:\n  db:\n    image: x\n');
    const [diag] = positionFindings(d, [
      { path: ['services', 'web'], target: 'value', code: 'X', severity: 'error', message: 'm', fixes: [{ title: 't', target: 'value', replacement: '{}' }] },
    ]);
    assert.equal(at(diag.range), '1:2-1:5');
    // The fix keeps the exact (empty) place after the colon: it inserts there.
    assert.deepEqual(diag.fixes?.map((f) => [at(f.range), f.newText]), [['1:6-1:6', '{}']]);
    assert.deepEqual(
      validateCompose('services:\n  web:\n').map((x) => [x.code, at(x.range)]),
      [['CMP001', '1:2-1:5']],
    );
  });
});
