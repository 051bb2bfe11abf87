// Cancellation in the core is the platform's AbortSignal, so the core needs no
// editor types; the VS Code layer adapts CancellationToken to it (see vscode/cancel.ts).

/** A signal that aborts when `parent` does or after `timeoutMs`, whichever comes first. */
export function withTimeout(timeoutMs: number, parent?: AbortSignal): AbortSignal {
  const timer = AbortSignal.timeout(timeoutMs);
  return parent ? AbortSignal.any([parent, timer]) : timer;
}

export function isAbortError(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/** Resolves after `ms`, or rejects with an AbortError when `signal` aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
