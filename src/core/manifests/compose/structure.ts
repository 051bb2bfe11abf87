// The checks compose's loader makes before the schema: the file must be a
// mapping, its sections and their entries mappings, and every key a string.
// A file failing these is not validated further, as compose stops there too
// (schema errors on a wrongly shaped file would only be noise).

import type { PathFinding, ValuePath } from '../types';
import { isMapping, pathText } from './values';

const NAMED_SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

export function structureFindings(value: unknown, nonStringKeys: { path: ValuePath; key: string }[]): PathFinding[] {
  const out: PathFinding[] = [];
  for (const { path, key } of nonStringKeys) {
    const where = path.length === 1 ? 'at the top level' : `in ${pathText(path.slice(0, -1))}`;
    out.push(error(path, 'key', `Keys must be strings: ${key} ${where} is not (quote it: "${key}")`, `"${key}"`));
  }
  if (!isMapping(value)) {
    out.push({ path: [], target: 'value', code: 'CMP001', severity: 'error', message: 'The top level of a Compose file must be a mapping (services:, networks:, ...)' });
    return out;
  }
  for (const section of NAMED_SECTIONS) {
    const v = value[section];
    if (v === undefined || v === null) continue;
    if (!isMapping(v)) {
      out.push(error([section], 'value', `${section} must be a mapping of names to definitions`));
      continue;
    }
    for (const [name, entry] of Object.entries(v)) {
      // An empty entry (`data:`) is a definition with all defaults; services need at least an image.
      if (entry === null && section !== 'services') continue;
      if (!isMapping(entry)) out.push(error([section, name], 'value', `${section}.${name} must be a mapping`));
    }
  }
  return out;
}

function error(path: ValuePath, target: 'key' | 'value', message: string, quoted?: string): PathFinding {
  return {
    path,
    target,
    code: 'CMP001',
    severity: 'error',
    message,
    ...(quoted ? { fixes: [{ title: `Quote the key: ${quoted}`, target: 'key' as const, replacement: quoted }] } : {}),
  };
}
