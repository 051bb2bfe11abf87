// A small POSIX-shell reader for RUN scripts: enough structure for the package
// and shell rules (which commands run, with which words, and whether a pipe
// occurs), with every word's offset so findings land on the exact word.
//
// It is not an interpreter: compound commands (if/for/while/case, subshells,
// braces, functions) are looked through so the simple commands inside them are
// found, and command substitutions are read recursively, as ShellCheck's parser
// (which hadolint uses) does. Unknown variables stay as written, so a rule sees
// `$VERSION` rather than an empty string. The tokenizer is in shellLexer.ts,
// the grouping into commands in shellGrammar.ts.

import { build } from './shellGrammar';
import { Lexer, type Parsed } from './shellLexer';

export interface Word {
  /** The source text of the word, quotes included. */
  raw: string;
  /** The word after quote removal and escapes, known variables expanded, other expansions kept as written. */
  value: string;
  /** Offsets in the script text (end exclusive). */
  start: number;
  end: number;
  /** False when the value holds an expansion whose result is unknown (`$(...)`, `` `...` ``, an unknown `$VAR`). */
  literal: boolean;
}

export interface Command {
  /** The command name: the first word after assignments, seen through `command`, `builtin`, `busybox` and `exec`. */
  name: string;
  nameWord: Word;
  /** Words after the name (redirections and their targets left out). */
  args: Word[];
  /** `NAME=value` words before the command name. */
  assignments: Word[];
  start: number;
  end: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface Script {
  text: string;
  /** Simple commands in order; commands inside a substitution follow the command that holds them. */
  commands: Command[];
  /** Pipe operators (`|`, `|&`), including those inside substitutions. */
  pipes: Span[];
  /** The text ends inside a comment, so text appended to it would be commented out. */
  endsInComment: boolean;
}

/** Variable values known when the script runs (ARG and ENV of the stage). */
export type Vars = ReadonlyMap<string, string>;

// Option and argument helpers live beside the reader; rules import both from here.
export * from './shellOptions';

const NO_PIPES: Span[] = Object.freeze([]) as unknown as Span[];

/** The simple commands of a script. */
export function commands(text: string, vars?: Vars): Command[] {
  return parseShell(text, vars).commands;
}

export function parseShell(text: string, vars: Vars = new Map()): Script {
  const lexer = new Lexer(text, 0, text.length, vars);
  const out: Parsed = { commands: [], pipes: [] };
  build(lexer.tokens(), out);
  // Scripts are kept until the end of the run: exact-size lists (a pushed-to array has room for sixteen).
  return { text, commands: out.commands.slice(), pipes: out.pipes.length ? out.pipes.slice() : NO_PIPES, endsInComment: lexer.endsInComment };
}
