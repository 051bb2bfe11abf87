// Berth's own checks on Kubernetes workloads: valid by the schema, but likely
// to hurt in production. All are warnings; they run on every object that has a
// pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob, Knative Service/Configuration/Revision).

import type { ManifestSeverity, PathFinding, ValuePath } from '../types';
import { type Mapping, type Workload, describeExpression, expressionMatches, imagePin, isMapping } from './workloads';

export interface KubernetesRuleInfo {
  code: string;
  severity: ManifestSeverity;
  /** One line for the rule table in the docs. */
  description: string;
}

type Report = (path: ValuePath, target: 'key' | 'value', message: string) => void;

interface KubernetesRule extends KubernetesRuleInfo {
  check(workload: Workload, report: Report): void;
}

const isEmpty = (value: unknown) => !isMapping(value) || Object.keys(value).length === 0;

/** A rule reporting each container (of long-running workloads only, with `longRunningOnly`) that lacks something. */
function containerLacks(
  code: string,
  description: string,
  lacks: (container: Record<string, unknown>) => boolean,
  message: (label: string) => string,
  opts: { longRunningOnly?: boolean; includeInit?: boolean } = {},
): KubernetesRule {
  return {
    code,
    severity: 'warning',
    description,
    check(w, report) {
      if (opts.longRunningOnly && !w.longRunning) return;
      for (const c of w.containers) if ((opts.includeInit || !c.init) && lacks(c.container)) report(c.anchor, 'value', message(c.label));
    },
  };
}

const lacksResource = (key: 'requests' | 'limits') => (container: Record<string, unknown>) => !isMapping(container.resources) || isEmpty(container.resources[key]);

const resourceRequests = containerLacks(
  'BK001',
  'Container without resources.requests',
  lacksResource('requests'),
  (label) => `${label} has no resources.requests, so the scheduler cannot place the pod sensibly and it is evicted first under pressure. Set resources.requests.cpu and resources.requests.memory.`,
  { includeInit: true },
);

