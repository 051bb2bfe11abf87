import * as fs from 'node:fs';
import { EngineClient } from '../../../src/core/engine/client';
import { parseDockerHost } from '../../../src/core/engine/endpoint';
import { waitFor } from '../../support/waitFor';
import { Editor, type EditorOptions } from './editor';
import { Workbench } from './workbench';

export { waitFor as waitUntil };

export const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
export const LABEL = 'berth.e2e';

export function mainEngine(): EngineClient {
  return new EngineClient(process.env.DOCKER_HOST ? parseDockerHost(process.env.DOCKER_HOST) : { kind: 'unix', socketPath: '/var/run/docker.sock' });
}

/** Creates (and optionally starts) a labelled busybox container; StopTimeout 1 so stops are quick. */
export async function createContainer(
  client: EngineClient,
  name: string,
  opts: { labels?: Record<string, string>; start?: boolean; cmd?: string[]; ports?: Record<string, string> } = {},
): Promise<string> {
  const exposed = Object.fromEntries(Object.keys(opts.ports ?? {}).map((p) => [p, {}]));
  const bindings = Object.fromEntries(Object.entries(opts.ports ?? {}).map(([p, host]) => [p, [{ HostIp: '127.0.0.1', HostPort: host }]]));
  const { Id } = await client.request<{ Id: string }>('POST', '/containers/create', `create ${name}`, {
    query: { name },
    body: {
      Image: 'busybox:1.35',
      Cmd: opts.cmd ?? ['sleep', '600'],
      Labels: { [LABEL]: RUN_ID, ...opts.labels },
      StopTimeout: 1,
      ExposedPorts: exposed,
      HostConfig: { PortBindings: bindings },
    },
  });
  if (opts.start) await client.request('POST', `/containers/${Id}/start`, 'start');
  return Id;
}

export async function containerState(client: EngineClient, id: string): Promise<string> {
  const info = await client.request<{ State: { Status: string } }>('GET', `/containers/${id}/json`, 'inspect');
  return info.State.Status;
}

export async function removeLabelled(client: EngineClient): Promise<void> {
  const list = await client.request<Array<{ Id: string }>>('GET', '/containers/json', 'list', { query: { all: true, filters: { label: [`${LABEL}=${RUN_ID}`] } } });
  await Promise.all(list.map((c) => client.request('DELETE', `/containers/${c.Id}`, 'remove', { query: { force: true } }).catch(() => undefined)));
}


/**
 * mocha hook body: when the test failed, save a screenshot and print where it
 * is, with the tail of the extension host log, so a failure explains itself.
 */
export async function reportFailure(ctx: Mocha.Context, editor: Editor | undefined): Promise<void> {
  if (!editor || ctx.currentTest?.state !== 'failed') return;
  const name = `FAILED-${ctx.currentTest.fullTitle().replace(/[^\w]+/g, '-').slice(0, 80)}`;
  const shot = await editor.screenshot(name).catch((e) => `(no screenshot: ${e.message})`);
  const log = editor.extensionHostLog();
  console.log(`\n    screenshot: ${shot}`);
  console.log(`    extension host log: ${log ?? '(not found)'}`);
  if (log) console.log(fs.readFileSync(log, 'utf8').split('\n').slice(-30).map((l) => `      ${l}`).join('\n'));
  console.log(`    code-server log tail:\n${editor.serverLogTail(15).replace(/^/gm, '      ')}`);
}

export interface EditorSuite {
  readonly editor: Editor;
  readonly wb: Workbench;
}

/**
 * The hooks every e2e suite needs, registered in the calling describe: one
 * editor started before the tests (after `setUp`, which returns its options),
 * a screenshot and logs for each failed test, and the editor stopped (then
 * `tearDown`) after them.
 */
export function editorPerSuite(setUp: () => Promise<EditorOptions> | EditorOptions, tearDown?: () => Promise<void> | void): EditorSuite {
  let editor: Editor | undefined;
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    editor = await Editor.start(await setUp());
    wb = new Workbench(editor.page);
  });
  afterEach(async function () {
    await reportFailure(this, editor);
  });
  after(async function () {
    this.timeout(60_000);
    await editor?.stop();
    await tearDown?.();
  });
  return {
    get editor() {
      if (!editor) throw new Error('the editor has not started');
      return editor;
    },
    get wb() {
      if (!wb) throw new Error('the editor has not started');
      return wb;
    },
  };
}
