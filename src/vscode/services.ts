import type * as vscode from 'vscode';
import type { EngineSession } from './engineSession';
import type { ResourceViews } from './views/registerViews';

/** What commands need, passed explicitly (no global service locator). */
export interface BerthServices {
  session: EngineSession;
  views: ResourceViews;
  log: vscode.LogOutputChannel;
}
