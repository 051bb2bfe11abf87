import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { BuildContext } from './buildContext';
import { missingBuildFiles } from './contextPaths';
import { ContextError, reason } from './contextError';
import type { ContextEntry, ContextWalk } from './contextWalk';

// The build context as the tar the engine's /build endpoint reads, streamed:
// one file open at a time, read in chunks as the consumer takes them, never
// the whole context in memory. Entries come in the walk's order (depth first,
// names sorted), owned by 0:0 as the docker CLI sends them, symlinks as links.
//
// "Nothing half-sent": the walk has already checked every file can be read,
// so a failure here means the file changed in between. Each file is opened
// before its header is written, so an unreadable file never leaves a header
// without content; the stream is then destroyed with an error naming the
// file, and whoever uploads it sees a failed stream (the engine gets a cut
// request), never a tar that looks complete.

const CHUNK = 64 * 1024;

export interface TarOptions {
  signal?: AbortSignal;
  /** Entries sent after the walk's (the build files the ignore file excluded: see buildFileEntries). */
  extra?: readonly ContextEntry[];
}

export function contextTar(walk: ContextWalk, options: TarOptions = {}): Readable {
  const { signal } = options;
  const pack = tar.pack();
  const onAbort = () => pack.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const entries = options.extra?.length ? [...walk.entries, ...options.extra] : walk.entries;
  (async () => {
    for (const e of entries) {
      signal?.throwIfAborted();
      if (pack.destroyed) return;
      if (e.kind === 'file') await sendFile(pack, walk.root, e);
      else await new Promise<void>((resolve, reject) => pack.entry(header(e), (err) => (err ? reject(err) : resolve())));
    }
    pack.finalize();
  })()
    .catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))))
    .finally(() => signal?.removeEventListener('abort', onAbort));
  // tar-stream's streams are streamx ones; consumers (http requests, dockerode) expect Node's.
  // A failure destroys the pack, which fails this stream with the same error.
  return Readable.from(pack);
}

/**
 * The Dockerfile and ignore file when the ignore file excludes them: the
 * docker CLI still sends both (the engine reads them, then drops them from
 * what COPY sees), so a build passes these as `extra`.
 */
export function buildFileEntries(context: BuildContext): ContextEntry[] {
  return missingBuildFiles(context.walk.root, context.files, new Set(context.walk.entries.map((e) => e.path)));
}

function header(e: ContextEntry): tar.Header {
  const h: Partial<tar.Header> & { name: string } = { name: e.kind === 'directory' ? `${e.path}/` : e.path, mode: e.mode, mtime: new Date(Math.floor(e.mtimeMs / 1000) * 1000), uid: 0, gid: 0, uname: '', gname: '', type: e.kind };
  if (e.kind === 'file') h.size = e.size;
  if (e.kind === 'symlink') h.linkname = e.linkTarget;
  if (e.rdev !== undefined) {
    // Linux's dev_t layout, as fsutil decodes it.
    h.devmajor = (e.rdev >>> 8) & 0xfff;
    h.devminor = (e.rdev & 0xff) | ((e.rdev >>> 12) & 0xfff00);
  }
  return h as tar.Header;
}

async function sendFile(pack: tar.Pack, root: string, e: ContextEntry): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(`${root}/${e.path}`, 'r');
  } catch (err) {
    throw new ContextError(`cannot read "${e.path}" in the build context: ${reason(err)}; the upload was stopped`, e.path);
  }
  try {
    let finish!: (err?: Error | null) => void;
    const entryDone = new Promise<void>((ok, fail) => (finish = (err) => (err ? fail(err) : ok())));
    // Settled by the pack even when it is destroyed mid-file; awaited only on success.
    entryDone.catch(() => undefined);
    const sink = pack.entry(header(e), (err) => finish(err));
    let position = 0;
    while (position < e.size) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, e.size - position));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buf, 0, buf.length, position));
      } catch (err) {
        throw new ContextError(`cannot read "${e.path}" in the build context: ${reason(err)}; the upload was stopped`, e.path);
      }
      if (bytesRead === 0) throw new ContextError(`"${e.path}" shrank while it was being sent (${e.size} bytes when the context was read, ${position} now); the upload was stopped`, e.path);
      // A fresh buffer per chunk: the pack keeps a reference until the consumer reads it.
      if (!sink.write(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead))) await drained(sink);
      if (pack.destroyed) return;
      position += bytesRead;
    }
    sink.end(undefined);
    await entryDone;
  } finally {
    await handle.close();
  }
}

/** Resolves when `sink` takes more data, or is closed (the pack was destroyed: no drain will come). */
function drained(sink: ReturnType<tar.Pack['entry']>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}
