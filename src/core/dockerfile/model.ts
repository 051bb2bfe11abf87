import type { DockerfileModel, PlacedInstruction, Stage } from './modelTypes';
import type { Instruction, ParsedDockerfile, Range } from './types';

/** Stages, global ARGs and resolved base images: the structure most rules walk. */
export function buildModel(parsed: ParsedDockerfile): DockerfileModel {
  const globalArgs: Instruction[] = [];
  const globalArgDefaults = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  // Lower-cased stage name → the latest stage of that name (FROM <name> refers to it).
  const byName = new Map<string, Stage>();
  // The parser's instructions (and their triggers) are ParsedInstructions, each its own placement (see PlacedInstruction).
  const list = parsed.instructions as PlacedInstruction[];
  let from = -1; // the index of the current stage's FROM
  for (let k = 0; k < list.length; k++) {
    const ins = list[k];
    if (ins.keyword === 'FROM') {
      if (from >= 0) stages[stages.length - 1].instructions = list.slice(from + 1, k);
      const stage = stageOf(ins, stages.length, byName, globalArgDefaults);
      stages.push(stage);
      if (stage.name) byName.set(stage.name.toLowerCase(), stage);
      from = k;
    }
    const stage = from < 0 ? undefined : stages[stages.length - 1];
    ins.stage = stage;
    if (ins.trigger) (ins.trigger as PlacedInstruction).stage = stage; // a ParsedInstruction too
    if (from < 0 && ins.keyword === 'ARG') {
      globalArgs.push(ins);
      for (const [name, value] of argDeclarations(ins.rest)) globalArgDefaults.set(name, value);
    }
  }
  // A stage's instructions are the ones up to the next FROM: a slice, at its exact size.
  if (from >= 0) stages[stages.length - 1].instructions = list.slice(from + 1);
  return { parsed, globalArgs, globalArgDefaults, stages, instructions: list, memo: undefined };
}

function stageOf(from: Instruction, index: number, byName: ReadonlyMap<string, Stage>, args: Map<string, string | undefined>): Stage {
  const { count, texts, starts } = scanWords(from.rest);
  const image = count ? texts[0] : '';
  const imageStart = count ? starts[0] : -1;
  const named = count >= 3 && texts[1].toLowerCase() === 'as';
  const name = named ? texts[2] : undefined;
  const nameStart = named ? starts[2] : -1;
  const resolvedImage = substitute(image, args);
  // Stage names are case-insensitive for lookups (builders lower-case them).
  const parent = resolvedImage === undefined ? undefined : byName.get(resolvedImage.toLowerCase());
  return new ParsedStage(index, from, name, nameStart, image, imageStart, resolvedImage, parent);
}

const NO_INSTRUCTIONS: Instruction[] = [];

/** A stage; the ranges of its image and name are made when asked for (few are ever reported). */
class ParsedStage implements Stage {
  /** Set by buildModel once the stage's last instruction is known. */
  instructions: Instruction[] = NO_INSTRUCTIONS;
  private imageRangeCache: Range | undefined = undefined;
  private nameRangeCache: Range | undefined = undefined;

  constructor(
    readonly index: number,
    readonly from: Instruction,
    readonly name: string | undefined,
    /** Offsets in the FROM's `rest`; -1 when absent. */
    private readonly nameStart: number,
    readonly image: string,
    private readonly imageStart: number,
    readonly resolvedImage: string | undefined,
    readonly parent: Stage | undefined,
  ) {}

  get imageRange(): Range {
    const from = this.from;
    return (this.imageRangeCache ??= this.imageStart >= 0 ? rangeIn(from, from.restOffset + this.imageStart, this.image.length) : from.argsRange);
  }

  get nameRange(): Range | undefined {
    if (this.name === undefined) return undefined;
    return (this.nameRangeCache ??= rangeIn(this.from, this.from.restOffset + this.nameStart, this.name.length));
  }
}

