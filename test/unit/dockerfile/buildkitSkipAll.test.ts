import assert from 'node:assert/strict';
import { lintDockerfile, type LintOptions } from '../../../src/core/dockerfile/linter';
import type { Rule } from '../../../src/core/dockerfile/rule';
import { ALL_RULES } from '../../../src/core/dockerfile/rules';
import type { Finding } from '../../../src/core/dockerfile/types';

// `# check=skip=all` (and the BUILDKIT_DOCKERFILE_CHECK build argument, which
// replaces the directive) must silence every BuildKit check: BuildKit's own
// checks and the hadolint rules that carry a BuildKit name as an alias. Each
// one is tried here with a Dockerfile that really triggers it, under each of
// its names. The configuration has no "all" (hadolint's `ignored` lists codes),
// so its route is tried name by name.

/** A Dockerfile (and .dockerignore) that triggers the rule, by the rule's code. */
const TRIGGERS: Record<string, { dockerfile: string; dockerignore?: string }> = {
  DL3000: { dockerfile: 'FROM alpine:3.19\nWORKDIR app\n' },
  DL3012: { dockerfile: 'FROM alpine:3.19\nHEALTHCHECK CMD ["true"]\nHEALTHCHECK CMD ["true"]\n' },
  DL3024: { dockerfile: 'FROM alpine:3.19 AS base\nFROM alpine:3.19 AS base\n' },
  DL3025: { dockerfile: 'FROM alpine:3.19\nCMD echo hi\n' },
  DL3063: { dockerfile: 'FROM alpine:3.19 AS scratch\n' },
  DL3064: { dockerfile: 'FROM alpine:3.19\nARG DB_PASSWORD\n' },
  DL3065: { dockerfile: 'FROM --platform=$TARGETPLATFORM alpine:3.19\n' },
  DL4000: { dockerfile: 'FROM alpine:3.19\nMAINTAINER someone@example.com\n' },
  DL4003: { dockerfile: 'FROM alpine:3.19\nCMD ["a"]\nCMD ["b"]\n' },
  DL4004: { dockerfile: 'FROM alpine:3.19\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n' },
  StageNameCasing: { dockerfile: 'FROM alpine:3.19 AS Builder\n' },
  FromAsCasing: { dockerfile: 'FROM alpine:3.19 as builder\n' },
  NoEmptyContinuation: { dockerfile: 'FROM alpine:3.19\nRUN echo a && \\\n\n  echo b\n' },
  ConsistentInstructionCasing: { dockerfile: 'FROM alpine:3.19\nrun echo hi\n' },
  LegacyKeyValueFormat: { dockerfile: 'FROM alpine:3.19\nENV MODE production\n' },
  InvalidDefinitionDescription: { dockerfile: 'FROM alpine:3.19\n# bar is the value of foo\nARG foo=bar\n' },
  UndefinedVar: { dockerfile: 'FROM alpine:3.19\nENV PATH=$PAHT:/opt/bin\n' },
  UndefinedArgInFrom: { dockerfile: 'FROM alpine:$VERSION\n' },
  InvalidDefaultArgInFrom: { dockerfile: 'ARG TAG\nFROM alpine:${TAG}\n' },
  ExposeProtoCasing: { dockerfile: 'FROM alpine:3.19\nEXPOSE 80/TCP\n' },
  ExposeInvalidFormat: { dockerfile: 'FROM alpine:3.19\nEXPOSE 127.0.0.1:80:80\n' },
  FromPlatformFlagConstDisallowed: { dockerfile: 'FROM --platform=linux/amd64 alpine:3.19\n' },
  CopyIgnoredFile: { dockerfile: 'FROM alpine:3.19\nCOPY secret.txt /secret.txt\n', dockerignore: 'secret.txt\n' },
};

/**
 * The rules with a BuildKit name, found without the linter's help: BuildKit's
 * own checks have a code that is no hadolint (DL) or Berth (BR) code, and
 * aliases are BuildKit's names for a hadolint rule.
 */
const BUILDKIT_RULES = ALL_RULES.filter((r) => !/^(DL|BR)\d+$/.test(r.code) || (r.aliases ?? []).length > 0);
const namesOf = (r: Rule) => [r.code, ...(r.aliases ?? [])];
const answersTo = (name: string) => (f: Finding) => f.code === name || f.aliases.includes(name);

