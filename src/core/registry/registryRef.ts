// Image references (`registry/repo:tag@digest`) with Docker's normalisation
// (distribution/reference normalize.go): a first component that has no "." or
// ":" and is not "localhost" is a Docker Hub path, Hub names without a "/" live
// under library/, and a reference without tag or digest means :latest. Parsing
// is strict so a bad name fails here, with a message, not at the engine.

export const DOCKER_HUB_HOST = 'docker.io';
/** The key Docker keeps Hub credentials under (docker/cli configfile authConfigKey). */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
/** Where Hub's V2 API actually answers. */
export const DOCKER_HUB_API = 'https://registry-1.docker.io';
export const DEFAULT_TAG = 'latest';

export interface ImageRef {
  /** Registry host (and port), normalised: "docker.io", "localhost:5000", "ghcr.io". */
  registry: string;
  /** Repository path inside the registry: "library/nginx", "team/app". */
  repository: string;
  /** The tag; "latest" when the reference named neither tag nor digest. */
  tag?: string;
  digest?: string;
}

export class RefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefError';
  }
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const MAX_NAME = 255;

/** Parses and normalises a reference as `docker pull` would read it. */
export function parseImageRef(input: string): ImageRef {
  const text = input.trim();
  if (!text) throw new RefError('An image reference is empty.');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new RefError(`"${text}": "${digest}" is not a digest (algorithm:hex).`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  // A ":" after the last "/" is a tag; before it, a registry port.
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new RefError(`"${text}": "${tag}" is not a valid tag.`);
  }
  const { registry, repository } = splitRegistry(rest, text);
  if (repository.length > MAX_NAME) throw new RefError(`"${text}": the repository name is longer than ${MAX_NAME} characters.`);
  for (const part of repository.split('/')) {
    if (part !== part.toLowerCase()) throw new RefError(`"${text}": repository names must be lowercase.`);
    if (!COMPONENT.test(part)) throw new RefError(`"${text}": "${part}" is not a valid repository name component.`);
  }
  if (!tag && !digest) tag = DEFAULT_TAG;
  return { registry, repository, tag, digest };
}

function splitRegistry(name: string, original: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let registry: string;
  let repository: string;
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    registry = DOCKER_HUB_HOST;
    repository = name;
  } else {
    registry = first;
    repository = name.slice(slash + 1);
    if (!HOST.test(registry)) throw new RefError(`"${original}": "${registry}" is not a registry host.`);
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB_HOST;
  if (registry === DOCKER_HUB_HOST && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository) throw new RefError(`"${original}": no repository name.`);
  return { registry, repository };
}

/** The fully qualified name: docker.io/library/nginx:latest. */
export function formatRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The name the engine and the user know: "nginx:latest" for Hub's library images, the full name elsewhere. */
export function familiarName(ref: ImageRef): string {
  const name = ref.registry === DOCKER_HUB_HOST ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The name without tag or digest, as the engine's push and pull endpoints take it. */
export function repositoryName(ref: ImageRef): string {
  return ref.registry === DOCKER_HUB_HOST ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`;
}

/** The key credentials for `host` are stored under: Hub's legacy URL, the bare host for everyone else. */
export function authConfigKey(host: string): string {
  const h = hostOf(host);
  return h === DOCKER_HUB_HOST || h === 'index.docker.io' || h === 'registry-1.docker.io' ? DOCKER_HUB_AUTH_KEY : h;
}

/** "https://reg.example:5000/v2/" → "reg.example:5000" (docker/cli ConvertToHostname). */
export function hostOf(urlOrHost: string): string {
  return urlOrHost.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0].toLowerCase();
}

/** Loopback registries speak plain HTTP (dockerd treats 127.0.0.0/8 and ::1 as insecure by default); others HTTPS. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** The V2 API base URL for a registry host. */
export function registryBaseUrl(host: string): string {
  if (authConfigKey(host) === DOCKER_HUB_AUTH_KEY) return DOCKER_HUB_API;
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`;
}
