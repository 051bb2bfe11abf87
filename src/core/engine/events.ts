import { EngineClient } from './client';
import { toEngineError } from './errors';

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export interface EventStreamOptions {
  /** Event types to receive (engine-side filter), e.g. ['container', 'image']. */
  types: readonly string[];
  signal: AbortSignal;
  onEvent(event: EngineEvent): void;
  /** Called once the engine has answered: from here on no event is missed until the stream ends. */
  onOpen?(): void;
}

/**
 * Follows GET /events until the stream ends. Resolves when the engine closes it
 * (daemon restart, proxy cut) and rejects on a transport error; an abort of
 * `signal` resolves quietly. Events are read as they arrive: the engine drops a
 * subscriber that does not drain its buffer within 100 ms.
 */
export async function followEvents(client: EngineClient, opts: EventStreamOptions): Promise<void> {
  const stream = await client.stream('GET', '/events', 'event stream', {
    query: { filters: { type: [...opts.types] } },
    signal: opts.signal,
  });
  opts.onOpen?.();
  return new Promise<void>((resolve, reject) => {
    let pending = '';
    const onAbort = () => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      resolve();
    };
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (err?: unknown) => {
      opts.signal.removeEventListener('abort', onAbort);
      if (opts.signal.aborted || !err) resolve();
      else reject(toEngineError(err, client.endpoint, 'event stream'));
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line) continue;
        let ev: EngineEvent;
        try {
          ev = JSON.parse(line) as EngineEvent;
        } catch {
          // A malformed line is skipped; the refresh that follows re-lists anyway.
          continue;
        }
        opts.onEvent(ev);
      }
    });
    stream.on('end', () => finish());
    stream.on('close', () => finish());
    // A peer closing an open stream (daemon restart, proxy cut) surfaces as ECONNRESET
    // "aborted": that is the stream's end, not an unreachable engine. If the engine
    // is really gone, the reconnect that follows says so precisely.
    stream.on('error', (err: unknown) => finish((err as { code?: string }).code === 'ECONNRESET' ? undefined : err));
  });
}
