import { type Rule, type Stage } from '../rule';
import type { Fix, Instruction } from '../types';
import { dl3025, instructionRules2 } from './containerCommandRules';
import { dl3000 } from './workdir';
import { dropQuotes, fromRefs, groupByStage, instructionsOf, lineage, matchesPattern, parseImageRef, restWords, shellCommands, stageByRef, usedStages, walk, type Placed } from './instructionUtil';

// hadolint's rules about instructions and stages (FROM, USER, COPY/ADD, EXPOSE,
// WORKDIR, ...). Where BuildKit has the same concept the rule carries its name
// as an alias, so one finding answers to both codes.

const isRootUser = (u: string) => u === 'root' || u === '0' || u.startsWith('root:') || u.startsWith('0:');

const dl3002: Rule = {
  code: 'DL3002',
  severity: 'warning',
  message: 'Last USER should not be root.',
  keywords: ['USER'],
  rationale: 'A container that runs as root gives an attacker who escapes the process full control of the container. Only the images the build produces matter: stages used as a base or by COPY --from may stay root.',
  check(ctx) {
    const users = instructionsOf(ctx.model, 'USER');
    if (!users.length) return;
    // The last USER of each stage (-1: before the first FROM); the one in force
    // at the end of a stage is its own or, failing that, its base stage's.
    const lastUser = new Map<number, Instruction>();
    for (const { instruction, stage } of users) lastUser.set(stage?.index ?? -1, instruction);
    const used = usedStages(ctx.model);
    const judged = [lastUser.get(-1)];
    for (const stage of ctx.model.stages) if (!used.has(stage)) judged.push(lineage(stage).map((s) => lastUser.get(s.index)).find(Boolean));
    const reported = new Set<Instruction>();
    for (const user of judged) {
      if (!user || reported.has(user) || !isRootUser(dropQuotes(user.rest.trim()))) continue;
      reported.add(user);
      ctx.report(user.argsRange);
    }
  },
};

const dl3006: Rule = {
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

const dl3007: Rule = {
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

const ARCHIVE_EXTENSIONS = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];
const isArchive = (p: string) => {
  const path = dropQuotes(p);
  return ARCHIVE_EXTENSIONS.some((ext) => path.endsWith(ext));
};
const basename = (p: string) => dropQuotes(p).replace(/^.*[/\\]/, '');
const DECOMPRESSORS = new Set(['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat']);

const dl3010: Rule = {
  code: 'DL3010',
  severity: 'info',
  message: 'Use ADD for extracting archives into an image',
  keywords: ['COPY'],
  rationale: 'COPY of an archive followed by extracting it in RUN keeps the archive in a layer; ADD extracts local archives in one step.',
  check(ctx) {
    if (!instructionsOf(ctx.model, 'COPY').length) return; // archives come from COPY
    for (const group of groupByStage(ctx.model).values()) {
      // Archive basename → the COPY that brought it in.
      const archives: Array<{ name: string; copy: Instruction }> = [];
      const flagged = new Set<Instruction>();
      for (let k = 0; k < group.length; k++) {
        const ins = group[k].instruction;
        if (ins.keyword === 'COPY' && !ins.flags.some((f) => f.name === 'from')) {
          const paths = ins.json ?? restWords(ins).map((w) => dropQuotes(w.raw)); // backslashes kept: Windows paths
          if (paths.length < 2) continue;
          const dest = paths[paths.length - 1];
          const names = isArchive(dest) ? [basename(dest)] : paths.slice(0, -1).filter(isArchive).map(basename);
          for (const name of names) archives.push({ name, copy: ins });
        } else if (ins.keyword === 'RUN' && archives.length) {
          for (const cmd of shellCommands(ins)) {
            const extracts = (cmd.name === 'tar' && cmd.args.some((a) => a === '--extract' || a === '--get' || /^-[^-]*x/.test(a))) || DECOMPRESSORS.has(cmd.name);
            if (!extracts) continue;
            const operands = new Set(cmd.args.filter((a) => !a.startsWith('-')).map(basename));
            for (const a of archives) if (operands.has(a.name)) flagged.add(a.copy);
          }
        }
      }
      for (const copy of flagged) ctx.report(copy.argsRange);
    }
  },
};

const dl3011: Rule = {
  code: 'DL3011',
  severity: 'error',
  message: 'Valid UNIX ports range from 0 to 65535',
  keywords: ['EXPOSE'],
  rationale: 'A port outside 0–65535 cannot be exposed; the number is a typo.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'EXPOSE')) {
      for (const w of restWords(ins)) {
        const port = w.text.replace(/\/\w*$/, '');
        const m = /^(\d+)(?:-(\d+))?$/.exec(port);
        if (m && (Number(m[1]) > 65535 || (m[2] !== undefined && Number(m[2]) > 65535))) ctx.report(w.range);
      }
    }
  },
};

