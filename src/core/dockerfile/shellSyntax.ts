// The shapes of a RUN script as the shell reader (shell.ts, shellLexer.ts,
// shellGrammar.ts) produces it: words, simple commands, spans and the parsed
// script, and the tokens that pass from the lexer to the grammar. In a module
// of their own so the reader's three parts, shellOptions.ts and the rules
// import them without importing one another in a circle.

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

/** Variable values known when the script runs (ARG and ENV of the stage): a map, or a view of the values at a RUN (runVars.ts). */
export interface Vars {
  get(name: string): string | undefined;
}

export interface Parsed {
  commands: Command[];
  pipes: Span[];
}

/** An operator or a redirection; any other token is a word, as itself (no wrapper object per word). */
export class Op {
  constructor(
    readonly kind: 'op' | 'redir',
    readonly op: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

export type Token = Word | Op;

/** The tokens of a script, with the commands of the substitutions inside words (by token index; few words have any). */
export interface Tokens {
  /** The tokens are the first `count` of `list` (a list reused from script to script). */
  list: Token[];
  count: number;
  inner: Map<number, Parsed> | undefined;
}
