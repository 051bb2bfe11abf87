import assert from 'node:assert/strict';
import { mkdtemp, symlink } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBuildContext } from '../../../src/core/buildcontext/buildContext';
import { resolveBuildFiles } from '../../../src/core/buildcontext/buildFiles';
import { treesPerSuite } from './contextTree';

describe('build files: Dockerfile and ignore file (unit)', () => {
  const { tree, keep } = treesPerSuite();

  it('finds Dockerfile and .dockerignore at the root', async () => {
    const root = await tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'a\n' });
    const f = await resolveBuildFiles(root);
    assert.equal(f.dockerfile?.relative, 'Dockerfile');
    assert.deepEqual([f.dockerignore?.relative, f.dockerignore?.text], ['.dockerignore', 'a\n']);
  });

  it('<Dockerfile>.dockerignore beside the Dockerfile wins over the context .dockerignore (BuildKit)', async () => {
    const root = await tree({ Dockerfile: 'FROM scratch\n', 'Dockerfile.dockerignore': 'bar\n', '.dockerignore': 'foo\n', foo: 'f', bar: 'b', 'docker/app.Dockerfile': 'FROM scratch\n', 'docker/app.Dockerfile.dockerignore': 'foo\nbar\n' });
    const byDefault = await readBuildContext(root);
    assert.equal(byDefault.files.dockerignore?.relative, 'Dockerfile.dockerignore');
    assert.ok(byDefault.walk.entries.some((e) => e.path === 'foo') && !byDefault.walk.entries.some((e) => e.path === 'bar'));
    // A custom Dockerfile (relative to the current folder, as docker build -f) brings its own.
    const custom = await readBuildContext('.', { cwd: root, dockerfile: 'docker/app.Dockerfile' });
    assert.equal(custom.files.dockerignore?.relative, 'docker/app.Dockerfile.dockerignore');
    assert.ok(!custom.walk.entries.some((e) => e.path === 'foo' || e.path === 'bar'));
  });

  it('falls back to .dockerignore when the Dockerfile has none of its own', async () => {
    const root = await tree({ 'docker/app.Dockerfile': 'FROM scratch\n', '.dockerignore': 'foo\n' });
    const f = await resolveBuildFiles(root, { dockerfile: path.join(root, 'docker/app.Dockerfile') });
    assert.equal(f.dockerignore?.relative, '.dockerignore');
  });

  it('resolves a context given through a symlink, as Docker does', async () => {
    const root = await tree({ Dockerfile: 'FROM scratch\n' });
    const link = path.join(await mkdtemp(path.join(os.tmpdir(), 'berth-ctx-link-')), 'ctx');
    keep(path.dirname(link));
    await symlink(root, link);
    const f = await resolveBuildFiles(link, { dockerfile: path.join(link, 'Dockerfile') });
    assert.equal(f.root, root);
    assert.equal(f.dockerfile?.relative, 'Dockerfile');
  });

  it('follows a Dockerfile or ignore file that links inside the context', async () => {
    const root = await tree({ 'docker/real.Dockerfile': 'FROM scratch\n', Dockerfile: { link: 'docker/real.Dockerfile' }, 'rules/ignore': 'x\n', '.dockerignore': { link: 'rules/ignore' } });
    const f = await resolveBuildFiles(root);
    assert.deepEqual([f.dockerfile?.relative, f.dockerfile?.path], ['Dockerfile', path.join(root, 'docker/real.Dockerfile')]);
    assert.equal(f.dockerignore?.text, 'x\n');
  });

  it('refuses a Dockerfile that is a symlink resolving outside the context', async () => {
    const outside = await tree({ 'Dockerfile': 'FROM scratch\n' });
    const root = await tree({ Dockerfile: { link: path.join(outside, 'Dockerfile') } });
    await assert.rejects(resolveBuildFiles(root), (err: Error) => {
      assert.match(err.message, /^Dockerfile "Dockerfile" is a symlink to ".*", which resolves to .*, outside the build context .*: refused \(links are never followed out of the context\)$/);
      return true;
    });
  });

  it('refuses a .dockerignore (or <Dockerfile>.dockerignore) that links outside the context', async () => {
    const outside = await tree({ ignore: 'nothing\n' });
    const root = await tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': { link: path.join(outside, 'ignore') } });
    await assert.rejects(resolveBuildFiles(root), /^ContextError: ignore file "\.dockerignore" is a symlink to .* outside the build context/);
    const root2 = await tree({ Dockerfile: 'FROM scratch\n', 'Dockerfile.dockerignore': { link: '../../../../../../../../etc/passwd' } });
    await assert.rejects(resolveBuildFiles(root2), /^ContextError: ignore file "Dockerfile\.dockerignore" is a symlink to .*outside the build context/);
  });

  it('refuses a Dockerfile outside the context, a missing one, and a dangling link', async () => {
    const outside = await tree({ Dockerfile: 'FROM scratch\n' });
    const root = await tree({ a: 'a', Dockerfile: { link: 'missing' } });
    await assert.rejects(resolveBuildFiles(root, { dockerfile: path.join(outside, 'Dockerfile') }), /^ContextError: Dockerfile ".*" is outside the build context/);
    await assert.rejects(resolveBuildFiles(root, { dockerfile: 'nope/Dockerfile', cwd: root }), /^ContextError: Dockerfile "nope\/Dockerfile" not found$/);
    await assert.rejects(resolveBuildFiles(root), /^ContextError: Dockerfile "Dockerfile" is a symlink to "missing", which does not exist$/);
  });

  it('a context without a Dockerfile is fine (there is nothing to refuse); a missing context is not', async () => {
    const root = await tree({ a: 'a' });
    assert.equal((await resolveBuildFiles(root)).dockerfile, undefined);
    await assert.rejects(resolveBuildFiles(path.join(root, 'nope')), /^ContextError: build context ".*nope" does not exist$/);
    await assert.rejects(resolveBuildFiles(path.join(root, 'a')), /is not a folder$/);
  });
});