const resourceLimits = containerLacks(
  'BK002',
  'Container without resources.limits',
  lacksResource('limits'),
  (label) => `${label} has no resources.limits, so it can take all of a node's memory. Set resources.limits.memory (and cpu if it must be capped).`,
  { includeInit: true },
);
const mutableImage: KubernetesRule = {
  code: 'BK003',
  severity: 'warning',
  description: 'Image with the :latest tag or no tag at all',
  check(w, report) {
    for (const c of w.containers) {
      const image = c.container.image;
      // Skip placeholders that a tool (envsubst, kustomize, Helm) fills in later.
      if (typeof image !== 'string' || image === '' || /\$|\{\{/.test(image)) continue;
      const pin = imagePin(image);
      const advice = 'Pin a version tag (or a digest) so every node and every restart runs the same image.';
      if (pin.kind === 'none') report([...c.path, 'image'], 'value', `Image "${image}" has no tag, which means :latest and can change under you. ${advice}`);
      else if (pin.kind === 'tag' && pin.tag === 'latest') report([...c.path, 'image'], 'value', `Image "${image}" uses the :latest tag, which can change under you. ${advice}`);
    }
  },
};

const hostPathVolume: KubernetesRule = {
  code: 'BK004',
  severity: 'warning',
  description: 'hostPath volume (the pod gets the node\'s filesystem)',
  check(w, report) {
    const volumes = w.podSpec.volumes;
    if (!Array.isArray(volumes)) return;
    volumes.forEach((volume, index) => {
      if (!isMapping(volume) || volume.hostPath === undefined) return;
      const name = typeof volume.name === 'string' ? `Volume "${volume.name}"` : 'This volume';
      report([...w.podSpecPath, 'volumes', index, 'hostPath'], 'key', `${name} mounts a directory of the node (hostPath): the pod can read or change the host's files, and its data stays behind on one node. Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret unless this is a node agent.`);
    });
  },
};

const privileged: KubernetesRule = {
  code: 'BK005',
  severity: 'warning',
  description: 'Privileged container',
  check(w, report) {
    for (const c of w.containers) {
      const sc = c.container.securityContext;
      if (!isMapping(sc) || sc.privileged !== true) continue;
      report([...c.path, 'securityContext', 'privileged'], 'value', `${c.label} runs privileged, with every device and capability of the host: escaping to the node is one step away. Remove privileged: true and add only the capabilities it needs under securityContext.capabilities.add.`);
    }
  },
};

const HOST_NAMESPACES: Record<string, string> = {
  hostNetwork: "the pod shares the node's network: it sees all node traffic and its ports collide with the node's",
  hostPID: 'the pod sees, and can signal, every process on the node',
  hostIPC: "the pod shares the node's shared memory and semaphores",
};

const hostNamespaces: KubernetesRule = {
  code: 'BK006',
  severity: 'warning',
  description: 'hostNetwork, hostPID or hostIPC turned on',
  check(w, report) {
    for (const [field, consequence] of Object.entries(HOST_NAMESPACES)) {
      if (w.podSpec[field] !== true) continue;
      report([...w.podSpecPath, field], 'value', `With ${field}: true ${consequence}. Remove it unless this is a node agent that needs it.`);
    }
  },
};

const livenessProbe = containerLacks(
  'BK007',
  'Deployment, StatefulSet or DaemonSet container without a livenessProbe',
  (container) => container.livenessProbe === undefined,
  (label) => `${label} has no livenessProbe, so Kubernetes will not restart it when it hangs. Add a livenessProbe (httpGet, tcpSocket, grpc or exec).`,
  { longRunningOnly: true },
);

const readinessProbe = containerLacks(
  'BK008',
  'Deployment, StatefulSet or DaemonSet container without a readinessProbe',
  (container) => container.readinessProbe === undefined,
  (label) => `${label} has no readinessProbe, so it gets traffic as soon as it starts, before it can serve, and rollouts cannot tell a broken version. Add a readinessProbe.`,
  { longRunningOnly: true },
);
const AGREE = 'so the controller finds its own pods';

function checkSelector(selector: Mapping, labels: Mapping, report: Report): void {
  if (isMapping(selector.matchLabels)) {
    for (const [key, wanted] of Object.entries(selector.matchLabels)) {
      const path = ['spec', 'selector', 'matchLabels', key];
      if (!Object.prototype.hasOwnProperty.call(labels, key)) {
        report(path, 'key', `The selector requires label ${key}=${wanted}, which the pod template does not have. Add it to spec.template.metadata.labels ${AGREE}.`);
      } else if (String(labels[key]) !== String(wanted)) {
        report(path, 'value', `The selector requires ${key}=${wanted} but the pod template has ${key}=${labels[key]}. Make them the same ${AGREE}.`);
      }
    }
  }
  if (Array.isArray(selector.matchExpressions)) {
    selector.matchExpressions.forEach((expression, index) => {
      if (!isMapping(expression) || expressionMatches(expression, labels) !== false) return;
      const path: ValuePath = ['spec', 'selector', 'matchExpressions', index, ...(typeof expression.key === 'string' ? ['key'] : [])];
      report(path, 'value', `The selector expression "${describeExpression(expression)}" does not match the pod template's labels. Change it or spec.template.metadata.labels ${AGREE}.`);
    });
  }
}

const selectorMismatch: KubernetesRule = {
  code: 'BK009',
  severity: 'warning',
  description: 'spec.selector does not match the pod template\'s labels',
  check(w, report) {
    const spec = w.doc.spec;
    if (!w.selectsTemplate || !isMapping(spec) || !isMapping(spec.selector) || !isMapping(spec.template)) return;
    const metadata = spec.template.metadata;
    const labels = isMapping(metadata) && isMapping(metadata.labels) ? metadata.labels : {};
    checkSelector(spec.selector, labels, report);
  },
};

export const KUBERNETES_RULES: readonly KubernetesRule[] = [
  resourceRequests, resourceLimits, mutableImage, hostPathVolume, privileged, hostNamespaces, livenessProbe, readinessProbe, selectorMismatch,
];

export function runKubernetesRules(workload: Workload, rules: readonly KubernetesRule[] = KUBERNETES_RULES): PathFinding[] {
  const findings: PathFinding[] = [];
  for (const rule of rules) {
    rule.check(workload, (path, target, message) => findings.push({ path, target, code: rule.code, severity: rule.severity, message }));
  }
  return findings;
}
