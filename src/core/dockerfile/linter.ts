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

/** The aliases of findings whose rule has none: one shared list (thousands of findings a run), never written to. */
const NO_ALIASES: string[] = Object.freeze([]) as unknown as string[];

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
  const kept = ignored.size || sup.global.size || sup.byInstruction.size || sup.byStage.size ? withoutSuppressed(findings, model, sup, ignored, buildkit) : findings;
  const result = overridden.size ? kept.map((f) => overrideSeverity(f, overridden)) : kept;
  return inFileOrder(result);
}

/**
 * The findings by position, then severity; ties keep their order (as a stable
 * sort does). The keys are read once per finding into typed arrays: ranges
 * come in many shapes, and a comparison of the findings themselves read six
 * properties of them, thousands of times a run on large files.
 */
function inFileOrder(findings: Finding[]): Finding[] {
  const n = findings.length;
  const line = new Float64Array(n);
  const column = new Float64Array(n);
  const severity = new Int8Array(n);
  const order: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const start = findings[k].range.start;
    line[k] = start.line;
    column[k] = start.column;
    severity[k] = SEVERITY_ORDER[findings[k].severity];
    order[k] = k;
  }
  order.sort((a, b) => line[a] - line[b] || column[a] - column[b] || severity[a] - severity[b] || a - b);
  const out: Finding[] = new Array(n);
  for (let k = 0; k < n; k++) out[k] = findings[order[k]];
  return out;
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

  report(range: Range, message?: string, fixes?: Fix[], alsoIgnoredAt?: number): void {
    const rule = this.rule;
    // Two literals rather than a spread of `{ fixes }`: thousands of findings a run, most without fixes.
    const aliases = rule.aliases ?? NO_ALIASES;
    const text = message ?? rule.message;
    const f: Finding = fixes?.length ? { code: rule.code, aliases, severity: rule.severity, message: text, range, fixes } : { code: rule.code, aliases, severity: rule.severity, message: text, range };
    if (alsoIgnoredAt !== undefined) f.alsoIgnoredAt = alsoIgnoredAt;
    this.findings.push(f);
  }

  instructions(keyword: string, o?: { onbuild?: boolean }): ReturnType<RuleContext['instructions']> {
    // Computed once per model and keyword (see instructionUtil).
    return instructionsOf(this.model, keyword, o?.onbuild ?? false);
  }
}

/** Lines a pragma covers (an instruction's, or a stage's up to the next FROM), and the names it ignores there. */
interface Scope {
  start: number;
  end: number;
  names: ReadonlySet<string>;
}

/**
 * The findings no configuration or pragma ignores (`findings` is cut down to them). The few lines pragmas
 * cover are listed once, so each finding is a binary search among the
 * pragmas, not among every instruction and stage of the file.
 */
function withoutSuppressed(findings: Finding[], model: DockerfileModel, sup: Suppressions, ignored: ReadonlySet<string>, buildkit: ReadonlySet<string>): Finding[] {
  const instructions: Scope[] = [];
  sup.byInstruction.forEach((names, line) => {
    const ins = model.instructions[lastAtOrBefore(model.instructions, line, instructionStart)];
    if (ins && instructionStart(ins) === line) instructions.push({ start: line, end: ins.range.end.line, names });
  });
  const stages: Scope[] = [];
  sup.byStage.forEach((names, index) => {
    const next = model.stages[index + 1];
    stages.push({ start: stageStart(model.stages[index]), end: next ? stageStart(next) - 1 : Infinity, names });
  });
  instructions.sort(byStart);
  stages.sort(byStart);
  // Kept findings are moved up in place: a second list of thousands of findings, grown by pushing, was garbage.
  let kept = 0;
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k];
    if (hasName(f, ignored) || ignores(sup.global, f, buildkit)) continue;
    const line = f.range.start.line;
    const local = scopeAt(instructions, line);
    if (local && ignores(local.names, f, buildkit)) continue;
    const also = f.alsoIgnoredAt === undefined ? undefined : scopeAt(instructions, f.alsoIgnoredAt);
    if (also && ignores(also.names, f, buildkit)) continue;
    const stage = scopeAt(stages, line);
    if (stage && ignores(stage.names, f, buildkit)) continue;
    findings[kept++] = f;
  }
  findings.length = kept;
  return findings;
}

const byStart = (a: Scope, b: Scope) => a.start - b.start;
const instructionStart = (i: Instruction) => i.range.start.line;
const stageStart = (s: Stage) => s.from.range.start.line;

/** Does the pragma's set name the finding (its code or an alias; 'all' names every BuildKit check)? */
function ignores(names: ReadonlySet<string>, f: Finding, buildkit: ReadonlySet<string>): boolean {
  if (!names.size) return false;
  if (hasName(f, names)) return true;
  return names.has('all') && hasName(f, buildkit);
}

function hasName(f: Finding, names: ReadonlySet<string>): boolean {
  if (!names.size) return false;
  if (names.has(f.code)) return true;
  for (let k = 0; k < f.aliases.length; k++) if (names.has(f.aliases[k])) return true;
  return false;
}

/** The scope covering the line, in a list of scopes sorted by start that do not overlap. */
function scopeAt(scopes: readonly Scope[], line: number): Scope | undefined {
  if (!scopes.length) return undefined;
  // The binary search written out: a key callback here was a closure per finding.
  let lo = 0;
  let hi = scopes.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (scopes[mid].start <= line) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k >= 0 && line <= scopes[k].end ? scopes[k] : undefined;
}

function overrideSeverity(f: Finding, overridden: ReadonlyMap<string, Severity>): Finding {
  const sev = [f.code, ...f.aliases].map((n) => overridden.get(n)).find(Boolean);
  return sev ? { ...f, severity: sev } : f;
}

/** The index of the last item whose key is ≤ `line` (-1 if none), in a list sorted by key. */
function lastAtOrBefore<T>(items: readonly T[], line: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function meetsThreshold(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && SEVERITY_ORDER[severity] <= SEVERITY_ORDER[threshold];
}
