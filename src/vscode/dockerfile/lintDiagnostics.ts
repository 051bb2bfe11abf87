import * as vscode from 'vscode';
import { lintWithShellcheck } from '../../core/dockerfile/lintWithShellcheck';
import type { LintConfig } from '../../core/dockerfile/rule';
import { ALL_RULES } from '../../core/dockerfile/rules';
import type { Finding, Severity } from '../../core/dockerfile/types';
import { dockerignoreFor, fileConfig } from './lintSettings';

export const DOCKERFILE_SELECTOR: vscode.DocumentSelector = [{ language: 'dockerfile' }];
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}';
const DEBOUNCE_MS = 250;

const RULES = new Map(ALL_RULES.map((r) => [r.code, r]));
const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  style: vscode.DiagnosticSeverity.Hint,
};

/**
 * Lints Dockerfiles as the user types (debounced, superseded runs dropped), on
 * open and on save, and keeps the findings (with their fixes) for the code
 * action and hover providers.
 */
export class DockerfileDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('berth-dockerfile');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly versions = new Map<string, number>();
  /** uri → findings of the last run, for quick fixes and hovers. */
  readonly findings = new Map<string, Finding[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const onType = () => vscode.workspace.getConfiguration('berth.lint').get<string>('run', 'onType') === 'onType';
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => onType() && this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('berth.lint')) for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Lints `doc` after `delay`; a newer edit cancels the pending run. */
  schedule(doc: vscode.TextDocument, delay: number): void {
    if (vscode.languages.match(DOCKERFILE_SELECTOR, doc) === 0) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintDocument(doc);
      }, delay),
    );
  }

  async lintDocument(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const version = doc.version;
    this.versions.set(key, version);
    // A newer edit's run supersedes this one: drop it rather than publish stale findings.
    await this.publish(doc.uri, doc.getText(), await fileConfig(doc.uri), () => this.versions.get(key) !== version || doc.isClosed);
  }

  /** Lints `text` for `uri` and publishes the findings (also for files not open: Lint All Dockerfiles). */
  async publish(uri: vscode.Uri, text: string, config: Partial<LintConfig>, superseded: () => boolean = () => false): Promise<number> {
    const settings = vscode.workspace.getConfiguration('berth.lint', uri);
    if (!settings.get<boolean>('enable', true)) {
      this.forget(uri);
      return 0;
    }
    if (superseded()) return 0;
    const binary = settings.get<string>('shellcheckPath') || 'shellcheck';
    const dockerignore = await dockerignoreFor(uri);
    const result = await lintWithShellcheck(text, { config, dockerignore, shellcheck: settings.get<boolean>('shellcheck', true) ? { binary } : false });
    if (superseded()) return 0;
    if (result.shellcheckError && !this.warnedShellcheck) {
      this.warnedShellcheck = true;
      void vscode.window.showWarningMessage(`Berth: ShellCheck failed, RUN scripts are linted without it: ${result.shellcheckError}`);
    }
    this.findings.set(uri.toString(), result.findings);
    this.collection.set(uri, result.findings.map(toDiagnostic));
    return result.findings.length;
  }

  private warnedShellcheck = false;

  forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.findings.delete(uri.toString());
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.subscriptions.forEach((s) => s.dispose());
  }
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(f.range.start.line, f.range.start.column, f.range.end.line, f.range.end.column);
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  const rule = RULES.get(f.code);
  d.source = f.aliases.length ? `Berth (${f.aliases.join(', ')})` : 'Berth';
  d.code = rule ? { value: f.code, target: ruleDocsUri(rule.url) } : f.code;
  return d;
}

let extensionUri: vscode.Uri | undefined;
/** Berth's own rule pages ship in the extension (media/rules); others are web pages. */
export function setExtensionUri(uri: vscode.Uri): void {
  extensionUri = uri;
}
export function ruleDocsUri(url: string): vscode.Uri {
  return /^https?:/.test(url) || !extensionUri ? vscode.Uri.parse(url) : vscode.Uri.joinPath(extensionUri, url);
}
