// Deployments on the real cluster, from TypeScript: server-side apply, rollout, the pod's
// HTTP answer through a port-forward on 127.0.0.1, logs and exec through the API, a new
// ReplicaSet on a changed image, a rollback, and a stalled rollout's reason.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { removeImage, tagImage } from '../../src/core/engine/resources';
import { pushImage } from '../../src/core/registry/imageTransfer';
import { BASE_IMAGE, RUN_ID, newClient } from '../integration/support';
import { apply, connect, deleteNamespace, ensureNamespace, forwardPort, httpGet, replicaSetsOf, rolledOut, runningPod, waitFor, type Cluster } from './support';

const APP = 'web';
/** busybox under a second tag in the rig's registry: a real image change, pulled by the node. */
const SECOND_IMAGE = `127.0.0.1:5000/berth-test-${RUN_ID}/busybox:2`;

/** A busybox httpd serving one page whose text names the variant, so each rollout is visible in the answer. */
function deployment(ns: string, variant: string, image = 'busybox:1.35', command?: string[]): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: APP, namespace: ns, labels: { app: APP } },
    spec: {
      replicas: 1,
      // Short, so a stalled rollout is reported within the test's time.
      progressDeadlineSeconds: 15,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels: { app: APP } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'httpd',
            image,
            imagePullPolicy: 'IfNotPresent',
            command: command ?? ['sh', '-c', `mkdir -p /www && echo "berth ${variant}" > /www/index.html && echo "serving ${variant}" && exec httpd -f -v -p 8080 -h /www`],
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
          }],
        },
      },
    },
  };
}

describe('kubernetes: deployments on a real cluster', function () {
  this.timeout(180_000);
  let c: Cluster;

  const engine = newClient();

  before(async () => {
    c = connect('workloads');
    await ensureNamespace(c);
    const [repo, tag] = [SECOND_IMAGE.slice(0, SECOND_IMAGE.lastIndexOf(':')), '2'];
    await tagImage(engine, BASE_IMAGE, repo, tag);
    await pushImage(engine, SECOND_IMAGE);
  });
  after(async () => {
    await deleteNamespace(c);
    await removeImage(engine, SECOND_IMAGE, false).catch(() => undefined);
    engine.dispose();
  });

  it('applies a Deployment and a Service server-side, rolls out, and answers through a port-forward', async () => {
    const applied = await apply(c, deployment(c.ns, 'v1'));
    assert.equal(applied.metadata?.managedFields?.some((f) => f.manager === 'berth-tests' && f.operation === 'Apply'), true,
      'the API server records the apply under the field manager');
    const svc = await apply(c, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: APP, namespace: c.ns },
      spec: { selector: { app: APP }, ports: [{ port: 80, targetPort: 8080 }] },
    } as k8s.V1Service);
    assert.match(svc.spec?.clusterIP ?? '', /^10\.96\./, 'the Service got an address from the rig\'s service range');
    await rolledOut(c, APP);
    const pod = await runningPod(c, `app=${APP}`);
    assert.equal(pod.spec?.nodeName, 'berth-node');
    const fwd = await forwardPort(c, pod.metadata!.name!, 8080);
    try {
      const res = await httpGet(fwd.port, '/');
      assert.equal(res.status, 200);
      assert.equal(res.body.trim(), 'berth v1');
    } finally {
      await fwd.close();
    }
    // The Service's endpoints name the pod: the controllers saw it Ready.
    const slices = await waitFor('the Service\'s endpoint', 30_000, async () => {
      const list = await k8s.KubernetesObjectApi.makeApiClient(c.kc).list('discovery.k8s.io/v1', 'EndpointSlice', c.ns, undefined, undefined, undefined, undefined, `kubernetes.io/service-name=${APP}`);
      const addrs = (list.items as k8s.V1EndpointSlice[]).flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses);
      return addrs.length ? addrs : undefined;
    });
    assert.deepEqual(slices, [pod.status?.podIP]);
  });

  it('reads the pod\'s log and runs echo in it through the API', async () => {
    const pod = await runningPod(c, `app=${APP}`);
    const name = pod.metadata!.name!;
    const logText = await waitFor('the log line', 20_000, async () => {
      const text = await c.core.readNamespacedPodLog({ name, namespace: c.ns, container: 'httpd' });
      return text.includes('serving v1') ? text : undefined;
    });
    assert.match(logText, /serving v1/);
    let out = '';
    const stdout = new Writable({ write(chunk, _enc, done) { out += chunk.toString(); done(); } });
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(c.kc).exec(c.ns, name, 'httpd', ['echo', `hello ${RUN_ID}`], stdout, null, null, false, resolve).catch(reject);
    });
    assert.equal(status.status, 'Success');
    assert.equal(out.trim(), `hello ${RUN_ID}`);
  });

  it('rolls out a new ReplicaSet for a changed image, and rolls back to the previous revision', async () => {
    const before = await replicaSetsOf(c, APP);
    assert.equal(before.length, 1);
    await apply(c, deployment(c.ns, 'v1', SECOND_IMAGE));
    await rolledOut(c, APP);
    const after = await replicaSetsOf(c, APP);
    assert.equal(after.length, 2, 'a new ReplicaSet for the new template');
    const [old, current] = after;
    assert.equal(current.spec?.template?.spec?.containers[0].image, SECOND_IMAGE);
    assert.equal(current.status?.readyReplicas, 1);
    assert.equal(old.spec?.replicas, 0, 'the old ReplicaSet is scaled down');

    // Rollback, as `kubectl rollout undo` does it: the previous revision's pod template goes back.
    const template = structuredClone(old.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const d = await c.apps.readNamespacedDeployment({ name: APP, namespace: c.ns });
    d.spec!.template = template;
    await c.apps.replaceNamespacedDeployment({ name: APP, namespace: c.ns, body: d });
    const done = await rolledOut(c, APP);
    const back = await replicaSetsOf(c, APP);
    assert.equal(back.length, 2, 'no third ReplicaSet: the old one is reused');
    const newest = back[back.length - 1];
    assert.equal(newest.metadata?.name, old.metadata?.name, 'the previous ReplicaSet serves again');
    assert.equal(newest.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(done.spec?.template?.spec?.containers[0].image, 'busybox:1.35');
  });

  it('reports a stalled rollout when the new image\'s command exits', async () => {
    await apply(c, deployment(c.ns, 'broken', 'busybox:1.35', ['sh', '-c', 'echo starting; exit 3']));
    const reason = await waitFor('the Progressing condition to turn False', 90_000, async () => {
      const d = await c.apps.readNamespacedDeployment({ name: APP, namespace: c.ns });
      const cond = d.status?.conditions?.find((k) => k.type === 'Progressing');
      return cond?.status === 'False' ? cond : undefined;
    });
    assert.equal(reason.reason, 'ProgressDeadlineExceeded');
    assert.match(reason.message ?? '', /has timed out progressing/);
    // The failing pod says why; the old pod keeps serving (maxUnavailable keeps it).
    const pods = await c.core.listNamespacedPod({ namespace: c.ns, labelSelector: `app=${APP}` });
    const broken = pods.items.find((p) => p.spec?.containers[0].command?.includes('echo starting; exit 3'));
    const state = broken?.status?.containerStatuses?.[0];
    assert.equal(state?.lastState?.terminated?.exitCode ?? state?.state?.terminated?.exitCode, 3);
    assert.ok(pods.items.some((p) => p !== broken && p.status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')));
  });
});
