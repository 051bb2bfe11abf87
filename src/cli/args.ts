// Command-line parsing shared by the file-taking subcommands (lint,
// validate): `--name value` or `--name=value`, short aliases, `-` for stdin
// (once), `--` to end the options. Hand-written because it is thirty lines and
// the behaviour (hadolint's spellings, exit 2 with a plain message) is ours to fix.

export class UsageError extends Error {}

export interface OptionSpec {
  /** Spellings, e.g. ['-f', '--format']. */
  names: readonly string[];
  /** Whether the option takes a value (otherwise it is a flag). */
  value: boolean;
}

export interface ParsedArgs<K extends string> {
  /** Given options by their key in the spec: the value, or true for a flag. */
  options: Partial<Record<K, string | true>>;
  files: string[];
  help: boolean;
}

/** `noneRequired`: the command has a default (build-context's folder), so no positional argument is fine. */
export function parseArgs<K extends string>(argv: string[], specs: Record<K, OptionSpec>, what: string, { noneRequired = false } = {}): ParsedArgs<K> {
  const byName = new Map<string, [K, OptionSpec]>();
  for (const [key, spec] of Object.entries(specs) as [K, OptionSpec][]) for (const n of spec.names) byName.set(n, [key, spec]);
  const parsed: ParsedArgs<K> = { options: {}, files: [], help: false };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      parsed.files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '-h' || name === '--help') return { ...parsed, help: true };
    const found = byName.get(name);
    if (!found) throw new UsageError(`unknown option "${arg}"`);
    const [key, spec] = found;
    if (!spec.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      parsed.options[key] = true;
      continue;
    }
    const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (v === undefined || (eq < 0 && v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
    parsed.options[key] = v;
  }
  if (parsed.files.length === 0 && !noneRequired) throw new UsageError(`no ${what} given (name one or more files, or "-" for stdin)`);
  if (parsed.files.filter((f) => f === '-').length > 1) throw new UsageError('"-" (stdin) can be given only once');
  return parsed;
}

/** The value if it is one of `allowed`; otherwise a usage error naming them. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`unknown ${what} "${value}" (use ${allowed.join(', ')})`);
  return value as T;
}
