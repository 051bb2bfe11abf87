// bench/lint-conformance: Berth's Dockerfile linter against hadolint's and
// BuildKit's own test cases (../shared/conformance), as black-box data.
//   npx tsx bench/lint-conformance.ts [--rule CODE] [--verbose] [--corpus hadolint|buildkit] [--no-shellcheck]
// With a shellcheck binary on PATH, the ShellCheck cases run through it (hadolint's SC findings).
// A case is judged on whether its rule fires (and, with `count`, how often); a
// BuildKit case that lists the `lines` BuildKit reported is also judged on the
// lines of the rule's findings (the same lines, as many times each), so a finding
// on the wrong instruction does not agree. hadolint's corpus has no lines, so its
// cases are judged on counts only. hadolint's "*" cases expect no hadolint
// finding at all; "ShellCheck" cases any SC finding.
// Prints agreement per rule and overall; ShellCheck cases are counted apart; for
// BuildKit also the count agreement and the line agreement on their own.
// A crash is an exception out of the linter or a BR0000 finding (a rule threw).
// Bars, per corpus: ≥ 97% of cases agree (BuildKit: counts and lines), 0 crashes,
// no verdict (or lines) changed by CRLF or a trailing comment; ShellCheck ≥ 90%,
// which needs shellcheck on PATH (scripts/provision.sh): without it the bench
// fails, unless --no-shellcheck leaves the ShellCheck cases out on purpose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintDockerfile } from '../src/core/dockerfile/linter';
import { lintWithShellcheck } from '../src/core/dockerfile/lintWithShellcheck';
import { ALL_RULES } from '../src/core/dockerfile/rules';
import type { LabelType, LintConfig } from '../src/core/dockerfile/rule';
import type { Finding } from '../src/core/dockerfile/types';
import { result, type Check } from './support/result';

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
  /** BuildKit: the 1-based lines of the expected findings. */
  lines?: number[];
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

interface Verdict {
  /** The count verdict: the rule fires (as often as `count` says), or not at all for a pass case. */
  countOk: boolean;
  /** Against the case's `lines` (BuildKit cases that have them), else undefined. */
  linesOk?: boolean;
  ok: boolean;
  got: number;
  lines: number[];
}

/** `shift`: lines added before the case's own text (a check directive), taken off the findings' lines. */
function judge(c: Case, findings: Finding[], shift: number): Verdict {
  let hits: Finding[];
  if (c.rule === '*') hits = findings.filter(isHadolint);
  else if (c.rule === 'ShellCheck') hits = findings.filter((f) => f.code.startsWith('SC'));
  else hits = findings.filter((f) => f.code === c.rule || f.aliases.includes(c.rule));
  const got = hits.length;
  const lines = hits.map((f) => f.range.start.line + 1 - shift).sort((a, b) => a - b);
  const countOk = c.expect === 'pass' ? got === 0 : c.count !== undefined ? got === c.count : got > 0;
  const linesOk = c.lines ? JSON.stringify(lines) === JSON.stringify([...c.lines].sort((a, b) => a - b)) : undefined;
  return { countOk, linesOk, ok: countOk && linesOk !== false, got, lines };
}

