import { rangeIn, scanWords, splitWords } from '../model';
import type { DockerfileModel, Stage } from '../modelTypes';
import { type Rule } from '../rule';
import type { Fix, Instruction, Range, TextEdit } from '../types';
import { argPairs, keyValuePairs } from './buildkitVars';
import { instructionsOf } from './instructionUtil';

// BuildKit's checks of how the file is written: casing (StageNameCasing,
// FromAsCasing, ConsistentInstructionCasing), empty continuation lines
// (NoEmptyContinuation), `ENV key value` (LegacyKeyValueFormat) and the
// comments that describe ARGs and stages (InvalidDefinitionDescription).
// Names, messages and semantics follow `docker build --check`.

// Asked of every keyword: ASCII is answered by char codes, without a changed copy of the string.
const isUpper = (s: string) => (isAscii(s) ? !hasCodeIn(s, 97, 122) : s === s.toUpperCase());
const isLower = (s: string) => (isAscii(s) ? !hasCodeIn(s, 65, 90) : s === s.toLowerCase());

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function hasCodeIn(s: string, lo: number, hi: number): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= lo && c <= hi) return true;
  }
  return false;
}

/** Calls `fn` for every instruction BuildKit keeps in a stage: the FROM and what follows it (ARGs before the first FROM are not part of any). */
function eachStaged(model: DockerfileModel, fn: (ins: Instruction) => void): void {
  for (const s of model.stages) {
    fn(s.from);
    for (const ins of s.instructions) fn(ins);
  }
}

/** Where a flag's value starts on its line. */
function flagValueRange(lines: string[], flagRange: Range, value: string): Range {
  const { line, column } = flagRange.start;
  const text = lines[line] ?? '';
  const at = text.indexOf(value, text.indexOf('=', column) + 1);
  return { start: { line, column: at }, end: { line, column: at + value.length } };
}

export const stageNameCasing: Rule = {
  code: 'StageNameCasing',
  buildkit: true,
  severity: 'warning',
  message: 'Stage names should be lowercase',
  rationale: 'Stage names are matched case-insensitively (the builder lower-cases them), so mixed case only suggests a distinction that does not exist.',
  check(ctx) {
    const { stages, parsed } = ctx.model;
    let refs: Map<string, StageReference[]> | undefined;
    for (const stage of stages) {
      if (!stage.name || !stage.nameRange || isLower(stage.name)) continue;
      const lower = stage.name.toLowerCase();
      // Lower-casing the name keeps every reference working (lookups ignore
      // case); later references spelled like the old name are lower-cased too.
      const edits: TextEdit[] = [{ range: stage.nameRange, newText: lower }];
      for (const ref of (refs ??= stageReferences(stages)).get(lower) ?? []) {
        if (ref.stage > stage.index && ref.text !== lower) edits.push({ range: ref.range(parsed.lines), newText: lower });
      }
      ctx.report(stage.nameRange, `Stage name '${stage.name}' should be lowercase`, [{ title: `Rename stage to '${lower}'`, edits }]);
    }
  },
};

/** A place that may name a stage: a FROM image or a COPY/ADD `--from` value. */
interface StageReference {
  /** The stage it is in. */
  stage: number;
  text: string;
  range(lines: string[]): Range;
}

/**
 * The references that may name a mixed-case stage, by their lower-cased text,
 * in file order: read once, rather than walking the rest of the file for each
 * such name (files with many stages made that quadratic).
 */
function stageReferences(stages: readonly Stage[]): Map<string, StageReference[]> {
  const refs = new Map<string, StageReference[]>();
  for (const s of stages) if (s.name && !isLower(s.name)) refs.set(s.name.toLowerCase(), []);
  for (const later of stages) {
    refs.get(later.image.toLowerCase())?.push({ stage: later.index, text: later.image, range: () => later.imageRange });
    for (const ins of later.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      for (const f of ins.flags) {
        const value = f.value;
        if (f.name === 'from' && value) refs.get(value.toLowerCase())?.push({ stage: later.index, text: value, range: (lines) => flagValueRange(lines, f.range, value) });
      }
    }
  }
  return refs;
}

export const fromAsCasing: Rule = {
  code: 'FromAsCasing',
  buildkit: true,
  severity: 'warning',
  message: "The 'as' keyword should match the case of the 'from' keyword",
  rationale: 'Mixed `FROM … as` casing reads as a mistake. When FROM itself is mixed-case, ConsistentInstructionCasing reports that instead.',
  check(ctx) {
    for (const { from } of ctx.model.stages) {
      const words = scanWords(from.rest);
      if (words.count < 3 || words.texts[1].toLowerCase() !== 'as') continue;
      const kw = from.rawKeyword;
      const as = words.texts[1];
      const asStart = words.starts[1];
      const wanted = isLower(kw) ? as.toLowerCase() : isUpper(kw) ? as.toUpperCase() : as;
      if (wanted === as) continue;
      const range = rangeIn(from, from.restOffset + asStart, as.length);
      ctx.report(range, `'${as}' and '${kw}' keywords' casing do not match`, [{ title: `Change '${as}' to '${wanted}'`, edits: [{ range, newText: wanted }] }]);
    }
  },
};

