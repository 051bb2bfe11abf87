import { memoize, memoizeInstruction } from '../memo';
import { isSpace, rangeIn, scanWords } from '../model';
import type { DockerfileModel, Placed, PlacedInstruction, Stage } from '../modelTypes';
import type { Flag, Instruction, Range } from '../types';

// Helpers shared by the instruction and label rules: walking instructions with
// their stage (including fragments before any FROM, which hadolint lints too),
// key=value pairs of ENV/LABEL/ARG, image references and stage references.

export type { Placed } from '../modelTypes';

// The walks and per-instruction readings below are memoized (see memo.ts):
// most rules start from them.

/** Every top-level instruction in file order with its stage (ONBUILD triggers not unwrapped): the instructions, which are their own placements. */
export const walk = (model: DockerfileModel): readonly Placed[] => model.instructions;

interface KeywordIndex {
  plain: Map<string, Placed[]>;
  /** With ONBUILD triggers, when the file has any. */
  withTriggers?: Map<string, Placed[]>;
}

const NONE: readonly Placed[] = Object.freeze([]);

/**
 * Instructions by keyword: most rules look at one or two keywords. The lists
 * are made at their size (counted first: lists grown by pushing left their
 * growth behind, and kept spare room to the end of the run), and the lists
 * with triggers differ from the plain ones only for the keywords triggers have.
 */
const keywordIndex = memoize((model: DockerfileModel): KeywordIndex => {
  // (Indexed loops here and in the other walks: they run over every instruction,
  // and an iterator object per step adds up before the code is optimized.)
  const placed = walk(model);
  const counts = new Map<string, number>();
  let triggers: Map<string, number> | undefined;
  for (let k = 0; k < placed.length; k++) {
    const ins = placed[k].instruction;
    counts.set(ins.keyword, (counts.get(ins.keyword) ?? 0) + 1);
    const t = ins.trigger;
    if (t && t.keyword !== ins.keyword) (triggers ??= new Map()).set(t.keyword, (triggers.get(t.keyword) ?? 0) + 1);
  }
  const plain = fill(placed, counts, false);
  if (!plain.has('ONBUILD')) return { plain };
  // Only the keywords of triggers get lists of their own with triggers; the others share the plain lists.
  const withTriggers = new Map(plain);
  if (triggers) {
    triggers.forEach((n, keyword) => triggers!.set(keyword, n + (counts.get(keyword) ?? 0)));
    fill(placed, triggers, true).forEach((list, keyword) => withTriggers.set(keyword, list));
  }
  return { plain, withTriggers };
});

/**
 * Lists of the instructions with the keywords in `sizes`, each list of that
 * size; `withTriggers`: ONBUILD triggers too (right after their ONBUILD,
 * placed in its stage by buildModel), which the sizes then count.
 */
function fill(placed: readonly Placed[], sizes: ReadonlyMap<string, number>, withTriggers: boolean): Map<string, Placed[]> {
  const lists = new Map<string, Placed[]>();
  const at = new Map<string, number>();
  sizes.forEach((n, keyword) => {
    lists.set(keyword, new Array(n));
    at.set(keyword, 0);
  });
  const add = (p: Placed) => {
    const list = lists.get(p.instruction.keyword);
    if (!list) return;
    const k = at.get(p.instruction.keyword)!;
    list[k] = p;
    at.set(p.instruction.keyword, k + 1);
  };
  for (let k = 0; k < placed.length; k++) {
    add(placed[k]);
    const t = withTriggers ? (placed[k].instruction.trigger as PlacedInstruction | undefined) : undefined;
    if (t && t.keyword !== placed[k].instruction.keyword) add(t);
  }
  return lists;
}

/** Instructions of one keyword, with ONBUILD triggers of that keyword when `onbuild`. */
export function instructionsOf(model: DockerfileModel, keyword: string, onbuild = false): readonly Placed[] {
  const index = keywordIndex(model);
  return (onbuild && index.withTriggers ? index.withTriggers : index.plain).get(keyword) ?? NONE;
}

/** Does the file have an instruction (or ONBUILD trigger) with this keyword? */
export function hasKeyword(model: DockerfileModel, keyword: string): boolean {
  const index = keywordIndex(model);
  return (index.withTriggers ?? index.plain).has(keyword);
}