/** CMD, ENTRYPOINT and HEALTHCHECK: only the last of a stage takes effect. */
function singleInstructionRule(code: string, keyword: string, severity: Rule['severity'], message: string): Rule {
  return {
    code,
    aliases: ['MultipleInstructionsDisallowed'],
    severity,
    message,
    keywords: [keyword],
    rationale: `Only the last ${keyword} of a stage takes effect; the earlier ones are dead code that misleads readers.`,
    check(ctx) {
      // Flagged at the repeats, where hadolint reports (so existing `# hadolint
      // ignore=` comments keep working); BuildKit marks the overridden ones instead.
      let previous: Placed | undefined;
      for (const p of instructionsOf(ctx.model, keyword)) {
        if (previous && previous.stage === p.stage) {
          const ins = p.instruction;
          ctx.report(ins.keywordRange, `Multiple ${keyword} instructions in one stage: this one overrides the ${keyword} on line ${previous.instruction.range.start.line + 1}; only the last takes effect.`);
        }
        previous = p;
      }
    },
  };
}

const dl3012 = singleInstructionRule('DL3012', 'HEALTHCHECK', 'error', 'Multiple `HEALTHCHECK` instructions.');
const dl4003 = singleInstructionRule('DL4003', 'CMD', 'warning', 'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect');
const dl4004 = singleInstructionRule('DL4004', 'ENTRYPOINT', 'error', 'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect');

/** Flags COPY also accepts, so ADD → COPY keeps the instruction valid. */
const COPY_COMPATIBLE_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);
const isRemote = (src: string) => /^(https?|git|ssh):\/\//i.test(dropQuotes(src)) || /^git@/.test(dropQuotes(src));

const dl3020: Rule = {
  code: 'DL3020',
  severity: 'error',
  message: 'Use COPY instead of ADD for files and folders',
  keywords: ['ADD'],
  rationale: 'ADD also fetches URLs and unpacks archives; for plain files COPY says what it does and has no surprises.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'ADD')) {
      const paths = ins.json ?? restWords(ins).map((w) => w.raw);
      if (paths.length < 2) continue;
      if (paths.slice(0, -1).every((src) => isArchive(src) || isRemote(src))) continue;
      const fixes: Fix[] = ins.flags.every((f) => COPY_COMPATIBLE_FLAGS.has(f.name))
        ? [{ title: 'Replace ADD with COPY', edits: [{ range: ins.keywordRange, newText: ins.rawKeyword === ins.rawKeyword.toLowerCase() ? 'copy' : 'COPY' }] }]
        : [];
      ctx.report(ins.keywordRange, undefined, fixes);
    }
  },
};

const dl3021: Rule = {
  code: 'DL3021',
  severity: 'error',
  message: 'COPY with more than 2 arguments requires the last argument to end with /',
  keywords: ['COPY'],
  rationale: 'Several sources are copied into a directory; without the trailing slash the destination is ambiguous and the build fails.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'COPY')) {
      if (ins.json) {
        if (ins.json.length > 2 && !ins.json[ins.json.length - 1].endsWith('/')) ctx.report(ins.argsRange);
        continue;
      }
      const words = restWords(ins);
      const dest = words[words.length - 1];
      if (words.length > 2 && !dropQuotes(dest.raw).endsWith('/')) ctx.report(dest.range);
    }
  },
};

/** A `--from` value that is an image reference rather than a stage (BuildKit pulls those). */
const looksLikeImage = (ref: string) => /[/:@]/.test(ref) || ref.includes('$');

const dl3022: Rule = {
  code: 'DL3022',
  severity: 'warning',
  message: 'COPY --from should reference a previously defined FROM alias',
  keywords: ['COPY'],
  rationale: 'A --from that names no earlier stage is pulled as an image instead, which is rarely what was meant.',
  check(ctx) {
    for (const { instruction: ins, stage } of instructionsOf(ctx.model, 'COPY')) {
      const from = ins.flags.find((f) => f.name === 'from');
      if (!from?.value || looksLikeImage(from.value)) continue;
      const here = stage?.index ?? 0;
      const self = /^\d+$/.test(from.value) ? stage !== undefined && Number(from.value) === here : stage?.name?.toLowerCase() === from.value.toLowerCase();
      if (self) continue; // DL3023's case
      if (!stageByRef(ctx.model, from.value, here)) ctx.report(from.range);
    }
  },
};

const dl3023: Rule = {
  code: 'DL3023',
  severity: 'error',
  message: '`COPY --from` cannot reference its own `FROM` alias',
  keywords: ['COPY'],
  rationale: 'A stage cannot copy from itself; the build fails with a circular reference.',
  check(ctx) {
    for (const { instruction: ins, stage } of instructionsOf(ctx.model, 'COPY')) {
      const from = ins.flags.find((f) => f.name === 'from')?.value;
      if (!stage || !from) continue;
      const self = /^\d+$/.test(from) ? Number(from) === stage.index : stage.name?.toLowerCase() === from.toLowerCase();
      if (self) ctx.report(ins.flags.find((f) => f.name === 'from')!.range);
    }
  },
};

const dl3024: Rule = {
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

const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'hub.docker.com'];

const dl3026: Rule = {
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

const dl3029: Rule = {
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

export const instructionRules: Rule[] = [dl3000, dl3002, dl3006, dl3007, dl3010, dl3011, dl3012, dl3020, dl3021, dl3022, dl3023, dl3024, dl3025, dl3026, dl3029, dl4003, dl4004, ...instructionRules2];
