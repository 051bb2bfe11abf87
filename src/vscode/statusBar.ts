import * as vscode from 'vscode';
import type { EngineStatus } from '../core/explorer/engineWatcher';
import type { EngineSession } from './engineSession';

/** Names the engine and its state; a click offers the engines to switch to. */
export function createEngineStatusBar(session: EngineSession): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('berth.engine', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Berth Engine';
  item.command = 'berth.engine.choose';
  const render = () => {
    const name = session.current?.current.name ?? 'engine';
    const status: EngineStatus = session.watcher.status;
    item.backgroundColor = undefined;
    switch (status.state) {
      case 'live':
        item.text = `$(vm-running) ${name}`;
        item.tooltip = `Berth: ${name} — Docker ${status.info.version}, API ${status.info.pinnedApiVersion}${status.events ? '' : ' (no event stream: refreshing every 30 s)'}`;
        break;
      case 'connecting':
        item.text = `$(sync~spin) ${name}`;
        item.tooltip = `Berth: connecting to ${name}…`;
        break;
      case 'unreachable':
        item.text = `$(warning) ${name}`;
        item.tooltip = `Berth: ${status.error.message}\nClick to choose another engine.`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      default:
        item.text = `$(server) ${name}`;
        item.tooltip = `Berth: ${name}${session.current ? ` (${session.current.chosenBy})` : ''} — not connected while no Berth view is open`;
    }
    item.show();
  };
  render();
  return vscode.Disposable.from(item, session.onDidResolve(render), { dispose: session.watcher.onDidChangeStatus(render).dispose });
}
