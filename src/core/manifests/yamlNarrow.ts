// Positions without parsing the whole file exactly. A finding's path starts
// with two mapping keys (`services`, `web`, ...; `spec`, `template`, ...). In
// block-style YAML the lines of that entry can be found by indentation alone;
// the exact parser then reads just those lines (every other line blanked, so
// line and column numbers stay those of the file). A 2,000-line Compose file
// with a finding is positioned in a few milliseconds instead of ~50.
//
// Anything the scan cannot be sure of gives up (undefined), and the caller
// parses the whole file: several documents, flow style at the top, a key found
// twice, a sequence where a mapping was expected, or an entry whose lines do
// not parse alone (an alias to an anchor elsewhere, a merge key).

import type { ValuePath } from './types';

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:\s|$)/m;

export interface NarrowedText {
  /** The file's text with only the entry's lines kept. */
  text: string;
  /** The entry's key: the root of the narrowed text (the rest of a path follows it). */
  key: string;
}

/** The lines holding `path[0]` → `path[1]`, or undefined when only the whole file can be trusted. */
export function narrowToEntry(text: string, path: ValuePath): NarrowedText | undefined {
  if (path.length < 2 || typeof path[0] !== 'string' || typeof path[1] !== 'string' || DOCUMENT_MARKER.test(text)) return undefined;
  const lines = text.split('\n');
  const top = findKeyLine(lines, 0, lines.length, 0, path[0]);
  if (top === undefined) return undefined;
  const topEnd = blockEnd(lines, top + 1, lines.length, 0);
  const childIndent = firstContentIndent(lines, top + 1, topEnd);
  if (childIndent === undefined || childIndent === 0) return undefined;
  const entry = findKeyLine(lines, top + 1, topEnd, childIndent, path[1]);
  if (entry === undefined) return undefined;
  const entryEnd = blockEnd(lines, entry + 1, topEnd, childIndent);
  const kept = lines.map((line, i) => (i >= entry && i < entryEnd ? line : ''));
  return { text: kept.join('\n'), key: path[1] };
}

/** The only line in [from, to) that holds `key:` at exactly `indent` with its value on the lines below. */
function findKeyLine(lines: string[], from: number, to: number, indent: number, key: string): number | undefined {
  let found: number | undefined;
  for (let i = from; i < to; i++) {
    const line = lines[i];
    const lead = leadingSpaces(line);
    if (lead !== indent || isBlankOrComment(line)) continue;
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"][^#]*?)\s*:(?:\s+(.*))?\r?$/.exec(line.slice(indent));
    if (!m || unquote(m[1]) !== key) continue;
    // A value on the key's line (flow collection, scalar, anchor, alias): leave it to the exact parser.
    if (m[2] !== undefined && m[2].trim() !== '' && !m[2].trim().startsWith('#')) return undefined;
    if (found !== undefined) return undefined;
    found = i;
  }
  return found;
}

/** First line at or after `from` whose content sits at `indent` or less (a sibling or a parent): the block ends there. */
function blockEnd(lines: string[], from: number, to: number, indent: number): number {
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (isBlankOrComment(line)) continue;
    const lead = leadingSpaces(line);
    // "key:\n- item" (a sequence at the key's own indent) still belongs to the key.
    if (lead < indent || (lead === indent && !/^-(\s|$)/.test(line.slice(lead)))) return i;
  }
  return to;
}

function firstContentIndent(lines: string[], from: number, to: number): number | undefined {
  for (let i = from; i < to; i++) {
    if (isBlankOrComment(lines[i])) continue;
    const lead = leadingSpaces(lines[i]);
    return /^-(\s|$)/.test(lines[i].slice(lead)) ? undefined : lead;
  }
  return undefined;
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

function isBlankOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key;
    }
  }
  return key.startsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key;
}
