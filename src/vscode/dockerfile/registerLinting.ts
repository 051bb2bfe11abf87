import * as vscode from 'vscode';
import { withJob } from '../commands/run';
import { DockerfileCodeActions, DockerfileRuleHover } from './lintActions';
import { DOCKERFILE_GLOB, DOCKERFILE_SELECTOR, DockerfileDiagnostics, setExtensionUri } from './lintDiagnostics';
import { fileConfig } from './lintSettings';

/**
 * Wires Dockerfile linting: diagnostics as you type, quick fixes, hovers.
 * Returns its commands for the common registration ("Lint All Dockerfiles").
 */
export function registerLinting(extensionUri: vscode.Uri, subscriptions: vscode.Disposable[]): Record<string, () => Promise<void>> {
  setExtensionUri(extensionUri);
  const diagnostics = new DockerfileDiagnostics();
  subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(DOCKERFILE_SELECTOR, new DockerfileCodeActions(diagnostics), { providedCodeActionKinds: DockerfileCodeActions.kinds }),
    vscode.languages.registerHoverProvider(DOCKERFILE_SELECTOR, new DockerfileRuleHover(diagnostics)),
  );
  return { 'berth.dockerfiles.lintAll': () => lintAll(diagnostics) };
}

async function lintAll(diagnostics: DockerfileDiagnostics): Promise<void> {
  const total = await withJob('Linting Dockerfiles', async (signal, report) => {
    const files = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**');
    let findings = 0;
    for (const [n, uri] of files.entries()) {
      if (signal.aborted) break;
      report(`${n + 1}/${files.length}`);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      findings += await diagnostics.publish(uri, text, await fileConfig(uri));
    }
    return { files: files.length, findings };
  });
  void vscode.window.showInformationMessage(`Berth linted ${total.files} Dockerfile${total.files === 1 ? '' : 's'}: ${total.findings} finding${total.findings === 1 ? '' : 's'}. See the Problems panel.`);
}
