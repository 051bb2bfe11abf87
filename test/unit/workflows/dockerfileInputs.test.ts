import assert from 'node:assert/strict';
import { buildArgsFor, defaultTag, dockerfileInputs, exposedPorts, targetStage } from '../../../src/core/build/dockerfileInputs';

const MULTI = `ARG BASE=busybox:1.35
ARG HTTP_PROXY
FROM \${BASE} AS deps
ARG VERSION=1.0
EXPOSE 9000
FROM deps AS build
ARG COMMIT
RUN echo $COMMIT
FROM busybox:1.35 AS runtime
ARG PORT=8080
EXPOSE 8080 53/udp $PORT
FROM runtime
EXPOSE 9090
`;

describe('dockerfileInputs: what a build can be asked for', () => {
  const inputs = dockerfileInputs(MULTI);

  it('lists the stages with their names, bases and lines', () => {
    assert.deepEqual(
      inputs.stages.map((s) => [s.index, s.name, s.base, s.line]),
      [
        [0, 'deps', '${BASE}', 2],
        [1, 'build', 'deps', 5],
        [2, 'runtime', 'busybox:1.35', 8],
        [3, undefined, 'runtime', 11],
      ],
    );
    assert.equal(targetStage(inputs)?.index, 3);
    assert.equal(targetStage(inputs, 'BUILD')?.index, 1, 'stage names match case-insensitively, as BuildKit does');
    assert.equal(targetStage(inputs, 'nope'), undefined);
  });

  it('offers the global ARGs and those up to the target, without the predefined proxy args', () => {
    assert.deepEqual(buildArgsFor(inputs, 'deps').map((a) => [a.name, a.default]), [['BASE', 'busybox:1.35'], ['VERSION', '1.0']]);
    assert.deepEqual(buildArgsFor(inputs, 'build').map((a) => a.name), ['BASE', 'VERSION', 'COMMIT']);
    assert.deepEqual(buildArgsFor(inputs).map((a) => a.name), ['BASE', 'VERSION', 'COMMIT', 'PORT']);
    assert.equal(buildArgsFor(inputs).find((a) => a.name === 'COMMIT')?.default, undefined);
  });

  it('follows FROM <stage> for the exposed ports, leaving variables out', () => {
    assert.deepEqual(exposedPorts(inputs), ['8080', '53/udp', '9090']);
    assert.deepEqual(exposedPorts(inputs, 'build'), ['9000']);
    assert.deepEqual(exposedPorts(inputs, 'runtime'), ['8080', '53/udp']);
  });

  it('still reads a half-typed Dockerfile', () => {
    const partial = dockerfileInputs('FROM busybox:1.35 AS\nARG\nEXPOSE\n');
    assert.equal(partial.stages.length, 1);
    assert.deepEqual(partial.exposed, [[]]);
  });

  it('names the image after the context folder', () => {
    assert.equal(defaultTag('/work/My Shop/web'), 'web:latest');
    assert.equal(defaultTag('/tmp/My Shop!'), 'my-shop:latest');
    assert.equal(defaultTag('/tmp/__'), 'image:latest');
  });
});
