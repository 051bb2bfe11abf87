import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createContainer, editorPerSuite, mainEngine, removeLabelled, RUN_ID } from './support/fixtures';
import { SLOW } from './support/workbench';

// Scenario 4: an untrusted folder opens in Restricted Mode. Berth still lists
// what the engine has, and a workspace cannot redirect it to another engine:
// `berth.engine` is machine-scoped and restricted, so the folder's own setting
// (pointing at a socket that does not exist) must be ignored.
// Build, run, push and pull refuse there in code, with the reason, even when
// called from the palette (their menus are hidden too).
describe('restricted mode in a real editor (e2e)', function () {
  const engine = mainEngine();
  const name = `berth-e2e-${RUN_ID}-restricted`;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-untrusted-'));
  const suite = editorPerSuite(
    async () => {
      fs.mkdirSync(path.join(folder, '.vscode'));
      fs.writeFileSync(path.join(folder, '.vscode/settings.json'), JSON.stringify({ 'berth.engine': 'unix:///nonexistent/hijack.sock' }));
      fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM busybox:1.35\n');
      await createContainer(engine, name);
      return { workspace: folder, trusted: false };
    },
    async () => {
      await removeLabelled(engine);
      fs.rmSync(folder, { recursive: true, force: true });
    },
  );

  it('opens in Restricted Mode, still lists containers, and ignores the workspace engine setting', async function () {
    await suite.editor.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: SLOW });
    await suite.wb.openBerth();
    const containers = await suite.wb.section('Containers');
    const row = await containers.row(name, SLOW);
    assert.equal(await row.icon(), 'circle-large-outline');
    const status = await suite.wb.statusBarItem('berth.engine').innerText();
    assert.doesNotMatch(status, /hijack/);
    await suite.editor.screenshot('restricted-mode');
  });

  for (const [title, verb] of [['Build Image', 'build'], ['Run Image', 'run'], ['Push Image', 'push'], ['Pull Image', 'pull']]) {
    it(`refuses "${title}" with the reason`, async function () {
      await suite.wb.runCommand(`Berth: ${title}`);
      const text = await suite.wb.notification(new RegExp(`does not ${verb} in Restricted Mode`), 30_000);
      assert.match(text, /Manage Workspace Trust/);
      await suite.editor.page.keyboard.press('Escape');
    });
  }
});
