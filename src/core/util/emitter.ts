// A minimal event emitter with VS Code's Event shape (subscribe returns a
// disposable), so the core can expose events without importing `vscode`.

export interface Disposable {
  dispose(): void;
}
export type Listener<T> = (value: T) => void;
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (err) {
        // One broken listener must not stop the others from hearing the change.
        console.error('[berth] listener failed', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
