import type { Rule } from '../rule';
import { berthRules } from './berthRules';
import { buildkitRules } from './buildkitStyleRules';
import { copyIgnoredFile } from './copyIgnoredFile';
import { instructionRules } from './copyAddRules';
import { labelRules } from './labelRules';
import { packageRules } from './languagePackageRules';
import { shellRules } from './shellRules';

/** Every rule Berth knows, by family. */
export const ALL_RULES: readonly Rule[] = [...instructionRules, ...labelRules, ...shellRules, ...packageRules, ...buildkitRules, copyIgnoredFile, ...berthRules];