/** Indexes of the stages (-1: before the first FROM) that have an instruction of this keyword. */
export function stagesWith(model: DockerfileModel, keyword: string): Set<number> {
  // A loop rather than a mapped list turned into a set: the list was garbage at once.
  const placed = instructionsOf(model, keyword);
  const out = new Set<number>();
  for (let k = 0; k < placed.length; k++) out.add(placed[k].stage?.index ?? -1);
  return out;
}

/**
 * Calls `fn` with the bounds of each stage's run of instructions in the walk,
 * in order (the instructions before the first FROM form a group of their own).
 * Bounds rather than a list per stage: thousands of lists on large files, kept
 * to the end of the run.
 */
export function eachStageGroup(model: DockerfileModel, fn: (placed: readonly Placed[], from: number, to: number) => void): void {
  const placed = walk(model);
  let from = 0;
  for (let k = 1; k <= placed.length; k++) {
    if (k < placed.length && placed[k].stage === placed[from].stage) continue;
    fn(placed, from, k);
    from = k;
  }
}

/**
 * Is one of the stage's ancestors (not the stage itself) in `indexes`? What
 * `lineage(stage).slice(1)` would answer, without the lists: rules ask it of
 * every stage of the file.
 */
export function ancestorIn(stage: Stage, indexes: ReadonlySet<number>): boolean {
  // A parent is always an earlier stage (FROM names only stages above it): the
  // walk stops at any other link, so it ends whatever model it is given.
  for (let child = stage, s = stage.parent; s && s.index < child.index; child = s, s = s.parent) if (indexes.has(s.index)) return true;
  return false;
}

/** The stage and its ancestors (stage first), following FROM <earlier stage>. */
export function lineage(stage: Stage | undefined): Stage[] {
  const out: Stage[] = [];
  for (let s = stage; s && !out.includes(s); s = s.parent) out.push(s);
  return out;
}

export interface WordAt {
  /** The word as written (quotes kept). */
  raw: string;
  /** The word with quotes and escapes removed. */
  text: string;
  range: Range;
}

/** A word of `rest`; its range is computed when asked for (most words are never reported). */
class RestWord implements WordAt {
  readonly text: string;

  constructor(
    private readonly ins: Instruction,
    private readonly offset: number,
    readonly raw: string,
  ) {
    this.text = unquoteWord(raw);
  }

  get range(): Range {
    return rangeIn(this.ins, this.offset, this.raw.length);
  }
}

/** Words of the instruction's arguments after its flags, with ranges. */
export const restWords: (ins: Instruction) => readonly WordAt[] = memoizeInstruction((ins: Instruction) => {
  const w = scanWords(ins.rest);
  const out: WordAt[] = new Array(w.count);
  for (let k = 0; k < w.count; k++) out[k] = new RestWord(ins, ins.restOffset + w.starts[k], w.texts[k]);
  return out;
});

const QUOTING = /["'\\]/;

/** Removes shell-style quoting from one word: "a b" → a b, 'x' → x, a\ b → a b. */
export function unquoteWord(word: string): string {
  if (!QUOTING.test(word)) return word; // nothing to remove (most words)
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) return out + word.slice(i + 1);
      out += word.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      for (i++; i < word.length && word[i] !== '"'; i++) {
        if (word[i] === '\\' && i + 1 < word.length && '"\\$`'.includes(word[i + 1])) i++;
        out += word[i];
      }
    } else if (c === '\\' && i + 1 < word.length) {
      out += word[++i];
    } else out += c;
  }
  return out;
}

