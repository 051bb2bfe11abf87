// Deterministic randomness for the fuzz benches, so a failure can be replayed
// by its input's index (xorshift32: small, fast, good enough for mutations).
export function seededRandom(seed: number): { rand: () => number; pick: <T>(xs: readonly T[]) => T } {
  let state = seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return { rand, pick: (xs) => xs[Math.floor(rand() * xs.length)] };
}

/** The q-quantile of sorted samples, rounded to microseconds. */
export function quantile(sorted: readonly number[], q: number): number {
  return +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3);
}
