// The one error a build context can fail with: what went wrong, in words a
// user can act on, and the path at fault when there is one. The CLI prints the
// message as it is; the editor will show it the same way.

export class ContextError extends Error {
  constructor(
    message: string,
    /** The file or folder at fault (absolute, or relative to the context root), when there is one. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ContextError';
  }
}

/** A short reason for a failed file-system call: "permission denied" rather than "EACCES: permission denied, open '/x'". */
export function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a parent is not a directory',
    ELOOP: 'too many levels of symbolic links',
    EIO: 'input/output error',
    ENAMETOOLONG: 'name too long',
    EISDIR: 'is a directory',
  };
  if (code && known[code]) return known[code];
  return err instanceof Error ? err.message : String(err);
}

/** Whether a failed call means "it is not there" (gone since it was listed, or never was). */
export const isMissing = (err: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException)?.code ?? '');
