// .dockerignore as BuildKit reads it (moby's ignorefile rules) and matches it
// (moby/patternmatcher), quirks included: the point is to predict what the
// builder leaves out, not what a .gitignore user might expect. Patterns are
// anchored at the context root, `*` and `?` stop at `/`, `**` spans
// directories, a match on a parent directory excludes what is below it, and
// the last matching pattern wins. Docker compiles each pattern to a Go (RE2)
// regexp, so this builds the same RE2 text and converts it to a JavaScript
// RegExp instead of reinterpreting the glob: `[*]` or `\d` then behave as
// they do in the builder.

/** One cleaned pattern: `text` without its leading `!`. */
export interface IgnorePattern { readonly text: string; readonly exclusion: boolean }

// Go's unicode.IsSpace set (strings.TrimSpace): JavaScript's trim() differs
// (it trims U+FEFF and keeps U+0085).
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
const trimSpace = (s: string) => s.replace(TRIM, '');

/** Go's path/filepath.Clean on a slash-separated (Unix) path. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg !== '..') out.push(seg);
    else if (out.length && out[out.length - 1] !== '..') out.pop();
    else if (!rooted) out.push('..');
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** Go's filepath.Dir: everything before the last `/`, cleaned. */
const dirOf = (p: string) => cleanPath(p.slice(0, p.lastIndexOf('/') + 1));

// bufio.Scanner gives up on a line longer than its 64 KiB buffer; Docker then reads nothing.
const MAX_LINE_BYTES = 64 * 1024 - 1;

/**
 * Reads .dockerignore text into the pattern list Docker builds from it:
 * comment lines (`#` in column 0) and blank lines dropped, whitespace trimmed,
 * paths cleaned and made relative, `!` kept as a prefix. `lines` gives each
 * pattern's 1-based line (for reports). `errors` lists what would make the
 * build fail, with 1-based line numbers.
 */
export function parseDockerignore(text: string): { patterns: string[]; lines: number[]; errors: string[] } {
  const patterns: string[] = [];
  const lines: number[] = [];
  const errors: string[] = [];
  let tooLong = 0;
  const rows = text.split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  rows.forEach((raw, index) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (index === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    if (line.length > MAX_LINE_BYTES / 3 && Buffer.byteLength(line) > MAX_LINE_BYTES) tooLong = index + 1;
    if (line.startsWith('#')) return;
    let pattern = trimSpace(line);
    if (!pattern) return;
    const invert = pattern.startsWith('!');
    if (invert) pattern = trimSpace(pattern.slice(1));
    if (pattern) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    if (invert) pattern = `!${pattern}`;
    patterns.push(pattern);
    lines.push(index + 1);
    const problem = compilePattern(pattern).error;
    if (problem) errors.push(`line ${index + 1}: ${problem}`);
  });
  return tooLong ? { patterns: [], lines: [], errors: [`line ${tooLong}: line too long to read (over 64 KiB)`] } : { patterns, lines, errors };
}

type Compiled = { error: string } | { error?: undefined; pattern: IgnorePattern; match: (path: string) => boolean };

/** One entry as patternmatcher.New and its lazy compile treat it. */
function compilePattern(entry: string): Compiled {
  let p = trimSpace(entry);
  if (!p) return { error: 'empty pattern' };
  p = cleanPath(p);
  const exclusion = p.startsWith('!');
  if (p === '!') return { error: 'illegal exclusion pattern: "!"' };
  if (exclusion) p = p.slice(1);
  const bad = `syntax error in pattern ${JSON.stringify(p)}`;
  if (!isWellFormedGlob(p)) return { error: bad };
  const pattern = { text: p, exclusion };
  const { kind, re2 } = toRe2(p);
  const head = p.slice(0, -2);
  // A leading `**` is compared as a plain suffix; `**/foo` also matches `foo`.
  const tail = p.slice(2);
  if (kind === 'exact') return { pattern, match: (path) => path === p };
  if (kind === 'prefix') return { pattern, match: (path) => path.startsWith(head) };
  if (kind === 'suffix') return { pattern, match: (path) => path.endsWith(tail) || (tail.startsWith('/') && path === tail.slice(1)) };
  try {
    const re = new RegExp(re2ToJs(re2), 'u');
    return { pattern, match: (path) => re.test(path) };
  } catch (err) {
    return { error: `${bad}: ${(err as Error).message}` };
  }
}

