import type { Stage } from '../modelTypes';
import { type Rule } from '../rule';
import type { Instruction } from '../types';
import { fromPlatform } from './buildkitVariableRules';
import { expandWord } from './buildkitVars';
import { fromRefs, matchesPattern, parseImageRef, stageByRef, walk } from './instructionUtil';

// FROM and the stages it starts: the base image's tag (DL3006, DL3007) and
// registry (DL3026), the --platform flag (DL3029, DL3065 /
// RedundantTargetPlatform, BuildKit's FromPlatformFlagConstDisallowed), and
// stage names (DL3024 / DuplicateStageName, DL3063 / ReservedStageName).
// Variables in FROM are buildkitVariableRules.ts; casing is buildkitStyleRules.ts.

export const dl3006: Rule = {
  code: 'DL3006',
  severity: 'warning',
  message: 'Always tag the version of an image explicitly',
  rationale: 'An untagged image means `latest`, which changes under you and makes builds unreproducible.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      // ARG defaults substituted; a variable without a default cannot be judged.
      const image = stage.resolvedImage;
      if (!image || stage.parent || image.toLowerCase() === 'scratch') continue;
      const ref = parseImageRef(image);
      if (ref.tag === undefined && ref.digest === undefined) ctx.report(stage.imageRange);
    }
  },
};

export const dl3007: Rule = {
  code: 'DL3007',
  severity: 'warning',
  message: 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  rationale: '`latest` moves with every release, so the same Dockerfile builds different images over time.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const image = stage.resolvedImage;
      if (!image) continue;
      const ref = parseImageRef(image);
      if (ref.tag === 'latest' && ref.digest === undefined) ctx.report(stage.imageRange);
    }
  },
};

const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'hub.docker.com'];

export const dl3026: Rule = {
  code: 'DL3026',
  severity: 'error',
  message: 'Use only an allowed registry in the FROM image',
  rationale: 'Images from registries outside the trusted list bypass the supply-chain controls the project set up.',
  check(ctx) {
    const trusted = ctx.config.trustedRegistries;
    if (!trusted.length) return;
    const judge = (image: string, range: Instruction['range']) => {
      const ref = parseImageRef(image);
      if (!ref.registry && ref.path.toLowerCase() === 'scratch') return;
      const names = !ref.registry || DOCKER_HUB.includes(ref.registry.toLowerCase()) ? DOCKER_HUB : [ref.registry];
      if (names.some((n) => trusted.some((t) => matchesPattern(n, t)))) return;
      ctx.report(range, `Use only an allowed registry in the FROM image: "${ref.registry ?? 'docker.io'}" is not in trustedRegistries (${trusted.join(', ')}).`);
    };
    for (const stage of ctx.model.stages) {
      // A variable without a default cannot be judged (hadolint users asked not to be flagged there).
      if (stage.parent || stage.resolvedImage === undefined) continue;
      judge(stage.resolvedImage, stage.imageRange);
    }
    for (const { instruction: ins, stage } of walk(ctx.model)) {
      for (const { ref, flag } of fromRefs(ins)) {
        if (ref.includes('$') || !/[/:@]/.test(ref) || stageByRef(ctx.model, ref, stage?.index ?? 0)) continue;
        judge(ref, flag.range);
      }
    }
  },
};

export const dl3029: Rule = {
  code: 'DL3029',
  severity: 'warning',
  message: 'Do not use --platform flag with FROM',
  rationale: 'A hard-coded platform breaks multi-platform builds; $BUILDPLATFORM and $TARGETPLATFORM keep them working.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      if (!flag?.value || /BUILDPLATFORM|TARGETPLATFORM/.test(flag.value)) continue;
      ctx.report(flag.range);
    }
  },
};

export const dl3065: Rule = {
  code: 'DL3065',
  aliases: ['RedundantTargetPlatform'],
  severity: 'warning',
  message: 'Setting FROM --platform to predefined $TARGETPLATFORM in is redundant as this is the default behavior',
  rationale: 'Stages are built for $TARGETPLATFORM by default; saying so adds noise.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const ins = stage.from;
      const k = ins.flags.findIndex((f) => f.name === 'platform' && (f.value === '$TARGETPLATFORM' || f.value === '${TARGETPLATFORM}'));
      if (k < 0) continue;
      const end = ins.flags[k + 1]?.range.start ?? ins.argsPosition(ins.restOffset);
      ctx.report(ins.flags[k].range, undefined, [{ title: 'Remove the redundant --platform', edits: [{ range: { start: ins.flags[k].range.start, end }, newText: '' }] }]);
    }
  },
};

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const KNOWN_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);
const ARCH_ALIASES: Record<string, string> = { i386: '386', x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };

/** `os[/arch[/variant]]` (or a lone OS or architecture) → normalized os and arch; undefined when the builder would reject it. */
export function parsePlatform(spec: string): { os: string; arch: string } | undefined {
  const parts = spec.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) return undefined;
  const os = (p: string) => (p === 'macos' ? 'darwin' : p);
  const arch = (p: string) => ARCH_ALIASES[p] ?? p;
  if (parts.length > 1) return { os: os(parts[0]), arch: arch(parts[1]) };
  if (KNOWN_OS.has(os(parts[0]))) return { os: os(parts[0]), arch: 'amd64' };
  if (KNOWN_ARCH.has(arch(parts[0]))) return { os: 'linux', arch: arch(parts[0]) };
  return undefined;
}

export const fromPlatformFlagConstDisallowed: Rule = {
  code: 'FromPlatformFlagConstDisallowed',
  buildkit: true,
  severity: 'warning',
  message: 'FROM --platform flag should not use a constant value',
  rationale:
    'A hard-coded platform pins the stage to one architecture and defeats multi-platform builds; use $BUILDPLATFORM/$TARGETPLATFORM. A stage whose name mentions the OS or architecture is taken as deliberately platform-specific.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const platform = fromPlatform(stage, ctx.model.parsed.lines);
      if (!platform) continue;
      const e = expandWord(platform.text, () => undefined, { escape: ctx.model.parsed.escape, quotes: true });
      if (e.refs.length || e.value === undefined) continue;
      const p = parsePlatform(e.value);
      const name = (stage.name ?? '').toLowerCase();
      if (!p || name.includes(p.os) || name.includes(p.arch)) continue;
      ctx.report(platform.flag.range, `FROM --platform flag should not use constant value "${e.value}"`);
    }
  },
};

export const dl3024: Rule = {
  code: 'DL3024',
  aliases: ['DuplicateStageName'],
  severity: 'error',
  message: 'FROM aliases (stage names) must be unique',
  rationale: 'With two stages of the same name, COPY --from and FROM pick one silently.',
  check(ctx) {
    const seen = new Map<string, Stage>();
    for (const stage of ctx.model.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const key = stage.name.toLowerCase();
      const first = seen.get(key);
      if (first) ctx.report(stage.nameRange, `Duplicate stage name "${stage.name}" (first defined on line ${first.from.range.start.line + 1}): stage names must be unique.`);
      else seen.set(key, stage);
    }
  },
};

export const dl3063: Rule = {
  code: 'DL3063',
  aliases: ['ReservedStageName'],
  severity: 'warning',
  message: 'Stage name should not be a reserved word',
  rationale: '`scratch` and `context` already mean the empty image and the build context; a stage with that name is ambiguous.',
  check(ctx) {
    for (const stage of ctx.model.stages) {
      const name = stage.name?.toLowerCase();
      if (stage.nameRange && (name === 'scratch' || name === 'context')) ctx.report(stage.nameRange, `Stage name should not be the reserved word "${name}".`);
    }
  },
};
