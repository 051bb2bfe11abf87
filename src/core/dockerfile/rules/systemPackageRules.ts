import type { Names } from '../modelTypes';
import { type Rule } from '../rule';
import { eachCommand, runSitesRunning, sitesRunning } from '../runCommands';
import { appendFix, cacheMounted, commandSpan, insertFix, removesUnder, replaceFix, reportUnpinned, runStreams, uncleaned } from '../runSites';
import { findArg, hasArg, hasFlag, positionals, type Command } from '../shell';

// hadolint's rules for the system package managers: apt (DL3008, DL3009,
// DL3014, DL3015, DL3027), apk (DL3018, DL3019) and the RPM family: yum, dnf,
// microdnf, zypper (DL3030 to DL3041). Pin versions, answer prompts, keep
// caches out of layers. Each judges the simple commands of every RUN (and,
// like hadolint, of ONBUILD RUN triggers); a finding sits on the first
// unpinned package or on the command that lacks a switch, with a quick fix
// where the missing switch can simply be added. Language package managers
// (pip, npm, yarn, gem, go) are languagePackageRules.ts.

const APT_GET = ['apt-get'];
const APT_TAKES_VALUE = ['-t', '--target-release', '-o', '--option', '-c', '--config-file'];

export const dl3008 = pinRule(
  'DL3008',
  'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
  'apt-get',
  ['install'],
  APT_TAKES_VALUE,
  // A version (`=`), a release or local path (`/`) or a .deb file all fix what gets installed.
  (p) => p.includes('=') || p.includes('/') || p.endsWith('.deb'),
  'Unpinned packages install whatever the archive holds on the day of the build, so rebuilds are not reproducible and can break without a change to the Dockerfile.',
);

const APT_FAMILY = new Set(['apt-get', 'apt', 'aptitude']);
const APT_LISTS = ['/var/lib/apt/lists'];
const APT_LIB = ['/var/lib/apt'];
const APT_CACHE = ['/var/cache/apt'];

export const dl3009: Rule = {
  code: 'DL3009',
  severity: 'info',
  message: 'Delete the apt-get lists after installing something',
  commands: APT_FAMILY,
  rationale: 'The package lists fetched by `apt-get update` stay in the layer and only add size. Removing them in the same RUN (or keeping them in a cache mount) keeps the image small. Stages that never reach an image are not judged.',
  check(ctx) {
    const streams = runStreams(ctx.model);
    for (const stream of [streams.main, streams.onbuild]) {
      for (const site of sitesRunning(stream, APT_FAMILY)) {
        const update = uncleaned(site, (c) => APT_FAMILY.has(c.name) && hasArg(c, 'update'), (c) => removesUnder(c, '/var/lib/apt/lists'));
        const mounted = cacheMounted(site, APT_LISTS) || (cacheMounted(site, APT_LIB) && cacheMounted(site, APT_CACHE));
        if (!update || mounted || !stream.reachesImage(site.stage)) continue;
        ctx.report(site.range(commandSpan(update, findArg(update, 'update'))), undefined, appendFix(site, 'rm -rf /var/lib/apt/lists/*', 'Remove the apt lists at the end of this RUN'));
      }
    }
  },
};

/** `-q` given twice (`-qq`, `-q -q`, `-q=2`, `--quiet --quiet`) implies `--yes` for apt-get. */
function quietLevel(cmd: Command): number {
  let level = 0;
  for (const { value: v } of cmd.args) {
    const set = /^(?:-q|--quiet)=(\d+)$/.exec(v);
    if (set) level += Number(set[1]);
    else if (v === '--quiet') level++;
    else if (/^-[A-Za-z]+$/.test(v)) level += [...v].filter((c) => c === 'q').length;
  }
  return level;
}

export const dl3014: Rule = {
  code: 'DL3014',
  severity: 'warning',
  message: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
  commands: APT_GET,
  rationale: 'A build has no one to answer the confirmation prompt; without `-y` apt-get aborts the install.',
  check(ctx) {
    eachCommand(ctx, true, APT_GET, (cmd, site) => {
      const install = cmd.name === 'apt-get' ? findArg(cmd, 'install') : undefined;
      if (!install || hasFlag(cmd, '-y', '--yes', '--assume-yes') || quietLevel(cmd) >= 2) return;
      ctx.report(site.range(commandSpan(cmd, install)), undefined, insertFix(site, install.end, ' -y', 'Add -y'));
    });
  },
};

