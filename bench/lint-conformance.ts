// bench/lint-conformance: Berth's Dockerfile linter against hadolint's and
// BuildKit's own test cases (../shared/conformance), as black-box data.
//   npx tsx bench/lint-conformance.ts [--rule CODE] [--verbose] [--corpus hadolint|buildkit] [--no-shellcheck]
// With a shellcheck binary on PATH, the ShellCheck cases run through it (hadolint's SC findings).
// A case is judged only on whether its rule fires (and, with `count`, how often).
// hadolint's "*" cases expect no hadolint finding at all; "ShellCheck" cases any SC finding.
// Prints agreement per rule and overall; ShellCheck cases are counted apart.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintDockerfile } from '../src/core/dockerfile/linter';
import { lintWithShellcheck } from '../src/core/dockerfile/lintWithShellcheck';
import { ALL_RULES } from '../src/core/dockerfile/rules';
import type { LabelType, LintConfig } from '../src/core/dockerfile/rule';
import type { Finding } from '../src/core/dockerfile/types';

interface Case {
  rule: string;
  dockerfile: string;
  expect: 'violation' | 'pass';
  count?: number;
  config?: Record<string, unknown>;
  frontend_attrs?: Record<string, string>;
  check_directive?: string;
  dockerignore?: string;
  name?: string;
  source?: string;
}

const args = process.argv.slice(2);
const only = args.includes('--rule') ? args[args.indexOf('--rule') + 1] : undefined;
const verbose = args.includes('--verbose');
const corpusArg = args.includes('--corpus') ? args[args.indexOf('--corpus') + 1] : undefined;
const SHARED = process.env.BERTH_SHARED ?? path.resolve(__dirname, '../../shared');

const OPT_IN = new Set(ALL_RULES.filter((r) => r.optIn).flatMap((r) => [r.code, ...(r.aliases ?? [])]));

function configOf(c: Case): Partial<LintConfig> {
  const k = c.config ?? {};
  // The upstream test of an opt-in rule ran it enabled, as a user enables it (override).
  const enable = OPT_IN.has(c.rule) ? { override: { info: [c.rule] } } : {};
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
  return {
    ...enable,
    ...(k.ignored ? { ignored: list(k.ignored) } : {}),
    ...(k.trustedRegistries ? { trustedRegistries: list(k.trustedRegistries) } : {}),
    ...(k['label-schema'] ? { labelSchema: k['label-schema'] as Record<string, LabelType> } : {}),
    ...(k['strict-labels'] !== undefined ? { strictLabels: Boolean(k['strict-labels']) } : {}),
  };
}

const isHadolint = (f: Finding) => /^(DL|SC)\d+$/.test(f.code);

function judge(c: Case, findings: Finding[]): { ok: boolean; got: number } {
  let hits: Finding[];
  if (c.rule === '*') hits = findings.filter(isHadolint);
  else if (c.rule === 'ShellCheck') hits = findings.filter((f) => f.code.startsWith('SC'));
  else hits = findings.filter((f) => f.code === c.rule || f.aliases.includes(c.rule));
  const got = hits.length;
  if (c.expect === 'pass') return { ok: got === 0, got };
  return { ok: c.count !== undefined ? got === c.count : got > 0, got };
}

