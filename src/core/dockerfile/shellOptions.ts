// What rules ask about a command's words: is an option given, which words are
// arguments rather than options or option values, what value an option has.
// hadolint's model of options is kept: `--name[=value]` is one option, `-abc`
// is three (a cluster), `-` and `--` are arguments.

import type { Command, Word } from './shellSyntax';

/** Is `w` an option word (`-x`, `-xyz`, `--name`, `--name=value`)? `-` and `--` are not. */
export function isOption(w: Word): boolean {
  return w.value.startsWith('-') && w.value !== '-' && w.value !== '--';
}

/**
 * Does the command carry one of these options? Give short options as `-y` (found
 * inside clusters like `-yq` too) and long ones as `--yes` (also `--yes=...`).
 */
export function hasFlag(cmd: Command, ...names: string[]): boolean {
  // Loops and index comparisons, no callbacks or slices: rules ask this of
  // every command they look at, and the garbage added up on large files.
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    if (!isOption(args[i])) continue;
    for (let k = 0; k < names.length; k++) if (optionMatches(args[i].value, names[k])) return true;
  }
  return false;
}

function optionMatches(value: string, name: string): boolean {
  if (name.startsWith('--')) return value === name || (value.length > name.length && value.charCodeAt(name.length) === 61 /* = */ && value.startsWith(name));
  if (value.startsWith('--') || name.length !== 2) return false;
  // `name[1]` in the cluster, before any `=value`.
  const end = value.indexOf('=', 1);
  const at = value.indexOf(name[1], 1);
  return at >= 0 && (end < 0 || at < end);
}

/** Does any argument equal one of these values? */
export function hasArg(cmd: Command, ...values: string[]): boolean {
  return firstArgIn(cmd, values) !== undefined;
}

/** The first argument equal to one of these values. */
export function findArg(cmd: Command, ...values: string[]): Word | undefined {
  return firstArgIn(cmd, values);
}

function firstArgIn(cmd: Command, values: readonly string[]): Word | undefined {
  // Loops rather than find/includes callbacks: asked of thousands of commands a run (a closure each).
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    for (let k = 0; k < values.length; k++) if (values[k] === v) return args[i];
  }
  return undefined;
}

/**
 * Arguments that are not options, leaving out the value that follows an option
 * listed in `takesValue` (`-t`, `--target-release`) unless it was written inline
 * (`--target-release=x`, `-tx`). Everything after `--` is an argument.
 */
export function positionals(cmd: Command, takesValue: readonly string[] = []): Word[] {
  const out: Word[] = [];
  let onlyArgs = false;
  for (let i = 0; i < cmd.args.length; i++) {
    const w = cmd.args[i];
    const v = w.value;
    if (onlyArgs || !v.startsWith('-') || v === '-') out.push(w);
    else if (v === '--') onlyArgs = true;
    else if (v.startsWith('--')) {
      if (!v.includes('=') && takesValue.includes(v)) i++;
    } else {
      for (let k = 1; k < v.length; k++) {
        if (!takesShort(takesValue, v.charCodeAt(k))) continue;
        if (k === v.length - 1) i++;
        break;
      }
    }
  }
  return out;
}

/** Is `-<c>` in the list? (Without building the string per character.) */
function takesShort(takesValue: readonly string[], c: number): boolean {
  for (let k = 0; k < takesValue.length; k++) {
    const t = takesValue[k];
    if (t.length === 2 && t.charCodeAt(0) === 45 /* - */ && t.charCodeAt(1) === c) return true;
  }
  return false;
}

/** The values given to an option (`-u 1000`, `-u1000`, `--uid 1000`, `--uid=1000`), as words. */
export function optionValues(cmd: Command, ...names: string[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const w = cmd.args[i];
    const v = w.value;
    if (v === '--') break;
    const next = cmd.args[i + 1];
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v : v.slice(0, eq);
      if (!names.includes(name)) continue;
      if (eq >= 0) out.push({ ...w, value: v.slice(eq + 1) });
      else if (next) out.push(next);
    } else if (v.startsWith('-') && v.length > 1) {
      const k = [...v.slice(1)].findIndex((ch) => names.includes('-' + ch)) + 1;
      if (k === 0) continue;
      if (k < v.length - 1) out.push({ ...w, value: v.slice(k + 1).replace(/^=/, '') });
      else if (next) out.push(next);
    }
  }
  return out;
}
