import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import type { Rule } from '../../../src/core/dockerfile/rule';
import { shellRules } from '../../../src/core/dockerfile/rules/shellRules';
import type { Finding } from '../../../src/core/dockerfile/types';

const rule = (code: string): Rule => shellRules.find((r) => r.code === code)!;
const lint = (code: string, text: string): Finding[] => lintDockerfile(text, { rules: [rule(code)] });
const count = (code: string, text: string) => lint(code, text).length;
const lines = (code: string, text: string) => lint(code, text).map((f) => f.range.start.line);
const covered = (code: string, text: string) => {
  const ls = text.split('\n');
  return lint(code, text).map((f) => ls[f.range.start.line].slice(f.range.start.column, f.range.end.column));
};

describe('RUN shell rules (unit)', () => {
  it('every shell rule is registered once', () => {
    const codes = shellRules.map((r) => r.code).sort();
    assert.deepEqual(codes, ['DL3001', 'DL3003', 'DL3004', 'DL3046', 'DL3047', 'DL3059', 'DL4001', 'DL4005', 'DL4006']);
  });

  it('DL3001 flags commands that make no sense in a build, as commands only', () => {
    assert.deepEqual(covered('DL3001', 'FROM x\nRUN apt-get install -y ssh && service nginx start\n'), ['service']);
    assert.equal(count('DL3001', 'FROM x\nRUN echo top vim\n'), 0);
    assert.equal(count('DL3001', 'FROM x\nONBUILD RUN top\n'), 1);
  });

  it('DL3003 flags cd, also inside subshells, but not in ONBUILD triggers', () => {
    assert.deepEqual(covered('DL3003', 'FROM x\nRUN (cd /src && make)\n'), ['cd']);
    assert.equal(count('DL3003', 'FROM x\nRUN echo cd\n'), 0);
    assert.equal(count('DL3003', 'FROM x\nONBUILD RUN cd /x\n'), 0);
  });

  it('DL3004 flags sudo wherever it runs, including ONBUILD', () => {
    assert.deepEqual(covered('DL3004', 'FROM x\nRUN apt-get update && sudo apt-get install y\n'), ['sudo']);
    assert.equal(count('DL3004', 'FROM x\nRUN apt-get install sudo\n'), 0);
    assert.equal(count('DL3004', 'FROM x\nONBUILD RUN sudo make\n'), 1);
  });

  it('DL3046 flags useradd with a long UID and no -l, on the UID, with a fix', () => {
    assert.deepEqual(covered('DL3046', 'FROM x\nRUN useradd -u 123456 me\n'), ['123456']);
    assert.deepEqual(covered('DL3046', 'FROM x\nRUN useradd --uid=1234567 me\n'), ['--uid=1234567']);
    for (const ok of ['useradd -u 12345 me', 'useradd -l -u 123456 me', 'useradd --no-log-init -u 123456 me', 'useradd me']) {
      assert.equal(count('DL3046', `FROM x\nRUN ${ok}\n`), 0, ok);
    }
    const fix = lint('DL3046', 'FROM x\nRUN useradd -u 123456 me\n')[0].fixes![0].edits[0];
    assert.deepEqual(fix, { range: { start: { line: 1, column: 11 }, end: { line: 1, column: 11 } }, newText: ' -l' });
  });

  it('DL3047 flags wget without --progress unless it is quiet or logs to a file', () => {
    assert.deepEqual(covered('DL3047', 'FROM x\nRUN wget https://x/y.tgz\n'), ['wget']);
    for (const ok of ['wget --progress=dot:giga u', 'wget -q u', 'wget -nv u', 'wget --no-verbose u', 'wget -o log u', 'wget --append-output=log u', 'wget -qO- u']) {
      assert.equal(count('DL3047', `FROM x\nRUN ${ok}\n`), 0, ok);
    }
    const fix = lint('DL3047', 'FROM x\nRUN wget u\n')[0].fixes![0].edits[0];
    assert.equal(fix.newText, ' --progress=dot:giga');
    assert.deepEqual(fix.range.start, { line: 1, column: 8 });
  });

  it('DL4001 flags each RUN that uses wget or curl once both were used in the stage', () => {
    const text = 'FROM x\nRUN wget a\nRUN curl b\nRUN echo hi\nRUN wget c\nFROM y\nRUN curl d\n';
    assert.deepEqual(lines('DL4001', text), [2, 4]);
    assert.deepEqual(covered('DL4001', 'FROM x\nRUN echo && wget a && curl b\n'), ['wget']);
    assert.equal(count('DL4001', 'FROM x\nRUN wget a\nFROM y\nRUN curl b\n'), 0);
  });

  it('DL4005 flags ln onto /bin/sh, on that argument', () => {
    assert.deepEqual(covered('DL4005', 'FROM x\nRUN ln -sf /bin/bash /bin/sh\n'), ['/bin/sh']);
    assert.equal(count('DL4005', 'FROM x\nRUN ln -s a b && echo /bin/sh\n'), 0);
  });

  it('DL4006 flags a pipe unless the SHELL in force (or the script) sets pipefail', () => {
    assert.deepEqual(covered('DL4006', 'FROM x\nRUN curl -s u | tar x\n'), ['|']);
    assert.equal(count('DL4006', 'FROM x\nRUN curl u || true\n'), 0, '|| is not a pipe');
    assert.equal(count('DL4006', 'FROM x\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b\n'), 0);
    assert.equal(count('DL4006', 'FROM x\nSHELL ["/usr/local/bin/zsh", "-o", "pipefail", "-c"]\nRUN a | b\n'), 0);
    assert.equal(count('DL4006', 'FROM x\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b\n'), 1, 'sh has no pipefail');
    assert.equal(count('DL4006', 'FROM x\nSHELL ["pwsh", "-c"]\nRUN Get-Item x | Select-Object y\n'), 0);
    assert.equal(count('DL4006', 'FROM x\nSHELL ["cmd.exe", "/c"]\nRUN dir | more\n'), 0);
    assert.equal(count('DL4006', 'FROM x\nRUN set -eo pipefail; a | b\n'), 0);
    assert.equal(count('DL4006', 'FROM x\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1 | 2)\nEOF\n'), 0);
    // SHELL is per stage: a stage built from another inherits it, a fresh one does not.
    const staged = 'FROM x AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nFROM a\nRUN c | d\nFROM x\nRUN e | f\n';
    assert.deepEqual(lines('DL4006', staged), [6]);
    // A later SHELL without pipefail switches it off again.
    assert.deepEqual(lines('DL4006', 'FROM x\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nSHELL ["/bin/sh", "-c"]\nRUN c | d\n'), [4]);
    assert.equal(count('DL4006', 'FROM x\n# hadolint shell=powershell\nRUN a | b\n'), 0);
    assert.equal(count('DL4006', 'FROM x\nONBUILD RUN a | b\n'), 0, 'not applied to ONBUILD');
  });

  it('DL4006 offers a SHELL line above the RUN, indented like it', () => {
    const f = lint('DL4006', 'FROM x\n  RUN a | b\n')[0];
    assert.deepEqual(f.fixes![0].edits, [{ range: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } }, newText: '  SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n' }]);
  });

  it('DL3059 flags consecutive single-command RUNs with the same flags', () => {
    assert.deepEqual(lines('DL3059', 'FROM x\nRUN a\nRUN b\nRUN c\n'), [2, 3]);
    assert.deepEqual(lines('DL3059', 'FROM x\nRUN a\n# note\n\nRUN b\n'), [4], 'comments do not break the run');
    assert.equal(count('DL3059', 'FROM x\nRUN a\nWORKDIR /\nRUN b\n'), 0);
    assert.equal(count('DL3059', 'FROM x\nRUN a && b\nRUN c\n'), 0, 'chained commands are deliberate');
    assert.equal(count('DL3059', 'FROM x\nRUN --mount=type=cache,target=/c a\nRUN b\n'), 0);
    assert.equal(count('DL3059', 'FROM x\nRUN --network=none a\nRUN --network=none b\n'), 1);
    assert.deepEqual(lines('DL3059', 'FROM x\nRUN a && b\nRUN c\nRUN d\n'), [3]);
    assert.equal(count('DL3059', 'FROM x\nRUN a\nONBUILD RUN b\nRUN c\n'), 0, 'ONBUILD is another instruction');
    assert.deepEqual(covered('DL3059', 'FROM x\nRUN a\nrun b\n'), ['run']);
  });
});
