// Reading the files a CLI command is pointed at, with a clear reason for every
// file that cannot be used (missing, a directory, binary, UTF-16, too large)
// so one bad path never hides the results for the others.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Larger than any real Dockerfile or manifest by orders of magnitude; stops a mistaken path (an image tarball, a log) from eating memory. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const BINARY_PROBE_BYTES = 8 * 1024;

/** The file's text, or why it cannot be read. Reads at most MAX_FILE_BYTES + 1 bytes whatever the file is; `-` is stdin. */
export async function readTextInput(file: string, io: { stdin: AsyncIterable<Buffer | string>; cwd: string }, what: string): Promise<string | { error: string }> {
  let bytes: Buffer;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
      if (size > MAX_FILE_BYTES) return { error: tooLarge(what) };
    }
    bytes = Buffer.concat(chunks);
  } else {
    const full = path.resolve(io.cwd, file);
    try {
      const st = await fs.stat(full);
      if (st.isDirectory()) return { error: `is a directory, not a ${what}` };
      if (st.isFile() && st.size > MAX_FILE_BYTES) return { error: tooLarge(what, st.size) };
      bytes = await readCapped(full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await isSymlink(full))) return { error: 'is a broken symbolic link (its target does not exist)' };
      return { error: describeFsError(err, what) };
    }
    // A FIFO or device has no size up front; readCapped stopped one byte past the limit.
    if (bytes.length > MAX_FILE_BYTES) return { error: tooLarge(what) };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { error: 'is UTF-16 encoded; save it as UTF-8' };
  const nul = bytes.subarray(0, BINARY_PROBE_BYTES).indexOf(0);
  if (nul >= 0) return { error: `looks like a binary file (NUL byte at offset ${nul}), not a ${what}` };
  const text = bytes.toString('utf8');
  // Editors hide a UTF-8 byte order mark; left in, it would glue itself to the first token.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readCapped(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    while (size <= MAX_FILE_BYTES) {
      const buf = Buffer.alloc(Math.min(1024 * 1024, MAX_FILE_BYTES + 1 - size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

async function isSymlink(p: string): Promise<boolean> {
  try {
    return (await fs.lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

function tooLarge(what: string, size?: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `is too large to be a ${what} (${size === undefined ? 'over ' + mb(MAX_FILE_BYTES) : mb(size)}; the limit is ${mb(MAX_FILE_BYTES)})`;
}

export function describeFsError(err: unknown, what = 'file'): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return `is a directory, not a ${what}`;
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return e.message ?? String(err);
  }
}
