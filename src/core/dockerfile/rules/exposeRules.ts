import { rangeIn } from '../model';
import { type Rule, type RuleContext } from '../rule';
import type { Instruction } from '../types';
import { listWords } from './buildkitVariableRules';
import { expandWord, type Expansion, lookup, type Resolver, walkStages } from './buildkitVars';
import { instructionsOf, restWords } from './instructionUtil';

// EXPOSE: ports in range (hadolint's DL3011), lowercase protocols and no IP
// address or host port (BuildKit's ExposeProtoCasing, ExposeInvalidFormat).

export const dl3011: Rule = {
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

/** A port of an EXPOSE, with where its word is (the range is made only for ports that are reported). */
interface ExposedPort {
  port: string;
  literal: boolean;
  offset: number;
  length: number;
}

/** Each port of an EXPOSE; variables expanded when their value is known. */
function exposedPorts(ctx: RuleContext, ins: Instruction, resolve: Resolver): ExposedPort[] {
  const out: ExposedPort[] = [];
  for (const w of listWords(ins)) {
    if (!w.text.includes('$')) {
      out.push({ port: w.text, literal: true, offset: w.offset, length: w.text.length });
      continue;
    }
    const e: Expansion = expandWord(w.text, resolve, { escape: ctx.model.parsed.escape, quotes: true });
    for (const port of e.value?.split(/\s+/).filter(Boolean) ?? []) out.push({ port, literal: false, offset: w.offset, length: w.text.length });
  }
  return out;
}

function exposeRule(code: string, message: string, rationale: string, check: (ctx: RuleContext, port: ExposedPort, ins: Instruction) => void): Rule {
  return {
    code,
    buildkit: true,
    severity: 'warning',
    message,
    rationale,
    keywords: ['EXPOSE'],
    check(ctx) {
      walkStages(
        ctx.model,
        (ins, _stage, scope) => {
          for (const p of exposedPorts(ctx, ins, lookup(scope))) check(ctx, p, ins);
        },
        'EXPOSE',
      );
    },
  };
}

export const exposeProtoCasing = exposeRule(
  'ExposeProtoCasing',
  'Protocol in EXPOSE instruction should be lowercase',
  'Protocols are lowercase (tcp, udp, sctp); other spellings are accepted today only because the builder lower-cases them.',
  (ctx, { port, literal, offset, length }, ins) => {
    const slash = port.indexOf('/');
    const proto = slash < 0 ? '' : port.slice(slash + 1);
    if (proto === proto.toLowerCase()) return;
    const fixes = literal ? [{ title: `Change protocol to '${proto.toLowerCase()}'`, edits: [{ range: rangeIn(ins, offset + slash + 1, proto.length), newText: proto.toLowerCase() }] }] : undefined;
    ctx.report(rangeIn(ins, offset, length), `Defined protocol '${port}' in EXPOSE instruction should be lowercase`, fixes);
  },
);

export const exposeInvalidFormat = exposeRule(
  'ExposeInvalidFormat',
  'IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release',
  'EXPOSE only documents a container port; an IP address or host port has no effect there (publishing is decided by `docker run -p`) and will become an error.',
  (ctx, { port, literal, offset, length }, ins) => {
    if (!port.includes(':')) return;
    const range = rangeIn(ins, offset, length);
    const container = port.slice(port.lastIndexOf(':') + 1);
    const fixes = literal && container ? [{ title: `Expose only the container port '${container}'`, edits: [{ range, newText: container }] }] : undefined;
    ctx.report(range, `EXPOSE instruction should not define an IP address or host-port mapping, found '${port}'`, fixes);
  },
);
