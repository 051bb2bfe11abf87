import { access, constants, lstat, readFile, readlink, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ContextError, isMissing, reason } from './contextError';
import { dockerignoreCandidates } from './dockerignoreFile';

// The files a build reads besides the context's content: the Dockerfile and
// the ignore file, found as BuildKit finds them. Each must really be inside
// the context: a symlink (or a path) that resolves outside it is refused, as
// Docker refuses a Dockerfile link out of the context (moby#32041) and Podman
// an ignore file that is one (podman#16315). Berth never reads a file outside
// the folder the user chose to send.

export interface BuildFile {
  /** Absolute path to read it from: under the context's real path, a link inside the context resolved. */
  path: string;
  /** Its path inside the context, `/`-separated. */
  relative: string;
}

export interface BuildFiles {
  /** The context folder's real path (a context given through a symlink is resolved, as Docker does). */
  root: string;
  /** The Dockerfile: the one given, else `Dockerfile` (or `dockerfile`) at the root; undefined when there is none. */
  dockerfile?: BuildFile;
  /** The ignore file that applies (`<Dockerfile>.dockerignore` beside the Dockerfile wins over `.dockerignore`) and its text. */
  dockerignore?: BuildFile & { text: string };
}

export interface BuildFilesOptions {
  /** The Dockerfile as the user named it; relative to `cwd`, as `docker build -f` is. */
  dockerfile?: string;
  cwd?: string;
}

export async function resolveBuildFiles(contextDir: string, options: BuildFilesOptions = {}): Promise<BuildFiles> {
  const cwd = options.cwd ?? process.cwd();
  const root = await realpath(path.resolve(cwd, contextDir)).catch((err) => {
    throw new ContextError(`build context "${contextDir}" ${isMissing(err) ? 'does not exist' : `cannot be opened: ${reason(err)}`}`, contextDir);
  });
  if (!(await stat(root)).isDirectory()) throw new ContextError(`build context "${contextDir}" is not a folder`, contextDir);

  let dockerfile: BuildFile | undefined;
  if (options.dockerfile !== undefined) {
    dockerfile = await insideContext(root, path.resolve(cwd, options.dockerfile), 'Dockerfile', options.dockerfile);
    if (!dockerfile) throw new ContextError(`Dockerfile "${options.dockerfile}" not found`, options.dockerfile);
  } else {
    // BuildKit and the docker CLI also accept the lower-case name.
    for (const name of ['Dockerfile', 'dockerfile']) {
      dockerfile = await insideContext(root, path.join(root, name), 'Dockerfile', name);
      if (dockerfile) break;
    }
  }
  if (dockerfile) {
    const s = await stat(dockerfile.path);
    if (!s.isFile()) throw new ContextError(`Dockerfile "${dockerfile.relative}" is not a file`, dockerfile.path);
    await access(dockerfile.path, constants.R_OK).catch((err) => {
      throw new ContextError(`cannot read Dockerfile "${dockerfile!.relative}": ${reason(err)}`, dockerfile!.path);
    });
  }

  // BuildKit looks for `<name>.dockerignore` under the name it was asked for:
  // `Dockerfile.dockerignore` by default, even when it read `dockerfile`.
  const named = path.join(root, options.dockerfile !== undefined && dockerfile ? dockerfile.relative : 'Dockerfile');
  for (const candidate of dockerignoreCandidates(named, root)) {
    const found = await insideContext(root, candidate, 'ignore file', path.relative(root, candidate));
    if (!found) continue;
    const text = await readFile(found.path, 'utf8').catch((err) => {
      throw new ContextError(`cannot read ignore file "${found.relative}": ${reason(err)}`, found.path);
    });
    return { root, dockerfile, dockerignore: { ...found, text } };
  }
  return { root, dockerfile };
}

/**
 * `file` as a path inside the context, or undefined when nothing is there.
 * Refuses a file whose location or link target is outside `root`.
 */
async function insideContext(root: string, file: string, what: string, shown: string): Promise<BuildFile | undefined> {
  // The folder holding it, resolved (the context itself may have been given through a link).
  const folder = await realpath(path.dirname(file)).catch((err) => {
    if (isMissing(err)) return undefined;
    throw new ContextError(`cannot open the folder of ${what} "${shown}": ${reason(err)}`, file);
  });
  if (folder === undefined) return undefined;
  const located = path.join(folder, path.basename(file));
  const info = await lstat(located).catch((err) => {
    if (isMissing(err)) return undefined;
    throw new ContextError(`cannot open ${what} "${shown}": ${reason(err)}`, located);
  });
  if (!info) return undefined;
  if (!within(root, located)) {
    throw new ContextError(`${what} "${shown}" is outside the build context ${root}: the builder only sees the context; move it inside or choose a context that holds it`, located);
  }
  const relative = toSlash(path.relative(root, located));
  if (info.isSymbolicLink()) {
    const target = await readlink(located);
    const real = await realpath(located).catch((err) => {
      throw new ContextError(`${what} "${relative}" is a symlink to "${target}", which ${isMissing(err) ? 'does not exist' : `cannot be opened (${reason(err)})`}`, located);
    });
    if (!within(root, real)) {
      throw new ContextError(`${what} "${relative}" is a symlink to "${target}", which resolves to ${real}, outside the build context ${root}: refused (links are never followed out of the context)`, located);
    }
    return { path: real, relative };
  }
  return { path: located, relative };
}

/** Whether `file` is `root` or below it. */
export function within(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

const toSlash = (p: string) => (path.sep === '/' ? p : p.split(path.sep).join('/'));