export const dl3015: Rule = {
  code: 'DL3015',
  severity: 'info',
  message: 'Avoid additional packages by specifying `--no-install-recommends`',
  commands: APT_GET,
  rationale: 'Recommended packages are installed by default and often pull in much more than the image needs.',
  check(ctx) {
    eachCommand(ctx, true, APT_GET, (cmd, site) => {
      const install = cmd.name === 'apt-get' ? findArg(cmd, 'install') : undefined;
      if (!install || hasFlag(cmd, '--no-install-recommends')) return;
      if (cmd.args.some((a) => /APT::Install-Recommends=(false|0|no)\b/i.test(a.value))) return;
      ctx.report(site.range(commandSpan(cmd, install)), undefined, insertFix(site, install.end, ' --no-install-recommends', 'Add --no-install-recommends'));
    });
  },
};

// apt sub-commands that belong to apt-cache rather than apt-get.
const APT_CACHE_VERBS = new Set(['search', 'show', 'showpkg', 'policy', 'depends', 'rdepends']);

export const dl3027: Rule = {
  code: 'DL3027',
  severity: 'warning',
  message: 'Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead',
  commands: ['apt'],
  rationale: 'apt is designed for interactive use and warns that its command-line interface is not stable; apt-get and apt-cache are meant for scripts.',
  check(ctx) {
    eachCommand(ctx, true, ['apt'], (cmd, site) => {
      if (cmd.name !== 'apt') return;
      const tool = APT_CACHE_VERBS.has(positionals(cmd)[0]?.value ?? '') ? 'apt-cache' : 'apt-get';
      ctx.report(site.range(cmd.nameWord), undefined, replaceFix(site, cmd.nameWord, tool, `Use ${tool}`));
    });
  },
};

const APK = ['apk'];
const APK_CACHE = ['/var/cache/apk'];
const APK_TAKES_VALUE = ['-t', '--virtual', '--repository', '-X', '--repositories-file', '-p', '--root', '--arch', '--cache-dir', '--keys-dir'];

export const dl3018 = pinRule(
  'DL3018',
  'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`',
  'apk',
  ['add'],
  APK_TAKES_VALUE,
  // `=`, `~`, `<`, `>` constrain the version; a local .apk file is fixed.
  (p) => /[=~<>]/.test(p) || p.endsWith('.apk'),
  'Unpinned Alpine packages follow the repository, so a rebuild can silently pick up a different version.',
);

export const dl3019: Rule = {
  code: 'DL3019',
  severity: 'info',
  message: 'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
  commands: APK,
  rationale: 'Without `--no-cache` apk keeps its index and package cache in the layer.',
  check(ctx) {
    eachCommand(ctx, true, APK, (cmd, site) => {
      const add = cmd.name === 'apk' ? findArg(cmd, 'add') : undefined;
      if (!add || hasFlag(cmd, '--no-cache') || cacheMounted(site, APK_CACHE)) return;
      ctx.report(site.range(commandSpan(cmd, add)), undefined, insertFix(site, add.end, ' --no-cache', 'Add --no-cache'));
    });
  },
};