const QUOTES_AT_ENDS = /^["']+|["']+$/g;
const isQuote = (c: string | undefined) => c === '"' || c === "'";

/** hadolint's dropQuotes: strips quote characters from both ends. */
export const dropQuotes = (s: string) => (isQuote(s[0]) || isQuote(s[s.length - 1]) ? s.replace(QUOTES_AT_ENDS, '') : s);

export interface Pair {
  key: string;
  keyRange: Range;
  /** Undefined for `ARG name` without a default. */
  value?: string;
  /** The value as written (quotes kept). */
  rawValue?: string;
  /** Range of the value (empty range right after `=` for `key=`). */
  valueRange?: Range;
  /** Offset of the value in the instruction's args. */
  valueOffset?: number;
}

/** A pair whose ranges are computed when asked for (most pairs are never reported). */
class KeyValue implements Pair {
  // Set in the constructor even when there is no value, so every pair has one shape.
  value: string | undefined = undefined;
  rawValue: string | undefined = undefined;
  valueOffset: number | undefined = undefined;

  constructor(
    private readonly ins: Instruction,
    readonly key: string,
    private readonly keyOffset: number,
    private readonly keyLength: number,
  ) {}

  setValue(rawValue: string, value: string, valueOffset: number): void {
    this.rawValue = rawValue;
    this.value = value;
    this.valueOffset = valueOffset;
  }

  get keyRange(): Range {
    return rangeIn(this.ins, this.keyOffset, this.keyLength);
  }

  get valueRange(): Range | undefined {
    return this.valueOffset === undefined ? undefined : rangeIn(this.ins, this.valueOffset, this.rawValue!.length);
  }
}

/**
 * The key/value pairs of ENV, LABEL or ARG. `ENV key value` and `LABEL key value`
 * (the legacy form: one pair, the value is the rest of the line) are understood too.
 */
export const pairsOf: (ins: Instruction) => readonly Pair[] = memoizeInstruction(readPairs);

function readPairs(ins: Instruction): Pair[] {
  const words = scanWords(ins.rest); // read before anything splits again
  const { count, texts, starts } = words;
  if (!count) return [];
  const base = ins.restOffset;
  const legacy = ins.keyword !== 'ARG' && unquotedIndex(texts[0], '=') < 0;
  if (legacy) {
    const pair = new KeyValue(ins, unquoteWord(texts[0]), base + starts[0], texts[0].length);
    if (count > 1) {
      const rawValue = ins.rest.slice(starts[1]).trimEnd();
      const parts: string[] = new Array(count - 1);
      for (let k = 1; k < count; k++) parts[k - 1] = unquoteWord(texts[k]);
      pair.setValue(rawValue, parts.join(' '), base + starts[1]);
    }
    return [pair];
  }
  const pairs: Pair[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const text = texts[k];
    const eq = unquotedIndex(text, '=');
    const rawKey = eq < 0 ? text : text.slice(0, eq);
    const pair = new KeyValue(ins, unquoteWord(rawKey), base + starts[k], rawKey.length);
    if (eq >= 0) {
      const rawValue = text.slice(eq + 1);
      pair.setValue(rawValue, unquoteWord(rawValue), base + starts[k] + eq + 1);
    }
    pairs[k] = pair;
  }
  return pairs;
}

/** Index of `ch` outside quotes, or -1. */
function unquotedIndex(s: string, ch: string): number {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === ch) return i;
  }
  return -1;
}

export interface ImageRef {
  /** Registry host when the first path component names one (has `.` or `:`, or is localhost). */
  registry?: string;
  /** Repository path without registry, tag or digest. */
  path: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const head = rest.slice(0, slash);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      registry = head;
      rest = rest.slice(slash + 1);
    }
  }
  return { registry, path: rest, tag, digest };
}

/**
 * The stage a `--from` value names, among stages before `beforeIndex`: a stage
 * name (case-insensitive, as builders look them up) or a stage number.
 */
export function stageByRef(model: DockerfileModel, ref: string, beforeIndex: number): Stage | undefined {
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    return n < beforeIndex ? model.stages[n] : undefined;
  }
  const named = stagesByName(model).get(ref.toLowerCase());
  if (!named) return undefined;
  for (let i = named.length - 1; i >= 0; i--) if (named[i].index < beforeIndex) return named[i];
  return undefined;
}

/**
 * The named stages by lower-case name, in file order: once per model (each
 * lookup lowered every earlier stage's name, and files reference stages
 * thousands of times).
 */
const stagesByName = memoize((model: DockerfileModel): Map<string, Stage[]> => {
  const out = new Map<string, Stage[]>();
  const stages = model.stages;
  for (let i = 0; i < stages.length; i++) {
    const name = stages[i].name;
    if (name === undefined) continue;
    const key = name.toLowerCase();
    const list = out.get(key);
    if (list) list.push(stages[i]);
    else out.set(key, [stages[i]]);
  }
  return out;
});

