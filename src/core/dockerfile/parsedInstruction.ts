import { isSpace } from './model';
import type { PlacedInstruction, Stage } from './modelTypes';
import type { Flag, Heredoc, Instruction, Position, Range } from './types';

// A parsed instruction: its arguments split into flags, the rest and the exec
// form, with offsets mapped back to the file (see parser.ts for the reading of
// lines into instructions).

export interface Segment {
  /** Offset in the joined args where this physical piece starts. */
  offset: number;
  line: number;
  column: number;
}

/**
 * The first character of `line.trim()` ('' for a blank line). Scans plain
 * indentation by hand: trimming every line of a 10,000-line file allocates.
 */
export function firstVisible(line: string): string {
  let i = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    if (c > 32 && c < 127) return line[i];
    break; // other whitespace (\r, \v, NBSP, ...): let trim() decide
  }
  if (i === line.length) return ''; // blank (no reading past the end: that deoptimizes the caller's code)
  const t = line.trim();
  return t.length ? t[0] : '';
}

/** The shared value of empty lists (flags, heredocs, empty lines): most instructions have none. */
export const NONE = Object.freeze([]) as never[];

/**
 * An instruction as parsed. `argsPosition` is a method over the physical
 * pieces (`segments`) instead of a closure per instruction: a 10,000-line file
 * has thousands of instructions. A trigger shares its ONBUILD's pieces, its
 * offsets shifted by `base`. The ranges are built on first use from plain
 * numbers: few instructions are ever reported, and every object kept until the
 * end of a run costs garbage-collection time.
 */
export class ParsedInstruction implements PlacedInstruction {
  // Set in the constructor for every instruction (not added to ONBUILDs only): one shape, no property store per ONBUILD.
  trigger?: ParsedInstruction = undefined;
  /** Set by buildModel (see PlacedInstruction). */
  stage: Stage | undefined = undefined;
  flags: Flag[] = NONE;
  rest = '';
  restOffset = 0;
  json?: string[];
  heredocs: Heredoc[] = NONE;
  /** Readings derived by the rules (see memoizeInstruction). */
  memo: unknown[] | undefined = undefined;
  /** The ranges, once asked for (most never are). */
  private ranges: { keyword?: Range; all?: Range; args?: Range } | undefined = undefined;

  constructor(
    public keyword: string,
    public rawKeyword: string,
    public args: string,
    public emptyContinuationLines: number[],
    /** The physical pieces of a multi-line instruction; one-line ones have none (argsLine/argsColumn say where args start). */
    private readonly segments: readonly Segment[] | undefined,
    private readonly argsLine: number,
    private readonly argsColumn: number,
    /** Offset of these args in the segments' joined text (which ends where these args end). */
    private readonly base: number,
    /** Where the keyword starts, and where the instruction ends. */
    private readonly line: number,
    private readonly column: number,
    private readonly endLine: number,
    private readonly endColumn: number,
  ) {}

  get instruction(): this {
    return this;
  }

  get keywordRange(): Range {
    const r = (this.ranges ??= {});
    return (r.keyword ??= { start: { line: this.line, column: this.column }, end: { line: this.line, column: this.column + this.rawKeyword.length } });
  }

  get range(): Range {
    const r = (this.ranges ??= {});
    return (r.all ??= { start: this.keywordRange.start, end: { line: this.endLine, column: this.endColumn } });
  }

  set range(range: Range) {
    (this.ranges ??= {}).all = range;
  }

  get argsRange(): Range {
    const r = (this.ranges ??= {});
    return (r.args ??= { start: this.argsPosition(0), end: this.argsPosition(this.args.length) });
  }

  argsPosition(offset: number): Position {
    const o = Math.max(0, Math.min(this.base + offset, this.base + this.args.length));
    const segments = this.segments;
    if (!segments) return { line: this.argsLine, column: this.argsColumn + o };
    let seg = segments[0];
    for (let k = 1; k < segments.length && segments[k].offset <= o; k++) seg = segments[k];
    return { line: seg.line, column: seg.column + (o - seg.offset) };
  }

  /** Flags, the rest and the exec form, once `args` is known. */
  readArguments(flagged: boolean, restOffset: number): void {
    if (flagged) restOffset = readFlags(this.args, this);
    this.restOffset = restOffset;
    this.rest = this.args.slice(restOffset);
    this.json = execForm(this.rest);
  }
}

// Module-level: a RegExp literal inside a function is a new object per call.
const FLAG = /\s*(--([A-Za-z0-9_-]+)(?:=((?:"[^"]*"|'[^']*'|\S)*))?)(?=\s|$)/y;
const QUOTED = /^(["']).*\1$/;
const SPACE = /\s/;

/** A flag whose range is made when asked for (few flags are ever reported). */
class ParsedFlag implements Flag {
  private rangeCache: Range | undefined = undefined;

  constructor(
    private readonly ins: Instruction,
    private readonly offset: number,
    private readonly length: number,
    readonly name: string,
    readonly value: string | undefined,
  ) {}

  get range(): Range {
    return (this.rangeCache ??= { start: this.ins.argsPosition(this.offset), end: this.ins.argsPosition(this.offset + this.length) });
  }
}

/** Reads the leading `--name[=value]` words into `ins.flags`; returns where the rest starts. */
function readFlags(args: string, ins: ParsedInstruction): number {
  // Most instructions have no flag: no need to run the expression to know.
  const lead = skipSpace(args, 0);
  if (args.charCodeAt(lead) !== 45 || args.charCodeAt(lead + 1) !== 45) return lead; // not `--`
  const flags: Flag[] = [];
  let pos = 0;
  for (;;) {
    FLAG.lastIndex = pos;
    const m = FLAG.exec(args);
    if (!m) break;
    const begin = m.index + m[0].length - m[1].length;
    flags.push(new ParsedFlag(ins, begin, m[1].length, m[2], m[3] === undefined ? undefined : unquote(m[3])));
    pos = FLAG.lastIndex;
  }
  while (pos < args.length && SPACE.test(args[pos])) pos++;
  if (!flags.length) return leadingSpace(args);
  // Kept until the end of the run: an exact-size copy (a pushed-to array has room for sixteen).
  ins.flags = flags.slice();
  return pos;
}

export function leadingSpace(s: string): number {
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

/** The index of the first non-space character of `s` at or after `i` (`\s` as regular expressions read it). */
export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** The index just past the run of non-space characters at `i`. */
export function skipWord(s: string, i: number): number {
  while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
  return i;
}
