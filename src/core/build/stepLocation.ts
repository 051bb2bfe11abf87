import { parseDockerfile } from '../dockerfile/parser';
import type { SourceLocation } from './buildTypes';

// Where a build step is in the Dockerfile. BuildKit ≥ 0.10 sends source ranges
// with warnings, but the BuildKit inside Docker 20.10 (0.8) sends none, and no
// version puts them in a vertex's error (they travel in the solve error's gRPC
// details, which /build flattens to text). The step's name does say where it
// is: dockerfile2llb names it "[<stage> N/M] INSTRUCTION" (the stage's name,
// `stage-K` for an unnamed one in a multi-stage file, nothing when there is one
// stage; FROM is step 1), and the classic builder "Step N/M : ..." counting
// every instruction. Both are mapped back with Berth's own parser.

interface Located {
  keyword: string;
  /** The instruction's text, blanks collapsed, for a fallback match. */
  text: string;
  range: SourceLocation['range'];
}

// dockerfile2llb numbers the steps that make vertices: FROM when it names an
// image (not an earlier stage) and every instruction but ARG.
function stagesOf(text: string): { name?: string; steps: Located[] }[] {
  const stages: { name?: string; steps: Located[] }[] = [];
  for (const ins of parseDockerfile(text).instructions) {
    const located = { keyword: ins.keyword, text: collapse(`${ins.keyword} ${ins.args}`), range: ins.range };
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+as\s+(\S+))?\s*$/i.exec(ins.args.trim());
      const base = m?.[1]?.toLowerCase();
      const fromStage = stages.some((s) => s.name === base);
      stages.push({ name: m?.[2]?.toLowerCase(), steps: fromStage ? [] : [located] });
      continue;
    }
    if (ins.keyword !== 'ARG') stages.at(-1)?.steps.push(located);
  }
  return stages;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** BuildKit's vertex name → the instruction's range; undefined for internal vertices ("[internal] load ..."). */
export function locateBuildkitStep(vertexName: string, text: string, file: string): SourceLocation | undefined {
  const m = /^\[(?:(?:\S+\/\S+)\s+)?(?:(\S+)\s+)?(\d+)\/(\d+)\]\s+((\S+).*)$/s.exec(vertexName);
  if (!m) return undefined;
  const [, stageLabel, n, total, shown, keyword] = m;
  const stages = stagesOf(text);
  const candidates = stageLabel
    ? stages.filter((s, i) => s.name === stageLabel.toLowerCase() || `stage-${i}` === stageLabel)
    : stages.length === 1
      ? stages
      : stages.filter((s) => s.steps.length === Number(total));
  for (const stage of candidates) {
    const step = stage.steps[Number(n) - 1];
    if (step && step.keyword === keyword.toUpperCase()) return { file, range: step.range };
  }
  // Numbering differs between BuildKit versions; the text (before variables are expanded) often still matches.
  for (const stage of candidates) {
    const step = stage.steps.find((s) => s.text === collapse(shown));
    if (step) return { file, range: step.range };
  }
  return undefined;
}

/** The classic builder's "Step N/M" → the Nth instruction of the file. */
export function locateClassicStep(step: number, text: string, file: string): SourceLocation | undefined {
  const all = parseDockerfile(text).instructions;
  const ins = all[step - 1];
  return ins ? { file, range: ins.range } : undefined;
}
