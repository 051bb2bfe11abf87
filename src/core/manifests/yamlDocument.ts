// YAML with positions. Validators see plain values (anchors, aliases and merge
// keys already resolved, as the tools that read these files see them); this
// module keeps the parsed tree so a finding's path can be turned back into the
// exact range of the key or value it names, including values that reached the
// path through an alias or a `<<` merge.

import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { ManifestDiagnostic, PathFinding, Position, Range, ValuePath } from './types';

/** Alias-bomb guard: how many alias expansions one document may cost (yaml's own default is 100 per alias). */
const MAX_ALIAS_COUNT = 1000;

export interface YamlProblem {
  range: Range;
  message: string;
}

export interface ManifestDocument {
  /** The resolved value (undefined for an empty document or one that failed to convert). */
  value: unknown;
  /** Syntax problems of this document; a document with problems still has a best-effort value. */
  problems: YamlProblem[];
  /** Keys that are not strings (numbers, booleans, null), with their paths; most manifest formats reject them. */
  nonStringKeys: { path: ValuePath; key: string }[];
  /** Where the document's content starts (for file-level findings). */
  range: Range;
  /** The range of the key or value at `path`; falls back to the nearest existing ancestor. */
  locate(path: ValuePath, target: 'key' | 'value'): Range;
  /** The exact source text of the scalar at `path`, when it is one. */
  scalarSource(path: ValuePath): string | undefined;
}

export interface ParsedYaml {
  documents: ManifestDocument[];
  lineCounter: LineCounter;
  /** Position of a character offset. */
  position(offset: number): Position;
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { merge: true, lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const position = (offset: number): Position => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line - 1, column: p.col - 1 };
  };
  const range = (from: number, to: number): Range => ({ start: position(from), end: position(Math.max(from, to)) });
  const list = Array.isArray(docs) ? docs : [docs as unknown as Document];
  return { documents: list.map((doc) => wrapDocument(doc, text, range)), lineCounter, position };
}

function wrapDocument(doc: Document, text: string, range: (from: number, to: number) => Range): ManifestDocument {
  const problems: YamlProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    // yaml's messages repeat the line and a code excerpt after a colon; the editor shows the place already.
    const message = e.message.split(/ at line \d+, column \d+/)[0].trim();
    problems.push({ range: range(e.pos[0], e.pos[1]), message });
  }
  let value: unknown;
  try {
    value = doc.contents === null ? undefined : doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    value = undefined;
    const r = doc.contents?.range ?? [0, 0];
    const message = /alias/i.test((err as Error).message)
      ? 'Aliases expand to too many values (more than ' + MAX_ALIAS_COUNT + '): refusing to expand this document (an "alias bomb")'
      : (err as Error).message;
    problems.push({ range: range(r[0], r[0]), message });
  }
  const contentStart = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const locateNode = (path: ValuePath, target: 'key' | 'value'): Range => {
    const found = walk(doc, path);
    const node = target === 'key' && found.pair?.key ? (found.pair.key as Node) : found.node ?? (found.pair?.key as Node | undefined);
    const r = node?.range;
    if (!r) return range(contentStart, contentStart);
    // For a collection value show only its first line: a whole mapping underlined is noise.
    if ((isMap(node) || isSeq(node)) && node.range) {
      const end = text.indexOf('\n', r[0]);
      return range(r[0], end === -1 || end > r[1] ? r[1] : end);
    }
    return range(r[0], r[1]);
  };
  return {
    value,
    problems,
    nonStringKeys: collectNonStringKeys(doc),
    range: range(contentStart, contentStart),
    locate: locateNode,
    scalarSource(path) {
      const { node } = walk(doc, path);
      if (!isScalar(node) || !node.range) return undefined;
      return text.slice(node.range[0], node.range[1]);
    },
  };
}

interface WalkResult {
  /** The node at the path (or the deepest one reached). */
  node?: Node;
  /** The mapping pair whose key is the path's last segment, when the path ends in a key. */
  pair?: Pair;
}

/** Follows a path through maps, sequences, aliases and merge keys. */
function walk(doc: Document, path: ValuePath): WalkResult {
  let node = deref(doc, doc.contents as Node | null);
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const p = findPair(doc, node, String(segment), 0);
      if (!p) break;
      pair = p;
      node = deref(doc, p.value as Node | null) ?? undefined;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      pair = undefined;
      node = deref(doc, node.items[segment] as Node | null) ?? undefined;
    } else break;
    if (!node) break;
  }
  return { node: node ?? undefined, pair };
}

function deref(doc: Document, node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  for (let hops = 0; n && isAlias(n) && hops < 50; hops++) n = ((n as Alias).resolve(doc) as Node | undefined) ?? undefined;
  return n;
}

/** The pair for `key` in a map: its own keys first (they win over merged ones), then `<<` sources in order. */
function findPair(doc: Document, map: Node, key: string, depth: number): Pair | undefined {
  if (!isMap(map) || depth > 20) return undefined;
  const merges: Node[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = item.key;
    if (isScalar(k) && typeof k.value === 'symbol') {
      merges.push(item.value as Node);
      continue;
    }
    const text = isScalar(k) ? String(k.value) : undefined;
    if (text === key) return item as Pair;
  }
  for (const m of merges) {
    const sources = isSeq(m) ? (m.items as Node[]) : [m];
    for (const s of sources) {
      const found = findPair(doc, deref(doc, s) as Node, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function collectNonStringKeys(doc: Document): { path: ValuePath; key: string }[] {
  const out: { path: ValuePath; key: string }[] = [];
  const seen = new Set<Node>();
  const visit = (node: Node | null | undefined, path: (string | number)[]): void => {
    if (!node || seen.has(node) || path.length > 64) return;
    seen.add(node);
    if (isMap(node)) {
      for (const item of node.items) {
        const k = item.key as Node | null;
        if (isScalar(k) && typeof k.value === 'symbol') continue;
        const keyValue = isScalar(k) ? k.value : undefined;
        const keyText = keyValue === null || keyValue === undefined ? 'null' : String(keyValue);
        if (!isScalar(k) || typeof keyValue !== 'string') out.push({ path: [...path, keyText], key: keyText });
        visit(item.value as Node, [...path, keyText]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item as Node, [...path, i]));
  };
  visit(doc.contents as Node, []);
  return out;
}

/** Turns path findings into positioned diagnostics for one document. */
export function positionFindings(doc: ManifestDocument, findings: PathFinding[]): ManifestDiagnostic[] {
  return findings.map((f) => {
    const range = doc.locate(f.path, f.target);
    const fixes = f.fixes?.map((fix) => ({ title: fix.title, range: doc.locate(f.path, fix.target), newText: fix.replacement }));
    return { range, code: f.code, severity: f.severity, message: f.message, ...(fixes?.length ? { fixes } : {}) };
  });
}