async function run(corpus: string, file: string) {
  const cases = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Case)
    .filter((c) => !only || c.rule === only);
  const perRule = new Map<string, { ok: number; total: number }>();
  const failures: string[] = [];
  let crashes = 0;
  let variantChanges = 0;
  for (const c of cases) {
    let findings: Finding[];
    try {
      // BuildKit cases: the upstream test passed the check config as a build argument,
      // or added a check directive to the file.
      const text = c.check_directive ? `# check=${c.check_directive}\n${c.dockerfile}` : c.dockerfile;
      const opts = { config: configOf(c), buildkitCheck: c.frontend_attrs?.['build-arg:BUILDKIT_DOCKERFILE_CHECK'], dockerignore: c.dockerignore };
      if (useShellcheck && corpus === 'hadolint') {
        const r = await lintWithShellcheck(text, opts);
        if (!r.shellcheck) shellcheckMissing = true;
        findings = r.findings;
      } else findings = lintDockerfile(text, opts);
    } catch (err) {
      crashes++;
      findings = [];
      failures.push(`CRASH ${c.rule} ${c.source}: ${(err as Error).message}`);
    }
    const { ok, got } = judge(c, findings);
    // The same file with CRLF line endings, and with a trailing comment and blank
    // lines, must get the same verdict.
    for (const variant of [c.dockerfile.replace(/\r?\n/g, '\r\n'), `${c.dockerfile.replace(/\n?$/, '\n')}# trailing comment\n\n\n`]) {
      if (c.rule === 'ShellCheck') continue;
      const v = judge(c, lintDockerfile(c.check_directive ? `# check=${c.check_directive}\n${variant}` : variant, { config: configOf(c), buildkitCheck: c.frontend_attrs?.['build-arg:BUILDKIT_DOCKERFILE_CHECK'], dockerignore: c.dockerignore }));
      if (v.got !== got) {
        variantChanges++;
        failures.push(`VARIANT ${c.rule} ${c.source}: ${got} findings, ${v.got} with ${variant.includes('\r\n') ? 'CRLF' : 'a trailing comment'}`);
      }
    }
    const r = perRule.get(c.rule) ?? { ok: 0, total: 0 };
    r.total++;
    if (ok) r.ok++;
    perRule.set(c.rule, r);
    if (!ok) {
      failures.push(`${c.rule} expected ${c.expect}${c.count !== undefined ? ` x${c.count}` : ''}, got ${got} — ${c.name ?? ''} (${c.source})`);
      if (verbose) failures.push(`    ${JSON.stringify(c.dockerfile)}\n    findings: ${findings.map((f) => `${f.code}@${f.range.start.line + 1}`).join(' ')}`);
    }
  }
  const sc = perRule.get('ShellCheck');
  const main = [...perRule.entries()].filter(([k]) => k !== 'ShellCheck');
  const ok = main.reduce((n, [, r]) => n + r.ok, 0);
  const total = main.reduce((n, [, r]) => n + r.total, 0);
  console.log(`\n== ${corpus}: ${cases.length} cases`);
  for (const [rule, r] of [...perRule.entries()].sort()) console.log(`${rule.padEnd(34)} ${String(r.ok).padStart(4)}/${String(r.total).padEnd(4)} ${((100 * r.ok) / r.total).toFixed(0)}%`);
  const pct = total ? (100 * ok) / total : 100;
  console.log(`${corpus} overall (without ShellCheck): ${ok}/${total} = ${pct.toFixed(1)}%${sc ? `; ShellCheck: ${sc.ok}/${sc.total}` : ''}; crashes: ${crashes}; verdicts changed by CRLF or a trailing comment: ${variantChanges}`);
  if (failures.length) console.log(`disagreements:\n  ${failures.join('\n  ')}`);
  return { corpus, ok, total, pct: +pct.toFixed(1), shellcheck: sc ?? null, crashes, variantChanges };
}

const useShellcheck = !args.includes('--no-shellcheck');
let shellcheckMissing = false;
void (async () => {
  const results = [];
  if (!corpusArg || corpusArg === 'hadolint') results.push(await run('hadolint', path.join(SHARED, 'conformance/hadolint-cases.jsonl')));
  if (!corpusArg || corpusArg === 'buildkit') results.push(await run('buildkit', path.join(SHARED, 'conformance/buildkit-check-cases.jsonl')));
  if (shellcheckMissing) console.log('note: no shellcheck binary on PATH: ShellCheck cases ran without it');
  const sc = results[0]?.shellcheck;
  const scPct = sc ? (100 * sc.ok) / sc.total : 100;
  console.log(`RESULT lint-conformance ${JSON.stringify({ results, shellcheckPct: +scPct.toFixed(1), pass: results.every((r) => r.pct >= 97 && r.variantChanges === 0) && (shellcheckMissing || scPct >= 90) })}`);
})();
