import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The VSIX ships only what .vscodeignore lets through: every chunk scripts/build.mjs
// writes for the extension must be let through, or a lazily required module is
// missing only in the packaged extension (tests from the checkout would not notice).

const REPO = path.resolve(__dirname, '../../..');

describe('VSIX contents (.vscodeignore)', () => {
  it('lets through every bundle and lazy chunk the build writes', () => {
    const build = fs.readFileSync(path.join(REPO, 'scripts/build.mjs'), 'utf8');
    const chunks = [...build.matchAll(/chunk: '([^']+\.js)'/g)].map((m) => m[1]);
    const outfiles = [...build.matchAll(/outfile: 'dist\/([^']+\.js)'/g)].map((m) => m[1]);
    assert.ok(chunks.length >= 4 && outfiles.includes('extension.js'), `read ${chunks.length} chunks and ${outfiles.join(', ')} from build.mjs`);
    const allowed = new Set(fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!dist/')).map((l) => l.slice('!dist/'.length).trim()));
    const missing = [...new Set([...chunks, ...outfiles])].filter((f) => !allowed.has(f));
    assert.deepEqual(missing, [], 'built into dist/ but left out of the VSIX by .vscodeignore');
  });
});
