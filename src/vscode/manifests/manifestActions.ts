import * as vscode from 'vscode';
import { manifestCode } from '../../core/manifests/codes';
import { composeCompletions, composeHover } from '../../core/manifests/compose/composeAssist';
import { findingOf, fixAction, toEditorRange } from '../findingActions';
import { manifestKindOf, type ManifestDiagnostics } from './manifestDiagnostics';

/** The findings' own fixes (nearest key, quoted port, ...) and "ignore this code in this file". */
export class ManifestCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: ManifestDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.diagnostics.findings.get(doc.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of ctx.diagnostics) {
      if (diag.source !== 'Berth') continue;
      const finding = findingOf(findings, diag, true);
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) actions.push(fixAction(fix.title, diag, doc.uri, [fix]));
      if (finding.code !== 'YML001') actions.push(ignoreInFile(doc, finding.code, diag));
    }
    return actions;
  }
}

/** Adds the code to a `# berth ignore=` line at the top, or writes one. */
function ignoreInFile(doc: vscode.TextDocument, code: string, diag: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(`Ignore ${code} in this file`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diag];
  action.edit = new vscode.WorkspaceEdit();
  for (let i = 0; i < Math.min(doc.lineCount, 20); i++) {
    const text = doc.lineAt(i).text;
    if (/^\s*#\s*berth\s+ignore=/.test(text)) {
      action.edit.insert(doc.uri, new vscode.Position(i, text.trimEnd().length), `,${code}`);
      return action;
    }
  }
  action.edit.insert(doc.uri, new vscode.Position(0, 0), `# berth ignore=${code}\n`);
  return action;
}

/** Completion for Compose files from the schema and the names the file defines. */
export class ComposeCompletions implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    if (manifestKindOf(doc) !== 'compose') return undefined;
    const line = doc.lineAt(position.line).text.slice(0, position.character);
    const word = /[\w.$-]*$/.exec(line)![0];
    const range = new vscode.Range(position.line, position.character - word.length, position.line, position.character);
    return composeCompletions(doc.getText(), doc.offsetAt(position)).map((e) => {
      const item = new vscode.CompletionItem(e.label, e.kind === 'key' ? vscode.CompletionItemKind.Property : e.kind === 'reference' ? vscode.CompletionItemKind.Reference : vscode.CompletionItemKind.Value);
      item.insertText = e.insertText;
      item.range = range;
      if (e.detail) item.detail = e.detail;
      if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
      return item;
    });
  }
}

/** Hover: a Compose key's description, and the meaning of a Berth code under the cursor. */
export class ManifestHover implements vscode.HoverProvider {
  constructor(private readonly diagnostics: ManifestDiagnostics) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const parts: vscode.MarkdownString[] = [];
    for (const f of this.diagnostics.findings.get(doc.uri.toString()) ?? []) {
      const range = toEditorRange(f.range);
      const info = manifestCode(f.code);
      if (info && range.contains(position)) parts.push(new vscode.MarkdownString(`**${f.code}** ${info.message}: ${info.rationale}`));
    }
    if (manifestKindOf(doc) === 'compose') {
      const h = composeHover(doc.getText(), doc.offsetAt(position));
      if (h) return new vscode.Hover([new vscode.MarkdownString(h.markdown), ...parts], new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)));
    }
    return parts.length ? new vscode.Hover(parts) : undefined;
  }
}
