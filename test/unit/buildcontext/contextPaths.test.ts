// walkPaths must decide a named path exactly as the whole walk does (it answers
// BuildKit's `.dockerignore` request before the walk is done): compared here
// with the walk, narrowed, over trees with exclusions, exceptions and links.
import assert from 'node:assert/strict';
import { narrowEntries } from '../../../src/core/build/fileSync';
import { literalPaths, walkPaths, withBuildFiles } from '../../../src/core/buildcontext/contextPaths';
import { readBuildContext } from '../../../src/core/buildcontext/buildContext';
import { walkContext } from '../../../src/core/buildcontext/contextWalk';
import { IgnoreMatcher } from '../../../src/core/buildcontext/dockerignore';
import { treesPerSuite } from './contextTree';

describe('build context: named paths without the whole walk (unit)', () => {
  const { tree } = treesPerSuite();

  it('takes plain paths only: globs, exceptions, rooted paths, the root and folders above it need the walk', () => {
    assert.deepEqual(literalPaths(['.dockerignore']), ['.dockerignore']);
    assert.deepEqual(literalPaths(['./a//b/', '', 'c']), ['a/b', 'c']);
    for (const p of ['*.txt', 'a/[b]', '!x', '/abs', '.', '../up', 'a\\b', ' spaced']) assert.equal(literalPaths([p]), undefined, p);
    assert.equal(literalPaths([]), undefined);
  });

  it('agrees with the walk, narrowed, on every path of trees with exclusions, exceptions, links and missing paths', async () => {
    const root = await tree({
      '.dockerignore': 'x',
      Dockerfile: 'FROM scratch',
      'a/b/c.txt': 'c',
      'a/b/d.log': 'd',
      'a/keep.log': 'k',
      'a/e.txt': 'e',
      'node_modules/m/i.js': 'i',
      'node_modules/keep/k.js': 'k',
      'skip/inner/f': 'f',
      'link': { link: 'a' },
      'dir/file': 'f',
      'linkdir/x': 'x',
      'linkdir/y': { link: '../a/e.txt' },
    });
    const probes = ['.dockerignore', 'Dockerfile', 'a/b/c.txt', 'a/b/d.log', 'a/keep.log', 'a/e.txt', 'node_modules/m/i.js', 'node_modules/keep/k.js', 'skip/inner/f', 'link', 'link/e.txt', 'linkdir/y', 'missing', 'a/missing', 'dir/file/below'];
    const ignores = [[], ['*.log', '!a/keep.log'], ['node_modules', '!node_modules/keep'], ['skip', 'a/b'], ['a', '!a/b/c.txt'], ['**/*.txt', 'Dockerfile', '.dockerignore'], ['*', '!a'], ['a/*', '!a/b']];
    for (const patterns of ignores) {
      const matcher = new IgnoreMatcher(patterns);
      const walk = await walkContext(root, matcher);
      for (const p of probes) {
        const want = narrowEntries(walk.entries, [p]);
        assert.deepEqual(walkPaths(root, matcher, [p]), want, `${p} with ${JSON.stringify(patterns)}`);
      }
      const several = ['a/e.txt', '.dockerignore', 'a/b/c.txt'];
      assert.deepEqual(walkPaths(root, matcher, several), narrowEntries(walk.entries, several), `several with ${JSON.stringify(patterns)}`);
      assert.equal(walkPaths(root, matcher, ['a']), undefined, 'a folder needs the walk');
    }
  });

  it('adds the build files the ignore file left out, in walk order, as the narrowed walk with them did', async () => {
    const root = await tree({ '.dockerignore': 'Dockerfile\n.dockerignore\nsub\n', Dockerfile: 'FROM scratch', 'a.txt': 'a' });
    const ctx = await readBuildContext(root);
    assert.deepEqual(ctx.walk.entries.map((e) => e.path), ['a.txt']);
    const named = walkPaths(root, new IgnoreMatcher(ctx.ignore!.patterns), ['.dockerignore'])!;
    assert.deepEqual(named, []);
    const sent = narrowEntries(withBuildFiles(root, ctx.files, named), ['.dockerignore']);
    assert.deepEqual(sent.map((e) => `${e.kind}:${e.path}:${e.size}`), ['file:.dockerignore:29']);
    assert.deepEqual(withBuildFiles(root, ctx.files, ctx.walk.entries).map((e) => e.path), ['.dockerignore', 'Dockerfile', 'a.txt']);
  });
});
