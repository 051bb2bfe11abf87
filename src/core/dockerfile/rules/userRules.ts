import { type Rule } from '../rule';
import type { Instruction } from '../types';
import type { Stage } from '../modelTypes';
import { dropQuotes, instructionsOf, usedStages } from './instructionUtil';

// hadolint's rules about USER: the images a build produces should not run as
// root (DL3002), and a numeric ID is understood outside the container too
// (DL3066).

const isRootUser = (u: string) => u === 'root' || u === '0' || u.startsWith('root:') || u.startsWith('0:');

export const dl3002: Rule = {
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
    for (const stage of ctx.model.stages) if (!used.has(stage)) judged.push(lastUserOf(stage, lastUser));
    const reported = new Set<Instruction>();
    for (const user of judged) {
      if (!user || reported.has(user) || !isRootUser(dropQuotes(user.rest.trim()))) continue;
      reported.add(user);
      ctx.report(user.argsRange);
    }
  },
};

export const dl3066: Rule = {
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

/** The stage's last USER, else its nearest ancestor's (a walk up the parents rather than a list of them per stage). */
function lastUserOf(stage: Stage, lastUser: ReadonlyMap<number, Instruction>): Instruction | undefined {
  for (let s: Stage | undefined = stage, child: Stage | undefined; s && (!child || s.index < child.index); child = s, s = s.parent) {
    const user = lastUser.get(s.index);
    if (user) return user;
  }
  return undefined;
}
