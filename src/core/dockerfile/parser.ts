import type { Comment, Directive, Flag, Instruction, ParseProblem, ParsedDockerfile, Position, Range } from './types';

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
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') {
      i++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      comments.push({ text: trimmed.slice(1).trim(), line: i, range: lineRange(lines, i) });
      i++;
      continue;
    }
    const start = i;
    const parsed = readInstruction(lines, i, escape, comments);
    i = parsed.next;
    const ins = makeInstruction(lines, start, parsed.segments, parsed.args, parsed.endLine, parsed.empty, problems);
    if (HEREDOC_KEYWORDS.has(ins.keyword)) i = readHeredocs(lines, i, ins, problems);
    instructions.push(ins);
  }
  return { lines, directives, escape, instructions, comments, problems };
}

/** Joins an instruction's physical lines (continuations), skipping comment and empty lines inside it. */
function readInstruction(lines: string[], from: number, escape: string, comments: Comment[]) {
  const segments: Segment[] = [];
  const empty: number[] = [];
  let args = '';
  let i = from;
  let endLine = from;
  let first = true;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (!first) {
      const t = raw.trim();
      if (t === '') {
        empty.push(i);
        continue;
      }
      if (t.startsWith('#')) {
        comments.push({ text: t.slice(1).trim(), line: i, range: lineRange(lines, i) });
        continue;
      }
    }
    const cont = continues(raw, escape);
    const body = cont === undefined ? raw : raw.slice(0, cont);
    let column = 0;
    if (first) {
      // Skip the keyword; args start after it and its whitespace.
      const m = /^(\s*)(\S+)(\s*)/.exec(body);
      column = m ? m[0].length : 0;
    }
    segments.push({ offset: args.length, line: i, column });
    args += body.slice(column);
    endLine = i;
    first = false;
    if (cont === undefined) {
      i++;
      break;
    }
  }
  // A continuation at the end of the file: trailing empty lines are not "inside" it.
  while (empty.length && empty[empty.length - 1] > endLine) empty.pop();
  return { segments, args, next: i, endLine, empty };
}

/** Index of the escape character that continues the line, if it does. */
function continues(line: string, escape: string): number | undefined {
  const t = line.replace(/[ \t]+$/, '');
  if (!t.endsWith(escape)) return undefined;
  // An escaped escape character (`\\` at the end) does not continue the line.
  let n = 0;
  for (let k = t.length - 1; k >= 0 && t[k] === escape; k--) n++;
  return n % 2 === 1 ? t.length - 1 : undefined;
}

function makeInstruction(lines: string[], start: number, segments: Segment[], joined: string, endLine: number, empty: number[], problems: ParseProblem[]): Instruction {
  const first = lines[start];
  const km = /^(\s*)(\S+)/.exec(first)!;
  const rawKeyword = km[2];
  const keyword = rawKeyword.toUpperCase();
  const keywordRange = { start: { line: start, column: km[1].length }, end: { line: start, column: km[1].length + rawKeyword.length } };
  const args = joined.trimEnd();
  const argsPosition = (offset: number): Position => {
    const o = Math.max(0, Math.min(offset, args.length));
    let seg = segments[0];
    for (const s of segments) if (s.offset <= o) seg = s;
    return seg ? { line: seg.line, column: seg.column + (o - seg.offset) } : keywordRange.end;
  };
  const { flags, restOffset } = FLAG_KEYWORDS.has(keyword) ? readFlags(args, argsPosition) : { flags: [] as Flag[], restOffset: 0 };
  const rest = args.slice(restOffset);
  const ins: Instruction = {
    keyword,
    rawKeyword,
    keywordRange,
    range: { start: keywordRange.start, end: { line: endLine, column: lines[endLine].length } },
    args,
    argsRange: { start: argsPosition(0), end: argsPosition(args.length) },
    flags,
    rest,
    restOffset,
    argsPosition,
    json: execForm(rest),
    heredocs: [],
    emptyContinuationLines: empty,
  };
  if (keyword === 'ONBUILD' && rest.trim()) ins.trigger = triggerOf(ins, problems);
  return ins;
}

/** Leading `--name[=value]` words. */
function readFlags(args: string, at: (o: number) => Position): { flags: Flag[]; restOffset: number } {
  const flags: Flag[] = [];
  const re = /\s*(--([A-Za-z0-9_-]+)(?:=((?:"[^"]*"|'[^']*'|\S)*))?)(?=\s|$)/y;
  let pos = 0;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(args);
    if (!m) break;
    const begin = m.index + m[0].length - m[1].length;
    flags.push({ name: m[2], value: m[3] === undefined ? undefined : unquote(m[3]), range: { start: at(begin), end: at(begin + m[1].length) } });
    pos = re.lastIndex;
  }
  while (pos < args.length && /\s/.test(args[pos])) pos++;
  return { flags, restOffset: flags.length ? pos : leadingSpace(args) };
}

function leadingSpace(s: string): number {
  return s.length - s.trimStart().length;
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** The exec form: a JSON array of strings (anything else is shell form, as builders treat it). */
function execForm(rest: string): string[] | undefined {
  const t = rest.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** ONBUILD's trigger, as an instruction of its own whose positions lie inside the ONBUILD. */
function triggerOf(onbuild: Instruction, problems: ParseProblem[]): Instruction | undefined {
  const text = onbuild.rest;
  const m = /^(\s*)(\S+)(\s*)/.exec(text);
  if (!m) return undefined;
  const base = onbuild.restOffset;
  const kwStart = onbuild.argsPosition(base + m[1].length);
  const rawKeyword = m[2];
  const keyword = rawKeyword.toUpperCase();
  const argsStart = base + m[0].length;
  const args = onbuild.args.slice(argsStart);
  const at = (o: number) => onbuild.argsPosition(argsStart + o);
  const { flags, restOffset } = FLAG_KEYWORDS.has(keyword) ? readFlags(args, at) : { flags: [] as Flag[], restOffset: leadingSpace(args) };
  const rest = args.slice(restOffset);
  if (!/^[A-Za-z]+$/.test(rawKeyword)) problems.push({ message: `ONBUILD trigger "${rawKeyword}" is not an instruction`, range: { start: kwStart, end: at(0) } });
  return {
    keyword,
    rawKeyword,
    keywordRange: { start: kwStart, end: { line: kwStart.line, column: kwStart.column + rawKeyword.length } },
    range: { start: kwStart, end: onbuild.range.end },
    args,
    argsRange: { start: at(0), end: at(args.length) },
    flags,
    rest,
    restOffset,
    argsPosition: at,
    json: execForm(rest),
    heredocs: [],
    emptyContinuationLines: [],
  };
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
