// What "Run Image" asks the engine for, in one shape the editor's prompts fill
// and two outputs read: the Engine API's create body, and the equivalent
// `docker run` line a user can copy (to a README, a script, a colleague).
// Parsing follows the docker CLI's forms so a line typed from habit works.

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface PortMapping {
  hostIp?: string;
  /** Empty: the engine picks a free port. */
  hostPort?: string;
  containerPort: string;
  protocol: Protocol;
}

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface RunSpec {
  image: string;
  name?: string;
  ports: PortMapping[];
  /** `KEY=value` (or `KEY`: passed without a value, as docker does with the CLI's own environment). */
  env: string[];
  /** docker's `-v` form: `source:/path[:ro]`, a named volume or an absolute host path as source. */
  volumes: string[];
  network?: string;
  restart?: RestartPolicy;
  /** Remove the container when it exits (`--rm`). */
  remove: boolean;
  /** Keep stdin open and give it a terminal (`-it`). */
  interactive: boolean;
  command?: string[];
  labels?: Record<string, string>;
}

export class RunSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunSpecError';
  }
}

const PORT = /^\d{1,5}$/;

function checkPort(p: string, what: string, text: string): void {
  if (!PORT.test(p) || Number(p) < 1 || Number(p) > 65535) throw new RunSpecError(`"${text}": the ${what} port must be a number from 1 to 65535.`);
}

/** `80`, `80/udp`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`, `[::1]:8080:80`. */
export function parsePort(text: string): PortMapping {
  const t = text.trim();
  const slash = t.lastIndexOf('/');
  const proto = (slash >= 0 ? t.slice(slash + 1) : 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw new RunSpecError(`"${text}": the protocol is tcp, udp or sctp.`);
  const body = slash >= 0 ? t.slice(0, slash) : t;
  let hostIp: string | undefined;
  let rest = body;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(body);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || (v6 && parts.length !== 2)) throw new RunSpecError(`"${text}" is not a port mapping (forms: 80, 8080:80, 127.0.0.1:8080:80, 80/udp).`);
  const containerPort = parts[parts.length - 1];
  const hostPort = parts.length === 2 ? parts[0] : undefined;
  checkPort(containerPort, 'container', text);
  if (hostPort) checkPort(hostPort, 'host', text);
  if (hostIp !== undefined && !/^[0-9a-fA-F:.]+$/.test(hostIp)) throw new RunSpecError(`"${text}": "${hostIp}" is not an IP address.`);
  return { hostIp: hostIp || undefined, hostPort: hostPort || undefined, containerPort, protocol: proto };
}

export function formatPort(p: PortMapping): string {
  const ip = p.hostIp ? (p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp) : '';
  const host = ip ? `${ip}:${p.hostPort ?? ''}:` : p.hostPort ? `${p.hostPort}:` : '';
  return `${host}${p.containerPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

/**
 * The mapping Run proposes for an EXPOSEd port: the same port on 127.0.0.1, so
 * a container started from the editor is not reachable from the network
 * unless the user widens it (docker's bare `-p 8080:8080` binds every address).
 */
export function defaultMapping(exposed: string): PortMapping {
  const [port, proto = 'tcp'] = exposed.split('/');
  const p = parsePort(`${port}/${proto}`);
  return { ...p, hostIp: '127.0.0.1', hostPort: p.containerPort };
}

const ENV_NAME = /^[^=\s]+$/;

export function checkEnv(entry: string): string {
  const name = entry.split('=')[0];
  if (!ENV_NAME.test(name)) throw new RunSpecError(`"${entry}": an environment entry is NAME=value.`);
  return entry;
}

export function checkVolume(entry: string): string {
  const parts = entry.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1].startsWith('/')) {
    throw new RunSpecError(`"${entry}": a volume is source:/path/in/container[:ro], the source a volume name or an absolute host path.`);
  }
  if (parts[2] !== undefined && !/^(ro|rw|z|Z|ro,z|ro,Z|rw,z|rw,Z)$/.test(parts[2])) throw new RunSpecError(`"${entry}": the options are ro or rw (optionally with z or Z).`);
  return entry;
}

/** Consistency the engine would otherwise reject with a less helpful message. */
export function checkSpec(spec: RunSpec): void {
  if (!spec.image.trim()) throw new RunSpecError('Run needs an image.');
  if (spec.name !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(spec.name)) throw new RunSpecError(`"${spec.name}" is not a container name (letters, digits, _ . -, not first).`);
  if (spec.remove && spec.restart && spec.restart !== 'no') throw new RunSpecError(`A container removed when it exits cannot also restart (${spec.restart}): choose one.`);
  spec.env.forEach(checkEnv);
  spec.volumes.forEach(checkVolume);
}

/** The body of POST /containers/create. */
export function createBody(spec: RunSpec): Record<string, unknown> {
  checkSpec(spec);
  const key = (p: PortMapping) => `${p.containerPort}/${p.protocol}`;
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of spec.ports) (bindings[key(p)] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: p.hostPort ?? '' });
  return {
    Image: spec.image,
    ...(spec.command?.length ? { Cmd: spec.command } : {}),
    Env: spec.env,
    Labels: spec.labels ?? {},
    ExposedPorts: Object.fromEntries(spec.ports.map((p) => [key(p), {}])),
    Tty: spec.interactive,
    OpenStdin: spec.interactive,
    AttachStdin: spec.interactive,
    AttachStdout: spec.interactive,
    AttachStderr: spec.interactive,
    HostConfig: {
      PortBindings: bindings,
      Binds: spec.volumes,
      AutoRemove: spec.remove,
      ...(spec.network ? { NetworkMode: spec.network } : {}),
      ...(spec.restart && spec.restart !== 'no' ? { RestartPolicy: { Name: spec.restart } } : {}),
    },
  };
}

/** POSIX shell quoting, for a line that is shown and copied, never executed by Berth. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `docker run` line that asks the engine for the same container. */
export function dockerRunCommand(spec: RunSpec): string {
  checkSpec(spec);
  const words = ['docker', 'run', spec.interactive ? '-it' : '-d'];
  if (spec.remove) words.push('--rm');
  if (spec.name) words.push('--name', spec.name);
  for (const p of spec.ports) words.push('-p', formatPort(p));
  for (const e of spec.env) words.push('-e', e);
  for (const v of spec.volumes) words.push('-v', v);
  if (spec.network) words.push('--network', spec.network);
  if (spec.restart && spec.restart !== 'no') words.push('--restart', spec.restart);
  for (const [k, v] of Object.entries(spec.labels ?? {})) words.push('--label', `${k}=${v}`);
  words.push(spec.image, ...(spec.command ?? []));
  return words.map(shellQuote).join(' ');
}
