import { memoize, memoizeInstruction } from '../memo';
import { scanWords } from '../model';
import type { DockerfileModel, Stage } from '../modelTypes';
import type { Instruction } from '../types';
import { imageEnv, isWindowsImage } from './baseImages';
import { expandWord } from './buildkitExpand';
import { type Resolver, Scope } from './buildkitScope';
import { hasKeyword } from './instructionUtil';

export { imageRepository, isWindowsImage } from './baseImages';

// Variable expansion as BuildKit performs it for the checks that look at
// variables (UndefinedVar, UndefinedArgInFrom, InvalidDefaultArgInFrom,
// DL3000/WorkdirRelativePath, the EXPOSE checks). BuildKit decides these while it
// dispatches each stage, so the walk below replays that dispatch: ARG and ENV
// add variables in order, a stage built FROM an earlier stage starts with that
// stage's variables, and any other base image contributes only what is known
// about it without pulling it.

export { Scope, type Resolver } from './buildkitScope';
export { expandWord, type Expansion, suggest, type VarRef } from './buildkitExpand';

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

/** The global scope of a file without global ARGs (most files): shared, read-only like every global scope. */
const NO_GLOBAL_ARGS: GlobalScope = { declared: [], env: new Map(PREDEFINED_ARGS) };

function readGlobalScope(model: DockerfileModel): GlobalScope {
  if (!model.globalArgs.length) return NO_GLOBAL_ARGS;
  const env = new Map<string, string | null>(PREDEFINED_ARGS);
  const declared: string[] = [];
  for (const ins of model.globalArgs) {
    for (const { key, value } of argPairs(ins)) {
      if (!declared.includes(key)) declared.push(key);
      if (value === undefined) continue;
      env.set(key, expandWord(value.text, (n) => env.get(n), { escape: model.parsed.escape, quotes: true }).value ?? null);
    }
  }
  return { declared, env };
}

export interface Text {
  text: string;
  /** Offset of `text` in the instruction's args. */
  offset: number;
}

/** `ARG a=1 b` → key/value pairs with the value's raw text and position (memoized). */
export const argPairs: (ins: Instruction) => ReadonlyArray<{ key: string; value?: Text }> = memoizeInstruction((ins: Instruction) => {
  const { count, texts, starts } = scanWords(ins.rest);
  const out: Array<{ key: string; value?: Text }> = new Array(count);
  for (let k = 0; k < count; k++) {
    const text = texts[k];
    const eq = text.indexOf('=');
    out[k] = eq < 0 ? { key: text } : { key: text.slice(0, eq), value: { text: text.slice(eq + 1), offset: ins.restOffset + starts[k] + eq + 1 } };
  }
  return out;
});

/** The value a stage-level ARG takes: its default, else the global one (without build arguments). */
function argValue(model: DockerfileModel, globals: GlobalScope, scope: Scope, key: string, value: Text | undefined): string | null | undefined {
  if (value) return expandWord(value.text, lookup(scope), { escape: model.parsed.escape, quotes: true }).value ?? null;
  if (globals.env.has(key)) return globals.env.get(key) ?? null;
  return undefined;
}

/** Lookup in a scope where a declared ARG without a value may still come from a build argument (unknown). */
export const lookup = (scope: Scope): Resolver => scope.resolve;

/** One `key=value` of ENV or LABEL: texts as written, with their offsets in the instruction's args (flat: a file has thousands). */
export class KeyValueText {
  constructor(
    readonly keyText: string,
    readonly keyOffset: number,
    readonly valueText: string,
    readonly valueOffset: number,
  ) {}
}

export interface KeyValuePairs {
  legacy: boolean;
  pairs: readonly KeyValueText[];
}

/** ENV/LABEL pairs as BuildKit reads them: `k=v ...`, or the legacy `k v` (the rest of the line is the value). Memoized. */
export const keyValuePairs: (ins: Instruction) => KeyValuePairs = memoizeInstruction(readKeyValuePairs);

function readKeyValuePairs(ins: Instruction): KeyValuePairs {
  const { count, texts, starts } = scanWords(ins.rest);
  if (!count) return { legacy: false, pairs: [] };
  const base = ins.restOffset;
  if (!texts[0].includes('=')) {
    const m = /^(\S+)(\s+)([\s\S]*)$/.exec(ins.rest.slice(starts[0]));
    if (!m) return { legacy: true, pairs: [] };
    const keyOffset = base + starts[0];
    return { legacy: true, pairs: [new KeyValueText(m[1], keyOffset, m[3], keyOffset + m[1].length + m[2].length)] };
  }
  const pairs: KeyValueText[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const text = texts[k];
    const eq = text.indexOf('=');
    pairs[k] = new KeyValueText(eq < 0 ? text : text.slice(0, eq), base + starts[k], eq < 0 ? '' : text.slice(eq + 1), base + starts[k] + eq + 1);
  }
  return { legacy: false, pairs };
}

