import * as vscode from 'vscode';
import type { LanguageFeatures } from './languageFeatures';

/** Languages whose documents Berth checks. */
const LANGUAGES = new Set(['dockerfile', 'dockercompose', 'yaml']);

/**
 * Loads the language features on the first document that needs them (right
 * after activation when one is already open), and returns the commands that
 * load them on demand.
 */
export function registerLanguageFeatures(extensionUri: vscode.Uri, subscriptions: vscode.Disposable[]): Record<string, () => Promise<void>> {
  let features: LanguageFeatures | undefined;
  const load = (): LanguageFeatures =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see languageFeatures.ts)
    (features ??= (require('./languageFeatures') as typeof import('./languageFeatures')).startLanguageFeatures(extensionUri, subscriptions));
  const wanted = (d: vscode.TextDocument) => LANGUAGES.has(d.languageId);
  if (vscode.workspace.textDocuments.some(wanted)) {
    // After activate() returns: activation stays a wiring script.
    setTimeout(load, 0);
  } else {
    const waiting = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!wanted(d)) return;
      waiting.dispose();
      load();
    });
    subscriptions.push(waiting);
  }
  return { 'berth.dockerfiles.lintAll': () => load().lintAllDockerfiles() };
}
