import { rangeIn } from '../model';
import { type Rule } from '../rule';
import type { Fix, Range } from '../types';
import { ancestorIn, eachStageGroup, instructionsOf, stagesWith, usedStages, type Placed } from './instructionUtil';

// hadolint's rules about what a container runs: CMD, ENTRYPOINT and
// HEALTHCHECK in exec form (DL3025 / JSONArgsRecommended), one of each per
// stage (DL3012, DL4003, DL4004 / MultipleInstructionsDisallowed), and a
// HEALTHCHECK at all (DL3057, opt-in).

/** Shell builtins and keywords: as the first word they need a shell, so exec form would break them. */
const NEEDS_SHELL = new Set(['cd', '.', 'source', 'export', 'set', 'unset', 'eval', 'if', 'for', 'while', 'until', 'case', 'trap', 'ulimit', 'umask', 'alias', 'shift', 'read', 'wait', 'time', 'test', '[']);

/**
 * The exec-form words of a shell-form command that uses no shell feature
 * (expansion, redirection, operators, globbing, assignments), or undefined when
 * converting would change what runs. A leading `exec` is dropped: exec form
 * already replaces the shell.
 */
export function toExecForm(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = command.indexOf('"', i + 1);
      const inner = end < 0 ? '' : command.slice(i + 1, end);
      if (end < 0 || /[$`\\]/.test(inner)) return undefined;
      word = (word ?? '') + inner;
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('$`\\|&;<>()*?[]{}'.includes(c) || (word === undefined && '#~'.includes(c))) {
      return undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  if (words[0] === 'exec') words.shift();
  if (!words.length || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) || NEEDS_SHELL.has(words[0]) || words.includes('!')) return undefined;
  return words;
}

export const dl3025: Rule = {
  code: 'DL3025',
  aliases: ['JSONArgsRecommended'],
  severity: 'warning',
  message: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  keywords: ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'],
  rationale:
    'In shell form the command runs under `/bin/sh -c`, which becomes PID 1 and does not forward signals: `docker stop` waits and then kills the process. Skipped once a SHELL instruction chose the shell (BuildKit does the same).',
  check(ctx) {
    const { model } = ctx;
    if (!instructionsOf(model, 'CMD').length && !instructionsOf(model, 'ENTRYPOINT').length && !instructionsOf(model, 'HEALTHCHECK').length) return;
    const withShell = stagesWith(model, 'SHELL');
    eachStageGroup(model, (group, from, to) => {
      // A SHELL in an ancestor stage is in the image config this stage starts from.
      const stage = group[from].stage;
      let shellSet = stage ? ancestorIn(stage, withShell) : false;
      for (let k = from; k < to; k++) {
        const ins = group[k].instruction;
        if (ins.keyword === 'SHELL') shellSet = true;
        if (shellSet) continue;
        let offset: number;
        if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') {
          if (ins.json) continue;
          offset = ins.restOffset;
        } else if (ins.keyword === 'HEALTHCHECK') {
          const m = /^CMD\s+/i.exec(ins.rest);
          if (!m || isJsonArray(ins.rest.slice(m[0].length))) continue;
          offset = ins.restOffset + m[0].length;
        } else continue;
        const command = ins.args.slice(offset).trim();
        if (!command) continue;
        const range = rangeIn(ins, offset, ins.args.length - offset);
        const words = toExecForm(command);
        const fixes: Fix[] = words ? [{ title: 'Convert to exec form (JSON array)', edits: [{ range, newText: `[${words.map((w) => JSON.stringify(w)).join(', ')}]` }] }] : [];
        ctx.report(range, undefined, fixes);
      }
    });
  },
};

function isJsonArray(text: string): boolean {
  try {
    const v = JSON.parse(text.trim()) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/** CMD, ENTRYPOINT and HEALTHCHECK: only the last of a stage takes effect. */
function singleInstructionRule(code: string, keyword: string, severity: Rule['severity'], message: string): Rule {
  return {
    code,
    aliases: ['MultipleInstructionsDisallowed'],
    severity,
    message,
    keywords: [keyword],
    rationale: `Only the last ${keyword} of a stage takes effect; the earlier ones are dead code that misleads readers.`,
    check(ctx) {
      // Flagged on the overridden instruction, the dead one, as BuildKit does (and
      // where its removal fixes it); hadolint flags the one that overrides it, so an
      // existing `# hadolint ignore=` comment there still applies (alsoIgnoredAt).
      let previous: Placed | undefined;
      for (const p of instructionsOf(ctx.model, keyword)) {
        if (previous && previous.stage === p.stage) {
          const dead = previous.instruction;
          const by = p.instruction.range.start.line;
          const removal = { title: `Remove this overridden ${keyword}`, edits: [{ range: wholeLines(dead.range), newText: '' }] };
          ctx.report(dead.keywordRange, `Multiple ${keyword} instructions in one stage: this one is overridden by the ${keyword} on line ${by + 1}; only the last takes effect.`, [removal], by);
        }
        previous = p;
      }
    },
  };
}

/** The instruction's lines with their line break: removing them leaves no blank line. */
function wholeLines(range: Range): Range {
  return { start: { line: range.start.line, column: 0 }, end: { line: range.end.line + 1, column: 0 } };
}

export const dl3012 = singleInstructionRule('DL3012', 'HEALTHCHECK', 'error', 'Multiple `HEALTHCHECK` instructions.');
export const dl4003 = singleInstructionRule('DL4003', 'CMD', 'warning', 'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect');
export const dl4004 = singleInstructionRule('DL4004', 'ENTRYPOINT', 'error', 'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect');

export const dl3057: Rule = {
  code: 'DL3057',
  severity: 'info',
  message: '`HEALTHCHECK` instruction missing.',
  rationale: 'Without a HEALTHCHECK the engine only knows whether the process runs, not whether it serves. Checked on the images the build produces (stages nothing else builds on or copies from), counting inherited HEALTHCHECKs.',
  optIn: true,
  check(ctx) {
    const withHealthcheck = stagesWith(ctx.model, 'HEALTHCHECK');
    const used = usedStages(ctx.model);
    for (const stage of ctx.model.stages) {
      if (!used.has(stage) && !withHealthcheck.has(stage.index) && !ancestorIn(stage, withHealthcheck)) ctx.report(stage.from.keywordRange);
    }
  },
};
