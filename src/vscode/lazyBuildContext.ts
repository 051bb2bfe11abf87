import * as path from 'node:path';
import * as vscode from 'vscode';

// "Show Build Context": what a build would send, as a read-only document. The URI
// carries the folder and the Dockerfile, so reopening reads the folder again. The
// walker and matcher behind the text load on first use (dist/buildContext.js), so
// activation pays for neither.

export const CONTEXT_SCHEME = 'berth-context';

type Module = typeof import('./buildContextDocument');
let loaded: Module | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
const load = (): Module => (loaded ??= require('./buildContextDocument') as Module);

export function registerBuildContext(subscriptions: vscode.Disposable[]): Record<string, (uri?: vscode.Uri) => Promise<void>> {
  subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(CONTEXT_SCHEME, { provideTextDocumentContent: (uri, token) => load().buildContextText(uri, token) }));
  return { 'berth.showBuildContext': showBuildContext };
}

/** Explorer or editor-title target: a Dockerfile (its folder is the context) or a folder. */
export async function showBuildContext(target?: vscode.Uri): Promise<void> {
  const uri = target ?? vscode.window.activeTextEditor?.document.uri ?? (await pickFolder());
  if (!uri) return;
  const isDir = (await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory;
  const dir = isDir ? uri.fsPath : path.dirname(uri.fsPath);
  const query = new URLSearchParams({ dir, ...(isDir ? {} : { dockerfile: uri.fsPath }) }).toString();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: CONTEXT_SCHEME, path: `/${path.basename(dir)} build context`, query }));
  await vscode.window.showTextDocument(doc, { preview: true });
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0]?.uri;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Build context of which folder?' }))?.uri;
}
