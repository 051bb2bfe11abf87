import assert from 'node:assert/strict';
import { validateCompose } from '../../../src/core/manifests/compose/validateCompose';
import type { ManifestDiagnostic, Range } from '../../../src/core/manifests/types';

const at = (r: Range) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;

/** The range of the `nth` occurrence of `needle` in `text` (single line), as `at` prints it. */
function span(text: string, needle: string, nth = 0): string {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `"${needle}" #${nth} in the fixture`);
  }
  return rangeAt(text, offset, needle.length);
}

/** The range of `needle` inside the first occurrence of `context` (`spanIn(t, '[ap,', 'ap')`). */
function spanIn(text: string, context: string, needle: string): string {
  const base = text.indexOf(context);
  assert.ok(base >= 0 && context.includes(needle), `"${context}" in the fixture`);
  return rangeAt(text, base + context.indexOf(needle), needle.length);
}

function rangeAt(text: string, offset: number, length: number): string {
  const line = text.slice(0, offset).split('\n').length - 1;
  const column = offset - (text.lastIndexOf('\n', offset - 1) + 1);
  return `${line}:${column}-${line}:${column + length}`;
}

const only = (text: string, code: string) => validateCompose(text).filter((d) => d.code === code);
const where = (ds: ManifestDiagnostic[]) => ds.map((d) => at(d.range));
const fixOf = (d: ManifestDiagnostic) => d.fixes?.map((f) => [at(f.range), f.newText]);

