import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';

// The snippets Berth offers must not teach what its own linter flags.
describe('Dockerfile snippets (unit)', () => {
  const snippets = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../snippets/dockerfile.json'), 'utf8')) as Record<string, { body: string[] }>;
  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" lints clean`, () => {
      const body = snippet.body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1');
      // Fragments (a RUN alone) get a base image so that only their own lines are judged.
      const text = body.includes('FROM ') ? body : `FROM debian:12\n${body}\n`;
      const findings = lintDockerfile(text).filter((f) => f.severity !== 'style');
      assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}: ${f.message}`), []);
    });
  }
});
