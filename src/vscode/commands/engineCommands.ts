import * as vscode from 'vscode';
import type { EngineCandidate } from '../../core/engine/contexts';
import { formatEndpoint } from '../../core/engine/endpoint';
import type { BerthServices } from '../services';

/**
 * Switching writes the user-level `berth.engine` setting, so the choice
 * persists across windows and is visible where users look for it.
 */
async function useEngine(s: BerthServices, c: EngineCandidate): Promise<void> {
  const value = c.source === 'context' || c.source === 'default' ? c.name : c.endpoint ? formatEndpoint(c.endpoint) : c.name;
  await vscode.workspace.getConfiguration('berth').update('engine', value, vscode.ConfigurationTarget.Global);
  // The configuration listener reloads; awaiting here makes the switch visible before the command returns.
  await s.session.reload();
}

export function engineCommands(s: BerthServices): Record<string, (...args: any[]) => Promise<void>> {
  return {
    'berth.engine.use': async (c?: EngineCandidate) => {
      if (c) await useEngine(s, c);
      else await vscode.commands.executeCommand('berth.engine.choose');
    },
    'berth.engine.choose': async () => {
      const r = await s.session.reload();
      const items = r.candidates.map((c) => ({
        label: c.name,
        description: c.endpoint ? formatEndpoint(c.endpoint) : c.problem,
        detail: c.description,
        picked: c === r.current,
        c,
      }));
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Choose the Docker engine',
        placeHolder: `Current: ${r.current.name} (${r.chosenBy})`,
      });
      if (picked) await useEngine(s, picked.c);
    },
    'berth.engine.retry': async () => {
      await s.session.reload();
      await s.session.watcher.refresh();
    },
    'berth.engines.refresh': async () => {
      const r = await s.session.reload();
      for (const w of r.warnings) s.log.warn(w);
    },
  };
}

/** Refresh and display toggles of the resource views. */
export function viewCommands(s: BerthServices): Record<string, () => Promise<void>> {
  const toggle = (key: string, value: unknown) => () => Promise.resolve(vscode.workspace.getConfiguration('berth').update(key, value, vscode.ConfigurationTarget.Global));
  const refresh = (kind: 'containers' | 'images' | 'networks' | 'volumes') => () => s.session.watcher.refresh([kind]);
  return {
    'berth.containers.refresh': refresh('containers'),
    'berth.images.refresh': refresh('images'),
    'berth.networks.refresh': refresh('networks'),
    'berth.volumes.refresh': refresh('volumes'),
    'berth.containers.groupByProject': toggle('containers.groupBy', 'compose'),
    'berth.containers.ungroup': toggle('containers.groupBy', 'none'),
    'berth.images.showDangling': toggle('images.showDangling', true),
    'berth.images.hideDangling': toggle('images.showDangling', false),
    'berth.networks.showBuiltIn': toggle('networks.showBuiltIn', true),
    'berth.networks.hideBuiltIn': toggle('networks.showBuiltIn', false),
  };
}
