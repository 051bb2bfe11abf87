// bench/activation: how much Berth's activate() costs, in-process.
//   npx tsx bench/activation.ts        (needs `npm run build` first)
// Loads the minified bundle dist/extension.js with a recording stand-in for the
// `vscode` module (only what activate() touches), then times require + activate,
// counts socket connections (any engine call opens one) and child processes.
// Bars: activate ≤ 50 ms, no engine call, no child process, bundle ≤ 1.5 MB.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { result, resultCrashed } from './support/result';

const bundle = path.resolve(__dirname, '..', 'dist', 'extension.js');
if (!fs.existsSync(bundle)) {
  console.error('dist/extension.js is missing: run `npm run build` first');
  resultCrashed('activation', 'dist/extension.js is missing: run `npm run build` first');
  process.exit(1);
}

let connections = 0;
let children = 0;
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  connections++;
  return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
// The real module object (an ES namespace import would be a frozen copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = require('node:child_process') as Record<string, unknown>;
for (const name of ['spawn', 'exec', 'execFile', 'fork', 'spawnSync', 'execSync', 'execFileSync'] as const) {
  const real = childProcess[name] as (...a: unknown[]) => unknown;
  childProcess[name] = (...a: unknown[]) => {
    children++;
    return real(...a);
  };
}

const registered = { commands: 0, treeViews: 0 };
const disposable = { dispose() {} };
class EventEmitter<T> {
  private listeners: Array<(v: T) => void> = [];
  event = (l: (v: T) => void) => (this.listeners.push(l), disposable);
  fire(v: T) { this.listeners.forEach((l) => l(v)); }
  dispose() { this.listeners = []; }
}
const vscodeStandIn = {
  EventEmitter,
  Disposable: { from: (..._d: unknown[]) => disposable },
  TreeItem: class { constructor(public label: string) {} },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ThemeIcon: class { constructor(public id: string, public color?: unknown) {} },
  ThemeColor: class { constructor(public id: string) {} },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { Notification: 15, Window: 10 },
  ConfigurationTarget: { Global: 1 },
  Uri: { parse: (s: string) => s, from: (o: unknown) => o, joinPath: (...p: unknown[]) => p.join('/') },
  CodeActionKind: { QuickFix: 'quickfix' },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  window: {
    createOutputChannel: () => ({ ...disposable, info() {}, warn() {}, error() {}, appendLine() {} }),
    createTreeView: () => (registered.treeViews++, { visible: false, message: undefined, onDidChangeVisibility: () => disposable, dispose() {} }),
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    showErrorMessage: async () => undefined,
  },
  commands: { registerCommand: () => (registered.commands++, disposable), executeCommand: async () => undefined },
  workspace: {
    getConfiguration: () => ({ get: () => undefined, update: async () => undefined }),
    onDidChangeConfiguration: () => disposable,
    onDidOpenTextDocument: () => disposable,
    onDidChangeTextDocument: () => disposable,
    onDidSaveTextDocument: () => disposable,
    onDidCloseTextDocument: () => disposable,
    textDocuments: [],
    registerTextDocumentContentProvider: () => disposable,
  },
  tasks: { registerTaskProvider: () => disposable },
  env: {},
  extensions: { onDidChange: () => disposable, getExtension: () => undefined },
  languages: {
    createDiagnosticCollection: () => ({ ...disposable, set() {}, delete() {} }),
    registerCodeActionsProvider: () => disposable,
    registerHoverProvider: () => disposable,
    registerCompletionItemProvider: () => disposable,
  },
};
const resolver = Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown };
const realLoad = resolver._load;
resolver._load = (req: string, ...rest: unknown[]) => (req === 'vscode' ? vscodeStandIn : realLoad(req, ...rest));

async function main() {
  const t0 = performance.now();
  const ext = require(bundle) as { activate(ctx: unknown): void };
  const t1 = performance.now();
  const memento = { get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [] };
  const context = {
    subscriptions: [] as Array<{ dispose(): void }>,
    extensionPath: path.dirname(bundle),
    extensionUri: path.dirname(bundle),
    globalState: memento,
    workspaceState: memento,
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => disposable },
  };
  const heap0 = process.memoryUsage().heapUsed;
  ext.activate(context);
  const t2 = performance.now();
  // Let the deferred work after activate() run (engine-name resolution: file reads, no engine call).
  await new Promise((r) => setTimeout(r, 300));
  const size = fs.statSync(bundle).size;
  const figures = {
    requireMs: +(t1 - t0).toFixed(1),
    activateMs: +(t2 - t1).toFixed(1),
    bundleBytes: size,
    engineConnections: connections,
    childProcesses: children,
    commands: registered.commands,
    treeViews: registered.treeViews,
    heapAddedByActivateMB: +((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1),
  };
  console.log(`bundle dist/extension.js: ${(size / 1e6).toFixed(2)} MB (bar ≤ 1.5 MB)`);
  const lazy = path.join(path.dirname(bundle), 'dockerode.js');
  if (fs.existsSync(lazy)) console.log(`lazy chunk dist/dockerode.js: ${(fs.statSync(lazy).size / 1e6).toFixed(2)} MB (loaded on the first engine call, not at activation)`);
  console.log(`require(bundle): ${figures.requireMs} ms; activate(): ${figures.activateMs} ms (bar ≤ 50 ms)`);
  console.log(`engine connections during and after activation: ${connections} (bar 0); child processes: ${children} (bar 0)`);
  console.log(`registered ${registered.commands} commands and ${registered.treeViews} tree views`);
  console.log(`figures: ${JSON.stringify(figures)}`);
  result('activation', [
    ['activate()', `${figures.activateMs} ms`, '≤ 50 ms', figures.activateMs <= 50],
    ['bundle', `${(size / 1e6).toFixed(2)} MB`, '≤ 1.5 MB', size <= 1.5e6],
    ['engine connections', connections, '= 0', connections === 0],
    ['child processes', children, '= 0', children === 0],
    ['require(bundle)', `${figures.requireMs} ms`, '', true],
  ]);
  context.subscriptions.forEach((d) => d.dispose());
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    resultCrashed('activation', err);
    process.exit(1);
  },
);
