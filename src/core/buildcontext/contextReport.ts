import * as posix from 'node:path/posix';
import { formatSize } from '../util/format';
import type { BuildContext } from './buildContext';

// What a build context holds, as plain data: sizes, the largest files and
// folders, which ignore-file line left out what, and warnings about what
// usually should not be sent. The CLI prints it (`berth build-context`); the
// editor's "Build Context" view will show the same rows.

export interface SizedPath {
  path: string;
  bytes: number;
}

export interface FolderSize extends SizedPath {
  /** Files (and other non-folders) anywhere below it. */
  files: number;
}

/** One exclusion line of the ignore file and what it left out (at the edge of what is sent: a folder counts once). */
export interface PatternCount {
  line: number;
  pattern: string;
  files: number;
  folders: number;
}

export interface ContextReport {
  root: string;
  /** Paths inside the context, when there is one. */
  dockerfile?: string;
  dockerignore?: string;
  /** Every entry sent that is not a folder (files, symlinks, FIFOs, devices), sorted, `/`-separated. */
  files: string[];
  /** Every folder sent, sorted. */
  directories: string[];
  /** Bytes of file content. */
  totalBytes: number;
  largestFiles: SizedPath[];
  /** Folders at any depth by the bytes below them (one that holds exactly what its parent holds is left out). */
  largestFolders: FolderSize[];
  /** Exclusion lines in file order, including those that matched nothing. */
  exclusions: PatternCount[];
  /** What is probably a mistake: a large context, dependencies, VCS data or build output sent, links out of the context. */
  warnings: string[];
  /** Worth knowing, not wrong: an excluded Dockerfile, no Dockerfile, what cannot be sent. */
  notes: string[];
}

export const LARGE_CONTEXT_BYTES = 100_000_000;
export const LARGE_CONTEXT_FILES = 10_000;
const TOP = 10;

/** Folders that are usually installed, generated or private, by what they are. */
const HEAVY: Array<{ kind: string; names: ReadonlySet<string>; why: string }> = [
  { kind: 'node_modules', names: new Set(['node_modules']), why: 'dependencies are usually installed by the build itself' },
  { kind: '.git', names: new Set(['.git']), why: "the repository's history (and any credentials in .git/config) goes to the builder" },
  {
    kind: 'build output',
    names: new Set(['dist', 'build', 'target', 'out', 'obj', '.next', '.nuxt', 'coverage', '__pycache__', '.pytest_cache', '.venv', '.gradle', '.tox']),
    why: 'if the image builds it itself, the copy from your machine is only weight (and can go stale)',
  },
];

