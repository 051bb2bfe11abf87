import * as vscode from 'vscode';
import { inspectResource, ResourceKind } from '../core/engine/resources';
import type { EngineSession } from './engineSession';

export const INSPECT_SCHEME = 'berth-inspect';

/**
 * Inspect output as a read-only JSON document (a content provider's documents
 * cannot be edited or saved over anything). The URI carries the kind and id, so
 * reopening refetches the current state.
 */
export function registerInspectDocuments(session: EngineSession): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, {
    async provideTextDocumentContent(uri, token) {
      const [, kind] = uri.path.split('/');
      const id = decodeURIComponent(uri.query);
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const client = await session.client();
        return JSON.stringify(await inspectResource(client, kind as ResourceKind, id, abort.signal), null, 2) + '\n';
      } catch (err) {
        // The document still opens and says why; a notification would be lost once dismissed.
        return `// Berth could not inspect ${kind.slice(0, -1)} ${id}:\n// ${(err as Error).message}\n`;
      } finally {
        sub.dispose();
      }
    },
  });
}

export async function openInspectDocument(kind: ResourceKind, id: string, name: string): Promise<void> {
  const safe = name.replace(/[/\\:?#]/g, '_');
  const uri = vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${safe}.json`, query: encodeURIComponent(id) });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(doc, { preview: true });
}
