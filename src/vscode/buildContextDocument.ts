import * as vscode from 'vscode';
import { readBuildContext } from '../core/buildcontext/buildContext';
import { contextReport } from '../core/buildcontext/contextReport';
import { formatContextReport } from '../core/buildcontext/contextReportText';

// The "Show Build Context" document's text: what a build of a folder (or of a
// Dockerfile with its folder as the context) would send, the same text
// `berth build-context` prints. Loaded lazily (lazyBuildContext.ts).

/** The document's text: the report, or why the context cannot be read. */
export async function buildContextText(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
  const params = new URLSearchParams(uri.query);
  const dir = params.get('dir') ?? '';
  const dockerfile = params.get('dockerfile') ?? undefined;
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  try {
    return formatContextReport(contextReport(await readBuildContext(dir, { dockerfile, cwd: dir, signal: abort.signal })));
  } catch (err) {
    // The document still opens and says why (an unreadable file, a malformed ignore line).
    return `Berth could not read the build context ${dir}:\n${(err as Error).message}\n`;
  } finally {
    sub.dispose();
  }
}
