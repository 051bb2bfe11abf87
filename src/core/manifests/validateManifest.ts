// Entry point for manifest validation: which kind a file is (by name, then by
// content) and the validator for it. Kubernetes documents may share a file
// with anything; each document with apiVersion and kind is checked on its own.

import * as path from 'node:path';
import { validateCompose, type ComposeValidationOptions } from './compose/validateCompose';
import { isKubernetesObject } from './kubernetes/detect';
import { validateKubernetesObject } from './kubernetes/validateKubernetes';
import type { ManifestDiagnostic } from './types';
import { parseYaml, positionFindings } from './yamlDocument';

export type ManifestKind = 'compose' | 'kubernetes';

const COMPOSE_NAME = /^(?:docker-)?compose(?:\.[^/\\]+)?\.ya?ml$/i;

/** Compose's file names (compose.yaml, docker-compose.yml, compose.override.yaml, compose.prod.yml, ...). */
export function isComposeFileName(file: string): boolean {
  return COMPOSE_NAME.test(path.basename(file));
}

/** The kind by file name, else by content: a document with apiVersion and kind is Kubernetes, a top-level services/include mapping is Compose. */
export function detectKind(file: string | undefined, text: string): ManifestKind | undefined {
  if (file && isComposeFileName(file)) return 'compose';
  // Block style at the top level (how manifests are written) tells without parsing: the editor asks
  // on every validation, completion and hover. Anything else is parsed to be sure.
  if (/^\uFEFF?apiVersion:[ \t]*[A-Za-z"'][^\n]*$/m.test(text) && /^kind:[ \t]*[A-Za-z"'][^\n]*$/m.test(text)) return 'kubernetes';
  if (/^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text)) {
    if (parseYaml(text).documents.some((d) => isKubernetesObject(d.value))) return 'kubernetes';
  }
  // At column 0 only: an indented `services:` belongs to some other document (a Helm values file, say).
  if (/^\uFEFF?(?:services|include)[ \t]*:/m.test(text)) return 'compose';
  return undefined;
}

/** `# berth ignore-file` anywhere in a manifest turns its validation off; `# berth ignore=CODE,...` drops those codes. */
export function suppressions(text: string): { file: boolean; codes: Set<string> } {
  const codes = new Set<string>();
  let file = false;
  for (const m of text.matchAll(/^[ \t]*#[ \t]*berth[ \t]+(ignore-file|ignore=([\w,\- ]+))/gm)) {
    if (m[1] === 'ignore-file') file = true;
    else for (const c of m[2].split(',')) if (c.trim()) codes.add(c.trim());
  }
  return { file, codes };
}

export interface ManifestValidationOptions extends ComposeValidationOptions {
  kind?: ManifestKind;
}

/** Validates a manifest of the given (or detected) kind; undefined when the kind cannot be told. */
export function validateManifest(text: string, options: ManifestValidationOptions = {}): { kind: ManifestKind; diagnostics: ManifestDiagnostic[] } | undefined {
  const kind = options.kind ?? detectKind(options.file, text);
  if (!kind) return undefined;
  const suppressed = suppressions(text);
  if (suppressed.file) return { kind, diagnostics: [] };
  const diagnostics = kind === 'compose' ? validateCompose(text, options) : validateKubernetes(text);
  const kept = diagnostics.filter((d) => !suppressed.codes.has(d.code));
  // In file order, as people read them (checks run by stage, not by position).
  kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
  return { kind, diagnostics: kept };
}

export function validateKubernetes(text: string): ManifestDiagnostic[] {
  const parsed = parseYaml(text);
  const out: ManifestDiagnostic[] = [];
  for (const doc of parsed.documents) {
    for (const p of doc.problems) out.push({ range: p.range, code: 'YML001', severity: 'error', message: p.message });
    if (doc.problems.length || !isKubernetesObject(doc.value)) continue;
    out.push(...positionFindings(doc, validateKubernetesObject(doc.value)));
  }
  return out;
}
