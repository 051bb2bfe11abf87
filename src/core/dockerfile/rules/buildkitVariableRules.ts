import { memoizeInstruction } from '../memo';
import { isSpace, scanWords } from '../model';
import type { Stage } from '../modelTypes';
import { type Rule } from '../rule';
import type { Flag, Heredoc, Instruction, Position, Range } from '../types';
import { argPairs, expandWord, type GlobalScope, globalScope, keyValuePairs, lookup, PREDEFINED_ARGS, type Resolver, suggest, walkStages } from './buildkitVars';

// BuildKit's checks about variables: UndefinedVar, UndefinedArgInFrom and
// InvalidDefaultArgInFrom, which BuildKit decides while dispatching stages,
// replayed from the file alone (see buildkitVars.ts for what is and is not
// known). The pieces of an instruction that expand (listWords, fromPlatform)
// also serve the EXPOSE and FROM --platform checks (exposeRules.ts, stageRules.ts).

/** A piece of an instruction that BuildKit expands, with where each offset lands in the file. */
interface Expandable {
  text: string;
  at(offset: number): Position;
  /** Heredoc bodies keep their quotes. */
  quotes: boolean;
}

const inArgs = (ins: Instruction, offset: number) => (o: number) => ins.argsPosition(offset + o);

/** Where a flag's value starts on its line (after `--name=` and an opening quote). */
function flagValueAt(lines: string[], flag: Flag): (o: number) => Position {
  const { line, column } = flag.range.start;
  const text = lines[line] ?? '';
  const eq = text.indexOf('=', column);
  const quoted = /["']/.test(text[eq + 1] ?? '') ? 1 : 0;
  return (o) => ({ line, column: eq + 1 + quoted + o });
}

const JSON_STRING = /"((?:[^"\\]|\\.)*)"/g;

/**
 * Whitespace-separated words (or JSON array items) of `rest`, as COPY/ADD/VOLUME/EXPOSE read them.
 * Memoized: several checks read the same instructions (the `\S+` runs are scanned by hand, without a match object each).
 */
