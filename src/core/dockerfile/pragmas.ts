import type { DockerfileModel } from './modelTypes';
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

  // Built when a pragma needs it: most files have none.
  let lines: LineIndex | undefined;
  for (const c of model.parsed.comments) {
    const h = honourHadolintPragmas ? HADOLINT.exec(c.text) : null;
    if (h) {
      const codes = codeList(h[2]);
      // hadolint drops a pragma naming anything that is not a rule code.
      if (!codes.length || !codes.every((x) => VALID_HADOLINT_CODE.test(x))) continue;
      lines ??= new LineIndex(model);
      if (h[1]?.toLowerCase() === 'global') codes.forEach((x) => s.global.add(x));
      else if (h[1]?.toLowerCase() === 'stage') {
        const next = [...lines.stageAt.keys()].filter((l) => l > c.line).sort((a, b) => a - b)[0];
        if (next !== undefined) add(s.byStage, lines.stageAt.get(next)!, codes);
      } else {
        const ins = lines.below(c.line);
        if (ins) add(s.byInstruction, ins.range.start.line, codes);
      }
      continue;
    }
    const b = BERTH.exec(c.text);
    if (b) {
      const codes = codeList(b[2]);
      lines ??= new LineIndex(model);
      if (b[1]) codes.forEach((x) => s.global.add(x));
      else {
        const ins = lines.below(c.line);
        if (ins) add(s.byInstruction, ins.range.start.line, codes);
      }
      continue;
    }
    const k = CHECK.exec(c.text);
    if (k) {
      lines ??= new LineIndex(model);
      const ins = lines.below(c.line);
      if (!ins) continue;
      const local = new Set<string>();
      applyCheck(k[1], local, s);
      if (ins.keyword === 'FROM' && lines.stageAt.has(ins.range.start.line)) add(s.byStage, lines.stageAt.get(ins.range.start.line)!, local);
      else add(s.byInstruction, ins.range.start.line, local);
    }
  }
  return s;
}

/** Instructions and stages by their first line. */
class LineIndex {
  private readonly startLines: Map<number, Instruction>;
  readonly stageAt: Map<number, number>;

  constructor(model: DockerfileModel) {
    this.startLines = new Map<number, Instruction>(model.instructions.map((i) => [i.range.start.line, i]));
    this.stageAt = new Map(model.stages.map((st) => [st.from.range.start.line, st.index]));
  }

  /** The instruction starting on the line below. */
  below(line: number): Instruction | undefined {
    return this.startLines.get(line + 1);
  }
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
