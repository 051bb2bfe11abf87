import { lintDockerfile, LintOptions } from './linter';
import { buildModel } from './model';
import { parseDockerfile } from './parser';
import type { Rule } from './rule';
import { ALL_RULES } from './rules';
import { runShellcheck } from './shellcheck';
import type { Finding } from './types';

export interface ShellcheckOptions {
  /** The shellcheck executable (default: `shellcheck` on PATH). */
  binary?: string;
  signal?: AbortSignal;
}

export interface FullLintResult {
  findings: Finding[];
  /** False when no shellcheck binary could be run: SC findings are then absent. */
  shellcheck: boolean;
  shellcheckError?: string;
}

/**
 * Berth's rules plus ShellCheck's findings on RUN scripts, with pragmas and
 * configuration applied to both alike (`# hadolint ignore=SC2086` works).
 * ShellCheck findings enter the linter as one rule per SC code.
 */
export async function lintWithShellcheck(text: string, opts: LintOptions & { shellcheck?: ShellcheckOptions | false } = {}): Promise<FullLintResult> {
  // false: the user turned ShellCheck off.
  const sc = opts.shellcheck === false ? { available: false, findings: [] as Finding[], error: undefined } : await runShellcheck(buildModel(parseDockerfile(text)), opts.shellcheck);
  const byCode = new Map<string, Finding[]>();
  for (const f of sc.findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const scRules: Rule[] = [...byCode].map(([code, found]) => ({
    code,
    severity: found[0].severity,
    message: found[0].message,
    url: `https://www.shellcheck.net/wiki/${code}`,
    rationale: 'A ShellCheck finding on the RUN script.',
    check: (ctx) => found.forEach((f) => ctx.report(f.range, f.message)),
  }));
  const findings = lintDockerfile(text, { ...opts, rules: [...(opts.rules ?? ALL_RULES), ...scRules] });
  return { findings, shellcheck: sc.available, ...(sc.error ? { shellcheckError: sc.error } : {}) };
}
