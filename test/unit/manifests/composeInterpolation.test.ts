import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDotenv } from '../../../src/core/manifests/compose/dotenv';
import { localFiles, type FileAccess } from '../../../src/core/manifests/compose/fileReferences';
import { interpolate } from '../../../src/core/manifests/compose/interpolation';
import { validateCompose } from '../../../src/core/manifests/compose/validateCompose';
import type { ManifestDiagnostic, Range } from '../../../src/core/manifests/types';

const at = (r: Range) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
const ENV: Record<string, string> = { SET: 'v', EMPTY: '', PORT: '8080' };
const env = (name: string) => ENV[name];
const value = (text: string) => {
  const r = interpolate(text, env);
  assert.equal(r.error, undefined, `${text}: ${r.error}`);
  return r.value;
};
const codes = (ds: ManifestDiagnostic[]) => ds.map((d) => `${d.code} ${at(d.range)}`);

describe('Compose interpolation (unit)', () => {
  it('substitutes every form', () => {
    assert.equal(value('$$'), '$');
    assert.equal(value('a$$SET'), 'a$SET', '$$ escapes, the name after it is text');
    assert.equal(value('$SET'), 'v');
    assert.equal(value('x-$SET-y'), 'x-v-y', 'a bare name ends at the first non-name character');
    assert.equal(value('${SET}'), 'v');
    assert.equal(value('${SET}}'), 'v}');
    assert.equal(value('${PORT}:80'), '8080:80');
    assert.equal(value('$_x1'), '');
    assert.equal(value('${UNSET:-d}'), 'd');
    assert.equal(value('${UNSET-d}'), 'd');
    assert.equal(value('${SET:-d}'), 'v');
    assert.equal(value('${SET:+alt}'), 'alt');
    assert.equal(value('${SET+alt}'), 'alt');
    assert.equal(value('${UNSET:+alt}'), '');
    assert.equal(value('${UNSET+alt}'), '');
    assert.equal(value('${SET:?msg}'), 'v');
    assert.equal(value('${SET?msg}'), 'v');
    // Nested defaults.
    assert.equal(value('${UNSET:-${SET}}'), 'v');
    assert.equal(value('${UNSET:-${UNSET2:-deep}}'), 'deep');
    assert.equal(value('${UNSET:-$$x}'), '$x');
    assert.equal(value('${UNSET:-a-${PORT}-b}'), 'a-8080-b');
    assert.equal(value('no dollar'), 'no dollar');
  });

  it('treats an empty variable as unset only in the colon forms', () => {
    assert.equal(value('${EMPTY:-d}'), 'd');
    assert.equal(value('${EMPTY-d}'), '');
    assert.equal(value('${EMPTY:+alt}'), '');
    assert.equal(value('${EMPTY+alt}'), 'alt');
    assert.deepEqual(interpolate('${EMPTY:?need it}', env).required, [{ name: 'EMPTY', message: 'need it' }]);
    assert.deepEqual(interpolate('${EMPTY?need it}', env).required, []);
    assert.deepEqual(interpolate('${UNSET?need it}', env).required, [{ name: 'UNSET', message: 'need it' }]);
    assert.deepEqual(interpolate('${UNSET:?}', env).required, [{ name: 'UNSET', message: '' }]);
  });

  it('tells which variables were read without a value', () => {
    const r = interpolate('$UNSET ${UNSET} ${OTHER} ${DEF:-x} ${ALT:+y} $SET', env);
    assert.deepEqual(r.unset, ['UNSET', 'OTHER'], 'once each; defaults and :+ do not count');
    assert.equal(r.usedVariables, true);
    assert.equal(interpolate('$$ only', env).usedVariables, false);
    assert.deepEqual(interpolate('${EMPTY}', env).unset, [], 'empty is set');
  });

  it('rejects invalid templates with a message naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['${', /never closed/],
      ['${SET', /never closed/],
      ['${UNSET:-${X}', /never closed/],
      ['${}', /does not start with a variable name/],
      ['$1', /must start a variable.*\$\$/],
      ['$', /must start a variable/],
      ['a $ b', /must start a variable/],
      ['${VAR!}', /unexpected "!" after \$\{VAR/],
      ['${1A}', /does not start with a variable name/],
    ];
    for (const [text, message] of cases) {
      const r = interpolate(text, env);
      assert.match(r.error ?? '', message, text);
      assert.equal(r.value, text, 'the value stays the input');
    }
  });
});

describe('Compose .env files (unit)', () => {
  it('reads compose\'s dialect', () => {
    const text = [
      '\uFEFFA=1',
      'export B=2',
      '# a comment',
      '   ',
      'C="x\\ny \\"q\\" \\\\ \\t"',
      "D='lit $x\\n'",
      'E=val # comment',
      'F=val#not-a-comment',
      'G',
      'H=',
      ' I = spaced ',
      'J="a" trailing',
      'K=a=b',
      'L="quoted # not a comment"',
    ].join('\r\n');
    const m = parseDotenv(text);
    assert.deepEqual(Object.fromEntries(m), {
      A: '1',
      B: '2',
      C: 'x\ny "q" \\ \t',
      D: 'lit $x\\n',
      E: 'val',
      F: 'val#not-a-comment',
      H: '',
      I: 'spaced',
      J: 'a',
      K: 'a=b',
      L: 'quoted # not a comment',
    });
    assert.equal(m.has('G'), false, 'a name without = is not a definition');
    assert.equal(m.has('\uFEFFA'), false, 'the BOM is not part of the first name');
  });

  it('reads LF and CRLF files alike', () => {
    const lf = 'A=1\nB="two"\n';
    assert.deepEqual(parseDotenv(lf.replace(/\n/g, '\r\n')), parseDotenv(lf));
    assert.equal(parseDotenv('A=1\r\n').get('A'), '1', 'no \\r left on the value');
  });
});

