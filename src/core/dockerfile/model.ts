import type { DockerfileModel, Stage } from './rule';
import type { Instruction, ParsedDockerfile, Range } from './types';

/** Stages, global ARGs and resolved base images: the structure most rules walk. */
export function buildModel(parsed: ParsedDockerfile): DockerfileModel {
  const globalArgs: Instruction[] = [];
  const globalArgDefaults = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  // Lower-cased stage name → the latest stage of that name (FROM <name> refers to it).
  const byName = new Map<string, Stage>();
  for (const ins of parsed.instructions) {
    if (ins.keyword === 'FROM') {
      const stage = stageOf(ins, stages.length, byName, globalArgDefaults);
      stages.push(stage);
      if (stage.name) byName.set(stage.name.toLowerCase(), stage);
      continue;
    }
    const stage = stages.length ? stages[stages.length - 1] : undefined;
    if (stage) stage.instructions.push(ins);
    else if (ins.keyword === 'ARG') {
      globalArgs.push(ins);
      for (const [name, value] of argDeclarations(ins.rest)) globalArgDefaults.set(name, value);
    }
  }
  return { parsed, globalArgs, globalArgDefaults, stages, instructions: parsed.instructions };
}

function stageOf(from: Instruction, index: number, byName: ReadonlyMap<string, Stage>, args: Map<string, string | undefined>): Stage {
  const words = wordsOf(from);
  const image = words[0]?.text ?? '';
  const imageRange = words[0] ? rangeIn(from, from.restOffset + words[0].start, words[0].text.length) : from.argsRange;
  let name: string | undefined;
  let nameRange: Range | undefined;
  if (words.length >= 3 && words[1].text.toLowerCase() === 'as') {
    name = words[2].text;
    nameRange = rangeIn(from, from.restOffset + words[2].start, name.length);
  }
  const resolvedImage = substitute(image, args);
  // Stage names are case-insensitive for lookups (builders lower-case them).
  const parent = resolvedImage === undefined ? undefined : byName.get(resolvedImage.toLowerCase());
  return { index, from, name, nameRange, image, imageRange, resolvedImage, parent, instructions: [] };
}

/** `ARG a=1 b` → [[a,'1'],[b,undefined]] (quotes around values removed). */
export function argDeclarations(rest: string): Array<[string, string | undefined]> {
  return splitWords(rest).map(({ text }) => {
    const eq = text.indexOf('=');
    if (eq < 0) return [text, undefined];
    return [text.slice(0, eq), unquote(text.slice(eq + 1))];
  });
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from `vars`;
 * undefined when a variable has no value and no default (the result would be
 * unknowable without build arguments).
 */
export function substitute(text: string, vars: { get(name: string): string | undefined }): string | undefined {
  if (!text.includes('$')) return text;
  let unknown = false;
  const out = text.replace(VARIABLE, (_m, braced: string, op: string, word: string, bare: string) => {
    const name = braced ?? bare;
    const value = vars.get(name);
    const set = value !== undefined && (op?.startsWith(':') ? value !== '' : true);
    if (op?.endsWith('-')) return set ? value! : word ?? '';
    if (op?.endsWith('+')) return set ? word ?? '' : '';
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : out;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
const QUOTED = /^(["']).*\1$/s;

/** A copy of a map (`new Map(map)` goes through the iterator protocol, slower for the many small maps copied per run). */
export function copyMap<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  map.forEach((v, k) => out.set(k, v));
  return out;
}

/** A copy of a set (see copyMap). */
export function copySet<T>(set: ReadonlySet<T>): Set<T> {
  const out = new Set<T>();
  set.forEach((v) => out.add(v));
  return out;
}

export interface Word {
  text: string;
  /** Offset in the string that was split. */
  start: number;
}

/**
 * Splits on unquoted whitespace, keeping quotes in the word text. A word is a
 * run of: a double-quoted string (backslash escapes inside; the closing quote
 * may be missing), a single-quoted string (likewise), a backslash and the
 * character after it (not a line break), or any other non-space character. A
 * backslash that escapes nothing belongs to no word. (The regular expression
 * `(?:"(?:[^"\\]|\\.)*"?|'[^']*'?|\\.|[^\s"'\\])+`, scanned by hand: one
 * match object per word was the largest allocation of a lint run.)
 */
export function splitWords(s: string): Word[] {
  const words: Word[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const start = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === DQUOTE) {
        for (i++; i < n; i++) {
          const d = s.charCodeAt(i);
          if (d === DQUOTE) {
            i++;
            break;
          }
          if (d === BACKSLASH) {
            if (!escapes(s, i)) break; // the word goes on (or ends) at this backslash
            i++;
          }
        }
      } else if (c === SQUOTE) {
        const close = s.indexOf("'", i + 1);
        i = close < 0 ? n : close + 1;
      } else if (c === BACKSLASH) {
        if (!escapes(s, i)) break;
        i += 2;
      } else if (isSpace(c)) break;
      else i++;
    }
    if (i > start) words.push({ text: s.slice(start, i), start });
    else i++; // a space, or a backslash that escapes nothing
  }
  return words;
}

const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** Does the backslash at `i` escape a character (`\\.`: any but a line break)? */
function escapes(s: string, i: number): boolean {
  if (i + 1 >= s.length) return false;
  const c = s.charCodeAt(i + 1);
  return c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029;
}

/** `\s` as regular expressions (and trim) read it. */
export function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The words of an instruction's `rest`. Not memoized: the readings built on it
 * (pairs, rest words) are, and keeping every word list alive until the end of
 * a run cost more in garbage collection than splitting twice.
 */
export const wordsOf = (ins: Instruction): Word[] => splitWords(ins.rest);

export function unquote(v: string): string {
  return QUOTED.test(v) ? v.slice(1, -1) : v;
}

/** The range of `length` characters at `offset` in the instruction's args. */
export function rangeIn(ins: Instruction, offset: number, length: number): Range {
  return { start: ins.argsPosition(offset), end: ins.argsPosition(offset + length) };
}
