// Turns ajv's schema errors into findings a person can act on: one per place,
// on the offending key or value, in plain words ("ports[0] must be a string
// like "8080:80" or a mapping with target/published"), with a quick fix where
// the repair is mechanical (misspelt key or enum value → the nearest valid one).
//
// ajv reports every failed branch of an anyOf/oneOf; the branch the author
// evidently meant (the one whose type matches the value) is kept and the rest
// dropped, as editors with JSON schema support do.

import type { ErrorObject } from 'ajv';
import { closest } from '../../util/editDistance';
import type { PathFinding, ValuePath } from '../types';
import { alternatives, composeSchema, resolveRef, typesOf, type JsonSchema } from './schemaModel';
import type { SchemaCheck } from './schemaValidator';
import { pathText } from './values';

let check: SchemaCheck | undefined;

/** Schema findings for a (interpolated) Compose value; errors at `skipPaths` (values holding variables) are dropped. */
export function schemaFindings(value: unknown, skipPaths: ReadonlySet<string>): PathFinding[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: ajv loads on the first validation only
  check ??= (require('./schemaValidator') as typeof import('./schemaValidator')).compileSchema(composeSchema);
  const errors = check(value).filter((e) => !skipPaths.has(e.instancePath));
  const explained = new Map<ErrorObject, string>();
  return selectErrors(errors, explained).flatMap((e) => describeError(e, explained.get(e)));
}

/**
 * For each anyOf/oneOf failure, decides whether the value evidently meant one
 * branch: if any error sits deeper than the failure, or at its place but not
 * about the type, some branch accepted the value's shape and those errors say
 * what is wrong; the failure and the other branches' type complaints go. If
 * every branch rejected the type, the failure alone remains and says what
 * forms are allowed. (ajv's schemaPath restarts inside each $ref, so branch
 * membership is judged by place, not by schema path.)
 */