export function contextReport(context: BuildContext, options: { top?: number } = {}): ContextReport {
  const top = options.top ?? TOP;
  const { walk, files: buildFiles, ignore } = context;
  const files: string[] = [];
  const directories: string[] = [];
  const folders = new Map<string, FolderSize>();
  let totalBytes = 0;
  for (const e of walk.entries) {
    if (e.kind === 'directory') {
      directories.push(e.path);
      continue;
    }
    files.push(e.path);
    totalBytes += e.size;
    for (let cut = e.path.lastIndexOf('/'); cut > 0; cut = e.path.lastIndexOf('/', cut - 1)) {
      const dir = e.path.slice(0, cut);
      const f = folders.get(dir) ?? folders.set(dir, { path: dir, bytes: 0, files: 0 }).get(dir)!;
      f.bytes += e.size;
      f.files++;
    }
  }
  files.sort(compare);
  directories.sort(compare);
  const bySize = (a: SizedPath, b: SizedPath) => b.bytes - a.bytes || compare(a.path, b.path);
  const largestFiles = walk.entries
    .filter((e) => e.kind === 'file')
    .map((e) => ({ path: e.path, bytes: e.size }))
    .sort(bySize)
    .slice(0, top);
  // A folder holding exactly what its parent holds says nothing the parent does not: the parent is listed.
  const parentOf = (dir: string) => folders.get(dir.slice(0, Math.max(0, dir.lastIndexOf('/'))));
  const largestFolders = [...folders.values()]
    .filter((f) => {
      const p = parentOf(f.path);
      return !p || p.bytes !== f.bytes || p.files !== f.files;
    })
    .sort(bySize)
    .slice(0, top);

  const exclusions: PatternCount[] = [];
  const byPattern = new Map<number, PatternCount>();
  ignore?.patterns.forEach((pattern, index) => {
    if (pattern.startsWith('!')) return;
    const row = { line: ignore.lines[index], pattern, files: 0, folders: 0 };
    exclusions.push(row);
    byPattern.set(index, row);
  });
  for (const x of walk.excluded) {
    const row = byPattern.get(x.pattern);
    if (row) row[x.directory ? 'folders' : 'files']++;
  }

  const warnings: string[] = [];
  if (totalBytes >= LARGE_CONTEXT_BYTES || files.length >= LARGE_CONTEXT_FILES) {
    warnings.push(`the context is large (${formatSize(totalBytes)} in ${count(files.length, 'file')}): the builder receives all of it before the first step; exclude what the build does not COPY`);
  }
  warnings.push(...heavyFolders(directories, folders));
  const outward = walk.entries.filter((e) => e.kind === 'symlink' && pointsOutside(e.path, e.linkTarget ?? ''));
  if (outward.length) {
    const e = outward[0];
    warnings.push(`${count(outward.length, 'symlink')} point${outward.length === 1 ? 's' : ''} outside the context (e.g. "${e.path}" → "${e.linkTarget}"): sent as links and never followed, so COPY copies the link, not what it points to`);
  }

  const notes: string[] = [];
  const excludedBy = (rel: string) => walk.excluded.find((x) => x.path === rel || (x.directory && rel.startsWith(`${x.path}/`)));
  const lineOf = (pattern: number) => ignore?.lines[pattern];
  if (!buildFiles.dockerfile) notes.push('no Dockerfile at the root of the context (name one with --file)');
  for (const [what, file] of [['the Dockerfile', buildFiles.dockerfile], ['the ignore file', buildFiles.dockerignore]] as const) {
    const x = file && excludedBy(file.relative);
    if (x) notes.push(`${what} "${file.relative}" is excluded (line ${lineOf(x.pattern)}): the builder still reads it, but COPY cannot see it`);
  }
  for (const s of walk.skipped) notes.push(`"${s.path}" is not sent: ${s.why}`);

  return {
    root: walk.root,
    dockerfile: buildFiles.dockerfile?.relative,
    dockerignore: buildFiles.dockerignore?.relative,
    files,
    directories,
    totalBytes,
    largestFiles,
    largestFolders,
    exclusions,
    warnings,
    notes,
  };
}

/** Code-unit order: stable across machines and locales. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

function heavyFolders(directories: string[], folders: Map<string, FolderSize>): string[] {
  const warnings: string[] = [];
  for (const heavy of HEAVY) {
    // The outermost ones only: node_modules inside node_modules says nothing new.
    const found: string[] = [];
    for (const dir of directories) {
      if (!heavy.names.has(posix.basename(dir))) continue;
      if (found.some((f) => dir.startsWith(`${f}/`))) continue;
      found.push(dir);
    }
    if (!found.length) continue;
    const shown = found.slice(0, 3).map((dir) => {
      const f = folders.get(dir);
      return `${dir} ${formatSize(f?.bytes ?? 0)}, ${count(f?.files ?? 0, 'file')}`;
    });
    // A folder at the root is excluded by its name; deeper ones need `**/`.
    const lines = [...new Set(found.map((dir) => (dir.includes('/') ? `**/${posix.basename(dir)}` : dir)))];
    warnings.push(
      `${heavy.kind} is in the context (${shown.join('; ')}${found.length > 3 ? `; ${found.length - 3} more` : ''}): ${heavy.why}; add ${lines.map((l) => `"${l}"`).join(', ')} to .dockerignore`,
    );
  }
  return warnings;
}

/** Whether a symlink's text leads out of the context: an absolute target, or `..` above the root. */
function pointsOutside(linkPath: string, target: string): boolean {
  if (target.startsWith('/')) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../');
}
