import { rangeIn } from '../model';
import { type Rule } from '../rule';
import type { Fix, Range } from '../types';
import { dropQuotes, groupByStage, instructionsOf, lineage, pairsOf, restWords, stagesWith, usedStages, walk } from './instructionUtil';
import { dl3064 } from './argEnvRules';

// More of hadolint's instruction rules: exec form, ENV, COPY destinations,
// ONBUILD triggers, stage names and the deprecated MAINTAINER.

/** Shell builtins and keywords: as the first word they need a shell, so exec form would break them. */
const NEEDS_SHELL = new Set(['cd', '.', 'source', 'export', 'set', 'unset', 'eval', 'if', 'for', 'while', 'until', 'case', 'trap', 'ulimit', 'umask', 'alias', 'shift', 'read', 'wait', 'time', 'test', '[']);

/**
 * The exec-form words of a shell-form command that uses no shell feature
 * (expansion, redirection, operators, globbing, assignments), or undefined when
 * converting would change what runs. A leading `exec` is dropped: exec form
 * already replaces the shell.
 */
export function toExecForm(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = command.indexOf('"', i + 1);
      const inner = end < 0 ? '' : command.slice(i + 1, end);
      if (end < 0 || /[$`\\]/.test(inner)) return undefined;
      word = (word ?? '') + inner;
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('$`\\|&;<>()*?[]{}'.includes(c) || (word === undefined && '#~'.includes(c))) {
      return undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  if (words[0] === 'exec') words.shift();
  if (!words.length || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) || NEEDS_SHELL.has(words[0]) || words.includes('!')) return undefined;
  return words;
}

export const dl3025: Rule = {
  code: 'DL3025',
  aliases: ['JSONArgsRecommended'],
  severity: 'warning',
  message: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  keywords: ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'],
  rationale:
    'In shell form the command runs under `/bin/sh -c`, which becomes PID 1 and does not forward signals: `docker stop` waits and then kills the process. Skipped once a SHELL instruction chose the shell (BuildKit does the same).',
  check(ctx) {
    const { model } = ctx;
    if (!instructionsOf(model, 'CMD').length && !instructionsOf(model, 'ENTRYPOINT').length && !instructionsOf(model, 'HEALTHCHECK').length) return;
    const withShell = stagesWith(model, 'SHELL');
    for (const group of groupByStage(model).values()) {
      // A SHELL in an ancestor stage is in the image config this stage starts from.
      let shellSet = group[0].stage ? lineage(group[0].stage).slice(1).some((s) => withShell.has(s.index)) : false;
      for (const { instruction: ins } of group) {
        if (ins.keyword === 'SHELL') shellSet = true;
        if (shellSet) continue;
        let offset: number;
        if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') {
          if (ins.json) continue;
          offset = ins.restOffset;
        } else if (ins.keyword === 'HEALTHCHECK') {
          const m = /^CMD\s+/i.exec(ins.rest);
          if (!m || isJsonArray(ins.rest.slice(m[0].length))) continue;
          offset = ins.restOffset + m[0].length;
        } else continue;
        const command = ins.args.slice(offset).trim();
        if (!command) continue;
        const range = rangeIn(ins, offset, ins.args.length - offset);
        const words = toExecForm(command);
        const fixes: Fix[] = words ? [{ title: 'Convert to exec form (JSON array)', edits: [{ range, newText: `[${words.map((w) => JSON.stringify(w)).join(', ')}]` }] }] : [];
        ctx.report(range, undefined, fixes);
      }
    }
  },
};

function isJsonArray(text: string): boolean {
  try {
    const v = JSON.parse(text.trim()) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

const dl1001: Rule = {
  code: 'DL1001',
  severity: 'info',
  message: 'Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.',
  rationale: 'Teams that want every exception in the shared configuration can forbid inline ignores.',
  optIn: true,
  check(ctx) {
    for (const c of ctx.model.parsed.comments) if (/^hadolint\s+ignore\s*=/i.test(c.text)) ctx.report(c.range);
  },
};

const dl3043: Rule = {
  code: 'DL3043',
  severity: 'error',
  message: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  keywords: ['ONBUILD'],
  rationale: 'Builders reject these as ONBUILD triggers: chaining ONBUILD, or starting a stage or setting a maintainer from a trigger.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'ONBUILD')) {
      const t = ins.trigger;
      if (t && ['ONBUILD', 'FROM', 'MAINTAINER'].includes(t.keyword)) ctx.report(t.keywordRange);
    }
  },
};

/** Blanks single-quoted text and escaped dollars: neither expands in ENV values. */
const expandable = (raw: string) => raw.replace(/'[^']*'?/g, (q) => ' '.repeat(q.length)).replace(/\\\$/g, '  ');

