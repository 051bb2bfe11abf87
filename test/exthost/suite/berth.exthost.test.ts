import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../../src/core/explorer/node';
import type { BerthApi } from '../../../src/vscode/api';
import { containerStatus, createContainer, removeContainer, waitFor } from './engine';

// Runs inside a real extension host (code-server via test/e2e/extensionHost.e2e.ts,
// or desktop VS Code via `npm run test:desktop`), with Berth installed and the
// real `vscode` API: command registration, configuration scopes, and the tree
// providers against the real engine on /var/run/docker.sock.
// Manifest validation has its own file here (manifests.exthost.test.ts).

const BERTH_ID = 'berth.berth';
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;

/** Commands the workbench itself registers for every contributed view (`<view id>.<suffix>`); not Berth's. */
const VIEW_COMMAND_SUFFIXES = ['focus', 'resetViewLocation', 'removeView', 'toggleVisibility', 'open'];

interface ContributedCommand {
  command: string;
}

async function berth(): Promise<{ ext: vscode.Extension<BerthApi>; api: BerthApi }> {
  const ext = vscode.extensions.getExtension<BerthApi>(BERTH_ID);
  assert.ok(ext, `${BERTH_ID} is not installed in this editor`);
  const api = await ext.activate();
  return { ext, api };
}

