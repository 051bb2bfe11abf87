import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { editorPerSuite, waitUntil } from './support/fixtures';

// Manifest validation in the real editor, from the packaged extension (so the
// lazily loaded schema bundles must be in the VSIX): a misspelt Compose key is
// reported on that key and its quick fix repairs it; a Kubernetes manifest is
// checked against the OpenAPI schema.
describe('Manifest validation in a real editor (e2e)', function () {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-manifests-'));
  const compose = path.join(folder, 'compose.yaml');
  const suite = editorPerSuite(
    () => {
      fs.writeFileSync(compose, 'services:\n  web:\n    imgae: busybox:1.35\n    ports:\n      - "8080:80"\n');
      fs.writeFileSync(
        path.join(folder, 'deployment.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: three\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: busybox:1.35\n',
      );
      return { workspace: folder };
    },
    () => fs.rmSync(folder, { recursive: true, force: true }),
  );

  it('reports a misspelt Compose key on that key in the Problems panel', async function () {
    await suite.wb.openFile('compose.yaml');
    const rows = await suite.wb.waitForProblem(/imgae/, 90_000);
    const row = rows.find((r) => /imgae/.test(r))!;
    assert.match(row, /did you mean "image"/);
    assert.match(row, /CMP002/);
    // The Problems row ends with the position: line 3, column 5 is where "imgae" starts.
    assert.match(row, /\[Ln 3, Col 5\]/);
    await suite.editor.screenshot('compose-misspelt-key');
  });

  it('repairs the key with the quick fix, and the problem goes away', async function () {
    await suite.wb.openFile('compose.yaml');
    await suite.wb.goToLine(3);
    // Home goes to the first non-blank character: the cursor is then on the key the diagnostic covers.
    await suite.editor.page.keyboard.press('Home');
    await suite.wb.quickFix('Change to "image"');
    await waitUntil(async () => (await suite.wb.activeEditorText()).includes('image: busybox:1.35'), 10_000, 'the repaired key in the editor');
    await waitUntil(async () => !(await suite.wb.problems()).some((r) => /imgae/.test(r)), 15_000, 'the problem gone from the Problems panel');
  });

  it('checks a Kubernetes manifest against the OpenAPI schema and Berth rules', async function () {
    await suite.wb.openFile('deployment.yaml');
    const rows = await suite.wb.waitForProblem(/replicas/, 90_000);
    assert.ok(rows.some((r) => /K8S001/.test(r) && /spec\.replicas must be/.test(r)), `K8S001 on replicas: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => /BK001/.test(r)), `BK001 (no resource requests): ${rows.join(' | ')}`);
    await suite.editor.screenshot('kubernetes-problems');
  });
});
