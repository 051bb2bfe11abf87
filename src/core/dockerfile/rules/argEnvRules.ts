import { type Rule } from '../rule';
import { pairsOf, walk } from './instructionUtil';

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
