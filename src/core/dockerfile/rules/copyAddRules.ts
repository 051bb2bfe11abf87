import { type Rule } from '../rule';
import type { Fix, Instruction } from '../types';
import { ancestorIn, dropQuotes, eachStageGroup, instructionsOf, restWords, shellCommands, stageByRef, stagesWith } from './instructionUtil';

// hadolint's rules about COPY and ADD: archives copied and then extracted
// (DL3010), ADD where COPY would do (DL3020), destinations (DL3021, DL3045),
// and what `--from` refers to (DL3022, DL3023, DL3067). Sources the
// .dockerignore excludes are BuildKit's CopyIgnoredFile (copyIgnoredFile.ts).

const ARCHIVE_EXTENSIONS = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];
const isArchive = (p: string) => {
  const path = dropQuotes(p);
  return ARCHIVE_EXTENSIONS.some((ext) => path.endsWith(ext));
};
const basename = (p: string) => dropQuotes(p).replace(/^.*[/\\]/, '');
const DECOMPRESSORS = new Set(['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat']);

export const dl3010: Rule = {
  code: 'DL3010',
  severity: 'info',
  message: 'Use ADD for extracting archives into an image',
  keywords: ['COPY'],
  rationale: 'COPY of an archive followed by extracting it in RUN keeps the archive in a layer; ADD extracts local archives in one step.',
  check(ctx) {
    if (!instructionsOf(ctx.model, 'COPY').length) return; // archives come from COPY
    eachStageGroup(ctx.model, (group, from, to) => {
      // Archive basename → the COPY that brought it in.
      const archives: Array<{ name: string; copy: Instruction }> = [];
      let flagged: Set<Instruction> | undefined; // most stages extract nothing
      for (let k = from; k < to; k++) {
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
            for (const a of archives) if (operands.has(a.name)) (flagged ??= new Set()).add(a.copy);
          }
        }
      }
      for (const copy of flagged ?? []) ctx.report(copy.argsRange);
    });
  },
};

/** Flags COPY also accepts, so ADD → COPY keeps the instruction valid. */
const COPY_COMPATIBLE_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);
const isRemote = (src: string) => /^(https?|git|ssh):\/\//i.test(dropQuotes(src)) || /^git@/.test(dropQuotes(src));

export const dl3020: Rule = {
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

export const dl3021: Rule = {
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

const isAbsoluteDest = (d: string) => d.startsWith('/') || d.startsWith('$') || /^[A-Za-z]:[\\/]/.test(d);

export const dl3045: Rule = {
  code: 'DL3045',
  severity: 'warning',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  keywords: ['COPY'],
  rationale: 'A relative destination lands in whatever directory the base image set, which can change between image versions. A WORKDIR set only in the base image cannot be seen here.',
  check(ctx) {
    if (!instructionsOf(ctx.model, 'COPY').length) return;
    const withWorkdir = stagesWith(ctx.model, 'WORKDIR');
    eachStageGroup(ctx.model, (group, from, to) => {
      const stage = group[from].stage;
      let workdir = stage ? ancestorIn(stage, withWorkdir) : false;
      for (let k = from; k < to; k++) {
        const ins = group[k].instruction;
        if (ins.keyword === 'WORKDIR') workdir = true;
        if (workdir || ins.keyword !== 'COPY') continue;
        const words = restWords(ins);
        const dest = ins.json ? ins.json[ins.json.length - 1] : words[words.length - 1]?.raw;
        if (dest === undefined || (ins.json ? ins.json.length : words.length) < 2 || isAbsoluteDest(dropQuotes(dest))) continue;
        ctx.report(ins.json ? ins.argsRange : words[words.length - 1].range);
      }
    });
  },
};

/** A `--from` value that is an image reference rather than a stage (BuildKit pulls those). */
const looksLikeImage = (ref: string) => /[/:@]/.test(ref) || ref.includes('$');

export const dl3022: Rule = {
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

export const dl3023: Rule = {
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

export const dl3067: Rule = {
  code: 'DL3067',
  severity: 'warning',
  message: 'Do not copy an entire filesystem from another stage',
  keywords: ['COPY'],
  rationale: 'Copying `/` to `/` duplicates the whole other image, including files that should not ship.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'COPY')) {
      if (!ins.flags.some((f) => f.name === 'from')) continue;
      const paths = ins.json ?? restWords(ins).map((w) => w.text);
      if (paths.length >= 2 && paths[paths.length - 1] === '/' && paths.slice(0, -1).includes('/')) ctx.report(ins.argsRange);
    }
  },
};
