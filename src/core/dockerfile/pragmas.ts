import type { DockerfileModel, Stage } from './modelTypes';
import type { Instruction } from './types';

// Inline suppression as users already write it for hadolint, BuildKit and Berth:
//   # hadolint ignore=DL3008,DL3009   (the instruction right below; trailing "# why" allowed)
//   # hadolint global ignore=DL3059   (the whole file)
//   # hadolint stage ignore=DL3002    (the next FROM stage)
//   # berth ignore=DL3008             (as hadolint ignore, any code: DL, SC, BR or BuildKit names)
//   # berth global ignore=BR003       (the whole file)
//   # check=skip=Name1,Name2;error=true;experimental=Name3   (BuildKit; a parser
//     directive for the file, or a comment right above an instruction/stage for it alone)

export interface Suppressions {
  /** Codes ignored in the whole file ('all' for every BuildKit check). */
  global: Set<string>;
  /** Start line of an instruction → codes ignored for it. */
  byInstruction: Map<number, Set<string>>;
  /** Stage index → codes ignored in the whole stage. */
  byStage: Map<number, Set<string>>;
  /** BuildKit experimental checks enabled by `# check=experimental=`. */
  experimental: Set<string>;
  /** `# check=error=true`: BuildKit would fail the build on any check. */
  checkError: boolean;
}

const HADOLINT = /^hadolint\s+(?:(global|stage)\s+)?ignore\s*=\s*([^#]*)/i;
const BERTH = /^berth\s+(global\s+)?ignore\s*=\s*([^#]*)/i;
const CHECK = /^check\s*=\s*(.*)$/i;
const VALID_HADOLINT_CODE = /^(DL|SC)\d{4}$/;

export function readSuppressions(model: DockerfileModel, honourHadolintPragmas: boolean, checkOverride?: string): Suppressions {
  const s: Suppressions = { global: new Set(), byInstruction: new Map(), byStage: new Map(), experimental: new Set(), checkError: false };
  if (checkOverride !== undefined) applyCheck(checkOverride, s.global, s);
  else for (const d of model.parsed.directives) if (d.name === 'check') applyCheck(d.value, s.global, s);

  const lines = new LineIndex(model);
  for (const c of model.parsed.comments) {
    const h = honourHadolintPragmas ? HADOLINT.exec(c.text) : null;
    if (h) {
      const codes = codeList(h[2]);
      // hadolint drops a pragma naming anything that is not a rule code.
      if (!codes.length || !codes.every((x) => VALID_HADOLINT_CODE.test(x))) continue;
      if (h[1]?.toLowerCase() === 'global') codes.forEach((x) => s.global.add(x));
      else if (h[1]?.toLowerCase() === 'stage') {
        const next = lines.stageAfter(c.line);
        if (next) add(s.byStage, next.index, codes);
      } else {
        const ins = lines.below(c.line);
        if (ins) add(s.byInstruction, ins.range.start.line, codes);
      }
      continue;
    }
    const b = BERTH.exec(c.text);
    if (b) {
      const codes = codeList(b[2]);
      if (b[1]) codes.forEach((x) => s.global.add(x));
      else {
        const ins = lines.below(c.line);
        if (ins) add(s.byInstruction, ins.range.start.line, codes);
      }
      continue;
    }
    const k = CHECK.exec(c.text);
    if (k) {
      const ins = lines.below(c.line);
      if (!ins) continue;
      const local = new Set<string>();
      applyCheck(k[1], local, s);
      const stage = ins.keyword === 'FROM' ? lines.stageAfter(c.line) : undefined;
      if (stage && stage.from === ins) add(s.byStage, stage.index, local);
      else add(s.byInstruction, ins.range.start.line, local);
    }
  }
  return s;
}

/**
 * Instructions and stages by their first line, found by binary search: both
 * lists are in file order. (Maps of every instruction and stage by line made
 * each one build its ranges, and a `stage ignore` pragma sorted every FROM
 * line; on a 10,000-line file with pragmas that was a tenth of the run.)
 */
class LineIndex {
  constructor(private readonly model: DockerfileModel) {}

  /** The instruction starting on the line below. */
  below(line: number): Instruction | undefined {
    const list = this.model.instructions;
    const k = firstAfter(list, line, instructionLine);
    return k < list.length && instructionLine(list[k]) === line + 1 ? list[k] : undefined;
  }

  /** The first stage whose FROM starts after the line. */
  stageAfter(line: number): Stage | undefined {
    return this.model.stages[firstAfter(this.model.stages, line, stageLine)];
  }
}

const instructionLine = (i: Instruction) => i.range.start.line;
const stageLine = (s: Stage) => s.from.range.start.line;

/** The index of the first instruction starting after the line (the count if none). */
export function firstInstructionAfter(model: DockerfileModel, line: number): number {
  return firstAfter(model.instructions, line, instructionLine);
}

/** The index of the first item whose line is after `line` (the length if none), in a list sorted by line. */
function firstAfter<T>(items: readonly T[], line: number, lineOf: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineOf(items[mid]) <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function add(map: Map<number, Set<string>>, key: number, codes: Iterable<string>) {
  const set = map.get(key) ?? new Set<string>();
  for (const c of codes) set.add(c);
  map.set(key, set);
}

function codeList(text: string): string[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** `skip=A,B;error=true;experimental=C` */
function applyCheck(value: string, skip: Set<string>, s: Suppressions): void {
  // A trailing `// reason` explains the directive; it is not part of it.
  for (const part of value.replace(/\s*\/\/.*$/, '').split(';')) {
    const [key, val = ''] = part.split('=').map((x) => x.trim());
    const list = codeList(val);
    if (key.toLowerCase() === 'skip') list.forEach((x) => skip.add(x.toLowerCase() === 'all' ? 'all' : x));
    else if (key.toLowerCase() === 'experimental') list.forEach((x) => s.experimental.add(x.toLowerCase() === 'all' ? 'all' : x));
    else if (key.toLowerCase() === 'error') s.checkError = val.toLowerCase() === 'true';
  }
}
