import { lstat, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import { statEntry, type ContextEntry } from '../buildcontext/contextWalk';
import { literalPaths, underAny } from '../buildcontext/contextPaths';
import { IgnoreMatcher } from '../buildcontext/dockerignore';
import { GRPC_NOT_FOUND, GrpcError, type GrpcCall, type GrpcHandler } from './grpcServer';
import { sendEntries } from './diffCopySend';

export { decodePacket, goFileMode, PacketType } from './fileSyncWire';

// BuildKit's file sync, the sending side (moby.filesync.v1.FileSync/DiffCopy,
// tonistiigi/fsutil send.go). The engine calls DiffCopy once per "local" it
// needs, naming it in the `dir-name` metadata (`context`, `dockerfile`), with
// `include-patterns`, `exclude-patterns` and `followpaths`. We send one STAT
// packet per entry in walk order (the receiver checks the order) and an empty
// STAT to end the listing; the receiver asks for a file's content with REQ
// (the file's index among the STATs), we answer DATA chunks (32 KiB, as fsutil)
// and an empty DATA; the receiver ends with FIN and we answer FIN. The wire
// is in fileSyncWire.ts, the sending in diffCopySend.ts.
//
// What the context local holds is decided by Berth's walker (the same files
// `berth build-context` reports), never re-decided here: the exclude patterns
// BuildKit passes are the ignore file we already applied. Include patterns and
// follow paths (BuildKit asks for just `.dockerignore` or just the Dockerfile)
// narrow that list.

export const FILESYNC_DIFFCOPY = '/moby.filesync.v1.FileSync/DiffCopy';

/** A local the session serves: a folder and the entries of it that may be sent. */
export interface SyncedDir {
  root: string;
  entries: readonly ContextEntry[];
}

/**
 * The entries a request may see: all of them, or (with include patterns or
 * follow paths) those matching one, with the folders above them.
 */
export function narrowEntries(entries: readonly ContextEntry[], includes: readonly string[]): ContextEntry[] {
  const patterns = includes.filter((p) => p.trim() !== '');
  if (!patterns.length) return [...entries];
  // An include pattern selects like an ignore pattern: the path or a folder above it matches.
  // Plain paths (BuildKit's `.dockerignore`, a Dockerfile) by lookup, not by the matcher on every entry.
  const literal = literalPaths(patterns);
  const set = literal && new Set(literal);
  const matcher = set ? undefined : new IgnoreMatcher(patterns);
  const keep = new Set<string>();
  for (const e of entries) {
    if (set ? !underAny(set, e.path) : !matcher!.excludes(e.path)) continue;
    keep.add(e.path);
    for (let p = path.posix.dirname(e.path); p !== '.' && p !== '/'; p = path.posix.dirname(p)) keep.add(p);
  }
  return entries.filter((e) => keep.has(e.path));
}

/** What one DiffCopy call sent: the files BuildKit asked for and their bytes. */
export interface SyncSent {
  files: number;
  bytes: number;
  ms: number;
}

/** The DiffCopy handler for the named locals. */
export function fileSyncHandler(
  dirs: ReadonlyMap<string, (includes: string[]) => Promise<SyncedDir>>,
  onLocal?: (name: string, files: number) => void,
  onSent?: (name: string, sent: SyncSent) => void,
): GrpcHandler {
  return async (call: GrpcCall) => {
    const meta = decodeMetadata(call.metadata);
    const name = meta.get('dir-name')?.[0] ?? '';
    const source = dirs.get(name);
    if (!source) throw new GrpcError(GRPC_NOT_FOUND, `no access allowed to dir "${name}"`);
    const includes = [...(meta.get('include-patterns') ?? []), ...(meta.get('followpaths') ?? [])];
    const dir = await source(includes);
    const entries = narrowEntries(dir.entries, includes);
    onLocal?.(name, entries.length);
    const t0 = performance.now();
    const sent = { files: 0, bytes: 0 };
    await sendEntries(call, dir.root, entries, sent);
    onSent?.(name, { ...sent, ms: performance.now() - t0 });
  };
}

/** Values BuildKit percent-encodes carry a `<key>-encoded: true` sibling (filesync.go decodeOpts). */
function decodeMetadata(md: Map<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of md) {
    const encoded = md.get(`${k}-encoded`)?.[0] === 'true' || md.get(`${k}-encoded`)?.[0] === '1';
    out.set(k, encoded ? v.map((s) => decodeURIComponent(s.replace(/\+/g, ' '))) : v);
  }
  return out;
}

/** The Dockerfile's local: just the named files of its folder (the Dockerfile and its own ignore file). */
export async function namedFiles(dir: string, names: readonly string[]): Promise<SyncedDir> {
  const entries: ContextEntry[] = [];
  for (const name of [...new Set(names)].sort()) {
    const st = await lstat(path.join(dir, name)).catch(() => undefined);
    if (!st) continue;
    const kind = st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : undefined;
    if (!kind) continue;
    entries.push({ ...statEntry(name, kind, st), linkTarget: kind === 'symlink' ? await readlink(path.join(dir, name)) : undefined });
  }
  return { root: dir, entries };
}
