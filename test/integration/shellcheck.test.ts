import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lintWithShellcheck } from '../../src/core/dockerfile/lintWithShellcheck';
import type { Finding } from '../../src/core/dockerfile/types';

// ShellCheck on RUN scripts with the real binary (Debian's shellcheck, installed by
// scripts/provision.sh): its findings come back at the Dockerfile position of the
// word they are about, through continuations, ARG/ENV exports and pragmas.

const SHELLCHECK = 'shellcheck';

function sc(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

describe('ShellCheck on RUN (real shellcheck binary)', function () {
  this.timeout(30_000);

  before(() => {
    const v = spawnSync(SHELLCHECK, ['--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0, 'shellcheck is not installed (scripts/provision.sh installs Debian\'s)');
  });

  it('maps a finding in a continued RUN to the word on its own line', async () => {
    const text = [
      'FROM busybox:1.35',
      'ARG TARGET=/srv',
      'RUN echo start && \\',
      '    cp $SRC_DIR/app "$TARGET"',
      '',
    ].join('\n');
    const result = await lintWithShellcheck(text, { shellcheck: { binary: SHELLCHECK } });
    assert.equal(result.shellcheck, true, result.shellcheckError);
    const [unquoted, ...more] = sc(result.findings, 'SC2086');
    assert.ok(unquoted, `no SC2086 among ${result.findings.map((f) => f.code).join(', ')}`);
    assert.equal(more.length, 0, 'the quoted "$TARGET" is not flagged');
    // `$SRC_DIR` starts at column 7 of line 3 (0-based) and is 8 characters long.
    assert.deepEqual(unquoted.range, { start: { line: 3, column: 7 }, end: { line: 3, column: 15 } });
    assert.equal(text.split('\n')[3].slice(unquoted.range.start.column, unquoted.range.end.column), '$SRC_DIR');
  });

  it('knows the ARGs and ENVs in force, so they are not unassigned', async () => {
    const text = 'FROM busybox:1.35\nARG version=1\nENV home=/srv\nRUN echo "$version" "$home" "$other"\n';
    const result = await lintWithShellcheck(text, { shellcheck: { binary: SHELLCHECK } });
    const unassigned = sc(result.findings, 'SC2154');
    assert.equal(unassigned.length, 1, JSON.stringify(unassigned));
    assert.equal(text.split('\n')[3].slice(unassigned[0].range.start.column, unassigned[0].range.end.column), '$other');
  });

  it('honours # hadolint ignore=SC… on the instruction', async () => {
    const text = 'FROM busybox:1.35\n# hadolint ignore=SC2086\nRUN cp $A /b\nRUN cp $A /c\n';
    const result = await lintWithShellcheck(text, { shellcheck: { binary: SHELLCHECK } });
    assert.deepEqual(sc(result.findings, 'SC2086').map((f) => f.range.start.line), [3]);
  });

  it('reports a missing binary as unavailable, with Berth\'s own findings intact', async () => {
    const text = 'FROM busybox\nRUN cp $A /b\n';
    const result = await lintWithShellcheck(text, { shellcheck: { binary: '/nonexistent/shellcheck' } });
    assert.equal(result.shellcheck, false);
    assert.equal(sc(result.findings, 'SC2086').length, 0);
    assert.ok(result.findings.some((f) => f.code === 'DL3006'), 'untagged FROM still reported');
  });
});
