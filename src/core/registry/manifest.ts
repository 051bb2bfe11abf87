import { createHash } from 'node:crypto';
import { RegistryError } from './registryError';

// Manifests as the registry serves them: an image manifest (Docker schema 2 or
// OCI) or an index of per-platform manifests (Docker manifest list or OCI
// index). The digest is the registry's Docker-Content-Digest, checked against
// the bytes when a digest was asked for.

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** What a manifest request accepts, indexes first (so a multi-platform tag is seen as such). */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export interface Manifest {
  /** "index" for manifest lists and OCI indexes, "image" for one image. */
  kind: 'index' | 'image';
  mediaType: string;
  digest: string;
  /** Bytes of the manifest itself. */
  size: number;
  /** Index entries (kind "index"). */
  manifests?: Descriptor[];
  /** Image config and layers (kind "image"). */
  config?: Descriptor;
  layers?: Descriptor[];
  /** The parsed JSON, for an inspect view. */
  raw: unknown;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Reads a manifest response's bytes, type and digest. `requested` is the tag or digest asked for. */
export function parseManifest(bytes: Uint8Array, contentType: string | null, headerDigest: string | null, requested: string, where: string): Manifest {
  let raw: { mediaType?: string; schemaVersion?: number; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof raw;
  } catch {
    throw new RegistryError('protocol', `${where}: the manifest is not JSON.`);
  }
  const mediaType = raw.mediaType ?? contentType?.split(';')[0].trim() ?? '';
  const computed = sha256Digest(bytes);
  if (requested.startsWith('sha256:') && computed !== requested) {
    throw new RegistryError('protocol', `${where}: the manifest served for ${requested} hashes to ${computed}.`);
  }
  const digest = headerDigest?.trim() || computed;
  const isIndex = INDEX_TYPES.has(mediaType) || (Array.isArray(raw.manifests) && !raw.layers);
  const base = { mediaType, digest, size: bytes.byteLength, raw };
  if (isIndex) return { ...base, kind: 'index', manifests: (raw.manifests ?? []).map(descriptor) };
  if (raw.schemaVersion === 1) throw new RegistryError('protocol', `${where}: a schema 1 manifest (deprecated, unsupported).`);
  return { ...base, kind: 'image', config: raw.config && descriptor(raw.config), layers: (raw.layers ?? []).map(descriptor) };
}

function descriptor(d: Descriptor): Descriptor {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size, ...(d.platform ? { platform: d.platform } : {}) };
}
