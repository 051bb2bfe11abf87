import type { Rule } from '../rule';

export const buildkitRules: Rule[] = [];
