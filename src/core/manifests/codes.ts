// What each manifest finding code means: the SARIF rule descriptors, the hover
// text and the documentation table come from here.

import { KUBERNETES_CHECKS } from './kubernetes/validateKubernetes';
import type { ManifestSeverity } from './types';

export interface ManifestCode {
  code: string;
  severity: ManifestSeverity;
  /** Short title. */
  message: string;
  /** Why it matters, for hover and SARIF's full description. */
  rationale: string;
  url: string;
}

const SPEC = 'https://docs.docker.com/reference/compose-file/';

const code = (code: string, severity: ManifestSeverity, message: string, rationale: string, url = SPEC): ManifestCode => ({ code, severity, message, rationale, url });

export const COMPOSE_CODES: readonly ManifestCode[] = [
  code('YML001', 'error', 'YAML syntax error', 'The file is not valid YAML at this point; nothing that reads it will get past here.', 'https://yaml.org/spec/1.2.2/'),
  code('CMP001', 'error', 'Compose file structure', 'Compose requires a mapping at the top level and in each section, and string keys everywhere; it stops loading at the first violation.'),
  code('CMP002', 'error', 'Not valid by the Compose specification', 'The value or key does not fit the compose specification (unknown key, wrong type, value outside the allowed set).'),
  code('CMP003', 'error', 'Empty Compose file', 'An empty file defines no project; compose refuses it.'),
  code('CMP011', 'error', 'Undefined reference', 'A service, network, volume, secret or config is used but not defined in the file; compose refuses to load the project.', `${SPEC}services/`),
  code('CMP012', 'error', 'network_mode with networks', 'A service either joins networks or takes another network mode; compose refuses both.', `${SPEC}services/#network_mode`),
  code('CMP013', 'error', 'Bind mount without a source', 'A bind mount mounts a host path; without one the container cannot be created.', `${SPEC}services/#volumes`),
  code('CMP014', 'error', 'depends_on cycle', 'Services that depend on each other in a loop can never be started in order.', `${SPEC}services/#depends_on`),
  code('CMP020', 'error', 'External resource with its own configuration', 'An external network or volume is created outside the project; driver, driver_opts and labels would be ignored, so compose rejects them.'),
  code('CMP021', 'error', 'name and external.name both set', 'external.name is the deprecated spelling of name; with both set compose cannot tell which one is meant.'),
  code('CMP022', 'warning', 'external.name is deprecated', 'Use name: together with external: true.'),
  code('CMP023', 'error', 'Service without image or build', 'Compose needs an image to run or a build context to make one.', `${SPEC}services/#image`),
  code('CMP024', 'error', 'Invalid device request', 'A GPU device request takes either a count ("all" or a number) or device_ids, not both.', `${SPEC}deploy/#devices`),
  code('CMP025', 'error', 'Host port published twice', 'Two containers cannot bind the same host address and port; the second fails to start.', `${SPEC}services/#ports`),
  code('CMP026', 'warning', 'Unquoted port mapping', 'YAML 1.1 readers (docker-compose v1 and many tools) read 22:22 as a base-60 number; quoted strings mean the same everywhere.', `${SPEC}services/#ports`),
  code('CMP030', 'error', 'Invalid interpolation', 'Compose refuses a "$" that does not start a variable; "$$" is a literal dollar sign.', `${SPEC}interpolation/`),
  code('CMP031', 'warning', 'Required variable without a value', '${NAME:?message} makes compose stop when NAME has no value.', `${SPEC}interpolation/`),
  code('CMP032', 'info', 'Variable not set', 'Compose substitutes an empty string for a variable that is set neither in the environment nor in .env.', `${SPEC}interpolation/`),
  code('CMP040', 'error', 'Referenced file does not exist', 'extends.file and include name files that compose must read.', `${SPEC}include/`),
  code('CMP041', 'error', 'Include cycle', 'Files that include each other in a loop cannot be loaded.', `${SPEC}include/`),
];

const K8S_DOCS = 'https://kubernetes.io/docs/concepts/';
const K8S_WHY: Record<string, [rationale: string, url: string]> = {
  K8S001: ['The API server would reject this object: unknown or misspelt key, wrong type or missing required field.', 'https://kubernetes.io/docs/reference/kubernetes-api/'],
  BK001: ['Without requests the scheduler cannot place the pod sensibly, and it is the first to be evicted.', `${K8S_DOCS}configuration/manage-resources-containers/`],
  BK002: ["Without limits one container can take all of a node's memory or CPU.", `${K8S_DOCS}configuration/manage-resources-containers/`],
  BK003: ['A moving tag makes rollouts unrepeatable and rollbacks impossible; pin a version or a digest.', `${K8S_DOCS}containers/images/`],
  BK004: ["hostPath gives the pod the node's filesystem: one bug away from a container escape.", `${K8S_DOCS}storage/volumes/#hostpath`],
  BK005: ["A privileged container has every capability of the node's root user.", `${K8S_DOCS}security/pod-security-standards/`],
  BK006: ["hostNetwork, hostPID and hostIPC share the node's namespaces with the pod.", `${K8S_DOCS}security/pod-security-standards/`],
  BK007: ['Without a liveness probe a hung process is never restarted.', `${K8S_DOCS}configuration/liveness-readiness-startup-probes/`],
  BK008: ['Without a readiness probe traffic reaches pods before they can serve it.', `${K8S_DOCS}configuration/liveness-readiness-startup-probes/`],
  BK009: ['The controller would not own the pods it creates; the API server rejects it.', `${K8S_DOCS}overview/working-with-objects/labels/`],
};

/** The Kubernetes checks' own table (validateKubernetes.ts) with the why and a link for each. */
export const KUBERNETES_CODES: readonly ManifestCode[] = KUBERNETES_CHECKS.map((c) => {
  const [rationale, url] = K8S_WHY[c.code] ?? [c.description, `${K8S_DOCS}`];
  return code(c.code, c.severity, c.description, rationale, url);
});

export const MANIFEST_CODES: readonly ManifestCode[] = [...COMPOSE_CODES, ...KUBERNETES_CODES];

export function manifestCode(code: string): ManifestCode | undefined {
  return MANIFEST_CODES.find((c) => c.code === code);
}
