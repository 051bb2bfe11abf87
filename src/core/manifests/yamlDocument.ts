// YAML with positions. Validators see plain values (anchors, aliases and merge
// keys already resolved, as the tools that read these files see them); this
// module keeps the parsed tree so a finding's path can be turned back into the
// exact range of the key or value it names, including values that reached the
// path through an alias or a `<<` merge.

import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import { fastValues, withinAliasBudget } from './fastYaml';
import { narrowToEntry } from './yamlNarrow';
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
}

/**
 * Values from the fast reader when it can be trusted (fastYaml.ts says when),
 * with positions from the exact parser computed only if a finding asks for one;
 * otherwise everything from the exact parser.
 */
export function parseYaml(text: string): ParsedYaml {
  const values = fastValues(text);
  if (!values) return parseYamlExact(text);
  let exact: ManifestDocument[] | undefined;
  const counterpart = (i: number): ManifestDocument | undefined => {
    exact ??= parseYamlExact(text).documents;
    if (exact.length === values.length) return exact[i];
    // The two count comment-only documents differently: pair the documents that hold something.
    const holds = (v: unknown) => v !== null && v !== undefined;
    return exact.filter((d) => holds(d.value))[values.slice(0, i).filter(holds).length];
  };
  // One document: a finding's entry (path[0] → path[1]) is usually enough to parse exactly (yamlNarrow.ts).
  const entries = new Map<string, { doc: ManifestDocument; key: string } | null>();
  const entry = (path: ValuePath) => {
    if (values.length !== 1 || path.length < 2) return undefined;
    const key = `${String(path[0])}\u0000${String(path[1])}`;
    if (!entries.has(key)) {
      const narrowed = narrowToEntry(text, path);
      const docs = narrowed && parseYamlExact(narrowed.text).documents;
      entries.set(key, narrowed && docs?.length === 1 && !docs[0].problems.length ? { doc: docs[0], key: narrowed.key } : null);
    }
    const found = entries.get(key);
    return found ? { doc: found.doc, path: [found.key, ...path.slice(2)] } : undefined;
  };
  const origin: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  return {
    documents: values.map((value, i) => ({
      value,
      problems: [],
      nonStringKeys: [],
      get range() {
        return counterpart(i)?.range ?? origin;
      },
      locate(path, target) {
        const e = entry(path);
        return e ? e.doc.locate(e.path, target) : counterpart(i)?.locate(path, target) ?? origin;
      },
      scalarSource(path) {
        const e = entry(path);
        return e ? e.doc.scalarSource(e.path) : counterpart(i)?.scalarSource(path);
      },
    })),
  };
}

