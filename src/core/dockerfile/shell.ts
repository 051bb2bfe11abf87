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
import { Lexer } from './shellLexer';
import type { Command, Parsed, Script, Span, Vars } from './shellSyntax';

// The script's shapes (shellSyntax.ts) and the option and argument helpers
// live beside the reader; rules import all three from here.
export type { Command, Script, Span, Vars, Word } from './shellSyntax';
export * from './shellOptions';

const NO_PIPES: Span[] = Object.freeze([]) as unknown as Span[];

/** The simple commands of a script. */
export function commands(text: string, vars?: Vars): Command[] {
  return parseShell(text, vars).commands;
}

/**
 * The lists a script's commands and pipes are gathered in, reused from script
 * to script (parseShell is not re-entered: substitutions gather into lists of
 * their own). A fresh pair per script grew storage for sixteen entries each,
 * only to be copied to exact size.
 */
const GATHER: Parsed = { commands: [], pipes: [] };

const NO_VARS: Vars = new Map();
const LEXER = new Lexer('', 0, 0, NO_VARS);

export function parseShell(text: string, vars: Vars = NO_VARS): Script {
  const lexer = LEXER.reset(text, vars);
  const out = GATHER;
  build(lexer.tokens(), out);
  // Scripts are kept until the end of the run: exact-size lists.
  const script: Script = { text, commands: out.commands.slice(), pipes: out.pipes.length ? out.pipes.slice() : NO_PIPES, endsInComment: lexer.endsInComment };
  // Emptied by popping: setting `length = 0` would drop the storage, which the next script would grow again.
  while (out.commands.length) out.commands.pop();
  while (out.pipes.length) out.pipes.pop();
  lexer.reset('', NO_VARS); // nor should the lexer keep this run's script and variables alive
  return script;
}
