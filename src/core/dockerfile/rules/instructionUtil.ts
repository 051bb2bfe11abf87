import { rangeIn, splitWords } from '../model';
import type { DockerfileModel, Stage } from '../rule';
import type { Instruction, Range } from '../types';

// Helpers shared by the instruction and label rules: walking instructions with
// their stage (including fragments before any FROM, which hadolint lints too),
// key=value pairs of ENV/LABEL/ARG, image references and stage references.

export interface Placed {
  instruction: Instruction;
  /** Undefined for instructions before the first FROM. */
  stage?: Stage;
}

/** Every top-level instruction in file order with its stage (ONBUILD triggers not unwrapped). */
export function walk(model: DockerfileModel): Placed[] {
  const byFrom = new Map(model.stages.map((s) => [s.from, s]));
  let stage: Stage | undefined;
  return model.instructions.map((instruction) => {
    if (instruction.keyword === 'FROM') stage = byFrom.get(instruction) ?? stage;
    return { instruction, stage };
  });
}

/** Instructions of one keyword, with ONBUILD triggers of that keyword when `onbuild`. */
export function instructionsOf(model: DockerfileModel, keyword: string, onbuild = false): Placed[] {
  const out: Placed[] = [];
  for (const p of walk(model)) {
    if (p.instruction.keyword === keyword) out.push(p);
    else if (onbuild && p.instruction.trigger?.keyword === keyword) out.push({ instruction: p.instruction.trigger, stage: p.stage });
  }
  return out;
}

/** Groups instructions by stage; instructions before the first FROM form their own group (key -1). */
export function groupByStage(model: DockerfileModel): Map<number, Placed[]> {
  const groups = new Map<number, Placed[]>();
  for (const p of walk(model)) {
    const key = p.stage?.index ?? -1;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  return groups;
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

/** Words of the instruction's arguments after its flags, with ranges. */
export function restWords(ins: Instruction): WordAt[] {
  return splitWords(ins.rest).map((w) => ({ raw: w.text, text: unquoteWord(w.text), range: rangeIn(ins, ins.restOffset + w.start, w.text.length) }));
}

/** Removes shell-style quoting from one word: "a b" → a b, 'x' → x, a\ b → a b. */
export function unquoteWord(word: string): string {
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

/** hadolint's dropQuotes: strips quote characters from both ends. */
export const dropQuotes = (s: string) => s.replace(/^["']+|["']+$/g, '');

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

/**
 * The key/value pairs of ENV, LABEL or ARG. `ENV key value` and `LABEL key value`
 * (the legacy form: one pair, the value is the rest of the line) are understood too.
 */
export function pairsOf(ins: Instruction): Pair[] {
  const words = splitWords(ins.rest);
  if (!words.length) return [];
  const base = ins.restOffset;
  const legacy = ins.keyword !== 'ARG' && unquotedIndex(words[0].text, '=') < 0;
  if (legacy) {
    const first = words[0];
    const second = words[1];
    const pair: Pair = { key: unquoteWord(first.text), keyRange: rangeIn(ins, base + first.start, first.text.length) };
    if (second) {
      const rawValue = ins.rest.slice(second.start).trimEnd();
      Object.assign(pair, { rawValue, value: words.slice(1).map((w) => unquoteWord(w.text)).join(' '), valueOffset: base + second.start, valueRange: rangeIn(ins, base + second.start, rawValue.length) });
    }
    return [pair];
  }
  return words.map((w) => {
    const eq = unquotedIndex(w.text, '=');
    const rawKey = eq < 0 ? w.text : w.text.slice(0, eq);
    const pair: Pair = { key: unquoteWord(rawKey), keyRange: rangeIn(ins, base + w.start, rawKey.length) };
    if (eq >= 0) {
      const rawValue = w.text.slice(eq + 1);
      const valueOffset = base + w.start + eq + 1;
      Object.assign(pair, { rawValue, value: unquoteWord(rawValue), valueOffset, valueRange: rangeIn(ins, valueOffset, rawValue.length) });
    }
    return pair;
  });
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
  const lower = ref.toLowerCase();
  for (let i = Math.min(beforeIndex, model.stages.length) - 1; i >= 0; i--) if (model.stages[i].name?.toLowerCase() === lower) return model.stages[i];
  return undefined;
}

/** `--from` of COPY and the `from=` of every RUN `--mount`, with the flag's range. */
export function fromRefs(ins: Instruction): Array<{ ref: string; range: Range }> {
  const out: Array<{ ref: string; range: Range }> = [];
  for (const f of ins.flags) {
    if (f.value === undefined) continue;
    if (ins.keyword === 'COPY' && f.name === 'from') out.push({ ref: f.value, range: f.range });
    if (ins.keyword === 'RUN' && f.name === 'mount') {
      for (const part of f.value.split(',')) {
        const [k, v] = part.split('=');
        if (k.trim() === 'from' && v) out.push({ ref: dropQuotes(v.trim()), range: f.range });
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
export function usedStages(model: DockerfileModel): Set<Stage> {
  const used = new Set<Stage>();
  for (const s of model.stages) {
    if (s.parent) used.add(s.parent);
    for (const ins of s.instructions) {
      for (const { ref } of fromRefs(ins)) {
        const target = stageByRef(model, ref, s.index);
        if (target) used.add(target);
      }
    }
  }
  return used;
}

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
      } else if (/\s/.test(c)) {
        endWord();
      } else word = (word ?? '') + c;
    }
    endCommand();
  }
  return out;
}
