import type { Resolver } from './buildkitScope';
import { levenshteinBelow } from '../../util/editDistance';

// Variable expansion as BuildKit's shell lexer performs it on instruction
// arguments (see buildkitVars.ts for the stage replay that supplies values).

export interface VarRef {
  name: string;
  /** Offsets of `$name` / `${...}` in the expanded text. */
  start: number;
  end: number;
  set: boolean;
}

export interface Expansion {
  /** The expanded text; undefined when it depends on an unknown value or the syntax is broken. */
  value: string | undefined;
  refs: VarRef[];
}

/** Parameters the shell reserves: `$@`, `$?`, ... are names of their own to the builder. */
const SPECIAL = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

/**
 * Expands `$name`, `${name}` and the `${name<op>word}` forms, recording every
 * reference. With `quotes`, single quotes suppress expansion and double quotes
 * are removed (instruction arguments); without, quotes are text (heredoc bodies).
 * (Berth's own callers pass both options: one shape of options object keeps
 * the optimized code of this hot function from being thrown away.)
 */
export function expandWord(text: string, resolve: Resolver, opts: { escape?: string; quotes?: boolean } = {}): Expansion {
  const escape = opts.escape ?? '\\';
  const quotes = opts.quotes ?? true;
  if (isPlain(text, escape, quotes)) return { value: text, refs: NO_REFS }; // nothing to expand or remove
  const e = new Expander(text, resolve, escape, quotes);
  let value = '';
  let broken = false;
  try {
    value = e.run();
  } catch {
    broken = true;
  }
  return { value: e.unknown || broken ? undefined : value, refs: e.refs };
}

/** The references of text that has none (shared: callers only read them). */
const NO_REFS: VarRef[] = Object.freeze([]) as unknown as VarRef[];

/** Text without `$`, the escape character and (when they count) quotes expands to itself. (Native searches: this runs on most text of most instructions.) */
function isPlain(text: string, escape: string, quotes: boolean): boolean {
  return !text.includes('$') && !(escape && text.includes(escape)) && !(quotes && (text.includes('"') || text.includes("'")));
}

/** Name characters after `$`: letters, digits and `_` (Unicode letters and digits too, as BuildKit reads them). */
function isNameChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return UNICODE_NAME_CHAR.test(c);
}
const UNICODE_NAME_CHAR = /[\p{L}\p{N}_]/u;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The state of one expansion (a class rather than closures: it runs for most instructions). */
class Expander {
  readonly refs: VarRef[] = [];
  unknown = false;
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly resolve: Resolver,
    private readonly esc: string,
    private readonly quotes: boolean,
  ) {}

  private lookup(name: string, start: number, end: number) {
    const v = this.resolve(name);
    this.refs.push({ name, start, end, set: v !== undefined });
    return v;
  }

  private readName(): string {
    const { text } = this;
    const from = this.i;
    if (isDigit(text[this.i])) {
      while (isDigit(text[this.i])) this.i++;
    } else if (SPECIAL.has(text[this.i])) {
      this.i++;
    } else {
      while (this.i < text.length && isNameChar(text[this.i])) this.i++;
    }
    return text.slice(from, this.i);
  }

  private dollar(): string {
    const { text } = this;
    const start = this.i++;
    if (text[this.i] !== '{') {
      const name = this.readName();
      if (!name) return '$';
      const v = this.lookup(name, start, this.i);
      if (v === null) this.unknown = true;
      return v ?? '';
    }
    this.i++;
    if (this.i >= text.length || '{}:'.includes(text[this.i])) throw new Error('bad substitution');
    const name = this.readName();
    let op = text[this.i++] ?? '';
    if (op === '}') {
      const v = this.lookup(name, start, this.i);
      if (v === null) this.unknown = true;
      return v ?? '';
    }
    const colon = op === ':';
    if (colon) op = text[this.i++] ?? '';
    if (op === '/') {
      if (text[this.i] === '/') this.i++;
      this.run('/');
      this.run('}');
      const v = this.lookup(name, start, this.i);
      if (v !== undefined) this.unknown = true; // pattern replacement: not worth evaluating
      return '';
    }
    if (!op || !'+-?#%'.includes(op)) throw new Error('unsupported modifier');
    const word = this.run('}');
    const v = this.lookup(name, start, this.i);
    const empty = v === undefined || (colon && v === '');
    if (v === null && op !== '?') this.unknown = true;
    if (op === '-') return empty ? word : (v ?? '');
    if (op === '+') return empty ? '' : word;
    if (op === '?') {
      if (empty) throw new Error(`${name}: not set`);
      if (v === null) this.unknown = true;
      return v ?? '';
    }
    if (v !== undefined) this.unknown = true; // # and % trim patterns: not worth evaluating
    return '';
  }

  /** Processes text up to `stop` (consumed) or the end. */
  run(stop?: string): string {
    const { text, esc, quotes } = this;
    let out = '';
    while (this.i < text.length) {
      const c = text[this.i];
      if (stop !== undefined && c === stop) {
        this.i++;
        return out;
      }
      if (c === '$') out += this.dollar();
      else if (quotes && c === "'") {
        const end = text.indexOf("'", this.i + 1);
        if (end < 0) throw new Error('unterminated quote');
        out += text.slice(this.i + 1, end);
        this.i = end + 1;
      } else if (quotes && c === '"') {
        this.i++;
        for (;;) {
          if (this.i >= text.length) throw new Error('unterminated quote');
          const d = text[this.i];
          if (d === '"') {
            this.i++;
            break;
          }
          if (d === '$') out += this.dollar();
          else if (d === esc && this.i + 1 < text.length && (text[this.i + 1] === '"' || text[this.i + 1] === '$' || text[this.i + 1] === esc)) {
            out += text[this.i + 1];
            this.i += 2;
          } else {
            // This character and the plain ones after it, appended at once.
            let k = this.i + 1;
            while (k < text.length && text[k] !== '"' && text[k] !== '$' && text[k] !== esc) k++;
            out += text.slice(this.i, k);
            this.i = k;
          }
        }
      } else if (c === esc) {
        if (this.i + 1 < text.length) out += text[this.i + 1];
        this.i += 2;
      } else {
        // A run of plain characters, appended at once: one string per run, not per character.
        let k = this.i + 1;
        for (; k < text.length; k++) {
          const d = text[k];
          if (d === '$' || d === esc || d === stop || (quotes && (d === "'" || d === '"'))) break;
        }
        out += text.slice(this.i, k);
        this.i = k;
      }
    }
    if (stop !== undefined) throw new Error(`missing ${stop}`);
    return out;
  }
}

/** BuildKit's "did you mean": the closest option at distance 1 or 2 (case-sensitive), none on an exact match. */
export function suggest(name: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let min = 3;
  for (const o of options) {
    if (o === name) return undefined;
    const d = levenshteinBelow(name, o, min);
    if (d < min) {
      min = d;
      best = o;
    }
  }
  return best;
}
