// The tokenizer of the RUN-script reader (shell.ts): words with their values
// and offsets, operators and redirections; command substitutions are read by
// a Lexer of their own and grouped into commands right away.

import { build } from './shellGrammar';
import { Op, type Parsed, type Token, type Tokens, type Vars, type Word } from './shellSyntax';

/** Can REDIRECT match at `pos`? Answers most cases (`&&`, `;`, a number) without slicing the text. */
function mayRedirect(text: string, pos: number, end: number): boolean {
  const c = text[pos];
  if (c === '<' || c === '>' || c === '{') return true;
  if (c === '&') return text[pos + 1] === '>';
  if (c < '0' || c > '9') return false;
  let k = pos + 1;
  while (k < end && text[k] >= '0' && text[k] <= '9') k++;
  return text[k] === '<' || text[k] === '>';
}

/** The control operator at `pos` (the longest of ;;& && || ;; ;& |& ; | & ( )), if any. */
function operatorAt(text: string, pos: number, end: number): string | undefined {
  const next = pos + 1 < end ? text[pos + 1] : '';
  switch (text[pos]) {
    case ';':
      if (next === ';') return pos + 2 < end && text[pos + 2] === '&' ? ';;&' : ';;';
      return next === '&' ? ';&' : ';';
    case '&':
      return next === '&' ? '&&' : '&';
    case '|':
      return next === '|' ? '||' : next === '&' ? '|&' : '|';
    case '(':
      return '(';
    case ')':
      return ')';
  }
  return undefined;
}
/** Token lists by substitution depth (see Lexer.tokens). */
const listsByDepth: Token[][] = [];
let depth = 0;
const NO_TOKENS: Token[] = [];

/**
 * Control operators other than pipes, one object each: the grammar reads only
 * their kind and text (pipes keep their offsets, which scripts list), and a
 * newline or `&&` object per occurrence was garbage.
 */
const SHARED_OPS = new Map<string, Op>();
const sharedOp = (op: string): Op => {
  let o = SHARED_OPS.get(op);
  if (!o) SHARED_OPS.set(op, (o = new Op('op', op, -1, -1)));
  return o;
};
const NEWLINE = sharedOp('\n');

const REDIRECT = /^(?:[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})?(?:<<<|<<-|<<|<>|<&|>&|>>|>\||<|>)|^&>>?/;

