// Per-object memoization for what many rules derive from the same model or
// instruction (its words, key/value pairs, stage walk...). Dozens of rules
// asked the same questions of each instruction, which dominated the time on
// large files. Results are shared between callers: treat them as read-only
// (their types say so). Keys are weak, so a lint run's model and instructions
// are collected with everything derived from them.

/** `fn`, computed once per key object. */
export function memoize<K extends object, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = fn(key);
      cache.set(key, value);
    }
    return value as V;
  };
}

/** What memoizeInstruction keeps on an instruction (parsed instructions declare the field). */
interface WithMemo {
  memo?: unknown[];
}

let instructionSlots = 0;

/**
 * `memoize` for readings of an instruction (asked thousands of times a run):
 * kept in a slot of the instruction's `memo` array, which costs less than a
 * WeakMap entry per reading. `fn` never returns undefined.
 */
export function memoizeInstruction<K extends object, V>(fn: (ins: K) => V): (ins: K) => V {
  const slot = instructionSlots++;
  return (ins) => {
    const memo = ((ins as WithMemo).memo ??= []);
    let value = memo[slot] as V | undefined;
    if (value === undefined) memo[slot] = value = fn(ins);
    return value;
  };
}
