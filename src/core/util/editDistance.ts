// Shared by "did you mean" suggestions (BuildKit checks, config keys).

/** Edit distance with unit costs. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * `levenshtein(a, b)` when it is below `limit`, else `limit`: what a caller
 * looking for near names needs, without filling the whole table for the many
 * names that are far apart (their lengths alone often tell). Rows are reused
 * between calls: "did you mean" runs for every undefined variable of a file.
 */
export function levenshteinBelow(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length + 1);
    rowB = new Int32Array(b.length + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // Distances never shrink from one row to the next: the answer is at least this row's least.
    if (rowMin >= limit) return limit;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[b.length], limit);
}
let rowA = new Int32Array(32);
let rowB = new Int32Array(32);

/**
 * The candidate nearest to `word` when it is near enough to be a likely typo:
 * at most a third of the word's length away (and at most 3 edits), ties going
 * to the earlier candidate. A case difference or one swap of neighbouring
 * letters ("imgae" for "image", the commonest typo) counts as one edit. A
 * one-letter word gets a suggestion only for a case difference: every other
 * one-letter name would be "near".
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length < 2 ? 0 : Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) return undefined;
    const d = c.toLowerCase() === word.toLowerCase() || isNeighbourSwap(word, c) ? 1 : levenshtein(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(limit, best?.toLowerCase() === word.toLowerCase() ? 1 : 0) ? best : undefined;
}

function isNeighbourSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a.length < 2) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
