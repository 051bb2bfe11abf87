import * as vscode from 'vscode';
import { ComposeCompletions, ManifestCodeActions, ManifestHover } from './manifestActions';
import { MANIFEST_SELECTOR, ManifestDiagnostics, YAML_EXTENSION_ID } from './manifestDiagnostics';

/**
 * Wires manifest validation: diagnostics as you type, quick fixes, and (unless
 * the YAML extension already offers them from Berth's contributed schema)
 * completion and hover for Compose files. Nothing is validated until a YAML
 * document is open; ajv and the Kubernetes schemas load on the first one.
 */
export function registerManifests(subscriptions: vscode.Disposable[]): void {
  const diagnostics = new ManifestDiagnostics();
  subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(MANIFEST_SELECTOR, new ManifestCodeActions(diagnostics), { providedCodeActionKinds: ManifestCodeActions.kinds }),
  );
  let assist: vscode.Disposable | undefined;
  const syncAssist = () => {
    const yamlExtension = !!vscode.extensions.getExtension(YAML_EXTENSION_ID);
    if (yamlExtension && assist) {
      assist.dispose();
      assist = undefined;
    } else if (!yamlExtension && !assist) {
      assist = vscode.Disposable.from(
        vscode.languages.registerCompletionItemProvider(MANIFEST_SELECTOR, new ComposeCompletions(), ':', ' ', '-'),
        vscode.languages.registerHoverProvider(MANIFEST_SELECTOR, new ManifestHover(diagnostics)),
      );
    }
  };
  syncAssist();
  subscriptions.push(vscode.extensions.onDidChange(syncAssist), { dispose: () => assist?.dispose() });
}
