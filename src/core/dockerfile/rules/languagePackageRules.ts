import { type Rule } from '../rule';
import { eachCommand, sitesRunning } from '../runCommands';
import { appendFix, cacheMounted, commandSpan, insertFix, removesUnder, replaceFix, reportUnpinned, runStreams, uncleaned, type RunSite } from '../runSites';
import { findArg, hasArg, hasFlag, positionals, type Command, type Word } from '../shell';
import { packageRules2 } from './systemPackageRules';

// hadolint's package-manager rules for apt, apk, pip, npm and gem: pin
// versions, answer prompts, keep caches out of layers. Each judges the simple
// commands of every RUN (and, like hadolint, of ONBUILD RUN triggers); a
// finding sits on the first unpinned package or on the command that lacks a
// switch, with a quick fix where the missing switch can simply be added.

const APT_GET = ['apt-get'];
const APT_TAKES_VALUE = ['-t', '--target-release', '-o', '--option', '-c', '--config-file'];

const dl3008: Rule = {
  code: 'DL3008',
  severity: 'warning',
  message: 'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
  commands: APT_GET,
  rationale: 'Unpinned packages install whatever the archive holds on the day of the build, so rebuilds are not reproducible and can break without a change to the Dockerfile.',
  check(ctx) {
    eachCommand(ctx, true, APT_GET, (cmd, site) => {
      if (cmd.name !== 'apt-get' || !hasArg(cmd, 'install')) return;
      // A version (`=`), a release or local path (`/`) or a .deb file all fix what gets installed.
      const packages = positionals(cmd, APT_TAKES_VALUE).filter((w) => w.value !== 'install');
      reportUnpinned(ctx, site, packages, (p) => p.includes('=') || p.includes('/') || p.endsWith('.deb'));
    });
  },
};

const APT_FAMILY = new Set(['apt-get', 'apt', 'aptitude']);

