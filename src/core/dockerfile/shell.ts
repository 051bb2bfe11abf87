// A small POSIX-shell reader for RUN scripts: enough structure for the package
// and shell rules (which commands run, with which words, and whether a pipe
// occurs), with every word's offset so findings land on the exact word.
//
// It is not an interpreter: compound commands (if/for/while/case, subshells,
// braces, functions) are looked through so the simple commands inside them are
// found, and command substitutions are read recursively, as ShellCheck's parser
// (which hadolint uses) does. Unknown variables stay as written, so a rule sees
// `$VERSION` rather than an empty string.

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

/** The simple commands of a script. */
export function commands(text: string, vars?: Vars): Command[] {
  return parseShell(text, vars).commands;
}

export function parseShell(text: string, vars: Vars = new Map()): Script {
  const lexer = new Lexer(text, 0, text.length, vars);
  const out: Parsed = { commands: [], pipes: [] };
  build(lexer.tokens(), out);
  return { text, commands: out.commands, pipes: out.pipes, endsInComment: lexer.endsInComment };
}

interface Parsed {
  commands: Command[];
  pipes: Span[];
}

type Token = { kind: 'word'; word: Word; inner: Parsed } | { kind: 'op'; op: string; start: number; end: number } | { kind: 'redir'; op: string; start: number; end: number };

const BLANK = new Set([' ', '\t', '\r']);
const META = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '<', '>', '(', ')']);
const OPERATORS = [';;&', '&&', '||', ';;', ';&', '|&', ';', '|', '&', '(', ')'];
const REDIRECT = /^(?:[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})?(?:<<<|<<-|<<|<>|<&|>&|>>|>\||<|>)|^&>>?/;

