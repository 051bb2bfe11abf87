import type { Rule } from '../rule';

export const packageRules: Rule[] = [];
