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

/**
 * The options a caller gave, or undefined. Menus pass their own second
 * argument (the explorer's selected URIs, a view's selected rows): an array
 * is a selection, never options, and must not skip the prompts.
 */
function options<T extends object>(arg: unknown): Partial<T> | undefined {
  return arg && typeof arg === 'object' && !Array.isArray(arg) && !(arg instanceof vscode.Uri) ? (arg as Partial<T>) : undefined;
}
const text = (arg: unknown) => (typeof arg === 'string' ? arg : undefined);

let loader: RegistryViewLoader | undefined;
export const registryLoader = (host: WorkflowHost): RegistryViewLoader => (loader ??= new RegistryViewLoader(host));

export const handlers: Record<string, Handler> = {
  'berth.image.build': (h, target?: vscode.Uri, given?: unknown) => buildImageCommand(h, target, options<BuildRequest>(given)),
  'berth.image.run': (h, target?: ExplorerNode | vscode.Uri | string, given?: unknown) => runImageCommand(h, target, false, options<RunSpec>(given)),
  'berth.image.runInteractive': (h, target?: ExplorerNode | vscode.Uri | string, given?: unknown) => runImageCommand(h, target, true, options<RunSpec>(given)),
  'berth.image.push': (h, target?: ExplorerNode | RegistryRow | string, destination?: unknown) => pushImageCommand(h, target, text(destination)),
  'berth.image.pull': (h, target?: RegistryRow | string) => pullImageCommand(h, target),
  'berth.registries.add': (h, url?: unknown) => addRegistry(h, registryLoader(h), text(url)),
  'berth.registry.remove': (h, row?: RegistryRow) => removeRegistry(h, registryLoader(h), row),
  'berth.registry.login': (h, row?: RegistryRow | string, given?: unknown) => login(h, registryLoader(h), row, options<LoginGiven>(given) as LoginGiven | undefined),
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