describe('Compose file structure and references (unit)', () => {
  it('CMP001: the top level, sections and their entries must be mappings', () => {
    const top = validateCompose('- web\n- db\n');
    assert.deepEqual(top.map((d) => [d.code, at(d.range)]), [['CMP001', '0:0-0:5']]);
    assert.match(top[0].message, /top level of a Compose file must be a mapping/);
    const section = 'services: [web]\n';
    assert.deepEqual(validateCompose(section).map((d) => [d.code, at(d.range)]), [['CMP001', span(section, '[web]')]]);
    assert.match(validateCompose(section)[0].message, /services must be a mapping of names to definitions/);
    const entry = 'services:\n  web: nginx\nnetworks:\n  front: yes\n';
    const ds = validateCompose(entry);
    assert.deepEqual(where(ds), [span(entry, 'nginx'), span(entry, 'yes')]);
    assert.deepEqual(ds.map((d) => d.message), ['services.web must be a mapping', 'networks.front must be a mapping']);
    // Stops there: no schema noise on top.
    assert.ok(ds.every((d) => d.code === 'CMP001'));
    // Empty network, volume, secret entries are definitions with defaults.
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\nnetworks:\n  front:\nvolumes:\n  data:\n'), []);
  });

  it('CMP003: an empty file', () => {
    for (const text of ['', '\n\n', '# only a comment\n', '---\n---\n']) {
      const ds = validateCompose(text);
      assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [['CMP003', '0:0-0:0']], JSON.stringify(text));
      assert.match(ds[0].message, /empty.*services:/);
    }
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\n'), []);
  });

  it('CMP011: depends_on names services, in both forms', () => {
    const list = 'services:\n  web:\n    image: x\n    depends_on: [db, cahce]\n  db:\n    image: x\n  cache:\n    image: x\n';
    const ds = only(list, 'CMP011');
    assert.deepEqual(where(ds), [span(list, 'cahce')]);
    assert.match(ds[0].message, /Undefined service "cahce" \(did you mean "cache"\?\)/);
    assert.deepEqual(fixOf(ds[0]), [[span(list, 'cahce'), 'cache']]);
    const map = 'services:\n  web:\n    image: x\n    depends_on:\n      dbb:\n        condition: service_healthy\n  db:\n    image: x\n';
    assert.deepEqual(where(only(map, 'CMP011')), [span(map, 'dbb')]);
    assert.deepEqual(fixOf(only(map, 'CMP011')[0]), [[span(map, 'dbb'), 'db']]);
    // required: false makes an unknown service fine (compose skips it).
    const optional = 'services:\n  web:\n    image: x\n    depends_on:\n      maybe:\n        condition: service_started\n        required: false\n';
    assert.deepEqual(validateCompose(optional), []);
  });

  it('CMP011: links, network_mode, volumes_from and extends name services; fixes keep the rest of the value', () => {
    const text =
      'services:\n  app:\n    image: x\n  web:\n    image: x\n    links: ["ap:alias", app]\n' +
      '  side:\n    image: x\n    network_mode: service:ap\n' +
      '  vol:\n    image: x\n    volumes_from: [ap, "ap:ro", "service:ap:rw", "container:anything", app]\n' +
      '  ext:\n    extends:\n      service: ap\n  ext2:\n    extends: nope\n';
    const ds = only(text, 'CMP011');
    const got = new Map(ds.map((d) => [at(d.range), fixOf(d)?.[0]?.[1]]));
    const expected: [string, string | undefined][] = [
      [span(text, '"ap:alias"'), 'app:alias'],
      [span(text, 'service:ap'), 'service:app'],
      [spanIn(text, '[ap,', 'ap'), 'app'],
      [span(text, '"ap:ro"'), 'app:ro'],
      [span(text, '"service:ap:rw"'), 'service:app:rw'],
      [spanIn(text, 'service: ap', 'ap'), 'app'],
      [span(text, 'nope'), undefined],
    ];
    assert.deepEqual([...got.entries()].sort(), expected.sort(), JSON.stringify(ds.map((d) => [at(d.range), d.message])));
    for (const d of ds) assert.match(d.message, /Undefined service "(ap|nope)"/);
    // network_mode service: to a known service, container: and plain modes are fine.
    assert.deepEqual(only('services:\n  a:\n    image: x\n  b:\n    image: x\n    network_mode: "service:a"\n  c:\n    image: x\n    network_mode: host\n', 'CMP011'), []);
  });

  it('CMP011: networks, with the default network implicit', () => {
    const text = 'services:\n  web:\n    image: x\n    networks: [front, default, bak]\n  db:\n    image: x\n    networks:\n      bak:\n        aliases: [d]\n      default:\nnetworks:\n  front:\n  back:\n';
    const ds = only(text, 'CMP011');
    assert.deepEqual(where(ds), [span(text, 'bak'), span(text, 'bak', 1)]);
    assert.ok(ds.every((d) => /Undefined network "bak" \(did you mean "back"\?\)/.test(d.message)));
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\n    networks: [default]\n'), []);
  });

  it('CMP011: secrets and configs, short and long form', () => {
    const text = 'services:\n  web:\n    image: x\n    secrets: [token, {source: pasword, target: p}]\n    configs:\n      - source: conf\n      - missing\nsecrets:\n  token: {file: ./t}\n  password: {environment: PW}\nconfigs:\n  conf: {file: ./c}\n';
    const ds = only(text, 'CMP011');
    assert.deepEqual(where(ds), [span(text, 'pasword'), span(text, 'missing')]);
    assert.match(ds[0].message, /Undefined secret "pasword" \(did you mean "password"\?\)/);
    assert.match(ds[1].message, /Undefined config "missing"/);
  });

  it('CMP011: short volume syntax tells bind mounts from named volumes', () => {
    const text =
      'services:\n  web:\n    image: x\n    volumes:\n' +
      '      - ./data:/d1\n      - /abs:/d2\n      - ~/x:/d3\n      - C:\\data:/d4\n      - "C:\\\\data:/d5:ro"\n      - .:/d6\n      - ../up:/d7\n      - /anon\n' +
      '      - data:/d8\n      - dat:/d9:ro\n      - type: volume\n        source: dta\n        target: /d10\n      - type: bind\n        source: notavolume\n        target: /d11\n' +
      'volumes:\n  data:\n';
    const ds = only(text, 'CMP011');
    assert.deepEqual(where(ds), [span(text, 'dat:/d9:ro'), span(text, 'dta')]);
    assert.match(ds[0].message, /Undefined volume "dat" \(did you mean "data"\?\)/);
    // The fix renames the volume and keeps the mount.
    assert.deepEqual(fixOf(ds[0]), [[span(text, 'dat:/d9:ro'), 'data:/d9:ro']]);
    assert.deepEqual(fixOf(ds[1]), [[span(text, 'dta'), 'data']]);
    // Every bind form alone: nothing to declare.
    for (const v of ['./data:/d', '/abs:/d', '~/x:/d', 'C:\\data:/d', '"C:\\\\data:/d"', 'C:/data:/d', '.:/d']) assert.deepEqual(validateCompose(`services:\n  web:\n    image: x\n    volumes:\n      - ${v}\n`), [], v);
    const named = 'services:\n  web:\n    image: x\n    volumes:\n      - data:/d\n';
    assert.deepEqual(where(only(named, 'CMP011')), [span(named, 'data:/d')]);
  });

  it('CMP012: network_mode and networks together', () => {
    const text = 'services:\n  web:\n    image: x\n    network_mode: host\n    networks: [default]\n';
    const ds = validateCompose(text);
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [['CMP012', span(text, 'network_mode')]]);
    assert.match(ds[0].message, /Service web declares both network_mode and networks/);
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\n    network_mode: host\n'), []);
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\n    networks: [default]\n'), []);
  });

  it('CMP013: a bind mount without a source', () => {
    const text = 'services:\n  web:\n    image: x\n    volumes:\n      - type: bind\n        target: /a\n      - type: bind\n        source: ""\n        target: /b\n      - type: bind\n        source: ./ok\n        target: /c\n      - type: tmpfs\n        target: /d\n';
    const ds = validateCompose(text);
    // Missing: the item (its first line); empty: the source value.
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [
      ['CMP013', span(text, 'type: bind')],
      ['CMP013', span(text, '""')],
    ]);
    assert.match(ds[0].message, /bind mount needs a source/);
  });

  it('CMP014: depends_on cycles, at the edge that closes them', () => {
    const text = 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      c: {condition: service_started}\n  c:\n    image: x\n    depends_on: [a]\n  d:\n    image: x\n    depends_on: [d]\n  e:\n    image: x\n    depends_on: [a, d]\n';
    const ds = only(text, 'CMP014');
    assert.deepEqual(where(ds), [spanIn(text, '[a]', 'a'), spanIn(text, '[d]', 'd')]);
    assert.deepEqual(ds.map((d) => d.message), ['Dependency cycle: a -> b -> c -> a', 'Dependency cycle: d -> d']);
    assert.deepEqual(only('services:\n  a:\n    image: x\n    depends_on: [b, c]\n  b:\n    image: x\n    depends_on: [c]\n  c:\n    image: x\n', 'CMP014'), []);
  });
});

