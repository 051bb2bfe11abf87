// The fast path for reading a manifest. `yaml` (which keeps every node's source
// range, recovers from errors and reports several) parses about 1.5 MB/s on a
// small CPU: a 2,000-line Compose file costs ~50 ms before any check runs.
// js-yaml reads the same file into values about 15× faster but keeps no
// positions. So values come from js-yaml, and the positioned tree from `yaml`
// only when a finding needs a position or js-yaml cannot be trusted to agree:
//   - it failed (syntax error: `yaml` reports all of them, with recovery);
//   - a key may not be a string (js-yaml turns keys into strings silently);
//   - aliases expand past the alias-bomb guard.
//   - the text has a scalar form the two resolve differently (found by
//     comparing them: binary and signed hex integers, signed floats without a
//     leading digit, explicit tags).
// Otherwise both read YAML 1.2's core schema with merge keys and agree on values.

import * as jsyaml from 'js-yaml';

// js-yaml exports its built-in types at run time; its type declarations omit them.
const { merge } = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types;
const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [merge] });

/** A plain (unquoted) key that YAML 1.2's core schema reads as a number, boolean or null, block or flow; or an explicit `?` key. */
const MAYBE_NON_STRING_KEY =
  /(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)(?:[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)?[ \t]*:(?:[ \t]|$)|^[ \t]*\?(?:[ \t]|$)/m;

/** Scalars js-yaml and `yaml` resolve differently (0b11: 3 vs "0b11"; -.5: "-.5" vs -0.5; -0x1; !!float 1). */
const PARSERS_DISAGREE = /(?:^|[\s[{,:?-])(?:[-+]?0b[01]|[-+]0x|[-+]\.\d)|(?:^|[\s[{,:?-])!/m;

/** Past this many values once aliases are expanded, a document is treated as an alias bomb (a real manifest has thousands). */
export const MAX_EXPANDED_NODES = 1_000_000;

/** The documents' values, or undefined when the exact parser must read the text. */
export function fastValues(text: string): unknown[] | undefined {
  if (MAYBE_NON_STRING_KEY.test(text) || PARSERS_DISAGREE.test(text)) return undefined;
  let values: unknown[];
  try {
    values = jsyaml.loadAll(text, undefined, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  return values.every(withinAliasBudget) ? values : undefined;
}

/** False for a value whose aliases expand past MAX_EXPANDED_NODES or refer to themselves (walking it would not end). */
export function withinAliasBudget(value: unknown): boolean {
  return expandedSize(value, new Map(), 0) <= MAX_EXPANDED_NODES;
}

/**
 * How many values `v` has with aliases expanded. js-yaml shares aliased
 * values, so a billion-laughs document is small in memory but every walk over
 * it (interpolation, the schema) would visit each expansion: count with memo.
 */
function expandedSize(v: unknown, memo: Map<object, number>, depth: number): number {
  if (typeof v !== 'object' || v === null) return 1;
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (depth > 1000) return Infinity;
  memo.set(v, Infinity); // a cycle (a recursive alias) is never a finite manifest
  let n = 1;
  for (const child of Array.isArray(v) ? v : Object.values(v)) {
    n += expandedSize(child, memo, depth + 1);
    if (n > MAX_EXPANDED_NODES) break;
  }
  memo.set(v, n);
  return n;
}
