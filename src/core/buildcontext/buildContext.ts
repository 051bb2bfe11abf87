import { resolveBuildFiles, type BuildFiles, type BuildFilesOptions } from './buildFiles';
import { ContextError } from './contextError';
import { walkContext, type ContextWalk, type WalkOptions } from './contextWalk';
import { IgnoreMatcher, parseDockerignore } from './dockerignore';

// One call from a folder (and a Dockerfile) to what a build would send: the
// build files found and checked, the ignore file read, the context walked.
// The CLI's report, the editor's view and the build's tar all start here.
// A BuildKit build starts the walk and goes on without waiting for it
// (startBuildContext): the engine asks for the context only after the
// Dockerfile and the ignore file, so the walk runs while the session opens.

export interface IgnoreRules {
  /** The patterns as Docker reads them, `!` kept. */
  patterns: string[];
  /** Each pattern's line in the file (1-based). */
  lines: number[];
}

export interface BuildContext {
  files: BuildFiles;
  /** The ignore file's rules; undefined when no ignore file applies. */
  ignore?: IgnoreRules;
  walk: ContextWalk;
}

/** A context whose walk is under way: the build files are known and checked, the ignore file parsed. */
export interface PendingBuildContext {
  files: BuildFiles;
  ignore?: IgnoreRules;
  matcher: IgnoreMatcher;
  /** The walk, started; it rejects as readBuildContext does (a ContextError naming what cannot be read). */
  walk: Promise<ContextWalk>;
}

export async function startBuildContext(contextDir: string, options: BuildFilesOptions & WalkOptions = {}): Promise<PendingBuildContext> {
  options.signal?.throwIfAborted();
  const files = await resolveBuildFiles(contextDir, options);
  let ignore: IgnoreRules | undefined;
  if (files.dockerignore) {
    const parsed = parseDockerignore(files.dockerignore.text);
    // Docker fails the build on a malformed ignore file; so does Berth, before sending anything.
    if (parsed.errors.length) {
      throw new ContextError(`ignore file "${files.dockerignore.relative}" ${parsed.errors[0]}: the builder refuses this file${parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more problem${parsed.errors.length > 2 ? 's' : ''})` : ''}`, files.dockerignore.path);
    }
    ignore = { patterns: parsed.patterns, lines: parsed.lines };
  }
  const matcher = new IgnoreMatcher(ignore?.patterns ?? []);
  const walk = walkContext(files.root, matcher, options);
  // Whoever needs the walk awaits it; a failure nobody waited for (the build stopped first) is not unhandled.
  walk.catch(() => undefined);
  return { files, ignore, matcher, walk };
}

export async function readBuildContext(contextDir: string, options: BuildFilesOptions & WalkOptions = {}): Promise<BuildContext> {
  const { files, ignore, walk } = await startBuildContext(contextDir, options);
  return { files, ignore, walk: await walk };
}
