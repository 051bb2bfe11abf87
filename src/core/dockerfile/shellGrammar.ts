// The grammar side of the RUN-script reader (shell.ts): tokens grouped into
// simple commands, looking through compound commands.

import { Op, type Command, type Parsed, type Tokens, type Word } from './shellSyntax';

// Words that open or close compound commands; the command proper starts after them.
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '{', '}', '!', 'time']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** The assignments of the (many) commands that have none: shared, never written to. */
const NO_ASSIGNMENTS: Word[] = Object.freeze([]) as unknown as Word[];

/** Groups tokens into simple commands, looking through compound commands. */
/**
 * The words of the command being read: one list for every script, with its
 * length kept apart (`words.length = 0` dropped the list's storage, and each
 * command grew a new one). build is never re-entered: substitutions are
 * grouped while their lexer runs, before the grammar reads the outer script.
 */
const words: Word[] = [];
let wordCount = 0;

export function build({ list: tokens, count, inner }: Tokens, out: Parsed) {
  wordCount = 0;
  let assignments: Word[] = NO_ASSIGNMENTS;
  const nested: Parsed[] = [];
  const cases: Array<'pattern' | 'body'> = [];
  let skipUntil: string | undefined; // the word that ends a for/select/case header
  let inCondition = false; // [[ ... ]]
  let skipWords = 0; // the name after `function`
  for (let i = 0; i < count; i++) {
    const t = tokens[i];
    const sub = inner?.get(i);
    if (sub) nested.push(sub);
    if (skipUntil) {
      if (!(t instanceof Op) && t.raw === skipUntil) {
        if (skipUntil === 'in') cases.push('pattern');
        skipUntil = undefined;
      }
      continue;
    }
    if (inCondition) {
      if (!(t instanceof Op) && t.raw === ']]') inCondition = false;
      continue;
    }
    // (Guarded: reading index -1 of an empty array is a slow property lookup.)
    const inPattern = cases.length > 0 && cases[cases.length - 1] === 'pattern';
    if (t instanceof Op && t.kind === 'op') {
      if (inPattern) {
        if (t.op === ')') cases[cases.length - 1] = 'body';
        continue;
      }
      flush(assignments, nested, out);
      // Reused: flush copies what it keeps of the words (a command keeps its assignments).
      wordCount = 0;
      if (nested.length) nested.length = 0;
      assignments = NO_ASSIGNMENTS;
      if (t.op === '|' || t.op === '|&') out.pipes.push({ start: t.start, end: t.end });
      else if (t.op.startsWith(';;') || t.op === ';&') {
        if (cases.length) cases[cases.length - 1] = 'pattern';
      }
      continue;
    }
    if (t instanceof Op) {
      // A redirection: its target word is not part of the command.
      const target = i + 1 < count ? tokens[i + 1] : undefined;
      if (target !== undefined && !(target instanceof Op)) {
        const targetSub = inner?.get(i + 1);
        if (targetSub) nested.push(targetSub);
        i++;
      }
      continue;
    }
    const w = t;
    if (inPattern) {
      if (w.raw === 'esac') cases.pop();
      continue;
    }
    if (skipWords > 0) {
      skipWords--;
      continue;
    }
    if (wordCount === 0 && assignments.length === 0) {
      if (w.raw === 'esac') {
        cases.pop();
        continue;
      }
      if (RESERVED.has(w.raw)) continue;
      if (w.raw === 'for' || w.raw === 'select') {
        skipUntil = 'do';
        continue;
      }
      if (w.raw === 'case') {
        skipUntil = 'in';
        continue;
      }
      if (w.raw === '[[') {
        inCondition = true;
        continue;
      }
      if (w.raw === 'function') {
        skipWords = 1;
        continue;
      }
      // (Bounds checked: reading past the end of the array is slow in optimized code.)
      const a = i + 1 < count ? tokens[i + 1] : undefined;
      const b = i + 2 < count ? tokens[i + 2] : undefined;
      if (a instanceof Op && a.kind === 'op' && a.op === '(' && b instanceof Op && b.kind === 'op' && b.op === ')') {
        i += 2; // name() { ... }: a definition, not a call
        continue;
      }
    }
    if (wordCount === 0 && ASSIGNMENT.test(w.raw)) (assignments === NO_ASSIGNMENTS ? (assignments = []) : assignments).push(w);
    else if (wordCount < words.length) words[wordCount++] = w;
    else {
      words.push(w);
      wordCount++;
    }
  }
  flush(assignments, nested, out);
  // Nor should the word list keep this script's words (slots past wordCount hold earlier commands').
  words.fill(NO_WORD);
  wordCount = 0;
  // The list is reused for the next script (see Lexer.tokens): it should not keep this one's words alive.
  tokens.fill(NO_TOKEN, 0, count);
}

const NO_TOKEN = Object.freeze(new Op('op', '', -1, -1));
const NO_WORD: Word = Object.freeze({ raw: '', value: '', start: -1, end: -1, literal: true });

/** Ends a simple command: it, then the commands of its substitutions. */
function flush(assignments: Word[], nested: Parsed[], out: Parsed) {
  const cmd = wordCount ? makeCommand(assignments) : undefined;
  if (cmd) out.commands.push(cmd);
  for (let k = 0; k < nested.length; k++) {
    const n = nested[k];
    for (let j = 0; j < n.commands.length; j++) out.commands.push(n.commands[j]);
    for (let j = 0; j < n.pipes.length; j++) out.pipes.push(n.pipes[j]);
  }
}

/** The command of the first `wordCount` words. */
function makeCommand(assignments: Word[]): Command | undefined {
  let at = 0;
  const first = words[0].value;
  if ((first === 'command' || first === 'builtin' || first === 'busybox') && wordCount > 1 && !words[1].value.startsWith('-')) at = 1;
  else if (first === 'exec') {
    let j = 1;
    while (j < wordCount && words[j].value.startsWith('-')) j += words[j].value === '-a' ? 2 : 1;
    if (j < wordCount) at = j;
  }
  const nameWord = words[at];
  // Like ShellCheck, a command whose name is not a literal has no name to judge.
  if (!words[0].literal || !nameWord.literal) return undefined;
  return {
    name: nameWord.value,
    nameWord,
    args: words.slice(at + 1, wordCount),
    assignments,
    start: (assignments.length ? assignments[0] : words[0]).start,
    end: words[wordCount - 1].end,
  };
}
