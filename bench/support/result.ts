// The one RESULT line every benchmark ends with, and the one place that writes it:
//   RESULT <name>: PASS|FAIL — <label> <value> (bar <bar>); <label> <value> (bar <bar>) MISSED; ...
// PASS only when there is at least one check and every check is ok: the verdict is
// computed from the figures against the bars, never written by hand. The first
// check is the bench's headline figure (bench/run-all.mjs shows it in its summary).
// No imports: a bench that never touches the engine loads nothing else for it.

/** One row: what was measured, its value (with its unit), the bar it must meet, and whether it does. */
export type Check = [label: string, value: string | number | boolean | null, bar: string, ok: boolean];

const SEPARATOR = '; ';

const clean = (s: string) => s.replace(/\s+/g, ' ').replace(/;/g, ',').trim();

/** The RESULT line for `checks` (no checks: FAIL, nothing was checked). */
export function resultLine(name: string, checks: readonly Check[]): string {
  const pass = checks.length > 0 && checks.every((c) => c[3]);
  const rows = checks.map(([label, value, bar, ok]) => `${clean(label)} ${clean(String(value))}${bar ? ` (bar ${clean(bar)})` : ''}${ok ? '' : ' MISSED'}`);
  return `RESULT ${name}: ${pass ? 'PASS' : 'FAIL'} — ${rows.length ? rows.join(SEPARATOR) : 'no checks'}`;
}

/** Prints a `BAR MISSED` line per failed check, then the RESULT line; returns whether the bench passed. */
export function result(name: string, checks: readonly Check[]): boolean {
  for (const [label, value, bar, ok] of checks) if (!ok) console.log(`BAR MISSED: ${label}: ${value}${bar ? ` (bar ${bar})` : ''}`);
  const line = resultLine(name, checks);
  console.log(line);
  return line.startsWith(`RESULT ${name}: PASS`);
}

/** The RESULT line of a bench that could not finish (a missing dependency, an exception): always FAIL. */
export function resultCrashed(name: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.log(`RESULT ${name}: FAIL — crashed: ${clean(message.split('\n')[0] || 'unknown error')}`);
}
