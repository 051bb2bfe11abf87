import * as vscode from 'vscode';
import { formatEndpoint } from '../core/engine/endpoint';
import type { ResourceKind } from '../core/engine/resources';
import type { ExplorerNode } from '../core/explorer/node';
import type { BerthServices } from './services';

/** What `vscode.extensions.getExtension('berth.berth').exports` offers other extensions (and Berth's own extension-host tests). */
export interface BerthApi {
  readonly apiVersion: 1;
  /** The engine Berth talks to, and its state as the views show it. */
  engineStatus(): EngineStatusInfo;
  readonly onDidChangeEngineStatus: vscode.Event<EngineStatusInfo>;
  /** The explorer's top-level rows for a resource kind, as plain data (what the tree shows). */
  explorerRows(kind: ResourceKind): ExplorerNode[];
}

export interface EngineStatusInfo {
  name?: string;
  address?: string;
  state: 'idle' | 'connecting' | 'live' | 'unreachable';
  problem?: string;
  engineVersion?: string;
}

export function createApi(s: BerthServices, subscriptions: vscode.Disposable[]): BerthApi {
  const changed = new vscode.EventEmitter<EngineStatusInfo>();
  const status = (): EngineStatusInfo => {
    const current = s.session.current?.current;
    const st = s.session.watcher.status;
    return {
      name: current?.name,
      address: current?.endpoint ? formatEndpoint(current.endpoint) : undefined,
      state: st.state,
      problem: st.state === 'unreachable' ? st.error.message : current?.problem,
      engineVersion: st.state === 'live' ? st.info.version : undefined,
    };
  };
  subscriptions.push(changed, { dispose: s.session.watcher.onDidChangeStatus(() => changed.fire(status())).dispose });
  return {
    apiVersion: 1,
    engineStatus: status,
    onDidChangeEngineStatus: changed.event,
    explorerRows: (kind) => s.views.providers[kind].getChildren(),
  };
}
