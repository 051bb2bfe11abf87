import assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/dockerfile/types';

/** Applies a finding's first fix to the text (its edits do not overlap), as the editor would. */
export function applyFix(text: string, f: Finding): string {
  const ls = text.split('\n');
  const offset = (p: { line: number; column: number }) => ls.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.column;
  const edits = [...(f.fixes?.[0]?.edits ?? [])].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  assert.ok(edits.length, `no fix on ${f.code}`);
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
