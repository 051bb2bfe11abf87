import assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO } from './support/editor';
import { containerState, createContainer, editorPerSuite, mainEngine, removeLabelled, RUN_ID, waitUntil } from './support/fixtures';
import { SLOW } from './support/workbench';

// Scenarios 1 and 2: the explorer in a real VS Code against the real engine.
describe('explorer in a real editor (e2e)', function () {
  const engine = mainEngine();
  const project = `berth-e2e-${RUN_ID}`;
  const name = `${project}-web-1`;
  let id: string;
  const suite = editorPerSuite(
    async () => {
      id = await createContainer(engine, name, {
        start: true,
        labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' },
        cmd: ['httpd', '-f', '-p', '8080', '-h', '/'],
        ports: { '8080/tcp': '18181' },
      });
      return { workspace: path.join(REPO, 'examples/shop') };
    },
    async () => {
      await removeLabelled(engine);
    },
  );

  before(async function () {
    this.timeout(120_000);
    await suite.wb.openBerth();
  });

  it('lists a container inside its Compose-project group with the running icon, and stops it from the context menu', async function () {
    const containers = await suite.wb.section('Containers');
    const group = await containers.row(project, SLOW);
    assert.match(await group.description(), /Compose project · 1\/1 running/);
    const row = await containers.row(name);
    assert.equal(await row.level(), 2, 'the container sits inside its project group');
    assert.equal(await row.icon(), 'vm-running');
    assert.match(await row.description(), /busybox:1\.35 · 18181→8080/);
    await suite.editor.screenshot('containers-running');

    await row.contextMenu('Stop Container');
    await waitUntil(async () => (await containerState(engine, id)) === 'exited', 30_000, 'the engine to report the container exited');
    await waitUntil(async () => (await (await containers.row(name)).icon()) === 'vm-outline', 10_000, 'the row to show the exited icon');
    assert.match(await (await containers.row(project)).description(), /0\/1 running/);
    await suite.editor.screenshot('containers-stopped');
  });

  it('switches grouping from the command palette', async function () {
    const containers = await suite.wb.section('Containers');
    await suite.wb.runCommand('Berth: Show Containers Ungrouped');
    await containers.waitForNoRow(project, 15_000);
    assert.equal(await (await containers.row(name)).level(), 1, 'flat rows when ungrouped');
    await suite.wb.runCommand('Berth: Group Containers by Compose Project / Stack');
    await containers.row(project, 15_000);
    assert.equal(await (await containers.row(name)).level(), 2, 'back inside its group');
  });

  it('lists the local busybox:1.35 image, and inspect opens its JSON document', async function () {
    const images = await suite.wb.section('Images');
    await images.row('busybox', SLOW);
    const tag = await images.row('1.35');
    await tag.contextMenu('Inspect Image');
    await suite.wb.editorTab('busybox_1.35.json');
    const text = await waitUntil(async () => {
      const t = await suite.wb.activeEditorText();
      return t.includes('"RepoTags"') ? t : undefined;
    }, 30_000, 'the inspect JSON');
    assert.match(text, /busybox:1\.35/);
    assert.match(text, /"Id": "sha256:/);
    await suite.editor.screenshot('image-inspect');
  });

  it('names the engine in the status bar', async function () {
    const item = suite.wb.statusBarItem('berth.engine');
    await item.waitFor({ timeout: 10_000 });
    assert.match(await item.innerText(), /default/);
  });
});
