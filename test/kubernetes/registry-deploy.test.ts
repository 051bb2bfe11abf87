// Build → push → deploy, end to end on real services: Berth's own build (BuildKit through
// the engine API) and push put an image in the rig's registry on 127.0.0.1:5000; the
// cluster's node pulls it from there (the event says so) and the pod serves what the build
// baked in.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { buildImage } from '../../src/core/build/buildImage';
import { removeImage } from '../../src/core/engine/resources';
import { pushImage } from '../../src/core/registry/imageTransfer';
import { RUN_ID, newClient } from '../integration/support';
import { apply, connect, deleteNamespace, ensureNamespace, forwardPort, httpGet, rolledOut, runningPod, waitFor, type Cluster } from './support';

const CONTEXT = path.join(__dirname, '..', 'fixtures', 'kubernetes', 'web');

describe('kubernetes: build, push to the rig registry, deploy', function () {
  this.timeout(240_000);
  const engine = newClient();
  const image = `127.0.0.1:5000/berth-test-${RUN_ID}/web:1`;
  const marker = `built-${RUN_ID}-${Date.now()}`;
  let c: Cluster;

  before(async () => {
    c = connect('deploy');
    await ensureNamespace(c);
  });
  after(async () => {
    await deleteNamespace(c);
    await removeImage(engine, image, false).catch(() => undefined);
    engine.dispose();
  });

  it('deploys the image Berth built and pushed, pulled by the node from 127.0.0.1:5000', async () => {
    const built = await buildImage(engine, { context: CONTEXT, tags: [image], buildArgs: { MARKER: marker } });
    assert.ok(built.imageId, 'the build produced an image');
    const pushed = await pushImage(engine, image);
    assert.match(pushed.digest ?? '', /^sha256:/);

    await apply(c, {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'shop-web', namespace: c.ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'shop-web' } },
        template: {
          metadata: { labels: { app: 'shop-web' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'web', image, imagePullPolicy: 'Always', ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    } as k8s.V1Deployment);
    await rolledOut(c, 'shop-web', 120_000);
    const pod = await runningPod(c, 'app=shop-web');
    assert.equal(pod.status?.containerStatuses?.[0].imageID?.endsWith(pushed.digest!), true,
      `the node runs the pushed manifest (${pod.status?.containerStatuses?.[0].imageID} vs ${pushed.digest})`);
    const pulled = await waitFor('the Pulled event', 20_000, async () => {
      const events = await c.core.listNamespacedEvent({ namespace: c.ns, fieldSelector: `involvedObject.name=${pod.metadata!.name}` });
      return events.items.find((e) => e.reason === 'Pulled');
    });
    assert.match(pulled.message ?? '', new RegExp(image.replace(/[.]/g, '\\.')));

    const fwd = await forwardPort(c, pod.metadata!.name!, 8080);
    try {
      assert.equal((await httpGet(fwd.port, '/marker.txt')).body.trim(), marker);
      assert.match((await httpGet(fwd.port, '/')).body, /berth web on kubernetes/);
    } finally {
      await fwd.close();
    }
  });
});