const dl3044: Rule = {
  code: 'DL3044',
  severity: 'error',
  message: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  keywords: ['ENV'],
  rationale: 'Variables in an ENV are expanded with the values from before the instruction, so a reference to a key defined in the same ENV gets the old (often empty) value.',
  check(ctx) {
    if (!instructionsOf(ctx.model, 'ENV').length) return;
    // Like hadolint, a name defined by any earlier ARG or ENV is not a mistake to refer to.
    const defined = new Set<string>();
    for (const { instruction: ins } of walk(ctx.model)) {
      if (ins.keyword === 'ARG') pairsOf(ins).forEach((p) => defined.add(p.key));
      if (ins.keyword !== 'ENV') continue;
      const pairs = pairsOf(ins);
      for (const [i, p] of pairs.entries()) {
        if (defined.has(p.key) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.key)) continue;
        const ref = new RegExp(`\\$(?:\\{${p.key}(?=[}:])|${p.key}(?![A-Za-z0-9_]))`);
        let hit: Range | undefined;
        for (const [j, q] of pairs.entries()) {
          if (j === i || q.rawValue === undefined || q.valueOffset === undefined) continue;
          const text = expandable(q.rawValue);
          const m = ref.exec(text);
          if (m) {
            const close = m[0].startsWith('${') ? text.indexOf('}', m.index) : -1;
            hit = rangeIn(ins, q.valueOffset + m.index, close < 0 ? m[0].length : close - m.index + 1);
            break;
          }
        }
        if (hit) ctx.report(hit, `\`${p.key}\` is defined in this same ENV; the reference gets its value from before the instruction.`);
      }
      pairs.forEach((p) => defined.add(p.key));
    }
  },
};

const isAbsoluteDest = (d: string) => d.startsWith('/') || d.startsWith('$') || /^[A-Za-z]:[\\/]/.test(d);

const dl3045: Rule = {
  code: 'DL3045',
  severity: 'warning',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  keywords: ['COPY'],
  rationale: 'A relative destination lands in whatever directory the base image set, which can change between image versions. A WORKDIR set only in the base image cannot be seen here.',
  check(ctx) {
    if (!instructionsOf(ctx.model, 'COPY').length) return;
    const withWorkdir = stagesWith(ctx.model, 'WORKDIR');
    for (const group of groupByStage(ctx.model).values()) {
      let workdir = group[0].stage ? lineage(group[0].stage).slice(1).some((s) => withWorkdir.has(s.index)) : false;
      for (const { instruction: ins } of group) {
        if (ins.keyword === 'WORKDIR') workdir = true;
        if (workdir || ins.keyword !== 'COPY') continue;
        const words = restWords(ins);
        const dest = ins.json ? ins.json[ins.json.length - 1] : words[words.length - 1]?.raw;
        if (dest === undefined || (ins.json ? ins.json.length : words.length) < 2 || isAbsoluteDest(dropQuotes(dest))) continue;
        ctx.report(ins.json ? ins.argsRange : words[words.length - 1].range);
      }
    }
  },
};

const dl3057: Rule = {
  code: 'DL3057',
  severity: 'info',
  message: '`HEALTHCHECK` instruction missing.',
  rationale: 'Without a HEALTHCHECK the engine only knows whether the process runs, not whether it serves. Checked on the images the build produces (stages nothing else builds on or copies from), counting inherited HEALTHCHECKs.',
  optIn: true,
  check(ctx) {
    const withHealthcheck = stagesWith(ctx.model, 'HEALTHCHECK');
    const used = usedStages(ctx.model);
    for (const stage of ctx.model.stages) {
      if (!used.has(stage) && !lineage(stage).some((s) => withHealthcheck.has(s.index))) ctx.report(stage.from.keywordRange);
    }
  },
};

const dl3061: Rule = {
  code: 'DL3061',
  severity: 'error',
  message: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
  rationale: 'Only ARG may come before the first FROM; builders reject anything else.',
  check(ctx) {
    for (const { instruction: ins, stage } of walk(ctx.model)) {
      if (stage) break; // from the first FROM on, every instruction has its stage
      if (ins.keyword !== 'ARG') ctx.report(ins.keywordRange);
    }
  },
};

const dl3063: Rule = {
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

const dl3065: Rule = {
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

const dl3066: Rule = {
  code: 'DL3066',
  severity: 'info',
  message: 'Non-numeric user-id may not be resolvable by host system',
  keywords: ['USER'],
  rationale: 'A user name is resolved through the image’s /etc/passwd; tools outside the container (and Kubernetes runAsNonRoot) only understand numeric IDs.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'USER')) {
      const user = dropQuotes(ins.rest.trim()).split(':')[0];
      // A variable's value is unknown here (hadolint users reported ARG-driven IDs as false positives).
      if (!user || user.includes('$') || /^\d+$/.test(user)) continue;
      ctx.report(ins.argsRange);
    }
  },
};

const dl3067: Rule = {
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

const dl4000: Rule = {
  code: 'DL4000',
  aliases: ['MaintainerDeprecated'],
  severity: 'error',
  message: 'MAINTAINER is deprecated',
  keywords: ['MAINTAINER'],
  rationale: 'MAINTAINER is deprecated; the `org.opencontainers.image.authors` label carries the same information where tools look for it.',
  check(ctx) {
    for (const { instruction: ins } of instructionsOf(ctx.model, 'MAINTAINER')) {
      const author = ins.rest.trim();
      const value = /^".*"$/.test(author) ? author : `"${author.replace(/["\\]/g, '\\$&')}"`;
      const keyword = ins.rawKeyword === ins.rawKeyword.toLowerCase() ? 'label' : 'LABEL';
      const fixes: Fix[] = author
        ? [{ title: 'Replace with LABEL org.opencontainers.image.authors', edits: [{ range: { start: ins.keywordRange.start, end: ins.argsRange.end }, newText: `${keyword} org.opencontainers.image.authors=${value}` }] }]
        : [];
      ctx.report(ins.keywordRange, undefined, fixes);
    }
  },
};

export const instructionRules2: Rule[] = [dl1001, dl3043, dl3044, dl3045, dl3057, dl3061, dl3063, dl3064, dl3065, dl3066, dl3067, dl4000];
