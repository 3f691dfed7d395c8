/**
 * A tiny typed event emitter: the engine's only way to tell the outside world
 * that something happened. Each event carries exactly one argument, which keeps
 * listener types simple and mirrors the protocol's one-object pushes.
 */

export type Listener<T> = (value: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Adds a listener; the returned function removes it again. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  /**
   * Calls every listener of `event` in the order they were added. A listener
   * added or removed while emitting takes effect from the next emit, because
   * the set is copied first.
   */
  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      (listener as Listener<Events[K]>)(value);
    }
  }

  /** Drops every listener, e.g. when the owner is closed. */
  clear(): void {
    this.listeners.clear();
  }
}
