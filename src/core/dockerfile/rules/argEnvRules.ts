import { rangeIn } from '../model';
import { type Rule } from '../rule';
import type { Range } from '../types';
import { instructionsOf, pairsOf, walk } from './instructionUtil';

// ARG and ENV: a reference to a variable that the same ENV defines (DL3044),
// and names that look like secrets (DL3064 / SecretsUsedInArgOrEnv).

/** Blanks single-quoted text and escaped dollars: neither expands in ENV values. */
const expandable = (raw: string) => raw.replace(/'[^']*'?/g, (q) => ' '.repeat(q.length)).replace(/\\\$/g, '  ');

export const dl3044: Rule = {
  code: 'DL3044',
  severity: 'error',
  message: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  keywords: ['ENV'],
  rationale: 'Variables in an ENV are expanded with the values from before the instruction, so a reference to a key defined in the same ENV gets the old (often empty) value.',
  check(ctx) {
    if (!instructionsOf(ctx.model, 'ENV').length) return;
    // Like hadolint, a name defined by any earlier ARG or ENV is not a mistake to refer to.
    const defined = new Set<string>();
    for (const { instruction: ins } of walk(ctx.model)) {
      if (ins.keyword === 'ARG') pairsOf(ins).forEach((p) => defined.add(p.key));
      if (ins.keyword !== 'ENV') continue;
      const pairs = pairsOf(ins);
      for (const [i, p] of pairs.entries()) {
        if (defined.has(p.key) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.key)) continue;
        const ref = new RegExp(`\\$(?:\\{${p.key}(?=[}:])|${p.key}(?![A-Za-z0-9_]))`);
        let hit: Range | undefined;
        for (const [j, q] of pairs.entries()) {
          if (j === i || q.rawValue === undefined || q.valueOffset === undefined) continue;
          const text = expandable(q.rawValue);
          const m = ref.exec(text);
          if (m) {
            const close = m[0].startsWith('${') ? text.indexOf('}', m.index) : -1;
            hit = rangeIn(ins, q.valueOffset + m.index, close < 0 ? m[0].length : close - m.index + 1);
            break;
          }
        }
        if (hit) ctx.report(hit, `\`${p.key}\` is defined in this same ENV; the reference gets its value from before the instruction.`);
      }
      pairs.forEach((p) => defined.add(p.key));
    }
  },
};

// DL3064 / SecretsUsedInArgOrEnv: one rule for two name heuristics.
//
// hadolint matches a list of well-known variable names and the substrings
// api_key, client_key, password, private, secret, token, username. BuildKit
// matches whole `_`-separated tokens (apikey, auth, credential(s), key,
// password, pword, passwd, secret, token) and lets a name go when it also has
// a token public, file or version. Berth flags a name when either heuristic
// does, except when BuildKit's allow-tokens say it is not the secret itself:
// GITHUB_TOKEN_FILE is a path and PUBLIC_KEY is public, whichever tool is
// asked. Both test suites agree with this union-minus-allowlist.

/** hadolint's names that its substrings would not catch already. */
const KNOWN_NAMES = new Set([
  'APPLICATION_KEY',
  'AWS_ACCESS_KEY_ID',
  'CI_DEPLOY_USER',
  'DOCKER_EMAIL',
  'FACEBOOK_APP_ID',
  'HEROKU_API_USER',
  'OKTA_AUTHN_GROUPID',
  'OKTA_CLIENT_ORGURL',
  'OKTA_OAUTH2_CLIENTID',
  'STRIPE_DEVICE_NAME',
  'TRAVIS_OS_NAME',
  'TRAVIS_SECURE_ENV_VARS',
  'TRAVIS_SUDO',
]);
const SUBSTRINGS = ['api_key', 'client_key', 'password', 'private', 'secret', 'token', 'username'];
const TOKENS = /(?:_|^)(?:apikey|auth|credentials?|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOW_TOKENS = /(?:_|^)(?:public|file|version)(?:_|$)/i;

export function isSensitiveName(name: string): boolean {
  if (ALLOW_TOKENS.test(name)) return false;
  const lower = name.toLowerCase();
  return KNOWN_NAMES.has(name.toUpperCase()) || SUBSTRINGS.some((s) => lower.includes(s)) || TOKENS.test(name);
}

export const dl3064: Rule = {
  code: 'DL3064',
  aliases: ['SecretsUsedInArgOrEnv'],
  severity: 'warning',
  message: 'Potentially sensitive data should not be used in the `ARG` or `ENV` commands',
  keywords: ['ARG', 'ENV'],
  rationale: 'ARG and ENV values stay in the image history and metadata, readable by anyone who can pull the image. Pass secrets with RUN --mount=type=secret instead.',
  check(ctx) {
    for (const { instruction } of walk(ctx.model)) {
      // hadolint also checks the ARG/ENV an ONBUILD will run in child images.
      const ins = instruction.trigger ?? instruction;
      if (ins.keyword !== 'ARG' && ins.keyword !== 'ENV') continue;
      for (const p of pairsOf(ins)) {
        if (isSensitiveName(p.key)) ctx.report(p.keyRange, `Potentially sensitive data should not be used in ${ins.keyword} "${p.key}": use a build secret (RUN --mount=type=secret) instead.`);
      }
    }
  },
};
