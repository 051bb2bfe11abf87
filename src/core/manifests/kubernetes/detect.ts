// Whether a parsed YAML document is a Kubernetes object at all. Anything with
// apiVersion and kind qualifies — custom resources included — so callers can
// tell "not Kubernetes" (skip) from "Kubernetes of a kind we have no schema for".

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  [key: string]: unknown;
}

export function isKubernetesObject(doc: unknown): doc is KubernetesObject {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const { apiVersion, kind } = doc as Record<string, unknown>;
  return typeof apiVersion === 'string' && apiVersion !== '' && typeof kind === 'string' && kind !== '';
}
