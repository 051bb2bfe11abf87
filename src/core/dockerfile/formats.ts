import * as path from 'node:path';
import { hadolintUrl, ruleUrl, type Rule } from './rule';
import type { Finding, Severity } from './types';

// Report formats for `berth lint`, shaped like hadolint's so that existing CI
// plumbing (checkstyle publishers, GitHub code scanning, jq scripts) keeps
// working. Positions become 1-based here; ends stay exclusive, which is what
// SARIF's endColumn means too.

export type OutputFormat = 'text' | 'json' | 'sarif' | 'checkstyle';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'checkstyle'];

export interface FileResult {
  /** The path as the user gave it (`-` for stdin). */
  file: string;
  findings: Finding[];
  /** Why the file could not be linted; such files contribute no findings. */
  error?: string;
}

export interface FormatOptions {
  /** Directory that SARIF paths are made relative to (default: the process's). */
  cwd?: string;
  /** Berth's home page, recorded as the SARIF tool's informationUri. */
  informationUri?: string;
  /** Berth's version, recorded as the SARIF tool version. */
  version?: string;
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  aliases: string[];
  severity: Severity;
  message: string;
}

/** What SARIF needs to describe a code: Dockerfile rules and manifest codes both fit. */
export type RuleDescriptor = Pick<Rule, 'code' | 'severity' | 'message' | 'url' | 'rationale'>;

export function formatFindings(results: FileResult[], format: OutputFormat, rules: readonly RuleDescriptor[], opts: FormatOptions = {}): string {
  const linted = results.filter((r) => r.error === undefined);
  switch (format) {
    case 'json':
      return JSON.stringify(linted.flatMap(toJson), null, 2) + '\n';
    case 'text':
      return linted
        .flatMap(toJson)
        .map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.severity}: ${f.message.replace(/\r?\n/g, ' ')}\n`)
        .join('');
    case 'checkstyle':
      return toCheckstyle(linted);
    case 'sarif':
      return JSON.stringify(toSarif(results, rules, opts), null, 2) + '\n';
  }
}

function toJson(r: FileResult): JsonFinding[] {
  return r.findings.map((f) => ({
    file: r.file,
    line: f.range.start.line + 1,
    column: f.range.start.column + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.column + 1,
    code: f.code,
    aliases: f.aliases,
    severity: f.severity,
    message: f.message,
  }));
}

/** hadolint's checkstyle: one <file> per linted file (also when clean, so consumers see it was checked). */
function toCheckstyle(results: FileResult[]): string {
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<checkstyle version="4.3">`];
  for (const r of results) {
    out.push(`  <file name="${xml(r.file)}">`);
    for (const f of toJson(r))
      out.push(`    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${xml(f.message)}" source="${xml(f.code)}"/>`);
    out.push(`  </file>`);
  }
  out.push(`</checkstyle>`);
  return out.join('\n') + '\n';
}

/** Escapes for attribute values; also drops code points XML 1.0 cannot carry at all (a Dockerfile may contain them). */
export function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]);
}
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', style: 'note' };

/** Codes that are not Rule objects but still deserve a descriptor (GitHub shows it as the alert's title). */
function pseudoRule(code: string): { short: string; full?: string; url?: string } {
  if (code === 'DL1000') return { short: 'Dockerfile parse error', full: 'The Dockerfile could not be parsed at this point; the builder would reject it.' };
  if (code === 'BR0000') return { short: 'Berth rule failure', full: 'A Berth rule failed on this file; its findings are missing.' };
  if (/^SC\d+$/.test(code)) return { short: `ShellCheck ${code}`, url: `https://www.shellcheck.net/wiki/${code}` };
  if (/^DL\d{4}$/.test(code)) return { short: code, url: hadolintUrl(code) };
  return { short: code };
}

/** SARIF 2.1.0 as GitHub code scanning ingests it: relative URIs, 1-based regions, one descriptor per rule used. */
function toSarif(results: FileResult[], rules: readonly RuleDescriptor[], opts: FormatOptions) {
  const cwd = opts.cwd ?? process.cwd();
  const byCode = new Map(rules.map((r) => [r.code, r]));
  const descriptors: object[] = [];
  const indexOf = new Map<string, number>();
  const ruleIndex = (f: Finding) => {
    let i = indexOf.get(f.code);
    if (i !== undefined) return i;
    const rule = byCode.get(f.code);
    const p = rule ? undefined : pseudoRule(f.code);
    const short = rule?.message ?? p!.short;
    const full = rule?.rationale ?? p!.full ?? short;
    // helpUri must be an absolute URI; Berth's own rule pages ship inside the extension instead.
    const url = [rule ? ruleUrl(rule) : p!.url].find((u) => u && /^https?:\/\//.test(u));
    descriptors.push({
      id: f.code,
      ...(f.aliases.length ? { properties: { aliases: f.aliases } } : {}),
      shortDescription: { text: short },
      fullDescription: { text: full },
      ...(url ? { helpUri: url, help: { text: `${full}\n${url}`, markdown: `${full}\n\n[${f.code}](${url})` } } : {}),
      defaultConfiguration: { level: SARIF_LEVEL[rule?.severity ?? f.severity] },
    });
    i = descriptors.length - 1;
    indexOf.set(f.code, i);
    return i;
  };
  const sarifResults = results
    .filter((r) => r.error === undefined)
    .flatMap((r) =>
      r.findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: ruleIndex(f),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [location(r.file, cwd, f)],
      })),
    );
  const failed = results.filter((r) => r.error !== undefined);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'berth',
            // Berth has no published home page yet; SARIF makes this optional, so it is left out rather than invented.
            ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
            ...(opts.version ? { version: opts.version, semanticVersion: opts.version } : {}),
            rules: descriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: failed.length === 0,
            toolExecutionNotifications: failed.map((r) => ({
              level: 'error',
              message: { text: `${r.file}: ${r.error}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(r.file, cwd) } } }],
            })),
          },
        ],
        results: sarifResults,
      },
    ],
  };
}

function location(file: string, cwd: string, f: Finding) {
  const { start, end } = f.range;
  return {
    physicalLocation: {
      artifactLocation: { uri: sarifUri(file, cwd) },
      region: { startLine: start.line + 1, startColumn: start.column + 1, endLine: end.line + 1, endColumn: end.column + 1 },
    },
  };
}

/** A relative URI reference with forward slashes, each segment percent-encoded (a space is not valid in a URI). */
export function sarifUri(file: string, cwd: string): string {
  if (file === '-') return 'stdin';
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : path.normalize(file);
  return rel
    .split(/[\\/]+/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}