describe('Compose definition rules (unit)', () => {
  it('CMP020: an external network or volume with its own configuration', () => {
    const text = 'services:\n  web:\n    image: x\nnetworks:\n  n:\n    external: true\n    driver: overlay\n    labels: [a=b]\nvolumes:\n  v:\n    external: true\n    driver_opts: {a: b}\n  ok:\n    external: true\n';
    const ds = validateCompose(text);
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [
      ['CMP020', span(text, 'driver')],
      ['CMP020', span(text, 'labels')],
      ['CMP020', span(text, 'driver_opts')],
    ]);
    assert.match(ds[0].message, /networks\.n: "external" and "driver" conflict/);
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\nnetworks:\n  n:\n    driver: overlay\n    labels: [a=b]\n'), []);
  });

  it('CMP021 and CMP022: external.name', () => {
    const text = 'services:\n  web:\n    image: x\nnetworks:\n  m:\n    name: m\n    external:\n      name: mm\n  o:\n    external:\n      name: oo\n';
    const ds = validateCompose(text);
    assert.deepEqual(ds.map((d) => [d.code, d.severity, at(d.range)]), [
      ['CMP021', 'error', spanIn(text, 'name: mm', 'name')],
      ['CMP022', 'warning', span(text, 'name: oo')],
    ]);
    assert.match(ds[0].message, /networks\.m: name and external\.name conflict/);
    assert.match(ds[1].message, /external\.name is deprecated/);
    assert.deepEqual(validateCompose('services:\n  web:\n    image: x\nnetworks:\n  m:\n    name: mm\n    external: true\n'), []);
  });

  it('CMP023: a service without image or build', () => {
    const text = 'services:\n  web:\n    environment: {A: b}\n  built:\n    build: .\n  ext:\n    extends: {service: built}\n  prov:\n    provider: {type: model}\n';
    const ds = validateCompose(text);
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [['CMP023', span(text, 'web')]]);
    assert.match(ds[0].message, /Service web has neither an image nor a build context/);
  });

  it('CMP024: GPU device requests', () => {
    const head = 'services:\n  gpu:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n';
    const text = head + '            - capabilities: [gpu]\n              count: lots\n            - capabilities: [gpu]\n              count: 1\n              device_ids: ["0"]\n';
    const ds = validateCompose(text);
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [
      ['CMP024', span(text, 'lots')],
      ['CMP024', span(text, 'device_ids')],
    ]);
    assert.match(ds[0].message, /Device count "lots" is not valid/);
    assert.match(ds[1].message, /"count" and "device_ids" are exclusive/);
    for (const ok of ['count: all', 'count: 2', 'count: "-1"', 'device_ids: ["0", "1"]'])
      assert.deepEqual(validateCompose(head + `            - capabilities: [gpu]\n              ${ok}\n`), [], ok);
  });

  it('CMP025: one host port published twice on the same address', () => {
    const text =
      'services:\n  a:\n    image: x\n    ports: ["8080:80", "127.0.0.1:9000:90", "127.0.0.1:7000:70", "6000:60/udp", "[::1]:5000:50"]\n' +
      '  b:\n    image: x\n    ports:\n      - "127.0.0.1:8080:81"\n      - "9000:91"\n      - "127.0.0.2:7000:71"\n      - "6000:61"\n' +
      '      - target: 50\n        published: "5000"\n        host_ip: "::1"\n      - "0.0.0.0:4000:40"\n      - "4000:41"\n';
    const ds = only(text, 'CMP025');
    assert.deepEqual(where(ds), [
      span(text, '"127.0.0.1:8080:81"'), // all addresses vs 127.0.0.1
      span(text, '"9000:91"'), // 127.0.0.1 vs all addresses
      span(text, 'target: 50'), // long form, IPv6 in brackets vs bare
      span(text, '"4000:41"'), // 0.0.0.0 is all addresses
    ]);
    assert.match(ds[0].message, /Host port 8080\/tcp is already published by services\.a/);
    // 127.0.0.1 vs 127.0.0.2, tcp vs udp: no clash (asserted by the list above).
    assert.ok(!ds.some((d) => /7000|6000/.test(d.message)));
  });

  it('CMP026: unquoted port mappings', () => {
    const text = 'services:\n  a:\n    image: x\n    ports:\n      - 22:22\n      - 8080:80\n      - "2222:22"\n';
    const ds = only(text, 'CMP026');
    assert.deepEqual(ds.map((d) => [d.severity, at(d.range), fixOf(d)]), [
      ['warning', span(text, '22:22'), [[span(text, '22:22'), '"22:22"']]],
      ['info', span(text, '8080:80'), [[span(text, '8080:80'), '"8080:80"']]],
    ]);
    assert.match(ds[0].message, /base-60 number/);
  });
});