const NO_REFS: ReadonlyArray<{ ref: string; flag: Flag }> = Object.freeze([]);

/** `--from` of COPY and the `from=` of every RUN `--mount`, with the flag (its range is made only if asked for). */
export function fromRefs(ins: Instruction): ReadonlyArray<{ ref: string; flag: Flag }> {
  if (!ins.flags.length) return NO_REFS;
  const out: Array<{ ref: string; flag: Flag }> = [];
  for (const f of ins.flags) {
    if (f.value === undefined) continue;
    if (ins.keyword === 'COPY' && f.name === 'from') out.push({ ref: f.value, flag: f });
    if (ins.keyword === 'RUN' && f.name === 'mount') {
      for (const part of f.value.split(',')) {
        const [k, v] = part.split('=');
        if (k.trim() === 'from' && v) out.push({ ref: dropQuotes(v.trim()), flag: f });
      }
    }
  }
  return out;
}

/**
 * Stages whose result is used by another stage (as a FROM base, by COPY --from
 * or by a RUN --mount from=). The others are the build's final images, the only
 * ones a runtime concern (user, healthcheck) applies to.
 */
export const usedStages: (model: DockerfileModel) => ReadonlySet<Stage> = memoize((model: DockerfileModel) => {
  const used = new Set<Stage>();
  for (let k = 0; k < model.stages.length; k++) {
    const s = model.stages[k];
    if (s.parent) used.add(s.parent);
    for (let i = 0; i < s.instructions.length; i++) {
      const refs = fromRefs(s.instructions[i]);
      for (let r = 0; r < refs.length; r++) {
        const target = stageByRef(model, refs[r].ref, s.index);
        if (target) used.add(target);
      }
    }
  }
  return used;
});

/** Matches a registry against trusted patterns (`*` is a wildcard, as in `*.gcr.io`). */
export function matchesPattern(value: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

export interface SimpleCommand {
  name: string;
  args: string[];
}

/**
 * The simple commands of a RUN, quotes removed: shell form split on `;`, `&&`,
 * `||`, `|`, `&` and newlines (heredoc bodies included), exec form as one
 * command. Leading `NAME=value` assignments are dropped. Enough to spot a
 * command and its operands; not a shell parser.
 */
/** Not a quote, backslash, command separator or space: a character `shellCommands` copies as it is. */
function isOrdinary(c: number): boolean {
  return c !== 39 && c !== 34 && c !== 92 && c !== 59 && c !== 38 && c !== 124 && c !== 10 && !isSpace(c);
}

export function shellCommands(ins: Instruction): SimpleCommand[] {
  if (ins.json) return ins.json.length ? [{ name: ins.json[0], args: ins.json.slice(1) }] : [];
  const out: SimpleCommand[] = [];
  for (const script of [ins.rest, ...ins.heredocs.map((h) => h.body)]) {
    let words: string[] = [];
    let word: string | undefined;
    const endWord = () => {
      if (word !== undefined) words.push(word);
      word = undefined;
    };
    const endCommand = () => {
      endWord();
      while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
      if (words.length) out.push({ name: words[0], args: words.slice(1) });
      words = [];
    };
    for (let i = 0; i < script.length; i++) {
      const c = script[i];
      if (c === "'" || c === '"') {
        const end = script.indexOf(c, i + 1);
        const stop = end < 0 ? script.length : end;
        word = (word ?? '') + script.slice(i + 1, stop);
        i = stop;
      } else if (c === '\\' && i + 1 < script.length) {
        word = (word ?? '') + script[++i];
      } else if (c === ';' || c === '&' || c === '|' || c === '\n') {
        endCommand();
      } else if (isSpace(c.charCodeAt(0))) {
        endWord();
      } else {
        // A run of ordinary characters, appended at once (a string per character was most of this rule's garbage).
        let end = i + 1;
        while (end < script.length && isOrdinary(script.charCodeAt(end))) end++;
        word = (word ?? '') + script.slice(i, end);
        i = end - 1;
      }
    }
    endCommand();
  }
  return out;
}
