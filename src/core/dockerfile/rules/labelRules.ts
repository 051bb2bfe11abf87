import type { Stage } from '../modelTypes';
import { type LabelType, type Rule } from '../rule';
import type { Range } from '../types';
import { instructionsOf, lineage, pairsOf, stageByRef, walk, type Pair } from './instructionUtil';
import { SPDX_EXCEPTIONS, SPDX_LICENSE_IDS } from './spdxLicenseIds';

// hadolint's LABEL rules. DL3048 always applies; the others need a
// `label-schema` in the configuration (label name → expected type) and
// DL3050 also `strict-labels`.

const RESERVED_NAMESPACES = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

/** Why a label key breaks Docker's key recommendations, or undefined if it does not. */
export function labelKeyProblem(key: string): string | undefined {
  if (RESERVED_NAMESPACES.some((ns) => key.startsWith(ns))) return `"${key}" uses a namespace reserved for Docker.`;
  if (!/^[a-z]/.test(key)) return `"${key}" should start with a lowercase letter.`;
  if (!/[a-z0-9]$/.test(key)) return `"${key}" should end with a lowercase letter or digit.`;
  if (/[^a-z0-9.-]/.test(key)) return `"${key}" should only contain lowercase letters, digits, "." and "-".`;
  if (/\.\.|--/.test(key)) return `"${key}" should not contain consecutive separators.`;
  return undefined;
}

const dl3048: Rule = {
  code: 'DL3048',
  severity: 'style',
  message: 'Invalid label key.',
  keywords: ['LABEL'],
  rationale: 'Docker recommends reverse-DNS label keys of lowercase letters, digits, dots and dashes, and reserves the com.docker.*, io.docker.* and org.dockerproject.* namespaces.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'LABEL')) {
      for (const p of pairsOf(ins)) {
        const problem = labelKeyProblem(p.key);
        if (problem) ctx.report(p.keyRange, `Invalid label key: ${problem}`);
      }
    }
  },
};

const dl3049: Rule = {
  code: 'DL3049',
  severity: 'info',
  message: 'Label is missing.',
  rationale: 'The label schema requires this label on every image the build produces.',
  check(ctx) {
    for (const label of Object.keys(ctx.config.labelSchema)) {
      // Like hadolint: a stage is fine if it or its base stage sets the label;
      // a stage without it is excused when a later stage builds on it and sets
      // the label, or copies from it (it is then an intermediate stage).
      const good = new Set<Stage>();
      const bad = new Set<Stage>();
      for (const { instruction: ins, stage } of walk(ctx.model)) {
        if (!stage) continue;
        if (ins === stage.from) {
          if (stage.parent && good.has(stage.parent)) good.add(stage);
          else bad.add(stage);
        } else if (ins.keyword === 'COPY') {
          const from = ins.flags.find((f) => f.name === 'from')?.value;
          const source = from ? stageByRef(ctx.model, from, stage.index) : undefined;
          if (source) bad.delete(source);
        } else if (ins.keyword === 'LABEL' && pairsOf(ins).some((p) => p.key === label)) {
          lineage(stage).forEach((s) => bad.delete(s));
          good.add(stage);
        }
      }
      for (const stage of bad) ctx.report(stage.from.keywordRange, `Label \`${label}\` is missing.`);
    }
  },
};

const dl3050: Rule = {
  code: 'DL3050',
  severity: 'info',
  message: 'Superfluous label(s) present.',
  keywords: ['LABEL'],
  rationale: 'With strict labels, only the labels the schema names may be set.',
  check(ctx) {
    if (!ctx.config.strictLabels) return;
    for (const { instruction: ins } of instructionsOf(ctx.model, 'LABEL')) {
      for (const p of pairsOf(ins)) if (!(p.key in ctx.config.labelSchema)) ctx.report(p.keyRange, `Superfluous label \`${p.key}\`: it is not in the label schema.`);
    }
  },
};

/** No own keys at all (the lookup below asks for own properties). */
const isEmpty = (o: object) => Object.getOwnPropertyNames(o).length === 0;

/** The range of a pair: the value, or key to `=` when the value is empty. */
function pairRange(p: Pair): Range {
  return p.valueRange && p.rawValue ? p.valueRange : { start: p.keyRange.start, end: p.valueRange?.end ?? p.keyRange.end };
}