function selectErrors(errors: ErrorObject[], explained: Map<ErrorObject, string>): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const typeish = (e: ErrorObject) => e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'const';
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  for (const c of combinators) {
    if (c.keyword === 'oneOf' && (c.params as { passingSchemas?: unknown }).passingSchemas) continue;
    const here = errors.filter((e) => e !== c && e.instancePath === c.instancePath && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
    const deeper = errors.some((e) => e.instancePath.startsWith(c.instancePath + '/'));
    // A near miss of one branch's allowed values (`pull_policy: alway`) is what the author meant, even when another
    // branch's pattern also failed: keep that enum error alone so its message and fix name the value.
    const nearMiss = deeper ? undefined : here.find((e) => e.keyword === 'enum' && typeof e.data === 'string' && closest(e.data, enumStrings(e)));
    if (nearMiss) {
      for (const e of here) if (e !== nearMiss) dropped.add(e);
      dropped.add(c);
      continue;
    }
    const meant = deeper || here.some((e) => !typeish(e));
    for (const e of here) if (typeish(e)) dropped.add(e);
    if (meant) dropped.add(c);
    // A branch's bare pattern (`^\s*[-+]?[0-9]+\s*$|\$`) says nothing to a person; the description of the schema
    // offering the branches ("A whole number, or a string that holds one ...") does.
    const description = (c.parentSchema as JsonSchema | undefined)?.description;
    if (description) for (const e of here) if (e.keyword === 'pattern' && !(e.parentSchema as JsonSchema | undefined)?.description) explained.set(e, description);
  }
  // One finding per place: several combinators failing at one place say the same thing.
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (dropped.has(e) || e.keyword === 'if') return false;
    const key = e.keyword === 'anyOf' || e.keyword === 'oneOf' ? `${e.instancePath}|combinator` : `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function enumStrings(e: ErrorObject): string[] {
  return ((e.schema as unknown[]) ?? []).filter((a): a is string => typeof a === 'string');
}

/** `explanation`: what the value should be in words, when the error's own schema has none (see selectErrors). */
function describeError(e: ErrorObject, explanation?: string): PathFinding[] {
  const path = pointerToPath(e.instancePath);
  const where = pathText(path);
  const base = { code: 'CMP002', severity: 'error' as const };
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      if (!known.length && parent.patternProperties)
        return [{ ...base, path: [...path, key], target: 'key', message: `"${key}" is not a valid name in ${where}: use letters, digits, ".", "_" and "-"` }];
      const suggestion = closest(key, known);
      return [
        {
          ...base,
          path: [...path, key],
          target: 'key',
          message: `Unknown key "${key}" in ${where}` + (suggestion ? ` (did you mean "${suggestion}"?)` : key.startsWith('x_') ? ' (extension keys start with "x-")' : ''),
          ...(suggestion ? { fixes: [{ title: `Change to "${suggestion}"`, target: 'key' as const, replacement: suggestion }] } : {}),
        },
      ];
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return [{ ...base, path, target: 'key', message: `${where} is missing "${missing}"${describeProperty(parent, missing)}` }];
    }
    case 'enum': {
      const allowed = (e.schema as unknown[]) ?? [];
      const suggestion = typeof e.data === 'string' ? closest(e.data, enumStrings(e)) : undefined;
      return [
        {
          ...base,
          path,
          target: 'value',
          message: `${where} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` + (suggestion ? ` (did you mean "${suggestion}"?)` : ''),
          ...(suggestion ? { fixes: [{ title: `Change to "${suggestion}"`, target: 'value' as const, replacement: suggestion }] } : {}),
        },
      ];
    }
    case 'type':
      return [{ ...base, path, target: 'value', message: `${where} must be ${describeSchema(parent)}` }];
    case 'anyOf':
    case 'oneOf': {
      const branches = (e.schema as JsonSchema[]).flatMap((b) => alternatives(b));
      if (e.keyword === 'oneOf' && Array.isArray((e.params as { passingSchemas?: number[] }).passingSchemas))
        return [{ ...base, path, target: 'value', message: `${where} matches more than one allowed form; make it unambiguous` }];
      return [{ ...base, path, target: 'value', message: `${where} must be ${joinOr(branches.map((b) => describeSchema(b)))}` }];
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const p = e.params as { comparison: string; limit: number };
      const words: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };
      return [{ ...base, path, target: 'value', message: `${where} must be ${words[p.comparison] ?? p.comparison} ${p.limit}` }];
    }
    case 'pattern': {
      const words = parent.description ?? explanation;
      return [{ ...base, path, target: 'value', message: `${where} is not valid: ${words ? lowerFirst(words).replace(/\.$/, '') : `it must match ${String(e.schema)}`}` }];
    }
    case 'uniqueItems': {
      // ajv names the two places in either order (its two loops run differently): point at the later one, the
      // repeat to delete, whichever it is.
      const p = e.params as { i: number; j: number };
      const [first, repeat] = [Math.min(p.i, p.j), Math.max(p.i, p.j)];
      return [{ ...base, path: [...path, repeat], target: 'value', message: `${where} lists the same item twice ([${first}] and [${repeat}])` }];
    }
    case 'minItems':
    case 'minProperties':
      return [{ ...base, path, target: 'value', message: `${where} must not be empty` }];
    default:
      return [{ ...base, path, target: 'value', message: `${where} ${e.message ?? 'is not valid'}` }];
  }
}

/** "a string like "8080:80"", "a mapping with target/published", "true or false"... */
function describeSchema(schema: JsonSchema): string {
  const s = resolveRef(schema) ?? {};
  if (s.anyOf || s.oneOf) return joinOr(alternatives(s).map(describeSchema));
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const example = s.examples?.[0];
  return joinOr(
    typesOf(s).map((t) => {
      switch (t) {
        case 'string':
          return example !== undefined && typeof example === 'string' ? `a string like ${JSON.stringify(example)}` : 'a string';
        case 'integer':
          return 'a whole number';
        case 'number':
          return 'a number';
        case 'boolean':
          return 'true or false';
        case 'null':
          return 'empty';
        case 'array':
          return 'a list';
        case 'object': {
          const keys = s.required?.length ? s.required : Object.keys(s.properties ?? {}).slice(0, 3);
          return keys.length ? `a mapping with ${keys.join('/')}` : 'a mapping';
        }
        default:
          return t;
      }
    }),
  );
}

function describeProperty(parent: JsonSchema, key: string): string {
  const d = resolveRef(parent.properties?.[key])?.description;
  return d ? ` (${lowerFirst(d).replace(/\.$/, '')})` : '';
}

function joinOr(words: string[]): string {
  const unique = [...new Set(words.filter(Boolean))];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The JSON pointer ajv uses for a path (for matching errors against paths). */
export function pathToPointer(path: ValuePath): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
