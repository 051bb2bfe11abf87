import { type Rule } from '../rule';
import { eachCommand, runSitesRunning, sitesRunning, type Names } from '../runCommands';
import { appendFix, cacheMounted, commandSpan, insertFix, removesUnder, reportUnpinned, runStreams, uncleaned } from '../runSites';
import { findArg, hasArg, hasFlag, positionals, type Command, type Word } from '../shell';

// hadolint's rules for the RPM family (yum, dnf, microdnf, zypper), yarn and
// go: answer prompts, pin versions, clean caches in the same RUN.

const YUM_TAKES_VALUE = ['--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '--repo', '--repoid', '-c', '--config', '-x', '--exclude', '-d', '--debuglevel', '-e', '--errorlevel', '--downloaddir', '--destdir', '--forcearch'];
const ZYPPER_TAKES_VALUE = ['-t', '--type', '-r', '--repo', '--from'];
const DNF_NAMES = new Set(['dnf', 'microdnf']);
const ZYPPER = ['zypper'];

/** The first of these sub-command words the command has. */
const verb = (cmd: Command, verbs: readonly string[]) => findArg(cmd, ...verbs);

/** A "missing -y" rule: `names` running one of `verbs` without one of `yes`. */
function yesRule(code: string, message: string, names: ReadonlySet<string>, verbs: readonly string[], yes: readonly string[], rationale: string): Rule {
  return {
    code,
    severity: 'warning',
    message,
    rationale,
    commands: names,
    check(ctx) {
      eachCommand(ctx, true, names, (cmd, site) => {
        const v = names.has(cmd.name) ? verb(cmd, verbs) : undefined;
        if (!v || hasFlag(cmd, ...yes)) return;
        ctx.report(site.range(commandSpan(cmd, v)), undefined, insertFix(site, v.end, ' -y', 'Add -y'));
      });
    },
  };
}

/** A "clean the cache in the same RUN" rule: some install command (one of `tools`) with no cleanup after it. */
function cleanRule(code: string, message: string, tools: Names, isInstall: (c: Command) => boolean, isClean: (c: Command, installed: Command) => boolean, cacheDirs: string[], rationale: string): Rule {
  return {
    code,
    severity: 'warning',
    message,
    rationale,
    commands: tools,
    check(ctx) {
      for (const site of runSitesRunning(ctx, true, tools)) {
        if (cacheMounted(site, ...cacheDirs)) continue;
        const cmd = uncleaned(site, isInstall, isClean);
        if (cmd) ctx.report(site.range(commandSpan(cmd, positionals(cmd)[0])));
      }
    },
  };
}

/**
 * An RPM package spec carries a version when, after its name, the dash-separated
 * parts look like a version (version characters only, one starting with a digit):
 * `gcc-c++-1.1.1`, `openssl-1:1.1.1k`, but not `rpm-sign`. An .rpm file is fixed.
 */
export function rpmPinned(p: string): boolean {
  const parts = p.split('-');
  if (parts.length <= 1) return false;
  if (p.endsWith('.rpm')) return true;
  const rest = parts.slice(1);
  return rest.every((x) => /^[0-9A-Za-z.~^_:+]*$/.test(x)) && rest.some((x) => /^[0-9]/.test(x));
}

/** Pinning for yum/dnf: packages after `install`, or module streams (`name:stream`) after `module install`. */
function rpmPinning(code: string, message: string, names: ReadonlySet<string>, rationale: string): Rule {
  return {
    code,
    severity: 'warning',
    message,
    rationale,
    commands: names,
    check(ctx) {
      eachCommand(ctx, true, names, (cmd, site) => {
        if (!names.has(cmd.name) || !hasArg(cmd, 'install') || hasArg(cmd, 'group', 'groupinstall')) return;
        // @group and @module:stream specs name groups, which carry no version.
        const specs = positionals(cmd, YUM_TAKES_VALUE).filter((w) => w.value !== 'install' && w.value !== 'module' && !w.value.startsWith('@'));
        if (hasArg(cmd, 'module')) reportUnpinned(ctx, site, specs, (p) => p.includes(':'));
        else reportUnpinned(ctx, site, specs, rpmPinned);
      });
    },
  };
}

const dl3030 = yesRule('DL3030', 'Use the -y switch to avoid manual input `yum install -y <package>`', new Set(['yum']), ['install', 'groupinstall', 'localinstall'], ['-y', '--assumeyes'], 'A build cannot answer the confirmation prompt; without `-y` yum aborts.');

const dl3032 = cleanRule(
  'DL3032',
  '`yum clean all` missing after yum command.',
  ['yum'],
  (c) => c.name === 'yum' && hasArg(c, 'install', 'groupinstall', 'localinstall', 'reinstall'),
  (c) => (c.name === 'yum' && hasArg(c, 'clean') && hasArg(c, 'all')) || removesUnder(c, '/var/cache/yum'),
  ['/var/cache/yum'],
  'yum leaves metadata and packages in /var/cache/yum; cleaning after the install in the same RUN keeps them out of the layer.',
);

const dl3033 = rpmPinning('DL3033', 'Specify version with `yum install -y <package>-<version>`.', new Set(['yum']), 'Unpinned packages install whatever the repository holds at build time, so rebuilds are not reproducible.');

const dl3034 = yesRule(
  'DL3034',
  'Non-interactive switch missing from `zypper` command: `zypper install -y`',
  new Set(['zypper']),
  ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'],
  ['-y', '--no-confirm', '-n', '--non-interactive'],
  'A build cannot answer zypper prompts; `-y` (or the global `-n`) makes it proceed.',
);

const dl3035: Rule = {
  code: 'DL3035',
  severity: 'warning',
  message: 'Do not use `zypper dist-upgrade`.',
  commands: ZYPPER,
  rationale: 'A distribution upgrade inside an image build replaces the base image’s packages wholesale; use a newer base image instead.',
  check(ctx) {
    eachCommand(ctx, true, ZYPPER, (cmd, site) => {
      const v = cmd.name === 'zypper' ? findArg(cmd, 'dist-upgrade', 'dup') : undefined;
      if (v) ctx.report(site.range(v));
    });
  },
};

const dl3036 = cleanRule(
  'DL3036',
  '`zypper clean` missing after zypper use.',
  ['zypper'],
  (c) => c.name === 'zypper' && hasArg(c, 'install', 'in'),
  (c) => (c.name === 'zypper' && hasArg(c, 'clean', 'cc')) || removesUnder(c, '/var/cache/zypp'),
  ['/var/cache/zypp'],
  'zypper keeps downloaded packages and metadata in /var/cache/zypp; clean them in the same RUN.',
);

const dl3037: Rule = {
  code: 'DL3037',
  severity: 'warning',
  message: 'Specify version with `zypper install -y <package>=<version>`.',
  commands: ZYPPER,
  rationale: 'Unpinned packages install whatever the repository holds at build time.',
  check(ctx) {
    eachCommand(ctx, true, ZYPPER, (cmd, site) => {
      if (cmd.name !== 'zypper' || !hasArg(cmd, 'install', 'in')) return;
      const packages = positionals(cmd, ZYPPER_TAKES_VALUE).filter((w) => w.value !== 'install' && w.value !== 'in');
      reportUnpinned(ctx, site, packages, (p) => /[=<>]/.test(p) || p.endsWith('.rpm'));
    });
  },
};

const dl3038 = yesRule('DL3038', 'Use the -y switch to avoid manual input `dnf install -y <package>`', DNF_NAMES, ['install', 'in', 'groupinstall', 'localinstall', 'reinstall'], ['-y', '--assumeyes'], 'A build cannot answer the confirmation prompt; without `-y` dnf aborts.');

const DNF_CACHES = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'];
const dl3040 = cleanRule(
  'DL3040',
  '`dnf clean all` missing after dnf command.',
  DNF_NAMES,
  (c) => DNF_NAMES.has(c.name) && hasArg(c, 'install', 'in', 'reinstall', 'rei', 'upgrade', 'up', 'update', 'upgrade-minimal', 'up-min', 'groupinstall', 'localinstall'),
  // dnf and microdnf keep separate caches: the tool that installed must clean.
  (c, installed) => (c.name === installed.name && hasArg(c, 'clean') && hasArg(c, 'all')) || removesUnder(c, ...DNF_CACHES),
  DNF_CACHES,
  'dnf keeps metadata and packages in its cache directory; cleaning after the install in the same RUN keeps them out of the layer.',
);

const dl3041 = rpmPinning('DL3041', 'Specify version with `dnf install -y <package>-<version>`', DNF_NAMES, 'Unpinned packages install whatever the repository holds at build time, so rebuilds are not reproducible.');

const dl3060: Rule = {
  code: 'DL3060',
  severity: 'info',
  message: '`yarn cache clean` missing after `yarn install` was run.',
  commands: ['yarn'],
  rationale: 'yarn’s package cache stays in the layer unless cleaned in the same RUN (or kept in a cache mount). Stages that never reach an image are not judged.',
  check(ctx) {
    const streams = runStreams(ctx.model);
    for (const stream of [streams.main, streams.onbuild]) {
      for (const site of sitesRunning(stream, ['yarn'])) {
        if (site.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && /(^|\/)(\.cache\/)?yarn(\/|$)/.test(m.target))) continue;
        const cmd = uncleaned(site, (c) => c.name === 'yarn' && hasArg(c, 'install'), (c) => c.name === 'yarn' && hasArg(c, 'cache') && hasArg(c, 'clean'));
        if (cmd && stream.reachesImage(site.stage)) ctx.report(site.range(commandSpan(cmd, findArg(cmd, 'install'))), undefined, appendFix(site, 'yarn cache clean', 'Clean the yarn cache at the end of this RUN'));
      }
    }
  },
};