class Lexer {
  pos: number;
  endsInComment = false;
  private heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];

  constructor(
    readonly text: string,
    from: number,
    readonly end: number,
    readonly vars: Vars,
  ) {
    this.pos = from;
  }

  tokens(): Token[] {
    const { text } = this;
    const tokens: Token[] = [];
    while (this.pos < this.end) {
      const c = text[this.pos];
      if (c === '\\' && text[this.pos + 1] === '\n') {
        this.pos += 2;
      } else if (BLANK.has(c)) {
        this.pos++;
      } else if (c === '\n') {
        tokens.push({ kind: 'op', op: '\n', start: this.pos, end: this.pos + 1 });
        this.pos++;
        this.skipHeredocBodies();
      } else if (c === '#') {
        const nl = text.indexOf('\n', this.pos);
        if (nl < 0 || nl >= this.end) this.endsInComment = true;
        this.pos = nl < 0 || nl >= this.end ? this.end : nl;
      } else if ((c === '<' || c === '>') && text[this.pos + 1] === '(') {
        // Process substitution: a word whose inside is a script of its own.
        tokens.push(this.word());
      } else {
        const rest = text.slice(this.pos, Math.min(this.end, this.pos + 8));
        const redirect = REDIRECT.exec(rest);
        if (redirect) {
          const start = this.pos;
          this.pos += redirect[0].length;
          tokens.push({ kind: 'redir', op: redirect[0], start, end: this.pos });
          if (/<<-?$/.test(redirect[0])) this.readHeredocDelimiter(tokens, redirect[0].endsWith('-'));
          continue;
        }
        const op = OPERATORS.find((o) => rest.startsWith(o));
        if (op) {
          tokens.push({ kind: 'op', op, start: this.pos, end: this.pos + op.length });
          this.pos += op.length;
        } else {
          tokens.push(this.word());
        }
      }
    }
    return tokens;
  }

  /** `<<EOF`: the delimiter word, remembered so the body lines after the next newline are skipped. */
  private readHeredocDelimiter(tokens: Token[], stripTabs: boolean) {
    while (this.pos < this.end && BLANK.has(this.text[this.pos])) this.pos++;
    if (this.pos >= this.end || META.has(this.text[this.pos])) return;
    const token = this.word();
    tokens.push(token);
    if (token.kind === 'word') this.heredocs.push({ delimiter: token.word.value, stripTabs });
  }

  private skipHeredocBodies() {
    for (const { delimiter, stripTabs } of this.heredocs) {
      while (this.pos < this.end) {
        const nl = this.text.indexOf('\n', this.pos);
        const lineEnd = nl < 0 || nl >= this.end ? this.end : nl;
        let line = this.text.slice(this.pos, lineEnd);
        if (stripTabs) line = line.replace(/^\t+/, '');
        this.pos = Math.min(this.end, lineEnd + 1);
        if (line === delimiter) break;
      }
    }
    this.heredocs = [];
  }

  private word(): Token {
    const { text } = this;
    const start = this.pos;
    const inner: Parsed = { commands: [], pipes: [] };
    let value = '';
    let literal = true;
    const substitute = (open: number, close: number) => {
      const sub = new Lexer(text, open, close, this.vars);
      build(sub.tokens(), inner);
      literal = false;
    };
    // One `$...` expansion at this.pos; quoted tells whether `$'...'` applies.
    const expansion = (quoted: boolean) => {
      const n = text[this.pos + 1];
      if (n === '(') {
        const close = matching(text, this.pos + 1, this.end, '(', ')');
        if (text[this.pos + 2] !== '(') substitute(this.pos + 2, close);
        value += text.slice(this.pos, close + 1);
        literal = false;
        this.pos = close + 1;
      } else if (n === '{') {
        const close = matching(text, this.pos + 1, this.end, '{', '}');
        const expr = text.slice(this.pos + 2, close);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])(.*))?$/s.exec(expr);
        const known = m ? this.vars.get(m[1]) : undefined;
        if (m && known !== undefined && !(m[2]?.startsWith(':') && known === '')) value += known;
        else if (m && m[2] !== undefined) value += m[3];
        else {
          value += text.slice(this.pos, close + 1);
          literal = false;
        }
        this.pos = close + 1;
      } else if (n !== undefined && /[A-Za-z_]/.test(n)) {
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(this.pos + 1, this.end))![0];
        const known = this.vars.get(name);
        if (known !== undefined) value += known;
        else {
          value += '$' + name;
          literal = false;
        }
        this.pos += 1 + name.length;
      } else if (n !== undefined && /[0-9@*#?$!-]/.test(n)) {
        value += '$' + n;
        literal = false;
        this.pos += 2;
      } else if (n === "'" && !quoted) {
        const close = closing(text, this.pos + 2, this.end, "'", true);
        value += text.slice(this.pos + 2, close).replace(/\\(.)/g, '$1');
        this.pos = close + 1;
      } else {
        value += '$';
        this.pos++;
      }
    };
    const backtick = () => {
      const close = closing(text, this.pos + 1, this.end, '`', true);
      substitute(this.pos + 1, close);
      value += text.slice(this.pos, close + 1);
      this.pos = close + 1;
    };

    if ((text[this.pos] === '<' || text[this.pos] === '>') && text[this.pos + 1] === '(') {
      const close = matching(text, this.pos + 1, this.end, '(', ')');
      substitute(this.pos + 2, close);
      this.pos = close + 1;
      value = text.slice(start, this.pos);
    }
    while (this.pos < this.end) {
      const c = text[this.pos];
      if (META.has(c)) break;
      if (c === '\\') {
        const n = text[this.pos + 1];
        if (n !== '\n' && n !== undefined) value += n;
        this.pos += n === undefined ? 1 : 2;
      } else if (c === "'") {
        const close = closing(text, this.pos + 1, this.end, "'", false);
        value += text.slice(this.pos + 1, close);
        this.pos = close + 1;
      } else if (c === '"') {
        this.pos++;
        while (this.pos < this.end && text[this.pos] !== '"') {
          const d = text[this.pos];
          if (d === '\\' && '$`"\\\n'.includes(text[this.pos + 1] ?? '')) {
            if (text[this.pos + 1] !== '\n') value += text[this.pos + 1];
            this.pos += 2;
          } else if (d === '$') expansion(true);
          else if (d === '`') backtick();
          else {
            value += d;
            this.pos++;
          }
        }
        this.pos++;
      } else if (c === '$') expansion(false);
      else if (c === '`') backtick();
      else {
        value += c;
        this.pos++;
      }
    }
    this.pos = Math.min(this.pos, this.end);
    return { kind: 'word', word: { raw: text.slice(start, this.pos), value, start, end: this.pos, literal }, inner };
  }
}

