import { EngineClient, EngineInfo } from '../engine/client';
import { EngineError, toEngineError } from '../engine/errors';
import { followEvents } from '../engine/events';
import { listResources, ResourceKind, ResourceRecords } from '../engine/resources';
import { Emitter } from '../util/emitter';
import { delay } from '../util/signals';
import { kindChangedBy, WATCHED_EVENT_TYPES } from './eventKinds';

export type EngineStatus =
  | { state: 'idle' }
  | { state: 'connecting' }
  /** `events` false: the engine refused the event stream and Berth polls slowly instead. */
  | { state: 'live'; info: EngineInfo; events: boolean }
  | { state: 'unreachable'; error: EngineError };

export interface WatcherTiming {
  /** Wait after the first event of a burst, so its siblings (create, start...) land in one re-list. */
  settleMs: number;
  /** Least time between two event-driven re-lists: bursts coalesce, a steady stream still refreshes at this pace. */
  minIntervalMs: number;
  /** Re-list period when the engine offers no event stream. */
  fallbackPollMs: number;
  /** Reconnect backoff: first delay and cap. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_TIMING: WatcherTiming = { settleMs: 40, minIntervalMs: 500, fallbackPollMs: 30_000, retryBaseMs: 250, retryMaxMs: 10_000 };

/**
 * Keeps the explorer's lists in step with the engine, and only while someone
 * looks: the first visible view opens one event stream; events mark lists stale
 * and re-lists are throttled (bursts coalesce, a steady stream never starves
 * the tree: it still refreshes every minIntervalMs); a broken stream reconnects
 * with backoff and re-lists, since events are lost while disconnected. With no
 * view visible there is no stream, no timer and no engine call.
 */
export class EngineWatcher {
  private readonly statusEmitter = new Emitter<EngineStatus>();
  private readonly changeEmitter = new Emitter<ResourceKind>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fired when a list was re-read (or its error changed). */
  readonly onDidChangeResource = this.changeEmitter.event;

  private currentStatus: EngineStatus = { state: 'idle' };
  private readonly visible = new Set<ResourceKind>();
  private readonly dirty = new Set<ResourceKind>();
  private readonly snapshots = new Map<ResourceKind, unknown[]>();
  private readonly listErrors = new Map<ResourceKind, EngineError>();
  private session?: AbortController;
  private wakeRetry?: () => void;
  private flushTimer?: NodeJS.Timeout;
  private flushing = false;
  private lastFlushAt = 0;

  constructor(
    private client: EngineClient,
    private readonly timing: WatcherTiming = DEFAULT_TIMING,
  ) {}

  get status(): EngineStatus {
    return this.currentStatus;
  }

  get engine(): EngineClient {
    return this.client;
  }

  /** The last list read for `kind`, or undefined before the first read. */
  snapshot<K extends ResourceKind>(kind: K): ResourceRecords[K] | undefined {
    return this.snapshots.get(kind) as ResourceRecords[K] | undefined;
  }

  listError(kind: ResourceKind): EngineError | undefined {
    return this.listErrors.get(kind);
  }

  setVisible(kind: ResourceKind, isVisible: boolean): void {
    if (isVisible === this.visible.has(kind)) return;
    if (isVisible) {
      this.visible.add(kind);
      // Shown again after a while hidden, or first shown: whatever it holds may be stale.
      this.dirty.add(kind);
      if (!this.session) this.start();
      else if (this.currentStatus.state === 'live') void this.listNow([kind]);
      // Otherwise the connect loop lists it once live (see run()).
    } else {
      this.visible.delete(kind);
      if (this.visible.size === 0) this.stop();
    }
  }

  /** A user's refresh: immediate, never throttled; also retries an unreachable engine at once. */
  async refresh(kinds: readonly ResourceKind[] = [...this.visible]): Promise<void> {
    if (this.currentStatus.state === 'live') return this.listNow(kinds);
    this.wakeRetry?.();
  }

  /** Switches to another engine: drops what was shown and starts over if anything is visible. */
  setClient(client: EngineClient): void {
    this.stop();
    this.client.dispose();
    this.client = client;
    this.snapshots.clear();
    this.listErrors.clear();
    for (const k of ['containers', 'images', 'networks', 'volumes'] as const) this.changeEmitter.fire(k);
    if (this.visible.size > 0) this.start();
  }

  dispose(): void {
    this.stop();
    this.client.dispose();
    this.statusEmitter.dispose();
    this.changeEmitter.dispose();
  }

  private setStatus(status: EngineStatus): void {
    this.currentStatus = status;
    this.statusEmitter.fire(status);
  }

