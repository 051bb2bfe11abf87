// Paths as users read them: `spec.template.spec.containers[0].image`.

import type { ValuePath } from '../types';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** A path in dotted form; keys that are not plain identifiers (label names, `app.kubernetes.io/name`) are quoted. */
export function describePath(path: ValuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Decodes an ajv instancePath (a JSON pointer) into a path; sequence indexes become numbers. */
export function pathFromPointer(pointer: string, doc: unknown): (string | number)[] {
  if (!pointer) return [];
  const path: (string | number)[] = [];
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // A numeric segment is an index only inside a sequence; "0" can be a mapping key too.
    const key: string | number = Array.isArray(node) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path.push(key);
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

/** The value at `path`, or undefined when the path leaves the document. */
export function valueAt(doc: unknown, path: ValuePath): unknown {
  let node: unknown = doc;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
