// Every RUN of a Dockerfile with what the shell rules need to judge it: its
// script parsed (shell form, exec form or heredoc body), the stage it runs in,
// the ARG/ENV values known at that point, its cache mounts, the SHELL in force,
// and a way back from script offsets to file positions.
//
// hadolint applies many rules a second time to ONBUILD triggers, as a separate
// pass that only sees the triggers (no FROM, no plain instructions). The
// `onbuild` stream reproduces that pass; the `main` stream is the build itself.

import { argDeclarations, copyMap, splitWords, substitute, unquote } from './model';
import type { DockerfileModel, RuleContext } from './rule';
import { scriptSource, type Source } from './runSources';
import { parseShell, type Command, type Script, type Span, type Word } from './shell';
import type { Fix, Instruction, Position, Range } from './types';

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
  vars: ReadonlyMap<string, string>;
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

export interface RunStreams {
  main: Stream;
  onbuild: Stream;
  /** The main-stream site of a RUN instruction. */
  siteOf(ins: Instruction): RunSite | undefined;
}

const cache = new WeakMap<DockerfileModel, RunStreams>();

export function runStreams(model: DockerfileModel): RunStreams {
  let streams = cache.get(model);
  if (!streams) {
    streams = build(model);
    cache.set(model, streams);
  }
  return streams;
}

const DEFAULT_SHELL: ShellState = { nonPosix: false, pipefail: false };
const NON_POSIX = new Set(['pwsh', 'powershell', 'cmd']);
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh']);

function build(model: DockerfileModel): RunStreams {
  const main = mainStream(model);
  const onbuild = onbuildStream(model);
  let byIns: Map<Instruction, RunSite> | undefined; // built when first asked for
  return { main, onbuild, siteOf: (ins) => (byIns ??= new Map(main.sites.map((s) => [s.ins, s] as const))).get(ins) };
}

function mainStream(model: DockerfileModel): Stream {
  const sites: RunSite[] = [];
  const stageOf = new Map(model.stages.map((st) => [st.from, st] as const));
  const args = new Map<string, string>(); // hadolint keeps ARG values across stages
  let env = new Map<string, string>();
  let shell = DEFAULT_SHELL;
  let stage: StageRef = { index: -1, signature: 'scratch' };
  const endEnv = new Map<number, Map<string, string>>();
  const endShell = new Map<number, ShellState>();
  const pragmas = shellPragmas(model);
  let pragmaShell: boolean | undefined;
  // ARG and ENV values for the RUNs, until the next ARG, ENV or FROM (RUNs in a row share them).
  let vars: Map<string, string> | undefined;

  for (const ins of model.instructions) {
    while (pragmas.length && pragmas[0].line < ins.range.start.line) pragmaShell = pragmas.shift()!.nonPosix;
    if (ins.keyword === 'FROM' || ins.keyword === 'ARG' || ins.keyword === 'ENV') vars = undefined;
    if (ins.keyword === 'FROM') {
      endEnv.set(stage.index, env);
      endShell.set(stage.index, shell);
      const s = stageOf.get(ins);
      const index = s?.index ?? stage.index + 1;
      stage = { index, signature: fromSignature(ins) };
      const parent = s?.parent?.index;
      const parentEnv = parent !== undefined ? endEnv.get(parent) : undefined;
      env = parentEnv ? copyMap(parentEnv) : new Map();
      shell = (parent !== undefined ? endShell.get(parent) : undefined) ?? DEFAULT_SHELL;
    } else if (ins.keyword === 'ARG') declareArgs(ins, args, env);
    else if (ins.keyword === 'ENV') declareEnv(ins, env, args);
    else if (ins.keyword === 'SHELL') shell = shellOf(ins);
    else if (ins.keyword === 'RUN') {
      const effective = pragmaShell === undefined ? shell : { ...shell, nonPosix: pragmaShell || shell.nonPosix };
      sites.push(site(model, ins, ins, false, stage, (vars ??= merged(args, env)), effective));
    }
  }
  const stages = model.stages;
  const last = stages.length ? fromSignature(stages[stages.length - 1].from) : 'scratch';
  const bases = new Set(stages.map((s) => s.image.toLowerCase()));
  return {
    sites,
    reachesImage: (ref) => {
      if (ref.signature === last || ref.index === stages.length - 1) return true;
      const name = stages[ref.index]?.name?.toLowerCase();
      return name !== undefined && bases.has(name);
    },
  };
}

function onbuildStream(model: DockerfileModel): Stream {
  const sites: RunSite[] = [];
  const args = new Map<string, string>();
  const env = new Map<string, string>();
  const stage: StageRef = { index: -1, signature: 'scratch' };
  for (const holder of model.instructions) {
    const ins = holder.keyword === 'ONBUILD' ? holder.trigger : undefined;
    if (!ins) continue;
    if (ins.keyword === 'ARG') declareArgs(ins, args, env);
    else if (ins.keyword === 'ENV') declareEnv(ins, env, args);
    else if (ins.keyword === 'RUN') sites.push(site(model, ins, holder, true, stage, merged(args, env), DEFAULT_SHELL));
  }
  // The pass sees no FROM, so every trigger counts as being in the final image.
  return { sites, reachesImage: () => true };
}