/** Index of the bracket closing the one at `open` (quotes and escapes skipped); `end` when unbalanced. */
function matching(text: string, open: number, end: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") i = closing(text, i + 1, end, "'", false);
    else if (c === '"') i = closing(text, i + 1, end, '"', true);
    else if (c === left) depth++;
    else if (c === right && --depth === 0) return i;
  }
  return end;
}

/** Index of the next unescaped `quote` from `from`; `end` when there is none. */
function closing(text: string, from: number, end: number, quote: string, escapes: boolean): number {
  for (let i = from; i < end; i++) {
    if (escapes && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return end;
}

// Words that open or close compound commands; the command proper starts after them.
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '{', '}', '!', 'time']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** Groups tokens into simple commands, looking through compound commands. */
function build(tokens: Token[], out: Parsed) {
  let words: Word[] = [];
  let assignments: Word[] = [];
  let nested: Parsed[] = [];
  const cases: Array<'pattern' | 'body'> = [];
  let skipUntil: string | undefined; // the word that ends a for/select/case header
  let inCondition = false; // [[ ... ]]
  let skipWords = 0; // the name after `function`
  const flush = () => {
    const cmd = words.length ? makeCommand(words, assignments) : undefined;
    if (cmd) out.commands.push(cmd);
    for (const n of nested) {
      out.commands.push(...n.commands);
      out.pipes.push(...n.pipes);
    }
    words = [];
    assignments = [];
    nested = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'word') nested.push(t.inner);
    if (skipUntil) {
      if (t.kind === 'word' && t.word.raw === skipUntil) {
        if (skipUntil === 'in') cases.push('pattern');
        skipUntil = undefined;
      }
      continue;
    }
    if (inCondition) {
      if (t.kind === 'word' && t.word.raw === ']]') inCondition = false;
      continue;
    }
    const inPattern = cases[cases.length - 1] === 'pattern';
    if (t.kind === 'op') {
      if (inPattern) {
        if (t.op === ')') cases[cases.length - 1] = 'body';
        continue;
      }
      flush();
      if (t.op === '|' || t.op === '|&') out.pipes.push({ start: t.start, end: t.end });
      else if (t.op.startsWith(';;') || t.op === ';&') {
        if (cases.length) cases[cases.length - 1] = 'pattern';
      }
      continue;
    }
    if (t.kind === 'redir') {
      const target = tokens[i + 1];
      if (target?.kind === 'word') {
        nested.push(target.inner);
        i++;
      }
      continue;
    }
    const w = t.word;
    if (inPattern) {
      if (w.raw === 'esac') cases.pop();
      continue;
    }
    if (skipWords > 0) {
      skipWords--;
      continue;
    }
    if (words.length === 0 && assignments.length === 0) {
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
      const [a, b] = [tokens[i + 1], tokens[i + 2]];
      if (a?.kind === 'op' && a.op === '(' && b?.kind === 'op' && b.op === ')') {
        i += 2; // name() { ... }: a definition, not a call
        continue;
      }
    }
    if (words.length === 0 && ASSIGNMENT.test(w.raw)) assignments.push(w);
    else words.push(w);
  }
  flush();
}

function makeCommand(words: Word[], assignments: Word[]): Command | undefined {
  let at = 0;
  const first = words[0].value;
  if ((first === 'command' || first === 'builtin' || first === 'busybox') && words[1] && !words[1].value.startsWith('-')) at = 1;
  else if (first === 'exec') {
    let j = 1;
    while (words[j]?.value.startsWith('-')) j += words[j].value === '-a' ? 2 : 1;
    if (words[j]) at = j;
  }
  const nameWord = words[at];
  // Like ShellCheck, a command whose name is not a literal has no name to judge.
  if (!words[0].literal || !nameWord.literal) return undefined;
  return {
    name: nameWord.value,
    nameWord,
    args: words.slice(at + 1),
    assignments,
    start: (assignments[0] ?? words[0]).start,
    end: words[words.length - 1].end,
  };
}
