import * as vscode from 'vscode';
import type { ResourceKind } from '../../core/engine/resources';
import { containerTree, ContainerGrouping } from '../../core/explorer/containerNodes';
import { imageTree } from '../../core/explorer/imageNodes';
import { networkTree, volumeTree } from '../../core/explorer/networkVolumeNodes';
import type { ExplorerNode } from '../../core/explorer/node';
import type { EngineStatus } from '../../core/explorer/engineWatcher';
import type { EngineSession } from '../engineSession';
import { EnginesTreeProvider } from './enginesTreeProvider';
import { ResourceTreeProvider } from './resourceTreeProvider';

export interface ResourceViews {
  providers: { [K in ResourceKind]: ResourceTreeProvider<K> };
  views: { [K in ResourceKind]: vscode.TreeView<ExplorerNode> };
}

const setting = <T>(key: string, fallback: T): T => vscode.workspace.getConfiguration('berth').get<T>(key) ?? fallback;

/**
 * Creates the five views and ties each resource view's visibility to the
 * watcher: visible views are what makes Berth talk to the engine at all.
 */
export function registerViews(session: EngineSession, subscriptions: vscode.Disposable[]): ResourceViews {
  const w = session.watcher;
  const providers = {
    containers: new ResourceTreeProvider('containers', w, (r) => containerTree(r, setting<ContainerGrouping>('containers.groupBy', 'compose'))),
    images: new ResourceTreeProvider('images', w, (r) => imageTree(r, setting('images.showDangling', false))),
    networks: new ResourceTreeProvider('networks', w, (r) => networkTree(r, setting('networks.showBuiltIn', false))),
    volumes: new ResourceTreeProvider('volumes', w, (r) => volumeTree(r)),
  };
  const views = {} as ResourceViews['views'];
  for (const kind of Object.keys(providers) as ResourceKind[]) {
    const view = vscode.window.createTreeView<ExplorerNode>(`berth.${kind}`, {
      treeDataProvider: providers[kind] as vscode.TreeDataProvider<ExplorerNode>,
      canSelectMany: kind === 'containers' || kind === 'images',
      showCollapseAll: kind === 'containers' || kind === 'images',
    });
    views[kind] = view;
    const follow = (visible: boolean) => {
      // Resolution first, so the watcher never connects to a placeholder engine.
      void session.resolve().then(() => w.setVisible(kind, view.visible && visible));
    };
    // A failed list (the engine answered, but with an error) says so above the tree
    // instead of passing for an empty list.
    // (Only while live: a message would hide the unreachable welcome.)
    const showListError = () => {
      view.message = w.status.state === 'live' ? w.listError(kind)?.message : undefined;
    };
    subscriptions.push(
      view,
      providers[kind],
      view.onDidChangeVisibility((e) => follow(e.visible)),
      { dispose: w.onDidChangeResource((k) => k === kind && showListError()).dispose },
      { dispose: w.onDidChangeStatus(showListError).dispose },
    );
    if (view.visible) follow(true);
  }
  const engines = new EnginesTreeProvider(session);
  subscriptions.push(engines, vscode.window.createTreeView('berth.engines', { treeDataProvider: engines }));

  const showStatus = (status: EngineStatus) => {
    void vscode.commands.executeCommand('setContext', 'berth.engineState', status.state);
    void vscode.commands.executeCommand('setContext', 'berth.engineProblem', status.state === 'unreachable' ? status.error.kind : '');
    // The reason shows as the views' welcome text (a TreeView message would hide it);
    // the exact detail (path, address) is in the status bar and the Engines view.
    for (const kind of Object.keys(views) as ResourceKind[]) providers[kind].rebuild();
  };
  subscriptions.push({ dispose: w.onDidChangeStatus(showStatus).dispose });
  subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('berth.containers.groupBy')) providers.containers.rebuild();
      if (e.affectsConfiguration('berth.images.showDangling')) providers.images.rebuild();
      if (e.affectsConfiguration('berth.networks.showBuiltIn')) providers.networks.rebuild();
      if (e.affectsConfiguration('berth.engine') || e.affectsConfiguration('berth.engine.requestTimeoutSeconds')) void session.reload();
    }),
  );
  return { providers, views };
}
