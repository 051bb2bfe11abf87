import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import type { LintConfig } from '../../../src/core/dockerfile/rule';
import { instructionRules } from '../../../src/core/dockerfile/rules';
import { isSensitiveName } from '../../../src/core/dockerfile/rules/argEnvRules';
import { toExecForm } from '../../../src/core/dockerfile/rules/containerCommandRules';
import { parseImageRef } from '../../../src/core/dockerfile/rules/instructionUtil';
import type { Finding, Fix } from '../../../src/core/dockerfile/types';

const rule = (code: string) => {
  const r = instructionRules.find((x) => x.code === code);
  assert.ok(r, `rule ${code} exists`);
  return r;
};

function lint(text: string, code: string, config: Partial<LintConfig> = {}): Finding[] {
  const r = rule(code);
  // Opt-in rules run only when named in an override, as a user would enable them.
  const enable = r.optIn ? { override: { [r.severity]: [code] } } : {};
  return lintDockerfile(text, { rules: [r], config: { ...enable, ...config } });
}

/** `line:col-line:col`, 0-based, for compact range assertions. */
const at = (f: Finding) => `${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`;

function applyFix(text: string, fix: Fix): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.column;
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('Dockerfile instruction rules', () => {
  it('DL3000 flags relative WORKDIRs, not absolute, variable or Windows ones', () => {
    assert.deepEqual(lint('FROM a:1\nWORKDIR app/src\n', 'DL3000').map(at), ['1:8-1:15']);
    for (const dir of ['/app', '$HOME', '"${DIR}"', 'C:/x', "'C:\\x'"]) assert.equal(lint(`FROM a:1\nWORKDIR ${dir}\n`, 'DL3000').length, 0, dir);
  });

  it('DL3002 judges the user each final image runs as, through stage inheritance', () => {
    assert.deepEqual(lint('FROM a:1\nUSER root\nRUN x\n', 'DL3002').map(at), ['1:5-1:9']);
    assert.equal(lint('FROM a:1\nUSER 0:0\n', 'DL3002').length, 1);
    assert.equal(lint('FROM a:1\nUSER root\nUSER app\n', 'DL3002').length, 0);
    // Inherited by a child stage: reported once, at the USER that set it.
    assert.deepEqual(lint('FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n', 'DL3002').map(at), ['1:5-1:9']);
    // A builder stage only copied from may stay root; the final image switched away.
    assert.equal(lint('FROM a:1 AS build\nUSER root\nFROM b:1\nCOPY --from=build /x /x\nUSER app\n', 'DL3002').length, 0);
    // The child overrides the parent's root user.
    assert.equal(lint('FROM a:1 AS base\nUSER root\nFROM base\nUSER app\n', 'DL3002').length, 0);
  });

  it('DL3006 wants a tag unless the image is a stage, scratch, a digest or unknowable', () => {
    assert.deepEqual(lint('FROM debian AS build\n', 'DL3006').map(at), ['0:5-0:11']);
    assert.equal(lint('FROM localhost:5000/app\n', 'DL3006').length, 1);
    for (const text of ['FROM scratch\n', 'FROM ruby@sha256:abc\n', 'FROM ${IMAGE}\n', 'FROM a:1 AS b\nFROM b\n', 'ARG IMG=node:20\nFROM $IMG\n']) assert.equal(lint(text, 'DL3006').length, 0, text);
    // The ARG default decides.
    assert.equal(lint('ARG IMG=node\nFROM ${IMG}\n', 'DL3006').length, 1);
  });

  it('DL3007 flags :latest, also through an ARG default, but not when pinned by digest', () => {
    assert.deepEqual(lint('FROM debian:latest\n', 'DL3007').map(at), ['0:5-0:18']);
    assert.equal(lint('ARG V=latest\nFROM node:${V}\n', 'DL3007').length, 1);
    assert.equal(lint('FROM debian:latest@sha256:abc\n', 'DL3007').length, 0);
    assert.equal(lint('FROM debian:12\n', 'DL3007').length, 0);
  });

  it('DL3010 flags a COPY of an archive that a later RUN of the stage extracts', () => {
    const text = 'FROM a:1\nCOPY app.tar.gz /src/\nRUN cd /src && tar -xzf app.tar.gz\n';
    assert.deepEqual(lint(text, 'DL3010').map(at), ['1:5-1:21']);
    assert.equal(lint('FROM a:1\nCOPY app.tar.gz /src/\nFROM b:1\nRUN tar -xf app.tar.gz\n', 'DL3010').length, 0);
    assert.equal(lint('FROM a:1\nCOPY app.tar.gz /src/\nRUN tar -cf other.tar /src\n', 'DL3010').length, 0);
    assert.equal(lint('FROM a:1\nCOPY --from=b /x.tar /x.tar\nRUN tar -xf /x.tar\n', 'DL3010').length, 0);
  });

  it('DL3011 flags each port above 65535, ranges included', () => {
    assert.deepEqual(lint('FROM a:1\nEXPOSE 80 70000/tcp 1000-99999\n', 'DL3011').map(at), ['1:10-1:19', '1:20-1:30']);
    assert.equal(lint('FROM a:1\nEXPOSE ${PORT} 443/udp\n', 'DL3011').length, 0);
  });

  it('DL3012, DL4003, DL4004 flag repeated instructions of a stage, under one BuildKit name', () => {
    const text = 'FROM a:1\nCMD ["a"]\nENTRYPOINT ["a"]\nCMD ["b"]\nHEALTHCHECK CMD ["x"]\nCMD ["c"]\nFROM b:1\nCMD ["d"]\n';
    const cmd = lint(text, 'DL4003');
    // On the overridden CMDs (BuildKit's lines), not on the one that takes effect.
    assert.deepEqual(cmd.map(at), ['1:0-1:3', '3:0-3:3']);
    assert.match(cmd[1].message, /overridden by the CMD on line 6/);
    assert.deepEqual(cmd[0].aliases, ['MultipleInstructionsDisallowed']);
    assert.equal(applyFix(text, cmd[0].fixes![0]), text.replace('CMD ["a"]\n', ''));
    // hadolint reports on the overriding instruction: its ignore pragma there still applies.
    const pragma = 'FROM a:1\nCMD ["a"]\n# hadolint ignore=DL4003\nCMD ["b"]\n';
    assert.equal(lint(pragma, 'DL4003').length, 0);
    assert.equal(lint('FROM a:1\n# hadolint ignore=DL4003\nCMD ["a"]\nCMD ["b"]\n', 'DL4003').length, 0);
    assert.equal(lint('FROM a:1\n# hadolint ignore=DL3008\nCMD ["a"]\nCMD ["b"]\n', 'DL4003').length, 1);
    assert.equal(lint(text, 'DL4004').length, 0);
    assert.equal(lint(text, 'DL3012').length, 0);
    assert.equal(lint('FROM a:1\nHEALTHCHECK NONE\nHEALTHCHECK CMD x\n', 'DL3012').length, 1);
  });

  it('DL3020 flags ADD of plain files and offers COPY', () => {
    const text = 'FROM a:1\nADD --chown=1:1 src/ /app/\n';
    const [f] = lint(text, 'DL3020');
    assert.equal(at(f), '1:0-1:3');
    assert.equal(applyFix(text, f.fixes![0]), 'FROM a:1\nCOPY --chown=1:1 src/ /app/\n');
    for (const src of ['x.tar.gz', 'https://example.com/x', '"x.tgz"', 'git@github.com:o/r.git']) assert.equal(lint(`FROM a:1\nADD ${src} /x/\n`, 'DL3020').length, 0, src);
    // ADD-only flags: the finding stays, the fix would not build.
    assert.equal(lint('FROM a:1\nADD --checksum=sha256:abc file /x\n', 'DL3020')[0].fixes, undefined);
  });

  it('DL3021 wants a directory destination for several sources', () => {
    assert.deepEqual(lint('FROM a:1\nCOPY a b dest\n', 'DL3021').map(at), ['1:9-1:13']);
    assert.equal(lint('FROM a:1\nCOPY ["a", "b", "dest"]\n', 'DL3021').length, 1);
    assert.equal(lint('FROM a:1\nCOPY a b "dest/"\nCOPY a dest\n', 'DL3021').length, 0);
  });

  it('DL3022 and DL3023 check COPY --from against earlier stages', () => {
    const text = 'FROM a:1 AS build\nCOPY --from=build x y\nFROM b:1\nCOPY --from=Build x y\nCOPY --from=later x y\nCOPY --from=0 x y\nCOPY --from=nginx:1 x y\nFROM c:1 AS later\n';
    assert.deepEqual(lint(text, 'DL3022').map(at), ['4:5-4:17']);
    assert.deepEqual(lint(text, 'DL3023').map(at), ['1:5-1:17']);
    assert.equal(lint('COPY --from=0 x y\n', 'DL3022').length, 1);
  });

  it('DL3024 flags a repeated stage name (case-insensitive) as DuplicateStageName too', () => {
    const [f, ...rest] = lint('FROM a:1 AS b\nFROM c:1 AS B\nFROM d:1 AS e\n', 'DL3024');
    assert.equal(rest.length, 0);
    assert.equal(at(f), '1:12-1:13');
    assert.deepEqual(f.aliases, ['DuplicateStageName']);
  });

  it('DL3025 flags shell-form CMD/ENTRYPOINT/HEALTHCHECK CMD and converts plain commands to exec form', () => {
    const text = 'FROM a:1\nCMD exec node server.js --port=80\n';
    const [f] = lint(text, 'DL3025');
    assert.equal(at(f), '1:4-1:33');
    assert.deepEqual(f.aliases, ['JSONArgsRecommended']);
    assert.equal(applyFix(text, f.fixes![0]), 'FROM a:1\nCMD ["node", "server.js", "--port=80"]\n');
    const hc = lint('FROM a:1\nHEALTHCHECK --interval=5s CMD curl -f http://x/ || exit 1\n', 'DL3025');
    assert.deepEqual(hc.map(at), ['1:30-1:57']);
    assert.equal(hc[0].fixes, undefined); // `||` needs a shell
    assert.equal(lint('FROM a:1\nENTRYPOINT ["a", "b"]\nCMD [ "x", \\\n  "y" ]\n', 'DL3025').length, 0);
  });

  it('DL3025 leaves a shell chosen by SHELL alone, in the stage or a base stage (as BuildKit does)', () => {
    assert.equal(lint('FROM a:1\nSHELL ["/bin/bash", "-c"]\nCMD echo hi\n', 'DL3025').length, 0);
    assert.equal(lint('FROM a:1 AS base\nSHELL ["pwsh", "-c"]\nFROM base\nENTRYPOINT run\n', 'DL3025').length, 0);
    assert.equal(lint('FROM a:1\nCMD echo hi\nSHELL ["/bin/bash", "-c"]\n', 'DL3025').length, 1);
  });

  it('toExecForm converts only commands without shell syntax', () => {
    assert.deepEqual(toExecForm(`node 'a b' "c d" e=f`), ['node', 'a b', 'c d', 'e=f']);
    for (const cmd of ['echo $HOME', 'a && b', 'a > log', 'ls *.js', 'FOO=1 run', 'cd /x', '"$X"', 'a # c', '']) assert.equal(toExecForm(cmd), undefined, cmd);
  });

  it('DL3026 allows only trusted registries, with wildcards, for FROM, COPY --from and RUN --mount', () => {
    const config = { trustedRegistries: ['docker.io', '*.corp.example'] };
    const text = 'FROM ubuntu:24.04 AS a\nFROM quay.io/x/y:1\nFROM eu.corp.example/z:1\nFROM a\nCOPY --from=ghcr.io/o/i:1 /x /x\nRUN --mount=type=bind,from=gcr.io/p/i:1,target=/m true\nCOPY --from=a /x /x\n';
    assert.deepEqual(lint(text, 'DL3026', config).map(at), ['1:5-1:18', '4:5-4:25', '5:4-5:49']);
    assert.equal(lint(text, 'DL3026').length, 0); // nothing configured
    assert.equal(lint('FROM ${REGISTRY}/x:1\n', 'DL3026', config).length, 0);
    assert.equal(lint('FROM ubuntu:24.04\n', 'DL3026', { trustedRegistries: ['quay.io'] }).length, 1);
  });

  it('DL3029 flags a constant --platform but not BUILDPLATFORM/TARGETPLATFORM', () => {
    assert.deepEqual(lint('FROM --platform=linux/amd64 a:1\n', 'DL3029').map(at), ['0:5-0:27']);
    assert.equal(lint('FROM --platform="${BUILDPLATFORM:-}" a:1\n', 'DL3029').length, 0);
  });

  it('DL3043 flags ONBUILD ONBUILD/FROM/MAINTAINER', () => {
    assert.deepEqual(lint('FROM a:1\nONBUILD FROM b\nONBUILD RUN x\nONBUILD MAINTAINER me\n', 'DL3043').map(at), ['1:8-1:12', '3:8-3:18']);
  });

  it('DL3044 flags a reference to a key defined in the same ENV', () => {
    const [f, ...rest] = lint('FROM a:1\nENV A=1 B="${A}/x" C=$AB\n', 'DL3044');
    assert.equal(rest.length, 0);
    assert.equal(at(f), '1:11-1:15');
    assert.equal(lint('FROM a:1\nARG A\nENV A=1 B=$A\nENV PATH=/x:$PATH\n', 'DL3044').length, 0);
    assert.equal(lint("FROM a:1\nENV A=1 B='$A'\n", 'DL3044').length, 0);
  });

  it('DL3045 flags a relative COPY destination until a WORKDIR is set in the stage chain', () => {
    const text = 'FROM a:1 AS base\nCOPY x rel/\nWORKDIR /app\nCOPY x rel/\nFROM base\nCOPY x rel\nFROM b:1\nCOPY x rel\nCOPY x /abs\nCOPY x $DIR\n';
    assert.deepEqual(lint(text, 'DL3045').map(at), ['1:7-1:11', '7:7-7:10']);
  });

  it('DL3057 (opt-in) wants a HEALTHCHECK on each final image, inherited ones count', () => {
    assert.equal(lintDockerfile('FROM a:1\n', { rules: [rule('DL3057')] }).length, 0); // off by default
    assert.deepEqual(lint('FROM a:1 AS base\nHEALTHCHECK NONE\nFROM base\nFROM b:1 AS build\nFROM c:1\nCOPY --from=build /x /x\n', 'DL3057').map(at), ['4:0-4:4']);
  });

  it('DL3061 flags instructions before the first FROM other than ARG', () => {
    assert.deepEqual(lint('ARG X=1\nLABEL a=b\nFROM a:1\nLABEL c=d\n', 'DL3061').map(at), ['1:0-1:5']);
  });

  it('DL3063 flags the reserved stage names scratch and context (ReservedStageName)', () => {
    const fs = lint('FROM a:1 AS scratch\nFROM a:1 AS Context\nFROM a:1 AS build\n', 'DL3063');
    assert.deepEqual(fs.map(at), ['0:12-0:19', '1:12-1:19']);
    assert.deepEqual(fs[0].aliases, ['ReservedStageName']);
  });

  it('DL3064 flags secret-looking ARG/ENV names by both tools’ heuristics, per key', () => {
    const fs = lint('ARG GITHUB_TOKEN\nFROM a:1\nENV DB_PASSWORD=x PORT=1 auth=y\nARG SECRET_FILE\nONBUILD ARG NPM_TOKEN\n', 'DL3064');
    assert.deepEqual(fs.map(at), ['0:4-0:16', '2:4-2:15', '2:25-2:29', '4:12-4:21']);
    assert.deepEqual(fs[0].aliases, ['SecretsUsedInArgOrEnv']);
    for (const name of ['AWS_ACCESS_KEY_ID', 'openai_api_key', 'apikey', 'git_key', 'my_private_thing']) assert.ok(isSensitiveName(name), name);
    for (const name of ['PUBLIC_KEY', 'password_file', 'AUTH_MODULE_VERSION', 'monkey', 'KEYBOARD']) assert.ok(!isSensitiveName(name), name);
  });

  it('DL3065 flags --platform=$TARGETPLATFORM and removes it', () => {
    const text = 'FROM --platform=${TARGETPLATFORM} alpine:3 AS x\n';
    const [f] = lint(text, 'DL3065');
    assert.equal(at(f), '0:5-0:33');
    assert.deepEqual(f.aliases, ['RedundantTargetPlatform']);
    assert.equal(applyFix(text, f.fixes![0]), 'FROM alpine:3 AS x\n');
    assert.equal(lint('FROM --platform=$BUILDPLATFORM a:1\n', 'DL3065').length, 0);
  });

  it('DL3066 flags non-numeric users unless a variable decides', () => {
    assert.deepEqual(lint('FROM a:1\nUSER app:1000\nUSER 1000:app\nUSER $UID\n', 'DL3066').map(at), ['1:5-1:13']);
  });

  it('DL3067 flags copying / to / from another stage', () => {
    assert.deepEqual(lint('FROM a:1\nCOPY --from=b / /\nCOPY --from=b / /app\nCOPY / /\n', 'DL3067').map(at), ['1:5-1:17']);
  });

  it('DL4000 flags MAINTAINER and rewrites it as the OCI authors label', () => {
    const text = 'FROM a:1\nMAINTAINER Jane "JD" Doe <jane@example.com>\n';
    const [f] = lint(text, 'DL4000');
    assert.equal(at(f), '1:0-1:10');
    assert.deepEqual(f.aliases, ['MaintainerDeprecated']);
    assert.equal(applyFix(text, f.fixes![0]), 'FROM a:1\nLABEL org.opencontainers.image.authors="Jane \\"JD\\" Doe <jane@example.com>"\n');
    assert.equal(applyFix('maintainer "me"', lint('maintainer "me"', 'DL4000')[0].fixes![0]), 'label org.opencontainers.image.authors="me"');
  });

  it('DL1001 (opt-in) flags inline ignore pragmas only', () => {
    assert.deepEqual(lint('FROM a:1\n# hadolint ignore=DL3006\nRUN x\n# hadolint global ignore=DL3006\n# hadolint shell=bash\n', 'DL1001').map(at), ['1:0-1:24']);
  });

  it('parseImageRef splits registry, path, tag and digest', () => {
    assert.deepEqual(parseImageRef('localhost:5000/a/b:1@sha256:x'), { registry: 'localhost:5000', path: 'a/b', tag: '1', digest: 'sha256:x' });
    assert.deepEqual(parseImageRef('library/debian'), { registry: undefined, path: 'library/debian', tag: undefined, digest: undefined });
  });
});
