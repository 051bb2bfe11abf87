import { firstVisible, leadingSpace, NONE, ParsedInstruction, type Segment, skipSpace, skipWord } from './parsedInstruction';
import type { Comment, Directive, Instruction, ParseProblem, ParsedDockerfile, Range } from './types';

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

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = splitLines(text);
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

  const read = new Joined();
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
    readInstruction(lines, i, escape, comments, read);
    i = read.next;
    const ins = makeInstruction(lines, start, read, problems);
    // Only `<<` can start a heredoc; most instructions have none.
    if (HEREDOC_KEYWORDS.has(ins.keyword) && ins.rest.includes('<<')) i = readHeredocs(lines, i, ins, problems);
    instructions.push(ins);
  }
  return { lines, directives, escape, instructions, comments, problems };
}

/**
 * The file's lines. Most files have no `\r`: splitting at `\n` alone takes
 * V8's string-separator path, which on the 10,000-line bench file allocated
 * 380 KB against 750 KB for the expression (its match objects and a grown
 * result list), and the lines are the same.
 */
function splitLines(text: string): string[] {
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

/**
 * What readInstruction found: one object per parse, refilled for each
 * instruction (a result object per instruction was garbage on large files).
 */
class Joined {
  /** The pieces, when the instruction spans several lines. */
  segments: Segment[] | undefined = undefined;
  /** Where the arguments start, on the instruction's first line. */
  column = 0;
  args = '';
  next = 0;
  endLine = 0;
  empty: number[] = NONE;
}

/** Joins an instruction's physical lines (continuations), skipping comment and empty lines inside it. */
function readInstruction(lines: string[], from: number, escape: string, comments: Comment[], out: Joined): void {
  // Most instructions are one line without empty lines: arrays only when needed.
  let segments: Segment[] | undefined;
  let empty: number[] | undefined;
  let args = '';
  let i = from;
  let endLine = from;
  let first = true;
  let firstColumn = 0;
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
      const lead = skipSpace(body, 0);
      const word = skipWord(body, lead);
      column = firstColumn = word > lead ? skipSpace(body, word) : 0;
    } else {
      // A continuation: now the pieces need a list (the first one included).
      segments ??= [{ offset: 0, line: from, column: firstColumn }];
      segments.push({ offset: args.length, line: i, column });
    }
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
  out.segments = segments && segments.slice(); // exact size: kept to the end of the run
  out.column = firstColumn;
  out.args = args;
  out.next = i;
  out.endLine = endLine;
  out.empty = empty?.length ? empty : NONE;
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

function makeInstruction(lines: string[], start: number, read: Joined, problems: ParseProblem[]): Instruction {
  const first = lines[start];
  const lead = skipSpace(first, 0);
  const { raw: rawKeyword, upper: keyword } = keywordOf(first, lead, skipWord(first, lead)); // the line is not blank
  const args = read.args.trimEnd();
  const endLine = read.endLine;
  const ins = new ParsedInstruction(keyword, rawKeyword, args, read.empty, read.segments, start, read.column, 0, start, lead, endLine, lines[endLine].length);
  ins.readArguments(FLAG_KEYWORDS.has(keyword), 0);
  if (keyword === 'ONBUILD' && ins.rest.trim()) ins.trigger = triggerOf(ins, read.segments, start, read.column, endLine, lines[endLine].length, problems);
  return ins;
}

// Keywords as written in most files, with their upper-case form: every
// instruction keeps both strings until the end of a run, so the common
// spellings share one copy each. Found by length and comparison in place
// (no slice to hash), since every instruction asks.
const KNOWN_KEYWORDS: Array<Array<{ raw: string; upper: string }>> = [];
for (const k of ['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']) {
  for (const raw of [k, k.toLowerCase()]) (KNOWN_KEYWORDS[k.length] ??= []).push({ raw, upper: k });
}

/** The keyword in `text` from `start` to `end`, as written and upper-cased. */
function keywordOf(text: string, start: number, end: number): { raw: string; upper: string } {
  const known = KNOWN_KEYWORDS[end - start];
  if (known) for (let k = 0; k < known.length; k++) if (text.startsWith(known[k].raw, start)) return known[k];
  const raw = text.slice(start, end);
  return { raw, upper: raw.toUpperCase() };
}


/** ONBUILD's trigger, as an instruction of its own whose positions lie inside the ONBUILD (it shares the ONBUILD's pieces). */
function triggerOf(onbuild: ParsedInstruction, segments: readonly Segment[] | undefined, argsLine: number, argsColumn: number, endLine: number, endColumn: number, problems: ParseProblem[]): ParsedInstruction | undefined {
  const text = onbuild.rest;
  const lead = skipSpace(text, 0);
  const keywordEnd = skipWord(text, lead);
  if (keywordEnd === lead) return undefined;
  const argsEnd = skipSpace(text, keywordEnd);
  const base = onbuild.restOffset;
  const kwStart = onbuild.argsPosition(base + lead);
  const { raw: rawKeyword, upper: keyword } = keywordOf(text, lead, keywordEnd);
  const argsStart = base + argsEnd;
  const args = onbuild.args.slice(argsStart);
  // The ONBUILD's end, as numbers: asking for its range would build the ranges of every ONBUILD.
  const trigger = new ParsedInstruction(keyword, rawKeyword, args, NONE, segments, argsLine, argsColumn, argsStart, kwStart.line, kwStart.column, endLine, endColumn);
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
