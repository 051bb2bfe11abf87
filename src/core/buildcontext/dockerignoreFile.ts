import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LintConfig } from '../dockerfile/rule';

// Which .dockerignore a build uses, found the way BuildKit finds it: shared by
// `berth lint` and the editor so both lint CopyIgnoredFile against the same file.

export interface DockerignoreFile {
  /** Absolute path of the file that applies. */
  path: string;
  text: string;
}

/**
 * The .dockerignore that applies to a build of `dockerfile` with `contextDir`
 * as the context (default: the Dockerfile's folder, as `docker build .` beside
 * it). BuildKit's precedence: `<Dockerfile name>.dockerignore` beside the
 * Dockerfile wins over `.dockerignore` at the context root. Without a
 * Dockerfile path (stdin) only the context's `.dockerignore` can apply.
 * A file that cannot be read counts as absent (the editor lints as you type;
 * the build itself would report it).
 */
export async function findDockerignore(dockerfile: string | undefined, contextDir?: string): Promise<DockerignoreFile | undefined> {
  for (const file of dockerignoreCandidates(dockerfile, contextDir)) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return { path: file, text };
  }
  return undefined;
}

/** Where BuildKit looks for the ignore file of a build, first match wins (see findDockerignore). */
export function dockerignoreCandidates(dockerfile: string | undefined, contextDir?: string): string[] {
  const candidates: string[] = [];
  if (dockerfile) candidates.push(path.join(path.dirname(dockerfile), `${path.basename(dockerfile)}.dockerignore`));
  const context = contextDir ?? (dockerfile ? path.dirname(dockerfile) : undefined);
  if (context) candidates.push(path.join(context, '.dockerignore'));
  return candidates;
}

/**
 * CopyIgnoredFile is experimental (opt-in) in BuildKit, but where Berth knows
 * the .dockerignore (the editor, `berth lint`) it is worth having on: the COPY
 * would fail at build time. On at warning unless the configuration already
 * gives it a severity (`off` in the editor is an ignore, which still applies).
 */
export function withCopyIgnoredFile(config: Partial<LintConfig>): Partial<LintConfig> {
  const override = config.override ?? {};
  if (Object.values(override).some((codes) => codes?.includes('CopyIgnoredFile'))) return config;
  return { ...config, override: { ...override, warning: [...(override.warning ?? []), 'CopyIgnoredFile'] } };
}
