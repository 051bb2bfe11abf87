import { isSpace } from './model';
import type { Comment, Directive, Flag, Heredoc, Instruction, ParseProblem, ParsedDockerfile, Position, Range } from './types';

// A Dockerfile parser that keeps exact positions and never gives up: a problem
// is recorded and parsing goes on with the next line. Written by hand because
// the linter needs what builders discard (keyword casing, empty continuation
// lines, comments inside continuations, offsets back into the file) and must
// run on half-typed text.

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const FLAG_KEYWORDS = new Set(['FROM', 'COPY', 'ADD', 'RUN', 'HEALTHCHECK']);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

interface Segment {
  /** Offset in the joined args where this physical piece starts. */
  offset: number;
  line: number;
  column: number;
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.split(/\r\n|\r|\n/);
  const directives: Directive[] = [];
  const comments: Comment[] = [];
  const problems: ParseProblem[] = [];
  const instructions: Instruction[] = [];
  let escape = '\\';

  let i = 0;
  // Parser directives: only before anything else (a blank line, comment or instruction ends them).
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i].trim());
    if (!m || !KNOWN_DIRECTIVES.has(m[1].toLowerCase())) break;
    const name = m[1].toLowerCase();
    if (directives.some((d) => d.name === name)) problems.push({ message: `Duplicate parser directive "${name}"`, range: lineRange(lines, i) });
    directives.push({ name, value: m[2], line: i, range: lineRange(lines, i) });
    if (name === 'escape') {
      if (m[2] === '`' || m[2] === '\\') escape = m[2];
      else problems.push({ message: `Invalid escape directive "${m[2]}": must be \` or \\`, range: lineRange(lines, i) });
    }
  }

  while (i < lines.length) {
    const first = firstVisible(lines[i]);
    if (first === '') {
      i++;
      continue;
    }
    if (first === '#') {
      comments.push(commentAt(lines, i));
      i++;
      continue;
    }
    const start = i;
    const parsed = readInstruction(lines, i, escape, comments);
    i = parsed.next;
    const ins = makeInstruction(lines, start, parsed.segments, parsed.args, parsed.endLine, parsed.empty, problems);
    // Only `<<` can start a heredoc; most instructions have none.
    if (HEREDOC_KEYWORDS.has(ins.keyword) && ins.rest.includes('<<')) i = readHeredocs(lines, i, ins, problems);
    instructions.push(ins);
  }
  return { lines, directives, escape, instructions, comments, problems };
}

/** Joins an instruction's physical lines (continuations), skipping comment and empty lines inside it. */
function readInstruction(lines: string[], from: number, escape: string, comments: Comment[]) {
  // Most instructions are one line without empty lines: small arrays, allocated when needed.
  let segments: Segment[] | undefined;
  let empty: number[] | undefined;
  let args = '';
  let i = from;
  let endLine = from;
  let first = true;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (!first) {
      const c = firstVisible(raw);
      if (c === '') {
        (empty ??= []).push(i);
        continue;
      }
      if (c === '#') {
        comments.push(commentAt(lines, i));
        continue;
      }
    }
    const cont = continues(raw, escape);
    const body = cont === undefined ? raw : raw.slice(0, cont);
    let column = 0;
    if (first) {
      // Skip the keyword; args start after it and its whitespace.
      column = leadingWord(body)?.[2] ?? 0;
    }
    const segment = { offset: args.length, line: i, column };
    if (segments) segments.push(segment);
    else segments = [segment];
    args += body.slice(column);
    endLine = i;
    first = false;
    if (cont === undefined) {
      i++;
      break;
    }
  }
  // A continuation at the end of the file: trailing empty lines are not "inside" it.
  while (empty?.length && empty[empty.length - 1] > endLine) empty.pop();
  return { segments: segments ?? [], args, next: i, endLine, empty: empty ?? NONE };
}

/**
 * The first character of `line.trim()` ('' for a blank line). Scans plain
 * indentation by hand: trimming every line of a 10,000-line file allocates.
 */
function firstVisible(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    if (c > 32 && c < 127) return line[i];
    break; // other whitespace (\r, \v, NBSP, ...): let trim() decide
  }
  return line.trim().charAt(0);
}

function commentAt(lines: string[], i: number): Comment {
  return { text: lines[i].trim().slice(1).trim(), line: i, range: lineRange(lines, i) };
}

