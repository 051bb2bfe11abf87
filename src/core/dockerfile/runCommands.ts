// The commands of RUN scripts indexed by name. Most RUN rules look for one or
// two command names (apt-get, pip, yum...); walking every command of every RUN
// once per rule cost more than the rules themselves on large files.

import { memoize } from './memo';
import type { DockerfileModel, Names, RunSite, Stream } from './modelTypes';
import type { RuleContext } from './rule';
import { runStreams } from './runSites';
import type { Command } from './shell';

/**
 * A stream's commands by name. Commands are numbered in file order across the
 * stream; the lists hold those numbers (plain number arrays: a stream of
 * thousands of commands would otherwise keep an object per command until the
 * end of the run).
 */
interface ByName {
  lists: Map<string, number[]>;
  /** The names that occur, in order of first occurrence (iterated without an iterator object). */
  names: string[];
  /** By command number: the command, its RUN and its index in the script. */
  cmds: Command[];
  sites: RunSite[];
  indexes: number[];
}

const commandsByName = memoize((stream: Stream): ByName => {
  const streamSites = stream.sites;
  // Counted first: the three lists are made at their size (growing them by pushing left garbage the size of the lists).
  let total = 0;
  for (let k = 0; k < streamSites.length; k++) total += streamSites[k].script.commands.length;
  const by: ByName = { lists: new Map(), names: [], cmds: new Array(total), sites: new Array(total), indexes: new Array(total) };
  let seq = 0;
  for (let k = 0; k < streamSites.length; k++) {
    const site = streamSites[k];
    const cmds = site.script.commands;
    for (let index = 0; index < cmds.length; index++, seq++) {
      const name = cmds[index].name;
      by.cmds[seq] = cmds[index];
      by.sites[seq] = site;
      by.indexes[seq] = index;
      const list = by.lists.get(name);
      if (list) list.push(seq);
      else {
        by.lists.set(name, [seq]);
        by.names.push(name);
      }
    }
  }
  return by;
});

const NO_COMMANDS: readonly number[] = Object.freeze([]);
const isList = (names: Names): names is readonly string[] => Array.isArray(names);

// The two lookups below are asked by every rule that names commands, on every
// run: plain loops, without callbacks or iterators (small files paid for them).

/** The numbers of the stream's commands with one of `names`, in file order. */
function named(by: ByName, names: Names): readonly number[] {
  const { lists, names: present } = by;
  if (!present.length) return NO_COMMANDS;
  const found: number[][] = [];
  if (typeof names === 'function') {
    for (let i = 0; i < present.length; i++) if (names(present[i])) found.push(lists.get(present[i])!);
  } else if (isList(names)) {
    for (let i = 0; i < names.length; i++) {
      const list = lists.get(names[i]);
      if (list) found.push(list);
    }
  } else {
    for (let i = 0; i < present.length; i++) if (names.has(present[i])) found.push(lists.get(present[i])!);
  }
  if (found.length <= 1) return found[0] ?? NO_COMMANDS;
  return found.flat().sort((a, b) => a - b);
}

/** Does the stream run a command with one of `names`? */
function runsIn(stream: Stream, names: Names): boolean {
  const { lists, names: present } = commandsByName(stream);
  if (typeof names === 'function') {
    for (let i = 0; i < present.length; i++) if (names(present[i])) return true;
  } else if (isList(names)) {
    for (let i = 0; i < names.length; i++) if (lists.has(names[i])) return true;
  } else {
    for (let i = 0; i < present.length; i++) if (names.has(present[i])) return true;
  }
  return false;
}

/** The streams a rule judges: the build's, plus ONBUILD triggers for the rules hadolint also applies there. */
function streamsOf(ctx: RuleContext, withOnbuild: boolean): Stream[] {
  const s = runStreams(ctx.model);
  return withOnbuild ? [s.main, s.onbuild] : [s.main];
}

/** Does any RUN (or ONBUILD RUN) run a command with one of `names`? */
export function runsAny(model: DockerfileModel, names: Names): boolean {
  const s = runStreams(model);
  return runsIn(s.main, names) || runsIn(s.onbuild, names);
}

/** Calls `fn` for each command with one of `names` in the RUNs a rule judges, in file order. */
export function eachCommand(ctx: RuleContext, withOnbuild: boolean, names: Names, fn: (cmd: Command, site: RunSite, index: number) => void) {
  const s = runStreams(ctx.model);
  eachIn(s.main, names, fn);
  if (withOnbuild) eachIn(s.onbuild, names, fn);
}

function eachIn(stream: Stream, names: Names, fn: (cmd: Command, site: RunSite, index: number) => void) {
  const by = commandsByName(stream);
  const seqs = named(by, names);
  for (let i = 0; i < seqs.length; i++) fn(by.cmds[seqs[i]], by.sites[seqs[i]], by.indexes[seqs[i]]);
}

/** The RUNs of a stream that run a command with one of `names`, in file order. */
export function sitesRunning(stream: Stream, names: Names): RunSite[] {
  const by = commandsByName(stream);
  const seqs = named(by, names);
  const out: RunSite[] = [];
  for (let i = 0; i < seqs.length; i++) {
    const site = by.sites[seqs[i]];
    if (!out.length || out[out.length - 1] !== site) out.push(site);
  }
  return out;
}

/** `sitesRunning` over the streams a rule judges. */
export function runSitesRunning(ctx: RuleContext, withOnbuild: boolean, names: Names): RunSite[] {
  return streamsOf(ctx, withOnbuild).flatMap((stream) => sitesRunning(stream, names));
}
