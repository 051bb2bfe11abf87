import * as fs from 'node:fs';
import type { BuildFiles } from './buildFiles';
import { entryKind, statEntry, type ContextEntry, type EntryKind } from './contextWalk';
import { cleanPath, type IgnoreMatcher } from './dockerignore';

// A few named paths of a context, decided as the whole walk would decide them,
// without the whole walk. BuildKit's first request for the context local is
// narrowed to `.dockerignore`; answering it from the finished walk meant
// waiting for a walk of every file (and sorting and matching all of them) to
// send one file, while the build waits for that file before anything else.
// Here each named path is looked up along its own folders, with the walker's
// rules: the same per-pattern parent results (IgnoreMatcher.decide), an
// excluded folder the walker would not enter hides what is in it, links are
// not followed. A named folder (everything under it) needs the real walk.

/** fsutil's walk order: path segments compared one by one (a folder before what it holds). */
export function walkOrder(a: ContextEntry, b: ContextEntry): number {
  const x = a.path.split('/');
  const y = b.path.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

/**
 * The include patterns as plain paths (cleaned as IgnoreMatcher cleans them),
 * or undefined when one is anything else: a glob, an exception, the root, a
 * path outside it, one with spaces around it. Blank patterns are dropped.
 */
export function literalPaths(includes: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const raw of includes) {
    if (raw.trim() === '') continue;
    if (/[*?[\]\\]/.test(raw) || raw.startsWith('!') || raw.startsWith('/') || raw !== raw.trim()) return undefined;
    const p = cleanPath(raw);
    if (p === '.' || p === '..' || p.startsWith('../')) return undefined;
    out.push(p);
  }
  return out.length ? out : undefined;
}

/** Whether `path` is one of `literal` or below one (an include selects like an ignore pattern: the path or a folder above it). */
export function underAny(literal: ReadonlySet<string>, path: string): boolean {
  for (let p = path; ; ) {
    if (literal.has(p)) return true;
    const cut = p.lastIndexOf('/');
    if (cut < 0) return false;
    p = p.slice(0, cut);
  }
}

function entryOf(root: string, rel: string, st: fs.Stats, kind: EntryKind): ContextEntry {
  const e = statEntry(rel, kind, st);
  if (kind === 'symlink') e.linkTarget = fs.readlinkSync(`${root}/${rel}`);
  return e;
}

/**
 * The entries the walk would list for these paths (and the folders above
 * them), in walk order; undefined when one of them is a folder. A path that
 * is missing, excluded, or not readable as the walk reads it is left out.
 */
export function walkPaths(root: string, matcher: IgnoreMatcher, paths: readonly string[]): ContextEntry[] | undefined {
  const found = new Map<string, ContextEntry>();
  for (const target of paths) {
    const parts = target.split('/');
    const chain: ContextEntry[] = [];
    let parent: Uint8Array | undefined;
    let rel = '';
    let included = true;
    for (let i = 0; i < parts.length && included; i++) {
      rel = rel ? `${rel}/${parts[i]}` : parts[i];
      let st: fs.Stats;
      try {
        st = fs.lstatSync(`${root}/${rel}`);
      } catch {
        included = false;
        break;
      }
      const kind = entryKind(st);
      const last = i === parts.length - 1;
      if (last && kind === 'directory') return undefined;
      if (!last && kind !== 'directory') {
        included = false; // a file or link where a folder was named: the walk never goes through it
        break;
      }
      if (!last) {
        const out = matcher.size ? new Uint8Array(matcher.size) : undefined;
        const by = matcher.size ? matcher.decide(rel, parent, out) : -1;
        // An excluded folder is listed only when something inside is (which this path then is).
        if (by >= 0 && matcher.canSkipExcludedDir(rel)) included = false;
        parent = out;
        chain.push(entryOf(root, rel, st, 'directory'));
        continue;
      }
      if (!kind || (matcher.size && matcher.decide(rel, parent) >= 0)) included = false;
      else chain.push(entryOf(root, rel, st, kind));
    }
    if (included) for (const e of chain) found.set(e.path, e);
  }
  return [...found.values()].sort(walkOrder);
}

/**
 * The Dockerfile and ignore file when `present` lacks them: the docker CLI
 * sends both even when the ignore file excludes them (the engine reads them,
 * then drops them from what COPY sees).
 */
export function missingBuildFiles(root: string, files: BuildFiles, present: ReadonlySet<string>): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const file of [files.dockerfile, files.dockerignore]) {
    if (!file || present.has(file.relative) || out.some((e) => e.path === file.relative)) continue;
    const st = fs.lstatSync(`${root}/${file.relative}`);
    out.push(entryOf(root, file.relative, st, st.isSymbolicLink() ? 'symlink' : 'file'));
  }
  return out;
}

/** `entries` (a narrowed list) with the build files added when absent (missingBuildFiles), in walk order. */
export function withBuildFiles(root: string, files: BuildFiles, entries: readonly ContextEntry[]): ContextEntry[] {
  const missing = missingBuildFiles(root, files, new Set(entries.map((e) => e.path)));
  return missing.length ? [...entries, ...missing].sort(walkOrder) : [...entries];
}
