// The variables in force at one point of a stage, as BuildKit's dispatch sees
// them (see buildkitVars.ts). A stage replay makes one scope per ARG or ENV,
// and every scope lives until the end of the lint run: copying the maps each
// time made them a large share of what the garbage collector had to move on
// big files. A scope holds only what its instruction added, over its parent.

/** A variable's value: a string, null when it is set but its value cannot be known here, undefined when unset. */
export type Resolver = (name: string) => string | null | undefined;

/** Beyond this many links a scope is flattened, so lookups stay short whatever the file does. */
const MAX_DEPTH = 16;

/** The lists of a scope that sets or declares nothing yet (replaced on the first write: `[x]` holds one slot, a pushed-to `[]` seventeen). */
const EMPTY: never[] = [];

export class Scope {
  private resolver: Resolver | undefined = undefined;
  private envCache: Map<string, string | null> | undefined = undefined;
  private declaredCache: Set<string> | undefined = undefined;
  private readonly depth: number;

  private constructor(
    private readonly parent: Scope | undefined,
    /** What this scope sets, in order (on a root: the image's variables). */
    private keys: string[],
    private values: Array<string | null>,
    /** ARG names this scope declares. */
    private names: string[],
    readonly windows: boolean,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
  }

  /** The scope a stage starts with when built FROM an image with these variables. */
  static root(env: ReadonlyMap<string, string | null>, windows: boolean): Scope {
    return new Scope(undefined, [...env.keys()], [...env.values()], [], windows);
  }

  /** A scope for the next ARG or ENV: empty over this one until `set`/`declare` fill it (before anyone reads it). */
  child(): Scope {
    if (this.depth < MAX_DEPTH) return new Scope(this, EMPTY, EMPTY, EMPTY, this.windows);
    return new Scope(undefined, [...this.env.keys()], [...this.env.values()], [...this.declared], this.windows);
  }

  set(name: string, value: string | null): void {
    const k = this.keys.indexOf(name);
    if (k >= 0) this.values[k] = value;
    else if (this.keys === EMPTY) {
      this.keys = [name];
      this.values = [value];
    } else {
      this.keys.push(name);
      this.values.push(value);
    }
  }

  /** Once filled: its lists at their exact size (it lives to the end of the run; a list grown by pushes has room for sixteen). */
  done(): this {
    if (this.keys.length > 1) {
      this.keys = this.keys.slice();
      this.values = this.values.slice();
    }
    if (this.names.length > 1) this.names = this.names.slice();
    return this;
  }

  declare(name: string): void {
    if (this.names === EMPTY) this.names = [name];
    else if (!this.names.includes(name)) this.names.push(name);
  }

  /** The variable's value: undefined when unset, null when set to something unknown. */
  value(name: string): string | null | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const k = s.keys.indexOf(name);
      if (k >= 0) return s.values[k];
    }
    return undefined;
  }

  /** Was `name` declared by an ARG in the stage (or the stage it builds on)? */
  isDeclared(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.names.includes(name)) return true;
    return false;
  }

  /**
   * Lookup where a declared ARG without a value may still come from a build
   * argument (unknown). Made on first use and kept with the scope (most scopes
   * are never looked up).
   */
  get resolve(): Resolver {
    return (this.resolver ??= (name) => {
      const v = this.value(name);
      return v !== undefined ? v : this.isDeclared(name) ? null : undefined;
    });
  }

  /** Variables with a value in the build environment (null: set, value unknown), in the order a map built ARG by ARG would list them. */
  get env(): ReadonlyMap<string, string | null> {
    if (this.envCache) return this.envCache;
    const env = this.parent ? new Map(this.parent.env) : new Map<string, string | null>();
    for (let k = 0; k < this.keys.length; k++) env.set(this.keys[k], this.values[k]);
    return (this.envCache = env);
  }

  /** ARG names declared in the stage (or the stage it builds on): never undefined, whatever their value. */
  get declared(): ReadonlySet<string> {
    if (this.declaredCache) return this.declaredCache;
    const set = this.parent ? new Set(this.parent.declared) : new Set<string>();
    for (const n of this.names) set.add(n);
    return (this.declaredCache = set);
  }
}