/** ARG values overridden by ENV ones (ARG names keep their place in the order). */
function merged(args: Map<string, string>, env: Map<string, string>): Map<string, string> {
  const out = copyMap(args);
  env.forEach((v, k) => out.set(k, v));
  return out;
}

/** `substitute` against ARG and ENV values (ENV first), without merging them into a map. */
function expand(value: string, args: Map<string, string>, env: Map<string, string>): string {
  return value.includes('$') ? (substitute(value, { get: (name) => (env.has(name) ? env.get(name) : args.get(name)) }) ?? value) : value;
}

function declareArgs(ins: Instruction, args: Map<string, string>, env: Map<string, string>) {
  for (const [name, value] of argDeclarations(ins.rest)) {
    if (value !== undefined) args.set(name, expand(value, args, env));
  }
}

function declareEnv(ins: Instruction, env: Map<string, string>, args: Map<string, string>) {
  const words = splitWords(ins.rest);
  if (!words.length) return;
  const pairs: Array<[string, string]> = words[0].text.includes('=')
    ? words.map((w) => {
        const eq = w.text.indexOf('=');
        return [w.text.slice(0, eq), unquote(w.text.slice(eq + 1))];
      })
    : [[words[0].text, unquote(ins.rest.slice(words[1]?.start ?? ins.rest.length).trim())]];
  for (const [name, value] of pairs) if (name) env.set(name, expand(value, args, env));
}

const SPACES = /\s+/g;

function fromSignature(from: Instruction): string {
  const text = from.flags.length ? [...from.flags.map((f) => `--${f.name}=${f.value ?? ''}`), from.rest].join(' ') : from.rest;
  return text.replace(SPACES, ' ').trim().toLowerCase();
}

/** `# hadolint shell=<name>` comments, in file order. */
function shellPragmas(model: DockerfileModel): Array<{ line: number; nonPosix: boolean }> {
  return model.parsed.comments
    .map((c) => ({ line: c.line, m: /^hadolint\s+shell\s*=\s*(\S+)/i.exec(c.text) }))
    .filter((p) => p.m)
    .map((p) => ({ line: p.line, nonPosix: [...NON_POSIX].some((n) => p.m![1].toLowerCase().includes(n)) }));
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
  readonly form: RunSite['form'];
  readonly foreign: boolean;
  readonly script: Script;
  readonly mounts: Mount[];
  private readonly source: Source;

  constructor(
    model: DockerfileModel,
    readonly ins: Instruction,
    readonly holder: Instruction,
    readonly onbuild: boolean,
    readonly stage: StageRef,
    readonly vars: ReadonlyMap<string, string>,
    readonly shell: ShellState,
  ) {
    this.source = scriptSource(model, ins);
    this.form = this.source.form;
    this.foreign = this.source.foreign;
    this.script = parseShell(this.source.foreign ? '' : this.source.text, vars);
    this.mounts = ins.flags.length ? mountsOf(ins) : [];
  }

  at(offset: number): Position {
    return this.source.at(offset);
  }

  range(span: Span): Range {
    return this.source.range(span.start, span.end);
  }
}

function site(model: DockerfileModel, ins: Instruction, holder: Instruction, onbuild: boolean, stage: StageRef, vars: Map<string, string>, shell: ShellState): RunSite {
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
export function cacheMounted(site: RunSite, ...dirs: string[]): boolean {
  return site.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && dirs.some((d) => m.target === d || m.target.startsWith(d.endsWith('/') ? d : d + '/')));
}

/** Reports the first package word that fails `pinned`, once per command. */
export function reportUnpinned(ctx: RuleContext, site: RunSite, packages: Word[], pinned: (p: string) => boolean) {
  const loose = packages.find((p) => !pinned(p.value));
  if (loose) ctx.report(site.range(loose));
}

/** The command name through its sub-command word (`apt-get install`), where "missing switch" findings sit. */
export function commandSpan(cmd: Command, verb?: Word) {
  return spanOf(cmd.nameWord, verb && verb.start > cmd.nameWord.start ? verb : cmd.nameWord);
}



/** An install command that no cleanup follows (cleaning first does not help); `clean` is asked about each later command. */
export function uncleaned(site: RunSite, install: (c: Command) => boolean, clean: (c: Command, installed: Command) => boolean): Command | undefined {
  const cmds = site.script.commands;
  return cmds.find((c, i) => install(c) && !cmds.slice(i + 1).some((later) => clean(later, c)));
}

/** `rm` of something under one of these directories. */
export function removesUnder(cmd: Command, ...dirs: string[]): boolean {
  return cmd.name === 'rm' && cmd.args.some((a) => dirs.some((d) => a.value === d || a.value.startsWith(d + '/')));
}