describe('Compose interpolation in validation (unit)', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-interp-'));
    file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(path.join(dir, '.env'), '# the project\'s variables\nTAG=1.27\nexport N="3"\nP=8080\nFROM_ENV=dotenv\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const TYPED = 'services:\n  web:\n    image: nginx:${TAG}\n    deploy:\n      replicas: ${N}\n    cgroup: ${X}\n    ports:\n      - "${P}:80"\n';

  it('does not judge the type of a value that holds a variable', () => {
    const ds = validateCompose(TYPED);
    assert.deepEqual(ds.filter((d) => d.code === 'CMP002'), []);
    // Each unset variable is noted once, where it is used, as information.
    assert.deepEqual(
      ds.map((d) => [d.code, d.severity, at(d.range)]),
      [
        ['CMP032', 'info', '2:11-2:23'],
        ['CMP032', 'info', '4:16-4:20'],
        ['CMP032', 'info', '5:12-5:16'],
        ['CMP032', 'info', '7:8-7:17'],
      ],
    );
    assert.match(ds[0].message, /Variable TAG is not set.*empty string/);
    // Without the variable the same fields are judged.
    const literal = validateCompose('services:\n  web:\n    image: nginx\n    deploy:\n      replicas: three\n    cgroup: hostt\n');
    assert.deepEqual(codes(literal), ['CMP002 4:16-4:21', 'CMP002 5:12-5:17']);
  });

  it('reads .env next to the file', () => {
    const ds = validateCompose(TYPED, { file, files: localFiles });
    assert.deepEqual(codes(ds), ['CMP032 5:12-5:16'], 'only X is unset');
    assert.match(ds[0].message, /Variable X/);
    // Without file access (unsaved text) .env is not read.
    assert.equal(validateCompose(TYPED, { file }).filter((d) => d.code === 'CMP032').length, 4);
  });

  it('lets the environment win over .env', () => {
    const seen: string[] = [];
    const text = 'services:\n  web:\n    image: nginx\n    environment:\n      A: ${FROM_ENV:?must be set}\n      B: ${EMPTY_IN_ENV:?must not be empty}\n';
    const files: FileAccess = {
      readText(f) {
        seen.push(f);
        return f === path.join(dir, '.env') ? 'FROM_ENV=dotenv\nEMPTY_IN_ENV=full\n' : undefined;
      },
    };
    const ds = validateCompose(text, { file, files, environment: { FROM_ENV: 'shell', EMPTY_IN_ENV: '' } });
    assert.deepEqual(seen, [path.join(dir, '.env')]);
    // The shell's empty value hides .env's: compose stops.
    assert.deepEqual(
      ds.map((d) => [d.code, d.severity, at(d.range)]),
      [['CMP031', 'warning', '5:9-5:43']],
    );
    assert.match(ds[0].message, /Required variable EMPTY_IN_ENV has no value here: must not be empty/);
    assert.deepEqual(validateCompose(text, { file, files, environment: { EMPTY_IN_ENV: 'x' } }), []);
  });

  it('reports bad templates as errors and required variables as warnings, at the value', () => {
    const text = 'services:\n  web:\n    image: nginx\n    environment:\n      A: ${REQ:?set REQ}\n      B: $$literal\n      C: "${"\n      D: cost $5\nx-ext:\n  e: ${Y!}\n';
    const ds = validateCompose(text);
    assert.deepEqual(
      ds.map((d) => [d.code, d.severity, at(d.range)]),
      [
        ['CMP031', 'warning', '4:9-4:24'],
        ['CMP030', 'error', '6:9-6:13'],
        ['CMP030', 'error', '7:9-7:16'],
        ['CMP030', 'error', '9:5-9:10'],
      ],
    );
    assert.match(ds[1].message, /services\.web\.environment\.C: "\$\{": "\$\{" is never closed/);
    assert.match(ds[2].message, /write "\$\$"/);
    assert.match(ds[3].message, /x-ext\.e/);
  });

  it('does not interpolate keys', () => {
    const ds = validateCompose('services:\n  web:\n    image: nginx\n    labels:\n      $weird: x\n');
    assert.deepEqual(ds.filter((d) => d.code.startsWith('CMP03')), []);
  });
});

describe('.env expansion (unit)', () => {
  it('expands ${VAR} from the environment and earlier lines, keeps single quotes literal, and fills bare keys from the environment', () => {
    const env = (n: string) => (n === 'HOME' ? '/root' : undefined);
    const parsed = parseDotenv("A=1\nB=${A}-x\nC='${A}'\nHOME\nD=\"${HOME}/d\"\nE=pa$1\nMISSING\n", env);
    assert.deepEqual([...parsed], [
      ['A', '1'],
      ['B', '1-x'],
      ['C', '${A}'],
      ['HOME', '/root'],
      ['D', '/root/d'],
      ['E', 'pa$1'],
    ]);
  });
});