/** Go's filepath.Match syntax check (Unix): classes must be complete and non-empty, `\` must escape something. */
function isWellFormedGlob(p: string): boolean {
  const c = Array.from(p);
  // A class member: one (possibly escaped) character that is not `-` or `]` and is not the last of the pattern.
  const member = (i: number) => {
    if (i >= c.length || c[i] === '-' || c[i] === ']') return -1;
    if (c[i] === '\\' && ++i >= c.length) return -1;
    return ++i < c.length ? i : -1;
  };
  for (let i = 0; i < c.length; ) {
    if (c[i] === '\\') {
      if ((i += 2) > c.length) return false;
    } else if (c[i++] === '[') {
      if (c[i] === '^') i++;
      for (let n = 0; !(c[i] === ']' && n > 0); n++) {
        if ((i = member(i)) < 0 || (c[i] === '-' && (i = member(i + 1)) < 0)) return false;
      }
      i++;
    }
  }
  return true;
}

/** patternmatcher's compile: the match kind and, for regexp patterns, the RE2 source it builds. */
function toRe2(p: string): { kind: 'exact' | 'prefix' | 'suffix' | 'regexp'; re2: string } {
  const c = Array.from(p);
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const rx = (text: string) => ((re += text), (kind = 'regexp'));
  for (let i = 0, step = 0; i < c.length; step++) {
    const ch = c[i++];
    if (ch === '*' && c[i] === '*') {
      if (c[++i] === '/') i++;
      // A final `**` is a prefix test unless something before already needed a regexp.
      if (i < c.length) rx('(.*/)?');
      else if (kind === 'exact') kind = 'prefix';
      else rx('.*');
      if (step === 0) kind = 'suffix';
    } else if (ch === '*' || ch === '?') rx(ch === '*' ? '[^/]*' : '[^/]');
    else if ('.+()|{}$'.includes(ch)) re += `\\${ch}`;
    // A trailing `\` never gets here: the syntax check rejects it.
    else if (ch === '\\') rx(`\\${c[i++]}`);
    else if (ch === '[' || ch === ']') rx(ch);
    else re += ch;
  }
  return { kind, re2: `${re}$` };
}

// ---- RE2 → JavaScript ------------------------------------------------------
// Only what toRe2 can emit needs handling: literals, `.`, groups, the
// quantifiers it adds, anchors, classes (user-written ones may contain
// anything, including its own `[^/]` tokens) and `\` escapes.

