// The Compose JSON schema as data: resolving `$ref`s and finding the schemas
// that describe a path, for error messages, completion and hover.

import schemaJson from '../../../../schemas/compose-spec.json';
import type { ValuePath } from '../types';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  required?: string[];
  enum?: unknown[];
  examples?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  deprecated?: boolean;
  [key: string]: unknown;
}

export const composeSchema = schemaJson as unknown as JsonSchema;

/** Follows local `$ref`s (`#/definitions/x`); unknown refs resolve to an empty schema. */
export function resolveRef(schema: JsonSchema | undefined, root: JsonSchema = composeSchema): JsonSchema | undefined {
  let s = schema;
  for (let hops = 0; s?.$ref && hops < 20; hops++) {
    const parts = s.$ref.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
    let target: unknown = root;
    for (const p of parts) target = (target as Record<string, unknown> | undefined)?.[p];
    s = (target as JsonSchema | undefined) ?? {};
  }
  return s;
}

/** The alternatives a schema allows, flattened through anyOf/oneOf/allOf and refs. */
export function alternatives(schema: JsonSchema | undefined): JsonSchema[] {
  const s = resolveRef(schema);
  if (!s) return [];
  const branches = s.anyOf ?? s.oneOf;
  const own = branches ? branches.flatMap(alternatives) : [s];
  return s.allOf ? [...own, ...s.allOf.flatMap(alternatives)] : own;
}

/** The schema for the property `key` of a mapping schema (properties, then patternProperties, then additionalProperties). */
export function propertySchema(schema: JsonSchema, key: string): JsonSchema | undefined {
  if (schema.properties?.[key]) return schema.properties[key];
  for (const [pattern, s] of Object.entries(schema.patternProperties ?? {})) if (new RegExp(pattern, 'u').test(key)) return s;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** Every schema that may describe the value at `path` (several where the schema offers alternatives). */
export function schemasAt(path: ValuePath, root: JsonSchema = composeSchema): JsonSchema[] {
  let current = alternatives(root);
  for (const seg of path) {
    const next: JsonSchema[] = [];
    for (const s of current) {
      const child = typeof seg === 'number' ? (Array.isArray(s.items) ? s.items[seg] : s.items) : propertySchema(s, seg);
      if (child) next.push(...alternatives(child));
    }
    current = next;
    if (!current.length) break;
  }
  return current;
}

export function typesOf(schema: JsonSchema): string[] {
  if (schema.type) return Array.isArray(schema.type) ? schema.type : [schema.type];
  if (schema.properties || schema.patternProperties) return ['object'];
  if (schema.items) return ['array'];
  if (schema.enum) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}
