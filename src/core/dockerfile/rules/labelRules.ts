import type { Rule } from '../rule';

export const labelRules: Rule[] = [];
