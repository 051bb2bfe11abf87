import * as vscode from 'vscode';
import { RegistryList, SecretCredentialStore } from './registries/registryList';
import type { BerthServices } from './services';
import { BuildHistory } from './views/buildTreeProvider';
import { RegistriesTreeProvider } from './views/registriesTreeProvider';
import type { WorkflowHost } from './workflowHost';

// Build, run, push, pull and the Registries view: the views, the task type and
// the command ids are registered here at activation; the code behind them
// (Berth's BuildKit client, the registry HTTP client, the prompts) is in
// dist/workflows.js and loads on first use.

type Module = typeof import('./workflows/workflowCommands');
let loaded: Module | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
const load = (): Module => (loaded ??= require('./workflows/workflowCommands') as Module);

const STEP_LOG_SCHEME = 'berth-build-log';

export function registerWorkflows(context: vscode.ExtensionContext, services: BerthServices): Record<string, (...args: any[]) => Promise<unknown>> {
  const subs = context.subscriptions;
  const builds = new BuildHistory();
  const registries = new RegistryList(context.globalState);
  const host = {} as WorkflowHost;
  const registriesView = new RegistriesTreeProvider(registries, () => load().registryLoader(host));
  const buildView = vscode.window.createTreeView('berth.build', { treeDataProvider: builds });
  Object.assign(host, {
    services,
    builds,
    buildView,
    registries,
    registriesView,
    credentials: new SecretCredentialStore(context.secrets),
    memory: context.workspaceState,
    diagnostics: vscode.languages.createDiagnosticCollection('berth-build'),
  } satisfies WorkflowHost);
  const logChanged = new vscode.EventEmitter<vscode.Uri>();
  subs.push(
    builds,
    registries,
    registriesView,
    buildView,
    host.diagnostics,
    logChanged,
    vscode.window.createTreeView('berth.registries', { treeDataProvider: registriesView }),
    vscode.workspace.registerTextDocumentContentProvider(STEP_LOG_SCHEME, { onDidChange: logChanged.event, provideTextDocumentContent: (uri) => load().stepLogText(host, uri) }),
    builds.onDidUpdate((b) => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme === STEP_LOG_SCHEME && new URLSearchParams(doc.uri.query).get('build') === String(b.id)) logChanged.fire(doc.uri);
      }
    }),
    vscode.tasks.registerTaskProvider('berth-build', {
      provideTasks: () => load().provideBuildTasks(host),
      resolveTask: (task) => load().resolveBuildTask(host, task),
    }),
  );
  const ids = [
    'berth.image.build',
    'berth.image.run',
    'berth.image.runInteractive',
    'berth.image.push',
    'berth.image.pull',
    'berth.registries.add',
    'berth.registry.remove',
    'berth.registry.login',
    'berth.registry.logout',
    'berth.registries.refresh',
    'berth.registry.copyReference',
    'berth.build.cancel',
    'berth.build.showStepLog',
  ];
  return Object.fromEntries(ids.map((id) => [id, (...args: unknown[]) => load().handlers[id](host, ...args)]));
}
