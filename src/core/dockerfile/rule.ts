import type { DockerfileModel, Names, Stage } from './modelTypes';
import type { Fix, Instruction, Range, Severity } from './types';

export type LabelType = 'text' | 'url' | 'spdx' | 'hash' | 'rfc3339' | 'semver' | 'email';

/** hadolint's configuration keys (from .hadolint.yaml, HADOLINT_* or editor settings). */
export interface LintConfig {
  ignored: string[];
  override: Partial<Record<Severity, string[]>>;
  trustedRegistries: string[];
  labelSchema: Record<string, LabelType>;
  strictLabels: boolean;
  disableIgnorePragma: boolean;
  /** Findings below this do not fail the CLI. */
  failureThreshold: Severity | 'none';
  noFail: boolean;
}

export const DEFAULT_CONFIG: LintConfig = {
  ignored: [],
  override: {},
  trustedRegistries: [],
  labelSchema: {},
  strictLabels: false,
  disableIgnorePragma: false,
  failureThreshold: 'info',
  noFail: false,
};

export interface Report {
  /**
   * Reports the rule's default message (or `message`) at `range`, with optional quick
   * fixes; `alsoIgnoredAt` (a line) lets that instruction's ignore pragmas apply too.
   */
  (range: Range, message?: string, fixes?: Fix[], alsoIgnoredAt?: number): void;
}

export interface RuleContext {
  model: DockerfileModel;
  config: LintConfig;
  /** The build context's .dockerignore text, when known (CopyIgnoredFile needs it). */
  dockerignore?: string;
  report: Report;
  /**
   * Instructions with `keyword` in file order, with their stage. With `onbuild`,
   * ONBUILD triggers of that keyword are included too (hadolint applies many
   * rules to the triggered instruction).
   */
  instructions(keyword: string, opts?: { onbuild?: boolean }): ReadonlyArray<{ instruction: Instruction; stage?: Stage }>;
}

export interface Rule {
  /** The hadolint code (DLxxxx), a Berth code (BRxxxx), or the BuildKit check name for BuildKit-only checks. */
  code: string;
  /** Other tools' names for the same concept (BuildKit check names). */
  aliases?: string[];
  /** A check of BuildKit's own: `code` is its BuildKit check name (so `# check=skip=all` and `experimental=all` cover it, as aliases are covered). */
  buildkit?: boolean;
  severity: Severity;
  /** Default message, as the reference tool words it. */
  message: string;
  /** Documentation link shown with the diagnostic; when absent it follows from the code (ruleUrl). */
  url?: string;
  /** Why the rule exists, in a sentence or two (hover text). */
  rationale: string;
  /** Off unless enabled (hadolint's "ignore" default severity, BuildKit's experimental checks). */
  optIn?: boolean;
  /**
   * The instruction keywords the rule looks at, when it looks at nothing else
   * (ONBUILD triggers count). The linter skips the rule for files without any:
   * most files use a handful of keywords.
   */
  keywords?: readonly string[];
  /** The RUN commands the rule looks at, when it looks at nothing else; skipped for files whose RUNs (and ONBUILD RUNs) run none of them. */
  commands?: Names;
  check(ctx: RuleContext): void;
}

export const hadolintUrl = (code: string) => `https://github.com/hadolint/hadolint/wiki/${code}`;
export const buildkitUrl = (name: string) =>
  `https://docs.docker.com/reference/build-checks/${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}/`;

/**
 * A rule's documentation: its own `url`, else the page its code names
 * (hadolint's wiki for DL codes, Berth's page in media/rules for BR codes,
 * BuildKit's check reference for check names).
 */
export function ruleUrl(rule: { code: string; url?: string }): string {
  if (rule.url) return rule.url;
  if (/^DL\d{4}$/.test(rule.code)) return hadolintUrl(rule.code);
  if (/^BR\d+$/.test(rule.code)) return `media/rules/${rule.code}.md`;
  return buildkitUrl(rule.code);
}
