import type { Rule } from '../rule';
import { berthRules } from './berthRules';
import { buildkitRules } from './buildkitRules';
import { copyIgnoredFile } from './copyIgnoredFile';
import { instructionRules } from './instructionRules';
import { labelRules } from './labelRules';
import { packageRules } from './packageRules';
import { shellRules } from './shellRules';

/** Every rule Berth knows, by family. */
export const ALL_RULES: readonly Rule[] = [...instructionRules, ...labelRules, ...shellRules, ...packageRules, ...buildkitRules, copyIgnoredFile, ...berthRules];
