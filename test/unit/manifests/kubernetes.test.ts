import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { type KubernetesObject, isKubernetesObject } from '../../../src/core/manifests/kubernetes/detect';
import { validateAgainstOpenApi } from '../../../src/core/manifests/kubernetes/openapi';
import { KUBERNETES_CHECKS, validateKubernetesObject } from '../../../src/core/manifests/kubernetes/validateKubernetes';
import { imagePin } from '../../../src/core/manifests/kubernetes/workloads';
import type { PathFinding } from '../../../src/core/manifests/types';

const load = (text: string) => {
  const doc: unknown = parse(text, { merge: true });
  assert.ok(isKubernetesObject(doc), 'fixture is a Kubernetes object');
  return doc as KubernetesObject;
};
const schema = (text: string) => validateAgainstOpenApi(load(text));
const all = (text: string) => validateKubernetesObject(load(text));
const only = (findings: PathFinding[], code: string) => findings.filter((f) => f.code === code);

// A Deployment that every rule is happy with; tests break it one way at a time.
const GOOD_DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app.kubernetes.io/name: web }
spec:
  replicas: 3
  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 25%, maxUnavailable: 1 } }
  selector:
    matchLabels: { app: web }
    matchExpressions:
      - { key: tier, operator: In, values: [frontend, edge] }
      - { key: canary, operator: DoesNotExist }
  template:
    metadata:
      labels: { app: web, tier: frontend }
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/web:1.4.2
          command: [./migrate]
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
      containers:
        - name: web
          image: localhost:5000/web:1.4.2
          ports: [{ containerPort: 8080, protocol: TCP }]
          env:
            - { name: MODE, value: production }
            - name: TOKEN
              valueFrom: { secretKeyRef: { name: web, key: token } }
          resources:
            requests: { cpu: 250m, memory: 256Mi }
            limits: { cpu: "1", memory: 512Mi }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 }, periodSeconds: 10 }
          readinessProbe: { httpGet: { path: /ready, port: http } }
          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
          volumeMounts: [{ name: cache, mountPath: /cache }]
      volumes:
        - name: cache
          emptyDir: { sizeLimit: 1Gi }
      nodeSelector: { kubernetes.io/os: linux }
`;

const deployment = (edit: (d: Record<string, any>) => void) => {
  const d = load(GOOD_DEPLOYMENT) as Record<string, any>;
  edit(d);
  return d as KubernetesObject;
};
const podSpec = (d: Record<string, any>) => d.spec.template.spec;
const web = (d: Record<string, any>) => podSpec(d).containers[0];

describe('Kubernetes manifests (unit)', () => {
  describe('detection', () => {
    it('recognises mappings with string apiVersion and kind', () => {
      assert.equal(isKubernetesObject({ apiVersion: 'v1', kind: 'Pod' }), true);
      assert.equal(isKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', spec: {} }), true);
      for (const not of [null, 'x', [], {}, { apiVersion: 'v1' }, { kind: 'Pod' }, { apiVersion: 1, kind: 'Pod' }, { services: {} }]) {
        assert.equal(isKubernetesObject(not), false, JSON.stringify(not));
      }
    });
  });

  describe('OpenAPI schema (K8S001)', () => {
    it('accepts valid objects of many kinds', () => {
      const valid: Record<string, string> = {
        Deployment: GOOD_DEPLOYMENT,
        Service: `
apiVersion: v1
kind: Service
metadata: { name: web, annotations: { example.com/owner: team-a } }
spec:
  type: ClusterIP
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }, { port: 443, targetPort: 8443 }]`,
        Ingress: `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  ingressClassName: nginx
  tls: [{ hosts: [example.com], secretName: web-tls }]
  rules:
    - host: example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: web, port: { number: 80 } } }`,
        ConfigMap: `
apiVersion: v1
kind: ConfigMap
metadata: { name: cfg }
data: { LOG_LEVEL: info, app.properties: "a=1\\nb=2" }`,
        Secret: `