export const listWords: (ins: Instruction) => ReadonlyArray<{ text: string; offset: number }> = memoizeInstruction((ins: Instruction) => {
  const out: Array<{ text: string; offset: number }> = [];
  const rest = ins.rest;
  if (ins.json) {
    JSON_STRING.lastIndex = 0;
    let m: RegExpExecArray | null;
    for (let k = 0; (m = JSON_STRING.exec(rest)) && k < ins.json.length; k++) out.push({ text: ins.json[k], offset: ins.restOffset + m.index + 1 });
    return out;
  }
  for (let i = 0; i < rest.length; ) {
    if (isSpace(rest.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < rest.length && !isSpace(rest.charCodeAt(i))) i++;
    out.push({ text: rest.slice(start, i), offset: ins.restOffset + start });
  }
  return out;
});

const COPY_FLAGS = ['chown', 'chmod'];
const ADD_FLAGS = ['chown', 'chmod', 'checksum'];

/**
 * What BuildKit runs through variable expansion for an instruction (shell-form
 * commands are left to the shell), where it has a `$`: text without one refers
 * to no variable.
 */
function expandables(ins: Instruction, lines: string[]): Expandable[] {
  const out: Expandable[] = [];
  switch (ins.keyword) {
    case 'ENV':
    case 'LABEL':
      for (const p of keyValuePairs(ins).pairs) {
        addArg(out, ins, p.keyText, p.keyOffset);
        addArg(out, ins, p.valueText, p.valueOffset);
      }
      break;
    case 'ARG':
      for (const { value } of argPairs(ins)) if (value) addArg(out, ins, value.text, value.offset);
      break;
    case 'COPY':
    case 'ADD': {
      const names = ins.keyword === 'ADD' ? ADD_FLAGS : COPY_FLAGS;
      for (const f of ins.flags) if (names.includes(f.name) && f.value?.includes('$')) out.push({ text: f.value, at: flagValueAt(lines, f), quotes: true });
      for (const w of listWords(ins)) if (!w.text.startsWith('<<')) addArg(out, ins, w.text, w.offset);
      for (const h of ins.heredocs) if (!h.quoted && h.body.includes('$')) out.push(heredocExpandable(h, lines));
      break;
    }
    case 'RUN':
      for (const f of ins.flags) {
        if (f.name !== 'mount' || f.value === undefined) continue;
        const at = flagValueAt(lines, f);
        let pos = 0;
        for (const field of f.value.split(',')) {
          const start = pos + field.indexOf('=') + 1;
          if (start > pos) add(out, { text: field.slice(start - pos), at: (o) => at(start + o), quotes: true });
          pos += field.length + 1;
        }
      }
      break;
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
      if (ins.rest.trim()) addArg(out, ins, ins.rest.trim(), ins.restOffset + ins.rest.search(/\S/));
      break;
    case 'VOLUME':
      for (const w of listWords(ins)) addArg(out, ins, w.text, w.offset);
      break;
  }
  return out;
}

/** A piece of the instruction's arguments at `offset`, when it holds a `$`. */
function addArg(out: Expandable[], ins: Instruction, text: string, offset: number): void {
  if (text.includes('$')) out.push({ text, at: inArgs(ins, offset), quotes: true });
}

/** A piece, when it holds a `$`. */
function add(out: Expandable[], e: Expandable): void {
  if (e.text.includes('$')) out.push(e);
}
/** A COPY/ADD heredoc body: expanded without quote removal. */
function heredocExpandable(h: Heredoc, lines: string[]): Expandable {
  const first = h.range.start.line;
  const bodyLines = h.body.split('\n');
  const starts = bodyLines.map((_, k) => bodyLines.slice(0, k).reduce((n, l) => n + l.length + 1, 0));
  return {
    text: h.body,
    quotes: false,
    at(o) {
      let k = starts.length - 1;
      while (k > 0 && starts[k] > o) k--;
      const shift = (lines[first + k] ?? '').length - bodyLines[k].length;
      return { line: first + k, column: shift + o - starts[k] };
    },
  };
}

/** Can anything in the instruction expand? Every expandable text holds a `$` when it refers to a variable. */
// Asked of every instruction of every stage: the tests are module-level functions, not a closure per call.
const hasDollar = (a: string) => a.includes('$');
const bodyHasDollar = (h: Heredoc) => h.body.includes('$');
const mentionsVariable = (ins: Instruction) => ins.args.includes('$') || (ins.json !== undefined && ins.json.some(hasDollar)) || (ins.heredocs.length > 0 && ins.heredocs.some(bodyHasDollar));

/** BuildKit does not report these: they configure the build, not the image. */
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

const refRange = (e: Expandable, ref: { start: number; end: number }): Range => ({ start: e.at(ref.start), end: e.at(ref.end) });

export const undefinedVar: Rule = {
  code: 'UndefinedVar',
  buildkit: true,
  severity: 'warning',
  message: 'Variables should be defined before their use',
  rationale:
    'An undefined variable silently expands to an empty string, so a typo or a missing ARG changes what gets copied or set. Shell-form RUN, CMD and ENTRYPOINT are left to the shell. Variables that an unknown base image defines cannot be seen without pulling it; PATH is always defined.',
  check(ctx) {
    // Instruction arguments (the file's escape character, quotes removed) and heredoc bodies.
    const quoted = { escape: ctx.model.parsed.escape, quotes: true };
    const body = { escape: '\\', quotes: false };
    walkStages(ctx.model, (ins, _stage, scope) => {
      if (scope.windows || !mentionsVariable(ins)) return;
      let seen: Set<string> | undefined; // names reported for this instruction
      const resolve = lookup(scope);
      for (const e of expandables(ins, ctx.model.parsed.lines)) {
        for (const ref of expandWord(e.text, resolve, e.quotes ? quoted : body).refs) {
          if (ref.set || NON_ENV_ARGS.has(ref.name) || seen?.has(ref.name)) continue;
          (seen ??= new Set()).add(ref.name);
          const hint = suggest(ref.name, scope.env.keys());
          ctx.report(refRange(e, ref), `Usage of undefined variable '$${ref.name}'${hint ? ` (did you mean $${hint}?)` : ''}`);
        }
      }
    });
  },
};

/** FROM's variables: global ARGs (a declared one without a default may come from a build argument). */
function globalResolver(globals: GlobalScope): Resolver {
  return (n) => (globals.env.has(n) ? globals.env.get(n) : globals.declared.includes(n) ? null : undefined);
}

/** FROM's variables as a build without --build-arg sees them: defaults only. */
function defaultsResolver(globals: GlobalScope): Resolver {
  return (n) => globals.env.get(n);
}

/** The image word of a FROM, as an expandable piece. */
function fromImage(stage: Stage): Expandable | undefined {
  const { count, texts, starts } = scanWords(stage.from.rest);
  return count ? { text: texts[0], at: inArgs(stage.from, stage.from.restOffset + starts[0]), quotes: true } : undefined;
}

/** The --platform flag value of a FROM, as an expandable piece. */
export function fromPlatform(stage: Stage, lines: string[]): (Expandable & { flag: Flag }) | undefined {
  const flag = stage.from.flags.find((f) => f.name === 'platform' && f.value !== undefined);
  return flag ? { text: flag.value!, at: flagValueAt(lines, flag), quotes: true, flag } : undefined;
}

export const undefinedArgInFrom: Rule = {
  code: 'UndefinedArgInFrom',
  buildkit: true,
  severity: 'warning',
  message: 'FROM command must use declared ARGs',
  rationale: 'FROM only sees ARGs declared before the first FROM (and the predefined platform ARGs); anything else expands to an empty string, usually from a typo.',
  check(ctx) {
    const globals = globalScope(ctx.model);
    const resolve = globalResolver(globals);
    let options: string[] | undefined; // for suggestions, when a name is not declared
    for (const stage of ctx.model.stages) {
      if (!stage.from.args.includes('$')) continue; // no variable in the image or the flags
      for (const part of [fromImage(stage), fromPlatform(stage, ctx.model.parsed.lines)]) {
        if (!part) continue;
        const seen = new Set<string>();
        for (const ref of expandWord(part.text, resolve, { escape: ctx.model.parsed.escape, quotes: true }).refs) {
          if (ref.set || seen.has(ref.name)) continue;
          seen.add(ref.name);
          const hint = suggest(ref.name, (options ??= [...globals.declared, ...PREDEFINED_ARGS.keys()]));
          ctx.report(refRange(part, ref), `FROM argument '${ref.name}' is not declared${hint ? ` (did you mean ${hint}?)` : ''}`);
        }
      }
    }
  },
};

// The image reference grammar (name[:tag][@digest]) that the builder accepts.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${HOST_PART}(?:\\.${HOST_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REFERENCE = new RegExp(`^((?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** Would the builder accept `ref` as an image reference? */
export function isValidReference(ref: string): boolean {
  const m = REFERENCE.exec(ref);
  return !!m && m[1].length <= 255;
}

export const invalidDefaultArgInFrom: Rule = {
  code: 'InvalidDefaultArgInFrom',
  buildkit: true,
  severity: 'warning',
  message: 'Default value for global ARG results in an empty or invalid base image name',
  rationale: 'A build without --build-arg uses the ARG defaults; when those make the FROM reference empty or malformed, the build fails unless every caller remembers the argument.',
  check(ctx) {
    const globals = globalScope(ctx.model);
    // Defaults only: a global ARG without a default expands to nothing.
    const resolve = defaultsResolver(globals);
    for (const stage of ctx.model.stages) {
      if (!stage.image.includes('$')) continue;
      const image = fromImage(stage);
      if (!image) continue;
      const { value } = expandWord(image.text, resolve, { escape: ctx.model.parsed.escape, quotes: true });
      if (value !== undefined && !isValidReference(value)) ctx.report(stage.imageRange, `Default value for ARG ${stage.image} results in empty or invalid base image name`);
    }
  },
};
