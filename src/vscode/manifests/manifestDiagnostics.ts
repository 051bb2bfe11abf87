import * as vscode from 'vscode';
import { manifestCode } from '../../core/manifests/codes';
import { detectKind, isComposeFileName, validateManifest, type ManifestKind } from '../../core/manifests/validateManifest';
import type { ManifestDiagnostic, ManifestSeverity } from '../../core/manifests/types';
import { ruleDocsUri } from '../dockerfile/lintDiagnostics';
import { watchDocuments } from '../documentRuns';
import { localFiles } from '../../core/manifests/compose/fileReferences';
import { toEditorRange } from '../findingActions';

export const MANIFEST_SELECTOR: vscode.DocumentSelector = [{ language: 'dockercompose' }, { language: 'yaml' }];
export const YAML_EXTENSION_ID = 'redhat.vscode-yaml';
/** Codes the YAML extension reports itself once it has Berth's schema (contributed through yamlValidation). */
const REPORTED_BY_YAML_EXTENSION = new Set(['YML001', 'CMP002']);

const SEVERITY: Record<ManifestSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Compose by name (compose.yaml, ..., or a glob in berth.manifests.composeFiles); Kubernetes by content. */
export function manifestKindOf(doc: vscode.TextDocument): ManifestKind | undefined {
  if (vscode.languages.match(MANIFEST_SELECTOR, doc) === 0) return undefined;
  const settings = vscode.workspace.getConfiguration('berth.manifests', doc.uri);
  const extra = settings.get<string[]>('composeFiles', []);
  if (doc.languageId === 'dockercompose' || isComposeFileName(doc.fileName) || extra.some((pattern) => vscode.languages.match({ pattern }, doc) > 0)) return 'compose';
  // Any YAML file can be a Kubernetes manifest; only its content tells. (A YAML file with a services: key is not assumed to be Compose.)
  if (settings.get<boolean>('kubernetes', true) && detectKind(undefined, doc.getText()) === 'kubernetes') return 'kubernetes';
  return undefined;
}

/**
 * Validates Compose files and Kubernetes manifests as the user types
 * (debounced, superseded runs dropped), on open and on save, and keeps the
 * findings with their fixes for the code action provider.
 */
export class ManifestDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('berth-manifests');
  readonly findings = new Map<string, ManifestDiagnostic[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const recheckAll = () => {
      for (const d of vscode.workspace.textDocuments) if (vscode.languages.match(MANIFEST_SELECTOR, d) > 0 && !d.isClosed) this.validate(d);
    };
    this.subscriptions.push(
      this.collection,
      watchDocuments({ selector: MANIFEST_SELECTOR, section: 'berth.manifests', run: (d) => this.validate(d), forget: (uri) => this.forget(uri) }),
      // The YAML extension arriving or leaving changes what Berth reports itself.
      vscode.extensions.onDidChange(recheckAll),
    );
  }

  private validate(doc: vscode.TextDocument): void {
    const settings = vscode.workspace.getConfiguration('berth.manifests', doc.uri);
    const kind = settings.get<boolean>('enable', true) ? manifestKindOf(doc) : undefined;
    if (!kind) {
      this.forget(doc.uri);
      return;
    }
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const result = validateManifest(doc.getText(), { kind, file, files: file ? localFiles : undefined, environment: process.env });
    let diagnostics = result?.diagnostics ?? [];
    // With the YAML extension present it validates Compose files against the same schema (our yamlValidation contribution): report the rest only.
    if (vscode.extensions.getExtension(YAML_EXTENSION_ID)) diagnostics = diagnostics.filter((d) => !REPORTED_BY_YAML_EXTENSION.has(d.code));
    this.findings.set(doc.uri.toString(), diagnostics);
    this.collection.set(doc.uri, diagnostics.map(toDiagnostic));
  }

  forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.findings.delete(uri.toString());
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}

function toDiagnostic(f: ManifestDiagnostic): vscode.Diagnostic {
  const range = toEditorRange(f.range);
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = 'Berth';
  const info = manifestCode(f.code);
  d.code = info ? { value: f.code, target: ruleDocsUri(info.url) } : f.code;
  return d;
}
