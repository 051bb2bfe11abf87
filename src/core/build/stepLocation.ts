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
  range: SourceLocation['range'];
}

function stagesOf(text: string): { name?: string; steps: Located[] }[] {
  const stages: { name?: string; steps: Located[] }[] = [];
  for (const ins of parseDockerfile(text).instructions) {
    if (ins.keyword === 'FROM') {
      const m = /\s+as\s+(\S+)\s*$/i.exec(ins.rest);
      stages.push({ name: m?.[1]?.toLowerCase(), steps: [] });
    }
    stages.at(-1)?.steps.push({ keyword: ins.keyword, range: ins.range });
  }
  return stages;
}

/** BuildKit's vertex name → the instruction's range; undefined for internal vertices ("[internal] load ..."). */
export function locateBuildkitStep(vertexName: string, text: string, file: string): SourceLocation | undefined {
  const m = /^\[(?:(?:\S+\/\S+)\s+)?(?:(\S+)\s+)?(\d+)\/(\d+)\]\s+(\S+)/.exec(vertexName);
  if (!m) return undefined;
  const [, stageLabel, n, total, keyword] = m;
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
  return undefined;
}

/** The classic builder's "Step N/M" → the Nth instruction of the file. */
export function locateClassicStep(step: number, text: string, file: string): SourceLocation | undefined {
  const all = parseDockerfile(text).instructions;
  const ins = all[step - 1];
  return ins ? { file, range: ins.range } : undefined;
}
