// Shared helpers for the Kubernetes tests. They talk to the REAL cluster the rig starts
// (scripts/provision-kubernetes.sh) through @kubernetes/client-node: no mock of the API
// server anywhere. Each run works in its own namespace, deleted at the end.
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { RUN_ID } from '../integration/support';

export const RIG_STATE = path.join(process.env.BERTH_STATE_DIR ?? '/var/tmp/berth', 'kubernetes');
export const FIELD_MANAGER = 'berth-tests';

export interface Cluster {
  kc: k8s.KubeConfig;
  /** This test file's own namespace (berth-test-<run>-<suffix>), deleted at its end. */
  ns: string;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  objects: k8s.KubernetesObjectApi;
}

/** The rig's admin kubeconfig, context `berth-rig`; BERTH_KUBECONFIG points elsewhere. */
export function connect(suffix: string): Cluster {
  const file = process.env.BERTH_KUBECONFIG ?? path.join(RIG_STATE, 'admin.kubeconfig');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "bash scripts/provision-kubernetes.sh" first`);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  kc.setCurrentContext(process.env.BERTH_KUBE_CONTEXT ?? 'berth-rig');
  return { kc, ns: `berth-test-${RUN_ID}-${suffix}`, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api), objects: k8s.KubernetesObjectApi.makeApiClient(kc) };
}

/** Server-side apply, as Berth's backend does it: the API server merges and owns the fields. */
export async function apply<T extends k8s.KubernetesObject>(c: Cluster, obj: T): Promise<T> {
  return (await c.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply)) as T;
}

export async function ensureNamespace(c: Cluster): Promise<void> {
  await apply(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.ns, labels: { 'berth.test': RUN_ID } } });
  // Pods cannot be created before the namespace's default service account exists.
  await waitFor('the default service account', 30_000, async () => {
    await c.core.readNamespacedServiceAccount({ name: 'default', namespace: c.ns });
    return true;
  });
}

export async function deleteNamespace(c: Cluster | undefined): Promise<void> {
  await c?.core.deleteNamespace({ name: c.ns, gracePeriodSeconds: 0 }).catch(() => undefined);
}

/** Polls until `check` returns a value (not undefined/false); errors count as "not yet". */
export async function waitFor<T>(what: string, ms: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the Deployment's newest revision is fully rolled out, and returns it. */
export async function rolledOut(c: Cluster, name: string, ms = 90_000): Promise<k8s.V1Deployment> {
  return waitFor(`deployment ${name} to roll out`, ms, async () => {
    const d = await c.apps.readNamespacedDeployment({ name, namespace: c.ns });
    const s = d.status ?? {};
    const want = d.spec?.replicas ?? 1;
    const done = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s.updatedReplicas === want &&
      s.availableReplicas === want && (s.replicas ?? 0) === want;
    return done ? d : undefined;
  });
}

/** The ReplicaSets a Deployment owns, newest revision last. */
export async function replicaSetsOf(c: Cluster, deployment: string): Promise<k8s.V1ReplicaSet[]> {
  const list = await c.apps.listNamespacedReplicaSet({ namespace: c.ns });
  const revision = (rs: k8s.V1ReplicaSet) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return list.items
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === deployment))
    .sort((a, b) => revision(a) - revision(b));
}

export async function runningPod(c: Cluster, selector: string): Promise<k8s.V1Pod> {
  return waitFor(`a ready pod for ${selector}`, 60_000, async () => {
    const pods = await c.core.listNamespacedPod({ namespace: c.ns, labelSelector: selector });
    return pods.items.find((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True'));
  });
}

/**
 * Opens a port-forward to a pod from 127.0.0.1 through the API server (as `kubectl
 * port-forward` does) and returns the local port and a close function.
 */
export async function forwardPort(c: Cluster, pod: string, port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const forward = new k8s.PortForward(c.kc);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    forward.portForward(c.ns, pod, [port], socket, null, socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = (server.address() as net.AddressInfo).port;
  return {
    port: local,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** GET through a port-forward, retried while the forward's first stream is set up. */
export async function httpGet(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return waitFor(`http://127.0.0.1:${port}${urlPath}`, 20_000, async () => {
    const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.text() };
  });
}