/** `go install`/`go get`/`go run` module paths; for `go run` only the package (what follows is the program's arguments). */
function goPackages(cmds: Command[]): Array<{ cmd: Command; word: Word }> {
  const run = cmds.filter((c) => c.name === 'go' && hasArg(c, 'run')).flatMap((cmd) => positionals(cmd).slice(0, 2).filter((w) => w.value !== 'run').map((word) => ({ cmd, word })));
  // As in hadolint, when a RUN has `go run`, its `go install`/`go get` are not judged.
  if (run.length) return run;
  return cmds.filter((c) => c.name === 'go' && hasArg(c, 'install', 'get')).flatMap((cmd) => positionals(cmd).filter((w) => !['install', 'get', 'tool'].includes(w.value)).map((word) => ({ cmd, word })));
}

const goPinned = (p: string) => p === '.' || p.startsWith('/') || p.startsWith('.') || (p.includes('@') && !/@(latest|none)$/.test(p));

const dl3062: Rule = {
  code: 'DL3062',
  severity: 'warning',
  message: 'Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`',
  commands: ['go'],
  rationale: 'A module path without a version (or with @latest) resolves to whatever is newest at build time. Local paths build what is in the context.',
  check(ctx) {
    for (const site of runSitesRunning(ctx, true, ['go'])) {
      const loose = goPackages(site.script.commands).find((p) => !goPinned(p.word.value));
      if (loose) ctx.report(site.range(loose.word));
    }
  },
};

export const packageRules2: Rule[] = [dl3030, dl3032, dl3033, dl3034, dl3035, dl3036, dl3037, dl3038, dl3040, dl3041, dl3060, dl3062];
