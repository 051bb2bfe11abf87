import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import type { LabelType, LintConfig } from '../../../src/core/dockerfile/rule';
import { isEmail, isRfc3339, isSemver, isSpdxExpression, isUrl, labelKeyProblem, labelRules } from '../../../src/core/dockerfile/rules/labelRules';
import type { Finding } from '../../../src/core/dockerfile/types';

function lint(text: string, code: string, config: Partial<LintConfig> = {}): Finding[] {
  const r = labelRules.find((x) => x.code === code);
  assert.ok(r, `rule ${code} exists`);
  return lintDockerfile(text, { rules: [r], config });
}

const at = (f: Finding) => `${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`;
const schema = (s: Record<string, LabelType>, strict = false): Partial<LintConfig> => ({ labelSchema: s, strictLabels: strict });

describe('Dockerfile label rules', () => {
  it('DL3048 flags each invalid label key at the key', () => {
    const fs = lint('FROM a:1\nLABEL com.docker.x=1 ok.key-2=2 "Upper"=3 a..b=4\n', 'DL3048');
    assert.deepEqual(fs.map(at), ['1:6-1:18', '1:32-1:39', '1:42-1:46']);
    assert.match(fs[0].message, /reserved/);
    // The legacy `LABEL key value` form has one key.
    assert.deepEqual(lint('FROM a:1\nLABEL .bad ="x"\n', 'DL3048').map(at), ['1:6-1:10']);
    for (const key of ['org.opencontainers.image.title', 'validlabel', 'a1']) assert.equal(labelKeyProblem(key), undefined, key);
    for (const key of ['1a', 'a-', 'a_b', 'a--b', 'io.docker.x']) assert.ok(labelKeyProblem(key), key);
  });

  it('DL3049 reports each final stage missing a schema label, at its FROM', () => {
    const config = schema({ version: 'semver' });
    assert.equal(lint('FROM a:1\nLABEL version=1.0.0\n', 'DL3049', config).length, 0);
    assert.deepEqual(lint('FROM a:1\nFROM b:1\nLABEL version=1.0.0\n', 'DL3049', config).map(at), ['0:0-0:4']);
    // A base stage labelled covers its child; a child labelled excuses its base; COPY --from excuses its source.
    assert.equal(lint('FROM a:1 AS base\nLABEL version=1\nFROM base\n', 'DL3049', config).length, 0);
    assert.equal(lint('FROM a:1 AS base\nFROM base AS child\nLABEL version=1\n', 'DL3049', config).length, 0);
    assert.equal(lint('FROM a:1 AS build\nFROM b:1\nLABEL version=1\nCOPY --from=build /x /x\n', 'DL3049', config).length, 0);
    assert.equal(lint('FROM a:1\n', 'DL3049').length, 0); // no schema, no rule
    assert.match(lint('FROM a:1\n', 'DL3049', config)[0].message, /`version`/);
  });

  it('DL3050 flags labels outside the schema only with strict labels', () => {
    const text = 'FROM a:1\nLABEL required=x other=y\n';
    assert.deepEqual(lint(text, 'DL3050', schema({ required: 'text' }, true)).map(at), ['1:17-1:22']);
    assert.equal(lint(text, 'DL3050', schema({ required: 'text' })).length, 0);
  });

  it('DL3051 flags an empty schema label, whatever its type', () => {
    const fs = lint('FROM a:1\nLABEL a="" b=x c=""\n', 'DL3051', schema({ a: 'url', b: 'text' }));
    assert.deepEqual(fs.map(at), ['1:8-1:10']);
    assert.match(fs[0].message, /`a` is empty/);
  });

  it('DL3052–DL3058 check typed schema labels, at the value', () => {
    const config = schema({ url: 'url', date: 'rfc3339', lic: 'spdx', hash: 'hash', ver: 'semver', mail: 'email' });
    const text = 'FROM a:1\nLABEL url=nope date="2024-13-01T00:00:00Z" lic=Nope hash=ABCDEF0 ver=v1.0 mail="a@"\n';
    const expected: Record<string, string> = { DL3052: '1:10-1:14', DL3053: '1:20-1:42', DL3054: '1:47-1:51', DL3055: '1:57-1:64', DL3056: '1:69-1:73', DL3058: '1:79-1:83' };
    for (const [code, range] of Object.entries(expected)) assert.deepEqual(lint(text, code, config).map(at), [range], code);
    const good = 'FROM a:1\nLABEL url=https://x.io/a?b=1 date=2021-03-10T10:26:33.5+01:00 lic="MIT OR Apache-2.0" hash=2dbfae9 ver=2.0.1-rc1 mail=abcd@google.com\n';
    for (const code of Object.keys(expected)) assert.equal(lint(good, code, config).length, 0, code);
  });

  it('value validators', () => {
    assert.ok(isUrl('http://example.com') && isUrl('mailto:x@y') && !isUrl('not-url') && !isUrl('http://a b'));
    assert.ok(isRfc3339('2024-02-29T23:59:60Z') && !isRfc3339('2023-02-29T00:00:00Z') && !isRfc3339('2024-01-01'));
    assert.ok(isSpdxExpression('BSD-3-Clause') && isSpdxExpression('(MIT AND GPL-2.0-or-later WITH Classpath-exception-2.0)') && isSpdxExpression('LicenseRef-acme'));
    assert.ok(!isSpdxExpression('not-spdx') && !isSpdxExpression('MIT OR') && !isSpdxExpression('(MIT') && !isSpdxExpression('MIT WITH Nope'));
    assert.ok(isSemver('1.0.0+build.1') && !isSemver('1.0') && !isSemver('01.0.0'));
    assert.ok(isEmail('first.last+tag@example.co.uk') && isEmail('"a b"@x') && !isEmail('not-email') && !isEmail('a@b@c'));
  });
});
