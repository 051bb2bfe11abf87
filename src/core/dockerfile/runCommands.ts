// The commands of RUN scripts indexed by name. Most RUN rules look for one or
// two command names (apt-get, pip, yum...); walking every command of every RUN
// once per rule cost more than the rules themselves on large files.

import { memoize } from './memo';
import type { DockerfileModel, RuleContext } from './rule';
import { runStreams, type RunSite, type Stream } from './runSites';
import type { Command } from './shell';

/** Command names to look for, or a test on the name (`pip…`). */
export type Names = readonly string[] | ReadonlySet<string> | ((name: string) => boolean);

interface CommandAt {
  cmd: Command;
  site: RunSite;
  /** Index of the command in its script. */
  index: number;
  /** Position in the stream, to merge the lists of several names in order. */
  seq: number;
}

/** A stream's commands by name, each list in file order. */
const commandsByName = memoize((stream: Stream) => {
  const byName = new Map<string, CommandAt[]>();
  let seq = 0;
  for (const site of stream.sites) {
    const cmds = site.script.commands;
    for (let index = 0; index < cmds.length; index++) {
      const at = { cmd: cmds[index], site, index, seq: seq++ };
      const list = byName.get(at.cmd.name);
      if (list) list.push(at);
      else byName.set(at.cmd.name, [at]);
    }
  }
  return byName;
});

/** The stream's commands with one of `names`, in file order. */
function named(stream: Stream, names: Names): readonly CommandAt[] {
  const byName = commandsByName(stream);
  const lists: CommandAt[][] = [];
  if (typeof names === 'function') {
    for (const [name, list] of byName) if (names(name)) lists.push(list);
  } else {
    for (const name of names) {
      const list = byName.get(name);
      if (list) lists.push(list);
    }
  }
  if (lists.length <= 1) return lists[0] ?? [];
  return lists.flat().sort((a, b) => a.seq - b.seq);
}

/** The streams a rule judges: the build's, plus ONBUILD triggers for the rules hadolint also applies there. */
function streamsOf(ctx: RuleContext, withOnbuild: boolean): Stream[] {
  const s = runStreams(ctx.model);
  return withOnbuild ? [s.main, s.onbuild] : [s.main];
}

/** Does any RUN (or ONBUILD RUN) run a command with one of `names`? */
export function runsAny(model: DockerfileModel, names: Names): boolean {
  const s = runStreams(model);
  return named(s.main, names).length > 0 || named(s.onbuild, names).length > 0;
}

/** Calls `fn` for each command with one of `names` in the RUNs a rule judges, in file order. */
export function eachCommand(ctx: RuleContext, withOnbuild: boolean, names: Names, fn: (cmd: Command, site: RunSite, index: number) => void) {
  for (const stream of streamsOf(ctx, withOnbuild)) for (const at of named(stream, names)) fn(at.cmd, at.site, at.index);
}

/** The RUNs of a stream that run a command with one of `names`, in file order. */
export function sitesRunning(stream: Stream, names: Names): RunSite[] {
  const out: RunSite[] = [];
  for (const at of named(stream, names)) if (!out.length || out[out.length - 1] !== at.site) out.push(at.site);
  return out;
}

/** `sitesRunning` over the streams a rule judges. */
export function runSitesRunning(ctx: RuleContext, withOnbuild: boolean, names: Names): RunSite[] {
  return streamsOf(ctx, withOnbuild).flatMap((stream) => sitesRunning(stream, names));
}