// Character classes as bits in a table by char code (all members are ASCII):
// the lexer asks about every character of every RUN.
const BLANK = 1;
const META = 2;
/** A redirection or an operator can start with it; any other character starts a word. */
const REDIRECT_OR_OPERATOR_START = 4;
/** Ends a run of plain word characters. */
const WORD_SPECIAL = 8;
const CLASSES = new Uint8Array(128);
const classify = (chars: string, bit: number) => {
  for (const c of chars) CLASSES[c.charCodeAt(0)] |= bit;
};
classify(' \t\r', BLANK);
classify(' \t\r\n;&|<>()', META | WORD_SPECIAL);
classify('\\\'"$`', WORD_SPECIAL);
classify('0123456789{<>&;|()', REDIRECT_OR_OPERATOR_START);
/** Is the character at `i` of class `bit`? (false past the end) */
const is = (text: string, i: number, bit: number) => {
  const code = text.charCodeAt(i);
  return code < 128 && (CLASSES[code] & bit) !== 0;
};
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])(.*))?$/s;
const SPECIAL_PARAMETER = /[0-9@*#?$!-]/;
const ESCAPED = /\\(.)/g;

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

export class Lexer {
  pos: number;
  endsInComment = false;
  private heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  // The word being read (word() is not re-entered: substitutions get a Lexer of their own).
  private value = '';
  private literal = true;
  private inner: Parsed | undefined;

  constructor(
    public text: string,
    from: number,
    public end: number,
    public vars: Vars,
  ) {
    this.pos = from;
  }

  /**
   * Readies the lexer for a whole script: parseShell keeps one lexer for every
   * RUN (a lexer and its heredoc list per script were garbage; substitutions
   * still get lexers of their own).
   */
  reset(text: string, vars: Vars): this {
    this.text = text;
    this.pos = 0;
    this.end = text.length;
    this.vars = vars;
    this.endsInComment = false;
    if (this.heredocs.length) this.heredocs = [];
    this.value = '';
    this.literal = true;
    this.inner = undefined;
    this.inners = undefined;
    this.list = NO_TOKENS;
    return this;
  }

  tokens(): Tokens {
    const { text } = this;
    // The list of this depth, reused: it is consumed (build) before another
    // script of the same depth is read, and growing a fresh list per script
    // and per substitution was a good part of the lexer's garbage.
    const tokens = (listsByDepth[depth] ??= []);
    depth++;
    this.list = tokens;
    this.count = 0;
    this.inners = undefined;
    while (this.pos < this.end) {
      const c = text[this.pos];
      if (c === '\\' && text[this.pos + 1] === '\n') {
        this.pos += 2;
      } else if (is(text, this.pos, BLANK)) {
        this.pos++;
      } else if (c === '\n') {
        this.put(NEWLINE);
        this.pos++;
        this.skipHeredocBodies();
      } else if (c === '#') {
        const nl = text.indexOf('\n', this.pos);
        if (nl < 0 || nl >= this.end) this.endsInComment = true;
        this.pos = nl < 0 || nl >= this.end ? this.end : nl;
      } else if ((c === '<' || c === '>') && text[this.pos + 1] === '(') {
        // Process substitution: a word whose inside is a script of its own.
        this.addWord(this.word());
      } else if (!is(text, this.pos, REDIRECT_OR_OPERATOR_START)) {
        this.addWord(this.word());
      } else {
        const redirect = mayRedirect(text, this.pos, this.end) ? REDIRECT.exec(text.slice(this.pos, Math.min(this.end, this.pos + 8))) : null;
        if (redirect) {
          const start = this.pos;
          this.pos += redirect[0].length;
          this.put(new Op('redir', redirect[0], start, this.pos));
          if (redirect[0].endsWith('<<') || redirect[0].endsWith('<<-')) {
            const delimiter = this.readHeredocDelimiter(redirect[0].endsWith('-'));
            if (delimiter) this.addWord(delimiter);
          }
          continue;
        }
        const op = operatorAt(text, this.pos, this.end);
        if (op) {
          this.put(op === '|' || op === '|&' ? new Op('op', op, this.pos, this.pos + op.length) : sharedOp(op));
          this.pos += op.length;
        } else {
          this.addWord(this.word());
        }
      }
    }
    depth--;
    return { list: tokens, count: this.count, inner: this.inners };
  }

  /** The list being filled (shared, see tokens()) and how much of it is this script's. */
  private list: Token[] = NO_TOKENS;
  private count = 0;

  private put(t: Token): void {
    if (this.count < this.list.length) this.list[this.count] = t;
    else this.list.push(t);
    this.count++;
  }

  /** The commands of substitutions by token index, for the token list being read. */
  private inners: Map<number, Parsed> | undefined = undefined;

  /** Adds the word just read to the list, with its substitutions' commands. */
  private addWord(w: Word): void {
    if (this.inner) (this.inners ??= new Map()).set(this.count, this.inner);
    this.put(w);
  }

  /** `<<EOF`: the delimiter word, remembered so the body lines after the next newline are skipped. */
  private readHeredocDelimiter(stripTabs: boolean): Word | undefined {
    while (this.pos < this.end && is(this.text, this.pos, BLANK)) this.pos++;
    if (this.pos >= this.end || is(this.text, this.pos, META)) return undefined;
    const token = this.word();
    this.heredocs.push({ delimiter: token.value, stripTabs });
    return token;
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
    if (this.heredocs.length) this.heredocs = []; // (a new list at every newline was garbage)
  }

  /** Reads a word; the commands of its substitutions are left in `this.inner`. */
  private word(): Word {
    const { text } = this;
    const start = this.pos;
    this.value = '';
    this.literal = true;
    this.inner = undefined;

    if ((text[this.pos] === '<' || text[this.pos] === '>') && text[this.pos + 1] === '(') {
      const close = matching(text, this.pos + 1, this.end, '(', ')');
      this.substitute(this.pos + 2, close);
      this.pos = close + 1;
      this.value = text.slice(start, this.pos);
    } else {
      // Most words are plain characters only: their text is their value.
      let k = this.pos;
      while (k < this.end && !is(text, k, WORD_SPECIAL)) k++;
      if (k >= this.end || is(text, k, META)) {
        this.pos = k;
        const raw = text.slice(start, k);
        return { raw, value: raw, start, end: k, literal: true };
      }
    }
    while (this.pos < this.end) {
      if (is(text, this.pos, META)) break;
      const c = text[this.pos];
      if (c === '\\') {
        const n = text[this.pos + 1];
        if (n !== '\n' && n !== undefined) this.value += n;
        this.pos += n === undefined ? 1 : 2;
      } else if (c === "'") {
        const close = closing(text, this.pos + 1, this.end, "'", false);
        this.value += text.slice(this.pos + 1, close);
        this.pos = close + 1;
      } else if (c === '"') {
        this.pos++;
        while (this.pos < this.end && text[this.pos] !== '"') {
          const d = text[this.pos];
          // `?? ''`: at the very end of the text includes('') holds, and the value gets "undefined" (kept as it was).
          if (d === '\\' && '$`"\\\n'.includes(text[this.pos + 1] ?? '')) {
            if (text[this.pos + 1] !== '\n') this.value += text[this.pos + 1];
            this.pos += 2;
          } else if (d === '$') this.expansion(true);
          else if (d === '`') this.backtick();
          else {
            this.value += d;
            this.pos++;
          }
        }
        this.pos++;
      } else if (c === '$') this.expansion(false);
      else if (c === '`') this.backtick();
      else {
        // A run of plain characters, appended at once.
        let k = this.pos + 1;
        while (k < this.end && !is(text, k, WORD_SPECIAL)) k++;
        this.value += text.slice(this.pos, k);
        this.pos = k;
      }
    }
    this.pos = Math.min(this.pos, this.end);
    const raw = text.slice(start, this.pos);
    // A plain word's value is its text: one string for both.
    const value = this.value === raw ? raw : this.value;
    return { raw, value, start, end: this.pos, literal: this.literal };
  }

  /** A command substitution's commands join the word's `inner`. */
  private substitute(open: number, close: number) {
    const sub = new Lexer(this.text, open, close, this.vars);
    build(sub.tokens(), (this.inner ??= { commands: [], pipes: [] }));
    this.literal = false;
  }

  /** One `$...` expansion at this.pos; quoted tells whether `$'...'` applies. */
  private expansion(quoted: boolean) {
    const { text } = this;
    const n = text[this.pos + 1];
    if (n === '(') {
      const close = matching(text, this.pos + 1, this.end, '(', ')');
      if (text[this.pos + 2] !== '(') this.substitute(this.pos + 2, close);
      this.value += text.slice(this.pos, close + 1);
      this.literal = false;
      this.pos = close + 1;
    } else if (n === '{') {
      const close = matching(text, this.pos + 1, this.end, '{', '}');
      const expr = text.slice(this.pos + 2, close);
      const m = BRACED.exec(expr);
      const known = m ? this.vars.get(m[1]) : undefined;
      if (m && known !== undefined && !(m[2]?.startsWith(':') && known === '')) this.value += known;
      else if (m && m[2] !== undefined) this.value += m[3];
      else {
        this.value += text.slice(this.pos, close + 1);
        this.literal = false;
      }
      this.pos = close + 1;
    } else if (n !== undefined && isNameStart(n.charCodeAt(0))) {
      let k = this.pos + 2;
      while (k < this.end && isNameChar(text.charCodeAt(k))) k++;
      const name = text.slice(this.pos + 1, k);
      const known = this.vars.get(name);
      if (known !== undefined) this.value += known;
      else {
        this.value += '$' + name;
        this.literal = false;
      }
      this.pos += 1 + name.length;
    } else if (n !== undefined && SPECIAL_PARAMETER.test(n)) {
      this.value += '$' + n;
      this.literal = false;
      this.pos += 2;
    } else if (n === "'" && !quoted) {
      const close = closing(text, this.pos + 2, this.end, "'", true);
      this.value += text.slice(this.pos + 2, close).replace(ESCAPED, '$1');
      this.pos = close + 1;
    } else {
      this.value += '$';
      this.pos++;
    }
  }

  private backtick() {
    const close = closing(this.text, this.pos + 1, this.end, '`', true);
    this.substitute(this.pos + 1, close);
    this.value += this.text.slice(this.pos, close + 1);
    this.pos = close + 1;
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
