// Small readers for the loosely typed values of a parsed Compose file.

import type { ValuePath } from '../types';

export type Mapping = Record<string, unknown>;

export function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `services.web.ports[0]`: how messages name a place in the file. */
export function pathText(path: ValuePath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : String(seg);
  return out || 'the file';
}

/** Entries of a section (`services`, `networks`, ...) that are mappings or empty. */
export function sectionEntries(root: Mapping, section: string): [string, Mapping][] {
  const v = root[section];
  if (!isMapping(v)) return [];
  return Object.entries(v).map(([k, e]) => [k, isMapping(e) ? e : {}]);
}

/** Names listed either as a sequence of strings or as the keys of a mapping (depends_on, networks, ...). */
export function listOrKeys(v: unknown): { name: string; segment: string | number; target: 'key' | 'value' }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => (typeof x === 'string' ? [{ name: x, segment: i, target: 'value' as const }] : []));
  if (isMapping(v)) return Object.keys(v).map((k) => ({ name: k, segment: k, target: 'key' as const }));
  return [];
}
