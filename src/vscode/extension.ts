import * as vscode from 'vscode';
import { BerthApi, createApi } from './api';
import { registerBuildContext } from './lazyBuildContext';
import { registerWorkflows } from './lazyWorkflows';
import { containerCommands } from './commands/containerCommands';
import { engineCommands, viewCommands } from './commands/engineCommands';
import { resourceCommands } from './commands/resourceCommands';
import { registerCommand } from './commands/run';
import { EngineSession } from './engineSession';
import { registerInspectDocuments } from './inspectDocuments';
import { registerLanguageFeatures } from './lazyLanguageFeatures';
import type { BerthServices } from './services';
import { createEngineStatusBar } from './statusBar';
import { registerViews } from './views/registerViews';

/**
 * Wiring only. No engine call, no network, no disk scan here: the engine is
 * resolved and contacted when a Berth view first becomes visible (or a command
 * needs it), and dockerode is loaded then.
 */
export function activate(context: vscode.ExtensionContext): BerthApi {
  const log = vscode.window.createOutputChannel('Berth', { log: true });
  const session = new EngineSession();
  const subs = context.subscriptions;
  subs.push(log, session);
  const views = registerViews(session, subs);
  const services: BerthServices = { session, views, log };
  subs.push(createEngineStatusBar(session), registerInspectDocuments(session));
  const commands = {
    ...containerCommands(services),
    ...resourceCommands(services),
    ...engineCommands(services),
    ...viewCommands(services),
    ...registerLanguageFeatures(context.extensionUri, subs),
    ...registerBuildContext(subs),
    ...registerWorkflows(context, services),
  };
  for (const [id, handler] of Object.entries(commands)) subs.push(registerCommand(id, handler, log));
  // The status bar names the engine: resolve after activation returns (two small file reads, no engine call).
  setTimeout(() => void session.resolve().catch((err) => log.warn('engine resolution failed', err)), 0);
  return createApi(services, subs);
}

export function deactivate(): void {
  // Everything is in context.subscriptions: the watcher's stream and timers are disposed with them.
}
