import { resolveBuildFiles, type BuildFiles, type BuildFilesOptions } from './buildFiles';
import { ContextError } from './contextError';
import { walkContext, type ContextWalk, type WalkOptions } from './contextWalk';
import { IgnoreMatcher, parseDockerignore } from './dockerignore';

// One call from a folder (and a Dockerfile) to what a build would send: the
// build files found and checked, the ignore file read, the context walked.
// The CLI's report, the editor's view and the build's tar all start here.

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

export async function readBuildContext(contextDir: string, options: BuildFilesOptions & WalkOptions = {}): Promise<BuildContext> {
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
  const walk = await walkContext(files.root, matcher, options);
  return { files, ignore, walk };
}
