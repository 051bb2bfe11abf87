import { DOCKER_HUB_API, DOCKER_HUB_AUTH_KEY, DOCKER_HUB_HOST, authConfigKey, hostOf, isLoopbackHost } from './registryRef';
import { RegistryError } from './registryError';

// The registries a user adds are V2 API base URLs. Docker Hub is a preset: its
// references say docker.io, its API answers at registry-1.docker.io and its
// credentials are kept under https://index.docker.io/v1/.

export interface RegistryEndpoint {
  /** What the user sees: "Docker Hub", "127.0.0.1:5000". */
  name: string;
  /** API base without a trailing slash: "https://registry-1.docker.io", "http://127.0.0.1:5000". */
  url: string;
  /** The host image references use: "docker.io", "127.0.0.1:5000". */
  host: string;
  /** The key credentials are kept under (config.json, helpers, SecretStorage). */
  authKey: string;
}

export const DOCKER_HUB: RegistryEndpoint = { name: 'Docker Hub', url: DOCKER_HUB_API, host: DOCKER_HUB_HOST, authKey: DOCKER_HUB_AUTH_KEY };
export const REGISTRY_PRESETS: readonly RegistryEndpoint[] = [DOCKER_HUB];

/**
 * A registry as the user typed it: a URL ("https://reg.example:5000", with or
 * without /v2/), or a bare host ("reg.example", "localhost:5000", "docker.io").
 * A bare loopback host means plain HTTP, any other HTTPS.
 */
export function parseRegistryUrl(input: string): RegistryEndpoint {
  const text = input.trim();
  if (!text) throw new RegistryError('protocol', 'A registry address is empty.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${isLoopbackHost(hostOf(text)) ? 'http' : 'https'}://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RegistryError('protocol', `"${text}" is not a registry address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RegistryError('protocol', `"${text}": registries are reached over http or https.`);
  // Credentials in a URL would end up in settings and logs: refuse them.
  if (url.username || url.password) throw new RegistryError('protocol', `"${hostOf(text)}": put credentials in the credential store, not in the registry address.`, [url.password]);
  const host = url.host.toLowerCase();
  if (authConfigKey(host) === DOCKER_HUB_AUTH_KEY) return DOCKER_HUB;
  const base = url.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  return { name: host, url: `${url.protocol}//${host}${base}`, host, authKey: authConfigKey(host) };
}

/** The endpoint for the registry of an image reference (docker.io → Hub). */
export function endpointForHost(host: string): RegistryEndpoint {
  return parseRegistryUrl(host);
}
