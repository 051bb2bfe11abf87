// The shapes of the Dockerfile model that the rules read, in one module that
// the model's builders (model.ts, runSites.ts, runSources.ts, runCommands.ts)
// and the rules all import: stages, RUN sites and their streams, and the
// command names a rule asks about. Types only, so it imports nothing but types.

import type { Script, Span, Vars } from './shellSyntax';
import type { Instruction, ParsedDockerfile, Position, Range } from './types';

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number;
  from: Instruction;
  /** The `AS name`, as written (BuildKit lower-cases it for lookups). */
  name?: string;
  nameRange?: Range;
  /** The image reference as written, e.g. `node:${VERSION}`. */
  image: string;
  imageRange: Range;
  /** The image with global ARG defaults substituted (undefined when a variable has no default). */
  resolvedImage?: string;
  /** The earlier stage this one is built FROM, when the image names one. */
  parent?: Stage;
  /** Instructions after FROM, in order (ONBUILD triggers are in their ONBUILD's `trigger`). */
  instructions: Instruction[];
}

/** An instruction with the stage it is in: what the walks over the model list. */
export interface Placed {
  instruction: Instruction;
  /** Undefined for instructions before the first FROM. */
  stage?: Stage;
}

/**
 * An instruction that is its own placement (`instruction` is itself, `stage`
 * set by buildModel): a 10,000-line file has thousands of instructions, and a
 * placement object for each was kept to the end of every lint run.
 */
export interface PlacedInstruction extends Instruction, Placed {
  stage: Stage | undefined;
  readonly instruction: Instruction;
}

export interface DockerfileModel {
  parsed: ParsedDockerfile;
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  /** Global ARG name → default value (undefined when declared without one). */
  globalArgDefaults: Map<string, string | undefined>;
  stages: Stage[];
  /** Every instruction in file order (ONBUILD triggers not flattened), each placed in its stage (a trigger in its ONBUILD's). */
  instructions: PlacedInstruction[];
  /** Readings derived by the rules (see memo.ts). */
  memo?: unknown[];
}

// ---- Every RUN with what the shell rules need (built by runSites.ts) ----

export interface Mount {
  /** bind (the default), cache, tmpfs, secret, ssh. */
  type: string;
  target: string;
}

export interface StageRef {
  /** Order of the stage in the file; -1 before the first FROM (and for the ONBUILD pass). */
  index: number;
  /** How the FROM reads, to tell stages apart the way hadolint does (by their FROM line). */
  signature: string;
}

export interface ShellState {
  /** PowerShell or cmd: none of the POSIX-shell reasoning applies. */
  nonPosix: boolean;
  /** A shell that honours `-o pipefail`, given that option. */
  pipefail: boolean;
}

export interface RunSite {
  /** The RUN instruction (for ONBUILD RUN, the trigger). */
  ins: Instruction;
  /** The instruction in the file: the RUN, or the ONBUILD that holds it. */
  holder: Instruction;
  onbuild: boolean;
  stage: StageRef;
  form: 'shell' | 'exec' | 'heredoc';
  /** A heredoc whose shebang names another interpreter (python, node, ...): not shell. */
  foreign: boolean;
  script: Script;
  mounts: Mount[];
  /** ARG and ENV values known when the RUN executes. */
  vars: Vars;
  shell: ShellState;
  /** File position of a script offset. */
  at(offset: number): Position;
  /** File range of a script span. */
  range(span: Span): Range;
}

export interface Stream {
  sites: RunSite[];
  /** Would something left behind in this stage end up in an image: the last stage, or one a later FROM builds on. */
  reachesImage(stage: StageRef): boolean;
}

// ---- What a rule asks of the RUNs (runCommands.ts) ----

/** Command names to look for, or a test on the name (`pip…`). */
export type Names = readonly string[] | ReadonlySet<string> | ((name: string) => boolean);
