import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBuildContext } from '../../../src/core/buildcontext/buildContext';
import { walkContext } from '../../../src/core/buildcontext/contextWalk';
import { IgnoreMatcher } from '../../../src/core/buildcontext/dockerignore';
import { makeTree, runUnprivileged, treesPerSuite } from './contextTree';

const walk = (root: string, patterns: string[] = []) => walkContext(root, new IgnoreMatcher(patterns));
const paths = async (root: string, patterns: string[] = []) => (await walk(root, patterns)).entries.map((e) => e.path);

describe('build context walk (unit)', () => {
  const { tree, keep } = treesPerSuite();

  it('lists depth first, names sorted, each folder before its content, with sizes', async () => {
    const root = await tree({ 'b.txt': 'bb', 'a/z.txt': 'z', 'a/b/c.txt': 'ccc', 'a-b': '', 'empty': { dir: true } });
    const w = await walk(root);
    assert.deepEqual(w.entries.map((e) => `${e.kind}:${e.path}:${e.size}`), ['directory:a:0', 'directory:a/b:0', 'file:a/b/c.txt:3', 'file:a/z.txt:1', 'file:a-b:0', 'file:b.txt:2', 'directory:empty:0']);
    assert.deepEqual(w.excluded, []);
  });

  it('leaves an excluded folder unread when no exception can reach inside, and records it once', async () => {
    const root = await tree({ 'node_modules/x/index.js': 'x', 'src/a.js': 'a', 'a.log': '' });
    const w = await walk(root, ['node_modules', '*.log']);
    assert.deepEqual(w.entries.map((e) => e.path), ['src', 'src/a.js']);
    assert.deepEqual(w.excluded, [
      { path: 'a.log', directory: false, pattern: 1, walked: false },
      { path: 'node_modules', directory: true, pattern: 0, walked: false },
    ]);
  });

  it('walks into an excluded folder holding an exception and sends the folder with what it re-includes', async () => {
    const root = await tree({ 'dir/keep': 'k', 'dir/drop': 'd', 'dir/sub/drop': 'd', other: 'o' });
    const w = await walk(root, ['dir', '!dir/keep']);
    assert.deepEqual(w.entries.map((e) => e.path), ['dir', 'dir/keep', 'other']);
    // At the edge of what is sent: dir is sent, so its excluded children are listed. dir/sub is
    // left unread: the only exception, dir/keep, cannot be inside it.
    assert.deepEqual(w.excluded.map((x) => `${x.path}:${x.walked}`), ['dir/drop:false', 'dir/sub:false']);
  });

  it('walks every excluded folder when an exception has glob characters (BuildKit, not the classic builder)', async () => {
    const root = await tree({ 'dir/a.cc': 'a', 'dir/b.h': 'b', 'x/y/z.cc': 'z' });
    assert.deepEqual(await paths(root, ['dir', 'x', '!**/*.cc']), ['dir', 'dir/a.cc', 'x', 'x/y', 'x/y/z.cc']);
  });

  it('does not send an excluded folder in which nothing was re-included', async () => {
    const root = await tree({ 'foo/bar/baz': 'b', 'foo/other': 'o' });
    const w = await walk(root, ['foo', '!foo/bar/qux']);
    assert.deepEqual(w.entries, []);
    assert.deepEqual(w.excluded, [{ path: 'foo', directory: true, pattern: 0, walked: true }]);
  });

  it("decides with the parent's per-pattern results, as BuildKit's walker does", async () => {
    // ["d/f", "!d"]: MatchesOrParentMatches re-includes d/f through its parent d;
    // the walker never tests `!d` against d (skipped there: nothing was excluded yet),
    // so for d/f it only tests d/f itself, and d/f stays excluded.
    const root = await tree({ 'd/f': 'f', 'd/g': 'g' });
    assert.equal(new IgnoreMatcher(['d/f', '!d']).excludes('d/f'), false);
    assert.deepEqual(await paths(root, ['d/f', '!d']), ['d', 'd/g']);
  });

  it('keeps symlinks as links with their text and never follows them, inside or out', async () => {
    const outside = await tree({ 'secret/key': 'SECRET', 'file': 'F' });
    const root = await tree({ 'real/a.txt': 'a', 'in-link': { link: 'real' }, 'out-dir': { link: path.join(outside, 'secret') }, 'out-rel': { link: '../../etc/passwd' }, dangling: { link: 'nowhere' } });
    const w = await walk(root);
    assert.deepEqual(
      w.entries.map((e) => [e.path, e.kind, e.linkTarget ?? null]),
      [['dangling', 'symlink', 'nowhere'], ['in-link', 'symlink', 'real'], ['out-dir', 'symlink', path.join(outside, 'secret')], ['out-rel', 'symlink', '../../etc/passwd'], ['real', 'directory', null], ['real/a.txt', 'file', null]],
    );
  });

  it('sends a FIFO as an entry without ever opening it, and skips a socket', async function () {
    const root = await tree({ 'a.txt': 'a' });
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, 'sock'), resolve));
    try {
      // Opening a FIFO for reading would block until a writer comes: the test would time out.
      const w = await walk(root);
      assert.deepEqual(w.entries.map((e) => `${e.kind}:${e.path}`), ['file:a.txt', 'fifo:pipe']);
      assert.deepEqual(w.skipped.map((s) => s.path), ['sock']);
    } finally {
      server.close();
    }
  });

  it('stops on an aborted signal', async () => {
    const root = await tree({ a: 'a' });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(walkContext(root, new IgnoreMatcher([]), { signal: controller.signal }), { name: 'AbortError' });
  });

  it('refuses a malformed pattern list before walking', async () => {
    const root = await tree({ a: 'a' });
    await assert.rejects(walk(root, ['[']), /ignore file is invalid: syntax error/);
  });

  describe('unreadable entries (a child process that really cannot read them)', () => {
    // As root a mode-000 file is still readable, so the child runs as nobody (contextTree.ts).
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'berth-ctx-unreadable-'));
      keep(root);
    });

    it('fails the walk with one error naming the file (and counting the others), before anything is sent', async () => {
      await makeTree({ 'a.txt': 'a', 'secret.key': 'S', 'z/also.key': 'S' }, root);
      await chmod(path.join(root, 'secret.key'), 0o000);
      await chmod(path.join(root, 'z/also.key'), 0o000);
      const r = runUnprivileged([root, 'walk']);
      assert.equal(r.files, undefined);
      assert.equal(r.errorPath, 'secret.key');
      assert.match(r.error!, /^cannot read "secret\.key" in the build context: permission denied \(and 1 more: "z\/also\.key"\)\. Nothing was sent/);
    });

    it('names an unreadable folder that is sent', async () => {
      await makeTree({ 'locked/inner': 'i' }, root);
      await chmod(path.join(root, 'locked'), 0o000);
      const r = runUnprivileged([root, 'walk']);
      assert.match(r.error!, /^cannot read "locked" in the build context: permission denied/);
    });

    it('passes over an unreadable folder that is excluded, and reports one an exception re-includes (fsutil TestWalkerPermissionDenied)', async () => {
      await makeTree({ 'foo/bar/baz': 'b', 'foo/ok': 'o' }, root);
      await chmod(path.join(root, 'foo/bar'), 0o000);
      await writeFile(path.join(root, '.dockerignore'), '**/bar\n');
      assert.deepEqual(runUnprivileged([root, 'walk']).files, ['.dockerignore', 'foo', 'foo/ok']);
      await writeFile(path.join(root, '.dockerignore'), '**/bar\n!foo/bar\n');
      assert.match(runUnprivileged([root, 'walk']).error!, /^cannot read "foo\/bar" in the build context: permission denied/);
    });

    it('an unreadable file that the ignore file excludes is no problem', async () => {
      await makeTree({ 'a.txt': 'a', 'secret.key': 'S', '.dockerignore': '*.key\n' }, root);
      await chmod(path.join(root, 'secret.key'), 0o000);
      assert.deepEqual(runUnprivileged([root, 'walk']).files, ['.dockerignore', 'a.txt']);
    });
  });

  it('readBuildContext applies the ignore file it finds, and its line numbers reach the report', async () => {
    const root = await tree({ '.dockerignore': '# comment\n\nnode_modules\n', 'node_modules/x': 'x', 'a': 'a' });
    const ctx = await readBuildContext(root);
    assert.deepEqual(ctx.ignore, { patterns: ['node_modules'], lines: [3] });
    assert.deepEqual(ctx.walk.entries.map((e) => e.path), ['.dockerignore', 'a']);
  });

  it('readBuildContext refuses a malformed ignore file with its line', async () => {
    const root = await tree({ '.dockerignore': 'ok\n[\n', 'a': 'a' });
    await assert.rejects(readBuildContext(root), /^ContextError: ignore file "\.dockerignore" line 2: syntax error in pattern "\[": the builder refuses this file$/);
  });
});
