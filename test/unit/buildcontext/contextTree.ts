import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar-stream';
import type { Readable } from 'node:stream';

// Real folders for the build-context tests: a spec of relative paths to file
// text, `{ link }` for a symlink (its text as written), `{ dir: true }` for
// an empty folder. Folders are made 0755 so an unprivileged child can walk them.

export type Spec = Record<string, string | { link: string } | { dir: true }>;

export async function makeTree(spec: Spec, root?: string): Promise<string> {
  root ??= await mkdtemp(path.join(os.tmpdir(), 'berth-ctx-'));
  await chmod(root, 0o755);
  for (const [rel, what] of Object.entries(spec)) {
    const full = path.join(root, rel);
    await mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    if (typeof what === 'string') await writeFile(full, what);
    else if ('link' in what) await symlink(what.link, full);
    else await mkdir(full, { recursive: true, mode: 0o755 });
  }
  return root;
}

export const removeTree = (root: string) => rm(root, { recursive: true, force: true });

/**
 * For a describe block: `tree(spec)` makes a folder that is removed after the
 * suite, and `keep(dir)` has another folder removed with them.
 */
export function treesPerSuite(): { tree: (spec: Spec) => Promise<string>; keep: (dir: string) => void } {
  const roots: string[] = [];
  after(async () => {
    for (const r of roots) await removeTree(r);
  });
  return {
    tree: async (spec) => {
      const root = await makeTree(spec);
      roots.push(root);
      return root;
    },
    keep: (dir) => void roots.push(dir),
  };
}

export interface TarEntry {
  name: string;
  type: string;
  size: number;
  uid: number;
  gid: number;
  linkname?: string;
  /** A file's content, as text and as bytes. */
  content?: string;
  data?: Buffer;
}

/** Reads a tar stream with tar-stream's extract: every entry, and the error that ended it (if one did). */
export async function readTar(stream: Readable): Promise<{ entries: TarEntry[]; error?: Error }> {
  const entries: TarEntry[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        const data = header.type === 'file' ? Buffer.concat(chunks) : undefined;
        entries.push({ name: header.name, type: header.type, size: header.size, uid: header.uid, gid: header.gid, linkname: header.linkname || undefined, content: data?.toString(), data });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    await done;
    return { entries };
  } catch (error) {
    return { entries, error: error as Error };
  }
}

/**
 * Runs unreadableChild.ts in a process that cannot read a mode-000 file.
 * Tests run as root, and root reads a mode-000 file (CAP_DAC_OVERRIDE), so
 * the child drops to nobody (uid/gid 65534) through spawn's uid/gid; a
 * non-root run needs no change. Either way the file is really unreadable.
 */
export function runUnprivileged(args: string[]): { error?: string; errorPath?: string; files?: string[]; tarEntries?: string[]; tarError?: string } {
  const repo = path.resolve(__dirname, '../../..');
  const drop = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'unreadableChild.ts'), ...args], { cwd: repo, encoding: 'utf8', timeout: 20_000, ...drop });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
