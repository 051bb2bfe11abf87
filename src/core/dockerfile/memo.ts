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