describe('Berth in the extension host', function () {
  it('is installed, activates, and exports API version 1', async function () {
    const { ext, api } = await berth();
    assert.equal(ext.isActive, true);
    assert.equal(api.apiVersion, 1);
    assert.equal(typeof api.engineStatus, 'function');
    assert.equal(typeof api.explorerRows, 'function');
    assert.equal(typeof api.onDidChangeEngineStatus, 'function');
  });

  it('registers every command it contributes, and no berth.* command it does not contribute', async function () {
    const { ext } = await berth();
    const contributed = (ext.packageJSON.contributes.commands as ContributedCommand[]).map((c) => c.command);
    assert.ok(contributed.length >= 30, `package.json contributes only ${contributed.length} commands`);
    const registered = await vscode.commands.getCommands(true);
    const missing = contributed.filter((c) => !registered.includes(c));
    assert.deepEqual(missing, [], 'contributed in package.json but not registered');

    const viewIds = (Object.values(ext.packageJSON.contributes.views) as Array<Array<{ id: string }>>).flat().map((v) => v.id);
    const viewCommand = (c: string) => viewIds.some((v) => VIEW_COMMAND_SUFFIXES.some((s) => c === `${v}.${s}`));
    const extra = registered.filter((c) => c.startsWith('berth.') && !contributed.includes(c) && !viewCommand(c));
    assert.deepEqual(extra, [], 'registered but not contributed in package.json');
  });

  it('keeps berth.engine machine-scoped (no workspace value, user value works) and groups by compose by default', async function () {
    await berth();
    const config = () => vscode.workspace.getConfiguration('berth');
    assert.equal(config().inspect('containers.groupBy')?.defaultValue, 'compose');
    assert.equal(config().get('containers.groupBy'), 'compose');

    const address = 'unix:///var/run/docker.sock';
    let rejected: Error | undefined;
    try {
      await config().update('engine', address, vscode.ConfigurationTarget.Workspace);
    } catch (err) {
      rejected = err as Error;
    }
    if (!rejected) await config().update('engine', undefined, vscode.ConfigurationTarget.Workspace); // do not leave it in examples/
    assert.ok(rejected, 'writing the machine-scoped berth.engine to the workspace succeeded');
    assert.match(rejected.message, /user settings|machine/i);
    assert.equal(config().inspect('engine')?.workspaceValue, undefined);

    const previous = config().inspect('engine')?.globalValue;
    await config().update('engine', address, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(config().inspect('engine')?.globalValue, address);
      assert.equal(config().get('engine'), address);
    } finally {
      await config().update('engine', previous, vscode.ConfigurationTarget.Global);
    }
    assert.equal(config().inspect('engine')?.globalValue, previous);
  });

  it('switches engines in one step, persists the choice in user settings, and switches back', async function () {
    const { api } = await berth();
    const config = () => vscode.workspace.getConfiguration('berth');
    await vscode.commands.executeCommand('berth.containers.focus');
    await waitFor(() => api.engineStatus().state === 'live', 15_000, 'the default engine live');
    const missing = `/tmp/berth-exthost-${RUN_ID}-missing.sock`;
    try {
      // What a click on an Engines row does, with a candidate as the view holds it.
      await vscode.commands.executeCommand('berth.engine.use', { name: `unix://${missing}`, source: 'setting', endpoint: { kind: 'unix', socketPath: missing } });
      assert.equal(config().inspect('engine')?.globalValue, `unix://${missing}`, 'the choice is written to user settings');
      const down = await waitFor(() => api.engineStatus().state === 'unreachable' && api.engineStatus(), 15_000, 'the switched-to engine reported unreachable');
      assert.equal(down.address, `unix://${missing}`);
      assert.match(down.problem ?? '', new RegExp(`No Docker engine socket at ${missing}`));
      assert.equal(api.explorerRows('containers').length, 0, 'no stale rows from the previous engine');
    } finally {
      await vscode.commands.executeCommand('berth.engine.use', { name: 'default', source: 'default' });
    }
    assert.equal(config().inspect('engine')?.globalValue, 'default');
    await waitFor(() => api.engineStatus().state === 'live', 15_000, 'the default engine live again');
    assert.equal(api.engineStatus().address, 'unix:///var/run/docker.sock');
    await config().update('engine', undefined, vscode.ConfigurationTarget.Global);
  });

  describe('Containers view against the real engine', function () {
    const project = `berth-exthost-${RUN_ID}`;
    const name = `${project}-web-1`;
    let id: string | undefined;
    let api: BerthApi;

    const groupRow = () => api.explorerRows('containers').find((r) => r.label === project && r.children);
    const containerRow = (): ExplorerNode | undefined => groupRow()?.children?.find((c) => c.label === name);

    before(async function () {
      ({ api } = await berth());
      id = await createContainer(name, { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web', 'berth.exthost': RUN_ID }, true);
    });

    after(async function () {
      if (id) await removeContainer(id);
      await vscode.workspace.getConfiguration('berth').update('containers.groupBy', undefined, vscode.ConfigurationTarget.Global);
    });

    it('lists a labelled container inside its Compose-project group, and flat when ungrouped', async function () {
      await vscode.commands.executeCommand('berth.containers.focus');
      // The row may first show the container as created (the create event precedes the start).
      const row = await waitFor(() => containerRow()?.ref?.state === 'running' && containerRow(), 10_000, `a group row "${project}" holding "${name}" running`);
      assert.equal(row.ref?.id, id);
      assert.equal(row.ref?.state, 'running');
      assert.equal(api.engineStatus().state, 'live');
      assert.match(groupRow()!.description ?? '', /Compose project · 1\/1 running/);

      await vscode.commands.executeCommand('berth.containers.ungroup');
      try {
        const flat = await waitFor(() => api.explorerRows('containers').find((r) => r.label === name), 10_000, 'the container as a top-level row');
        assert.equal(flat.children, undefined);
        assert.equal(groupRow(), undefined, 'the project group is gone when ungrouped');
      } finally {
        await vscode.commands.executeCommand('berth.containers.groupByProject');
      }
      await waitFor(containerRow, 10_000, 'the container back inside its group');
      assert.equal(api.explorerRows('containers').find((r) => r.label === name), undefined, 'no top-level container row when grouped');
    });

    it('follows a container\'s logs in a terminal named after it, and stops following when it closes', async function () {
      await vscode.commands.executeCommand('berth.containers.focus');
      const row = await waitFor(() => containerRow()?.ref?.state === 'running' && containerRow(), 10_000, 'the running container row');
      await vscode.commands.executeCommand('berth.container.logs', row);
      const terminal = await waitFor(() => vscode.window.terminals.find((t) => t.name === `Logs: ${name}`), 10_000, 'the logs terminal');
      const closed = new Promise<void>((resolve) => vscode.window.onDidCloseTerminal((t) => t === terminal && resolve()));
      terminal.dispose();
      await closed;
      assert.equal(vscode.window.terminals.some((t) => t.name === `Logs: ${name}`), false);
    });

    it('stops a running container with berth.container.stop given its explorer row', async function () {
      assert.ok(id);
      await vscode.commands.executeCommand('berth.containers.focus');
      const row = await waitFor(() => containerRow()?.ref?.state === 'running' && containerRow(), 10_000, 'the running container row');
      assert.equal(await containerStatus(id), 'running');
      await vscode.commands.executeCommand('berth.container.stop', row);
      await waitFor(async () => (await containerStatus(id!)) === 'exited', 15_000, 'the engine to report the container exited');
      // The view follows the engine's events.
      await waitFor(() => containerRow()?.ref?.state === 'exited', 10_000, 'the row to show the container exited');
      assert.match(groupRow()!.description ?? '', /0\/1 running/);
    });
  });
});
