// Knative Serving's own CRDs (from the knative.dev/serving module, installed by the rig)
// make the API server itself validate serving.knative.dev/v1 Services. Knative's
// controllers do not run in the rig: a Service is stored and validated, never served.
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { FIELD_MANAGER, connect, deleteNamespace, ensureNamespace, type Cluster } from './support';

const GROUP = 'serving.knative.dev';

// @kubernetes/client-node's KubernetesObjectApi picks a body's model by version and kind
// alone, so a Knative `v1` `Service` is serialized as a core V1Service and loses
// `spec.template` on the way (seen here: the API server stored `spec: {}`). The custom
// objects API sends the body as written; server-side apply is its content type.
const APPLY = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);

function service(ns: string, name: string, spec: unknown): k8s.KubernetesObject & { spec: unknown } {
  return { apiVersion: `${GROUP}/v1`, kind: 'Service', metadata: { name, namespace: ns }, spec };
}

async function rejected(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as k8s.ApiException<string>;
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    return { code: e.code, message: body?.message ?? String(err) };
  }
  assert.fail('the API server accepted an invalid Knative Service');
}

describe('kubernetes: Knative Services validated by the API server', function () {
  this.timeout(60_000);
  let c: Cluster;
  let custom: k8s.CustomObjectsApi;

  before(async () => {
    c = connect('knative');
    custom = c.kc.makeApiClient(k8s.CustomObjectsApi);
    await ensureNamespace(c);
  });
  after(async () => deleteNamespace(c));

  it('has Knative Serving\'s CRDs established', async () => {
    const ext = c.kc.makeApiClient(k8s.ApiextensionsV1Api);
    const crd = await ext.readCustomResourceDefinition({ name: `services.${GROUP}` });
    assert.equal(crd.status?.conditions?.find((k) => k.type === 'Established')?.status, 'True');
    assert.ok(crd.spec.versions.some((v) => v.name === 'v1' && v.schema?.openAPIV3Schema), 'v1 with a schema');
  });

  it('accepts a valid Service on apply and stores it as sent', async () => {
    const svc = service(c.ns, 'hello', {
      template: { spec: { containers: [{ image: '127.0.0.1:5000/shop/web:1', ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'demo' }] }] } },
    });
    await custom.patchNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: c.ns, plural: 'services', name: 'hello', body: svc, fieldManager: FIELD_MANAGER, force: true }, APPLY);
    const stored = (await custom.getNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: c.ns, plural: 'services', name: 'hello' })) as {
      metadata: k8s.V1ObjectMeta;
      spec: { template: { spec: { containers: { image: string; env: unknown[] }[] } } };
      status?: { url?: string };
    };
    assert.ok(stored.metadata.managedFields?.some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply'), 'stored by a server-side apply');
    assert.equal(stored.spec.template.spec.containers[0].image, '127.0.0.1:5000/shop/web:1');
    assert.deepEqual(stored.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'demo' }]);
    assert.equal(stored.status?.url, undefined, 'no Knative controller runs here, so nothing gives it a URL');
  });

  it('rejects a Service without containers, naming the field', async () => {
    const e = await rejected(custom.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: c.ns, plural: 'services', body: service(c.ns, 'no-containers', { template: { spec: {} } }) }));
    assert.equal(e.code, 422);
    assert.match(e.message, /spec\.template\.spec\.containers: Required value/);
  });

  it('rejects containers that are not a list, and an unknown field under strict validation', async () => {
    const wrongType = await rejected(custom.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: c.ns, plural: 'services', body: service(c.ns, 'wrong-type', { template: { spec: { containers: 'web' } } }) }));
    assert.equal(wrongType.code, 422);
    assert.match(wrongType.message, /spec\.template\.spec\.containers: Invalid value: "string": spec\.template\.spec\.containers in body must be of type array/);
    const unknown = await rejected(custom.createNamespacedCustomObject({
      group: GROUP, version: 'v1', namespace: c.ns, plural: 'services', fieldValidation: 'Strict',
      body: service(c.ns, 'unknown-field', { template: { spec: { containers: [{ image: 'busybox:1.35', imagePolicy: 'Always' }] } } }),
    }));
    assert.match(unknown.message, /unknown field "spec\.template\.spec\.containers\[0\]\.imagePolicy"/);
  });
});
