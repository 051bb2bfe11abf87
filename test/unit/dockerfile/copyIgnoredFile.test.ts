import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import { copyIgnoredFile } from '../../../src/core/dockerfile/rules/copyIgnoredFile';

// Experimental in BuildKit, so opt-in here: the tests enable it as a user would.
const lint = (text: string, dockerignore?: string) => lintDockerfile(text, { rules: [copyIgnoredFile], dockerignore, buildkitCheck: 'experimental=CopyIgnoredFile' });
const messages = (text: string, dockerignore?: string) => lint(text, dockerignore).map((f) => f.message);

describe('CopyIgnoredFile (unit)', () => {
  it('flags COPY and ADD of an excluded file, with BuildKit wording, on the source word', () => {
    const f = lint('FROM scratch\nCOPY Dockerfile .\nADD  Dockerfile /windy\n', 'Dockerfile\n');
    assert.deepEqual(
      f.map((x) => x.message),
      ['Attempting to Copy file "Dockerfile" that is excluded by .dockerignore', 'Attempting to Add file "Dockerfile" that is excluded by .dockerignore'],
    );
    assert.deepEqual(f[0].range, { start: { line: 1, column: 5 }, end: { line: 1, column: 15 } });
    assert.deepEqual(f[1].range, { start: { line: 2, column: 5 }, end: { line: 2, column: 15 } });
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].code, 'CopyIgnoredFile');
  });

  it('is off unless enabled, and does nothing without a .dockerignore', () => {
    assert.deepEqual(lintDockerfile('FROM scratch\nCOPY a .\n', { rules: [copyIgnoredFile], dockerignore: 'a' }), []);
    assert.deepEqual(messages('FROM scratch\nCOPY a .\n'), []);
    assert.deepEqual(messages('FROM scratch\nCOPY a .\n', '# only comments\n\n'), []);
    assert.equal(messages('# check=experimental=CopyIgnoredFile\nFROM scratch\nCOPY a .\n', 'a').length, 1);
  });

  it('checks every source but the destination, on the cleaned path', () => {
    assert.deepEqual(messages('FROM scratch\nCOPY ok ./docs/a.md dist/../docs/b.md /app/\n', 'docs\n'), [
      'Attempting to Copy file "docs/a.md" that is excluded by .dockerignore',
      'Attempting to Copy file "docs/b.md" that is excluded by .dockerignore',
    ]);
    // The destination is not a source.
    assert.deepEqual(messages('FROM scratch\nCOPY src docs\n', 'docs\n'), []);
    // Root-anchored patterns: a nested directory of the same name is kept.
    assert.deepEqual(messages('FROM scratch\nCOPY app/node_modules /x\n', 'node_modules\n'), []);
  });

  it('handles the exec (JSON) form', () => {
    const f = lint('FROM scratch\nCOPY ["secret.env", "/app/"]\n', '*.env\n');
    assert.deepEqual(f.map((x) => x.message), ['Attempting to Copy file "secret.env" that is excluded by .dockerignore']);
    assert.deepEqual(f[0].range, { start: { line: 1, column: 7 }, end: { line: 1, column: 17 } });
  });

  it('skips COPY --from, URLs, Git remotes and heredocs', () => {
    const ignore = 'foobar\nx\n';
    assert.deepEqual(messages('FROM scratch AS base\nCOPY y /foobar\nFROM base\nCOPY --from=base /foobar /x\n', ignore), []);
    assert.deepEqual(messages('FROM scratch\nADD https://example.com/x /x\nADD git@github.com:a/x.git /y\n', 'x\n**/x.git\n'), []);
    assert.deepEqual(messages('FROM scratch\nCOPY <<x /x\nhello\nx\n', ignore), []);
  });

  it('expands variables first and skips a source whose value is unknown', () => {
    assert.deepEqual(messages('FROM scratch\nARG DIR=docs\nCOPY $DIR/a /a\n', 'docs\n'), ['Attempting to Copy file "docs/a" that is excluded by .dockerignore']);
    assert.deepEqual(messages('FROM scratch\nENV D=docs\nCOPY ${D} /d\n', 'docs\n'), ['Attempting to Copy file "docs" that is excluded by .dockerignore']);
    // An ARG without a default comes from the build arguments: nothing to judge.
    assert.deepEqual(messages('FROM scratch\nARG DIR\nCOPY $DIR/a /a\n', 'docs\n'), []);
  });

  it('treats the context root specially: only a pattern that takes everything excludes it', () => {
    assert.deepEqual(messages('FROM scratch\nCOPY . .\n', '*\n'), ['Attempting to Copy file "." that is excluded by .dockerignore']);
    assert.deepEqual(messages('FROM scratch\nCOPY ./ /\n', '**\n'), ['Attempting to Copy file "." that is excluded by .dockerignore']);
    assert.deepEqual(messages('FROM scratch\nCOPY . .\n', '.*\n'), []);
    assert.deepEqual(messages('FROM scratch\nCOPY . .\n', '**\n!Dockerfile\n'), []);
  });

  it('stays silent only for sources an exception could re-include', () => {
    assert.deepEqual(messages('FROM scratch\nCOPY ./Dockerfile .\n', '**\n!Dockerfile\n'), []);
    // The exception is inside the copied directory, or the copied file is the exception.
    for (const src of ['sub', 'sub/keep.txt']) assert.deepEqual(messages(`FROM scratch\nCOPY ${src} /x\n`, 'sub\n!sub/keep.txt\n'), [], src);
    assert.deepEqual(messages('FROM scratch\nCOPY sub /x\n', 'sub\n!*/keep.txt\n'), []);
    assert.deepEqual(messages('FROM scratch\nCOPY su.b /x\n', 'su.b\n!su\\.b/keep.txt\n'), []);
    // Exceptions elsewhere leave the check in force.
    for (const ignore of ['sub\n!sub/b.txt\n', 'sub\n!other.txt\n', '!sub/b.txt\nsub\n', 'sub\n!other/*.txt\n']) {
      assert.deepEqual(messages('FROM scratch\nCOPY sub/a.txt /\n', ignore), ['Attempting to Copy file "sub/a.txt" that is excluded by .dockerignore'], ignore);
    }
  });

  it('follows the .dockerignore syntax of the builder', () => {
    // Leading /, comments and cleaning as Docker reads the file.
    assert.equal(messages('FROM scratch\nCOPY build/out /o\n', '# c\n/build/\n').length, 1);
    // A malformed .dockerignore fails the build before any COPY: not this rule's to report.
    assert.deepEqual(messages('FROM scratch\nCOPY a /a\n', 'a\n[\n'), []);
    // Absolute sources are matched as written, so a root-anchored pattern does not catch them (as in BuildKit).
    assert.deepEqual(messages('FROM scratch\nCOPY /a /a\n', 'a\n'), []);
  });

  it('quotes odd file names the way Go does', () => {
    assert.deepEqual(messages('FROM scratch\nCOPY ["a\\tb\\u00a0", "/x"]\n', 'a*\n'), ['Attempting to Copy file "a\\tb\\u00a0" that is excluded by .dockerignore']);
    // An unbalanced quote in a source fails the build when BuildKit expands it: nothing to report here.
    assert.deepEqual(messages('FROM scratch\nCOPY ["a\\"b", "/x"]\n', 'a*\n'), []);
  });

  it('honours # check=skip', () => {
    const enabled = { rules: [copyIgnoredFile], dockerignore: 'Dockerfile\n', config: { override: { warning: ['CopyIgnoredFile'] } } };
    assert.equal(lintDockerfile('FROM scratch\nCOPY Dockerfile .\n', enabled).length, 1);
    assert.deepEqual(lintDockerfile('# check=skip=CopyIgnoredFile\nFROM scratch\nCOPY Dockerfile .\n', enabled), []);
  });
});