const dl3009: Rule = {
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
        const mounted = cacheMounted(site, '/var/lib/apt/lists') || (cacheMounted(site, '/var/lib/apt') && cacheMounted(site, '/var/cache/apt'));
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

const dl3014: Rule = {
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

const dl3015: Rule = {
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

// pip options whose value is the next word (so it is not mistaken for a package).
const PIP_TAKES_VALUE = [
  '--abi', '-b', '--build', '-c', '--constraint', '-e', '--editable', '--extra-index-url', '-f', '--find-links', '-i', '--index-url',
  '--implementation', '--no-binary', '--only-binary', '--platform', '--prefix', '--progress-bar', '--proxy', '--python-version',
  '--python', '--root', '--root-user-action', '--src', '-t', '--target', '--trusted-host', '--upgrade-strategy', '--cache-dir',
  '--log', '--timeout', '--retries', '--exists-action', '--cert', '--client-cert', '--global-option', '--config-settings', '-C',
  '--report', '--pip-args', '--suffix',
];
const VCS_SCHEMES = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/;

/** Names isPipInstall can accept. */
const mayBePip = (name: string) => name.startsWith('pip') || name.startsWith('python');

/** `pip install`, `pip3 install`, `pipx install`, `python -m pip install`. */
function isPipInstall(cmd: Command): boolean {
  if (cmd.name.startsWith('pip')) return hasArg(cmd, 'install');
  if (!cmd.name.startsWith('python')) return false;
  const v = cmd.args.map((a) => a.value);
  return v.some((x, i) => x === '-m' && v[i + 1] === 'pip' && v[i + 2] === 'install');
}

function pipPinned(p: string): boolean {
  if (['==', '>=', '<=', '>', '<', '!=', '~=', '==='].some((s) => p.includes(s))) return true;
  if (VCS_SCHEMES.test(p)) return p.includes('@');
  return p.endsWith('.whl') || p.endsWith('.tar.gz') || p.includes('/');
}

const dl3013: Rule = {
  code: 'DL3013',
  severity: 'warning',
  message: 'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
  commands: mayBePip,
  rationale: 'Unpinned Python packages resolve to the newest release at build time, so the same Dockerfile can produce different images.',
  check(ctx) {
    eachCommand(ctx, true, mayBePip, (cmd, site) => {
      // pipenv installs what its lock file says.
      if (!isPipInstall(cmd) || cmd.name.startsWith('pipenv')) return;
      const args = cmd.args.map((a) => a.value);
      if (args.some((a) => a === '-r' || a === '--requirement' || a.startsWith('--requirement=') || a === '.')) return;
      if (hasFlag(cmd, '-c', '--constraint')) return;
      const words = positionals(cmd, PIP_TAKES_VALUE);
      const from = words.findIndex((w) => w.value === 'install');
      const packages = words.slice(from + 1).filter((w) => w.value !== 'install');
      reportUnpinned(ctx, site, packages, pipPinned);
    });
  },
};

const NPM_TAKES_VALUE = ['--loglevel', '--registry', '--prefix', '--cache', '--userconfig', '--globalconfig', '--tag', '--before', '--workspace', '-w', '--omit', '--include', '--install-strategy'];

function npmPinned(p: string): boolean {
  if (/^git(\+(ssh|https?))?:\/\//.test(p)) return p.includes('#');
  if (['.tar', '.tar.gz', '.tgz'].some((s) => p.endsWith(s))) return true;
  if (['/', './', '../', '~/'].some((s) => p.startsWith(s))) return true;
  // `@scope/name@version`: the scope's @ does not count.
  return (p.startsWith('@') ? p.slice(p.indexOf('/') + 1) : p).includes('@');
}

const dl3016: Rule = {
  code: 'DL3016',
  severity: 'warning',
  message: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
  commands: ['npm'],
  rationale: 'A package named without a version installs the newest release at build time. `npm install` without packages follows package.json and its lock file, so it is fine.',
  check(ctx) {
    eachCommand(ctx, true, ['npm'], (cmd, site) => {
      if (cmd.name !== 'npm') return;
      const words = positionals(cmd, NPM_TAKES_VALUE);
      // Only when install is the npm sub-command (not `npm run install`).
      if (words[0]?.value !== 'install' && words[0]?.value !== 'i') return;
      reportUnpinned(ctx, site, words.slice(1), npmPinned);
    });
  },
};

const APK = ['apk'];
const APK_TAKES_VALUE = ['-t', '--virtual', '--repository', '-X', '--repositories-file', '-p', '--root', '--arch', '--cache-dir', '--keys-dir'];

const dl3018: Rule = {
  code: 'DL3018',
  severity: 'warning',
  message: 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`',
  commands: APK,
  rationale: 'Unpinned Alpine packages follow the repository, so a rebuild can silently pick up a different version.',
  check(ctx) {
    eachCommand(ctx, true, APK, (cmd, site) => {
      if (cmd.name !== 'apk' || !hasArg(cmd, 'add')) return;
      const packages = positionals(cmd, APK_TAKES_VALUE).filter((w) => w.value !== 'add');
      // `=`, `~`, `<`, `>` constrain the version; a local .apk file is fixed.
      reportUnpinned(ctx, site, packages, (p) => /[=~<>]/.test(p) || p.endsWith('.apk'));
    });
  },
};

const dl3019: Rule = {
  code: 'DL3019',
  severity: 'info',
  message: 'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
  commands: APK,
  rationale: 'Without `--no-cache` apk keeps its index and package cache in the layer.',
  check(ctx) {
    eachCommand(ctx, true, APK, (cmd, site) => {
      const add = cmd.name === 'apk' ? findArg(cmd, 'add') : undefined;
      if (!add || hasFlag(cmd, '--no-cache') || cacheMounted(site, '/var/cache/apk')) return;
      ctx.report(site.range(commandSpan(cmd, add)), undefined, insertFix(site, add.end, ' --no-cache', 'Add --no-cache'));
    });
  },
};

// apt sub-commands that belong to apt-cache rather than apt-get.
const APT_CACHE_VERBS = new Set(['search', 'show', 'showpkg', 'policy', 'depends', 'rdepends']);

const dl3027: Rule = {
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

/** gem's packages: the words after install, up to `--`, options (and their values) left out. */
function gems(cmd: Command): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const v = cmd.args[i].value;
    if (v === '--') break;
    if (v.startsWith('-')) {
      // hadolint takes the word after an option as its value, unless written `--opt=value`.
      if (!v.includes('=')) i++;
    } else if (v !== 'install' && v !== 'i') out.push(cmd.args[i]);
  }
  return out;
}

const dl3028: Rule = {
  code: 'DL3028',
  severity: 'warning',
  message: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
  commands: ['gem'],
  rationale: 'A gem named without a version installs the newest release at build time.',
  check(ctx) {
    eachCommand(ctx, true, ['gem'], (cmd, site) => {
      if (cmd.name !== 'gem' || !hasArg(cmd, 'install', 'i')) return;
      if (hasArg(cmd, '-v', '--version') || cmd.args.some((a) => a.value.startsWith('--version='))) return;
      reportUnpinned(ctx, site, gems(cmd), (p) => p.includes(':'));
    });
  },
};

const TRUTHY = /^(1|y|yes|t|true|on)$/i;

/** Is PIP_NO_CACHE_DIR set to a true value for this command (ENV/ARG, `export`, or a prefix assignment)? */
function pipCacheDisabled(site: RunSite, index: number): boolean {
  let value = site.vars.get('PIP_NO_CACHE_DIR');
  const cmds = site.script.commands;
  const assigned = (w: Word) => (w.value.startsWith('PIP_NO_CACHE_DIR=') ? w.value.slice('PIP_NO_CACHE_DIR='.length) : undefined);
  for (let i = 0; i < index; i++) {
    if (cmds[i].name !== 'export' && cmds[i].name !== 'declare') continue;
    for (const a of cmds[i].args) value = assigned(a) ?? value;
  }
  for (const a of cmds[index].assignments) value = assigned(a) ?? value;
  return value !== undefined && TRUTHY.test(value);
}

const dl3042: Rule = {
  code: 'DL3042',
  severity: 'warning',
  message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  commands: mayBePip,
  rationale: "pip keeps downloaded wheels in its cache directory, which then stays in the layer for nothing. pipx and pipenv manage their own environments and are left alone.",
  check(ctx) {
    eachCommand(ctx, true, mayBePip, (cmd, site, index) => {
      if (!isPipInstall(cmd) || cmd.name.includes('pipx') || cmd.name.includes('pipenv')) return;
      if (cmd.args.some((a) => a.value === '--no-cache-dir' || a.value.startsWith('--no-cache-dir='))) return;
      if (pipCacheDisabled(site, index) || site.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target.includes('.cache/pip'))) return;
      const install = findArg(cmd, 'install')!;
      ctx.report(site.range(commandSpan(cmd, install)), undefined, insertFix(site, install.end, ' --no-cache-dir', 'Add --no-cache-dir'));
    });
  },
};

export const packageRules: Rule[] = [dl3008, dl3009, dl3013, dl3014, dl3015, dl3016, dl3018, dl3019, dl3027, dl3028, dl3042, ...packageRules2];
