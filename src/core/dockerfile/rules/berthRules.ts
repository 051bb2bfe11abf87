import type { Rule } from '../rule';

export const berthRules: Rule[] = [];
