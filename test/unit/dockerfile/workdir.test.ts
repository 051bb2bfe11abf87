import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import type { LintConfig } from '../../../src/core/dockerfile/rule';
import { ALL_RULES } from '../../../src/core/dockerfile/rules';
import { dl3000 } from '../../../src/core/dockerfile/rules/workdir';
import { applyFix } from './applyFix';

// DL3000 / WorkdirRelativePath: one rule with both names (see rules/workdir.ts
// for how the two tools' semantics were merged).

const lint = (text: string, config: Partial<LintConfig> = {}, buildkitCheck?: string) => lintDockerfile(text, { rules: [dl3000], config, buildkitCheck });
const lines = (text: string) => lint(text).map((f) => f.range.start.line + 1);


/** The text after applying the fix of the finding on `line` (1-based). */
function fixed(text: string, line: number): string {
  const f = lint(text).find((x) => x.range.start.line + 1 === line);
  assert.ok(f, `no finding on line ${line}`);
  return applyFix(text, f);
}

describe('DL3000 / WorkdirRelativePath (unit)', () => {
  it('is one rule: one finding per relative WORKDIR, answering to both names', () => {
    const all = lintDockerfile('FROM scratch\nWORKDIR app/\n').filter((f) => f.code === 'DL3000' || f.aliases.includes('WorkdirRelativePath') || f.code === 'WorkdirRelativePath');
    assert.equal(all.length, 1);
    assert.equal(all[0].code, 'DL3000');
    assert.deepEqual(all[0].aliases, ['WorkdirRelativePath']);
    assert.equal(all[0].message, 'Use absolute WORKDIR: relative workdir "app/" can have unexpected results if the base image changes');
    assert.deepEqual(all[0].range, { start: { line: 1, column: 8 }, end: { line: 1, column: 12 } });
    assert.equal(ALL_RULES.filter((r) => r.code === 'WorkdirRelativePath').length, 0, 'no separate BuildKit rule');
  });

  it('reports relative WORKDIRs until an absolute one anchors the stage chain', () => {
    assert.deepEqual(lines('FROM scratch\nWORKDIR app/\nWORKDIR more\n'), [2, 3], 'still relative to the base image');
    assert.deepEqual(lines('FROM scratch\nWORKDIR /app\nWORKDIR sub\nWORKDIR ../x\n'), [], 'anchored');
    assert.deepEqual(lines('FROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\n'), [], 'anchored by the stage it builds on');
    assert.deepEqual(lines('FROM scratch AS a\nWORKDIR /app\nFROM alpine\nWORKDIR subdir/\n'), [4], 'another base image');
    assert.deepEqual(lines('FROM scratch AS a\nWORKDIR rel\nFROM a\nWORKDIR more\n'), [2, 4]);
    assert.deepEqual(lines('WORKDIR relative/dir\n'), [1], 'before any FROM, as hadolint lints it');
  });

  it('takes absolute, Windows and unknown-variable paths as absolute; expands variables the file fixes', () => {
    for (const dir of ['/app', '"/usr/local"', "'/usr/local'", '$HOME', '$HOME/x', '"${DIR}"', '${work}', 'C:/x', "'C:\\'", '"C:\\"', 'C:\\x']) {
      assert.deepEqual(lint(`FROM a:1\nWORKDIR ${dir}\n`), [], dir);
    }
    for (const dir of ['"relative/dir"', "'relative/dir'", './x', '..']) assert.deepEqual(lines(`FROM a:1\nWORKDIR ${dir}\n`), [2], dir);
    assert.deepEqual(lines('FROM alpine\nENV D=/srv\nWORKDIR $D/x\n'), [], 'expanded value is absolute');
    assert.deepEqual(lines('FROM alpine\nENV D=srv\nWORKDIR $D/x\n'), [3], 'expanded value is relative');
    assert.deepEqual(lint('FROM alpine\nENV D=srv\nWORKDIR $D/x\n')[0].message, 'Use absolute WORKDIR: relative workdir "srv/x" can have unexpected results if the base image changes');
    assert.deepEqual(lines('FROM alpine\nARG D\nWORKDIR $D\n'), [], 'a build argument may make it absolute');
    assert.deepEqual(lines('FROM alpine\nENV D=srv\nWORKDIR $D$NOPE/x\n'), [], 'an unset variable: benefit of the doubt');
  });

  it('is suppressed by either name: pragmas, # check=skip, configuration', () => {
    const text = 'FROM scratch\nWORKDIR app/\n';
    assert.equal(lint(text).length, 1);
    // hadolint's own pragmas take hadolint codes only (hadolint drops any other); Berth's take either.
    assert.deepEqual(lint('FROM scratch\n# hadolint ignore=DL3000\nWORKDIR app/\n'), []);
    assert.deepEqual(lint(`# hadolint global ignore=DL3000\n${text}`), []);
    for (const name of ['DL3000', 'WorkdirRelativePath']) {
      assert.deepEqual(lint(`FROM scratch\n# berth ignore=${name}\nWORKDIR app/\n`), [], `berth ignore=${name}`);
      assert.deepEqual(lint(`# berth global ignore=${name}\n${text}`), [], `berth global ignore=${name}`);
      assert.deepEqual(lint(`FROM scratch\n# check=skip=${name}\nWORKDIR app/\n`), [], `check=skip=${name} above the instruction`);
      assert.deepEqual(lint(`# check=skip=${name}\n${text}`), [], `check=skip=${name}`);
      assert.deepEqual(lint(text, {}, `skip=${name}`), [], `BUILDKIT_DOCKERFILE_CHECK skip=${name}`);
      assert.deepEqual(lint(text, { ignored: [name] }), [], `ignored: ${name}`);
      assert.equal(lint(text, { override: { info: [name] } })[0].severity, 'info', `severity override by ${name}`);
    }
    assert.deepEqual(lint(`# check=skip=all\n${text}`), [], 'skip=all covers the BuildKit name');
    assert.equal(lint(`# check=skip=UndefinedVar\n${text}`).length, 1);
  });

  it('fixes a relative WORKDIR to the absolute path it resolves to', () => {
    assert.equal(fixed('FROM scratch\nWORKDIR app/\n', 2), 'FROM scratch\nWORKDIR /app\n');
    assert.equal(fixed('FROM scratch\nWORKDIR ./app/./src/../lib\n', 2), 'FROM scratch\nWORKDIR /app/lib\n');
    assert.equal(fixed('FROM scratch\nWORKDIR ../../x\n', 2), 'FROM scratch\nWORKDIR /x\n', '.. stops at the root');
    assert.equal(fixed('FROM scratch\nWORKDIR "my app"\n', 2), 'FROM scratch\nWORKDIR "/my app"\n', 'quotes kept');
    assert.equal(fixed('FROM scratch\nWORKDIR  app   \n', 2), 'FROM scratch\nWORKDIR  /app   \n', 'only the path changes');
    // A later relative WORKDIR resolves against the earlier ones of its stage chain.
    const chain = 'FROM scratch AS a\nWORKDIR app\nFROM a\nWORKDIR src/..\nWORKDIR lib\n';
    assert.equal(fixed(chain, 4), 'FROM scratch AS a\nWORKDIR app\nFROM a\nWORKDIR /app\nWORKDIR lib\n');
    assert.equal(fixed(chain, 5), 'FROM scratch AS a\nWORKDIR app\nFROM a\nWORKDIR src/..\nWORKDIR /app/lib\n');
    assert.equal(lint(chain)[0].fixes?.[0].title, 'Use the absolute path /app');
    // Variables may hold `/` or `..`: the path is prefixed, not normalized.
    assert.equal(fixed('FROM alpine\nENV D=srv\nWORKDIR $D/x\n', 3), 'FROM alpine\nENV D=srv\nWORKDIR /$D/x\n');
    assert.equal(fixed('FROM alpine\nWORKDIR a\nWORKDIR "b/${X}/.."\n', 3), 'FROM alpine\nWORKDIR a\nWORKDIR "/a/b/${X}/.."\n');
  });

  it('offers no fix where a rewrite would guess', () => {
    assert.equal(lint('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR app\n')[0].fixes, undefined, 'Windows: paths are on a drive');
    assert.equal(lint('FROM scratch\nWORKDIR "app\n')[0].fixes, undefined, 'unbalanced quote');
  });
});