/** Lints the rule's trigger with the rule switched on (opt-in ones through the configuration), plus `opts`. */
function lint(rule: Rule, opts: LintOptions & { directive?: string } = {}): Finding[] {
  const { dockerfile, dockerignore } = TRIGGERS[rule.code];
  const text = opts.directive ? `# check=${opts.directive}\n${dockerfile}` : dockerfile;
  const override = rule.optIn ? { [rule.severity]: [rule.code] } : {};
  return lintDockerfile(text, { ...opts, dockerignore, config: { override, ...opts.config } });
}

describe('skip=all silences every BuildKit check', () => {
  it('knows a trigger for every rule with a BuildKit name, and every BuildKit check declares itself', () => {
    assert.deepEqual(BUILDKIT_RULES.map((r) => r.code).sort(), Object.keys(TRIGGERS).sort());
    assert.ok(BUILDKIT_RULES.some((r) => r.aliases?.includes('JSONArgsRecommended')), 'a name that starts with two capitals is among them');
    for (const r of ALL_RULES) assert.equal(!!r.buildkit, !/^(DL|BR)\d+$/.test(r.code), `${r.code}: buildkit is set exactly when the code is a BuildKit check name`);
  });

  for (const rule of BUILDKIT_RULES) {
    for (const name of namesOf(rule)) {
      describe(`${name}${name === rule.code ? '' : ` (${rule.code})`}`, () => {
        it('fires on its trigger', () => {
          assert.ok(lint(rule).some(answersTo(name)), `${name} should fire on ${JSON.stringify(TRIGGERS[rule.code].dockerfile)}`);
        });

        it('is silenced by # check=skip=all', () => {
          assert.deepEqual(lint(rule, { directive: 'skip=all' }).filter(answersTo(name)), []);
        });

        it('is silenced by BUILDKIT_DOCKERFILE_CHECK=skip=all', () => {
          assert.deepEqual(lint(rule, { buildkitCheck: 'skip=all' }).filter(answersTo(name)), []);
        });

        it(`is silenced by skip=${name} (directive and build argument) and by ignoring ${name} in the configuration`, () => {
          assert.deepEqual(lint(rule, { directive: `skip=${name}` }).filter(answersTo(name)), []);
          assert.deepEqual(lint(rule, { buildkitCheck: `skip=${name}` }).filter(answersTo(name)), []);
          assert.deepEqual(lint(rule, { config: { ignored: [name] } }).filter(answersTo(name)), []);
        });
      });
    }
  }

  it('the build argument replaces the directive: BUILDKIT_DOCKERFILE_CHECK=skip=none brings back what # check=skip=all silenced', () => {
    const rule = BUILDKIT_RULES.find((r) => r.code === 'DL3025')!;
    assert.ok(lint(rule, { directive: 'skip=all', buildkitCheck: 'skip=none' }).some(answersTo('JSONArgsRecommended')));
  });

  it('leaves hadolint and Berth rules without a BuildKit name alone', () => {
    const text = '# check=skip=all\nFROM alpine:latest\nRUN apt-get install -y curl\n';
    const codes = lintDockerfile(text).map((f) => f.code);
    for (const code of ['DL3007', 'DL3008', 'DL3015']) assert.ok(codes.includes(code), `${code} in ${codes.join(' ')}`);
  });

  it('experimental=all switches on every opt-in BuildKit check (JSON-style names included)', () => {
    for (const rule of BUILDKIT_RULES.filter((r) => r.optIn)) {
      const { dockerfile, dockerignore } = TRIGGERS[rule.code];
      assert.equal(lintDockerfile(dockerfile, { dockerignore }).filter(answersTo(rule.code)).length, 0, `${rule.code} is off by default`);
      assert.ok(lintDockerfile(`# check=experimental=all\n${dockerfile}`, { dockerignore }).some(answersTo(rule.code)), `${rule.code} with experimental=all`);
      assert.ok(lintDockerfile(dockerfile, { dockerignore, buildkitCheck: 'experimental=all' }).some(answersTo(rule.code)), `${rule.code} with BUILDKIT_DOCKERFILE_CHECK=experimental=all`);
    }
  });
});
