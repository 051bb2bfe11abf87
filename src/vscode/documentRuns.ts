import * as vscode from 'vscode';

const TYPING_DEBOUNCE_MS = 250;

export interface DocumentRunsOptions {
  selector: vscode.DocumentSelector;
  /** Settings section with a `run` setting (`onType` | `onSave`); a change to the section re-runs every document. */
  section: string;
  run(doc: vscode.TextDocument): void | Promise<void>;
  /** The document closed: drop what was published for it. */
  forget(uri: vscode.Uri): void;
}

/**
 * When to check a document, for every checker that publishes diagnostics:
 * on open, on save, 250 ms after the last keystroke (unless the section's
 * `run` setting says onSave), and all open documents again when the section's
 * settings change. A newer request replaces a pending one, so a burst of
 * typing costs one run.
 */
export function watchDocuments(options: DocumentRunsOptions): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (doc: vscode.TextDocument, delay: number) => {
    if (vscode.languages.match(options.selector, doc) === 0) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!doc.isClosed) void options.run(doc);
      }, delay),
    );
  };
  const onType = () => vscode.workspace.getConfiguration(options.section).get<string>('run', 'onType') === 'onType';
  const rerunAll = () => {
    for (const d of vscode.workspace.textDocuments) schedule(d, 0);
  };
  const subscriptions = [
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && onType() && schedule(e.document, TYPING_DEBOUNCE_MS)),
    vscode.workspace.onDidSaveTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      options.forget(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(options.section) && rerunAll()),
  ];
  rerunAll();
  return {
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      subscriptions.forEach((s) => s.dispose());
    },
  };
}
