/**
 * Named moments of joining a call, as `performance.mark('moim:<name>')`, so
 * a benchmark (`bench/full-join.mjs --trace`) or a developer's performance
 * panel can see where the time between "Join now" and the first remote frame
 * goes. A mark costs a few microseconds; without `performance` (Node tests
 * of old) it does nothing.
 */
export function mark(name: string): void {
  globalThis.performance?.mark?.(`moim:${name}`);
}
