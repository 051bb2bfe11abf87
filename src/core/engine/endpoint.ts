/**
 * Docker engine addresses (the DOCKER_HOST syntax) as a typed value.
 *
 * The rules follow the docker CLI closely so that an address which works in a
 * terminal works in Berth too, with two deliberate differences: a bare
 * `host:port` or `/path` is refused rather than guessed at (the error names the
 * spelling to use instead), and tcp addresses may not carry an API base path,
 * because the Docker client library Berth uses has nowhere to put one.
 */

export interface TlsMaterial {
  caPath?: string;
  certPath?: string;
  keyPath?: string;
  verify: boolean;
}

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsMaterial }
  | { kind: 'ssh'; host: string; user?: string; port?: number }
  | { kind: 'npipe'; pipePath: string };

export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';

// IANA-registered Docker ports; docker picks the TLS one whenever TLS is on.
const PLAIN_PORT = 2375;
const TLS_PORT = 2376;
// Matches docker's behaviour for `tcp://` and `tcp://:port`.
const DEFAULT_TCP_HOST = 'localhost';

const EXPECTED_FORMS =
  'unix:///path/to/docker.sock, tcp://host:port, ssh://[user@]host[:port] or npipe:////./pipe/name';

interface Authority {
  user?: string;
  password?: string;
  host: string;
  port?: number;
}

export function parseDockerHost(value: string, tls?: TlsMaterial): EngineEndpoint {
  const address = value.trim();
  if (address === '') {
    throw new EndpointError(`No Docker engine address was given. Expected ${EXPECTED_FORMS}.`);
  }

  const sep = address.indexOf('://');
  if (sep < 0) {
    throw new EndpointError(bareAddressMessage(address));
  }
  // Schemes are case-insensitive in URLs; docker is stricter, but refusing
  // `TCP://` would only frustrate people without protecting anything.
  const scheme = address.slice(0, sep).toLowerCase();
  const rest = address.slice(sep + 3);

  switch (scheme) {
    case 'unix':
      return { kind: 'unix', socketPath: simplePath(address, rest, 'unix', 'a socket path, e.g. unix:///var/run/docker.sock') };
    case 'npipe':
      return { kind: 'npipe', pipePath: pipePath(address, rest) };
    case 'tcp':
    case 'http':
      return tcpEndpoint(address, rest, tls);
    case 'https':
      // An https:// address is a promise of TLS even without any certificates
      // configured; verifying against the system roots is the safe reading.
      return tcpEndpoint(address, rest, tls ?? { verify: true });
    case 'ssh':
      return sshEndpoint(address, rest);
    case 'fd':
      throw new EndpointError(
        `"${address}" uses fd://, which only the Docker daemon itself can listen on; a client cannot connect to it. Expected ${EXPECTED_FORMS}.`,
      );
    default:
      throw new EndpointError(`"${address}" uses the unsupported scheme "${scheme}://". Expected ${EXPECTED_FORMS}.`);
  }
}

export function formatEndpoint(e: EngineEndpoint): string {
  switch (e.kind) {
    case 'unix':
      return `unix://${e.socketPath}`;
    case 'npipe':
      return `npipe://${e.pipePath}`;
    case 'tcp':
      return `tcp://${bracketHost(e.host)}:${e.port}`;
    case 'ssh': {
      const user = e.user !== undefined ? `${e.user}@` : '';
      const port = e.port !== undefined ? `:${e.port}` : '';
      return `ssh://${user}${bracketHost(e.host)}${port}`;
    }
  }
}

function bareAddressMessage(address: string): string {
  // Newer docker CLIs guess here; a wrong guess would send Berth to the wrong
  // engine silently, so say exactly what to write instead.
  if (address.startsWith('/') || address.startsWith('./')) {
    return `"${address}" has no scheme. If it is a socket path, write unix://${address}. Expected ${EXPECTED_FORMS}.`;
  }
  return `"${address}" has no scheme. If it is a TCP address, write tcp://${address}. Expected ${EXPECTED_FORMS}.`;
}

function simplePath(address: string, rest: string, scheme: string, what: string): string {
  if (rest === '') {
    throw new EndpointError(`"${address}" is missing ${what}.`);
  }
  if (rest.includes('://')) {
    throw new EndpointError(`"${address}" contains a second scheme; expected a single ${scheme}:// prefix.`);
  }
  return rest;
}

