import assert from 'node:assert/strict';
import { BuildSteps, CLASSIC_STEP_ID, formatDuration, STEP_LOG_LIMIT } from '../../../src/core/build/buildSteps';

describe('BuildSteps: progress events as steps', () => {
  it('keeps steps in start order with state, duration, cache hits and logs', () => {
    let now = 1000;
    const steps = new BuildSteps(() => now);
    steps.apply({ kind: 'builder', builder: 'buildkit', why: 'test' });
    steps.apply({ kind: 'vertex', id: 'a', name: '[1/3] FROM busybox', state: 'started' });
    steps.apply({ kind: 'vertex', id: 'b', name: '[2/3] RUN echo hi', state: 'started' });
    steps.apply({ kind: 'log', vertex: 'b', name: '', stream: 1, text: 'hi\n' });
    now = 1500;
    steps.apply({ kind: 'vertex', id: 'a', name: '[1/3] FROM busybox', state: 'cached' });
    steps.apply({ kind: 'vertex', id: 'b', name: '[2/3] RUN echo hi', state: 'completed', durationMs: 420 });
    steps.apply({ kind: 'status', vertex: 'c', id: 'x', current: 1, total: 2 });
    steps.apply({ kind: 'vertex', id: 'c', name: '[3/3] RUN false', state: 'error', error: 'exit code: 1', location: { file: 'Dockerfile', range: { start: { line: 2, column: 0 }, end: { line: 2, column: 9 } } } });
    assert.deepEqual(steps.steps.map((s) => [s.name, s.state, s.durationMs]), [
      ['[1/3] FROM busybox', 'cached', 500],
      ['[2/3] RUN echo hi', 'done', 420],
      ['[3/3] RUN false', 'error', 0],
    ]);
    assert.equal(steps.cachedCount, 1);
    assert.equal(steps.steps[1].log, 'hi\n');
    assert.equal(steps.steps[2].location?.range.start.line, 2);
    assert.equal(steps.builder?.builder, 'buildkit');
  });

  it('ends steps left running when the build ends', () => {
    const steps = new BuildSteps();
    steps.apply({ kind: 'vertex', id: 'a', name: 'RUN sleep', state: 'started' });
    steps.finish('error');
    assert.equal(steps.steps[0].state, 'error');
    assert.equal(steps.steps[0].error, 'stopped');
  });

  it('collects the classic builder output into one step that succeeds with the build', () => {
    const steps = new BuildSteps();
    steps.apply({ kind: 'message', text: 'Step 1/2 : FROM busybox\n' });
    steps.apply({ kind: 'message', text: 'Step 2/2 : RUN true\n' });
    steps.finish('done');
    assert.equal(steps.steps.length, 1);
    assert.equal(steps.steps[0].id, CLASSIC_STEP_ID);
    assert.equal(steps.steps[0].state, 'done');
    assert.match(steps.steps[0].log, /Step 2\/2/);
  });

  it('bounds a step log, keeping its start and its newest output, and counts what it dropped', () => {
    const steps = new BuildSteps();
    const line = 'x'.repeat(99) + '\n';
    steps.apply({ kind: 'log', vertex: 'a', name: 'RUN yes', stream: 1, text: 'FIRST LINE\n' });
    for (let i = 0; i < 20_000; i++) steps.apply({ kind: 'log', vertex: 'a', name: 'RUN yes', stream: 1, text: line });
    steps.apply({ kind: 'log', vertex: 'a', name: 'RUN yes', stream: 1, text: 'LAST LINE\n' });
    const s = steps.steps[0];
    assert.ok(s.log.length <= STEP_LOG_LIMIT, `log is ${s.log.length} characters`);
    assert.ok(s.log.startsWith('FIRST LINE\n'));
    assert.ok(s.log.endsWith('LAST LINE\n'));
    assert.equal((s.log.match(/output cut/g) ?? []).length, 1, 'one marker, however often it was cut');
    assert.equal(s.logDropped + s.log.length - (s.log.match(/\n\[… output cut[^\n]*\n/)?.[0].length ?? 0), 'FIRST LINE\n'.length + 20_000 * 100 + 'LAST LINE\n'.length);
  });

  it('formats durations for the view', () => {
    assert.deepEqual([350, 1234, 125_000, undefined].map(formatDuration), ['350ms', '1.2s', '2m05s', '']);
  });
});
