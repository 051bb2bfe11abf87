import * as vscode from 'vscode';
import type { ExplorerNode } from '../../core/explorer/node';
import type { RunSpec } from '../../core/run/runSpec';
import type { BuildRow } from '../views/buildTreeProvider';
import type { RegistryRow } from '../views/registriesTreeProvider';
import type { WorkflowHost } from '../workflowHost';
import { buildImageCommand } from './buildCommand';
import type { BuildRequest } from './buildRequest';
import { provideBuildTasks, resolveBuildTask } from './buildTask';
import { RegistryViewLoader } from './registryAccess';
import { addRegistry, login, logout, removeRegistry, type LoginGiven } from './registryCommands';
import { runImageCommand } from './runCommand';
import { stepLogText, stepLogUri } from './stepLog';
import { pullImageCommand, pushImageCommand } from './transferCommands';

// The workflows chunk (dist/workflows.js): build, run, push, pull and the
// registries, loaded on the first such command or the first expansion of the
// Registries view. lazyWorkflows.ts holds the ids and forwards to these.

export type Handler = (host: WorkflowHost, ...args: any[]) => Promise<unknown>;

let loader: RegistryViewLoader | undefined;
export const registryLoader = (host: WorkflowHost): RegistryViewLoader => (loader ??= new RegistryViewLoader(host));

export const handlers: Record<string, Handler> = {
  'berth.image.build': (h, target?: vscode.Uri, given?: Partial<BuildRequest>) => buildImageCommand(h, target, given),
  'berth.image.run': (h, target?: ExplorerNode | vscode.Uri | string, given?: Partial<RunSpec>) => runImageCommand(h, target, false, given),
  'berth.image.runInteractive': (h, target?: ExplorerNode | vscode.Uri | string, given?: Partial<RunSpec>) => runImageCommand(h, target, true, given),
  'berth.image.push': (h, target?: ExplorerNode | string, destination?: string) => pushImageCommand(h, target, destination),
  'berth.image.pull': (h, target?: RegistryRow | string) => pullImageCommand(h, target),
  'berth.registries.add': (h, url?: string) => addRegistry(h, registryLoader(h), url),
  'berth.registry.remove': (h, row?: RegistryRow) => removeRegistry(h, registryLoader(h), row),
  'berth.registry.login': (h, row?: RegistryRow | string, given?: LoginGiven) => login(h, registryLoader(h), row, given),
  'berth.registry.logout': (h, row?: RegistryRow) => logout(h, registryLoader(h), row),
  'berth.registries.refresh': async (h) => {
    registryLoader(h).reset();
    h.registriesView.refresh();
  },
  'berth.registry.copyReference': async (_h, row?: RegistryRow) => {
    if (row?.kind === 'tag') await vscode.env.clipboard.writeText(`${row.host}/${row.repository}:${row.tag}`);
  },
  'berth.build.cancel': async (h, row?: BuildRow) => {
    const targets = row ? [row.build] : h.builds.running();
    for (const b of targets) b.cancel();
  },
  'berth.build.showStepLog': async (h, buildId: number, stepId: string) => {
    const doc = await vscode.workspace.openTextDocument(stepLogUri(h, buildId, stepId));
    await vscode.window.showTextDocument(doc, { preview: true });
  },
};

export { provideBuildTasks, resolveBuildTask, stepLogText };
