import type { Rule } from '../rule';

export const shellRules: Rule[] = [];