/** Index of the escape character that continues the line, if it does. */
function continues(line: string, escape: string): number | undefined {
  // The end of the line without trailing spaces and tabs.
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  if (end === 0 || line[end - 1] !== escape) return undefined;
  // An escaped escape character (`\\` at the end) does not continue the line.
  let n = 0;
  for (let k = end - 1; k >= 0 && line[k] === escape; k--) n++;
  return n % 2 === 1 ? end - 1 : undefined;
}

/** The shared value of empty lists (flags, heredocs, empty lines): most instructions have none. */
const NONE = Object.freeze([]) as never[];

/**
 * An instruction as parsed. `argsPosition` is a method over the physical
 * pieces (`segments`) instead of a closure per instruction: a 10,000-line file
 * has thousands of instructions. A trigger shares its ONBUILD's pieces, its
 * offsets shifted by `base`. The ranges are built on first use from plain
 * numbers: few instructions are ever reported, and every object kept until the
 * end of a run costs garbage-collection time.
 */
class ParsedInstruction implements Instruction {
  declare trigger?: Instruction;
  flags: Flag[] = NONE;
  rest = '';
  restOffset = 0;
  json?: string[];
  heredocs: Heredoc[] = NONE;
  /** Readings derived by the rules (see memoizeInstruction). */
  memo: unknown[] | undefined = undefined;
  private keywordRangeCache?: Range;
  private rangeCache?: Range;
  private argsRangeCache?: Range;

  constructor(
    public keyword: string,
    public rawKeyword: string,
    public args: string,
    public emptyContinuationLines: number[],
    private readonly segments: readonly Segment[],
    /** Offset of these args in the segments' joined text, and that text's length. */
    private readonly base: number,
    private readonly limit: number,
    /** Where the keyword starts, and where the instruction ends. */
    private readonly line: number,
    private readonly column: number,
    private readonly endLine: number,
    private readonly endColumn: number,
    /** For a trigger: its ONBUILD, whose keyword end is where offsets land when there are no segments. */
    private readonly owner?: Instruction,
  ) {}

  get keywordRange(): Range {
    return (this.keywordRangeCache ??= { start: { line: this.line, column: this.column }, end: { line: this.line, column: this.column + this.rawKeyword.length } });
  }

  get range(): Range {
    return (this.rangeCache ??= { start: this.keywordRange.start, end: { line: this.endLine, column: this.endColumn } });
  }

  set range(range: Range) {
    this.rangeCache = range;
  }

  get argsRange(): Range {
    return (this.argsRangeCache ??= { start: this.argsPosition(0), end: this.argsPosition(this.args.length) });
  }

  argsPosition(offset: number): Position {
    const o = Math.max(0, Math.min(this.base + offset, this.limit));
    const segments = this.segments;
    let seg = segments[0];
    for (let k = 1; k < segments.length && segments[k].offset <= o; k++) seg = segments[k];
    return seg ? { line: seg.line, column: seg.column + (o - seg.offset) } : (this.owner ?? this).keywordRange.end;
  }

  /** Flags, the rest and the exec form, once `args` is known. */
  readArguments(flagged: boolean, restOffset: number): void {
    if (flagged) ({ flags: this.flags, restOffset } = readFlags(this.args, this));
    this.restOffset = restOffset;
    this.rest = this.args.slice(restOffset);
    this.json = execForm(this.rest);
  }
}

function makeInstruction(lines: string[], start: number, segments: Segment[], joined: string, endLine: number, empty: number[], problems: ParseProblem[]): Instruction {
  const first = lines[start];
  const [lead, keywordEnd] = leadingWord(first)!; // the line is not blank
  const rawKeyword = first.slice(lead, keywordEnd);
  const keyword = rawKeyword.toUpperCase();
  const args = joined.trimEnd();
  const ins = new ParsedInstruction(keyword, rawKeyword, args, empty, segments, 0, args.length, start, lead, endLine, lines[endLine].length);
  ins.readArguments(FLAG_KEYWORDS.has(keyword), 0);
  if (keyword === 'ONBUILD' && ins.rest.trim()) ins.trigger = triggerOf(ins, segments, problems);
  return ins;
}

/** `/^(\s*)(\S+)(\s*)/` by hand: where the leading space, the word and the space after it end; undefined for blank text. */
function leadingWord(s: string): [number, number, number] | undefined {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const lead = i;
  while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
  if (i === lead) return undefined;
  const word = i;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return [lead, word, i];
}

