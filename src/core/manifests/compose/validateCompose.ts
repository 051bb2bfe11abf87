// Compose validation, in the order compose itself loads a file: YAML, the
// loader's structural checks, interpolation, the schema, then the rules a
// schema cannot express (references, cycles, conflicts, files). Each stage
// reports by path; positions are attached at the end from the YAML tree.

import * as path from 'node:path';
import type { ManifestDiagnostic, PathFinding, ValuePath } from '../types';
import { parseYaml, positionFindings, type ManifestDocument } from '../yamlDocument';
import { definitionFindings } from './definitionRules';
import { parseDotenv } from './dotenv';
import { fileReferenceFindings, type FileAccess } from './fileReferences';
import { interpolate, type EnvLookup } from './interpolation';
import { referenceFindings } from './references';
import { pathToPointer, schemaFindings } from './schemaFindings';
import { structureFindings } from './structure';
import { isMapping, pathText } from './values';

export interface ComposeValidationOptions {
  /** Absolute path of the file, for `.env`, `extends.file` and `include` (none for unsaved or piped text). */
  file?: string;
  /** Reads files next to it; without it those checks are skipped. */
  files?: FileAccess;
  /** The environment compose would see (besides `.env`); variables not found are "unset". */
  environment?: Record<string, string | undefined>;
}

export function validateCompose(text: string, options: ComposeValidationOptions = {}): ManifestDiagnostic[] {
  const parsed = parseYaml(text);
  const out: ManifestDiagnostic[] = [];
  for (const doc of parsed.documents) for (const p of doc.problems) out.push({ range: p.range, code: 'YML001', severity: 'error', message: p.message });
  const withContent = parsed.documents.filter((d) => d.value !== undefined && d.value !== null);
  if (!withContent.length && !out.length) {
    const start = { line: 0, column: 0 };
    out.push({ range: { start, end: start }, code: 'CMP003', severity: 'error', message: 'The Compose file is empty: it needs at least a services: section' });
  }
  const env = environmentFor(options);
  for (const doc of withContent) out.push(...positionFindings(doc, documentFindings(doc, text, env, options)));
  return out;
}

function documentFindings(doc: ManifestDocument, text: string, env: EnvLookup, options: ComposeValidationOptions): PathFinding[] {
  // A document with syntax errors holds a best-effort value: judging it would bury the real error in noise.
  if (doc.problems.length) return [];
  const structural = structureFindings(doc.value, doc.nonStringKeys);
  if (structural.length || !isMapping(doc.value)) return structural;
  const { value, variablePaths, findings } = interpolateTree(doc.value, env);
  if (!isMapping(value)) return findings;
  const schema = schemaFindings(value, variablePaths);
  // "No image" is only the echo of a misspelt image/build key, which the schema finding already names with its fix.
  const misspelt = new Set(schema.filter((f) => f.fixes?.some((x) => x.replacement === 'image' || x.replacement === 'build')).map((f) => f.path[1]));
  return [
    ...findings,
    ...schema,
    ...referenceFindings(value),
    ...definitionFindings(value).filter((f) => !(f.code === 'CMP023' && misspelt.has(f.path[1]))),
    ...fileReferenceFindings(value, options.file, options.files),
    ...portQuotingFindings(value, doc, text),
  ];
}

function environmentFor(options: ComposeValidationOptions): EnvLookup {
  const dotenvText = options.file && options.files ? options.files.readText(path.join(path.dirname(options.file), '.env')) : undefined;
  const environment = options.environment ?? {};
  const dotenv = dotenvText ? parseDotenv(dotenvText, (name) => environment[name]) : new Map<string, string>();
  // The shell's environment wins over .env, as in compose.
  return (name) => environment[name] ?? dotenv.get(name);
}

interface Interpolated {
  value: unknown;
  /** JSON pointers of values that held variables: their type is only known at deploy time. */
  variablePaths: Set<string>;
  findings: PathFinding[];
}

/** Interpolates every string value (not keys; `x-` extensions included, as compose does). */
function interpolateTree(root: unknown, env: EnvLookup): Interpolated {
  const variablePaths = new Set<string>();
  const findings: PathFinding[] = [];
  const unsetReported = new Set<string>();
  const visit = (v: unknown, at: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('$')) return v;
      const r = interpolate(v, env);
      if (r.error) findings.push({ path: at, target: 'value', code: 'CMP030', severity: 'error', message: `Invalid interpolation in ${pathText(at)}: ${r.error}` });
      for (const req of r.required)
        findings.push({ path: at, target: 'value', code: 'CMP031', severity: 'warning', message: `Required variable ${req.name} has no value here${req.message ? `: ${req.message}` : ''} (compose will refuse to start)` });
      for (const name of r.unset) {
        if (unsetReported.has(name)) continue;
        unsetReported.add(name);
        findings.push({ path: at, target: 'value', code: 'CMP032', severity: 'info', message: `Variable ${name} is not set (in .env or the environment): compose will use an empty string` });
      }
      if (r.usedVariables) variablePaths.add(pathToPointer(at));
      return r.value;
    }
    if (Array.isArray(v)) return v.map((x, i) => visit(x, [...at, i]));
    if (isMapping(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = visit(x, [...at, k]);
      return out;
    }
    return v;
  };
  return { value: visit(root, []), variablePaths, findings };
}

/**
 * Port mappings written as plain YAML numbers: YAML 1.1 readers (docker-compose
 * v1, many tools around compose) read `22:22` as the base-60 number 1342, so
 * compose's documentation asks for quoted strings.
 */
function portQuotingFindings(root: Record<string, unknown>, doc: ManifestDocument, text: string): PathFinding[] {
  // Reading a scalar's source costs the exact parse: look only when the text has an unquoted number item at all.
  if (!/(?:^[ \t]*-[ \t]+|[[,][ \t]*)\d+(?::\d+)*[ \t]*(?:$|[,\]#])/m.test(text)) return [];
  const out: PathFinding[] = [];
  const services = isMapping(root.services) ? root.services : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isMapping(svc) || !Array.isArray(svc.ports)) continue;
    svc.ports.forEach((p, i) => {
      const at: ValuePath = ['services', name, 'ports', i];
      const source = doc.scalarSource(at);
      if (source === undefined || /^["']/.test(source) || !/^\d+(:\d+)*$/.test(source)) return;
      const sexagesimal = /^\d+(:[0-5]?\d)+$/.test(source);
      out.push({
        path: at,
        target: 'value',
        code: 'CMP026',
        severity: sexagesimal ? 'warning' : 'info',
        message: sexagesimal ? `Quote this port mapping: YAML 1.1 readers take ${source} for a base-60 number` : 'Port mappings are best written as quoted strings',
        fixes: [{ title: `Quote the port: "${source}"`, target: 'value', replacement: `"${source}"` }],
      });
    });
  }
  return out;
}
