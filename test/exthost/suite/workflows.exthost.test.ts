import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { engine, removeContainer, waitFor } from './engine';

// Build, task, run, login and push through the real vscode API, on the real
// engine and the rig's registries. Commands are called with their options
// given (what a task, a keybinding or another extension does), so no picker
// opens; what each must leave behind is checked on the engine and registry
// directly, not through Berth's own code.

const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const TAG = `berth-exthost-${RUN}:1`;
const STATE = path.join(process.env.BERTH_STATE_DIR ?? '/var/tmp/berth', 'registries');

function rig(): { basic: string; user: string; password: string } {
  const r = JSON.parse(fs.readFileSync(path.join(STATE, 'rig.json'), 'utf8'));
  const users = JSON.parse(fs.readFileSync(r.usersFile, 'utf8'));
  return { basic: r.basic, user: r.user, password: users[r.user].password };
}

async function registryGet(url: string, user: string, password: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } });
  return { status: res.status, body: await res.text() };
}

describe('Build, run and push in the extension host', function () {
  this.timeout(120_000);
  let dir: string;
  const containers: string[] = [];
  const images: string[] = [TAG];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-exthost-build-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox:1.35 AS base\nARG GREETING=hi\nRUN echo "$GREETING" > /greeting\nEXPOSE 8080\nFROM base\nCMD ["cat", "/greeting"]\n');
    fs.writeFileSync(path.join(dir, 'fail.Dockerfile'), 'FROM busybox:1.35\nRUN echo before\nRUN exit 3\nRUN echo never\n');
  });
  after(async () => {
    for (const id of containers) await removeContainer(id);
    for (const i of images) await engine('DELETE', `/images/${encodeURIComponent(i)}?force=true`).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds a Dockerfile with build args, a target and labels; the image has them', async function () {
    const uri = vscode.Uri.file(path.join(dir, 'Dockerfile'));
    await vscode.commands.executeCommand('berth.image.build', uri, { tag: TAG, buildArgs: { GREETING: 'from-exthost' }, target: '', labels: { 'berth.exthost': RUN }, noCache: false });
    const info = await engine<{ Config: { Labels: Record<string, string>; ExposedPorts: Record<string, unknown> } }>('GET', `/images/${encodeURIComponent(TAG)}/json`);
    assert.equal(info.Config.Labels['berth.exthost'], RUN);
    assert.ok('8080/tcp' in info.Config.ExposedPorts);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'berth build'), [], 'a successful build leaves no build diagnostic');
  });

  it('turns a failed RUN into an error diagnostic on its line', async function () {
    const uri = vscode.Uri.file(path.join(dir, 'fail.Dockerfile'));
    await vscode.commands.executeCommand('berth.image.build', uri, { tag: `berth-exthost-${RUN}-fail:1` });
    const built = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'berth build');
    const diags = await waitFor(() => built().length > 0 && built(), 10_000, 'a build diagnostic');
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diags[0].range.start.line, 2, `on "RUN exit 3" (line 3), got ${diags[0].range.start.line + 1}: ${diags[0].message}`);
    assert.match(diags[0].message, /exit code: 3|returned a non-zero code: 3/);
  });

  it('offers berth-build tasks for the workspace Dockerfiles, and a failing task yields a problem-matcher diagnostic', async function () {
    const tasks = await vscode.tasks.fetchTasks({ type: 'berth-build' });
    const names = tasks.map((t) => String(t.definition.dockerfile)).sort();
    assert.deepEqual(names, ['web/Dockerfile', 'worker/Dockerfile'], 'one task per Dockerfile of examples/shop');
    // A task of its own Dockerfile, so only the problem matcher can put a diagnostic on it. The
    // provider's execution runs whatever definition the executed task carries.
    const failing = path.join(dir, 'task.Dockerfile');
    fs.writeFileSync(failing, 'FROM busybox:1.35\nRUN echo before\nRUN exit 3\n');
    const def = { type: 'berth-build', dockerfile: failing, tag: `berth-exthost-${RUN}-task:1` };
    const task = new vscode.Task(def, vscode.workspace.workspaceFolders![0], 'failing build', 'berth', tasks[0].execution, ['$berth-build']);
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name !== 'failing build') return;
        sub.dispose();
        resolve(e.exitCode);
      });
    });
    await vscode.tasks.executeTask(task);
    assert.equal(await ended, 1, 'the task ends with exit code 1');
    const uri = vscode.Uri.file(failing);
    const matched = () => vscode.languages.getDiagnostics(uri).filter((d) => /exit code: 3|non-zero code: 3/.test(d.message));
    const diags = await waitFor(() => matched().length > 0 && matched(), 20_000, 'a diagnostic from $berth-build');
    assert.equal(diags[0].range.start.line, 2, JSON.stringify(diags.map((d) => [d.source, d.range.start.line, d.message])));
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
  });

  it('runs the built image with a published port on 127.0.0.1 and the given name', async function () {
    const name = `berth-exthost-${RUN}-run`;
    await vscode.commands.executeCommand('berth.image.run', TAG, { name, command: ['sleep', '60'], ports: [{ hostIp: '127.0.0.1', containerPort: '8080', protocol: 'tcp' }], labels: { 'berth.exthost': RUN } });
    const info = await engine<{ Id: string; State: { Running: boolean }; HostConfig: { PortBindings: Record<string, Array<{ HostIp: string }>> } }>('GET', `/containers/${name}/json`);
    containers.push(info.Id);
    assert.equal(info.State.Running, true);
    assert.equal(info.HostConfig.PortBindings['8080/tcp'][0].HostIp, '127.0.0.1');
  });

  it('refuses a wrong password without keeping it, then logs in and pushes to the authenticated registry', async function () {
    const { basic, user, password } = rig();
    const host = new URL(basic).host;
    await vscode.commands.executeCommand('berth.registries.add', basic);
    await vscode.commands.executeCommand('berth.registry.login', basic, { source: 'store', username: user, password: `wrong-${RUN}` });
    const remote = `${host}/berth-exthost-${RUN}/app:1`;
    images.push(remote);
    // With no working login the push must fail: the repository stays absent.
    await vscode.commands.executeCommand('berth.image.push', TAG, remote);
    assert.equal((await registryGet(`${basic}/v2/berth-exthost-${RUN}/app/tags/list`, user, password)).status, 404, 'nothing was pushed without a valid login');
    await vscode.commands.executeCommand('berth.registry.login', basic, { source: 'store', username: user, password });
    await vscode.commands.executeCommand('berth.image.push', TAG, remote);
    const tags = await registryGet(`${basic}/v2/berth-exthost-${RUN}/app/tags/list`, user, password);
    assert.equal(tags.status, 200, tags.body);
    assert.deepEqual(JSON.parse(tags.body).tags, ['1']);
  });
});
