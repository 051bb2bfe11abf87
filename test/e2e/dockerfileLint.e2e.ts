import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { editorPerSuite, waitUntil } from './support/fixtures';

// Dockerfile linting in the real editor: findings appear in the Problems panel as
// the file opens, and the quick fixes change the file.
describe('Dockerfile linting in a real editor (e2e)', function () {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lint-'));
  const file = path.join(folder, 'Dockerfile');
  const suite = editorPerSuite(
    () => {
      fs.writeFileSync(file, 'FROM busybox:1.35\nMAINTAINER someone@example.com\nWORKDIR /app\nRUN npm ci\nCMD ["sh"]\n');
      return { workspace: folder };
    },
    () => fs.rmSync(folder, { recursive: true, force: true }),
  );

  it('shows findings in the Problems panel when a Dockerfile opens', async function () {
    await suite.wb.openFile('Dockerfile');
    const rows = await suite.wb.waitForProblem(/MAINTAINER/, 90_000);
    assert.ok(rows.some((r) => /DL4000/.test(r)), `DL4000 in the Problems panel: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => /BR005/.test(r)), `BR005 in the Problems panel: ${rows.join(' | ')}`);
    await suite.editor.screenshot('lint-problems');
  });

  it('ignores a rule on one instruction through the quick fix, and the finding goes away', async function () {
    await suite.wb.openFile('Dockerfile');
    await suite.wb.goToLine(4);
    await suite.wb.quickFix('Ignore BR005 for this instruction');
    await waitUntil(() => fs.readFileSync(file, 'utf8').includes('# berth ignore=BR005') || editorHas('# berth ignore=BR005'), 10_000, 'the pragma in the file');
    await suite.wb.waitForProblem(/MAINTAINER/);
    await waitUntil(async () => !(await suite.wb.problems()).some((r) => /BR005/.test(r)), 15_000, 'BR005 gone from the Problems panel');
  });

  it('repairs a finding with its quick fix (MAINTAINER becomes a LABEL)', async function () {
    await suite.wb.openFile('Dockerfile');
    await suite.wb.goToLine(2);
    await suite.wb.quickFix('Replace with LABEL org.opencontainers.image.authors');
    await waitUntil(() => editorHas('LABEL org.opencontainers.image.authors'), 10_000, 'the LABEL in the editor');
    await waitUntil(async () => !(await suite.wb.problems()).some((r) => /DL4000|MAINTAINER/.test(r)), 15_000, 'DL4000 gone from the Problems panel');
    await suite.editor.screenshot('lint-quick-fix');
  });

  async function editorHas(text: string): Promise<boolean> {
    return (await suite.wb.activeEditorText()).includes(text);
  }
});
