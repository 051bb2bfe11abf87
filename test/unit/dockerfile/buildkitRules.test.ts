import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import { buildkitRules } from '../../../src/core/dockerfile/rules';
import { isValidReference } from '../../../src/core/dockerfile/rules/buildkitVariableRules';
import { parsePlatform } from '../../../src/core/dockerfile/rules/stageRules';
import { expandWord, suggest } from '../../../src/core/dockerfile/rules/buildkitVars';
import type { Range } from '../../../src/core/dockerfile/types';
import { applyFix } from './applyFix';

const lint = (text: string, code?: string) => lintDockerfile(text, { rules: buildkitRules }).filter((f) => !code || f.code === code);
const codes = (text: string) => lint(text).map((f) => f.code);
const messages = (text: string, code: string) => lint(text, code).map((f) => f.message);
const lines = (text: string, code: string) => lint(text, code).map((f) => f.range.start.line + 1);
const r = (line: number, start: number, end: number): Range => ({ start: { line, column: start }, end: { line, column: end } });


describe('BuildKit build checks (unit)', () => {
  it('StageNameCasing flags a mixed-case stage name and lower-cases it with its references', () => {
    const text = 'FROM alpine AS Builder\nRUN x\nFROM Builder AS final\nCOPY --from=Builder /a /b\nFROM alpine AS ok\n';
    const [f, ...rest] = lint(text, 'StageNameCasing');
    assert.equal(rest.length, 0);
    assert.equal(f.message, "Stage name 'Builder' should be lowercase");
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, r(0, 15, 22));
    assert.equal(applyFix(text, f), 'FROM alpine AS builder\nRUN x\nFROM builder AS final\nCOPY --from=builder /a /b\nFROM alpine AS ok\n');
  });

  it('FromAsCasing compares AS with a consistently cased FROM only', () => {
    const text = 'FROM a as b\nfrom c AS d\nFrom e as f\nFROM g AS h\nfrom i as j\n';
    const found = lint(text, 'FromAsCasing');
    assert.deepEqual(found.map((f) => f.message), ["'as' and 'FROM' keywords' casing do not match", "'AS' and 'from' keywords' casing do not match"]);
    assert.deepEqual(found[0].range, r(0, 7, 9));
    assert.equal(applyFix('FROM a as b\n', lint('FROM a as b\n', 'FromAsCasing')[0]), 'FROM a AS b\n');
    assert.equal(applyFix('from c AS d\n', lint('from c AS d\n', 'FromAsCasing')[0]), 'from c as d\n');
  });

  it('NoEmptyContinuation reports once per instruction, on its last line, and deletes the empty lines', () => {
    const text = 'FROM scratch\nCOPY Dockerfile \\\n\n.\nRUN a \\\n  # comment\n  b\n';
    const found = lint(text, 'NoEmptyContinuation');
    assert.equal(found.length, 1);
    assert.equal(found[0].message, 'Empty continuation line');
    assert.deepEqual(found[0].range, r(3, 0, 1));
    assert.equal(applyFix(text, found[0]), 'FROM scratch\nCOPY Dockerfile \\\n.\nRUN a \\\n  # comment\n  b\n');
    const two = 'FROM a\nRUN x \\\n\n  && y \\\n\n  && z\n';
    assert.deepEqual(lines(two, 'NoEmptyContinuation'), [6]);
    assert.equal(applyFix(two, lint(two, 'NoEmptyContinuation')[0]), 'FROM a\nRUN x \\\n  && y \\\n  && z\n');
  });

  it('ConsistentInstructionCasing follows the majority (uppercase on a tie) and always flags mixed case', () => {
    assert.deepEqual(messages('from scratch\nCOPY a /foo\ncopy b /bar\n', 'ConsistentInstructionCasing'), ["Command 'COPY' should match the case of the command majority (lowercase)"]);
    assert.deepEqual(lines('FROM a\ncopy x y\n', 'ConsistentInstructionCasing'), [2], 'tie → uppercase');
    assert.deepEqual(lines('From alpine\nRun echo\nEntRYpOiNT ["x"]\n', 'ConsistentInstructionCasing'), [1, 2, 3]);
    assert.deepEqual(lines('arg V\narg W\nFROM a\nRUN b\n', 'ConsistentInstructionCasing'), [], 'ARGs before the first FROM are not counted');
    const f = lint('FROM a\nRUN b\nrun c\n', 'ConsistentInstructionCasing');
    assert.deepEqual(f[0].range, r(2, 0, 3));
    assert.equal(applyFix('FROM a\nRUN b\nrun c\n', f[0]), 'FROM a\nRUN b\nRUN c\n');
    assert.deepEqual(codes('FROM alpine\nRUN <<EOT\nenv\nEOT\n'), []);
  });

  it('LegacyKeyValueFormat flags ENV/LABEL key value, with a fix when the rewrite is mechanical', () => {
    const text = 'FROM scratch\nENV testkey value\nLABEL key value\nENV ok=1 also=2\nARG TARGETOS TARGETARCH\n';
    assert.deepEqual(messages(text, 'LegacyKeyValueFormat'), ['"ENV key=value" should be used instead of legacy "ENV key value" format', '"LABEL key=value" should be used instead of legacy "LABEL key value" format']);
    assert.deepEqual(lines(text, 'LegacyKeyValueFormat'), [2, 3]);
    const fix = (t: string) => applyFix(t, lint(t, 'LegacyKeyValueFormat')[0]);
    assert.equal(fix('FROM a\nENV K v\n'), 'FROM a\nENV K=v\n');
    assert.equal(fix('FROM a\nENV MSG hello  world\n'), 'FROM a\nENV MSG="hello  world"\n');
    assert.equal(fix('FROM a\nLABEL k "quoted value"\n'), 'FROM a\nLABEL k="quoted value"\n');
    assert.equal(lint('FROM a\nENV K "a" b\n', 'LegacyKeyValueFormat')[0].fixes, undefined, 'quotes with spaces: not mechanical');
    assert.equal(lint('ENV DEPS \\\n    curl \\\n    git\n', 'LegacyKeyValueFormat')[0].fixes, undefined, 'multi-line: whitespace would change');
  });

  it('UndefinedArgInFrom flags undeclared variables in FROM with a suggestion; platform ARGs are predefined', () => {
    assert.deepEqual(messages('ARG tag=latest\nFROM busybox:${tag}${version} AS b\n', 'UndefinedArgInFrom'), ["FROM argument 'version' is not declared"]);
    assert.deepEqual(messages('FROM --platform=$BULIDPLATFORM scratch\n', 'UndefinedArgInFrom'), ["FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"]);
    const f = lint('ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n', 'UndefinedArgInFrom');
    assert.equal(f[0].message, "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)");
    assert.deepEqual(f[0].range, r(2, 22, 31));
    for (const ok of ['ARG DEBUG\nFROM scratch${DEBUG}\n', 'FROM --platform=$BUILDPLATFORM scratch\n', 'ARG D\nFROM scra${D:-tch}\n', 'ARG base=scratch\nFROM $base\n']) {
      assert.deepEqual(codes(ok).filter((c) => c === 'UndefinedArgInFrom'), [], ok);
    }
  });

  it('InvalidDefaultArgInFrom evaluates FROM with ARG defaults only', () => {
    assert.deepEqual(messages('ARG VERSION\nFROM busybox:$VERSION\n', 'InvalidDefaultArgInFrom'), ['Default value for ARG busybox:$VERSION results in empty or invalid base image name']);
    assert.deepEqual(lines('ARG IMAGE\nFROM $IMAGE\n', 'InvalidDefaultArgInFrom'), [2]);
    assert.deepEqual(lines('ARG SFX="box:"\nFROM busy${SFX}\n', 'InvalidDefaultArgInFrom'), [2]);
    assert.deepEqual(lint('ARG IMAGE\nFROM $IMAGE AS x\n', 'InvalidDefaultArgInFrom')[0].range, r(1, 5, 11));
    for (const ok of ['ARG V="latest"\nFROM busybox:${V}\n', 'ARG V\nFROM busybox:stable${V}\n', 'ARG TAG\nFROM alpine:${TAG:-3.14}\n', 'FROM build_${TARGETARCH}\n']) {
      assert.deepEqual(lint(ok, 'InvalidDefaultArgInFrom'), [], ok);
    }
  });

  it('UndefinedVar follows the dispatch order, stage inheritance and ARG declarations', () => {
    const f = lint('FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo $nope\nCOPY $foo .\n', 'UndefinedVar');
    assert.deepEqual(f.map((x) => x.message), ["Usage of undefined variable '$foo'"]);
    assert.deepEqual(f[0].range, r(1, 5, 9));
    assert.deepEqual(lint('FROM alpine AS base\nARG foo=Dockerfile\nFROM base\nCOPY $foo .\n', 'UndefinedVar'), []);
    assert.deepEqual(lint('FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n', 'UndefinedVar'), [], 'declared without a value');
    assert.deepEqual(lines('FROM scratch AS first\nCOPY $foo .\nFROM scratch AS second\nCOPY $bar .\n', 'UndefinedVar'), [2, 4]);
    assert.deepEqual(lines('ARG V=1\nFROM alpine\nCOPY app-$V .\n', 'UndefinedVar'), [3], 'global ARGs are not in a stage unless redeclared');
    assert.deepEqual(lint('ARG V=1\nFROM alpine\nARG V\nCOPY app-$V .\n', 'UndefinedVar'), []);
  });

  it('UndefinedVar suggests the closest defined name, PATH included', () => {
    assert.deepEqual(messages('FROM alpine\nENV PATH=$PAHT:/tmp/bin\n', 'UndefinedVar'), ["Usage of undefined variable '$PAHT' (did you mean $PATH?)"]);
    assert.deepEqual(messages('FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n', 'UndefinedVar'), ["Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)"]);
  });

  it('UndefinedVar looks where BuildKit expands: flags, mounts, heredoc bodies, not shell-form commands', () => {
    const text = [
      'FROM alpine',
      'RUN --mount=type=cache,target=$CACHE echo $SHELL_VAR',
      'COPY --chown=$OWNER a b',
      "LABEL a='$single' b=\"$double\"",
      'COPY <<EOF /conf',
      'x=$BODY \\$escaped',
      'EOF',
      "COPY <<'EOF' /conf2",
      'y=$QUOTED',
      'EOF',
      'CMD echo $CMD_VAR',
      'ENV A=1 B=$A',
      'WORKDIR ${NOPE:-/x}',
    ].join('\n');
    const f = lint(text, 'UndefinedVar');
    assert.deepEqual(
      f.map((x) => x.message.replace(/Usage of undefined variable |'/g, '')),
      ['$CACHE', '$OWNER', '$double', '$BODY', '$A', '$NOPE'],
    );
    assert.deepEqual(f[0].range, r(1, 30, 36));
    assert.deepEqual(f[3].range, r(5, 2, 7));
  });

  it('UndefinedVar knows the ENV of common official images and always PATH', () => {
    assert.deepEqual(lint('FROM python:3.12 AS base\nARG VERSION=$PYTHON_VERSION\n', 'UndefinedVar'), []);
    assert.deepEqual(lint('FROM node:20\nWORKDIR /app/$NODE_VERSION\nENV PATH=/x:$PATH\n', 'UndefinedVar'), []);
    assert.deepEqual(lines('FROM alpine AS base\nARG VERSION=$foo\n', 'UndefinedVar'), [2]);
  });

  it('ExposeProtoCasing and ExposeInvalidFormat check each port, with fixes', () => {
    const text = 'FROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n';
    const proto = lint(text, 'ExposeProtoCasing');
    assert.deepEqual(proto.map((f) => f.message), ["Defined protocol '80/TcP' in EXPOSE instruction should be lowercase", "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase"]);
    assert.deepEqual(proto[0].range, r(1, 7, 13));
    assert.equal(applyFix(text, proto[1]).split('\n')[1], 'EXPOSE 80/TcP 8080/tcp 8080/udp');
    const fmt = lint(text, 'ExposeInvalidFormat');
    assert.deepEqual(fmt.map((f) => f.message.replace(/.*found /, '')), ["'127.0.0.1:80:80'", "'[::1]:8080:8080'", "'5000:5000'"]);
    assert.equal(applyFix(text, fmt[0]).split('\n')[2], 'EXPOSE 80 [::1]:8080:8080 5000:5000 8000');
    assert.deepEqual(lines('FROM a\nARG P=80:80\nEXPOSE $P\n', 'ExposeInvalidFormat'), [3], 'known values are expanded');
  });

  it('FromPlatformFlagConstDisallowed flags a constant platform unless the stage name mentions it', () => {
    const f = lint('FROM --platform=linux/amd64 scratch\n', 'FromPlatformFlagConstDisallowed');
    assert.deepEqual(f.map((x) => x.message), ['FROM --platform flag should not use constant value "linux/amd64"']);
    assert.deepEqual(f[0].range, r(0, 5, 27));
    for (const ok of ['FROM --platform=linux/amd64 scratch AS my_amd64_stage\n', 'FROM --platform=linux/arm64 alpine AS linux\n', 'FROM --platform=$BUILDPLATFORM alpine\n', 'FROM --platform=nonsense alpine\n']) {
      assert.deepEqual(lint(ok, 'FromPlatformFlagConstDisallowed'), [], ok);
    }
  });

  it('InvalidDefinitionDescription is opt-in and checks the comment right above FROM/ARG', () => {
    const body = '# bar this is the bar\nARG foo=bar\n# BasE the image\nFROM scratch AS base\n# bad\nARG a=1 b=2\n#\nARG c\n# c2 fine\n\nARG c3\n# d is described\nARG x=1 d=2\n';
    assert.deepEqual(lint(body, 'InvalidDefinitionDescription'), [], 'experimental: off by default');
    const f = lint(`# check=experimental=InvalidDefinitionDescription\n${body}`, 'InvalidDefinitionDescription');
    assert.deepEqual(
      f.map((x) => x.message),
      ['Comment for ARG should follow the format: `# foo <description>`', 'Comment for FROM should follow the format: `# base <description>`', 'Comment for ARG should follow the format: `# <arg_key> <description>`'],
    );
    assert.deepEqual(f.map((x) => x.range.start.line + 1), [3, 5, 7]);
    assert.deepEqual(f[1].range, r(4, 16, 20));
  });

  it('expands words the way the builder does', () => {
    const env = new Map<string, string | null>([['A', 'x'], ['E', ''], ['U', null]]);
    const exp = (t: string) => expandWord(t, (n) => env.get(n));
    assert.equal(exp('$A-${A}-"$A"-\'$A\'-\\$A').value, 'x-x-x-$A-$A');
    assert.equal(exp('${B:-d}${E:-e}${E-f}${A:+p}${B+q}').value, 'de' + 'p');
    assert.equal(exp('$U').value, undefined, 'unknown value');
    assert.equal(exp('${A').value, undefined, 'broken syntax');
    assert.deepEqual(exp('a${B:-$C}$1').refs.map((x) => [x.name, x.start, x.end, x.set]), [['C', 6, 8, false], ['B', 1, 9, false], ['1', 9, 11, false]]);
    assert.equal(expandWord('"$A" \'$A\'', (n) => env.get(n), { quotes: false }).value, '"x" \'x\'');
    assert.equal(suggest('PAHT', ['HOME', 'PATH']), 'PATH');
    assert.equal(suggest('XYZABC', ['PATH']), undefined);
  });

  it('recognizes image references and platforms like the builder', () => {
    for (const ok of ['busybox', 'busybox:stable-musl', 'localhost:5000/a/b:1.0', 'ghcr.io/o/i@sha256:' + 'a'.repeat(64), 'scratch']) assert.ok(isValidReference(ok), ok);
    for (const bad of ['', 'busybox:', 'Busybox', ':tag', 'a//b']) assert.ok(!isValidReference(bad), bad);
    assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', arch: 'amd64' });
    assert.deepEqual(parsePlatform('arm64'), { os: 'linux', arch: 'arm64' });
    assert.equal(parsePlatform('nonsense'), undefined);
  });
});
