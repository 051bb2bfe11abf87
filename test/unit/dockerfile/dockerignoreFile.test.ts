import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findDockerignore, withCopyIgnoredFile } from '../../../src/core/buildcontext/dockerignoreFile';

// The .dockerignore lookup `berth lint` and the editor share.

describe('findDockerignore / withCopyIgnoredFile (unit)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'berth-dockerignore-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const put = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  };

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile over the context .dockerignore', async () => {
    await put('app/api.Dockerfile', 'FROM x\n');
    assert.equal(await findDockerignore(path.join(dir, 'app/api.Dockerfile')), undefined);
    await put('app/.dockerignore', 'context\n');
    assert.deepEqual(await findDockerignore(path.join(dir, 'app/api.Dockerfile')), { path: path.join(dir, 'app/.dockerignore'), text: 'context\n' });
    await put('app/api.Dockerfile.dockerignore', 'specific\n');
    assert.equal((await findDockerignore(path.join(dir, 'app/api.Dockerfile')))?.text, 'specific\n');
  });

  it('looks in the given context; without a Dockerfile path only there', async () => {
    await put('ctx/.dockerignore', 'ctx\n');
    await put('df/.dockerignore', 'beside\n');
    assert.equal((await findDockerignore(path.join(dir, 'df/Dockerfile'), path.join(dir, 'ctx')))?.text, 'ctx\n');
    assert.equal((await findDockerignore(undefined, path.join(dir, 'ctx')))?.text, 'ctx\n');
    assert.equal(await findDockerignore(undefined), undefined);
  });

  it('takes an unreadable file as absent', async () => {
    await mkdir(path.join(dir, '.dockerignore')); // a directory: EISDIR
    assert.equal(await findDockerignore(path.join(dir, 'Dockerfile')), undefined);
  });

  it('turns CopyIgnoredFile on at warning unless a severity was chosen', () => {
    assert.deepEqual(withCopyIgnoredFile({}).override, { warning: ['CopyIgnoredFile'] });
    assert.deepEqual(withCopyIgnoredFile({ override: { warning: ['DL3006'] } }).override, { warning: ['DL3006', 'CopyIgnoredFile'] });
    const chosen = { override: { info: ['CopyIgnoredFile'] } };
    assert.equal(withCopyIgnoredFile(chosen), chosen);
    assert.deepEqual(withCopyIgnoredFile({ ignored: ['CopyIgnoredFile'] }).ignored, ['CopyIgnoredFile'], 'an ignore still applies');
  });
});
