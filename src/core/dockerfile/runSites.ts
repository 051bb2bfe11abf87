// Every RUN of a Dockerfile with what the shell rules need to judge it: its
// script parsed (shell form, exec form or heredoc body), the stage it runs in,
// the ARG/ENV values known at that point, its cache mounts, the SHELL in force,
// and a way back from script offsets to file positions.
//
// hadolint applies many rules a second time to ONBUILD triggers, as a separate
// pass that only sees the triggers (no FROM, no plain instructions). The
// `onbuild` stream reproduces that pass; the `main` stream is the build itself.

import { memoize } from './memo';
import type { DockerfileModel, Mount, RunSite, ShellState, Stage, StageRef, Stream } from './modelTypes';
import { walk } from './rules/instructionUtil';
import { splitWords, unquote } from './model';
import type { RuleContext } from './rule';
import { scriptSource, type Source } from './runSources';
import { firstInstructionAfter } from './pragmas';
import { declareArgs, declareEnv, type Env, Values } from './runVars';
import { parseShell, type Command, type Script, type Span, type Vars, type Word } from './shell';
import type { Fix, Instruction, Position, Range } from './types';

export interface RunStreams {
  /** The build's RUNs: one site per RUN of the model's instructions, in their order. */
  main: Stream;
  onbuild: Stream;
}

/** The model's RUNs, read once per model. */
export const runStreams: (model: DockerfileModel) => RunStreams = memoize(build);

const DEFAULT_SHELL: ShellState = { nonPosix: false, pipefail: false };
const NON_POSIX = new Set(['pwsh', 'powershell', 'cmd']);
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh']);

function build(model: DockerfileModel): RunStreams {
  return { main: mainStream(model), onbuild: onbuildStream(model) };
}

/** Would something left behind in a stage end up in an image: the last stage, or one a later FROM builds on? */
function reachesImage(stages: readonly Stage[]): (ref: StageRef) => boolean {
  const last = stages.length ? fromSignature(stages[stages.length - 1].from) : 'scratch';
  const bases = new Set(stages.map((s) => s.image.toLowerCase()));
  return (ref) => {
    if (ref.index === stages.length - 1 || ref.signature === last) return true;
    const name = stages[ref.index]?.name?.toLowerCase();
    return name !== undefined && bases.has(name);
  };
}

const ALWAYS = () => true;
/** The mounts of the (many) RUNs without flags: one shared list, never written to. */
const NO_MOUNTS: Mount[] = Object.freeze([]) as unknown as Mount[];

function mainStream(model: DockerfileModel): Stream {
  const sites: RunSite[] = [];
  const values = new Values(); // hadolint keeps ARG values across stages
  let shell = DEFAULT_SHELL;
  let stage: StageRef = BEFORE_FROM;
  // The ENV and SHELL each stage ended with, by stage index + 1 (the instructions before any FROM are -1).
  const endEnv: Env[] = [];
  const endShell: ShellState[] = [];
  const pragmas = shellPragmas(model);
  let pragmaAt = 0; // the next pragma to apply
  let pragmaShell: boolean | undefined;
  // The shell in force with the pragma applied, made once per change of either (not once per RUN).
  let pragmaBase: ShellState | undefined;
  let pragmaApplied = shell;
  // ARG and ENV values for the RUNs, until the next ARG, ENV or FROM (RUNs in a row share them).
  let vars: Vars | undefined;

  const placed = walk(model);
  for (let k = 0; k < placed.length; k++) {
    const ins = placed[k].instruction;
    if (ins.keyword === 'FROM' || ins.keyword === 'ARG' || ins.keyword === 'ENV') vars = undefined;
    if (ins.keyword === 'FROM') {
      endEnv[stage.index + 1] = values.env;
      endShell[stage.index + 1] = shell;
      const s = placed[k].stage; // a FROM is placed in its own stage
      const index = s?.index ?? stage.index + 1;
      stage = new StageOf(index, ins);
      const parent = s?.parent?.index;
      const parentEnv = parent !== undefined && parent + 1 < endEnv.length ? endEnv[parent + 1] : undefined;
      values.startStage(parentEnv);
      shell = (parent !== undefined && parent + 1 < endShell.length ? endShell[parent + 1] : undefined) ?? DEFAULT_SHELL;
    } else if (ins.keyword === 'ARG') declareArgs(ins, values);
    else if (ins.keyword === 'ENV') declareEnv(ins, values);
    else if (ins.keyword === 'SHELL') shell = shellOf(ins);
    else if (ins.keyword === 'RUN') {
      while (pragmaAt < pragmas.length && pragmas[pragmaAt].from <= k) pragmaShell = pragmas[pragmaAt++].nonPosix;
      if (pragmaShell !== undefined && (pragmaBase !== shell || pragmaApplied.nonPosix !== (pragmaShell || shell.nonPosix))) {
        pragmaBase = shell;
        pragmaApplied = { ...shell, nonPosix: pragmaShell || shell.nonPosix };
      }
      const effective = pragmaShell === undefined ? shell : pragmaApplied;
      sites.push(site(model, ins, ins, false, stage, (vars ??= values.view()), effective));
    }
  }
  return { sites, reachesImage: reachesImage(model.stages) };
}