/** The exact parser: every node's range, all syntax errors with recovery, non-string keys, the alias guard. */
export function parseYamlExact(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { merge: true, lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'silent' });
  const position = (offset: number): Position => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line - 1, column: p.col - 1 };
  };
  const range = (from: number, to: number): Range => ({ start: position(from), end: position(Math.max(from, to)) });
  const list = Array.isArray(docs) ? docs : [docs as unknown as Document];
  return { documents: list.map((doc) => wrapDocument(doc, text, range)) };
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
    // An alias inside its own anchor makes a cyclic value that no checker could walk.
    if (!withinAliasBudget(value)) throw new Error('alias refers to itself');
  } catch (err) {
    value = undefined;
    const r = doc.contents?.range ?? [0, 0];
    const reason = (err as Error).message;
    const message = /refers to itself/.test(reason)
      ? 'An alias refers to the anchor it is inside: the value would be infinite'
      : /alias/i.test(reason)
        ? `Aliases expand to too many values (more than ${MAX_ALIAS_COUNT} expansions): refusing to expand this document (an "alias bomb")`
        : reason;
    problems.push({ range: range(r[0], r[0]), message });
  }
  const contentStart = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const locateNode = (path: ValuePath, target: 'key' | 'value'): Range => {
    const found = walk(doc, path, text);
    const node = target === 'key' && found.pair?.key ? (found.pair.key as Node) : found.node ?? (found.pair?.key as Node | undefined);
    const r = node?.range;
    if (!r) return range(contentStart, contentStart);
    // For a collection value show only its first line: a whole mapping underlined is noise.
    if ((isMap(node) || isSeq(node)) && node.range) {
      let end = text.indexOf('\n', r[0]);
      // With CRLF line ends the line's last character is the \r, which is no part of the value.
      if (end > r[0] && text[end - 1] === '\r') end--;
      return range(r[0], end === -1 || end > r[1] ? r[1] : end);
    }
    return range(r[0], r[1]);
  };
  return {
    value,
    problems,
    nonStringKeys: collectNonStringKeys(doc, text),
    range: range(contentStart, contentStart),
    locate: locateNode,
    scalarSource(path) {
      const { node } = walk(doc, path, text);
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
function walk(doc: Document, path: ValuePath, text: string): WalkResult {
  let node = deref(doc, doc.contents as Node | null);
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const p = findPair(doc, node, String(segment), 0, text);
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
function findPair(doc: Document, map: Node, key: string, depth: number, source: string): Pair | undefined {
  if (!isMap(map) || depth > 20) return undefined;
  const merges: Node[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = item.key;
    if (isScalar(k) && typeof k.value === 'symbol') {
      merges.push(item.value as Node);
      continue;
    }
    if (keyText(k as Node | null, source) === key) return item as Pair;
  }
  for (const m of merges) {
    const sources = isSeq(m) ? (m.items as Node[]) : [m];
    for (const s of sources) {
      const found = findPair(doc, deref(doc, s) as Node, key, depth + 1, source);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * How a path names a mapping key: a scalar by its value ("null" for an empty
 * key), a collection key (`? [a, b]`) by its source text, so that the paths
 * collectNonStringKeys reports lead back to the key.
 */
function keyText(k: Node | null | undefined, source: string): string {
  if (isScalar(k)) return k.value === null || k.value === undefined ? 'null' : String(k.value);
  if (k?.range) return source.slice(k.range[0], k.range[1]);
  return 'null';
}

function collectNonStringKeys(doc: Document, text: string): { path: ValuePath; key: string }[] {
  const out: { path: ValuePath; key: string }[] = [];
  const seen = new Set<Node>();
  const visit = (node: Node | null | undefined, path: (string | number)[]): void => {
    if (!node || seen.has(node) || path.length > 64) return;
    seen.add(node);
    if (isMap(node)) {
      for (const item of node.items) {
        const k = item.key as Node | null;
        if (isScalar(k) && typeof k.value === 'symbol') continue;
        // Collection keys used to be named "null" like empty ones, so their findings pointed at the wrong key.
        const name = keyText(k, text);
        if (!isScalar(k) || typeof k.value !== 'string') out.push({ path: [...path, name], key: name });
        visit(item.value as Node, [...path, name]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item as Node, [...path, i]));
  };
  visit(doc.contents as Node, []);
  return out;
}

/** Turns path findings into positioned diagnostics for one document. */
export function positionFindings(doc: ManifestDocument, findings: PathFinding[]): ManifestDiagnostic[] {
  return findings.map((f) => {
    let range = doc.locate(f.path, f.target);
    // An empty value (`web:` with nothing after it) has a zero-width range after the colon, which editors barely
    // show: underline its key instead. (Fixes keep the exact place: they may insert there.)
    if (f.target === 'value' && range.start.line === range.end.line && range.start.column === range.end.column) range = doc.locate(f.path, 'key');
    const fixes = f.fixes?.map((fix) => ({ title: fix.title, range: doc.locate(f.path, fix.target), newText: fix.replacement }));
    return { range, code: f.code, severity: f.severity, message: f.message, ...(fixes?.length ? { fixes } : {}) };
  });
}
