import assert from 'node:assert/strict';
import { argDeclarations, buildModel, splitWords, substitute } from '../../../src/core/dockerfile/model';
import { parseDockerfile } from '../../../src/core/dockerfile/parser';

const lines = (...l: string[]) => l.join('\n');

describe('Dockerfile parser (unit)', () => {
  it('reads parser directives only at the top, and the escape character', () => {
    const p = parseDockerfile(lines('# syntax=docker/dockerfile:1', '# escape=`', '# check=skip=JSONArgsRecommended', '', '# escape=\\', 'FROM x'));
    assert.deepEqual(p.directives.map((d) => [d.name, d.value]), [['syntax', 'docker/dockerfile:1'], ['escape', '`'], ['check', 'skip=JSONArgsRecommended']]);
    assert.equal(p.escape, '`');
    assert.deepEqual(p.comments.map((c) => c.text), ['escape=\\'], 'a directive after a blank line is a comment');
  });

  it('joins continuation lines, drops comment lines inside them and records empty ones', () => {
    const p = parseDockerfile(lines('FROM x', 'RUN apt-get update \\', '', '  # note', '  && apt-get install -y curl', 'CMD x'));
    const run = p.instructions[1];
    assert.equal(run.keyword, 'RUN');
    assert.equal(run.rest, 'apt-get update   && apt-get install -y curl');
    assert.deepEqual(run.emptyContinuationLines, [2]);
    assert.deepEqual(run.range, { start: { line: 1, column: 0 }, end: { line: 4, column: 28 } });
    assert.deepEqual(run.argsPosition(run.args.indexOf("install")), { line: 4, column: 13 });
    assert.deepEqual(p.comments.map((c) => c.line), [3]);
    assert.equal(p.instructions[2].keyword, 'CMD');
  });

  it('honours a backtick escape and an escaped escape at the end of a line', () => {
    const p = parseDockerfile(lines('# escape=`', 'FROM x', 'RUN a `', '  b', 'RUN c \\\\', 'RUN d'));
    assert.deepEqual(p.instructions.map((i) => i.rest), ['x', 'a   b', 'c \\\\', 'd']);
  });

  it('reads heredoc bodies (several, <<- and quoted) and resumes after them', () => {
    const p = parseDockerfile(lines('FROM x', 'RUN <<EOF bash', 'set -e', 'EOF', 'COPY <<-"A" <<B /dst/', '\tone', '\tA', 'two', 'B', 'USER app'));
    const [, run, copy, user] = p.instructions;
    assert.deepEqual(run.heredocs.map((h) => [h.name, h.body, h.chomp, h.quoted]), [['EOF', 'set -e', false, false]]);
    assert.deepEqual(copy.heredocs.map((h) => [h.name, h.body, h.chomp, h.quoted]), [['A', 'one', true, true], ['B', 'two', false, false]]);
    assert.equal(copy.range.end.line, 8);
    assert.equal(user.keyword, 'USER');
    assert.deepEqual(p.problems, []);
  });

  it('reports an unclosed heredoc and goes on', () => {
    const p = parseDockerfile(lines('FROM x', 'RUN <<EOF', 'echo'));
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0].message, /Heredoc "EOF" is not closed/);
  });

  it('splits leading flags, and recognises the exec form only for a JSON array of strings', () => {
    const p = parseDockerfile(lines('FROM --platform=$BUILDPLATFORM golang AS b', 'COPY --from=b --chown="1:1" /a /b', 'CMD ["run", "it"]', "CMD ['single']", 'CMD [1]'));
    assert.deepEqual(p.instructions[0].flags.map((f) => [f.name, f.value]), [['platform', '$BUILDPLATFORM']]);
    assert.equal(p.instructions[0].rest, 'golang AS b');
    assert.deepEqual(p.instructions[1].flags.map((f) => [f.name, f.value]), [['from', 'b'], ['chown', '1:1']]);
    assert.deepEqual(p.instructions[1].flags[1].range, { start: { line: 1, column: 14 }, end: { line: 1, column: 27 } });
    assert.deepEqual(p.instructions[2].json, ['run', 'it']);
    assert.equal(p.instructions[3].json, undefined);
    assert.equal(p.instructions[4].json, undefined);
  });

  it('parses the ONBUILD trigger with positions inside the ONBUILD line', () => {
    const p = parseDockerfile(lines('FROM x', 'onbuild run --mount=type=cache,target=/c apt-get install foo'));
    const t = p.instructions[1].trigger!;
    assert.equal(p.instructions[1].keyword, 'ONBUILD');
    assert.equal(p.instructions[1].rawKeyword, 'onbuild');
    assert.equal(t.keyword, 'RUN');
    assert.equal(t.rawKeyword, 'run');
    assert.deepEqual(t.keywordRange.start, { line: 1, column: 8 });
    assert.deepEqual(t.flags.map((f) => f.name), ['mount']);
    assert.equal(t.rest, 'apt-get install foo');
    assert.deepEqual(t.argsPosition(t.restOffset), { line: 1, column: 41 });
  });

  it('handles CRLF and a file without a trailing newline the same way', () => {
    const a = parseDockerfile('FROM x\r\nRUN a \\\r\n  b\r\n');
    const b = parseDockerfile('FROM x\nRUN a \\\n  b');
    assert.deepEqual(a.instructions.map((i) => [i.keyword, i.rest, i.range]), b.instructions.map((i) => [i.keyword, i.rest, i.range]));
  });

  it('never throws on garbage', () => {
    for (const text of ['', '\\', '<<EOF', 'FROM', '\u0000\u0001 binary', 'RUN \\\n\\\n', '# escape=x\nFROM a', 'ONBUILD', 'ONBUILD <<EOF']) {
      assert.doesNotThrow(() => buildModel(parseDockerfile(text)), JSON.stringify(text));
    }
  });
});

describe('Dockerfile model (unit)', () => {
  it('builds stages with names, parents and ARG-resolved images', () => {
    const m = buildModel(parseDockerfile(lines('ARG BASE=node', 'ARG TAG', 'FROM ${BASE}:20 AS Build', 'RUN make', 'FROM build', 'FROM alpine:${TAG}')));
    assert.deepEqual(m.globalArgs.map((a) => a.rest), ['BASE=node', 'TAG']);
    assert.equal(m.stages.length, 3);
    assert.equal(m.stages[0].name, 'Build');
    assert.equal(m.stages[0].resolvedImage, 'node:20');
    assert.deepEqual(m.stages[0].instructions.map((i) => i.keyword), ['RUN']);
    assert.equal(m.stages[1].parent, m.stages[0], 'FROM build names the earlier stage, case-insensitively');
    assert.equal(m.stages[2].resolvedImage, undefined, 'a global ARG without a default leaves the image unknown');
    assert.deepEqual(m.stages[0].nameRange, { start: { line: 2, column: 19 }, end: { line: 2, column: 24 } });
  });

  it('reads ARG declarations and substitutes variables like the builder', () => {
    assert.deepEqual(argDeclarations('A=1 B "C"=x D="two words"'), [['A', '1'], ['B', undefined], ['"C"', 'x'], ['D', 'two words']]);
    const vars = new Map<string, string | undefined>([['A', 'a'], ['E', '']]);
    assert.equal(substitute('$A-${A}', vars), 'a-a');
    assert.equal(substitute('${E:-d}/${E-d}/${Z:-z}/${A:+alt}', vars), 'd//z/alt');
    assert.equal(substitute('${NOPE}', vars), undefined);
    assert.deepEqual(splitWords(`a "b c" 'd e'f`).map((w) => w.text), ['a', '"b c"', `'d e'f`]);
  });
});
