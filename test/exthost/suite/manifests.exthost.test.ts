import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './engine';

// Manifest validation through the real `vscode` API: diagnostics in the
// language service's collection, and the completion, hover and code action
// providers as the editor calls them.

const BERTH_ID = 'berth.berth';

async function open(language: string, content: string): Promise<vscode.TextDocument> {
  await vscode.extensions.getExtension(BERTH_ID)!.activate();
  const doc = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

function berthDiagnostics(doc: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Berth');
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

describe('Manifests in the extension host', function () {
  this.timeout(60_000);

  it('reports a misspelt Compose key on the key, with its fix as a code action', async function () {
    const doc = await open('dockercompose', 'services:\n  web:\n    imgae: busybox:1.35\n');
    const diag = await waitFor(() => berthDiagnostics(doc).find((d) => codeOf(d) === 'CMP002'), 20_000, 'the CMP002 diagnostic');
    assert.deepEqual([diag.range.start.line, diag.range.start.character, diag.range.end.character], [2, 4, 9]);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
    const fix = actions.find((a) => a.title === 'Change to "image"');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(actions.some((a) => a.title === 'Ignore CMP002 in this file'));
    await vscode.workspace.applyEdit(fix.edit);
    assert.equal(doc.lineAt(2).text, '    image: busybox:1.35');
    await waitFor(() => !berthDiagnostics(doc).some((d) => codeOf(d) === 'CMP002'), 10_000, 'the diagnostic to go after the fix');
  });

  it('completes service keys and depends_on names from the schema and the file, and explains keys on hover', async function () {
    const doc = await open('dockercompose', 'services:\n  web:\n    image: nginx:1.27\n    \n  db:\n    image: postgres:16\n');
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(3, 4));
    const labels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('depends_on') && labels.includes('healthcheck'), labels.slice(0, 20).join(', '));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(3, 4), 'depends_on: [');
    await vscode.workspace.applyEdit(edit);
    const names = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(3, 17));
    const berthNames = names.items.filter((i) => i.kind === vscode.CompletionItemKind.Reference).map((i) => i.label);
    assert.deepEqual(berthNames, ['db']);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 6));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /\*\*image\*\*/);
  });

  it('validates a Kubernetes manifest in a plain YAML file, and leaves other YAML alone', async function () {
    const doc = await open('yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox\n      contianerPort: 80\n');
    const diags = await waitFor(() => (berthDiagnostics(doc).length >= 2 ? berthDiagnostics(doc) : undefined), 30_000, 'Kubernetes diagnostics');
    assert.ok(diags.some((d) => codeOf(d) === 'K8S001' && d.range.start.line === 8), diags.map((d) => `${codeOf(d)}@${d.range.start.line}`).join(', '));
    assert.ok(diags.some((d) => codeOf(d) === 'BK003'), 'untagged image');
    const other = await open('yaml', 'title: notes\nservices: [a, b]\n');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(berthDiagnostics(other), []);
  });
});