/** A rule checking the values of schema labels of some types. */
function schemaRule(code: string, severity: Rule['severity'], types: LabelType[] | 'all', problem: string, valid: (value: string) => boolean, rationale: string): Rule {
  return {
    code,
    severity,
    message: `Label ${problem}`,
    rationale,
    keywords: ['LABEL'],
    check(ctx) {
      const schema = ctx.config.labelSchema;
      if (isEmpty(schema)) return; // no label has a type
      for (const { instruction: ins } of instructionsOf(ctx.model, 'LABEL')) {
        for (const p of pairsOf(ins)) {
          const type = Object.prototype.hasOwnProperty.call(schema, p.key) ? schema[p.key] : undefined;
          if (!type || (types !== 'all' && !types.includes(type)) || valid(p.value ?? '')) continue;
          ctx.report(pairRange(p), `Label \`${p.key}\` ${problem}`);
        }
      }
    },
  };
}

export function isUrl(v: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(v);
}

export function isRfc3339(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 60 && (m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59));
}

/**
 * An SPDX license identifier or expression (`MIT`, `Apache-2.0 OR MIT`,
 * `GPL-2.0-or-later WITH Classpath-exception-2.0`, `LicenseRef-x`). hadolint
 * accepts a single identifier only; OCI's licenses label is defined as an
 * expression, so Berth accepts those too.
 */
export function isSpdxExpression(v: string): boolean {
  const tokens = v.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const license = (t: string | undefined) => !!t && (SPDX_LICENSE_IDS.has(t.replace(/\+$/, '').toLowerCase()) || /^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(t));
  const term = (): boolean => {
    if (tokens[i] === '(') {
      i++;
      if (!expr() || tokens[i] !== ')') return false;
      i++;
      return true;
    }
    if (!license(tokens[i++])) return false;
    if (tokens[i]?.toUpperCase() === 'WITH') {
      const exception = tokens[i + 1];
      i += 2;
      return !!exception && SPDX_EXCEPTIONS.has(exception.toLowerCase());
    }
    return true;
  };
  const expr = (): boolean => {
    if (!term()) return false;
    while (tokens[i] && /^(AND|OR)$/i.test(tokens[i])) {
      i++;
      if (!term()) return false;
    }
    return true;
  };
  return tokens.length > 0 && expr() && i === tokens.length;
}

export const isGitHash = (v: string) => /^(?:[0-9a-f]{7}|[0-9a-f]{40})$/.test(v);

export const isSemver = (v: string) =>
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/.test(v);

/** An RFC 5322 addr-spec: dot-atom or quoted local part, dot-atom or literal domain. */
export function isEmail(v: string): boolean {
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  const dotAtom = `${atom}(?:\\.${atom})*`;
  const quoted = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
  const literal = '\\[[^\\[\\]\\\\\\s]*\\]';
  return new RegExp(`^(?:${dotAtom}|${quoted})@(?:${dotAtom}|${literal})$`).test(v) && v.length <= 254;
}

const dl3051 = schemaRule('DL3051', 'warning', 'all', 'is empty.', (v) => v !== '', 'A label the schema requires has no value.');
const dl3052 = schemaRule('DL3052', 'warning', ['url'], 'is not a valid URL.', isUrl, 'The schema declares this label a URL.');
const dl3053 = schemaRule('DL3053', 'warning', ['rfc3339'], 'is not a valid time format - must conform to RFC3339.', isRfc3339, 'The schema declares this label an RFC 3339 timestamp, e.g. 2024-05-01T12:00:00Z.');
const dl3054 = schemaRule('DL3054', 'warning', ['spdx'], 'is not a valid SPDX license identifier.', isSpdxExpression, 'The schema declares this label an SPDX license identifier, e.g. MIT or Apache-2.0.');
const dl3055 = schemaRule('DL3055', 'warning', ['hash'], 'is not a valid git hash.', isGitHash, 'The schema declares this label a git commit hash (7 or 40 lowercase hex digits).');
const dl3056 = schemaRule('DL3056', 'warning', ['semver'], 'does not conform to semantic versioning.', isSemver, 'The schema declares this label a semantic version, e.g. 1.4.0 or 2.0.0-rc.1.');
const dl3058 = schemaRule('DL3058', 'warning', ['email'], 'is not a valid email format - must conform to RFC5322.', isEmail, 'The schema declares this label an email address.');

export const labelRules: Rule[] = [dl3048, dl3049, dl3050, dl3051, dl3052, dl3053, dl3054, dl3055, dl3056, dl3058];
