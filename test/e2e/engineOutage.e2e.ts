import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../src/core/engine/client';
import { SecondEngine } from '../support/secondEngine';
import { REPO } from './support/editor';
import { editorPerSuite, RUN_ID } from './support/fixtures';
import { SLOW } from './support/workbench';

// Scenario 3: the engine stops while Berth is open, then starts again. The
// editor talks to a private second engine (DOCKER_HOST), so stopping it leaves
// the main engine alone.
describe('engine outage in a real editor (e2e)', function () {
  const engine = new SecondEngine(fs.mkdtempSync(path.join(os.tmpdir(), 'be-')));
  const suite = editorPerSuite(
    async () => {
      await engine.start();
      // A volume, so the live views have something to show from this engine.
      await new EngineClient({ kind: 'unix', socketPath: engine.socketPath }).request('POST', '/volumes/create', 'create volume', {
        body: { Name: `berth-e2e-${RUN_ID}-outage` },
      });
      return { workspace: path.join(REPO, 'examples/shop'), env: { DOCKER_HOST: engine.host } };
    },
    async () => {
      await engine.destroy();
    },
  );

  before(async function () {
    this.timeout(120_000);
    await suite.wb.openBerth();
  });

  it('shows the unreachable welcome with its reason when the engine stops, and recovers without a reload', async function () {
    const containers = await suite.wb.section('Containers');
    const volumes = await suite.wb.section('Volumes');
    await volumes.row(`berth-e2e-${RUN_ID}-outage`, SLOW);
    await containers.welcome().filter({ hasText: 'No containers on this engine.' }).waitFor({ timeout: SLOW });

    await engine.stop();
    const welcome = containers.welcome().filter({ hasText: /No engine socket|refused the connection/ });
    await welcome.waitFor({ timeout: 15_000 });
    assert.match(await welcome.innerText(), /Retry/);
    assert.match(await welcome.innerText(), /Choose Engine/);
    const status = suite.wb.statusBarItem('berth.engine');
    assert.ok((await status.innerText()).includes(engine.socketPath), 'the status bar names the socket');
    assert.match((await status.getAttribute('aria-label')) ?? (await status.innerText()), /\S/);
    await suite.editor.screenshot('engine-unreachable');

    await engine.start();
    // Back without reloading the window: the watcher reconnects on its own (backoff ≤ 10 s).
    await volumes.row(`berth-e2e-${RUN_ID}-outage`, 30_000);
    await containers.welcome().filter({ hasText: 'No containers on this engine.' }).waitFor({ timeout: 30_000 });
    assert.equal(await welcome.isVisible(), false, 'the unreachable welcome is gone');
    await suite.editor.screenshot('engine-recovered');
  });
});
