import * as path from 'node:path';
import { argDeclarations } from '../dockerfile/model';
import { parseDockerfile } from '../dockerfile/parser';

// What a build of a Dockerfile can be asked for, read from its text: the stages
// (for a target picker), the ARGs (for build-argument prompts) and the ports a
// stage EXPOSEs (the defaults of "Run"). Read with the linter's parser, so a
// half-typed Dockerfile still gives what it can.

export interface StageInput {
  index: number;
  /** `AS name`, when the stage has one. */
  name?: string;
  /** The base as written (`busybox:1.35`, `build`, `${BASE}`). */
  base: string;
  /** 0-based line of the FROM. */
  line: number;
}

export interface ArgInput {
  name: string;
  /** The default written in the Dockerfile, if any. */
  default?: string;
  /** The stage the ARG is declared in; undefined for a global ARG (before the first FROM). */
  stage?: number;
  line: number;
}

export interface DockerfileInputs {
  stages: StageInput[];
  args: ArgInput[];
  /** Ports per stage index as EXPOSE writes them: "8080", "53/udp". */
  exposed: string[][];
}

export function dockerfileInputs(text: string): DockerfileInputs {
  const parsed = parseDockerfile(text);
  const stages: StageInput[] = [];
  const args: ArgInput[] = [];
  const exposed: string[][] = [];
  for (const ins of parsed.instructions) {
    const line = ins.range.start.line;
    if (ins.keyword === 'FROM') {
      const words = ins.rest.trim().split(/\s+/);
      const as = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ index: stages.length, base: words[0] ?? '', name: as > 0 ? words[as + 1] : undefined, line });
      exposed.push([]);
    } else if (ins.keyword === 'ARG') {
      const stage = stages.length ? stages.length - 1 : undefined;
      for (const [name, value] of argDeclarations(ins.rest)) if (name) args.push({ name, default: value, stage, line });
    } else if (ins.keyword === 'EXPOSE' && stages.length) {
      exposed[stages.length - 1].push(...ins.rest.split(/\s+/).filter((w) => w && !w.includes('$')));
    }
  }
  return { stages, args, exposed };
}

/** The stage a build of `target` ends with (the last one without a target); undefined when there is none. */
export function targetStage(inputs: DockerfileInputs, target?: string): StageInput | undefined {
  if (!target) return inputs.stages[inputs.stages.length - 1];
  const t = target.toLowerCase();
  return inputs.stages.find((s) => s.name?.toLowerCase() === t);
}

/**
 * The ARGs that can matter to a build of `target`: the global ones and those of
 * the stages up to it. Each name once, its first default kept; BuildKit's
 * predefined proxy and platform args are left out (users never want a prompt for them).
 */
export function buildArgsFor(inputs: DockerfileInputs, target?: string): ArgInput[] {
  const last = targetStage(inputs, target)?.index ?? inputs.stages.length - 1;
  const seen = new Map<string, ArgInput>();
  for (const a of inputs.args) {
    if (a.stage !== undefined && a.stage > last) continue;
    if (PREDEFINED.has(a.name.toUpperCase())) continue;
    const had = seen.get(a.name);
    if (!had) seen.set(a.name, a);
    else if (had.default === undefined && a.default !== undefined) seen.set(a.name, { ...had, default: a.default });
  }
  return [...seen.values()];
}

const PREDEFINED = new Set([
  'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
]);

/**
 * The ports the image of `target` exposes: its own EXPOSEs and those of the
 * stages it is built FROM inside this Dockerfile (an image base's ports are
 * known only after the build; Run reads them from the image then).
 */
export function exposedPorts(inputs: DockerfileInputs, target?: string): string[] {
  const out: string[] = [];
  const visited = new Set<number>();
  for (let s = targetStage(inputs, target); s && !visited.has(s.index); ) {
    visited.add(s.index);
    out.unshift(...inputs.exposed[s.index]);
    const base = s.base.toLowerCase();
    s = inputs.stages.find((o) => o.index < s!.index && o.name?.toLowerCase() === base);
  }
  return [...new Set(out)];
}

/**
 * The tag a build gets when the user names none: the context folder's name as a
 * valid repository name (lower case; runs of other characters become one `-`),
 * tagged `latest`.
 */
export function defaultTag(contextDir: string): string {
  const base = path.basename(path.resolve(contextDir)).toLowerCase();
  const name = base.replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `${name || 'image'}:latest`;
}