  private start(): void {
    const session = new AbortController();
    this.session = session;
    void this.run(session.signal);
  }

  private stop(): void {
    this.session?.abort();
    this.session = undefined;
    this.wakeRetry = undefined;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // Everything visible again later must be re-read: events go unheard meanwhile.
    for (const k of this.snapshots.keys()) this.dirty.add(k);
    if (this.currentStatus.state !== 'unreachable') this.setStatus({ state: 'idle' });
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let eventsOk = true;
      try {
        if (this.currentStatus.state === 'idle') this.setStatus({ state: 'connecting' });
        const info = await this.client.connect(signal);
        // Subscribe before listing so that nothing between the list and the stream is lost.
        const stream = new AbortController();
        const onAbort = () => stream.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        let opened!: () => void;
        const open = new Promise<void>((r) => (opened = r));
        const done = followEvents(this.client, {
          types: WATCHED_EVENT_TYPES,
          signal: stream.signal,
          onOpen: opened,
          onEvent: (ev) => {
            const kind = kindChangedBy(ev);
            if (kind) this.markDirty(kind);
          },
        }).finally(() => signal.removeEventListener('abort', onAbort));
        await Promise.race([open, done]);
        await this.listNow([...this.visible], true);
        this.setStatus({ state: 'live', info, events: true });
        // Views that became visible while the first lists ran.
        const missed = [...this.visible].filter((k) => this.dirty.has(k));
        if (missed.length) void this.listNow(missed);
        failures = 0;
        await done;
        // The engine closed the stream (restart, proxy cut): reconnect, ping again.
        if (!signal.aborted) this.client.reset();
      } catch (err) {
        if (signal.aborted) return;
        const e = toEngineError(err, this.client.endpoint, 'connecting');
        if (!e.unreachable && this.currentStatus.state !== 'unreachable' && this.client.info) {
          // Lists work but the event stream does not: fall back to a slow poll.
          eventsOk = false;
          this.setStatus({ state: 'live', info: this.client.info, events: false });
        } else {
          this.client.reset();
          if (this.currentStatus.state !== 'unreachable' || this.currentStatus.error.message !== e.message) {
            this.setStatus({ state: 'unreachable', error: e });
          }
        }
        failures++;
      }
      if (signal.aborted) return;
      const wait = eventsOk ? Math.min(this.timing.retryMaxMs, this.timing.retryBaseMs * 2 ** Math.max(0, failures - 1)) : this.timing.fallbackPollMs;
      await this.sleepUnlessWoken(failures === 0 ? 0 : wait, signal);
      if (!eventsOk && !signal.aborted) await this.listNow([...this.visible]).catch(() => undefined);
    }
  }

  private sleepUnlessWoken(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    const wake = new AbortController();
    this.wakeRetry = () => wake.abort();
    return delay(ms, AbortSignal.any([signal, wake.signal])).catch(() => undefined);
  }

  private markDirty(kind: ResourceKind): void {
    this.dirty.add(kind);
    if (!this.visible.has(kind) || this.flushTimer || this.flushing) return;
    const wait = Math.max(this.timing.settleMs, this.lastFlushAt + this.timing.minIntervalMs - Date.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    const kinds = [...this.dirty].filter((k) => this.visible.has(k));
    if (kinds.length === 0 || !this.session) return;
    this.flushing = true;
    this.lastFlushAt = Date.now();
    try {
      await this.listNow(kinds);
    } finally {
      this.flushing = false;
    }
    // Events that came during the list: schedule the next round (paced by minIntervalMs).
    const again = [...this.dirty].find((k) => this.visible.has(k));
    if (again) this.markDirty(again);
  }

  /** Lists `kinds` now. `rethrow`: let an unreachable engine fail the caller (the connect loop). */
  private async listNow(kinds: readonly ResourceKind[], rethrow = false): Promise<void> {
    const signal = this.session?.signal;
    if (!signal) return;
    for (const k of kinds) this.dirty.delete(k);
    await Promise.all(
      kinds.map(async (kind) => {
        try {
          const records = await listResources(this.client, kind, signal);
          if (signal.aborted) return;
          this.snapshots.set(kind, records);
          this.listErrors.delete(kind);
        } catch (err) {
          if (signal.aborted) return;
          const e = toEngineError(err, this.client.endpoint, `listing ${kind}`);
          this.dirty.add(kind);
          if (e.unreachable && rethrow) throw e;
          this.listErrors.set(kind, e);
        }
        this.changeEmitter.fire(kind);
      }),
    );
  }
}