const crashOf = (findings: Finding[]) => findings.filter((f) => f.code === 'BR0000');

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
  let countAgree = 0;
  let countTotal = 0;
  let linesAgree = 0;
  let linesTotal = 0;
  for (const c of cases) {
    let findings: Finding[];
    // BuildKit cases: the upstream test passed the check config as a build argument,
    // or added a check directive to the file.
    const withDirective = (t: string) => (c.check_directive ? `# check=${c.check_directive}\n${t}` : t);
    const shift = c.check_directive ? 1 : 0;
    const opts = { config: configOf(c), buildkitCheck: c.frontend_attrs?.['build-arg:BUILDKIT_DOCKERFILE_CHECK'], dockerignore: c.dockerignore };
    try {
      const text = withDirective(c.dockerfile);
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
    for (const f of crashOf(findings)) {
      crashes++;
      failures.push(`CRASH ${c.rule} ${c.source}: ${f.message}`);
    }
    const v = judge(c, findings, shift);
    const { ok, got } = v;
    if (c.rule !== 'ShellCheck') {
      countTotal++;
      if (v.countOk) countAgree++;
      if (v.linesOk !== undefined) {
        linesTotal++;
        if (v.linesOk) linesAgree++;
      }
    }
    // The same file with CRLF line endings, and with a trailing comment and blank
    // lines, must get the same verdict on the same lines.
    for (const variant of [c.dockerfile.replace(/\r?\n/g, '\r\n'), `${c.dockerfile.replace(/\n?$/, '\n')}# trailing comment\n\n\n`]) {
      if (c.rule === 'ShellCheck') continue;
      const w = judge(c, lintDockerfile(withDirective(variant), opts), shift);
      if (w.got !== got || JSON.stringify(w.lines) !== JSON.stringify(v.lines)) {
        variantChanges++;
        failures.push(`VARIANT ${c.rule} ${c.source}: ${got} findings on lines [${v.lines}], ${w.got} on [${w.lines}] with ${variant.includes('\r\n') ? 'CRLF' : 'a trailing comment'}`);
      }
    }
    const r = perRule.get(c.rule) ?? { ok: 0, total: 0 };
    r.total++;
    if (ok) r.ok++;
    perRule.set(c.rule, r);
    if (!ok) {
      const want = `${c.expect}${c.count !== undefined ? ` x${c.count}` : ''}${c.lines ? ` on lines [${c.lines}]` : ''}`;
      failures.push(`${c.rule} expected ${want}, got ${got}${c.lines ? ` on lines [${v.lines}]` : ''} — ${c.name ?? ''} (${c.source})`);
      if (verbose) failures.push(`    ${JSON.stringify(c.dockerfile)}\n    findings: ${findings.map((f) => `${f.code}@${f.range.start.line + 1 - shift}`).join(' ')}`);
    }
  }
  const sc = perRule.get('ShellCheck');
  const main = [...perRule.entries()].filter(([k]) => k !== 'ShellCheck');
  const ok = main.reduce((n, [, r]) => n + r.ok, 0);
  const total = main.reduce((n, [, r]) => n + r.total, 0);
  console.log(`\n== ${corpus}: ${cases.length} cases`);
  for (const [rule, r] of [...perRule.entries()].sort()) console.log(`${rule.padEnd(34)} ${String(r.ok).padStart(4)}/${String(r.total).padEnd(4)} ${((100 * r.ok) / r.total).toFixed(0)}%`);
  const pct = total ? (100 * ok) / total : 100;
  const countPct = countTotal ? (100 * countAgree) / countTotal : 100;
  const linesPct = linesTotal ? (100 * linesAgree) / linesTotal : 100;
  console.log(`${corpus} overall (without ShellCheck): ${ok}/${total} = ${pct.toFixed(1)}%${sc ? `; ShellCheck: ${sc.ok}/${sc.total}` : ''}; crashes: ${crashes}; verdicts changed by CRLF or a trailing comment: ${variantChanges}`);
  if (corpus === 'buildkit')
    console.log(
      `buildkit count agreement: ${countAgree}/${countTotal} = ${countPct.toFixed(1)}% (rule fires as often as expected); line agreement: ${linesAgree}/${linesTotal} = ${linesPct.toFixed(1)}% (of the cases that list BuildKit's lines, findings on exactly those lines)`,
    );
  if (failures.length) console.log(`disagreements:\n  ${failures.join('\n  ')}`);
  return { corpus, ok, total, pct: +pct.toFixed(1), shellcheck: sc ?? null, crashes, variantChanges, countAgree, countTotal, countPct: +countPct.toFixed(1), linesAgree, linesTotal, linesPct: +linesPct.toFixed(1) };
}

const useShellcheck = !args.includes('--no-shellcheck');
let shellcheckMissing = false;
void (async () => {
  const results = [];
  if (!corpusArg || corpusArg === 'hadolint') results.push(await run('hadolint', path.join(SHARED, 'conformance/hadolint-cases.jsonl')));
  if (!corpusArg || corpusArg === 'buildkit') results.push(await run('buildkit', path.join(SHARED, 'conformance/buildkit-check-cases.jsonl')));
  if (shellcheckMissing) console.log('shellcheck: no shellcheck binary on PATH (scripts/provision.sh installs it): the ShellCheck cases cannot be judged');
  const checks: Check[] = [];
  for (const r of results) {
    const agree = r.corpus === 'buildkit' ? 'cases agreeing (counts and lines)' : 'cases agreeing';
    checks.push([`${r.corpus} ${agree}`, `${r.ok}/${r.total} = ${r.pct}%`, '≥ 97%', r.pct >= 97]);
    if (r.corpus === 'buildkit') {
      checks.push(['buildkit count agreement', `${r.countAgree}/${r.countTotal} = ${r.countPct}%`, '', true]);
      checks.push(['buildkit line agreement', `${r.linesAgree}/${r.linesTotal} = ${r.linesPct}%`, '', true]);
    }
    checks.push([`${r.corpus} crashes`, r.crashes, '= 0', r.crashes === 0]);
    checks.push([`${r.corpus} verdicts changed by CRLF or a trailing comment`, r.variantChanges, '= 0', r.variantChanges === 0]);
    if (r.corpus === 'hadolint') {
      const sc = r.shellcheck;
      const scPct = sc ? +((100 * sc.ok) / sc.total).toFixed(1) : 100;
      if (!useShellcheck) checks.push(['ShellCheck', 'not run (--no-shellcheck)', '', true]);
      else if (shellcheckMissing) checks.push(['ShellCheck', 'shellcheck missing on PATH', '≥ 90% with shellcheck', false]);
      else checks.push(['ShellCheck', sc ? `${sc.ok}/${sc.total} = ${scPct}%` : 'no cases', '≥ 90%', scPct >= 90]);
    }
  }
  console.log(`figures: ${JSON.stringify(results)}`);
  result('lint-conformance', checks);
})();