const YUM_TAKES_VALUE = ['--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '--repo', '--repoid', '-c', '--config', '-x', '--exclude', '-d', '--debuglevel', '-e', '--errorlevel', '--downloaddir', '--destdir', '--forcearch'];
const ZYPPER_TAKES_VALUE = ['-t', '--type', '-r', '--repo', '--from'];
const DNF_NAMES = new Set(['dnf', 'microdnf']);
const ZYPPER = ['zypper'];

/** The first of these sub-command words the command has. */
const verb = (cmd: Command, verbs: readonly string[]) => findArg(cmd, ...verbs);

/** A "missing -y" rule: `names` running one of `verbs` without one of `yes`. */
/** "Pin versions": the packages of `<tool> <verb> …` that `pinned` does not accept (one finding each). */
function pinRule(code: string, message: string, tool: string, verbs: readonly string[], takesValue: readonly string[], pinned: (pkg: string) => boolean, rationale: string): Rule {
  const tools = [tool];
  return {
    code,
    severity: 'warning',
    message,
    commands: tools,
    rationale,
    check(ctx) {
      eachCommand(ctx, true, tools, (cmd, site) => {
        if (cmd.name !== tool || !hasArg(cmd, ...verbs)) return;
        const packages = positionals(cmd, takesValue).filter((w) => !verbs.includes(w.value));
        reportUnpinned(ctx, site, packages, pinned);
      });
    },
  };
}

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
        if (cacheMounted(site, cacheDirs)) continue;
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

export const dl3030 = yesRule('DL3030', 'Use the -y switch to avoid manual input `yum install -y <package>`', new Set(['yum']), ['install', 'groupinstall', 'localinstall'], ['-y', '--assumeyes'], 'A build cannot answer the confirmation prompt; without `-y` yum aborts.');

export const dl3032 = cleanRule(
  'DL3032',
  '`yum clean all` missing after yum command.',
  ['yum'],
  (c) => c.name === 'yum' && hasArg(c, 'install', 'groupinstall', 'localinstall', 'reinstall'),
  (c) => (c.name === 'yum' && hasArg(c, 'clean') && hasArg(c, 'all')) || removesUnder(c, '/var/cache/yum'),
  ['/var/cache/yum'],
  'yum leaves metadata and packages in /var/cache/yum; cleaning after the install in the same RUN keeps them out of the layer.',
);

export const dl3033 = rpmPinning('DL3033', 'Specify version with `yum install -y <package>-<version>`.', new Set(['yum']), 'Unpinned packages install whatever the repository holds at build time, so rebuilds are not reproducible.');

export const dl3034 = yesRule(
  'DL3034',
  'Non-interactive switch missing from `zypper` command: `zypper install -y`',
  new Set(['zypper']),
  ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'],
  ['-y', '--no-confirm', '-n', '--non-interactive'],
  'A build cannot answer zypper prompts; `-y` (or the global `-n`) makes it proceed.',
);

export const dl3035: Rule = {
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

export const dl3036 = cleanRule(
  'DL3036',
  '`zypper clean` missing after zypper use.',
  ['zypper'],
  (c) => c.name === 'zypper' && hasArg(c, 'install', 'in'),
  (c) => (c.name === 'zypper' && hasArg(c, 'clean', 'cc')) || removesUnder(c, '/var/cache/zypp'),
  ['/var/cache/zypp'],
  'zypper keeps downloaded packages and metadata in /var/cache/zypp; clean them in the same RUN.',
);

export const dl3037 = pinRule(
  'DL3037',
  'Specify version with `zypper install -y <package>=<version>`.',
  'zypper',
  ['install', 'in'],
  ZYPPER_TAKES_VALUE,
  (p) => /[=<>]/.test(p) || p.endsWith('.rpm'),
  'Unpinned packages install whatever the repository holds at build time.',
);

export const dl3038 = yesRule('DL3038', 'Use the -y switch to avoid manual input `dnf install -y <package>`', DNF_NAMES, ['install', 'in', 'groupinstall', 'localinstall', 'reinstall'], ['-y', '--assumeyes'], 'A build cannot answer the confirmation prompt; without `-y` dnf aborts.');

const DNF_CACHES = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5'];
export const dl3040 = cleanRule(
  'DL3040',
  '`dnf clean all` missing after dnf command.',
  DNF_NAMES,
  (c) => DNF_NAMES.has(c.name) && hasArg(c, 'install', 'in', 'reinstall', 'rei', 'upgrade', 'up', 'update', 'upgrade-minimal', 'up-min', 'groupinstall', 'localinstall'),
  // dnf and microdnf keep separate caches: the tool that installed must clean.
  (c, installed) => (c.name === installed.name && hasArg(c, 'clean') && hasArg(c, 'all')) || removesUnder(c, ...DNF_CACHES),
  DNF_CACHES,
  'dnf keeps metadata and packages in its cache directory; cleaning after the install in the same RUN keeps them out of the layer.',
);

export const dl3041 = rpmPinning('DL3041', 'Specify version with `dnf install -y <package>-<version>`', DNF_NAMES, 'Unpinned packages install whatever the repository holds at build time, so rebuilds are not reproducible.');
