import * as vscode from 'vscode';
import { ruleUrl } from '../../core/dockerfile/rule';
import { ALL_RULES } from '../../core/dockerfile/rules';
import type { Finding } from '../../core/dockerfile/types';
import { findingOf, fixAction, toEditorRange } from '../findingActions';
import { DockerfileDiagnostics, ruleDocsUri } from './lintDiagnostics';

const RULES = new Map(ALL_RULES.map((r) => [r.code, r]));
const isBuildkitName = (code: string) => /^[A-Z][a-z]+[A-Za-z]*$/.test(code);
/** hadolint's pragmas accept only its own codes (one unknown code voids the pragma); Berth's take any. */
const isHadolintCode = (code: string) => /^(DL|SC)\d{4}$/.test(code);

/** Quick fixes of the findings under the cursor, plus "ignore this rule" on the line or in the file. */
export class DockerfileCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: DockerfileDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.diagnostics.findings.get(doc.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of ctx.diagnostics) {
      const finding = findingOf(findings, diag);
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) actions.push(fixAction(fix.title, diag, doc.uri, fix.edits));
      actions.push(ignoreOnLine(doc, finding, diag), ignoreInFile(doc, finding, diag));
    }
    return actions;
  }
}

/** `# hadolint ignore=CODE` (or BuildKit's `# check=skip=Name`) right above the instruction. */
function ignoreOnLine(doc: vscode.TextDocument, f: Finding, diag: vscode.Diagnostic): vscode.CodeAction {
  const line = instructionStart(doc, f.range.start.line);
  const indent = /^\s*/.exec(doc.lineAt(line).text)![0];
  const comment = isBuildkitName(f.code) ? `# check=skip=${f.code}` : isHadolintCode(f.code) ? `# hadolint ignore=${f.code}` : `# berth ignore=${f.code}`;
  const action = new vscode.CodeAction(`Ignore ${f.code} for this instruction`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diag];
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(doc.uri, new vscode.Position(line, 0), `${indent}${comment}\n`);
  return action;
}

/** `# hadolint global ignore=CODE`, or a BuildKit check=skip directive at the top of the file. */
function ignoreInFile(doc: vscode.TextDocument, f: Finding, diag: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(`Ignore ${f.code} in this file`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diag];
  action.edit = new vscode.WorkspaceEdit();
  if (isBuildkitName(f.code)) {
    // Parser directives must come first; extend an existing check directive.
    for (let i = 0; i < doc.lineCount; i++) {
      const m = /^#\s*check\s*=\s*(.*)$/i.exec(doc.lineAt(i).text.trim());
      if (!m) {
        if (!/^#\s*\w+\s*=/.test(doc.lineAt(i).text.trim())) break;
        continue;
      }
      const skip = /(^|;)\s*skip\s*=\s*([^;]*)/i.exec(m[1]);
      const value = skip ? m[1].replace(skip[0], `${skip[1]}skip=${skip[2].trim()},${f.code}`) : `skip=${f.code};${m[1]}`;
      action.edit.replace(doc.uri, doc.lineAt(i).range, `# check=${value.replace(/;$/, '')}`);
      return action;
    }
    action.edit.insert(doc.uri, new vscode.Position(0, 0), `# check=skip=${f.code}\n`);
    return action;
  }
  // After the parser directives, so they stay directives.
  let line = 0;
  while (line < doc.lineCount && /^#\s*(syntax|escape|check)\s*=/i.test(doc.lineAt(line).text.trim())) line++;
  action.edit.insert(doc.uri, new vscode.Position(line, 0), `# ${isHadolintCode(f.code) ? 'hadolint' : 'berth'} global ignore=${f.code}\n`);
  return action;
}

/** The first line of the instruction that covers `line` (continuations belong to it). */
function instructionStart(doc: vscode.TextDocument, line: number): number {
  let l = line;
  while (l > 0 && /[\\`]\s*$/.test(doc.lineAt(l - 1).text)) l--;
  return l;
}

/** Hover over a finding: the rule's rationale and its documentation. */
export class DockerfileRuleHover implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DockerfileDiagnostics) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const here = (this.diagnostics.findings.get(doc.uri.toString()) ?? []).filter((f) => {
      const r = toEditorRange(f.range);
      return r.contains(pos);
    });
    const parts = here.flatMap((f) => {
      const rule = RULES.get(f.code);
      if (!rule) return [];
      const names = [f.code, ...f.aliases].join(' / ');
      return [`**${names}**: ${rule.rationale} [Documentation](${ruleDocsUri(ruleUrl(rule)).toString()})`];
    });
    if (!parts.length) return undefined;
    const md = new vscode.MarkdownString(parts.join('\n\n'));
    return new vscode.Hover(md);
  }
}