function pipePath(address: string, rest: string): string {
  const path = simplePath(address, rest, 'npipe', 'a pipe path, e.g. npipe:////./pipe/docker_engine');
  // Windows only opens pipes spelled \\server\pipe\name (either slash works);
  // catching a typo here beats a confusing ENOENT at connect time.
  if (!/^[\\/]{2}[^\\/]+[\\/]pipe[\\/][^\\/]/.test(path)) {
    throw new EndpointError(
      `"${address}" does not name a Windows named pipe; expected the form npipe:////./pipe/docker_engine.`,
    );
  }
  return path;
}

function tcpEndpoint(address: string, rest: string, tls: TlsMaterial | undefined): EngineEndpoint {
  const auth = parseAuthority(address, rest);
  if (auth.user !== undefined) {
    throw new EndpointError(`"${address}" includes a user name; TCP engine addresses cannot carry credentials.`);
  }
  const host = auth.host === '' ? DEFAULT_TCP_HOST : auth.host;
  const port = auth.port ?? (tls ? TLS_PORT : PLAIN_PORT);
  return tls ? { kind: 'tcp', host, port, tls } : { kind: 'tcp', host, port };
}

function sshEndpoint(address: string, rest: string): EngineEndpoint {
  const auth = parseAuthority(address, rest);
  if (auth.password !== undefined) {
    throw new EndpointError(
      `"${address}" includes a password; ssh:// addresses support only keys or an ssh agent, so remove the ":password" part.`,
    );
  }
  if (auth.host === '') {
    throw new EndpointError(`"${address}" is missing a host name, e.g. ssh://user@example.com.`);
  }
  if (auth.user === '') {
    throw new EndpointError(`"${address}" has an empty user name before "@".`);
  }
  const endpoint: Extract<EngineEndpoint, { kind: 'ssh' }> = { kind: 'ssh', host: auth.host };
  if (auth.user !== undefined) endpoint.user = auth.user;
  if (auth.port !== undefined) endpoint.port = auth.port;
  return endpoint;
}

/** Splits `[user[:password]@]host[:port][/]`, rejecting anything after the authority. */
function parseAuthority(address: string, rest: string): Authority {
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end);

  if (tail.includes('?') || tail.includes('#')) {
    throw new EndpointError(`"${address}" has a query or fragment; engine addresses end after the host and port.`);
  }
  if (tail !== '' && tail !== '/') {
    throw new EndpointError(
      `"${address}" has a path ("${tail}"); engine addresses end after the host and port, e.g. tcp://host:2376.`,
    );
  }

  const result: Authority = { host: '' };
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    hostPort = authority.slice(at + 1);
    const colon = userInfo.indexOf(':');
    if (colon >= 0) {
      result.user = decode(address, userInfo.slice(0, colon));
      result.password = userInfo.slice(colon + 1);
    } else {
      result.user = decode(address, userInfo);
    }
  }

  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) {
      throw new EndpointError(`"${address}" opens an IPv6 bracket "[" without closing it.`);
    }
    result.host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after.startsWith(':')) {
      portText = after.slice(1);
    } else if (after !== '') {
      throw new EndpointError(`"${address}" has unexpected text "${after}" after the IPv6 address.`);
    }
    if (result.host === '') {
      throw new EndpointError(`"${address}" has empty IPv6 brackets.`);
    }
  } else {
    const colons = hostPort.split(':').length - 1;
    if (colons > 1) {
      throw new EndpointError(`"${address}" looks like a bare IPv6 address; put it in brackets, e.g. tcp://[::1]:2375.`);
    }
    const colon = hostPort.indexOf(':');
    result.host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
  }

  if (/[\s\\/@[\]]/.test(result.host)) {
    throw new EndpointError(`"${address}" has an invalid host name "${result.host}".`);
  }
  // Docker treats a trailing "host:" like a missing port, so do the same.
  if (portText !== undefined && portText !== '') {
    result.port = parsePort(address, portText);
  }
  return result;
}

function parsePort(address: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new EndpointError(`"${address}" has an invalid port "${text}"; a port is a number from 1 to 65535.`);
  }
  return port;
}

function decode(address: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new EndpointError(`"${address}" has a badly percent-encoded user name.`);
  }
}

function bracketHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
