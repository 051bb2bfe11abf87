// Per-object memoization for what many rules derive from the same model or
// instruction (its words, key/value pairs, stage walk...). Dozens of rules
// asked the same questions of each instruction, which dominated the time on
// large files. Results are shared between callers: treat them as read-only
// (their types say so). They live in a slot array on the key object, so they
// are collected with the lint run's model and instructions.

/** What the memoizers keep on an object (parsed instructions and models declare the field). */
interface WithMemo {
  memo?: unknown[];
}

let modelSlots = 0;
let instructionSlots = 0;

// Slots are handed out while modules load, so by the first call the count is
// final and each array is allocated at its full size once (an array grown slot
// by slot over-allocates, and every array kept until the end of a run costs
// garbage-collection time). The two families are written out separately so
// each wrapper only ever sees its own kind of key (one shape, fast property
// access), and instruction arrays stay as small as their own slot count.

/**
 * `fn`, computed once per model (or other object the linter creates per run:
 * a stream). Kept in a slot rather than a WeakMap: small files pay for every
 * WeakMap lookup, and a run makes hundreds. `fn` never returns undefined.
 */
export function memoize<K extends object, V>(fn: (key: K) => V): (key: K) => V {
  const slot = modelSlots++;
  return (key) => {
    const memo = ((key as WithMemo).memo ??= new Array<unknown>(modelSlots));
    let value = memo[slot] as V | undefined;
    if (value === undefined) memo[slot] = value = fn(key);
    return value;
  };
}

/** `memoize` for readings of an instruction (asked thousands of times a run). */
export function memoizeInstruction<K extends object, V>(fn: (ins: K) => V): (ins: K) => V {
  const slot = instructionSlots++;
  return (ins) => {
    const memo = ((ins as WithMemo).memo ??= new Array<unknown>(instructionSlots));
    let value = memo[slot] as V | undefined;
    if (value === undefined) memo[slot] = value = fn(ins);
    return value;
  };
}
