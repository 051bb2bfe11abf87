import { memoize, memoizeInstruction } from '../memo';
import { copyMap, copySet, wordsOf } from '../model';
import { imageEnv, isWindowsImage } from './baseImages';

export { imageRepository, isWindowsImage } from './baseImages';
import type { DockerfileModel, Stage } from '../rule';
import type { Instruction } from '../types';
import { levenshtein } from '../../util/editDistance';


// Variable expansion as BuildKit performs it for the checks that look at
// variables (UndefinedVar, UndefinedArgInFrom, InvalidDefaultArgInFrom,
// WorkdirRelativePath, the EXPOSE checks). BuildKit decides these while it
// dispatches each stage, so the walk below replays that dispatch: ARG and ENV
// add variables in order, a stage built FROM an earlier stage starts with that
// stage's variables, and any other base image contributes only what is known
// about it without pulling it.

/** A variable's value: a string, null when it is set but its value cannot be known here, undefined when unset. */
export type Resolver = (name: string) => string | null | undefined;

export interface VarRef {
  name: string;
  /** Offsets of `$name` / `${...}` in the expanded text. */
  start: number;
  end: number;
  set: boolean;
}

export interface Expansion {
  /** The expanded text; undefined when it depends on an unknown value or the syntax is broken. */
  value: string | undefined;
  refs: VarRef[];
}

/** Parameters the shell reserves: `$@`, `$?`, ... are names of their own to the builder. */
const SPECIAL = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

/**
 * Expands `$name`, `${name}` and the `${name<op>word}` forms, recording every
 * reference. With `quotes`, single quotes suppress expansion and double quotes
 * are removed (instruction arguments); without, quotes are text (heredoc bodies).
 */
export function expandWord(text: string, resolve: Resolver, opts: { escape?: string; quotes?: boolean } = {}): Expansion {
  const escape = opts.escape ?? '\\';
  const quotes = opts.quotes ?? true;
  if (isPlain(text, escape, quotes)) return { value: text, refs: [] }; // nothing to expand or remove
  const e = new Expander(text, resolve, escape, quotes);
  let value = '';
  let broken = false;
  try {
    value = e.run();
  } catch {
    broken = true;
  }
  return { value: e.unknown || broken ? undefined : value, refs: e.refs };
}

/** Text without `$`, the escape character and (when they count) quotes expands to itself. */
function isPlain(text: string, escape: string, quotes: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' || c === escape || (quotes && (c === '"' || c === "'"))) return false;
  }
  return true;
}

/** Name characters after `$`: letters, digits and `_` (Unicode letters and digits too, as BuildKit reads them). */
function isNameChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return UNICODE_NAME_CHAR.test(c);
}
const UNICODE_NAME_CHAR = /[\p{L}\p{N}_]/u;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The state of one expansion (a class rather than closures: it runs for most instructions). */
class Expander {
  readonly refs: VarRef[] = [];
  unknown = false;
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly resolve: Resolver,
    private readonly esc: string,
    private readonly quotes: boolean,
  ) {}

  private lookup(name: string, start: number, end: number) {
    const v = this.resolve(name);
    this.refs.push({ name, start, end, set: v !== undefined });
    return v;
  }

  private readName(): string {
    const { text } = this;
    const from = this.i;
    if (isDigit(text[this.i])) {
      while (isDigit(text[this.i])) this.i++;
    } else if (SPECIAL.has(text[this.i])) {
      this.i++;
    } else {
      while (this.i < text.length && isNameChar(text[this.i])) this.i++;
    }
    return text.slice(from, this.i);
  }

  private dollar(): string {
    const { text } = this;
    const start = this.i++;
    if (text[this.i] !== '{') {
      const name = this.readName();
      if (!name) return '$';
      const v = this.lookup(name, start, this.i);
      if (v === null) this.unknown = true;
      return v ?? '';
    }
    this.i++;
    if (this.i >= text.length || '{}:'.includes(text[this.i])) throw new Error('bad substitution');
    const name = this.readName();
    let op = text[this.i++] ?? '';
    if (op === '}') {
      const v = this.lookup(name, start, this.i);
      if (v === null) this.unknown = true;
      return v ?? '';
    }
    const colon = op === ':';
    if (colon) op = text[this.i++] ?? '';
    if (op === '/') {
      if (text[this.i] === '/') this.i++;
      this.run('/');
      this.run('}');
      const v = this.lookup(name, start, this.i);
      if (v !== undefined) this.unknown = true; // pattern replacement: not worth evaluating
      return '';
    }
    if (!op || !'+-?#%'.includes(op)) throw new Error('unsupported modifier');
    const word = this.run('}');
    const v = this.lookup(name, start, this.i);
    const empty = v === undefined || (colon && v === '');
    if (v === null && op !== '?') this.unknown = true;
    if (op === '-') return empty ? word : (v ?? '');
    if (op === '+') return empty ? '' : word;
    if (op === '?') {
      if (empty) throw new Error(`${name}: not set`);
      if (v === null) this.unknown = true;
      return v ?? '';
    }
    if (v !== undefined) this.unknown = true; // # and % trim patterns: not worth evaluating
    return '';
  }

  /** Processes text up to `stop` (consumed) or the end. */
  run(stop?: string): string {
    const { text, esc, quotes } = this;
    let out = '';
    while (this.i < text.length) {
      const c = text[this.i];
      if (stop !== undefined && c === stop) {
        this.i++;
        return out;
      }
      if (c === '$') out += this.dollar();
      else if (quotes && c === "'") {
        const end = text.indexOf("'", this.i + 1);
        if (end < 0) throw new Error('unterminated quote');
        out += text.slice(this.i + 1, end);
        this.i = end + 1;
      } else if (quotes && c === '"') {
        this.i++;
        for (;;) {
          if (this.i >= text.length) throw new Error('unterminated quote');
          const d = text[this.i];
          if (d === '"') {
            this.i++;
            break;
          }
          if (d === '$') out += this.dollar();
          else if (d === esc && this.i + 1 < text.length && (text[this.i + 1] === '"' || text[this.i + 1] === '$' || text[this.i + 1] === esc)) {
            out += text[this.i + 1];
            this.i += 2;
          } else {
            out += d;
            this.i++;
          }
        }
      } else if (c === esc) {
        if (this.i + 1 < text.length) out += text[this.i + 1];
        this.i += 2;
      } else {
        out += c;
        this.i++;
      }
    }
    if (stop !== undefined) throw new Error(`missing ${stop}`);
    return out;
  }
}

