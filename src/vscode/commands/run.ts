import * as vscode from 'vscode';
import { EngineError } from '../../core/engine/errors';
import { isAbortError } from '../../core/util/signals';

/**
 * Registers a command behind one wrapper: a user's cancel is silent, an engine
 * problem is one plain error notification (never modal, never a stack), and
 * anything unexpected also goes to Berth's log.
 */
export function registerCommand(id: string, handler: (...args: any[]) => unknown, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await handler(...args);
    } catch (err) {
      if (isAbortError(err) || (err instanceof EngineError && err.kind === 'cancelled')) return;
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof EngineError)) log.error(`${id} failed`, err);
      void vscode.window.showErrorMessage(message);
    }
  });
}

/** Runs engine work under a cancellable progress notification; the token becomes the core's AbortSignal. */
export function withJob<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    return work(abort.signal, (message) => progress.report({ message })).finally(() => sub.dispose());
  });
}

export interface BatchFailure {
  name: string;
  error: unknown;
}

/**
 * Applies `action` to every item (4 at a time: the engine handles them in
 * parallel, and stop/remove wait on each container), reporting progress; one
 * failure does not stop the rest, and all failures are reported together.
 */
export async function runBatch<T extends { name: string }>(
  title: string,
  items: readonly T[],
  action: (item: T, signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  if (items.length === 0) return;
  const failures: BatchFailure[] = [];
  await withJob(title, async (signal, report) => {
    let done = 0;
    const queue = [...items];
    const worker = async () => {
      for (let item = queue.shift(); item && !signal.aborted; item = queue.shift()) {
        try {
          await action(item, signal);
        } catch (error) {
          if (!signal.aborted) failures.push({ name: item.name, error });
        }
        report(`${++done}/${items.length}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, items.length) }, worker));
  });
  if (failures.length === 1 && items.length === 1) throw failures[0].error;
  if (failures.length > 0) {
    const detail = failures.map((f) => `${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('\n');
    throw new Error(`${title}: ${failures.length} of ${items.length} failed.\n${detail}`);
  }
}
