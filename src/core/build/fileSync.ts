import { readFileSync } from 'node:fs';
import { lstat, open, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { ContextEntry } from '../buildcontext/contextWalk';
import { IgnoreMatcher } from '../buildcontext/dockerignore';
import { GRPC_NOT_FOUND, GrpcError, type GrpcCall, type GrpcHandler } from './grpcServer';
import { ProtoMessage, ProtoWriter } from './protoWire';

// BuildKit's file sync, the sending side (moby.filesync.v1.FileSync/DiffCopy,
// tonistiigi/fsutil send.go). The engine calls DiffCopy once per "local" it
// needs, naming it in the `dir-name` metadata (`context`, `dockerfile`), with
// `include-patterns`, `exclude-patterns` and `followpaths`. We send one STAT
// packet per entry in walk order (the receiver checks the order) and an empty
// STAT to end the listing; the receiver asks for a file's content with REQ
// (the file's index among the STATs), we answer DATA chunks (32 KiB, as fsutil)
// and an empty DATA; the receiver ends with FIN and we answer FIN.
//
// What the context local holds is decided by Berth's walker (the same files
// `berth build-context` reports), never re-decided here: the exclude patterns
// BuildKit passes are the ignore file we already applied. Include patterns and
// follow paths (BuildKit asks for just `.dockerignore` or just the Dockerfile)
// narrow that list.

export const FILESYNC_DIFFCOPY = '/moby.filesync.v1.FileSync/DiffCopy';
const CHUNK = 32 * 1024;
const SENDERS = 4;

const enum PacketType {
  Stat = 0,
  Req = 1,
  Data = 2,
  Fin = 3,
  Err = 4,
}

/** A local the session serves: a folder and the entries of it that may be sent. */
export interface SyncedDir {
  root: string;
  entries: readonly ContextEntry[];
}

// Go's os.FileMode bits: fsutil sends Go's mode, not the Unix st_mode.
const GO_DIR = 1 << 31;
const GO_SYMLINK = 1 << 27;
const GO_DEVICE = 1 << 26;
const GO_PIPE = 1 << 25;
const GO_SETUID = 1 << 23;
const GO_SETGID = 1 << 22;
const GO_CHARDEV = 1 << 21;
const GO_STICKY = 1 << 20;

export function goFileMode(e: Pick<ContextEntry, 'kind' | 'mode'>): number {
  let m = e.mode & 0o777;
  if (e.mode & 0o4000) m |= GO_SETUID;
  if (e.mode & 0o2000) m |= GO_SETGID;
  if (e.mode & 0o1000) m |= GO_STICKY;
  switch (e.kind) {
    case 'directory': m |= GO_DIR; break;
    case 'symlink': m |= GO_SYMLINK; break;
    case 'fifo': m |= GO_PIPE; break;
    case 'character-device': m |= GO_DEVICE | GO_CHARDEV; break;
    case 'block-device': m |= GO_DEVICE; break;
  }
  return m >>> 0;
}

/** fsutil's Stat (types/stat.proto), owner reset to 0:0 as the docker CLI does for the context. */
export function encodeStat(e: ContextEntry): ProtoWriter {
  const w = new ProtoWriter()
    .string(1, e.path)
    .uint(2, goFileMode(e))
    .uint(5, e.kind === 'file' ? e.size : 0)
    .uint(6, BigInt(Math.round(e.mtimeMs * 1e6)))
    .string(7, e.linkTarget);
  if (e.rdev !== undefined && (e.kind === 'character-device' || e.kind === 'block-device')) {
    w.uint(8, (e.rdev >> 8) & 0xfff).uint(9, (e.rdev & 0xff) | ((e.rdev >> 12) & 0xfff00));
  }
  return w;
}

/** fsutil's Packet (types/wire.proto). */
export function encodePacket(type: PacketType, opts: { stat?: ProtoWriter; id?: number; data?: Uint8Array } = {}): Buffer {
  const w = new ProtoWriter().uint(1, type);
  if (opts.stat) w.message(2, opts.stat);
  return w.uint(3, opts.id ?? 0).bytes(4, opts.data).finish();
}

export function decodePacket(buf: Buffer): { type: number; id: number; data?: Buffer } {
  const m = ProtoMessage.parse(buf);
  return { type: m.int(1), id: m.int(3), data: m.bytes(4) };
}

/**
 * The entries a request may see: all of them, or (with include patterns or
 * follow paths) those matching one, with the folders above them.
 */
export function narrowEntries(entries: readonly ContextEntry[], includes: readonly string[]): ContextEntry[] {
  const patterns = includes.filter((p) => p.trim() !== '');
  if (!patterns.length) return [...entries];
  // An include pattern selects like an ignore pattern: the path or a folder above it matches.
  const matcher = new IgnoreMatcher(patterns);
  const keep = new Set<string>();
  for (const e of entries) {
    if (!matcher.excludes(e.path)) continue;
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

async function sendEntries(call: GrpcCall, root: string, entries: readonly ContextEntry[], sent: { files: number; bytes: number }): Promise<void> {
  const requestable = new Map<number, ContextEntry>();
  const listing = (async () => {
    for (let i = 0; i < entries.length; i++) {
      call.signal.throwIfAborted();
      if (entries[i].kind === 'file') requestable.set(i, entries[i]);
      await call.send(encodePacket(PacketType.Stat, { stat: encodeStat(entries[i]) }));
    }
    await call.send(encodePacket(PacketType.Stat));
  })();
  // A REQ may arrive before the listing is done; a file is sent once the listing has named it.
  listing.catch(() => undefined);
  // Up to four files in flight, as fsutil's sender: one at a time leaves the
  // connection idle during every open and read (2x slower on 2,000 small files).
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const track = (p: Promise<void>) => {
    const t = p.catch((err: unknown) => void (failure ??= err)).finally(() => inFlight.delete(t));
    inFlight.add(t);
  };
  const settle = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure;
  };
  for await (const raw of call.messages) {
    if (failure) throw failure;
    const p = decodePacket(raw);
    if (p.type === PacketType.Req) {
      await listing;
      const e = requestable.get(p.id);
      if (!e) throw new Error(`invalid file id ${p.id}`);
      requestable.delete(p.id);
      sent.files++;
      sent.bytes += e.size;
      while (inFlight.size >= SENDERS) await Promise.race(inFlight);
      track(sendFile(call, root, p.id, e));
    } else if (p.type === PacketType.Fin) {
      await listing;
      await settle();
      await call.send(encodePacket(PacketType.Fin));
      return;
    } else if (p.type === PacketType.Err) {
      throw new Error(`error from receiver: ${p.data?.toString('utf8') ?? ''}`);
    }
  }
  await listing;
  await settle();
}

async function sendFile(call: GrpcCall, root: string, id: number, e: ContextEntry): Promise<void> {
  const file = path.join(root, ...e.path.split('/'));
  if (e.size <= CHUNK) {
    // A small file in one synchronous read: three thread-pool round trips
    // (open, read, close) per file were most of the time on many small files.
    const data = readFileSync(file);
    if (data.length) await call.send(encodePacket(PacketType.Data, { id, data }));
    await call.send(encodePacket(PacketType.Data, { id }));
    return;
  }
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      call.signal.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      // Copied: the packet is queued by HTTP/2 while the buffer is reused.
      await call.send(encodePacket(PacketType.Data, { id, data: Buffer.from(buf.subarray(0, bytesRead)) }));
    }
  } finally {
    await fh.close();
  }
  await call.send(encodePacket(PacketType.Data, { id }));
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
    entries.push({ path: name, kind, size: kind === 'file' ? st.size : 0, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs, linkTarget: kind === 'symlink' ? await readlink(path.join(dir, name)) : undefined });
  }
  return { root: dir, entries };
}
