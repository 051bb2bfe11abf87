import assert from 'node:assert/strict';
import { decodeStatus, JsonLines, StatusTracker } from '../../../src/core/build/buildkitStatus';
import type { BuildProgress } from '../../../src/core/build/buildTypes';
import { ProtoWriter } from '../../../src/core/build/protoWire';
import { locateBuildkitStep, locateClassicStep } from '../../../src/core/build/stepLocation';

const ts = (ms: number) => new ProtoWriter().uint(1, Math.floor(ms / 1000)).uint(2, Math.round((ms % 1000) * 1e6));

function vertex(digest: string, name: string, o: { started?: number; completed?: number; cached?: boolean; error?: string } = {}): ProtoWriter {
  const v = new ProtoWriter().string(1, digest).string(3, name).uint(4, o.cached ? 1 : 0);
  if (o.started !== undefined) v.message(5, ts(o.started));
  if (o.completed !== undefined) v.message(6, ts(o.completed));
  return v.string(7, o.error);
}

describe('build: BuildKit status decoding', () => {
  it('decodes vertexes, statuses, logs and warnings with their source range', () => {
    const range = new ProtoWriter().message(1, new ProtoWriter().uint(1, 3).uint(2, 0)).message(2, new ProtoWriter().uint(1, 3).uint(2, 9));
    const msg = new ProtoWriter()
      .message(1, vertex('sha256:a', '[2/3] RUN echo hi', { started: 1_000, completed: 1_250, cached: true }))
      .message(2, new ProtoWriter().string(1, 'transferring context:').string(2, 'sha256:a').uint(4, 10).uint(5, 20))
      .message(3, new ProtoWriter().string(1, 'sha256:a').uint(3, 1).bytes(4, Buffer.from('hi\n')))
      .message(4, new ProtoWriter().string(1, 'sha256:a').uint(2, 1).bytes(3, Buffer.from('JSONArgsRecommended')).bytes(4, Buffer.from('use JSON')).message(6, new ProtoWriter().string(1, 'Dockerfile')).message(7, range))
      .finish();
    const s = decodeStatus(msg);
    assert.deepEqual(s.vertexes[0], { digest: 'sha256:a', inputs: [], name: '[2/3] RUN echo hi', cached: true, startedMs: 1_000, completedMs: 1_250, error: '' });
    assert.deepEqual(s.statuses[0], { id: 'transferring context:', vertex: 'sha256:a', name: '', current: 10, total: 20 });
    assert.equal(s.logs[0].msg.toString(), 'hi\n');
    assert.equal(s.warnings[0].short, 'JSONArgsRecommended');
    assert.equal(s.warnings[0].file, 'Dockerfile');
    assert.deepEqual(s.warnings[0].ranges[0], { start: { line: 2, column: 0 }, end: { line: 2, column: 9 } });
  });

  it('turns snapshots into started / completed / cached / error events once each, with durations and locations', () => {
    const events: BuildProgress[] = [];
    const text = 'FROM busybox\nRUN echo hi\nRUN false\n';
    const t = new StatusTracker((e) => events.push(e), (n) => locateBuildkitStep(n, text, 'Dockerfile'), 'Dockerfile');
    const push = (...v: ProtoWriter[]) => t.push(decodeStatus(v.reduce((w, x) => w.message(1, x), new ProtoWriter()).finish()));
    push(vertex('a', '[2/3] RUN echo hi', { started: 0, completed: 5, cached: true }), vertex('b', '[3/3] RUN false', { started: 10 }));
    push(vertex('b', '[3/3] RUN false', { started: 10 }));
    push(vertex('b', '[3/3] RUN false', { started: 10, completed: 510, error: 'exit code: 1' }));
    assert.deepEqual(events.map((e) => e.kind === 'vertex' && `${e.name}:${e.state}:${e.durationMs ?? ''}`), ['[2/3] RUN echo hi:cached:5', '[3/3] RUN false:started:', '[3/3] RUN false:error:500']);
    assert.equal(t.cachedSteps, 1);
    assert.equal(t.failed?.location?.range.start.line, 2);
  });

  it('re-opens a vertex BuildKit starts again after completing it (the build context: done at once, then the real sync)', () => {
    const events: BuildProgress[] = [];
    const t = new StatusTracker((e) => events.push(e), () => undefined, 'Dockerfile');
    const push = (...v: ProtoWriter[]) => t.push(decodeStatus(v.reduce((w, x) => w.message(1, x), new ProtoWriter()).finish()));
    const ctx = '[internal] load build context';
    push(vertex('c', ctx, { started: 100, completed: 100 }));
    push(vertex('c', ctx, { started: 100, completed: 100 })); // the same snapshot again: nothing new
    push(vertex('c', ctx, { started: 103 }));
    push(vertex('c', ctx, { started: 103, completed: 2903 }));
    push(vertex('d', 'RUN x', { started: 5, completed: 6, cached: true }), vertex('d', 'RUN x', { started: 7, completed: 8, cached: true }));
    push(vertex('e', 'RUN y', { started: 10, completed: 20, error: 'boom' }), vertex('e', 'RUN y', { started: 30 }));
    // Done and started again within one millisecond: told apart by the nanoseconds.
    push(vertex('f', ctx, { started: 500.2, completed: 500.4 }), vertex('f', ctx, { started: 500.7 }), vertex('f', ctx, { started: 500.7, completed: 900.7 }));
    assert.deepEqual(events.map((e) => e.kind === 'vertex' && `${e.name}:${e.state}:${e.durationMs ?? ''}`), [
      `${ctx}:completed:0`,
      `${ctx}:started:`,
      `${ctx}:completed:2800`,
      'RUN x:cached:1',
      'RUN x:cached:1',
      'RUN y:error:10',
      `${ctx}:completed:0`,
      `${ctx}:started:`,
      `${ctx}:completed:400`,
    ]);
    assert.equal(t.cachedSteps, 1, 'a vertex counts once as cached');
  });

  it("locates steps as dockerfile2llb numbers them (stage names, no ARG, no FROM of a stage)", () => {
    const text = 'ARG V=1\nFROM busybox AS base\nARG X\nRUN a\n\nFROM base AS app\nCOPY . /x\nRUN b\n';
    assert.equal(locateBuildkitStep('[base 2/2] RUN a', text, 'D')?.range.start.line, 3);
    assert.equal(locateBuildkitStep('[app 1/2] COPY . /x', text, 'D')?.range.start.line, 6);
    assert.equal(locateBuildkitStep('[app 2/2] RUN b', text, 'D')?.range.start.line, 7);
    assert.equal(locateBuildkitStep('[internal] load build definition from Dockerfile', text, 'D'), undefined);
    assert.equal(locateClassicStep(4, 'FROM a\nRUN x\nARG y\nRUN z\n', 'D')?.range.start.line, 3);
  });

  it('splits the JSON message stream on newlines across chunks', () => {
    const j = new JsonLines();
    assert.deepEqual(j.push('{"id":"moby.buildkit.trace","aux":"AA=="}\r\n{"str'), [{ id: 'moby.buildkit.trace', aux: 'AA==' }]);
    assert.deepEqual(j.push('eam":"x"}\n'), [{ stream: 'x' }]);
    assert.deepEqual(j.end(), []);
  });
});
