import * as vscode from 'vscode';
import { containerAction, ContainerAction, removeContainer } from '../../core/engine/resources';
import type { ExplorerNode, ResourceRef } from '../../core/explorer/node';
import type { BerthServices } from '../services';
import { openInspectDocument } from '../inspectDocuments';
import { openLogsTerminal } from '../logsTerminal';
import { resolveTargets } from './targets';
import { runBatch } from './run';

type Handler = (node?: ExplorerNode, selection?: ExplorerNode[]) => Promise<void>;

const ACTIONS: Array<{ action: ContainerAction; verb: string; applies: (state?: string) => boolean }> = [
  { action: 'start', verb: 'Starting', applies: (s) => s !== 'running' && s !== 'paused' },
  { action: 'stop', verb: 'Stopping', applies: (s) => s === 'running' || s === 'paused' || s === 'restarting' },
  { action: 'restart', verb: 'Restarting', applies: (s) => s !== 'removing' && s !== 'dead' },
  { action: 'pause', verb: 'Pausing', applies: (s) => s === 'running' },
  { action: 'unpause', verb: 'Unpausing', applies: (s) => s === 'paused' },
];

export function containerCommands(s: BerthServices): Record<string, Handler> {
  const table: Record<string, Handler> = {};
  for (const { action, verb, applies } of ACTIONS) {
    table[`berth.container.${action}`] = async (node, selection) => {
      const targets = await resolveTargets(s.views, 'containers', node, selection, {
        many: true,
        // From a group or a multi-selection, act only where the action makes sense (start skips running ones).
        filter: (r) => applies(r.state),
        placeHolder: `Containers to ${action}`,
      });
      const client = await s.session.client();
      await runBatch(`${verb} ${plural(targets, 'container')}`, targets, (t, signal) => containerAction(client, t.id, action, signal));
    };
  }

  table['berth.container.remove'] = async (node, selection) => {
    const targets = await resolveTargets(s.views, 'containers', node, selection, { many: true, placeHolder: 'Containers to remove' });
    if (targets.length === 0) return;
    const running = targets.filter((t) => t.state === 'running' || t.state === 'paused' || t.state === 'restarting');
    const what = targets.length === 1 ? `container "${targets[0].name}"` : `${targets.length} containers`;
    const detail = running.length ? `${running.length === targets.length && targets.length === 1 ? 'It is' : `${running.length} of them are`} running and will be stopped (force removal).` : undefined;
    const ok = await vscode.window.showWarningMessage(`Remove ${what}?`, { modal: true, detail }, 'Remove');
    if (ok !== 'Remove') return;
    const client = await s.session.client();
    await runBatch(`Removing ${what}`, targets, (t, signal) => removeContainer(client, t.id, running.includes(t), signal));
  };

  table['berth.container.openPort'] = async (node) => {
    const [target] = await resolveTargets(s.views, 'containers', node, undefined, {
      many: false,
      filter: (r) => (r.ports ?? []).some((p) => p.protocol === 'tcp'),
      placeHolder: 'Container whose port to open',
    });
    if (!target) return;
    const ports = (target.ports ?? []).filter((p) => p.protocol === 'tcp');
    const port =
      ports.length === 1
        ? ports[0]
        : (await vscode.window.showQuickPick(
            ports.map((p) => ({ label: `${p.hostPort}`, description: `→ ${p.containerPort}/tcp on ${p.hostIp}`, p })),
            { placeHolder: 'Port to open' },
          ))?.p;
    if (!port) return;
    const endpoint = (await s.session.client()).endpoint;
    // A wildcard binding is reachable on the engine's host: loopback for a local socket, else the tcp host.
    const wildcard = port.hostIp === '0.0.0.0' || port.hostIp === '::' || port.hostIp === '';
    const host = wildcard ? (endpoint.kind === 'tcp' ? endpoint.host : '127.0.0.1') : port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
    const uri = await vscode.env.asExternalUri(vscode.Uri.parse(`http://${host}:${port.hostPort}/`));
    await vscode.env.openExternal(uri);
  };

  const copy = (field: (r: ResourceRef) => string): Handler => async (node) => {
    const [target] = await resolveTargets(s.views, 'containers', node, undefined, { many: false, placeHolder: 'Container' });
    if (target) await vscode.env.clipboard.writeText(field(target));
  };
  table['berth.container.copyId'] = copy((r) => r.id);
  table['berth.container.copyName'] = copy((r) => r.name);

  table['berth.container.inspect'] = async (node) => {
    const [target] = await resolveTargets(s.views, 'containers', node, undefined, { many: false, placeHolder: 'Container to inspect' });
    if (target) await openInspectDocument('containers', target.id, target.name);
  };

  table['berth.container.logs'] = async (node) => {
    const [target] = await resolveTargets(s.views, 'containers', node, undefined, { many: false, placeHolder: 'Container whose logs to follow' });
    if (target) openLogsTerminal(s, target);
  };
  return table;
}

export function plural(items: readonly unknown[], noun: string): string {
  return items.length === 1 ? noun : `${items.length} ${noun}s`;
}
