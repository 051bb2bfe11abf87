import * as vscode from 'vscode';
import type { Range } from '../core/dockerfile/types';

// What the Dockerfile and manifest code action providers share: the core's
// 0-based ranges as editor ranges, finding a diagnostic's finding again, and
// turning a finding's fix into a quick fix.

export function toEditorRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

/** The code of a diagnostic, whether it carries a documentation link or not. */
export function diagnosticCode(diag: vscode.Diagnostic): string {
  return typeof diag.code === 'object' ? String(diag.code.value) : String(diag.code ?? '');
}

/** The finding a diagnostic was published from: same code, same start (and the same message, where one place can hold several). */
export function findingOf<F extends { code: string; range: Range; message: string }>(findings: readonly F[], diag: vscode.Diagnostic, matchMessage = false): F | undefined {
  const code = diagnosticCode(diag);
  return findings.find(
    (f) => f.code === code && f.range.start.line === diag.range.start.line && f.range.start.column === diag.range.start.character && (!matchMessage || f.message === diag.message),
  );
}

/** A preferred quick fix for `diag` that applies `edits`. */
export function fixAction(title: string, diag: vscode.Diagnostic, uri: vscode.Uri, edits: readonly { range: Range; newText: string }[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diag];
  action.isPreferred = true;
  action.edit = new vscode.WorkspaceEdit();
  for (const e of edits) action.edit.replace(uri, toEditorRange(e.range), e.newText);
  return action;
}
