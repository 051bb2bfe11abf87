import assert from 'node:assert/strict';
import { cleanPath, IgnoreMatcher, parseDockerignore } from '../../../src/core/buildcontext/dockerignore';

const excludes = (patterns: string[], path: string) => new IgnoreMatcher(patterns).excludes(path);

describe('.dockerignore (unit)', () => {
  describe('parseDockerignore', () => {
    it('drops comments and blank lines, trims, cleans and strips a leading /', () => {
      const { patterns, errors } = parseDockerignore('# comment\n\n  node_modules  \n/build/\n./a//b/../c\n!  /keep/me\n');
      assert.deepEqual(patterns, ['node_modules', 'build', 'a/c', '!keep/me']);
      assert.deepEqual(errors, []);
    });

    it('treats # as a comment only in column 0', () => {
      assert.deepEqual(parseDockerignore('#1\n  #2\n').patterns, ['#2']);
    });

    it('strips a BOM on the first line and CR line endings', () => {
      assert.deepEqual(parseDockerignore('\ufeffa\r\nb\r\n').patterns, ['a', 'b']);
      // A BOM anywhere else is part of the pattern, as in Docker.
      assert.deepEqual(parseDockerignore('a\n\ufeffb').patterns, ['a', '\ufeffb']);
    });

    it('keeps a bare ! (Docker rejects it later) and reports it with its line', () => {
      const { patterns, errors } = parseDockerignore('a\n!\n! \n');
      assert.deepEqual(patterns, ['a', '!', '!']);
      assert.deepEqual(errors, ['line 2: illegal exclusion pattern: "!"', 'line 3: illegal exclusion pattern: "!"']);
    });

    it('reports malformed patterns with their line', () => {
      assert.deepEqual(parseDockerignore('ok\n[a-b-c]\nfoo\\').errors, ['line 2: syntax error in pattern "[a-b-c]"', 'line 3: syntax error in pattern "foo\\\\"']);
    });

    it('keeps / as it is and the root-escaping .. of a relative path', () => {
      assert.deepEqual(parseDockerignore('/\n../x\n/../y').patterns, ['/', '../x', 'y']);
    });

    it('reads nothing from a file with a line over 64 KiB, as Docker', () => {
      const { patterns, errors } = parseDockerignore(`a\n${'x'.repeat(70_000)}\n`);
      assert.deepEqual(patterns, []);
      assert.match(errors[0], /^line 2: line too long/);
    });
  });

  describe('cleanPath (Go filepath.Clean)', () => {
    it('collapses separators, . and ..', () => {
      assert.equal(cleanPath('a//b/./c/'), 'a/b/c');
      assert.equal(cleanPath('a/../../b'), '../b');
      assert.equal(cleanPath('/../a'), '/a');
      assert.equal(cleanPath(''), '.');
      assert.equal(cleanPath('a/..'), '.');
    });
  });

  describe('IgnoreMatcher', () => {
    it('anchors patterns at the context root', () => {
      assert.equal(excludes(['node_modules'], 'node_modules/x'), true);
      assert.equal(excludes(['node_modules'], 'a/node_modules/x'), false);
      assert.equal(excludes(['**/node_modules'], 'a/node_modules/x'), true);
      assert.equal(excludes(['**/node_modules'], 'node_modules'), true);
    });

    it('excludes everything below a matched directory', () => {
      assert.equal(excludes(['docs'], 'docs/a/b/README.md'), true);
      assert.equal(excludes(['*/tmp'], 'x/tmp/y/z'), true);
    });

    it('keeps * and ? inside one path element', () => {
      assert.equal(excludes(['*.md'], 'README.md'), true);
      assert.equal(excludes(['*.md'], 'docs/README.md'), false);
      assert.equal(excludes(['a?c'], 'abc'), true);
      assert.equal(excludes(['a?c'], 'a/c'), false);
    });

    it('spares the directory itself with dir/**', () => {
      assert.equal(excludes(['abc/**'], 'abc'), false);
      assert.equal(excludes(['abc/**'], 'abc/def/ghi'), true);
      assert.equal(excludes(['**/dir4/**'], 'dir1/dir4'), false);
    });

    it('lets the last matching pattern win', () => {
      assert.equal(excludes(['*.go', '!fileutils.go'], 'fileutils.go'), false);
      assert.equal(excludes(['!fileutils.go', '*.go'], 'fileutils.go'), true);
      assert.equal(excludes(['dir', '!dir/keep'], 'dir/keep'), false);
      assert.equal(excludes(['dir', '!dir/keep'], 'dir/other'), true);
    });

    it('re-includes through an excluded directory when the exception has wildcards (BuildKit)', () => {
      assert.equal(excludes(['dir', '!**/*.cc'], 'dir/a.cc'), false);
      assert.equal(excludes(['*', '!src/**/*.go'], 'src/a/b.go'), false);
    });

    it('treats only *?[]\\ as special', () => {
      assert.equal(excludes(['a+b(c)|{d}$.whl'], 'a+b(c)|{d}$.whl'), true);
      assert.equal(excludes(['a.c'], 'abc'), false);
      assert.equal(excludes(['a\\*b'], 'a*b'), true);
      assert.equal(excludes(['a\\*b'], 'axb'), false);
      assert.equal(excludes(['[a-c]x'], 'bx'), true);
      assert.equal(excludes(['[^a-c]x'], 'bx'), false);
      assert.equal(excludes(['[\\]a]'], ']'), true);
    });

    it('matches by code point, as Go does', () => {
      assert.equal(excludes(['?'], '😀'), true);
      assert.equal(excludes(['é?'], 'éx'), true);
    });

    it('keeps the builder quirks that come from its regular expressions', () => {
      // Docker compiles the glob to a Go regexp, so a class holding * and a \d escape mean what RE2 says.
      assert.equal(excludes(['[*]'], '*'), false);
      assert.equal(excludes(['file\\d'], 'file7'), true);
      // A leading ** is compared as a plain suffix.
      assert.equal(excludes(['**foo'], 'afoo'), true);
    });

    it('never excludes the context root', () => {
      assert.equal(excludes(['*'], '.'), false);
      assert.equal(excludes(['**'], ''), false);
      assert.equal(excludes(['*'], './a'), true);
    });

    it('reports malformed lists and then excludes nothing', () => {
      for (const bad of [['['], ['[a-b-c]'], ['[x-]'], ['a\\'], ['!'], ['ok', '[^']]) {
        const m = new IgnoreMatcher(bad);
        assert.ok(m.error, JSON.stringify(bad));
        assert.equal(m.excludes('a'), false);
      }
      // Well-formed for filepath.Match but rejected by Go's regexp compiler (moby/moby#52203).
      assert.match(new IgnoreMatcher(['[Local-Only]/']).error ?? '', /invalid character class range/);
      assert.equal(new IgnoreMatcher(['!']).error, 'illegal exclusion pattern: "!"');
    });

    it('exposes the cleaned patterns and whether there are exceptions', () => {
      const m = new IgnoreMatcher([' a/ ', '', '!b']);
      assert.deepEqual(m.patterns, [
        { text: 'a', exclusion: false },
        { text: 'b', exclusion: true },
      ]);
      assert.equal(m.hasExceptions, true);
      assert.equal(new IgnoreMatcher(['a']).hasExceptions, false);
    });
  });
});
