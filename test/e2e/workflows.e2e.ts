import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './support/editor';
import { editorPerSuite, mainEngine, RUN_ID, waitUntil } from './support/fixtures';
import { SLOW, TreeRow } from './support/workbench';

// Scenario 5: the inner loop as a user clicks it. Build the demo shop's web
// service from its Dockerfile's context menu in the file explorer, watch the
// steps in the Build view, find the image in the Images view; add the rig's
// password-protected registry, log in through the password prompt, push the
// image from its row, and find the tag in the Registries view. Afterwards the
// password must be in no log file of the editor and no process's argv.

const STATE = path.join(process.env.BERTH_STATE_DIR ?? '/var/tmp/berth', 'registries');

function rig(): { basic: string; user: string; password: string } {
  const r = JSON.parse(fs.readFileSync(path.join(STATE, 'rig.json'), 'utf8'));
  const users = JSON.parse(fs.readFileSync(r.usersFile, 'utf8'));
  return { basic: r.basic, user: r.user, password: users[r.user].password };
}

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.statSync(p).size < 64 * 1024 * 1024 && fs.readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

describe('build and push in a real editor (e2e)', function () {
  const engine = mainEngine();
  const tagName = `e2e-${RUN_ID}`;
  const image = `shop-web:${tagName}`;
  const { basic, user, password } = rig();
  const registryHost = new URL(basic).host;
  const remote = `${registryHost}/shop-web:${tagName}`;
  const suite = editorPerSuite(
    () => ({ workspace: path.join(REPO, 'examples/shop') }),
    async () => {
      for (const i of [image, remote]) await engine.request('DELETE', `/images/${encodeURIComponent(i)}`, 'remove', { query: { force: true } }).catch(() => undefined);
    },
  );

  async function quickInput(): Promise<void> {
    await suite.editor.page.locator('.quick-input-widget input').waitFor({ timeout: 15_000 });
  }
  async function pick(text: string | RegExp): Promise<void> {
    await quickInput();
    const row = suite.editor.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }
  async function type(text: string): Promise<void> {
    await quickInput();
    const input = suite.editor.page.locator('.quick-input-widget input');
    await input.fill(text);
    await input.press('Enter');
  }

  /** Collapses side-bar sections, so the rows of the others fit (trees render only visible rows). */
  async function collapse(...names: string[]): Promise<void> {
    for (const name of names) {
      const header = suite.wb.sectionHeader(name);
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
  }

  it('builds the web service from its Dockerfile context menu, shows the steps, then the image in the Images view', async function () {
    this.timeout(240_000);
    const page = suite.editor.page;
    await suite.wb.runCommand('View: Show Explorer');
    const folder = page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^web$/ }) }).first();
    await folder.waitFor({ timeout: SLOW });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const dockerfile = page.locator('.explorer-folders-view .monaco-list-row[aria-level="2"]').filter({ has: page.locator('.label-name', { hasText: /^Dockerfile$/ }) }).first();
    await dockerfile.waitFor({ timeout: 15_000 });
    await new TreeRow(page, dockerfile).contextMenu('Build Image');
    // The options list: change the tag, then Build.
    await pick(/^Tag/);
    await type(image);
    await pick(/Build/);

    // The build reveals the Build view itself (clicking Berth's icon now would toggle the side bar closed).
    await collapse('Containers', 'Images');
    const build = await suite.wb.section('Build');
    const row = await build.row(image, SLOW);
    await waitUntil(async () => /^built in/.test(await row.description()), 120_000, 'the build to finish');
    assert.match(await row.description(), /built in .* · \d+ steps/);
    const labels = await build.labels();
    assert.ok(labels.some((l) => /COPY www\//.test(l)), `a COPY step row: ${labels.join(' | ')}`);
    await suite.editor.screenshot('build-view');
    // A step's log opens on click, as a read-only document.
    await (await build.row('[3/3] COPY www/ /www/')).element.click();
    await suite.wb.editorTab('COPY www');
    assert.match(await suite.wb.activeEditorText(), /state: (done|cached)/);

    await collapse('Build');
    const images = await suite.wb.section('Images');
    await images.row('shop-web', SLOW);
    await images.row(tagName, SLOW);
    const info = await engine.request<{ Config: { ExposedPorts: Record<string, unknown> } }>('GET', `/images/${encodeURIComponent(image)}/json`, 'inspect');
    assert.ok('8080/tcp' in info.Config.ExposedPorts, 'the engine has the image the view shows');
  });

  it('adds the authenticated registry, logs in through the prompt, pushes from the image row and lists the tag', async function () {
    this.timeout(240_000);
    if (!(await suite.wb.sectionHeader('Registries').isVisible())) await suite.wb.openBerth();
    await collapse('Containers', 'Build');
    const registries = await suite.wb.section('Registries');
    await registries.welcome().locator('a', { hasText: 'Add Registry' }).click();
    await pick(/Another registry/);
    await type(registryHost);
    const reg = await registries.row(registryHost, SLOW);
    await reg.contextMenu('Log In to Registry');
    await pick(/Username and password/);
    await type(user);
    await type(password);
    await waitUntil(async () => /logged in as berth/.test(await (await registries.row(registryHost)).description()), 60_000, 'the registry row to say who is logged in');

    const images = await suite.wb.section('Images');
    await (await images.row(tagName, SLOW)).contextMenu('Push Image');
    await type(remote);
    await suite.wb.notification(/Pushed/, 120_000);

    await collapse('Images');
    await suite.wb.runCommand('Berth: Refresh Registries');
    const regRow = await registries.row(registryHost, SLOW);
    if ((await regRow.element.getAttribute('aria-expanded')) !== 'true') await regRow.element.click();
    const repo = await registries.row('shop-web', SLOW);
    if ((await repo.element.getAttribute('aria-expanded')) !== 'true') await repo.element.click();
    await registries.row(tagName, SLOW);
    await suite.editor.screenshot('registries-view');

    // The password reached the registry only through the engine's X-Registry-Auth header.
    // Output channels are files under logs/ too (Berth's own "Berth" channel among them).
    const logs = path.join(suite.editor.userDataDir, 'logs');
    assert.ok(fs.readdirSync(logs).length > 0, 'the editor wrote logs');
    assert.deepEqual(filesContaining(logs, password), [], 'no log file or output channel holds the password');
    const argv = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    assert.ok(!argv.includes(password), 'no process argv holds the password');
  });
});
