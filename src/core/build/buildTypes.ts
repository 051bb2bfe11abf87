// The shapes of a build: what is asked, what is reported while it runs, what it gives.

export interface BuildOptions {
  /** The context folder. */
  context: string;
  /** The Dockerfile, relative to `cwd` as `docker build -f` is; default `Dockerfile` in the context. */
  dockerfile?: string;
  cwd?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** `auto` (default): BuildKit where the engine has it, else the classic builder. */
  builder?: 'auto' | 'buildkit' | 'classic';
}

/** A place in the Dockerfile (0-based lines and columns, as the editor's). */
export interface SourceLocation {
  file: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export type BuildProgress =
  | { kind: 'builder'; builder: 'buildkit' | 'classic'; why: string }
  | { kind: 'context'; local: string; files: number }
  /** A local's sync has ended (FIN): the files BuildKit asked for, their bytes, the call's duration (first STAT to FIN). */
  | { kind: 'transfer'; local: string; files: number; bytes: number; ms: number }
  | { kind: 'vertex'; id: string; name: string; state: 'started' | 'completed' | 'cached' | 'error'; durationMs?: number; error?: string; location?: SourceLocation }
  | { kind: 'status'; vertex: string; id: string; current: number; total: number }
  | { kind: 'log'; vertex: string; name: string; stream: number; text: string }
  | { kind: 'warning'; vertex: string; message: string; detail: string[]; url?: string; location?: SourceLocation }
  /** The classic builder's output lines. */
  | { kind: 'message'; text: string };

export interface BuildResult {
  imageId: string;
  builder: 'buildkit' | 'classic';
  durationMs: number;
  /** Vertices BuildKit reported as cached (0 for the classic builder). */
  cachedSteps: number;
}

export class BuildError extends Error {
  constructor(
    message: string,
    readonly builder: 'buildkit' | 'classic',
    /** The failed step: its name as the builder printed it and, when known, its place in the Dockerfile. */
    readonly step?: { name: string; location?: SourceLocation },
  ) {
    super(message);
    this.name = 'BuildError';
  }
}