type Ranges = Array<[number, number]>;
const WORD: Ranges = [[48, 57], [65, 90], [95, 95], [97, 122]];
const PERL: Record<string, Ranges> = { d: [[48, 57]], s: [[9, 10], [12, 13], [32, 32]], w: WORD };
const POSIX: Record<string, Ranges> = {
  alnum: [[48, 57], [65, 90], [97, 122]], alpha: [[65, 90], [97, 122]], ascii: [[0, 127]], blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]], digit: [[48, 57]], graph: [[33, 126]], lower: [[97, 122]], print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]], space: [[9, 13], [32, 32]], upper: [[65, 90]], word: WORD, xdigit: [[48, 57], [65, 70], [97, 102]],
};
const CONTROL: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of [...r].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
const classText = (r: Ranges, negate = false) => `[${negate ? '^' : ''}${r.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;

/** Converts the RE2 text to a JavaScript pattern for the `u` flag; throws where Go's regexp.Compile fails. */
function re2ToJs(src: string): string {
  const c = Array.from(src);
  let i = 0;
  let out = '';
  const perl = (letter: string): Ranges | undefined => {
    const r = PERL[letter.toLowerCase()];
    return r && (letter === letter.toLowerCase() ? r : complement(r));
  };
  // A `\` escape that stands for one character (i points after the `\`).
  const escapedChar = (): number => {
    const e = c[i++];
    if (e === undefined) throw new Error('trailing backslash');
    const cp = e.codePointAt(0)!;
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(e)) return cp;
    if (e in CONTROL) return CONTROL[e];
    if (e === 'x') {
      const m = c[i] === '{' ? /^\{([0-9A-Fa-f]+)\}/.exec(c.slice(i).join('')) : /^[0-9A-Fa-f]{2}/.exec(c.slice(i, i + 2).join(''));
      if (!m || parseInt(m[1] ?? m[0], 16) > 0x10ffff) throw new Error('invalid escape sequence');
      i += m[0].length;
      return parseInt(m[1] ?? m[0], 16);
    }
    // Octal: `\0` or `\1`-`\7` followed by another octal digit (a lone `\1` would be a backreference).
    if (/[0-7]/.test(e) && (e === '0' || /[0-7]/.test(c[i] ?? ''))) {
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(c[i] ?? '')) digits += c[i++];
      return parseInt(digits, 8);
    }
    // `\p{...}` (Unicode classes) is valid RE2 too, but no .dockerignore needs it; it is reported instead.
    throw new Error(`invalid escape sequence: \\${e}`);
  };
  const parseClass = (): string => {
    const negate = c[i] === '^';
    if (negate) i++;
    const ranges: Ranges = [];
    for (let first = true; first || c[i] !== ']'; first = false) {
      if (i >= c.length) throw new Error('missing closing ]');
      if (c[i] === '[' && c[i + 1] === ':') {
        const rest = c.slice(i + 2).join('');
        const end = rest.indexOf(':]');
        if (end >= 0) {
          const name = rest.slice(0, end);
          const set = POSIX[name.replace(/^\^/, '')];
          if (!set) throw new Error(`invalid character class range: [:${name}:]`);
          ranges.push(...(name.startsWith('^') ? complement(set) : set));
          i += 2 + Array.from(rest.slice(0, end)).length + 2;
          continue;
        }
      }
      const perlClass = c[i] === '\\' ? perl(c[i + 1] ?? '') : undefined;
      if (perlClass) {
        ranges.push(...perlClass);
        i += 2;
        continue;
      }
      const one = () => (c[i] === '\\' ? (i++, escapedChar()) : c[i++].codePointAt(0)!);
      const lo = one();
      let hi = lo;
      if (c[i] === '-' && c[i + 1] !== undefined && c[i + 1] !== ']') {
        i++;
        hi = one();
        if (hi < lo) throw new Error('invalid character class range');
      }
      ranges.push([lo, hi]);
    }
    i++;
    return classText(ranges, negate);
  };
  while (i < c.length) {
    const ch = c[i++];
    if (ch === '[') out += parseClass();
    else if (ch === '.') out += '[^\\n]';
    else if ('^$()*?'.includes(ch)) out += ch;
    else if (ch !== '\\') out += hex(ch.codePointAt(0)!);
    else {
      const e = c[i] ?? '';
      if (e === 'b' || e === 'B') out += `\\${e}`;
      else if (e === 'A' || e === 'z') out += e === 'A' ? '^' : '$';
      else if (perl(e)) out += classText(perl(e)!);
      else if (e === 'Q') {
        // Literal text up to `\E`.
        const rest = c.slice(i + 1).join('');
        const end = rest.indexOf('\\E');
        const literal = end < 0 ? rest : rest.slice(0, end);
        out += Array.from(literal, (x) => hex(x.codePointAt(0)!)).join('');
        i += 1 + Array.from(literal).length + (end < 0 ? 0 : 2);
        continue;
      } else {
        out += hex(escapedChar());
        continue;
      }
      i++;
    }
  }
  return out;
}

// ---- Matcher -----------------------------------------------------------------

/**
 * Decides whether a context path is left out of the build, as BuildKit does:
 * patternmatcher's MatchesOrParentMatches on the cleaned path. A malformed
 * list (bad `[` class, trailing `\`, bare `!`) makes Docker fail the build;
 * `error` says why and nothing is reported as excluded.
 */
export class IgnoreMatcher {
  readonly patterns: readonly IgnorePattern[];
  readonly error?: string;
  /** Each pattern with its position in the list given to the constructor (blank entries are dropped). */
  private readonly compiled: Array<{ pattern: IgnorePattern; match: (path: string) => boolean; index: number }> = [];
  /**
   * For fsutil's pruning of excluded directories: undefined when some
   * exception has glob characters (any excluded directory may hold a
   * re-included path, so every one is walked), else the exceptions' literal
   * prefixes, each ending in `/`.
   */
  private readonly exceptionPrefixes?: readonly string[];

  constructor(patterns: readonly string[]) {
    for (let index = 0; index < patterns.length; index++) {
      if (!trimSpace(patterns[index])) continue;
      const c = compilePattern(patterns[index]);
      // Docker rejects the list at its first bad entry.
      if (c.error === undefined) this.compiled.push({ ...c, index });
      else this.error ??= c.error;
    }
    this.patterns = this.compiled.map((c) => c.pattern);
    // fsutil (filter.go, NewFilterFS): an exception "has glob characters" when
    // its text, less a trailing `/**` or `/*`, contains any of `*[]?^\`.
    const prefixes: string[] = [];
    for (const p of this.patterns) {
      if (!p.exclusion) continue;
      const literal = p.text.replace(/\/\*\*$/, '').replace(/\/\*$/, '');
      if (/[*[\]?^\\]/.test(literal)) return;
      prefixes.push(`${literal}/`);
    }
    this.exceptionPrefixes = prefixes;
  }

  /** Number of patterns, for sizing the per-pattern results `decide` writes. */
  get size(): number {
    return this.compiled.length;
  }

  /**
   * The walker's decision (patternmatcher's MatchesUsingParentResults, which
   * BuildKit's fsutil walker uses): `parent[k]` says whether pattern k matched
   * the parent directory or one above it; a pattern that did is not tested
   * again, the others only on `path` itself. It can differ from `excludes` (a
   * pattern skipped at the parent, by the last-match shortcut, is never
   * tested against the parent for the child), and the walker is what the
   * builder runs. Writes this path's results into `out` when given (a
   * directory, for its children). Returns the position (in the list given to
   * the constructor) of the pattern that excludes `path`, or -1.
   */
  decide(path: string, parent: Uint8Array | undefined, out?: Uint8Array): number {
    if (this.error) return -1;
    let matched = false;
    let by = -1;
    const compiled = this.compiled;
    for (let k = 0; k < compiled.length; k++) {
      const { pattern, match, index } = compiled[k];
      let hit = parent !== undefined && parent[k] === 1;
      // Only a pattern that can change the verdict is evaluated (upstream does the same).
      if (!hit && pattern.exclusion === matched) hit = match(path);
      if (out) out[k] = hit ? 1 : 0;
      if (hit) {
        matched = !pattern.exclusion;
        by = index;
      }
    }
    return matched ? by : -1;
  }

  /**
   * Whether an excluded directory can be left unread: fsutil skips it unless
   * an exception could re-include something inside (any exception with glob
   * characters, or one whose literal text lies under the directory).
   */
  canSkipExcludedDir(dir: string): boolean {
    if (!this.exceptionPrefixes) return false;
    const slashed = `${dir}/`;
    return !this.exceptionPrefixes.some((p) => p.startsWith(slashed));
  }

  /** Whether some pattern starts with `!`: an excluded directory may then have re-included content. */
  get hasExceptions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  /** Is `path` (relative to the context root, `/`-separated) excluded from the build context? */
  excludes(path: string): boolean {
    if (this.error) return false;
    const file = cleanPath(path);
    // The context root itself is never excluded (Docker: "kind of silly").
    if (file === '.') return false;
    const parent = dirOf(file);
    const parents = parent === '.' ? [] : parent.split('/').map((_, k, all) => all.slice(0, k + 1).join('/'));
    let matched = false;
    for (const { pattern, match } of this.compiled) {
      // Only a pattern that can change the verdict is evaluated (upstream does the same).
      if (pattern.exclusion !== matched) continue;
      if (match(file) || parents.some(match)) matched = !pattern.exclusion;
    }
    return matched;
  }
}
