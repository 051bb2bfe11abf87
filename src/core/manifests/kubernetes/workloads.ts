// Where pods live in workload objects, and the small pieces of Kubernetes
// semantics the Berth rules need (image references, label selectors).

import type { ValuePath } from '../types';
import type { KubernetesObject } from './detect';

export type Mapping = Record<string, unknown>;

export const isMapping = (value: unknown): value is Mapping => !!value && typeof value === 'object' && !Array.isArray(value);

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export const apiGroup = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

const TEMPLATE = ['spec', 'template', 'spec'];

// Keyed by group and kind: any version has the pod spec in the same place.
const POD_SPEC_PATHS: Record<string, ValuePath> = {
  '|Pod': ['spec'],
  '|ReplicationController': TEMPLATE,
  'apps|Deployment': TEMPLATE,
  'apps|StatefulSet': TEMPLATE,
  'apps|DaemonSet': TEMPLATE,
  'apps|ReplicaSet': TEMPLATE,
  'extensions|Deployment': TEMPLATE,
  'extensions|DaemonSet': TEMPLATE,
  'extensions|ReplicaSet': TEMPLATE,
  'batch|Job': TEMPLATE,
  'batch|CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  'serving.knative.dev|Service': TEMPLATE,
  'serving.knative.dev|Configuration': TEMPLATE,
  'serving.knative.dev|Revision': ['spec'],
};

/** Kinds whose spec.selector is a LabelSelector over spec.template's pods. */
const SELECTS_TEMPLATE = new Set(['apps|Deployment', 'apps|StatefulSet', 'apps|DaemonSet', 'apps|ReplicaSet', 'extensions|Deployment', 'extensions|DaemonSet', 'extensions|ReplicaSet', 'batch|Job']);

/** Long-running controllers, whose containers should have probes. */
const LONG_RUNNING = new Set(['apps|Deployment', 'apps|StatefulSet', 'apps|DaemonSet', 'extensions|Deployment', 'extensions|DaemonSet']);

export interface ContainerSite {
  container: Mapping;
  path: ValuePath;
  init: boolean;
  /** How messages name it: `Container "web"`, `Init container #2`. */
  label: string;
  /** Where findings about the whole container point: its name value, or the item. */
  anchor: ValuePath;
}

export interface Workload {
  doc: KubernetesObject;
  /** `group|kind`, e.g. `apps|Deployment`. */
  type: string;
  podSpec: Mapping;
  podSpecPath: ValuePath;
  containers: ContainerSite[];
  selectsTemplate: boolean;
  longRunning: boolean;
}

function containerSites(podSpec: Mapping, podSpecPath: ValuePath, field: 'containers' | 'initContainers'): ContainerSite[] {
  const list = podSpec[field];
  if (!Array.isArray(list)) return [];
  const init = field === 'initContainers';
  const sites: ContainerSite[] = [];
  list.forEach((container, index) => {
    if (!isMapping(container)) return;
    const path = [...podSpecPath, field, index];
    const named = typeof container.name === 'string' && container.name !== '';
    const noun = init ? 'Init container' : 'Container';
    sites.push({
      container,
      path,
      init,
      label: named ? `${noun} "${container.name}"` : `${noun} #${index + 1}`,
      anchor: named ? [...path, 'name'] : path,
    });
  });
  return sites;
}

/** The workload's pod spec and containers; undefined for objects that run no pods. */
export function workloadOf(doc: KubernetesObject): Workload | undefined {
  const type = `${apiGroup(doc.apiVersion)}|${doc.kind}`;
  const podSpecPath = POD_SPEC_PATHS[type];
  if (!podSpecPath) return undefined;
  let podSpec: unknown = doc;
  for (const key of podSpecPath) podSpec = isMapping(podSpec) ? podSpec[key as string] : undefined;
  if (!isMapping(podSpec)) return undefined;
  return {
    doc,
    type,
    podSpec,
    podSpecPath,
    containers: [...containerSites(podSpec, podSpecPath, 'initContainers'), ...containerSites(podSpec, podSpecPath, 'containers')],
    selectsTemplate: SELECTS_TEMPLATE.has(type),
    longRunning: LONG_RUNNING.has(type),
  };
}

/**
 * How an image reference pins its version. The tag is after the last colon of
 * the last path component, so a registry port (`localhost:5000/app`) is not one.
 */
export function imagePin(image: string): { kind: 'digest' } | { kind: 'tag'; tag: string } | { kind: 'none' } {
  if (image.includes('@')) return { kind: 'digest' };
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon < 0 ? { kind: 'none' } : { kind: 'tag', tag: name.slice(colon + 1) };
}

/** Whether one matchExpressions requirement holds for these labels; undefined for an operator we do not know. */
export function expressionMatches(expression: Mapping, labels: Mapping): boolean | undefined {
  const key = expression.key;
  if (typeof key !== 'string') return undefined;
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
  switch (expression.operator) {
    case 'In': return has && values.includes(String(labels[key]));
    case 'NotIn': return !has || !values.includes(String(labels[key]));
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return undefined;
  }
}

export function describeExpression(expression: Mapping): string {
  const values = Array.isArray(expression.values) ? ` (${expression.values.join(', ')})` : '';
  return `${expression.key} ${expression.operator}${values}`;
}
