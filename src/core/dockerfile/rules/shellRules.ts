import { isSpace } from '../model';
import { type Rule } from '../rule';
import { eachCommand, sitesRunning } from '../runCommands';
import { insertFix, runStreams } from '../runSites';
import { hasArg, hasFlag, optionValues, type Command } from '../shell';
import type { Instruction } from '../types';

// hadolint's rules about what RUN scripts do: commands that make no sense in a
// build, sudo and cd, wget/curl habits, symlinking /bin/sh, pipes without
// pipefail, and RUNs that could be one.

const POINTLESS = new Set(['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim', 'ifconfig']);

const dl3001: Rule = {
  code: 'DL3001',
  severity: 'info',
  message: 'For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`',
  commands: POINTLESS,
  rationale: 'Interactive tools and commands that inspect or control running processes do nothing useful while an image is being built.',
  check(ctx) {
    eachCommand(ctx, true, POINTLESS, (cmd, site) => {
      if (POINTLESS.has(cmd.name)) ctx.report(site.range(cmd.nameWord));
    });
  },
};

const dl3003: Rule = {
  code: 'DL3003',
  severity: 'warning',
  message: 'Use WORKDIR to switch to a directory',
  commands: ['cd'],
  rationale: 'A `cd` lasts only until the end of its RUN; WORKDIR states the directory once for every later instruction and is easier to follow.',
  check(ctx) {
    eachCommand(ctx, false, ['cd'], (cmd, site) => {
      if (cmd.name === 'cd') ctx.report(site.range(cmd.nameWord));
    });
  },
};

const dl3004: Rule = {
  code: 'DL3004',
  severity: 'error',
  message: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
  commands: ['sudo'],
  rationale: 'sudo brings TTY and signal-forwarding behaviour that is unpredictable in a build; switch users with USER, or gosu at run time.',
  check(ctx) {
    eachCommand(ctx, true, ['sudo'], (cmd, site) => {
      if (cmd.name === 'sudo') ctx.report(site.range(cmd.nameWord));
    });
  },
};

const dl3046: Rule = {
  code: 'DL3046',
  severity: 'warning',
  message: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  commands: ['useradd'],
  rationale: 'useradd records a large UID in the sparse lastlog/faillog files, which layers store at their full apparent size; `-l` (--no-log-init) skips that.',
  check(ctx) {
    eachCommand(ctx, true, ['useradd'], (cmd, site) => {
      if (cmd.name !== 'useradd' || hasFlag(cmd, '-l', '--no-log-init')) return;
      const uid = optionValues(cmd, '-u', '--uid').find((w) => w.value.length > 5);
      if (uid) ctx.report(site.range(uid), undefined, insertFix(site, cmd.nameWord.end, ' -l', 'Add -l (--no-log-init)'));
    });
  },
};

const dl3047: Rule = {
  code: 'DL3047',
  severity: 'info',
  message: 'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
  commands: ['wget'],
  rationale: "wget's default progress output writes a line per chunk into the build log, bloating it for large downloads.",
  check(ctx) {
    eachCommand(ctx, true, ['wget'], (cmd, site) => {
      if (cmd.name !== 'wget' || hasFlag(cmd, '--progress')) return;
      // Quiet, less verbose or logging to a file: the progress bar is not in the build log.
      if (hasFlag(cmd, '-q', '--quiet', '-o', '--output-file', '-a', '--append-output', '--no-verbose') || hasArg(cmd, '-nv')) return;
      ctx.report(site.range(cmd.nameWord), undefined, insertFix(site, cmd.nameWord.end, ' --progress=dot:giga', 'Add --progress=dot:giga'));
    });
  },
};

const DOWNLOADERS = ['curl', 'wget'];

const dl4001: Rule = {
  code: 'DL4001',
  severity: 'warning',
  message: 'Either use Wget or Curl but not both',
  commands: DOWNLOADERS,
  rationale: 'Installing and using two download tools in one stage adds size and inconsistency; pick one.',
  check(ctx) {
    const streams = runStreams(ctx.model);
    for (const stream of [streams.main, streams.onbuild]) {
      // The tools seen so far in the stage; each RUN that uses one once both were seen is reported.
      let seen = new Set<string>();
      let stage: number | undefined;
      // Only RUNs using one of them matter: a stage change is seen at the next such RUN.
      for (const site of sitesRunning(stream, DOWNLOADERS)) {
        if (site.stage.index !== stage) seen = new Set();
        stage = site.stage.index;
        const uses = site.script.commands.filter((c) => c.name === 'curl' || c.name === 'wget');
        for (const c of uses) seen.add(c.name);
        if (uses.length && seen.size >= 2) ctx.report(site.range(uses[0].nameWord));
      }
    }
  },
};

