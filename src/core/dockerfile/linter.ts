import { buildModel } from './model';
import type { DockerfileModel, Stage } from './modelTypes';
import { parseDockerfile } from './parser';
import { readSuppressions, type Suppressions } from './pragmas';
import { ALL_RULES } from './rules';
import { hasKeyword, instructionsOf } from './rules/instructionUtil';
import { runsAny } from './runCommands';
import { DEFAULT_CONFIG, LintConfig, Rule, RuleContext } from './rule';
import type { Finding, Fix, Instruction, Range, Severity } from './types';

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

/**
 * The BuildKit check names among the rules, which `skip=all` and
 * `experimental=all` stand for: the codes of BuildKit's own checks (`buildkit`)
 * and every rule's aliases (which name BuildKit checks). Read from what the
 * rules declare, not from how a name is spelt: JSONArgsRecommended is as much
 * BuildKit's as StageNameCasing. Once per rule list (the registry's is reused).
 */
const buildkitNamesByRules = new WeakMap<readonly Rule[], ReadonlySet<string>>();

function buildkitNames(rules: readonly Rule[]): ReadonlySet<string> {
  let names = buildkitNamesByRules.get(rules);
  if (!names) {
    const set = new Set<string>();
    for (const rule of rules) {
      if (rule.buildkit) set.add(rule.code);
      for (const alias of rule.aliases ?? []) set.add(alias);
    }
    buildkitNamesByRules.set(rules, (names = set));
  }
  return names;
}

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

  const findings: Finding[] = parsed.problems.map((p) => ({ code: 'DL1000', aliases: [], severity: 'error', message: p.message, range: p.range }));
  const ctx = new RuleRun(model, config, opts.dockerignore, findings);
  const rules = opts.rules ?? ALL_RULES;
  const buildkit = buildkitNames(rules);
  for (let k = 0; k < rules.length; k++) {
    const rule = rules[k];
    if (rule.optIn && !enabled(rule, overridden, sup, buildkit)) continue;
    try {
      if (!applies(rule, model)) continue;
      ctx.rule = rule;
      rule.check(ctx);
    } catch (err) {
      findings.push({ code: 'BR0000', aliases: [], severity: 'info', message: `Berth rule ${rule.code} failed on this file: ${(err as Error).message}`, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } });
    }
  }

  const ignored = new Set(config.ignored);
  // Most files have no pragma and no configuration: then every finding stays as it is.
  const kept = ignored.size || sup.global.size || sup.byInstruction.size || sup.byStage.size ? findings.filter((f) => !suppressed(f, model, sup, ignored, buildkit)) : findings;
  const result = overridden.size ? kept.map((f) => overrideSeverity(f, overridden)) : kept;
  return result.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** An opt-in rule runs when configuration or a `# check=experimental=` names it. */
function enabled(rule: Rule, overridden: ReadonlyMap<string, Severity>, sup: Suppressions, buildkit: ReadonlySet<string>): boolean {
  if (enables(rule.code, overridden, sup, buildkit)) return true;
  const aliases = rule.aliases ?? [];
  for (let k = 0; k < aliases.length; k++) if (enables(aliases[k], overridden, sup, buildkit)) return true;
  return false;
}

function enables(name: string, overridden: ReadonlyMap<string, Severity>, sup: Suppressions, buildkit: ReadonlySet<string>): boolean {
  return overridden.has(name) || sup.experimental.has(name) || (sup.experimental.has('all') && buildkit.has(name));
}

/**
 * Can the rule find anything in this file? (Rules that say what they look at
 * are skipped when the file has none of it.) Asked of every rule on every run:
 * loops rather than callbacks, which small files paid for in allocations.
 */
function applies(rule: Rule, model: DockerfileModel): boolean {
  const keywords = rule.keywords;
  if (keywords) {
    let any = false;
    for (let k = 0; k < keywords.length && !any; k++) any = hasKeyword(model, keywords[k]);
    if (!any) return false;
  }
  return !rule.commands || runsAny(model, rule.commands);
}

/**
 * The rules' view of the run: one object whose `rule` is the one running (a
 * class rather than closures per rule: small files pay for every allocation).
 */
class RuleRun implements RuleContext {
  rule!: Rule;

  constructor(
    readonly model: DockerfileModel,
    readonly config: LintConfig,
    readonly dockerignore: string | undefined,
    private readonly findings: Finding[],
  ) {}

  report(range: Range, message?: string, fixes?: Fix[]): void {
    const rule = this.rule;
    this.findings.push({ code: rule.code, aliases: rule.aliases ?? [], severity: rule.severity, message: message ?? rule.message, range, ...(fixes?.length ? { fixes } : {}) });
  }

  instructions(keyword: string, o?: { onbuild?: boolean }): ReturnType<RuleContext['instructions']> {
    // Computed once per model and keyword (see instructionUtil).
    return instructionsOf(this.model, keyword, o?.onbuild ?? false);
  }
}

/** Is the finding ignored by configuration or a pragma (file, instruction or stage)? */
function suppressed(f: Finding, model: DockerfileModel, sup: Suppressions, ignored: ReadonlySet<string>, buildkit: ReadonlySet<string>): boolean {
  const names = [f.code, ...f.aliases];
  const isBuildkitName = (n: string) => buildkit.has(n);
  if (names.some((n) => ignored.has(n) || sup.global.has(n)) || (sup.global.has('all') && names.some(isBuildkitName))) return true;
  // Findings map back to their instruction and stage by line; both lists are in
  // file order, so a binary search keeps this linear-ish on 10,000-line files.
  const line = f.range.start.line;
  const ins = lastAtOrBefore(model.instructions, line, instructionStart);
  const local = ins && line <= ins.range.end.line ? sup.byInstruction.get(ins.range.start.line) : undefined;
  if (local && (names.some((n) => local.has(n)) || (local.has('all') && names.some(isBuildkitName)))) return true;
  const stage = lastAtOrBefore(model.stages, line, stageStart);
  const staged = stage && sup.byStage.get(stage.index);
  return !!staged && (names.some((n) => staged.has(n)) || (staged.has('all') && names.some(isBuildkitName)));
}

const instructionStart = (i: Instruction) => i.range.start.line;
const stageStart = (s: Stage) => s.from.range.start.line;

function overrideSeverity(f: Finding, overridden: ReadonlyMap<string, Severity>): Finding {
  const sev = [f.code, ...f.aliases].map((n) => overridden.get(n)).find(Boolean);
  return sev ? { ...f, severity: sev } : f;
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
