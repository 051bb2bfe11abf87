// Files a Compose file points at: `extends.file` and `include` paths must
// exist, and includes must not loop. Remote includes (git, http, oci) are never
// fetched: a validator that downloads whatever a file names would be a way in.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { PathFinding, ValuePath } from '../types';
import { isMapping, sectionEntries, type Mapping } from './values';

export interface FileAccess {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(file: string): string | undefined;
}

/** Regular files on the local disk (the CLI's and the editor's `file:` documents). */
export const localFiles: FileAccess = {
  readText(file) {
    try {
      return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|oci:)/i;
const MAX_INCLUDE_DEPTH = 16;

export function fileReferenceFindings(root: Mapping, file: string | undefined, files: FileAccess | undefined): PathFinding[] {
  if (!file || !files) return [];
  const dir = path.dirname(file);
  const out: PathFinding[] = [];
  for (const [name, svc] of sectionEntries(root, 'services')) {
    if (!isMapping(svc.extends) || typeof svc.extends.file !== 'string' || REMOTE.test(svc.extends.file)) continue;
    const target = path.resolve(dir, svc.extends.file);
    const text = files.readText(target);
    const where: ValuePath = ['services', name, 'extends', 'file'];
    if (text === undefined) out.push({ path: where, target: 'value', code: 'CMP040', severity: 'error', message: `extends.file "${svc.extends.file}" does not exist (looked for ${target})` });
    else if (typeof svc.extends.service === 'string' && !serviceDeclared(text, svc.extends.service))
      out.push({ path: ['services', name, 'extends', 'service'], target: 'value', code: 'CMP011', severity: 'error', message: `Service "${svc.extends.service}" is not defined in ${svc.extends.file}` });
  }
  for (const inc of includePaths(root, dir)) {
    const text = files.readText(inc.file);
    if (text === undefined) {
      out.push({ path: inc.path, target: 'value', code: 'CMP040', severity: 'error', message: `Included file "${inc.written}" does not exist (looked for ${inc.file})` });
      continue;
    }
    const cycle = findIncludeCycle(inc.file, files, [path.resolve(file)]);
    if (cycle) out.push({ path: inc.path, target: 'value', code: 'CMP041', severity: 'error', message: `Include cycle: ${cycle.map((f) => path.basename(f)).join(' -> ')}` });
  }
  return out;
}

interface IncludeRef {
  file: string;
  written: string;
  path: ValuePath;
}

function includePaths(root: Mapping, dir: string): IncludeRef[] {
  if (!Array.isArray(root.include)) return [];
  const out: IncludeRef[] = [];
  root.include.forEach((entry, i) => {
    const add = (p: unknown, at: ValuePath) => {
      if (typeof p === 'string' && !REMOTE.test(p)) out.push({ file: path.resolve(dir, p), written: p, path: at });
    };
    if (typeof entry === 'string') add(entry, ['include', i]);
    else if (isMapping(entry)) {
      if (Array.isArray(entry.path)) entry.path.forEach((p, j) => add(p, ['include', i, 'path', j]));
      else add(entry.path, ['include', i, 'path']);
    }
  });
  return out;
}

/** Follows includes depth-first; returns the chain when it comes back to a file already on it. */
function findIncludeCycle(file: string, files: FileAccess, chain: string[]): string[] | undefined {
  if (chain.includes(file)) return [...chain, file];
  if (chain.length > MAX_INCLUDE_DEPTH) return undefined;
  const text = files.readText(file);
  if (text === undefined) return undefined;
  let root: unknown;
  try {
    root = parse(text, { maxAliasCount: 100, logLevel: 'silent' });
  } catch {
    return undefined;
  }
  if (!isMapping(root)) return undefined;
  for (const inc of includePaths(root, path.dirname(file))) {
    const cycle = findIncludeCycle(inc.file, files, [...chain, file]);
    if (cycle) return cycle;
  }
  return undefined;
}

function serviceDeclared(text: string, service: string): boolean {
  try {
    const root = parse(text, { maxAliasCount: 100, logLevel: 'silent' });
    return isMapping(root) && isMapping(root.services) && service in root.services;
  } catch {
    return true; // an unreadable file is reported when it is opened itself
  }
}