/** `ARG a=1 b` → [[a,'1'],[b,undefined]] (quotes around values removed). */
export function argDeclarations(rest: string): Array<[string, string | undefined]> {
  const { count, texts } = scanWords(rest);
  const out: Array<[string, string | undefined]> = new Array(count);
  for (let k = 0; k < count; k++) {
    const text = texts[k];
    const eq = text.indexOf('=');
    out[k] = eq < 0 ? [text, undefined] : [text.slice(0, eq), unquote(text.slice(eq + 1))];
  }
  return out;
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from `vars`;
 * undefined when a variable has no value and no default (the result would be
 * unknowable without build arguments).
 */
export function substitute(text: string, vars: { get(name: string): string | undefined }): string | undefined {
  if (!text.includes('$')) return text;
  // The expression /\$(?:\{(NAME)(?:(:?[-+])([^}]*))?\}|(NAME))/g, scanned by
  // hand: it runs for most ENV and FROM lines, and a replace with a callback
  // allocated per call. A `$` that starts no reference stays as written.
  let unknown = false;
  let out = '';
  let from = 0; // start of the text not yet copied
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i)) {
    let name: string;
    let op: string | undefined;
    let word: string | undefined;
    let end: number; // just past the reference
    if (text.charCodeAt(i + 1) === 123 /* { */ && isNameStart(text.charCodeAt(i + 2))) {
      let k = i + 3;
      while (isNameChar(text.charCodeAt(k))) k++;
      name = text.slice(i + 2, k);
      const close = text.indexOf('}', k);
      const opLength = text[k] === ':' ? 2 : 1;
      const sign = text[k + opLength - 1];
      if ((sign === '-' || sign === '+') && close >= k + opLength) {
        op = text.slice(k, k + opLength);
        word = text.slice(k + opLength, close);
        end = close + 1;
      } else if (text[k] === '}') end = k + 1;
      else {
        i++; // not a reference (and `$` followed by `{` is no bare one either)
        continue;
      }
    } else if (isNameStart(text.charCodeAt(i + 1))) {
      let k = i + 2;
      while (isNameChar(text.charCodeAt(k))) k++;
      name = text.slice(i + 1, k);
      end = k;
    } else {
      i++;
      continue;
    }
    const value = vars.get(name);
    const set = value !== undefined && (op?.startsWith(':') ? value !== '' : true);
    let replacement: string;
    if (op?.endsWith('-')) replacement = set ? value! : (word ?? '');
    else if (op?.endsWith('+')) replacement = set ? (word ?? '') : '';
    else {
      if (value === undefined) unknown = true;
      replacement = value ?? '';
    }
    out += text.slice(from, i) + replacement;
    from = i = end;
  }
  return unknown ? undefined : out + text.slice(from);
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const QUOTED = /^(["']).*\1$/s;

/** A copy of a map (`new Map(map)` goes through the iterator protocol, slower for the many small maps copied per run). */
export function copyMap<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  map.forEach((v, k) => out.set(k, v));
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
  const scan = scanWords(s);
  const words: Word[] = new Array(scan.count);
  for (let k = 0; k < scan.count; k++) words[k] = { text: scan.texts[k], start: scan.starts[k] };
  return words;
}

/** Words as parallel lists; `count` of them are valid. */
export interface WordScan {
  count: number;
  texts: string[];
  starts: number[];
}

const SCAN: WordScan = { count: 0, texts: [], starts: [] };

/**
 * `splitWords` without an object per word, for readers that turn the words
 * into objects of their own at once: the result is a scratch that the next
 * call (of either function) overwrites, so read it before splitting again.
 */
export function scanWords(s: string): WordScan {
  const scan = SCAN;
  scan.count = 0;
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
    if (i > start) {
      scan.texts[scan.count] = s.slice(start, i);
      scan.starts[scan.count] = start;
      scan.count++;
    } else i++; // a space, or a backslash that escapes nothing
  }
  return scan;
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

export function unquote(v: string): string {
  return QUOTED.test(v) ? v.slice(1, -1) : v;
}

/** The range of `length` characters at `offset` in the instruction's args. */
export function rangeIn(ins: Instruction, offset: number, length: number): Range {
  return { start: ins.argsPosition(offset), end: ins.argsPosition(offset + length) };
}