const dl4005: Rule = {
  code: 'DL4005',
  severity: 'warning',
  message: 'Use SHELL to change the default shell',
  commands: ['ln'],
  rationale: 'Replacing /bin/sh with a symlink changes the shell for everything in the image behind the Dockerfile’s back; the SHELL instruction changes it for RUN explicitly.',
  check(ctx) {
    eachCommand(ctx, true, ['ln'], (cmd, site) => {
      const target = cmd.name === 'ln' ? cmd.args.find((a) => a.value === '/bin/sh') : undefined;
      if (target) ctx.report(site.range(target));
    });
  },
};

/** `set -o pipefail` (or `set -eo pipefail`, ...) given before offset `before`. */
function setsPipefail(cmds: Command[], before: number): boolean {
  return cmds.some((c) => c.name === 'set' && c.start < before && hasFlag(c, '-o') && hasArg(c, 'pipefail'));
}

const PIPEFAIL_SHELL = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';

const dl4006: Rule = {
  code: 'DL4006',
  severity: 'warning',
  message: 'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  keywords: ['RUN'],
  rationale: 'A pipeline fails only if its last command fails; without pipefail, `curl ... | tar x` succeeds even when the download failed. /bin/sh (dash) has no pipefail, so the SHELL must be bash, zsh or ash with `-o pipefail`.',
  check(ctx) {
    const lines = ctx.model.parsed.lines;
    for (const site of runStreams(ctx.model).main.sites) {
      if (site.shell.nonPosix || site.shell.pipefail || site.foreign) continue;
      const pipe = site.script.pipes[0];
      if (!pipe || setsPipefail(site.script.commands, pipe.start)) continue;
      ctx.report(site.range(pipe), undefined, shellFix(site.holder, lines));
    }
  },
};

/** Inserts a bash-with-pipefail SHELL line above the RUN, indented like it. */
function shellFix(run: Instruction, lines: string[]) {
  const line = run.range.start.line;
  // The leading whitespace (`/^\s*/`, scanned by hand: a file can have thousands of these RUNs).
  const text = lines[line] ?? '';
  let end = 0;
  while (end < text.length && isSpace(text.charCodeAt(end))) end++;
  const indent = text.slice(0, end);
  const at = { line, column: 0 };
  return [{ title: 'Set SHELL to bash with -o pipefail before this RUN', edits: [{ range: { start: at, end: at }, newText: `${indent}${PIPEFAIL_SHELL}\n` }] }];
}

const dl3059: Rule = {
  code: 'DL3059',
  severity: 'info',
  message: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  keywords: ['RUN'],
  rationale: 'Each RUN adds a layer; single commands in a row can usually share one. RUNs that already chain several commands, or that use different --mount/--network flags, are taken as deliberate and left alone.',
  check(ctx) {
    // The build's sites are the RUNs of the instructions, in order: the next RUN's is the next site.
    const sites = runStreams(ctx.model).main.sites;
    let next = 0;
    let previous: { flags: string; commands: number } | undefined;
    // Comments are not instructions, so they do not break a run of RUNs; anything else does.
    const list = ctx.model.instructions;
    for (let k = 0; k < list.length; k++) {
      const ins = list[k];
      const site = ins.keyword === 'RUN' ? sites[next++] : undefined;
      if (!site) {
        previous = undefined;
        continue;
      }
      const current = { flags: ins.flags.length ? ins.flags.map((f) => `${f.name}=${f.value ?? ''}`).sort().join(' ') : '', commands: site.script.commands.length };
      if (previous && previous.flags === current.flags && previous.commands <= 1 && current.commands <= 1) ctx.report(ins.keywordRange);
      else previous = current;
    }
  },
};

export const shellRules: Rule[] = [dl3001, dl3003, dl3004, dl3046, dl3047, dl3059, dl4001, dl4005, dl4006];