/** BuildKit's "did you mean": the closest option at distance 1 or 2 (case-sensitive), none on an exact match. */
export function suggest(name: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let min = 3;
  for (const o of options) {
    if (o === name) return undefined;
    const d = levenshtein(name, o);
    if (d < min) {
      min = d;
      best = o;
    }
  }
  return best;
}

/**
 * The platform ARGs BuildKit defines in the global scope, with the values of a
 * typical linux/amd64 build: only their shape matters to the checks (is the
 * image name valid, is the path absolute).
 */
export const PREDEFINED_ARGS: ReadonlyMap<string, string> = new Map([
  ['BUILDPLATFORM', 'linux/amd64'],
  ['BUILDOS', 'linux'],
  ['BUILDARCH', 'amd64'],
  ['BUILDVARIANT', ''],
  ['TARGETPLATFORM', 'linux/amd64'],
  ['TARGETOS', 'linux'],
  ['TARGETARCH', 'amd64'],
  ['TARGETVARIANT', ''],
  ['TARGETSTAGE', ''],
]);

export interface GlobalScope {
  /** Every ARG name declared before the first FROM, in order. */
  declared: string[];
  /** Global ARGs with a value (defaults expanded in order), plus the predefined platform ARGs. */
  env: Map<string, string | null>;
}

/** The global scope as BuildKit evaluates FROM lines: ARG defaults only (no build arguments). Memoized: read-only. */
export const globalScope: (model: DockerfileModel) => GlobalScope = memoize(readGlobalScope);

function readGlobalScope(model: DockerfileModel): GlobalScope {
  const env = new Map<string, string | null>(PREDEFINED_ARGS);
  const declared: string[] = [];
  for (const ins of model.globalArgs) {
    for (const { key, value } of argPairs(ins)) {
      if (!declared.includes(key)) declared.push(key);
      if (value === undefined) continue;
      env.set(key, expandWord(value.text, (n) => env.get(n), { escape: model.parsed.escape }).value ?? null);
    }
  }
  return { declared, env };
}

export interface Scope {
  /** Variables with a value in the build environment (null: set, value unknown). */
  env: Map<string, string | null>;
  /** ARG names declared in the stage (or the stage it builds on): never undefined, whatever their value. */
  declared: Set<string>;
  /** An earlier WORKDIR in this stage or the stage it builds on. */
  workdirSet: boolean;
  windows: boolean;
}

export interface Text {
  text: string;
  /** Offset of `text` in the instruction's args. */
  offset: number;
}

/** `ARG a=1 b` → key/value pairs with the value's raw text and position (memoized). */
export const argPairs: (ins: Instruction) => ReadonlyArray<{ key: string; value?: Text }> = memoizeInstruction((ins: Instruction) =>
  wordsOf(ins).map((w) => {
    const eq = w.text.indexOf('=');
    if (eq < 0) return { key: w.text };
    return { key: w.text.slice(0, eq), value: { text: w.text.slice(eq + 1), offset: ins.restOffset + w.start + eq + 1 } };
  }),
);

/** The value a stage-level ARG takes: its default, else the global one (without build arguments). */
function argValue(model: DockerfileModel, globals: GlobalScope, scope: Scope, key: string, value: Text | undefined): string | null | undefined {
  if (value) return expandWord(value.text, lookup(scope), { escape: model.parsed.escape }).value ?? null;
  if (globals.env.has(key)) return globals.env.get(key) ?? null;
  return undefined;
}