function onbuildStream(model: DockerfileModel): Stream {
  const sites: RunSite[] = [];
  const values = new Values();
  const stage: StageRef = BEFORE_FROM;
  const list = model.instructions;
  for (let k = 0; k < list.length; k++) {
    const holder = list[k];
    const ins = holder.keyword === 'ONBUILD' ? holder.trigger : undefined;
    if (!ins) continue;
    if (ins.keyword === 'ARG') declareArgs(ins, values);
    else if (ins.keyword === 'ENV') declareEnv(ins, values);
    else if (ins.keyword === 'RUN') sites.push(site(model, ins, holder, true, stage, values.view(), DEFAULT_SHELL));
  }
  // The pass sees no FROM, so every trigger counts as being in the final image.
  return { sites, reachesImage: ALWAYS };
}

const SPACES = /\s+/g;

/** The stage reference of the instructions before the first FROM (and of the ONBUILD pass). */
const BEFORE_FROM: StageRef = Object.freeze({ index: -1, signature: 'scratch' });

/** A stage's reference; its signature is read from the FROM when a rule asks (most never do). */
class StageOf implements StageRef {
  private sig: string | undefined = undefined;

  constructor(
    readonly index: number,
    private readonly from: Instruction,
  ) {}

  get signature(): string {
    return (this.sig ??= fromSignature(this.from));
  }
}

function fromSignature(from: Instruction): string {
  const text = from.flags.length ? [...from.flags.map((f) => `--${f.name}=${f.value ?? ''}`), from.rest].join(' ') : from.rest;
  return text.replace(SPACES, ' ').trim().toLowerCase();
}

/**
 * `# hadolint shell=<name>` comments in file order, each with the index of the
 * first instruction after it (found once: comparing every RUN's line with the
 * next pragma's made each RUN build its ranges).
 */
function shellPragmas(model: DockerfileModel): Array<{ from: number; nonPosix: boolean }> {
  return model.parsed.comments
    .map((c) => ({ line: c.line, m: /^hadolint\s+shell\s*=\s*(\S+)/i.exec(c.text) }))
    .filter((p) => p.m)
    .map((p) => ({ from: firstInstructionAfter(model, p.line), nonPosix: [...NON_POSIX].some((n) => p.m![1].toLowerCase().includes(n)) }));
}

