// Where a RUN's script comes from and how its offsets map back to the file:
// the shell form's arguments, the exec form's JSON array, or heredoc bodies.

import type { DockerfileModel, RunSite } from './modelTypes';
import type { Heredoc, Instruction, Position, Range } from './types';

const POSIX_INTERPRETERS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'busybox']);

export interface Source {
  text: string;
  form: RunSite['form'];
  foreign: boolean;
  at(offset: number): Position;
  range(start: number, end: number): Range;
}

const HEREDOC_MARKERS = /<<-?(["']?)[A-Za-z_][A-Za-z0-9_.-]*\1/g;

/**
 * The exec form's or the heredocs' source; undefined for the shell form (most
 * RUNs), whose script is the instruction's `rest` and whose positions the
 * instruction maps itself: an object per RUN for that was kept to the end of
 * the run.
 */
export function scriptSource(model: DockerfileModel, ins: Instruction): Source | undefined {
  if (ins.json) return new ExecSource(ins, ins.json);
  if (ins.heredocs.length && ins.rest.replace(HEREDOC_MARKERS, '').trim() === '') return new HeredocSource(model, ins);
  return undefined;
}

/** Exec form: hadolint reads the array's words joined by spaces as a script. */
class ExecSource implements Source {
  readonly form = 'exec';
  readonly foreign = false;
  readonly text: string;
  // Where each element's characters sit in the JSON text, when it has no escapes.
  private readonly pieces: Array<{ at: number; rest: number; length: number }> = [];
  private readonly exact: boolean;

  constructor(
    private readonly ins: Instruction,
    argv: string[],
  ) {
    this.text = argv.join(' ');
    let cursor = 0;
    let offset = 0;
    let exact = true;
    for (const a of argv) {
      const quoted = JSON.stringify(a);
      const k = ins.rest.indexOf(quoted, cursor);
      if (k < 0 || quoted !== `"${a}"`) exact = false;
      else {
        this.pieces.push({ at: offset, rest: k + 1, length: a.length });
        cursor = k + quoted.length;
      }
      offset += a.length + 1;
    }
    this.exact = exact;
  }

  at(o: number): Position {
    const { ins, pieces } = this;
    if (!this.exact) return ins.argsRange.start;
    // The last piece starting at or before o.
    let p = pieces[0];
    for (let k = pieces.length - 1; k >= 0; k--) {
      if (pieces[k].at <= o) {
        p = pieces[k];
        break;
      }
    }
    return p ? ins.argsPosition(ins.restOffset + p.rest + Math.min(o - p.at, p.length)) : ins.argsRange.start;
  }

  range(s: number, e: number): Range {
    return this.exact ? { start: this.at(s), end: this.at(e) } : this.ins.argsRange;
  }
}

/** `RUN <<EOF`: the bodies are the script, joined by newlines. */
class HeredocSource implements Source {
  readonly form = 'heredoc';
  readonly foreign: boolean;
  readonly text: string;
  private readonly starts: number[] = [];
  private readonly docs: Heredoc[];
  private readonly lines: string[];

  constructor(model: DockerfileModel, ins: Instruction) {
    this.docs = ins.heredocs;
    this.lines = model.parsed.lines;
    let text = '';
    for (const d of this.docs) {
      if (text) text += '\n';
      this.starts.push(text.length);
      text += d.body;
    }
    this.text = text;
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(this.docs[0].body);
    let interpreter = shebang ? (shebang[1].split('/').pop() ?? '') : 'sh';
    if (interpreter === 'env' && shebang?.[2]) interpreter = shebang[2];
    this.foreign = !POSIX_INTERPRETERS.has(interpreter);
  }

  at(o: number): Position {
    const { starts, text } = this;
    let i = starts.length - 1;
    while (i > 0 && starts[i] > o) i--;
    const doc = this.docs[i];
    const before = text.slice(starts[i], Math.max(starts[i], o)).split('\n');
    const line = doc.range.start.line + before.length - 1;
    const raw = this.lines[line] ?? '';
    const stripped = doc.chomp ? raw.length - raw.replace(/^\t+/, '').length : 0;
    return { line, column: stripped + before[before.length - 1].length };
  }

  range(s: number, e: number): Range {
    return { start: this.at(s), end: this.at(e) };
  }
}
