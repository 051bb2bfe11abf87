import { buildModel } from './model';
import { parseDockerfile } from './parser';
import { readSuppressions } from './pragmas';
import { ALL_RULES } from './rules';
import { DEFAULT_CONFIG, DockerfileModel, LintConfig, Rule, RuleContext, Stage } from './rule';
import type { Finding, Instruction, Severity } from './types';

export interface LintOptions {
  config?: Partial<LintConfig>;
  /** Rules to run (all by default). */
  rules?: readonly Rule[];
  /** The build context's .dockerignore text, when known. */
  dockerignore?: string;
  /** The BUILDKIT_DOCKERFILE_CHECK build argument: replaces the file's `# check=` directive, as BuildKit does. */
  buildkitCheck?: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, style: 3 };

/** BuildKit check names are CamelCase words; hadolint and Berth codes are letters + digits. */
const isBuildkitName = (code: string) => /^[A-Z][a-z]+[A-Za-z]*$/.test(code);

/**
 * Lints Dockerfile text: parse (never fails), build the stage model, run every
 * enabled rule (a rule that throws is reported, the others still run), then
 * apply pragmas and configuration.
 */
export function lintDockerfile(text: string, opts: LintOptions = {}): Finding[] {
  const config: LintConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const parsed = parseDockerfile(text);
  const model = buildModel(parsed);
  const sup = readSuppressions(model, !config.disableIgnorePragma, opts.buildkitCheck);
  const overridden = new Map<string, Severity>();
  for (const sev of Object.keys(config.override) as Severity[]) for (const code of config.override[sev] ?? []) overridden.set(code, sev);

  // Many rules ask for the same instruction lists; walk the file once per question.
  const lists = new Map<string, ReturnType<RuleContext['instructions']>>();
  const instructions: RuleContext['instructions'] = (keyword, o) => {
    const key = `${keyword}|${o?.onbuild ?? false}`;
    let list = lists.get(key);
    if (!list) lists.set(key, (list = instructionsOf(model, keyword, o?.onbuild ?? false)));
    return list;
  };
  const findings: Finding[] = parsed.problems.map((p) => ({ code: 'DL1000', aliases: [], severity: 'error', message: p.message, range: p.range }));
  for (const rule of opts.rules ?? ALL_RULES) {
    const names = [rule.code, ...(rule.aliases ?? [])];
    if (rule.optIn && !names.some((n) => overridden.has(n) || sup.experimental.has(n) || (sup.experimental.has('all') && isBuildkitName(n)))) continue;
    const report: RuleContext['report'] = (range, message, fixes) =>
      findings.push({ code: rule.code, aliases: rule.aliases ?? [], severity: rule.severity, message: message ?? rule.message, range, ...(fixes?.length ? { fixes } : {}) });
    try {
      rule.check({ model, config, dockerignore: opts.dockerignore, report, instructions });
    } catch (err) {
      findings.push({ code: 'BR0000', aliases: [], severity: 'info', message: `Berth rule ${rule.code} failed on this file: ${(err as Error).message}`, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } });
    }
  }

  // Findings map back to their instruction and stage by line; both lists are in
  // file order, so a binary search keeps this linear-ish on 10,000-line files.
  const stageOfLine = (line: number) => lastAtOrBefore(model.stages, line, (s) => s.from.range.start.line);
  const instructionOfLine = (line: number) => {
    const ins = lastAtOrBefore(model.instructions, line, (i) => i.range.start.line);
    return ins && line <= ins.range.end.line ? ins : undefined;
  };
  const ignored = new Set(config.ignored);
  return findings
    .filter((f) => {
      const names = [f.code, ...f.aliases];
      if (names.some((n) => ignored.has(n) || sup.global.has(n)) || (sup.global.has('all') && names.some(isBuildkitName))) return false;
      const ins = instructionOfLine(f.range.start.line);
      const local = ins && sup.byInstruction.get(ins.range.start.line);
      if (local && (names.some((n) => local.has(n)) || (local.has('all') && names.some(isBuildkitName)))) return false;
      const stage = stageOfLine(f.range.start.line);
      const staged = stage && sup.byStage.get(stage.index);
      return !(staged && (names.some((n) => staged.has(n)) || (staged.has('all') && names.some(isBuildkitName))));
    })
    .map((f) => {
      const sev = [f.code, ...f.aliases].map((n) => overridden.get(n)).find(Boolean);
      return sev ? { ...f, severity: sev } : f;
    })
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function instructionsOf(model: DockerfileModel, keyword: string, onbuild: boolean): Array<{ instruction: Instruction; stage?: Stage }> {
  const out: Array<{ instruction: Instruction; stage?: Stage }> = [];
  const visit = (ins: Instruction, stage?: Stage) => {
    if (ins.keyword === keyword) out.push({ instruction: ins, stage });
    if (onbuild && ins.keyword === 'ONBUILD' && ins.trigger?.keyword === keyword) out.push({ instruction: ins.trigger, stage });
  };
  // Instructions before the first FROM (ARGs, or the fragments editors show mid-typing).
  const firstFrom = model.stages[0]?.from;
  for (const ins of model.instructions) {
    if (ins === firstFrom) break;
    visit(ins);
  }
  for (const stage of model.stages) {
    visit(stage.from, stage);
    for (const ins of stage.instructions) visit(ins, stage);
  }
  return out;
}

/** The last item whose key is ≤ `line`, in a list sorted by key. */
function lastAtOrBefore<T>(items: readonly T[], line: number, key: (t: T) => number): T | undefined {
  let lo = 0;
  let hi = items.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= line) {
      found = items[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function meetsThreshold(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && SEVERITY_ORDER[severity] <= SEVERITY_ORDER[threshold];
}
