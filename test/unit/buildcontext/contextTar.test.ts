import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBuildContext } from '../../../src/core/buildcontext/buildContext';
import { buildFileEntries, contextTar } from '../../../src/core/buildcontext/contextTar';
import { makeTree, readTar, runUnprivileged, treesPerSuite } from './contextTree';

describe('build context tar (unit)', () => {
  const { tree, keep } = treesPerSuite();

  it('holds the walk in its order: folders, files with their content, links with their text, owned by 0:0', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'src/app.js': 'console.log(1)\n', 'src/lib/util.js': 'u', 'current': { link: 'src' }, '.dockerignore': '*.log\n', 'debug.log': 'noise' });
    const ctx = await readBuildContext(root);
    const { entries, error } = await readTar(contextTar(ctx.walk));
    assert.equal(error, undefined);
    assert.deepEqual(
      entries.map((e) => [e.name, e.type, e.content ?? e.linkname ?? null]),
      [
        ['.dockerignore', 'file', '*.log\n'],
        ['Dockerfile', 'file', 'FROM scratch\n'],
        ['current', 'symlink', 'src'],
        ['src/', 'directory', null],
        ['src/app.js', 'file', 'console.log(1)\n'],
        ['src/lib/', 'directory', null],
        ['src/lib/util.js', 'file', 'u'],
      ],
    );
    assert.ok(entries.every((e) => e.uid === 0 && e.gid === 0));
  });

  it('sends a symlink pointing outside as a link: what it points to is never in the tar', async () => {
    const outside = await tree({ 'secret/key.pem': 'TOP-SECRET-KEY', 'passwd': 'TOP-SECRET-PASSWD' });
    const root = await tree({ 'a.txt': 'a', 'keys': { link: path.join(outside, 'secret') }, 'pw': { link: path.relative(path.join(os.tmpdir(), 'x'), path.join(outside, 'passwd')) } });
    const ctx = await readBuildContext(root);
    const stream = contextTar(ctx.walk);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('latin1');
    assert.ok(!raw.includes('TOP-SECRET'), 'the target content leaked into the tar');
    const { entries } = await readTar(contextTar(ctx.walk));
    assert.deepEqual(entries.map((e) => [e.name, e.type, e.linkname ?? null]), [['a.txt', 'file', null], ['keys', 'symlink', path.join(outside, 'secret')], ['pw', 'symlink', ctx.walk.entries[2].linkTarget]]);
  });

  it('streams a large file in chunks and keeps it exact', async () => {
    const root = await tree({});
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251;
    await writeFile(path.join(root, 'big.bin'), big);
    const ctx = await readBuildContext(root);
    const { entries, error } = await readTar(contextTar(ctx.walk));
    assert.equal(error, undefined);
    assert.equal(entries[0].size, big.length);
    assert.ok(entries[0].data!.equals(big));
  });

  it('writes a FIFO as a header-only entry (never opened)', async () => {
    const root = await tree({ 'a.txt': 'a' });
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    const { entries } = await readTar(contextTar((await readBuildContext(root)).walk));
    assert.deepEqual(entries.map((e) => [e.name, e.type]), [['a.txt', 'file'], ['pipe', 'fifo']]);
  });

  it('adds the Dockerfile and ignore file the ignore file excluded when a build asks (the engine still reads them)', async () => {
    const root = await tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'Dockerfile\n.dockerignore\n', app: 'a' });
    const ctx = await readBuildContext(root);
    assert.deepEqual(ctx.walk.entries.map((e) => e.path), ['app']);
    const { entries } = await readTar(contextTar(ctx.walk, { extra: buildFileEntries(ctx) }));
    assert.deepEqual(entries.map((e) => e.name), ['app', 'Dockerfile', '.dockerignore']);
  });

  it('an aborted signal fails the stream', async () => {
    const root = await tree({ a: 'a'.repeat(100_000), b: 'b' });
    const ctx = await readBuildContext(root);
    const controller = new AbortController();
    controller.abort();
    const { error } = await readTar(contextTar(ctx.walk, { signal: controller.signal }));
    assert.ok(error, 'the stream ended without an error');
  });

  it('a file unreadable when the tar opens it fails the stream with an error naming it, and no header of it is written', async () => {
    // The walk is told not to check (as if the file changed after the walk); runs as nobody (contextTree.ts).
    const root = await mkdtemp(path.join(os.tmpdir(), 'berth-ctx-tar-'));
    keep(root);
    await makeTree({ 'a.txt': 'a', 'b.key': 'S', 'c.txt': 'c' }, root);
    await chmod(path.join(root, 'b.key'), 0o000);
    const r = runUnprivileged([root, 'tar']);
    assert.deepEqual(r.files, ['a.txt', 'b.key', 'c.txt']);
    assert.deepEqual(r.tarEntries, ['a.txt']);
    assert.match(r.tarError!, /^cannot read "b\.key" in the build context: permission denied; the upload was stopped$/);
  });
});