export type Visitor = (ins: Instruction, stage: Stage, scope: Scope, globals: GlobalScope) => void;

/**
 * Replays every stage in order (as `docker build --check` does: all stages,
 * not only those the target needs), calling `visit` with the scope in force
 * before each instruction (ARG, ENV and WORKDIR effects applied after it).
 * The replay is computed once per model and shared by the rules that walk it.
 */
export function walkStages(model: DockerfileModel, visit: Visitor, keyword?: string): void {
  // With a keyword, only those instructions are visited (a call per instruction
  // of a 10,000-line file, for a rule that looks at one keyword, added up).
  if (keyword !== undefined && !hasKeyword(model, keyword)) return;
  const globals = globalScope(model);
  const scopes = replay(model);
  const stages = model.stages;
  for (let s = 0, at = 0; s < stages.length; s++) {
    const stage = stages[s];
    const list = stage.instructions;
    for (let k = 0; k < list.length; k++) if (keyword === undefined || list[k].keyword === keyword) visit(list[k], stage, scopes[at + k], globals);
    at += list.length;
  }
}

/**
 * The scope a stage built FROM an image starts with. Such scopes are never
 * written to (an ARG or ENV makes a child), so they are shared by every stage
 * and every run that uses the same image (bounded: a cache, not a record).
 */
const rootScopes = new Map<string, Scope>();
const unknownImageScopes: [Scope | undefined, Scope | undefined] = [undefined, undefined];

function initialScope(stage: Stage): Scope {
  const image = stage.resolvedImage;
  if (image === undefined) {
    const windows = isWindowsImage(stage.image);
    return (unknownImageScopes[windows ? 1 : 0] ??= Scope.root(imageEnv(undefined), windows));
  }
  let scope = rootScopes.get(image);
  if (!scope) {
    if (rootScopes.size >= 256) rootScopes.clear();
    rootScopes.set(image, (scope = Scope.root(imageEnv(image), isWindowsImage(image))));
  }
  return scope;
}

/**
 * The scope before each instruction of every stage, stage after stage in one
 * list (the instructions of stage s from the sum of the earlier stages' counts):
 * snapshots, never changed afterwards (instructions that change nothing share
 * one). One list rather than one per stage: thousands of stages on large files.
 */
const replay = memoize((model: DockerfileModel): Scope[] => {
  const globals = globalScope(model);
  const stages = model.stages;
  // The scope each stage ended with, by stage index (a parent is an earlier stage).
  const finals: Scope[] = new Array(stages.length);
  // Scopes are never changed once made (see below), so stages built FROM the
  // same image start from one scope, and a stage built FROM another starts from
  // that one's last.
  const opts = { escape: model.parsed.escape, quotes: true };
  let total = 0;
  for (let s = 0; s < stages.length; s++) total += stages[s].instructions.length;
  const scopes: Scope[] = new Array(total);
  let at = 0;
  for (let s = 0; s < stages.length; s++) {
    const stage = stages[s];
    let scope: Scope = (stage.parent && stage.parent.index < s && finals[stage.parent.index]) || initialScope(stage);
    const list = stage.instructions;
    for (let k = 0; k < list.length; k++, at++) {
      const ins = list[k];
      scopes[at] = scope;
      // Copy on write: the instructions so far keep the scope they were given.
      if (ins.keyword === 'ARG') {
        // Each value sees the ones before it in the same ARG.
        scope = scope.child();
        for (const { key, value } of argPairs(ins)) {
          const v = argValue(model, globals, scope, key, value);
          if (v !== undefined) scope.set(key, v);
          scope.declare(key);
        }
        scope.done();
      } else if (ins.keyword === 'ENV') {
        // Every value is expanded with the variables from before the instruction.
        const before = scope.resolve;
        const { pairs } = keyValuePairs(ins);
        const keys: Array<string | undefined> = new Array(pairs.length);
        const values: Array<string | null> = new Array(pairs.length);
        for (let p = 0; p < pairs.length; p++) {
          keys[p] = expandWord(pairs[p].keyText, before, opts).value;
          values[p] = expandWord(pairs[p].valueText, before, opts).value ?? null;
        }
        scope = scope.child(); // ENV declares no ARG
        for (let p = 0; p < pairs.length; p++) if (keys[p]) scope.set(keys[p]!, values[p]);
        scope.done();
      }
    }
    finals[s] = scope;
  }
  return scopes;
});
