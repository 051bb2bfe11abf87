// The Dockerfile linter's shared shapes. Positions are 0-based (line, UTF-16
// column) like the editor's; the CLI adds 1 when printing.

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'style';

/** A `--name=value` (or bare `--name`) flag before an instruction's arguments. */
export interface Flag {
  name: string;
  value?: string;
  range: Range;
}

export interface Heredoc {
  /** The delimiter word, e.g. EOF. */
  name: string;
  /** Body text, lines joined with \n, without the closing delimiter line. */
  body: string;
  /** `<<-`: leading tabs stripped. */
  chomp: boolean;
  /** Quoted delimiter (`<<"EOF"`): no expansion in the body. */
  quoted: boolean;
  /** Range of the body lines. */
  range: Range;
}

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, ... (unknown keywords kept as written, upper-cased). */
  keyword: string;
  /** The keyword as written (for casing checks). */
  rawKeyword: string;
  keywordRange: Range;
  /** The whole instruction: keyword to the end of its last continuation line or heredoc body. */
  range: Range;
  /** Arguments after the keyword with line continuations joined (escape char + newline removed, comment lines inside dropped); heredoc bodies not included. */
  args: string;
  argsRange: Range;
  /** Leading `--flags` (FROM, COPY, ADD, RUN, HEALTHCHECK). */
  flags: Flag[];
  /** `args` without the leading flags. */
  rest: string;
  /** Offset of `rest` within `args`. */
  restOffset: number;
  /**
   * Maps an offset into `args` back to the file (continuations make `args` span
   * lines). Offsets past the end map to the end of the arguments.
   */
  argsPosition(offset: number): Position;
  /** The exec (JSON array) form when `rest` is a valid JSON array of strings. */
  json?: string[];
  heredocs: Heredoc[];
  /** For ONBUILD: the trigger instruction parsed from its arguments (positions inside the ONBUILD line). */
  trigger?: Instruction;
  /** Physical lines that are continuation lines of this instruction and empty (BuildKit's NoEmptyContinuation). */
  emptyContinuationLines: number[];
}

export interface Directive {
  /** Lower-cased directive name: syntax, escape, check. */
  name: string;
  value: string;
  line: number;
  range: Range;
}

export interface Comment {
  /** Text after the `#`, trimmed. */
  text: string;
  line: number;
  range: Range;
}

export interface ParseProblem {
  message: string;
  range: Range;
}

export interface ParsedDockerfile {
  lines: string[];
  directives: Directive[];
  /** The escape character in force (`\` or `` ` ``). */
  escape: string;
  instructions: Instruction[];
  /** Every comment line (directives excluded), in order. */
  comments: Comment[];
  /** Problems found while parsing; parsing always continues. */
  problems: ParseProblem[];
}

/** A text edit that a quick fix applies. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  code: string;
  /** Other names of the same concept (BuildKit check names for hadolint codes). */
  aliases: string[];
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  /**
   * The first line of another instruction whose inline ignore pragmas also apply:
   * a finding placed where BuildKit reports it, which hadolint reports there.
   */
  alsoIgnoredAt?: number;
}
