import type { BuildProgress, SourceLocation } from './buildTypes';
import { ProtoMessage } from './protoWire';

// BuildKit's status stream, as the engine relays it on /build?version=2: JSON
// messages `{"id":"moby.buildkit.trace","aux":"<base64>"}` whose aux is a
// protobuf moby.buildkit.v1.StatusResponse (api/services/control/control.proto):
// vertexes = 1, statuses = 2, logs = 3, warnings = 4. A vertex is re-sent
// whenever it changes; the tracker turns those snapshots into events (started,
// then completed / cached / error, with the duration) and names each log by
// its vertex.

export interface VertexMsg {
  digest: string;
  inputs: string[];
  name: string;
  cached: boolean;
  startedMs?: number;
  completedMs?: number;
  error: string;
}

export interface StatusMsg {
  vertexes: VertexMsg[];
  statuses: Array<{ id: string; vertex: string; name: string; current: number; total: number }>;
  logs: Array<{ vertex: string; stream: number; msg: Buffer }>;
  warnings: Array<{ vertex: string; level: number; short: string; detail: string[]; url: string; file?: string; ranges: SourceLocation['range'][] }>;
}

export function decodeStatus(buf: Buffer): StatusMsg {
  const m = ProtoMessage.parse(buf);
  return {
    vertexes: m.messages(1).map((v) => ({
      digest: v.string(1),
      inputs: v.repeated(2).map((b) => b.toString('utf8')),
      name: v.string(3),
      cached: v.bool(4),
      startedMs: v.timestampMs(5),
      completedMs: v.timestampMs(6),
      error: v.string(7),
    })),
    statuses: m.messages(2).map((s) => ({ id: s.string(1), vertex: s.string(2), name: s.string(3), current: s.int(4), total: s.int(5) })),
    logs: m.messages(3).map((l) => ({ vertex: l.string(1), stream: l.int(3), msg: l.bytes(4) ?? Buffer.alloc(0) })),
    warnings: m.messages(4).map((w) => ({
      vertex: w.string(1),
      level: w.int(2),
      short: w.string(3),
      detail: w.repeated(4).map((b) => b.toString('utf8')),
      url: w.string(5),
      file: w.message(6)?.string(1),
      // pb.Range{start, end: Position{line, character}}; BuildKit's lines are 1-based.
      ranges: w.messages(7).map((r) => ({ start: position(r.message(1)), end: position(r.message(2)) })),
    })),
  };
}

function position(p: ProtoMessage | undefined): { line: number; column: number } {
  return { line: Math.max(0, (p?.int(1) ?? 1) - 1), column: p?.int(2) ?? 0 };
}

interface VertexState {
  name: string;
  started: boolean;
  done: boolean;
  /** When it last completed: a later start re-opens it. */
  completedMs?: number;
  cachedCounted: boolean;
}

/** Turns status snapshots into progress events; `locate` maps a step's name to its Dockerfile range. */
export class StatusTracker {
  private readonly vertices = new Map<string, VertexState>();
  cachedSteps = 0;
  /** The first vertex that failed, for the build's error. */
  failed?: { name: string; error: string; location?: SourceLocation };

  constructor(
    private readonly emit: (p: BuildProgress) => void,
    private readonly locate: (vertexName: string) => SourceLocation | undefined,
    private readonly dockerfile: string,
  ) {}

  push(status: StatusMsg): void {
    for (const v of status.vertexes) this.vertex(v);
    for (const s of status.statuses) this.emit({ kind: 'status', vertex: s.vertex, id: s.id, current: s.current, total: s.total });
    for (const l of status.logs) this.emit({ kind: 'log', vertex: l.vertex, name: this.vertices.get(l.vertex)?.name ?? '', stream: l.stream, text: l.msg.toString('utf8') });
    for (const w of status.warnings) {
      const range = w.ranges[0];
      this.emit({
        kind: 'warning',
        vertex: w.vertex,
        message: w.short,
        detail: w.detail,
        url: w.url || undefined,
        location: range ? { file: w.file || this.dockerfile, range } : undefined,
      });
    }
  }

  private vertex(v: VertexMsg): void {
    let st = this.vertices.get(v.digest);
    if (!st) {
      st = { name: v.name, started: false, done: false, cachedCounted: false };
      this.vertices.set(v.digest, st);
    }
    // BuildKit may complete a vertex and start it again: the local source "[internal] load
    // build context" is reported done at once (started = completed, while the solver computes
    // its cache key) and then started anew for the real sync. A start after the last completion
    // re-opens it, so its final event carries the sync's real duration (the docker CLI's
    // progress shows the same). A repeat of the same snapshot changes nothing; an error is final.
    if (st.done) {
      const restarted = v.startedMs !== undefined && st.completedMs !== undefined && v.startedMs > st.completedMs;
      if (!restarted) return;
      st.done = false;
      st.started = false;
    }
    const durationMs = v.startedMs !== undefined && v.completedMs !== undefined ? Math.max(0, Math.round(v.completedMs - v.startedMs)) : undefined;
    if (v.error) {
      st.done = true;
      st.completedMs = Infinity; // never re-opened
      const location = this.locate(v.name);
      this.failed ??= { name: v.name, error: v.error, location };
      this.emit({ kind: 'vertex', id: v.digest, name: v.name, state: 'error', durationMs, error: v.error, location });
      return;
    }
    if (v.completedMs !== undefined) {
      st.done = true;
      st.completedMs = v.completedMs;
      if (v.cached && !st.cachedCounted) {
        st.cachedCounted = true;
        this.cachedSteps++;
      }
      this.emit({ kind: 'vertex', id: v.digest, name: v.name, state: v.cached ? 'cached' : 'completed', durationMs });
      return;
    }
    if (v.startedMs !== undefined && !st.started) {
      st.started = true;
      this.emit({ kind: 'vertex', id: v.digest, name: v.name, state: 'started' });
    }
  }
}

/** Splits a byte stream of JSON messages (one per line) into objects. */
export class JsonLines {
  private rest = '';

  push(chunk: Buffer | string): unknown[] {
    this.rest += chunk.toString();
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.trim()).filter(Boolean).map((l) => JSON.parse(l) as unknown);
  }

  end(): unknown[] {
    const last = this.rest.trim();
    this.rest = '';
    return last ? [JSON.parse(last) as unknown] : [];
  }
}