apiVersion: v1
kind: Secret
metadata: { name: s }
type: Opaque
data: { password: aHVudGVyMg== }
stringData: { user: admin }`,
        CronJob: `
apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: "0 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:2.0
              resources: { requests: { cpu: 100m }, limits: { memory: 64Mi } }`,
        KnativeService: `
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: hello }
spec:
  template:
    metadata:
      annotations: { autoscaling.knative.dev/max-scale: "5" }
    spec:
      containerConcurrency: 10
      containers:
        - image: ghcr.io/knative/helloworld-go:1.0
          ports: [{ containerPort: 8080 }]
          env: [{ name: TARGET, value: World }]
  traffic: [{ latestRevision: true, percent: 100 }]`,
        HorizontalPodAutoscalerV2: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 10
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }]`,
        ClusterRole: `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: reader }
rules: [{ apiGroups: [""], resources: [pods], verbs: [get, list, watch] }]`,
      };
      for (const [name, text] of Object.entries(valid)) assert.deepEqual(schema(text), [], name);
    });

    it('reports a misspelt key at the key, with a rename fix', () => {
      const findings = validateAgainstOpenApi(deployment((d) => {
        podSpec(d).contianers = podSpec(d).containers;
        delete podSpec(d).containers;
      }))!;
      const typo = findings.find((f) => f.message.includes('contianers'));
      assert.ok(typo, JSON.stringify(findings));
      assert.deepEqual(typo, {
        path: ['spec', 'template', 'spec', 'contianers'],
        target: 'key',
        code: 'K8S001',
        severity: 'error',
        message: 'unknown property "contianers" in spec.template.spec (did you mean "containers"?)',
        fixes: [{ title: 'Change to "containers"', target: 'key', replacement: 'containers' }],
      });
      // The real key is now missing, which the schema requires.
      assert.ok(findings.some((f) => f.message === 'spec.template.spec is missing the required property "containers"'));
    });

    it('reports unknown keys deep inside lists, and none in maps of free keys', () => {
      const findings = validateAgainstOpenApi(deployment((d) => {
        web(d).ports[0].protcol = 'TCP';
        delete web(d).ports[0].protocol;
        web(d).frobnicate = true;
        d.metadata.labels['anything.example.com/goes'] = 'yes';
      }))!;
      assert.deepEqual(findings.map((f) => [f.path, f.target, f.fixes?.[0]?.replacement]), [
        [['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'protcol'], 'key', 'protocol'],
        [['spec', 'template', 'spec', 'containers', 0, 'frobnicate'], 'key', undefined],
      ]);
      assert.equal(findings[1].message, 'unknown property "frobnicate" in spec.template.spec.containers[0]');
    });

    it('does not suggest a key that is already there', () => {
      const findings = schema('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: {}\ndatas: {}\n')!;
      assert.deepEqual(findings.map((f) => [f.path, f.fixes]), [[['datas'], undefined]]);
      assert.match(findings[0].message, /at the top level/);
    });

    it('reports a wrong type at the value', () => {
      const findings = validateAgainstOpenApi(deployment((d) => (d.spec.replicas = 'three')))!;
      assert.deepEqual(findings, [{ path: ['spec', 'replicas'], target: 'value', code: 'K8S001', severity: 'error', message: 'spec.replicas must be an integer' }]);
    });

    it('offers to unquote a number written as a string', () => {
      const [f] = validateAgainstOpenApi(deployment((d) => (web(d).ports[0].containerPort = '8080')))!;
      assert.deepEqual(f.path, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort']);
      assert.equal(f.message, 'spec.template.spec.containers[0].ports[0].containerPort must be an integer; remove the quotes');
      assert.deepEqual(f.fixes, [{ title: 'Change to 8080', target: 'value', replacement: '8080' }]);
    });

    it('folds the branches of an int-or-string into one finding', () => {
      const findings = validateAgainstOpenApi(deployment((d) => (d.spec.strategy.rollingUpdate.maxSurge = true)))!;
      assert.deepEqual(findings.map((f) => f.message), ['spec.strategy.rollingUpdate.maxSurge must be a string or an integer']);
    });

    it('names a bad quantity in words', () => {
      const findings = validateAgainstOpenApi(deployment((d) => (web(d).resources.limits.memory = 'lots')))!;
      assert.deepEqual(findings.map((f) => [f.path, f.message]), [
        [['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'], 'spec.template.spec.containers[0].resources.limits.memory must be a quantity such as 500m, 2, 512Mi or 1Gi'],
      ]);
    });

    it('reports enum violations', () => {
      const findings = schema('apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { ports: [{ port: 80, protocol: HTTP }] }\n')!;
      assert.deepEqual(findings.map((f) => [f.path, f.message]), [
        [['spec', 'ports', 0, 'protocol'], 'spec.ports[0].protocol must be one of "SCTP", "TCP", "UDP"'],
      ]);
    });

    it('explains formats', () => {
      const findings = schema('apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { password: hunter2! }\n')!;
      assert.deepEqual(findings.map((f) => [f.path, f.message]), [[['data', 'password'], 'data.password must be base64-encoded data']]);
    });

    it('reports a missing required property at its parent', () => {
      const findings = validateAgainstOpenApi(deployment((d) => delete web(d).name))!;
      assert.deepEqual(findings, [{
        path: ['spec', 'template', 'spec', 'containers', 0],
        target: 'value',
        code: 'K8S001',
        severity: 'error',
        message: 'spec.template.spec.containers[0] is missing the required property "name"',
      }]);
      const selector = validateAgainstOpenApi(deployment((d) => delete d.spec.selector))!;
      assert.deepEqual(selector.map((f) => [f.path, f.target]), [[['spec'], 'key']]);
    });

    it('quotes keys that are not identifiers in paths', () => {
      const [f] = schema('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, labels: { app.kubernetes.io/name: 3 } }\n')!;
      assert.deepEqual(f.path, ['metadata', 'labels', 'app.kubernetes.io/name']);
      assert.equal(f.message, 'metadata.labels["app.kubernetes.io/name"] must be a string; put the value in quotes');
    });

    it('does not require status or metadata', () => {
      assert.deepEqual(schema('apiVersion: v1\nkind: Namespace\n'), []);
    });

    it('knows nothing about custom resources and other versions', () => {
      assert.equal(schema('apiVersion: example.com/v1\nkind: Widget\nspec: { anything: [1] }\n'), undefined);
      assert.equal(schema('apiVersion: apps/v1beta1\nkind: Deployment\nspec: {}\n'), undefined);
      assert.deepEqual(all('apiVersion: example.com/v1\nkind: Widget\nspec: { sizee: 1 }\n'), []);
    });

    it('checks Knative Services', () => {
      const findings = schema(`
apiVersion: serving.knative.dev/v1
kind: Service
metadata: { name: hello }
spec:
  template:
    spec:
      containers: [{ image: example/hello:1, resourcs: {}, ports: [{ containerPort: http }] }]
`)!;
      assert.deepEqual(findings.map((f) => [f.path, f.target]), [
        [['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], 'value'],
        [['spec', 'template', 'spec', 'containers', 0, 'resourcs'], 'key'],
      ]);
    });
  });

  describe('Berth rules', () => {
    const codes = (doc: KubernetesObject) => validateKubernetesObject(doc).map((f) => f.code);

    it('the compliant Deployment has no findings at all', () => {
      assert.deepEqual(validateKubernetesObject(deployment(() => {})), []);
    });

    it('BK001/BK002 flag containers without requests or limits, at the name', () => {
      const findings = validateKubernetesObject(deployment((d) => {
        delete web(d).resources.requests;
        delete podSpec(d).initContainers[0].resources;
      }));
      assert.deepEqual(findings.map((f) => [f.code, f.path.join('.'), f.target]), [
        ['BK001', 'spec.template.spec.initContainers.0.name', 'value'],
        ['BK001', 'spec.template.spec.containers.0.name', 'value'],
        ['BK002', 'spec.template.spec.initContainers.0.name', 'value'],
      ]);
      assert.match(findings[0].message, /^Init container "migrate" has no resources\.requests/);
      assert.match(findings[2].message, /^Init container "migrate" has no resources\.limits/);
      assert.ok(findings.every((f) => f.severity === 'warning'));
    });

    it('BK001 points at the item when the container has no name', () => {
      const findings = only(validateKubernetesObject(deployment((d) => {
        delete web(d).name;
        web(d).resources = {};
      })), 'BK001');
      assert.deepEqual(findings.map((f) => [f.path, f.message.slice(0, 12)]), [[['spec', 'template', 'spec', 'containers', 0], 'Container #1']]);
    });

    it('BK003 flags :latest and untagged images, not tags or digests', () => {
      const image = (ref: string) => only(validateKubernetesObject(deployment((d) => (web(d).image = ref))), 'BK003');
      for (const bad of ['nginx', 'nginx:latest', 'localhost:5000/app', 'localhost:5000/app:latest', 'ghcr.io/org/app']) {
        const findings = image(bad);
        assert.equal(findings.length, 1, bad);
        assert.deepEqual(findings[0].path, ['spec', 'template', 'spec', 'containers', 0, 'image']);
        assert.equal(findings[0].target, 'value');
      }
      assert.match(image('nginx')[0].message, /"nginx" has no tag/);
      assert.match(image('nginx:latest')[0].message, /uses the :latest tag/);
      for (const ok of ['nginx:1.27', 'localhost:5000/app:1.2', 'nginx@sha256:0123456789abcdef', 'app:latest@sha256:0123', 'example/app:${TAG}', '{{ .Values.image }}']) {
        assert.deepEqual(image(ok), [], ok);
      }
    });

    it('image references: ports are not tags', () => {
      assert.deepEqual(imagePin('localhost:5000/app'), { kind: 'none' });
      assert.deepEqual(imagePin('localhost:5000/app:1.2'), { kind: 'tag', tag: '1.2' });
      assert.deepEqual(imagePin('app@sha256:ab'), { kind: 'digest' });
    });

    it('BK004 flags hostPath volumes at the hostPath key', () => {
      const findings = only(validateKubernetesObject(deployment((d) => podSpec(d).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }))), 'BK004');
      assert.deepEqual(findings.map((f) => [f.path, f.target]), [[['spec', 'template', 'spec', 'volumes', 1, 'hostPath'], 'key']]);
      assert.match(findings[0].message, /^Volume "docker" mounts a directory of the node/);
    });

    it('BK005 flags privileged: true at the value, not false', () => {
      const findings = only(validateKubernetesObject(deployment((d) => (web(d).securityContext.privileged = true))), 'BK005');
      assert.deepEqual(findings.map((f) => [f.path, f.target]), [[['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'], 'value']]);
      assert.deepEqual(codes(deployment((d) => (web(d).securityContext.privileged = false))), []);
    });

    it('BK006 flags hostNetwork, hostPID and hostIPC when true', () => {
      const findings = only(validateKubernetesObject(deployment((d) => Object.assign(podSpec(d), { hostNetwork: true, hostPID: true, hostIPC: false }))), 'BK006');
      assert.deepEqual(findings.map((f) => f.path.at(-1)), ['hostNetwork', 'hostPID']);
      assert.match(findings[0].message, /^With hostNetwork: true the pod shares the node's network/);
    });

    it('BK007/BK008 flag missing probes on long-running workloads only', () => {
      const noProbes = (kind: string, apiVersion = 'apps/v1') => deployment((d) => {
        Object.assign(d, { kind, apiVersion });
        delete web(d).livenessProbe;
        delete web(d).readinessProbe;
      });
      for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
        const findings = validateKubernetesObject(noProbes(kind)).filter((f) => f.code.startsWith('BK'));
        assert.deepEqual(findings.map((f) => [f.code, f.path.join('.')]), [
          ['BK007', 'spec.template.spec.containers.0.name'],
          ['BK008', 'spec.template.spec.containers.0.name'],
        ], kind);
      }
      assert.deepEqual(codes(noProbes('ReplicaSet')).filter((c) => c.startsWith('BK')), []);
      assert.deepEqual(codes(noProbes('Job', 'batch/v1')).filter((c) => c === 'BK007' || c === 'BK008'), []);
    });

    it('BK009 flags selectors the pod template does not satisfy', () => {
      const mismatch = (edit: (d: Record<string, any>) => void) =>
        only(validateKubernetesObject(deployment(edit)), 'BK009').map((f) => [f.path.join('.'), f.target]);
      assert.deepEqual(mismatch((d) => (d.spec.template.metadata.labels.app = 'api')), [['spec.selector.matchLabels.app', 'value']]);
      assert.deepEqual(mismatch((d) => delete d.spec.template.metadata.labels.app), [['spec.selector.matchLabels.app', 'key']]);
      assert.deepEqual(mismatch((d) => (d.spec.template.metadata.labels.tier = 'backend')), [['spec.selector.matchExpressions.0.key', 'value']]);
      assert.deepEqual(mismatch((d) => (d.spec.template.metadata.labels.canary = 'yes')), [['spec.selector.matchExpressions.1.key', 'value']]);
      assert.deepEqual(mismatch((d) => d.spec.selector.matchExpressions.push({ key: 'tier', operator: 'NotIn', values: ['frontend'] })), [['spec.selector.matchExpressions.2.key', 'value']]);
      assert.deepEqual(mismatch((d) => d.spec.selector.matchExpressions.push({ key: 'tier', operator: 'Exists' }, { key: 'x', operator: 'NotIn', values: ['y'] })), []);
      assert.deepEqual(mismatch((d) => delete d.spec.template.metadata), [
        ['spec.selector.matchLabels.app', 'key'],
        ['spec.selector.matchExpressions.0.key', 'value'],
      ]);
      const [f] = only(validateKubernetesObject(deployment((d) => (d.spec.template.metadata.labels.app = 'api'))), 'BK009');
      assert.match(f.message, /^The selector requires app=web but the pod template has app=api/);
    });

    it('finds pod specs in Pods, CronJobs and Knative Services', () => {
      const pod = all('apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: busybox }] }\n');
      assert.deepEqual(pod.map((f) => [f.code, f.path.join('.')]), [
        ['BK001', 'spec.containers.0.name'],
        ['BK002', 'spec.containers.0.name'],
        ['BK003', 'spec.containers.0.image'],
      ]);
      const cron = all(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: c }
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{ name: c, image: "busybox:latest", securityContext: { privileged: true } }]
`);
      assert.deepEqual(cron.map((f) => f.code), ['BK001', 'BK002', 'BK003', 'BK005']);
      assert.deepEqual(cron[3].path, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']);
      const knative = all('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: k }\nspec: { template: { spec: { containers: [{ image: example/k }] } } }\n');
      assert.deepEqual(knative.map((f) => [f.code, f.path.join('.')]), [
        ['BK001', 'spec.template.spec.containers.0'],
        ['BK002', 'spec.template.spec.containers.0'],
        ['BK003', 'spec.template.spec.containers.0.image'],
      ]);
    });

    it('leaves objects without pods, and core Services, to the schema', () => {
      assert.deepEqual(all('apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { selector: { app: nothing }, ports: [{ port: 80 }] }\n'), []);
      assert.deepEqual(all('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n'), []);
    });

    it('documents every check', () => {
      assert.deepEqual(KUBERNETES_CHECKS.map((c) => c.code), ['K8S001', 'BK001', 'BK002', 'BK003', 'BK004', 'BK005', 'BK006', 'BK007', 'BK008', 'BK009']);
      assert.ok(KUBERNETES_CHECKS.every((c) => c.description.length > 10 && (c.code === 'K8S001' ? c.severity === 'error' : c.severity === 'warning')));
    });
  });
});