function shellOf(ins: Instruction): ShellState {
  const argv = ins.json ?? splitWords(ins.rest).map((w) => unquote(w.text));
  if (!argv.length) return DEFAULT_SHELL;
  const exe = (argv[0].split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
  if (NON_POSIX.has(exe)) return { nonPosix: true, pipefail: false };
  const options = argv.slice(1);
  const setsO = options.some((a) => /^-[A-Za-z]*o[A-Za-z]*$/.test(a));
  return { nonPosix: false, pipefail: PIPEFAIL_SHELLS.has(exe) && setsO && options.includes('pipefail') };
}

function mountsOf(ins: Instruction): Mount[] {
  return ins.flags
    .filter((f) => f.name === 'mount' && f.value)
    .map((f) => {
      const opts = new Map(
        f.value!.split(',').map((kv) => {
          const eq = kv.indexOf('=');
          return eq < 0 ? ([kv.trim(), ''] as const) : ([kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()] as const);
        }),
      );
      return { type: opts.get('type') ?? 'bind', target: opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? '' };
    });
}

/** A RUN with its script; positions come from the script's source (shell form, exec form or heredocs). */
class Site implements RunSite {
  readonly script: Script;
  readonly mounts: Mount[];
  /** Undefined for the shell form (see scriptSource). */
  private readonly source: Source | undefined;

  constructor(
    model: DockerfileModel,
    readonly ins: Instruction,
    readonly holder: Instruction,
    readonly onbuild: boolean,
    readonly stage: StageRef,
    readonly vars: Vars,
    readonly shell: ShellState,
  ) {
    const source = (this.source = scriptSource(model, ins));
    this.script = parseShell(source ? (source.foreign ? '' : source.text) : ins.rest, vars);
    this.mounts = ins.flags.length ? mountsOf(ins) : NO_MOUNTS;
  }

  get form(): RunSite['form'] {
    return this.source ? this.source.form : 'shell';
  }

  get foreign(): boolean {
    return this.source ? this.source.foreign : false;
  }

  at(offset: number): Position {
    return this.source ? this.source.at(offset) : this.ins.argsPosition(this.ins.restOffset + offset);
  }

  range(span: Span): Range {
    return this.source ? this.source.range(span.start, span.end) : { start: this.at(span.start), end: this.at(span.end) };
  }
}

function site(model: DockerfileModel, ins: Instruction, holder: Instruction, onbuild: boolean, stage: StageRef, vars: Vars, shell: ShellState): RunSite {
  return new Site(model, ins, holder, onbuild, stage, vars, shell);
}

// ---- Small helpers the RUN rules share ----

/** The RUNs a rule judges: the build's, plus ONBUILD triggers for the rules hadolint also applies there. */
export function runSites(model: DockerfileModel, withOnbuild: boolean): RunSite[] {
  const s = runStreams(model);
  return withOnbuild ? [...s.main.sites, ...s.onbuild.sites] : s.main.sites;
}

/** From the start of one word to the end of another. */
export function spanOf(from: Span, to: Span = from): Span {
  return { start: from.start, end: to.end };
}

/** A fix inserting `text` at a script offset; none for exec form, whose JSON text the offsets do not follow. */
export function insertFix(site: RunSite, offset: number, text: string, title: string): Fix[] | undefined {
  if (site.form === 'exec') return undefined;
  const p = site.at(offset);
  return [{ title, edits: [{ range: { start: p, end: p }, newText: text }] }];
}

/** A fix running `command` after everything else in the RUN; none where appending would change the meaning. */
export function appendFix(site: RunSite, command: string, title: string): Fix[] | undefined {
  const text = site.script.text.trimEnd();
  if (site.script.endsInComment || /(&&|\|\||[|&\\])$/.test(text)) return undefined;
  const glue = site.form === 'heredoc' ? '\n' : text.endsWith(';') ? ' ' : ' && ';
  return insertFix(site, text.length, glue + command, title);
}

/** A fix replacing a span of the script. */
export function replaceFix(site: RunSite, span: Span, text: string, title: string): Fix[] | undefined {
  if (site.form === 'exec') return undefined;
  return [{ title, edits: [{ range: site.range(span), newText: text }] }];
}

/** Is a cache or tmpfs mount on a directory under one of these paths? */
export function cacheMounted(site: RunSite, dirs: readonly string[]): boolean {
  // A list rather than rest arguments, and loops: asked of every RUN a cache rule looks at, and most RUNs mount nothing.
  const mounts = site.mounts;
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    if (m.type !== 'cache' && m.type !== 'tmpfs') continue;
    for (let k = 0; k < dirs.length; k++) {
      const d = dirs[k];
      if (m.target === d || m.target.startsWith(d.endsWith('/') ? d : d + '/')) return true;
    }
  }
  return false;
}

/** Reports the first package word that fails `pinned`, once per command. */
export function reportUnpinned(ctx: RuleContext, site: RunSite, packages: Word[], pinned: (p: string) => boolean) {
  for (let k = 0; k < packages.length; k++) {
    if (pinned(packages[k].value)) continue;
    ctx.report(site.range(packages[k]));
    return;
  }
}

/** The command name through its sub-command word (`apt-get install`), where "missing switch" findings sit. */
export function commandSpan(cmd: Command, verb?: Word) {
  return spanOf(cmd.nameWord, verb && verb.start > cmd.nameWord.start ? verb : cmd.nameWord);
}



/** An install command that no cleanup follows (cleaning first does not help); `clean` is asked about each later command. */
export function uncleaned(site: RunSite, install: (c: Command) => boolean, clean: (c: Command, installed: Command) => boolean): Command | undefined {
  const cmds = site.script.commands;
  for (let i = 0; i < cmds.length; i++) {
    if (!install(cmds[i])) continue;
    let cleaned = false;
    for (let j = i + 1; j < cmds.length && !cleaned; j++) cleaned = clean(cmds[j], cmds[i]);
    if (!cleaned) return cmds[i];
  }
  return undefined;
}

/** `rm` of something under one of these directories. */
export function removesUnder(cmd: Command, ...dirs: string[]): boolean {
  return cmd.name === 'rm' && cmd.args.some((a) => dirs.some((d) => a.value === d || a.value.startsWith(d + '/')));
}
