import type { RunSite } from '../modelTypes';
import { type Rule } from '../rule';
import { eachCommand, runSitesRunning, sitesRunning } from '../runCommands';
import { appendFix, commandSpan, insertFix, reportUnpinned, runStreams, uncleaned } from '../runSites';
import { findArg, hasArg, hasFlag, positionals, type Command, type Word } from '../shell';

// hadolint's rules for the language package managers: pip (DL3013, DL3042),
// npm (DL3016), yarn (DL3060), gem (DL3028) and go (DL3062). Pin versions and
// keep caches out of layers, judged like the system package managers
// (systemPackageRules.ts): every RUN and ONBUILD RUN, the finding on the first
// unpinned package or on the command that lacks a switch.

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

export const dl3013: Rule = {
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

export const dl3042: Rule = {
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

const NPM_TAKES_VALUE = ['--loglevel', '--registry', '--prefix', '--cache', '--userconfig', '--globalconfig', '--tag', '--before', '--workspace', '-w', '--omit', '--include', '--install-strategy'];

function npmPinned(p: string): boolean {
  if (/^git(\+(ssh|https?))?:\/\//.test(p)) return p.includes('#');
  if (['.tar', '.tar.gz', '.tgz'].some((s) => p.endsWith(s))) return true;
  if (['/', './', '../', '~/'].some((s) => p.startsWith(s))) return true;
  // `@scope/name@version`: the scope's @ does not count.
  return (p.startsWith('@') ? p.slice(p.indexOf('/') + 1) : p).includes('@');
}

export const dl3016: Rule = {
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

export const dl3060: Rule = {
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

export const dl3028: Rule = {
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

/** `go install`/`go get`/`go run` module paths; for `go run` only the package (what follows is the program's arguments). */
function goPackages(cmds: Command[]): Array<{ cmd: Command; word: Word }> {
  const run = cmds.filter((c) => c.name === 'go' && hasArg(c, 'run')).flatMap((cmd) => positionals(cmd).slice(0, 2).filter((w) => w.value !== 'run').map((word) => ({ cmd, word })));
  // As in hadolint, when a RUN has `go run`, its `go install`/`go get` are not judged.
  if (run.length) return run;
  return cmds.filter((c) => c.name === 'go' && hasArg(c, 'install', 'get')).flatMap((cmd) => positionals(cmd).filter((w) => !['install', 'get', 'tool'].includes(w.value)).map((word) => ({ cmd, word })));
}

const goPinned = (p: string) => p === '.' || p.startsWith('/') || p.startsWith('.') || (p.includes('@') && !/@(latest|none)$/.test(p));

export const dl3062: Rule = {
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
