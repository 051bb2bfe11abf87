import type { BuildProgress, SourceLocation } from './buildTypes';

// A build's progress events folded into what a person watches: the steps in
// the order BuildKit started them, each with its state, duration, cache hit and
// log, plus the warnings. The editor's Build view and the task terminal both
// draw from it. Logs are bounded per step so a chatty RUN cannot fill memory:
// the head and the newest output are kept, and the cut is marked.

export type StepState = 'running' | 'done' | 'cached' | 'error';

export interface BuildStep {
  id: string;
  name: string;
  state: StepState;
  startedAt: number;
  durationMs?: number;
  error?: string;
  location?: SourceLocation;
  /** Bytes/units of the step's sub-tasks (context transfer, layer export), newest value. */
  progress?: { current: number; total: number };
  log: string;
  /** Characters of log dropped in the middle to stay under the bound. */
  logDropped: number;
}

export interface BuildWarning {
  message: string;
  location?: SourceLocation;
  url?: string;
}

export const STEP_LOG_LIMIT = 256 * 1024;
/** The classic builder reports no steps: its whole output goes to one (so do plain engine lines beside BuildKit's). */
export const CLASSIC_STEP_ID = 'classic-builder-output';

export class BuildSteps {
  readonly steps: BuildStep[] = [];
  readonly warnings: BuildWarning[] = [];
  builder?: { builder: 'buildkit' | 'classic'; why: string };
  private readonly byId = new Map<string, BuildStep>();
  readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** Applies one event; returns the step it changed (undefined when none did). */
  apply(p: BuildProgress): BuildStep | undefined {
    switch (p.kind) {
      case 'builder':
        this.builder = { builder: p.builder, why: p.why };
        return undefined;
      case 'vertex': {
        const step = this.step(p.id, p.name);
        if (p.state === 'started') {
          step.state = 'running';
          step.startedAt = this.now();
        } else {
          step.state = p.state === 'completed' ? 'done' : p.state;
          step.durationMs = p.durationMs ?? Math.max(0, this.now() - step.startedAt);
          if (p.error) step.error = p.error;
          if (p.location) step.location = p.location;
        }
        return step;
      }
      case 'status': {
        const step = this.byId.get(p.vertex);
        if (step && p.total > 0) step.progress = { current: p.current, total: p.total };
        return step;
      }
      case 'log': {
        const step = this.step(p.vertex, p.name || p.vertex);
        appendLog(step, p.text);
        return step;
      }
      case 'message': {
        // The classic builder's whole output, or the few plain lines the engine adds around a BuildKit build.
        const step = this.step(CLASSIC_STEP_ID, this.builder?.builder === 'buildkit' ? 'engine messages' : 'classic builder output');
        appendLog(step, p.text);
        return step;
      }
      case 'warning':
        this.warnings.push({ message: p.message, location: p.location, url: p.url });
        return undefined;
      default:
        return undefined;
    }
  }

  get cachedCount(): number {
    return this.steps.filter((s) => s.state === 'cached').length;
  }

  /** Marks steps still running as failed or stopped once the build has ended. */
  finish(outcome: 'done' | 'error'): void {
    for (const s of this.steps) {
      if (s.state !== 'running') continue;
      if (s.id === CLASSIC_STEP_ID && outcome === 'done') s.state = 'done';
      else {
        s.state = 'error';
        s.error ??= outcome === 'done' ? undefined : 'stopped';
      }
      s.durationMs ??= Math.max(0, this.now() - s.startedAt);
    }
  }

  private step(id: string, name: string): BuildStep {
    let s = this.byId.get(id);
    if (!s) {
      s = { id, name, state: 'running', startedAt: this.now(), log: '', logDropped: 0 };
      this.byId.set(id, s);
      this.steps.push(s);
    }
    return s;
  }
}

function appendLog(step: BuildStep, text: string): void {
  step.log += text;
  if (step.log.length <= STEP_LOG_LIMIT) return;
  // Keep how the step began (the first quarter, then a marker, fixed after the
  // first cut) and the newest output. Each cut goes down to half the limit, so
  // a chatty step is cut once per ~100 KiB of output, not on every line.
  const head = step.log.startsWith(CUT_PREFIX, STEP_LOG_LIMIT / 4) ? STEP_LOG_LIMIT / 4 + CUT_MARKER.length : STEP_LOG_LIMIT / 4;
  const kept = step.log.slice(0, STEP_LOG_LIMIT / 4) + CUT_MARKER;
  const tail = STEP_LOG_LIMIT / 2;
  step.logDropped += step.log.length - head - tail;
  step.log = kept + step.log.slice(step.log.length - tail);
}

const CUT_PREFIX = '\n[… output cut';
const CUT_MARKER = `${CUT_PREFIX} to stay under ${STEP_LOG_LIMIT / 1024} KiB …]\n`;

/** "1.2s", "350ms", "2m05s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
