import { cleanPath } from '../../buildcontext/dockerignore';
import { rangeIn } from '../model';
import type { DockerfileModel, Stage } from '../modelTypes';
import { type Rule } from '../rule';
import type { Fix, Instruction } from '../types';
import { expandWord, isWindowsImage, lookup, type Scope, walkStages } from './buildkitVars';
import { dropQuotes, instructionsOf, lineage } from './instructionUtil';

// DL3000 (hadolint) and WorkdirRelativePath (BuildKit): one concept, one rule.
//
// The two tools disagree at the edges, and the merged rule takes from each
// what the other cannot see:
// - Which WORKDIRs: hadolint flags every relative one, BuildKit only the first
//   WORKDIR of a stage chain. Here a relative WORKDIR is reported while no
//   absolute WORKDIR precedes it in the stage or the stages it builds on: that
//   is exactly when the directory it lands in depends on the base image (the
//   concern both tools state). After an absolute one it is anchored, as the
//   Dockerfile reference documents and as BuildKit treats it (hadolint users
//   have reported `WORKDIR /` + `WORKDIR go` as a false alarm); a second
//   relative one after a relative one is still unanchored, as hadolint says.
// - Variables: hadolint takes a path that starts with a variable as absolute,
//   BuildKit expands it. Here it is expanded when the file fixes every value
//   it uses (`ENV D=srv` + `WORKDIR $D/x` is relative for sure), and otherwise
//   given the benefit of the doubt, as hadolint does (a build argument or the
//   base image may make it absolute).
// - Windows drive paths (`C:\`, `C:/`) are absolute for both.
// Both tools' conformance cases agree with this reading.

/** The directory a stage's WORKDIRs lead to, taking the base image's as `/`; null once an absolute WORKDIR anchored it. */
type Workdir = string | null;

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:/.test(p);

/** The scope (variables in force) before each WORKDIR in a stage: only needed for paths that start with a variable. */
function workdirScopes(model: DockerfileModel): Map<Instruction, Scope> {
  const out = new Map<Instruction, Scope>();
  walkStages(model, (ins, _stage, scope) => out.set(ins, scope), 'WORKDIR');
  return out;
}

/** The relative path a WORKDIR sets, when it is relative (undefined: absolute, or possibly absolute). */
function relativePath(raw: string, scope: () => Scope | undefined, escape: string): string | undefined {
  const path = dropQuotes(raw); // hadolint's reading: quotes at either end dropped
  if (!path.startsWith('$')) return isAbsolute(path) ? undefined : path;
  const s = scope();
  if (!s) return undefined;
  const e = expandWord(raw, lookup(s), { escape, quotes: true });
  return e.value && e.refs.every((r) => r.set) && !isAbsolute(e.value) ? e.value : undefined;
}

/**
 * "Make it absolute": the path rewritten as the directory it resolves to when
 * the base image's is `/`, i.e. the earlier (relative) WORKDIRs of the stage
 * chain joined with it, `.` and `..` resolved. A path with variables is
 * prefixed instead, since their values may hold `/` or `..`.
 */
function absoluteFix(ins: Instruction, raw: string, dir: string): Fix[] | undefined {
  const q = raw.length > 1 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]) ? raw[0] : '';
  const inner = q ? raw.slice(1, -1) : raw;
  if (!q && dropQuotes(raw) !== raw) return undefined; // an unbalanced quote: nothing safe to rewrite
  const text = inner.includes('$') ? `${dir === '/' ? '' : dir}/${inner}` : cleanPath(`${dir}/${inner}`);
  const offset = ins.restOffset + (ins.rest.length - ins.rest.trimStart().length);
  return [{ title: `Use the absolute path ${text}`, edits: [{ range: rangeIn(ins, offset, raw.length), newText: q + text + q }] }];
}

/** Where a stage's WORKDIRs left it; a stage without any ends where it started. */
function endOf(ends: ReadonlyMap<Stage | undefined, Workdir>, stage: Stage | undefined): Workdir {
  return ends.has(stage) ? ends.get(stage)! : stage?.parent ? endOf(ends, stage.parent) : '/';
}

/** Windows stages' directories live on a drive, not under `/`: no rewrite is offered there. */
const onWindows = (stage: Stage | undefined) => {
  const root = lineage(stage).pop();
  return !!root && isWindowsImage(root.resolvedImage ?? root.image);
};

export const dl3000: Rule = {
  code: 'DL3000',
  aliases: ['WorkdirRelativePath'],
  severity: 'error',
  message: 'Use absolute WORKDIR.',
  keywords: ['WORKDIR'],
  rationale:
    'A relative WORKDIR lands inside whatever working directory the base image set, which can change upstream. Once an absolute WORKDIR is set in the stage (or the stage it builds on), later relative ones are anchored to it and are fine.',
  check(ctx) {
    const { model } = ctx;
    const escape = model.parsed.escape;
    // Where each stage's WORKDIRs left it (see endOf).
    const ends = new Map<Stage | undefined, Workdir>();
    let scopes: Map<Instruction, Scope> | undefined;
    // File order: a stage's parent comes before it, so its end is known.
    for (const { instruction: ins, stage } of instructionsOf(model, 'WORKDIR')) {
      const raw = ins.rest.trim();
      if (!raw) continue;
      const dir = endOf(ends, stage);
      const rel = relativePath(raw, () => (stage ? (scopes ??= workdirScopes(model)).get(ins) : undefined), escape);
      if (rel === undefined) {
        ends.set(stage, null);
        continue;
      }
      if (dir === null) continue; // anchored by an earlier absolute WORKDIR
      ends.set(stage, cleanPath(`${dir}/${rel}`));
      const fixes = onWindows(stage) ? undefined : absoluteFix(ins, raw, dir);
      ctx.report(ins.argsRange, `Use absolute WORKDIR: relative workdir "${rel}" can have unexpected results if the base image changes`, fixes);
    }
  },
};
