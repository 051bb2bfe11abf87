import type { Rule } from '../rule';
import { dl3044, dl3064 } from './argEnvRules';
import { berthRules } from './berthRules';
import { consistentInstructionCasing, fromAsCasing, invalidDefinitionDescription, legacyKeyValueFormat, noEmptyContinuation, stageNameCasing } from './buildkitStyleRules';
import { invalidDefaultArgInFrom, undefinedArgInFrom, undefinedVar } from './buildkitVariableRules';
import { dl3012, dl3025, dl3057, dl4003, dl4004 } from './containerCommandRules';
import { dl3010, dl3020, dl3021, dl3022, dl3023, dl3045, dl3067 } from './copyAddRules';
import { copyIgnoredFile } from './copyIgnoredFile';
import { dl1001, dl3043, dl3061, dl4000 } from './disallowedInstructionRules';
import { dl3011, exposeInvalidFormat, exposeProtoCasing } from './exposeRules';
import { labelRules } from './labelRules';
import { dl3013, dl3016, dl3028, dl3042, dl3060, dl3062 } from './languagePackageRules';
import { shellRules } from './shellRules';
import { dl3006, dl3007, dl3024, dl3026, dl3029, dl3063, dl3065, fromPlatformFlagConstDisallowed } from './stageRules';
import { dl3008, dl3009, dl3014, dl3015, dl3018, dl3019, dl3027, dl3030, dl3032, dl3033, dl3034, dl3035, dl3036, dl3037, dl3038, dl3040, dl3041 } from './systemPackageRules';
import { dl3002, dl3066 } from './userRules';
import { dl3000 } from './workdir';

// The registry of rules. Each file holds the rules of one concept (COPY/ADD,
// stages, USER, EXPOSE, system packages...); here they are grouped by family
// and put in the order they run. That order is the order of findings at the
// same position and severity (the linter's sort is stable), so it stays as it
// was when the families lived in one file each.

/** hadolint's rules about instructions and stages; where BuildKit has the same concept the rule carries its name as an alias, so one finding answers to both codes. */
export const instructionRules: readonly Rule[] = [
  dl3000, dl3002, dl3006, dl3007, dl3010, dl3011, dl3012, dl3020, dl3021, dl3022, dl3023, dl3024, dl3025, dl3026, dl3029, dl4003, dl4004,
  dl1001, dl3043, dl3044, dl3045, dl3057, dl3061, dl3063, dl3064, dl3065, dl3066, dl3067, dl4000,
];

/** hadolint's package-manager rules (apt, apk, pip, npm, gem; the RPM family, yarn, go). */
export const packageRules: readonly Rule[] = [
  dl3008, dl3009, dl3013, dl3014, dl3015, dl3016, dl3018, dl3019, dl3027, dl3028, dl3042,
  dl3030, dl3032, dl3033, dl3034, dl3035, dl3036, dl3037, dl3038, dl3040, dl3041, dl3060, dl3062,
];

/**
 * BuildKit's build checks that hadolint has no rule for (the shared ones are
 * hadolint rules carrying the BuildKit name as an alias). Not here:
 * CopyIgnoredFile needs the .dockerignore and the build context (it is its own
 * entry below), and InvalidBaseImagePlatform needs the pulled base image, which
 * the Dockerfile alone cannot tell.
 */
export const buildkitRules: readonly Rule[] = [
  stageNameCasing, fromAsCasing, noEmptyContinuation, consistentInstructionCasing, legacyKeyValueFormat, invalidDefinitionDescription,
  undefinedVar, undefinedArgInFrom, invalidDefaultArgInFrom, exposeProtoCasing, exposeInvalidFormat, fromPlatformFlagConstDisallowed,
];

export { berthRules, labelRules, shellRules };

/** Every rule Berth knows, by family. */
export const ALL_RULES: readonly Rule[] = [...instructionRules, ...labelRules, ...shellRules, ...packageRules, ...buildkitRules, copyIgnoredFile, ...berthRules];
