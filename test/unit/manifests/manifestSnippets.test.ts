import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateManifest } from '../../../src/core/manifests/validateManifest';

// The snippets Berth offers must not teach what its own validation flags.
const snippets = (file: string) => Object.entries(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../snippets', file), 'utf8')) as Record<string, { body: string[] }>);
/** A snippet's text with its placeholders at their defaults (first choice of a choice list). */
const expand = (body: string[]) =>
  body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d/g, '');

describe('Manifest snippets (unit)', () => {
  for (const [name, snippet] of snippets('compose.json')) {
    it(`Compose "${name}" validates clean`, () => {
      const body = expand(snippet.body);
      // Fragments are placed where they belong: a service under services:, a service attribute under a service.
      const text = /^name:/.test(body)
        ? body
        : /^\w[\w-]*:\n {2}(image|build)/.test(body)
          ? `services:\n${indent(body, 2)}\n${/^db:/.test(body) ? '' : '  db:\n    image: postgres:16\n'}secrets:\n  db_password:\n    file: ./pw.txt\nvolumes:\n  db-data: {}\n`
          : `services:\n  db:\n    image: postgres:16\n  web:\n    image: nginx:1.27\n${indent(body, 4)}\n`;
      const r = validateManifest(text, { kind: 'compose', environment: {} })!;
      assert.deepEqual(r.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`), [], text);
    });
  }
  for (const [name, snippet] of snippets('kubernetes.json')) {
    it(`Kubernetes "${name}" validates clean`, () => {
      const text = expand(snippet.body);
      const r = validateManifest(text, { kind: 'kubernetes' })!;
      assert.deepEqual(r.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`), []);
    });
  }
});

function indent(text: string, n: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(n));
}
