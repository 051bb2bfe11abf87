import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readBuildContext } from '../../../src/core/buildcontext/buildContext';
import { contextReport } from '../../../src/core/buildcontext/contextReport';
import { makeTree, Spec, treesPerSuite } from './contextTree';

describe('build context report (unit)', () => {
  const { tree, keep } = treesPerSuite();
  const report = async (spec: Spec, options: { dockerfile?: string } = {}) => {
    const root = await tree(spec);
    return contextReport(await readBuildContext(root, { cwd: root, ...options }), { top: 3 });
  };

  it('gives the files sent (sorted), their size, the largest files and folders', async () => {
    const r = await report({ Dockerfile: 'FROM scratch\n', 'a/big': 'x'.repeat(500), 'a/b/mid': 'x'.repeat(300), 'c/small': 'x'.repeat(10), 'c/d/e/only': 'x'.repeat(200), 'z': '' });
    assert.deepEqual(r.files, ['Dockerfile', 'a/b/mid', 'a/big', 'c/d/e/only', 'c/small', 'z']);
    assert.deepEqual(r.directories, ['a', 'a/b', 'c', 'c/d', 'c/d/e']);
    assert.equal(r.totalBytes, 13 + 500 + 300 + 10 + 200);
    assert.deepEqual(r.largestFiles, [{ path: 'a/big', bytes: 500 }, { path: 'a/b/mid', bytes: 300 }, { path: 'c/d/e/only', bytes: 200 }]);
    // c/d/e holds exactly what c/d holds: c/d is listed, not both.
    assert.deepEqual(r.largestFolders, [{ path: 'a', bytes: 800, files: 2 }, { path: 'a/b', bytes: 300, files: 1 }, { path: 'c', bytes: 210, files: 2 }]);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.notes, []);
  });

  it('counts what each exclusion line left out (a folder once), lines that matched nothing included', async () => {
    const r = await report({ '.dockerignore': '# deps\nnode_modules\n*.log\n!keep.log\ntmp\n', 'node_modules/a/b': 'x', 'x.log': '', 'y.log': '', 'keep.log': '', app: 'a' });
    assert.deepEqual(r.exclusions, [
      { line: 2, pattern: 'node_modules', files: 0, folders: 1 },
      { line: 3, pattern: '*.log', files: 2, folders: 0 },
      { line: 5, pattern: 'tmp', files: 0, folders: 0 },
    ]);
    assert.deepEqual(r.files, ['.dockerignore', 'app', 'keep.log']);
  });

  it('warns about node_modules, .git and build output in the context, with the line to add', async () => {
    const r = await report({ 'node_modules/x/i.js': 'x', 'web/node_modules/y/i.js': 'y', 'node_modules/x/node_modules/z': 'z', '.git/HEAD': 'ref', 'dist/app.js': 'd', 'svc/target/app.jar': 'j' });
    assert.equal(r.warnings.length, 3);
    assert.match(r.warnings[0], /^node_modules is in the context \(node_modules .*; web\/node_modules .*\): .* add "node_modules", "\*\*\/node_modules" to \.dockerignore$/);
    assert.match(r.warnings[1], /^\.git is in the context \(\.git .*\): .*credentials.* add "\.git" to \.dockerignore$/);
    assert.match(r.warnings[2], /^build output is in the context \(dist .*; svc\/target .*\): .* add "dist", "\*\*\/target" to \.dockerignore$/);
    // Excluded, they are not mentioned.
    const clean = await report({ '.dockerignore': '**/node_modules\n.git\ndist\n', 'node_modules/x': 'x', '.git/HEAD': 'r', 'dist/a': 'a' });
    assert.deepEqual(clean.warnings, []);
  });

  it('warns about a large context and symlinks out of it', async () => {
    const r = await report({ out: { link: '../../etc/passwd' }, abs: { link: '/etc/passwd' }, in: { link: 'sub/x' }, 'sub/x': 'x' });
    assert.deepEqual(r.warnings, ['2 symlinks point outside the context (e.g. "abs" → "/etc/passwd"): sent as links and never followed, so COPY copies the link, not what it points to']);
    const root = await makeTree({});
    keep(root);
    // A sparse file: large by size, nothing written.
    await writeFile(path.join(root, 'big'), '');
    const { truncate } = await import('node:fs/promises');
    await truncate(path.join(root, 'big'), 150_000_000);
    const big = contextReport(await readBuildContext(root));
    assert.match(big.warnings[0], /^the context is large \(150 MB in 1 file\): the builder receives all of it/);
  });

  it('notes an excluded Dockerfile or ignore file, and a missing Dockerfile', async () => {
    const r = await report({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'a\nDockerfile\n.dockerignore\n' });
    assert.deepEqual(r.notes, [
      'the Dockerfile "Dockerfile" is excluded (line 2): the builder still reads it, but COPY cannot see it',
      'the ignore file ".dockerignore" is excluded (line 3): the builder still reads it, but COPY cannot see it',
    ]);
    const none = await report({ a: 'a' });
    assert.deepEqual(none.notes, ['no Dockerfile at the root of the context (name one with --file)']);
  });
});
