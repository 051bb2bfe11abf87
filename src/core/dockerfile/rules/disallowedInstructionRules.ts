import { type Rule } from '../rule';
import type { Fix } from '../types';
import { instructionsOf, walk } from './instructionUtil';

// hadolint's rules about what does not belong in a Dockerfile: anything but
// ARG before the first FROM (DL3061), ONBUILD, FROM or MAINTAINER as an
// ONBUILD trigger (DL3043), the deprecated MAINTAINER (DL4000 /
// MaintainerDeprecated), and, opt-in, inline ignore pragmas (DL1001).

export const dl3061: Rule = {
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

export const dl3043: Rule = {
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

export const dl4000: Rule = {
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

export const dl1001: Rule = {
  code: 'DL1001',
  severity: 'info',
  message: 'Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.',
  rationale: 'Teams that want every exception in the shared configuration can forbid inline ignores.',
  optIn: true,
  check(ctx) {
    for (const c of ctx.model.parsed.comments) if (/^hadolint\s+ignore\s*=/i.test(c.text)) ctx.report(c.range);
  },
};