/** Lookup in a scope where a declared ARG without a value may still come from a build argument (unknown). One per scope. */
export const lookup: (scope: Scope) => Resolver = memoize(
  (scope: Scope): Resolver =>
    (name) =>
      scope.env.has(name) ? scope.env.get(name) : scope.declared.has(name) ? null : undefined,
);

export interface KeyValuePairs {
  legacy: boolean;
  pairs: ReadonlyArray<{ key: Text; value: Text }>;
}

/** ENV/LABEL pairs as BuildKit reads them: `k=v ...`, or the legacy `k v` (the rest of the line is the value). Memoized. */
export const keyValuePairs: (ins: Instruction) => KeyValuePairs = memoizeInstruction(readKeyValuePairs);

function readKeyValuePairs(ins: Instruction): KeyValuePairs {
  const words = wordsOf(ins);
  if (!words.length) return { legacy: false, pairs: [] };
  const base = ins.restOffset;
  if (!words[0].text.includes('=')) {
    const m = /^(\S+)(\s+)([\s\S]*)$/.exec(ins.rest.slice(words[0].start));
    if (!m) return { legacy: true, pairs: [] };
    const key = { text: m[1], offset: base + words[0].start };
    return { legacy: true, pairs: [{ key, value: { text: m[3], offset: key.offset + m[1].length + m[2].length } }] };
  }
  const pairs = words.map((w) => {
    const eq = w.text.indexOf('=');
    const key = eq < 0 ? w.text : w.text.slice(0, eq);
    return { key: { text: key, offset: base + w.start }, value: { text: eq < 0 ? '' : w.text.slice(eq + 1), offset: base + w.start + eq + 1 } };
  });
  return { legacy: false, pairs };
}

export type Visitor = (ins: Instruction, stage: Stage, scope: Scope, globals: GlobalScope) => void;

/**
 * Replays every stage in order (as `docker build --check` does: all stages,
 * not only those the target needs), calling `visit` with the scope in force
 * before each instruction (ARG, ENV and WORKDIR effects applied after it).
 * The replay is computed once per model and shared by the rules that walk it.
 */
export function walkStages(model: DockerfileModel, visit: Visitor): void {
  const globals = globalScope(model);
  for (const { stage, scopes } of replay(model)) {
    const list = stage.instructions;
    for (let k = 0; k < list.length; k++) visit(list[k], stage, scopes[k], globals);
  }
}

interface StageReplay {
  stage: Stage;
  /** The scope before each instruction of the stage: snapshots, never changed afterwards (instructions that change nothing share one). */
  scopes: Scope[];
}

/** The scope of a stage built FROM an image (shared by the stages built FROM the same one). */
function initialScope(stage: Stage, fromImage: Map<string, Scope>): Scope {
  const windows = isWindowsImage(stage.resolvedImage ?? stage.image);
  const key = `${windows}|${stage.resolvedImage === undefined ? '' : '=' + stage.resolvedImage}`;
  let scope = fromImage.get(key);
  if (!scope) fromImage.set(key, (scope = { env: imageEnv(stage.resolvedImage), declared: new Set(), workdirSet: false, windows }));
  return scope;
}

const replay = memoize((model: DockerfileModel): StageReplay[] => {
  const globals = globalScope(model);
  const finals = new Map<Stage, Scope>();
  // Scopes are never changed once made (see below), so stages built FROM the
  // same image start from one scope, and a stage built FROM another starts from
  // that one's last.
  const fromImage = new Map<string, Scope>();
  const out: StageReplay[] = [];
  for (const stage of model.stages) {
    let scope: Scope = (stage.parent && finals.get(stage.parent)) || initialScope(stage, fromImage);
    const scopes: Scope[] = new Array(stage.instructions.length);
    stage.instructions.forEach((ins, k) => {
      scopes[k] = scope;
      // Copy on write: the instructions so far keep the scope they were given.
      if (ins.keyword === 'ARG') {
        scope = { ...scope, env: copyMap(scope.env), declared: copySet(scope.declared) };
        for (const { key, value } of argPairs(ins)) {
          const v = argValue(model, globals, scope, key, value);
          if (v !== undefined) scope.env.set(key, v);
          scope.declared.add(key);
        }
      } else if (ins.keyword === 'ENV') {
        const before = lookup(scope);
        const { pairs } = keyValuePairs(ins);
        const values = pairs.map((p) => [expandWord(p.key.text, before, { escape: model.parsed.escape }).value, expandWord(p.value.text, before, { escape: model.parsed.escape }).value ?? null] as const);
        scope = { ...scope, env: copyMap(scope.env) }; // ENV declares no ARG: the set is shared
        for (const [k, v] of values) if (k) scope.env.set(k, v);
      } else if (ins.keyword === 'WORKDIR' && !scope.workdirSet) {
        scope = { ...scope, workdirSet: true };
      }
    });
    finals.set(stage, scope);
    out.push({ stage, scopes });
  }
  return out;
});
