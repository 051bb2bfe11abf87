// Entry point for Kubernetes manifests: schema findings (K8S001) from the
// OpenAPI validators plus Berth's own workload rules (BK001…).

import type { PathFinding } from '../types';
import type { KubernetesObject } from './detect';
import { KUBERNETES_RULES, type KubernetesRuleInfo, runKubernetesRules } from './rules';
import { SCHEMA_CODE } from './schemaFindings';
import { workloadOf } from './workloads';

export type { KubernetesRuleInfo };

type OpenApi = typeof import('./openapi');
let openApi: OpenApi | undefined;

/**
 * The schema validators, loaded at first use: they are megabytes of compiled
 * code, which the bundler puts in a chunk of their own. Nothing else may import
 * ./openapi statically, or that chunk would load with the extension.
 */
export function loadOpenApi(): OpenApi {
  return (openApi ??= require('./openapi') as OpenApi);
}

/** Every check, for the rule table in the docs. */
export const KUBERNETES_CHECKS: readonly KubernetesRuleInfo[] = [
  { code: SCHEMA_CODE, severity: 'error', description: 'Not valid by the Kubernetes OpenAPI schema (unknown or misspelt key, wrong type, missing required field)' },
  ...KUBERNETES_RULES.map(({ code, severity, description }) => ({ code, severity, description })),
];

/**
 * All findings for one Kubernetes object. Kinds without a built-in schema
 * (custom resources) get no schema findings, and only objects that run pods
 * get rule findings.
 */
export function validateKubernetesObject(doc: KubernetesObject): PathFinding[] {
  const schema = loadOpenApi().validateAgainstOpenApi(doc) ?? [];
  const workload = workloadOf(doc);
  return workload ? [...schema, ...runKubernetesRules(workload)] : schema;
}