// Module-level: a RegExp literal inside a function is a new object per call.
const FLAG = /\s*(--([A-Za-z0-9_-]+)(?:=((?:"[^"]*"|'[^']*'|\S)*))?)(?=\s|$)/y;
const QUOTED = /^(["']).*\1$/;
const SPACE = /\s/;

/** Leading `--name[=value]` words. */
function readFlags(args: string, ins: Instruction): { flags: Flag[]; restOffset: number } {
  const flags: Flag[] = [];
  let pos = 0;
  for (;;) {
    FLAG.lastIndex = pos;
    const m = FLAG.exec(args);
    if (!m) break;
    const begin = m.index + m[0].length - m[1].length;
    flags.push({ name: m[2], value: m[3] === undefined ? undefined : unquote(m[3]), range: { start: ins.argsPosition(begin), end: ins.argsPosition(begin + m[1].length) } });
    pos = FLAG.lastIndex;
  }
  while (pos < args.length && SPACE.test(args[pos])) pos++;
  return flags.length ? { flags, restOffset: pos } : { flags: NONE, restOffset: leadingSpace(args) };
}

function leadingSpace(s: string): number {
  return s.length - s.trimStart().length;
}

function unquote(v: string): string {
  return QUOTED.test(v) ? v.slice(1, -1) : v;
}

/** The exec form: a JSON array of strings (anything else is shell form, as builders treat it). */
function execForm(rest: string): string[] | undefined {
  if (firstVisible(rest) !== '[') return undefined;
  try {
    const v = JSON.parse(rest.trim()) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** ONBUILD's trigger, as an instruction of its own whose positions lie inside the ONBUILD. */
function triggerOf(onbuild: ParsedInstruction, segments: readonly Segment[], problems: ParseProblem[]): Instruction | undefined {
  const text = onbuild.rest;
  const m = leadingWord(text);
  if (!m) return undefined;
  const [lead, keywordEnd, argsEnd] = m;
  const base = onbuild.restOffset;
  const kwStart = onbuild.argsPosition(base + lead);
  const rawKeyword = text.slice(lead, keywordEnd);
  const keyword = rawKeyword.toUpperCase();
  const argsStart = base + argsEnd;
  const args = onbuild.args.slice(argsStart);
  const end = onbuild.range.end;
  const trigger = new ParsedInstruction(keyword, rawKeyword, args, NONE, segments, argsStart, onbuild.args.length, kwStart.line, kwStart.column, end.line, end.column, onbuild);
  trigger.readArguments(FLAG_KEYWORDS.has(keyword), leadingSpace(args));
  if (!/^[A-Za-z]+$/.test(rawKeyword)) problems.push({ message: `ONBUILD trigger "${rawKeyword}" is not an instruction`, range: { start: trigger.keywordRange.start, end: trigger.argsPosition(0) } });
  return trigger;
}

/** Reads the bodies of `<<EOF` heredocs that follow the instruction; returns the next line to parse. */
function readHeredocs(lines: string[], next: number, ins: Instruction, problems: ParseProblem[]): number {
  const words = stripQuotedStrings(ins.rest);
  HEREDOC.lastIndex = 0;
  let m: RegExpExecArray | null;
  let i = next;
  while ((m = HEREDOC.exec(words))) {
    const chomp = m[1] === '-';
    const name = m[3];
    const bodyStart = i;
    const body: string[] = [];
    let closed = false;
    for (; i < lines.length; i++) {
      const l = chomp ? lines[i].replace(/^\t+/, '') : lines[i];
      if (l === name || l.trimEnd() === name) {
        closed = true;
        break;
      }
      body.push(l);
    }
    const bodyEnd = Math.max(bodyStart, i - 1);
    const range: Range = { start: { line: bodyStart, column: 0 }, end: { line: Math.min(bodyEnd, lines.length - 1), column: (lines[Math.min(bodyEnd, lines.length - 1)] ?? '').length } };
    if (!ins.heredocs.length) ins.heredocs = []; // replaces the shared empty list
    ins.heredocs.push({ name, body: body.join('\n'), chomp, quoted: m[2] !== '', range });
    if (!closed) {
      problems.push({ message: `Heredoc "${name}" is not closed`, range: ins.keywordRange });
      break;
    }
    i++; // past the delimiter line
    ins.range = { start: ins.range.start, end: { line: i - 1, column: lines[i - 1].length } };
  }
  return i;
}

/** Blanks out quoted strings so `<<` inside quotes is not taken for a heredoc. */
function stripQuotedStrings(s: string): string {
  return s.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (q, at: number) => (/<<-?$/.test(s.slice(0, at)) ? q : ' '.repeat(q.length)));
}

function lineRange(lines: string[], line: number): Range {
  return { start: { line, column: 0 }, end: { line, column: lines[line].length } };
}
