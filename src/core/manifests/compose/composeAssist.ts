// Completion and hover for Compose files, from the same schema that validates
// them: keys with their descriptions, enum values, and the names the file
// itself defines where a key refers to them (depends_on, networks, volumes,
// secrets, configs, extends).

import { parse } from 'yaml';
import { fastValues } from '../fastYaml';
import { cursorContext } from '../yamlCursor';
import { propertySchema, resolveRef, schemasAt, typesOf, type JsonSchema } from './schemaModel';
import { isMapping } from './values';

export interface CompletionEntry {
  label: string;
  kind: 'key' | 'value' | 'reference';
  /** Text to insert (a key gets ": " and, for mappings and lists, a new indented line). */
  insertText: string;
  detail?: string;
  documentation?: string;
}

export function composeCompletions(text: string, offset: number): CompletionEntry[] {
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  const refs = referenceNames(text);
  if (ctx.position === 'key') return keyCompletions(ctx.path, ctx.siblings, refs);
  const itemPath = ctx.position === 'item' ? [...ctx.path, 0] : ctx.path;
  const named = namesFor(itemPath, refs);
  if (named) return named.map((n) => ({ label: n, kind: 'reference', insertText: n }));
  const values = new Set<string>();
  for (const s of schemasAt(itemPath)) {
    for (const v of s.enum ?? []) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values.add(String(v));
    if (typesOf(s).includes('boolean')) ['true', 'false'].forEach((v) => values.add(v));
    for (const v of s.examples ?? []) if (typeof v === 'string') values.add(v);
  }
  const entries: CompletionEntry[] = [...values].map((v) => ({ label: v, kind: 'value', insertText: v }));
  // "- " in a list of mappings starts a mapping: offer its keys too.
  if (ctx.position === 'item') entries.push(...keyCompletions(itemPath, [], refs));
  return entries;
}

function keyCompletions(path: (string | number)[], siblings: string[], refs: References): CompletionEntry[] {
  // Keys of a service's depends_on / networks mapping are names, not schema properties. (The mapping's own path is
  // services.<name>.depends_on, three segments; this used to test for four and so never offered the names.)
  const named = path.length === 3 && path[0] === 'services' && (path[2] === 'depends_on' || path[2] === 'networks') ? namesFor([...path, 0], refs) : undefined;
  if (named) return named.filter((n) => !siblings.includes(n)).map((n) => ({ label: n, kind: 'reference', insertText: `${n}:` }));
  const seen = new Set(siblings);
  const out: CompletionEntry[] = [];
  for (const s of schemasAt(path)) {
    for (const [key, raw] of Object.entries(s.properties ?? {})) {
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ label: key, kind: 'key', insertText: keyInsertText(key, raw), detail: shapeOf(raw), documentation: describe(raw) });
    }
  }
  return out;
}

/** `key: ` for scalars; `key:` plus a new line for mappings and lists (the editor's indentation rules indent it). */
function keyInsertText(key: string, prop: JsonSchema): string {
  const types = new Set(branches(prop).flatMap(typesOf));
  const scalar = ['string', 'number', 'integer', 'boolean'].some((t) => types.has(t));
  return scalar || types.size === 0 ? `${key}: ` : `${key}:\n  `;
}

function branches(s: JsonSchema): JsonSchema[] {
  const r = resolveRef(s) ?? {};
  const alts = r.anyOf ?? r.oneOf;
  return alts ? alts.flatMap(branches) : [r];
}

function shapeOf(s: JsonSchema): string {
  const types = [...new Set(branches(s).flatMap(typesOf))].map((t) => (t === 'object' ? 'mapping' : t === 'array' ? 'list' : t));
  return types.join(' | ');
}

/** The property's own description wins over that of the definition it refers to. */
function describe(s: JsonSchema): string | undefined {
  const parts = [s.description ?? resolveRef(s)?.description ?? branches(s).find((b) => b.description)?.description];
  const e = branches(s).flatMap((b) => b.enum ?? []);
  if (e.length) parts.push(`Allowed: ${e.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (s.deprecated) parts.push('Deprecated.');
  return parts.filter(Boolean).join('\n\n') || undefined;
}

interface References {
  services: string[];
  networks: string[];
  volumes: string[];
  secrets: string[];
  configs: string[];
}

/** Names defined in the file, read tolerantly (the text is being typed). */
function referenceNames(text: string): References {
  let root: unknown;
  try {
    root = fastValues(text)?.[0] ?? parse(text, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'silent' });
  } catch {
    root = undefined;
  }
  const names = (section: string) => (isMapping(root) && isMapping(root[section]) ? Object.keys(root[section]) : []);
  return { services: names('services'), networks: names('networks'), volumes: names('volumes'), secrets: names('secrets'), configs: names('configs') };
}

/** For values that name something the file defines: those names. */
function namesFor(path: (string | number)[], refs: References): string[] | undefined {
  if (path[0] !== 'services' || path.length < 4) return undefined;
  const key = path[2];
  const tail = path.slice(3);
  const item = tail.length === 1 && typeof tail[0] === 'number';
  if (key === 'depends_on' && (item || tail.length === 1)) return refs.services.filter((s) => s !== path[1]);
  if (key === 'links' && item) return refs.services.filter((s) => s !== path[1]);
  if (key === 'extends' && tail[0] === 'service') return refs.services.filter((s) => s !== path[1]);
  if (key === 'networks' && (item || tail.length === 1)) return refs.networks;
  if ((key === 'secrets' || key === 'configs') && (item || (tail.length === 2 && tail[1] === 'source'))) return key === 'secrets' ? refs.secrets : refs.configs;
  if (key === 'volumes' && tail.length === 2 && tail[1] === 'source') return refs.volumes;
  if (key === 'volumes' && item) return refs.volumes.map((v) => `${v}:`);
  return undefined;
}

/** Hover text for the key under the cursor: its description from the schema. */
export function composeHover(text: string, offset: number): { markdown: string; start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  const m = /^(\s*(?:-\s+)?)([^\s#:][^#:]*?)\s*:(?:\s|$)/.exec(line);
  if (!m) return undefined;
  const start = lineStart + m[1].length;
  const end = start + m[2].length;
  if (offset < start || offset > end) return undefined;
  const ctx = cursorContext(text, end);
  if (!ctx) return undefined;
  // "- key" reads as a new list item until its colon is typed; here the colon is there, so it is the item's key.
  const path = ctx.position === 'key' ? ctx.path : ctx.position === 'item' ? [...ctx.path, 0] : ctx.path.slice(0, -1);
  const key = m[2];
  const candidates = schemasAt(path).map((s) => propertySchema(s, key)).filter((s): s is JsonSchema => !!s);
  const doc = candidates.map((c) => describe(c)).find(Boolean);
  if (!doc) return undefined;
  const shape = candidates.map((c) => shapeOf(c)).find(Boolean);
  return { markdown: `**${key}**${shape ? ` \u2014 ${shape}` : ''}\n\n${doc}`, start, end };
}
