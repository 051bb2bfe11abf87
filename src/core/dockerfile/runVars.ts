// The ARG and ENV values a stream of RUNs sees (runSites.ts). Each RUN sees
// the values in force at its point; copying them into a map per RUN was most
// of the maps of a lint run (hadolint keeps ARG values across stages, so the
// copies grew with the file). Instead every change is recorded with a version
// and a RUN keeps a view: the values and the version it ran at.

import { argDeclarations, scanWords, substitute, unquote } from './model';
import type { Vars } from './shellSyntax';
import type { Instruction } from './types';

/** One variable's values in the order they were set, with the version of each. */
interface Changes {
  versions: number[];
  values: string[];
}

/** Variables whose every value is kept, by version (the clock is shared, see Values). */
class History {
  /** Made on the first set: most stages set no ENV, and a map per FROM was a good part of a stream's garbage. */
  private byName: Map<string, Changes> | undefined = undefined;

  constructor(private readonly clock: { version: number }) {}

  set(name: string, value: string): void {
    const version = ++this.clock.version;
    const byName = (this.byName ??= new Map());
    const changes = byName.get(name);
    if (changes) {
      changes.versions.push(version);
      changes.values.push(value);
    } else byName.set(name, { versions: [version], values: [value] });
  }

  /** The value in force at `version` (undefined when not set by then). */
  at(name: string, version: number): string | undefined {
    const changes = this.byName?.get(name);
    if (!changes) return undefined;
    const { versions, values } = changes;
    for (let k = versions.length - 1; k >= 0; k--) if (versions[k] <= version) return values[k];
    return undefined;
  }

  /** A history holding the current values only (a child stage starts from its parent's ENV). */
  copy(): History {
    const out = new History(this.clock);
    this.byName?.forEach((c, name) => out.set(name, c.values[c.values.length - 1]));
    return out;
  }
}

/** The ARG and ENV values of a stream: ENV overrides ARG. `env` is replaced at each FROM. */
export class Values implements Vars {
  private readonly clock = { version: 0 };
  readonly args = new History(this.clock);
  env = new History(this.clock);

  /** The current value. */
  get(name: string): string | undefined {
    const now = this.clock.version;
    return this.env.at(name, now) ?? this.args.at(name, now);
  }

  /** The values as they are now, unaffected by later ARGs and ENVs. */
  view(): Vars {
    return new View(this.args, this.env, this.clock.version);
  }

  /** A fresh ENV for a new stage: empty, or a copy of the parent stage's last one. */
  startStage(parentEnv: History | undefined): History {
    return (this.env = parentEnv ? parentEnv.copy() : new History(this.clock));
  }
}

export type Env = History;

class View implements Vars {
  constructor(
    private readonly args: History,
    private readonly env: History,
    private readonly version: number,
  ) {}

  get(name: string): string | undefined {
    return this.env.at(name, this.version) ?? this.args.at(name, this.version);
  }
}

/** `substitute` against the values in force. */
function expand(value: string, values: Values): string {
  return value.includes('$') ? (substitute(value, values) ?? value) : value;
}

export function declareArgs(ins: Instruction, values: Values) {
  for (const [name, value] of argDeclarations(ins.rest)) {
    if (value !== undefined) values.args.set(name, expand(value, values));
  }
}

export function declareEnv(ins: Instruction, values: Values) {
  const env = values.env;
  const { count, texts, starts } = scanWords(ins.rest);
  if (!count) return;
  // Each value is expanded as it is set, seeing the pairs before it (hadolint's reading).
  const names: string[] = new Array(count);
  const raw: string[] = new Array(count);
  if (texts[0].includes('=')) {
    for (let k = 0; k < count; k++) {
      const eq = texts[k].indexOf('=');
      names[k] = texts[k].slice(0, eq);
      raw[k] = unquote(texts[k].slice(eq + 1));
    }
  } else {
    names.length = raw.length = 1;
    names[0] = texts[0];
    raw[0] = unquote(ins.rest.slice(count > 1 ? starts[1] : ins.rest.length).trim());
  }
  for (let k = 0; k < names.length; k++) if (names[k]) env.set(names[k], expand(raw[k], values));
}