export const noEmptyContinuation: Rule = {
  code: 'NoEmptyContinuation',
  buildkit: true,
  severity: 'warning',
  message: 'Empty continuation lines will become errors in a future release',
  rationale: 'An empty line inside a continued instruction is skipped today, but it usually means a line was deleted by mistake, and it will become an error. Comment lines do not count.',
  check(ctx) {
    const { lines } = ctx.model.parsed;
    for (const ins of ctx.model.instructions) {
      if (!ins.emptyContinuationLines.length) continue;
      // One finding per instruction, on its last line, as BuildKit reports it
      // (an empty line has nothing to underline).
      const line = ins.argsRange.end.line;
      const text = lines[line] ?? '';
      const range: Range = { start: { line, column: text.length - text.trimStart().length }, end: { line, column: text.trimEnd().length } };
      const edits = ins.emptyContinuationLines.map((l) => ({ range: { start: { line: l, column: 0 }, end: { line: l + 1, column: 0 } }, newText: '' }));
      ctx.report(range, 'Empty continuation line', [{ title: edits.length > 1 ? 'Delete the empty continuation lines' : 'Delete the empty continuation line', edits }]);
    }
  },
};

export const consistentInstructionCasing: Rule = {
  code: 'ConsistentInstructionCasing',
  buildkit: true,
  severity: 'warning',
  message: 'All commands within the Dockerfile should use the same casing (either upper or lower)',
  rationale: 'Instruction keywords are case-insensitive, but mixing cases makes a Dockerfile harder to scan. The casing most instructions use wins (uppercase on a tie); mixed-case keywords are always reported.',
  check(ctx) {
    let upper = 0;
    let lower = 0;
    eachStaged(ctx.model, (ins) => {
      if (isLower(ins.rawKeyword)) lower++;
      else if (ins.rawKeyword === ins.keyword) upper++; // keyword: the upper-cased raw keyword
    });
    const majorityLower = lower > upper;
    const casing = majorityLower ? 'lowercase' : 'uppercase';
    eachStaged(ctx.model, (ins) => {
      const kw = ins.rawKeyword;
      const wanted = majorityLower ? kw.toLowerCase() : kw.toUpperCase();
      if (kw === wanted) return;
      ctx.report(ins.keywordRange, `Command '${kw}' should match the case of the command majority (${casing})`, [{ title: `Change '${kw}' to '${wanted}'`, edits: [{ range: ins.keywordRange, newText: wanted }] }]);
    });
  },
};

/** `k v` → `k=v` when the result means the same: one line, and a value that needs no quoting or quotes trivially. */
function legacyFix(ins: Instruction, escape: string): Fix | undefined {
  const { pairs } = keyValuePairs(ins);
  if (pairs.length !== 1 || ins.argsRange.start.line !== ins.argsRange.end.line) return undefined;
  const { keyText, keyOffset, valueText, valueOffset } = pairs[0];
  if (!valueText) return undefined;
  const gap = { start: ins.argsPosition(keyOffset + keyText.length), end: ins.argsPosition(valueOffset) };
  const end = ins.argsPosition(valueOffset + valueText.length);
  const title = `Use "${ins.rawKeyword} ${keyText}=…"`;
  if (splitWords(valueText).length === 1) return { title, edits: [{ range: gap, newText: '=' }] };
  if (/["'`$]/.test(valueText) || valueText.includes(escape)) return undefined;
  return { title, edits: [{ range: gap, newText: '="' }, { range: { start: end, end }, newText: '"' }] };
}

export const legacyKeyValueFormat: Rule = {
  code: 'LegacyKeyValueFormat',
  buildkit: true,
  severity: 'warning',
  message: 'Legacy key/value format with whitespace separator should not be used',
  keywords: ['ENV', 'LABEL'],
  rationale:
    '`ENV key value` takes the whole rest of the line as one value, so it cannot set several variables and reads differently from `key=value`; the form is deprecated. (`ARG a b` is not legacy: it declares two build arguments.)',
  check(ctx) {
    // Every ENV/LABEL, staged or not: a fragment without FROM is still worth fixing.
    // (Reported per keyword: the findings are sorted by position afterwards.)
    for (const { instruction: ins } of [...instructionsOf(ctx.model, 'ENV'), ...instructionsOf(ctx.model, 'LABEL')]) {
      if (!keyValuePairs(ins).legacy) continue;
      const fix = legacyFix(ins, ctx.model.parsed.escape);
      const kw = ins.rawKeyword;
      ctx.report(ins.argsRange, `"${kw} key=value" should be used instead of legacy "${kw} key value" format`, fix && [fix]);
    }
  },
};

export const invalidDefinitionDescription: Rule = {
  code: 'InvalidDefinitionDescription',
  buildkit: true,
  severity: 'warning',
  message:
    'Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.',
  rationale:
    '`docker build --call=outline` and `--call=targets` show the comment right above a FROM or ARG as its description when the comment starts with the stage or argument name. Experimental in BuildKit: enable it with `# check=experimental=InvalidDefinitionDescription`.',
  optIn: true,
  check(ctx) {
    const comments = new Map(ctx.model.parsed.comments.map((c) => [c.line, c.text]));
    const named = new Map(ctx.model.stages.map((s) => [s.from, s]));
    for (const ins of ctx.model.instructions) {
      if (ins.keyword !== 'FROM' && ins.keyword !== 'ARG') continue;
      // Only the comment line right above counts; an empty `#` line or a blank line ends a description.
      const comment = comments.get(ins.range.start.line - 1);
      if (!comment) continue;
      let keys: string[];
      let range: Range;
      if (ins.keyword === 'FROM') {
        const stage = named.get(ins);
        if (!stage?.name || !stage.nameRange) continue;
        keys = [stage.name.toLowerCase()];
        range = stage.nameRange;
      } else {
        keys = argPairs(ins).map((p) => p.key);
        if (!keys.length) continue;
        const first = splitWords(ins.rest)[0];
        range = keys.length === 1 ? rangeIn(ins, ins.restOffset + first.start, keys[0].length) : ins.argsRange;
      }
      if (keys.includes(comment.split(' ')[0])) continue;
      const example = keys.length > 1 ? '<arg_key>' : keys[0];
      ctx.report(range, `Comment for ${ins.keyword} should follow the format: \`# ${example} <description>\``);
    }
  },
};
