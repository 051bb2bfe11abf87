import type { RegistryCredential } from './credentials';

// The only way a credential reaches the engine: the X-Registry-Auth header of
// push and pull, base64url JSON of Docker's AuthConfig. Padding is kept: the
// engine decodes with Go's base64.URLEncoding, which expects it (docker-modem
// encodes the same way, modem.js).

/** The header value for `credential` at `serverAddress` (host, or Hub's https://index.docker.io/v1/). */
export function encodeRegistryAuth(credential: RegistryCredential | undefined, serverAddress: string): string {
  let config: Record<string, string>;
  if (!credential) config = {};
  else if (credential.kind === 'password') config = { username: credential.username, password: credential.password, serveraddress: serverAddress };
  else if (credential.kind === 'identity-token') config = { identitytoken: credential.identityToken, serveraddress: serverAddress };
  else config = { registrytoken: credential.registryToken, serveraddress: serverAddress };
  return Buffer.from(JSON.stringify(config), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The inverse, for tests and for checking what would be sent (never for logging). */
export function decodeRegistryAuth(header: string): Record<string, string> {
  return JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, string>;
}
