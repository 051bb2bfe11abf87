// Turns ajv's error list into findings a person can act on: one per place,
// in plain words, pointing at the key or value at fault.

import { closest } from '../../util/editDistance';
import type { PathFinding, PathFix, ValuePath } from '../types';
import type { UnknownKey } from './knownKeys';
import { describePath, pathFromPointer, valueAt } from './paths';

/** The fields of an ajv ErrorObject we use (the compiled validators report no schema). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export const SCHEMA_CODE = 'K8S001';

const finding = (path: ValuePath, target: 'key' | 'value', message: string, fixes?: PathFix[]): PathFinding => ({
  path,
  target,
  code: SCHEMA_CODE,
  severity: 'error',
  message,
  ...(fixes?.length ? { fixes } : {}),
});

const where = (path: ValuePath) => describePath(path) || 'the document';

const ARTICLE: Record<string, string> = { integer: 'an integer', object: 'a mapping', array: 'a list', null: 'null' };
const typeName = (t: string) => ARTICLE[t] ?? `a ${t}`;

function joinOr(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The nearest declared key that is not already present (renaming onto it would duplicate it). */
export function nearestKey(key: string, known: readonly string[], present: object): string | undefined {
  return closest(
    key,
    known.filter((candidate) => !Object.prototype.hasOwnProperty.call(present, candidate)),
  );
}

export function unknownKeyFinding(path: ValuePath, key: string, known: readonly string[], doc: unknown): PathFinding {
  const parent = valueAt(doc, path);
  const suggestion = parent && typeof parent === 'object' ? nearestKey(key, known, parent) : undefined;
  const place = path.length ? `in ${describePath(path)}` : 'at the top level';
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  const fixes = suggestion ? [{ title: `Change to "${suggestion}"`, target: 'key' as const, replacement: suggestion }] : undefined;
  return finding([...path, key], 'key', `unknown property "${key}" ${place}${hint}`, fixes);
}

// A string that reads as the number or boolean the schema wants: the value was quoted by mistake.
const UNQUOTED: Record<string, RegExp> = { integer: /^-?\d+$/, number: /^-?\d+(\.\d+)?$/, boolean: /^(true|false)$/ };

function typeFinding(path: ValuePath, types: string[], value: unknown): PathFinding {
  const message = `${where(path)} must be ${joinOr(types.map(typeName))}`;
  const unquoted = typeof value === 'string' && types.length === 1 ? UNQUOTED[types[0]] : undefined;
  if (unquoted?.test(value as string)) {
    return finding(path, 'value', `${message}; remove the quotes`, [{ title: `Change to ${value}`, target: 'value', replacement: value as string }]);
  }
  if (types.length === 1 && types[0] === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return finding(path, 'value', `${message}; put the value in quotes`);
  }
  return finding(path, 'value', message);
}

// The formats the compiled Kubernetes and Knative schemas check.
const FORMATS: Record<string, string> = {
  quantity: 'a quantity such as 500m, 2, 512Mi or 1Gi',
  int32: 'a whole number that fits in 32 bits',
  int64: 'a whole number that fits in 64 bits',
  double: 'a number',
  byte: 'base64-encoded data',
  'date-time': 'a date and time such as 2024-01-31T12:00:00Z',
};

function valueMessage(path: ValuePath, error: SchemaError): string {
  const p = error.params;
  const at = where(path);
  switch (error.keyword) {
    case 'enum':
      return `${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)}`;
    case 'format':
      return `${at} must be ${FORMATS[p.format as string] ?? `a valid ${p.format}`}`;
    case 'pattern':
      return `${at} does not have the expected form (pattern ${p.pattern})`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `${at} must be ${p.comparison} ${p.limit}`;
    case 'minLength': case 'maxLength':
      return `${at} must be ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${p.limit} characters long`;
    case 'minItems': case 'maxItems':
      return `${at} must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${p.limit} items`;
    case 'uniqueItems':
      return `${at} must not contain duplicate items`;
    default:
      return `${at} is not valid (${error.keyword})`;
  }
}

const COMBINATORS = new Set(['oneOf', 'anyOf']);
const KEY_KEYWORDS = new Set(['required', 'additionalProperties']);

/**
 * One finding per missing or unknown key, and one per value: ajv reports each
 * failed branch of a oneOf (IntOrString, Quantity) plus the oneOf itself, which
 * we fold into "must be an integer or a string".
 */
export function schemaFindings(errors: readonly SchemaError[], doc: unknown, knownKeys: (path: ValuePath) => string[] | undefined): PathFinding[] {
  const byPlace = new Map<string, SchemaError[]>();
  for (const error of errors) {
    const group = byPlace.get(error.instancePath);
    if (group) group.push(error);
    else byPlace.set(error.instancePath, [error]);
  }
  const out: PathFinding[] = [];
  for (const [pointer, group] of byPlace) {
    const path = pathFromPointer(pointer, doc);
    for (const error of group) {
      if (error.keyword === 'required') {
        // No key to point at for the root or a list item, so those point at the value.
        const target = path.length && typeof path[path.length - 1] === 'string' ? 'key' : 'value';
        out.push(finding(path, target, `${where(path)} is missing the required property "${error.params.missingProperty}"`));
      } else if (error.keyword === 'additionalProperties') {
        const key = String(error.params.additionalProperty);
        out.push(unknownKeyFinding(path, key, knownKeys(path) ?? [], doc));
      }
    }
    const valueErrors = group.filter((e) => !KEY_KEYWORDS.has(e.keyword));
    if (!valueErrors.length) continue;
    const types = [...new Set(valueErrors.filter((e) => e.keyword === 'type').flatMap((e) => e.params.type as string | string[]))];
    const specific = valueErrors.find((e) => e.keyword !== 'type' && !COMBINATORS.has(e.keyword));
    const combined = valueErrors.some((e) => COMBINATORS.has(e.keyword));
    // In a oneOf, a keyword other than type failing means the value had the type of
    // some branch and broke that branch's other rule: that rule is the news.
    if (specific && (combined || !types.length)) out.push(finding(path, 'value', valueMessage(path, specific)));
    else if (types.length) out.push(typeFinding(path, types, valueAt(doc, path)));
    else out.push(finding(path, 'value', `${where(path)} does not match any of the allowed forms`));
  }
  return out;
}

/** Unknown keys found by the read recorder, as findings. */
export function unknownKeyFindings(unknown: readonly UnknownKey[], doc: unknown): PathFinding[] {
  return unknown.map((u) => unknownKeyFinding(u.path, u.key, u.known, doc));
}
