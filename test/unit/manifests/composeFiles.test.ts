import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localFiles, type FileAccess } from '../../../src/core/manifests/compose/fileReferences';
import { validateCompose } from '../../../src/core/manifests/compose/validateCompose';
import type { Range } from '../../../src/core/manifests/types';
import { detectKind, isComposeFileName, suppressions, validateManifest } from '../../../src/core/manifests/validateManifest';

const at = (r: Range) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;

/** Local files, refusing (loudly) to be asked for anything remote. */
function guarded(asked: string[]): FileAccess {
  return {
    readText(file) {
      asked.push(file);
      if (/git@|:\/\/|^oci:|https?:/.test(file)) throw new Error(`asked to read a remote include: ${file}`);
      return localFiles.readText(file);
    },
  };
}

describe('Compose extends and include files (unit)', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-files-'));
    write('common.yml', 'services:\n  base:\n    image: x\n');
    write('a.yml', 'include:\n  - b.yml\nservices:\n  a:\n    image: x\n');
    write('b.yml', 'include:\n  - path: a.yml\nservices:\n  b:\n    image: x\n');
    write('lib/ok.yml', 'services:\n  lib:\n    image: x\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('CMP040: extends.file must exist; its service must be defined there', () => {
    const text =
      'services:\n  web:\n    extends:\n      file: common.yml\n      service: base\n' +
      '  gone:\n    extends:\n      file: missing.yml\n      service: base\n' +
      '  wrong:\n    extends:\n      file: ./common.yml\n      service: nope\n';
    const ds = validateCompose(text, { file: path.join(dir, 'compose.yaml'), files: localFiles });
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [
      ['CMP040', '7:12-7:23'],
      ['CMP011', '12:15-12:19'],
    ]);
    assert.match(ds[0].message, /extends\.file "missing\.yml" does not exist \(looked for .*missing\.yml\)/);
    assert.match(ds[1].message, /Service "nope" is not defined in \.\/common\.yml/);
    // Without file access (unsaved text) files are not judged, and an extends.file service is not looked up here.
    assert.deepEqual(validateCompose(text), []);
  });

  it('CMP040: included files must exist, in every include form', () => {
    const text = 'include:\n  - common.yml\n  - missing.yml\n  - path: [lib/ok.yml, lib/none.yml]\n  - path: ./lib/ok.yml\n    project_directory: lib\nservices:\n  web:\n    image: x\n';
    const ds = validateCompose(text, { file: path.join(dir, 'compose.yaml'), files: localFiles });
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [
      ['CMP040', '2:4-2:15'],
      ['CMP040', '3:23-3:35'],
    ]);
    assert.match(ds[0].message, /Included file "missing\.yml" does not exist/);
  });

  it('CMP041: an include cycle between two files', () => {
    const text = fs.readFileSync(path.join(dir, 'a.yml'), 'utf8');
    const ds = validateCompose(text, { file: path.join(dir, 'a.yml'), files: localFiles });
    assert.deepEqual(ds.map((d) => [d.code, at(d.range)]), [['CMP041', '1:4-1:9']]);
    assert.equal(ds[0].message, 'Include cycle: a.yml -> b.yml -> a.yml');
    // A file that includes the loop is told about it too; one that includes a plain file is not.
    const outer = validateCompose('include:\n  - a.yml\n', { file: path.join(dir, 'compose.yaml'), files: localFiles });
    assert.deepEqual(outer.map((d) => d.code), ['CMP041']);
    assert.deepEqual(validateCompose('include:\n  - lib/ok.yml\n', { file: path.join(dir, 'compose.yaml'), files: localFiles }), []);
  });

  it('never reads a remote include or extends', () => {
    const asked: string[] = [];
    const text =
      'include:\n  - git@github.com:org/repo.git\n  - https://example.com/compose.yaml\n  - oci://registry.example.com/app:1\n  - path: [git@github.com:org/other.git]\n' +
      'services:\n  web:\n    extends:\n      file: https://example.com/base.yaml\n      service: base\n';
    const ds = validateCompose(text, { file: path.join(dir, 'compose.yaml'), files: guarded(asked) });
    assert.deepEqual(ds, []);
    assert.deepEqual(asked, [path.join(dir, '.env')], 'only the project .env was read');
  });
});

describe('Compose suppressions and kind detection (unit)', () => {
  const CLASH = 'services:\n  a:\n    image: x\n    ports: ["80:80"]\n  b:\n    image: x\n    ports: ["80:80"]\n    depends_on: [z]\n';

  it('# berth ignore=CODE drops those codes, # berth ignore-file everything', () => {
    assert.deepEqual(validateManifest(CLASH)?.diagnostics.map((d) => d.code), ['CMP025', 'CMP011'], 'in file order');
    assert.deepEqual(validateManifest(`# berth ignore=CMP025\n${CLASH}`)?.diagnostics.map((d) => d.code), ['CMP011']);
    assert.deepEqual(validateManifest(`${CLASH}  #berth ignore=CMP025, CMP011\n`)?.diagnostics, []);
    const off = validateManifest('# berth ignore-file\nservices: 3\n');
    assert.deepEqual(off, { kind: 'compose', diagnostics: [] });
    // Only whole-line comments count: a value that mentions it does not.
    assert.equal(validateManifest(`x-note: "# berth ignore-file"\n${CLASH}`)?.diagnostics.length, 2);
    assert.deepEqual(suppressions('  # berth ignore=CMP001,CMP002\n'), { file: false, codes: new Set(['CMP001', 'CMP002']) });
  });

  it('tells Compose files by name', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.override.yaml', 'compose.prod.yml', '/x/y/Compose.Dev.YAML'])
      assert.equal(isComposeFileName(name), true, name);
    for (const name of ['compose.json', 'my-compose.yml', 'compose.yaml.bak', 'values.yaml']) assert.equal(isComposeFileName(name), false, name);
    assert.equal(detectKind('compose.prod.yml', ''), 'compose');
    assert.equal(detectKind('docker-compose.override.yaml', 'apiVersion: v1\nkind: Pod\n'), 'compose', 'the name wins');
  });

  it('tells the kind by content otherwise', () => {
    assert.equal(detectKind('app.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'), 'kubernetes');
    assert.equal(detectKind(undefined, '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n'), 'kubernetes');
    assert.equal(detectKind('app.yaml', 'services:\n  web:\n    image: x\n'), 'compose');
    assert.equal(detectKind(undefined, '# project\ninclude:\n  - a.yml\n'), 'compose');
    assert.equal(detectKind('app.yaml', '\uFEFFservices:\n  web:\n    image: x\n'), 'compose');
    assert.equal(detectKind('app.yaml', 'foo: bar\n'), undefined);
    assert.equal(detectKind('app.yaml', 'apiVersion: 1\nfoo: 2\n'), undefined, 'apiVersion without kind');
    // A nested services: key (a Helm values file) is not a Compose file.
    assert.equal(detectKind('values.yaml', 'backend:\n  services:\n    web: {}\n'), undefined);
    assert.equal(validateManifest('foo: bar\n'), undefined);
  });
});
