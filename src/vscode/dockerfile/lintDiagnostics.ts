import * as vscode from 'vscode';
import { lintWithShellcheck } from '../../core/dockerfile/lintWithShellcheck';
import { ruleUrl, type LintConfig } from '../../core/dockerfile/rule';
import { ALL_RULES } from '../../core/dockerfile/rules';
import type { Finding, Severity } from '../../core/dockerfile/types';
import { watchDocuments } from '../documentRuns';
import { toEditorRange } from '../findingActions';
import { dockerignoreFor, fileConfig } from './lintSettings';

export const DOCKERFILE_SELECTOR: vscode.DocumentSelector = [{ language: 'dockerfile' }];
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}';

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
  private readonly versions = new Map<string, number>();
  /** uri → findings of the last run, for quick fixes and hovers. */
  readonly findings = new Map<string, Finding[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      this.collection,
      watchDocuments({ selector: DOCKERFILE_SELECTOR, section: 'berth.lint', run: (d) => this.lintDocument(d), forget: (uri) => this.forget(uri) }),
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
    this.subscriptions.forEach((s) => s.dispose());
  }
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const range = toEditorRange(f.range);
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  const rule = RULES.get(f.code);
  d.source = f.aliases.length ? `Berth (${f.aliases.join(', ')})` : 'Berth';
  d.code = rule ? { value: f.code, target: ruleDocsUri(ruleUrl(rule)) } : f.code;
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
