import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import { ruleUrl, type Rule } from '../../../src/core/dockerfile/rule';
import { packageRules } from '../../../src/core/dockerfile/rules';
import type { Finding } from '../../../src/core/dockerfile/types';

const rule = (code: string): Rule => packageRules.find((r) => r.code === code)!;
const lint = (code: string, text: string): Finding[] => lintDockerfile(text, { rules: [rule(code)] });
const count = (code: string, text: string) => lint(code, text).length;
/** The text each finding covers (single-line ranges). */
const covered = (code: string, text: string) => {
  const lines = text.split('\n');
  return lint(code, text).map((f) => lines[f.range.start.line].slice(f.range.start.column, f.range.end.line === f.range.start.line ? f.range.end.column : undefined));
};
/** The text after applying the first finding's fix (each of these fixes is a single edit). */
const fixed = (code: string, text: string) => {
  const f = lint(code, text)[0];
  assert.ok(f?.fixes?.length, `${code} offers a fix`);
  assert.equal(f.fixes![0].edits.length, 1);
  const { range, newText } = f.fixes![0].edits[0];
  const offset = (p: { line: number; column: number }) => text.split('\n').slice(0, p.line).join('\n').length + (p.line ? 1 : 0) + p.column;
  return text.slice(0, offset(range.start)) + newText + text.slice(offset(range.end));
};

describe('package manager rules (unit)', () => {
  it('every package rule is registered once, with hadolint URLs', () => {
    const codes = packageRules.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of ['DL3008', 'DL3009', 'DL3013', 'DL3014', 'DL3015', 'DL3016', 'DL3018', 'DL3019', 'DL3027', 'DL3028', 'DL3030', 'DL3032', 'DL3033', 'DL3034', 'DL3035', 'DL3036', 'DL3037', 'DL3038', 'DL3040', 'DL3041', 'DL3042', 'DL3060', 'DL3062']) {
      assert.ok(codes.includes(c), c);
      assert.match(ruleUrl(rule(c)), new RegExp(`/wiki/${c}$`));
    }
  });

  it('DL3008 flags the first unpinned apt-get package, knowing options that take values', () => {
    const text = 'FROM debian\nRUN apt-get update && apt-get install -y -t bookworm-backports curl=7.88 wget git\n';
    assert.deepEqual(covered('DL3008', text), ['wget']);
    assert.equal(count('DL3008', 'FROM d\nRUN apt-get install -y ./pkg.deb python=2.7 foo/bookworm -o APT::Install-Recommends=false\n'), 0);
    // Pinned via a known variable.
    assert.equal(count('DL3008', 'FROM d\nARG V=1.2\nRUN apt-get install -y curl=$V\n'), 0);
    // Multi-line RUN: the range lands on the continuation line.
    const f = lint('DL3008', 'FROM d\nRUN apt-get install -y \\\n      curl\n');
    assert.deepEqual(f[0].range, { start: { line: 2, column: 6 }, end: { line: 2, column: 10 } });
  });

  it('DL3009 wants the lists removed after update, in stages that reach an image', () => {
    assert.deepEqual(covered('DL3009', 'FROM d\nRUN apt-get update && apt-get install -y x\n'), ['apt-get update']);
    assert.equal(count('DL3009', 'FROM d\nRUN apt update && apt install x && rm -rf /var/lib/apt/lists/*\n'), 0);
    assert.equal(count('DL3009', 'FROM d\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n'), 1, 'cleaning before the update does not help');
    assert.equal(count('DL3009', 'FROM d\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n'), 0);
    assert.equal(count('DL3009', 'FROM d\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n'), 1);
    // A build stage nothing builds on is thrown away; one used as a base is not.
    assert.equal(count('DL3009', 'FROM d AS build\nRUN apt-get update\nFROM scratch\nCOPY --from=build /x /x\n'), 0);
    assert.equal(count('DL3009', 'FROM d AS base\nRUN apt-get update\nFROM base\nRUN true\n'), 1);
    // ONBUILD triggers are judged as if in the final image.
    assert.equal(count('DL3009', 'FROM d AS build\nONBUILD RUN apt-get update\nFROM scratch\n'), 1);
    assert.equal(
      fixed('DL3009', 'FROM d\nRUN apt-get update && apt-get install -y x\n'),
      'FROM d\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
    );
    assert.equal(lint('DL3009', 'FROM d\nRUN apt-get update # refresh\n')[0].fixes, undefined, 'no fix after a trailing comment');
    assert.equal(fixed('DL3009', 'FROM d\nRUN apt-get update;\n'), 'FROM d\nRUN apt-get update; rm -rf /var/lib/apt/lists/*\n');
    assert.equal(fixed('DL3009', 'FROM d\nRUN <<EOF\napt-get update\nEOF\n'), 'FROM d\nRUN <<EOF\napt-get update\nrm -rf /var/lib/apt/lists/*\nEOF\n');
  });

  it('DL3014 asks for -y on apt-get install; -qq implies it', () => {
    assert.deepEqual(covered('DL3014', 'FROM d\nRUN apt-get install python\n'), ['apt-get install']);
    for (const ok of ['apt-get -y install x', 'apt-get install --yes x', 'apt-get install --assume-yes x', 'apt-get install -qq x', 'apt-get install -q=2 x', 'apt-get -yq install x']) {
      assert.equal(count('DL3014', `FROM d\nRUN ${ok}\n`), 0, ok);
    }
    assert.equal(count('DL3014', 'FROM d\nRUN apt-get install -q x\n'), 1);
    assert.equal(fixed('DL3014', 'FROM d\nRUN apt-get install x\n'), 'FROM d\nRUN apt-get install -y x\n');
  });

  it('DL3015 asks for --no-install-recommends, with a fix after install', () => {
    assert.equal(count('DL3015', 'FROM d\nRUN apt-get -o APT::Install-Recommends=false install x\n'), 0);
    assert.equal(fixed('DL3015', 'FROM d\nRUN apt-get install -y x\n'), 'FROM d\nRUN apt-get install --no-install-recommends -y x\n');
    assert.equal(count('DL3015', 'FROM d\nRUN ["apt-get", "install", "x"]\n'), 1, 'exec form is read too');
    assert.equal(lint('DL3015', 'FROM d\nRUN ["apt-get", "install", "x"]\n')[0].fixes, undefined, 'but not rewritten');
  });

  it('DL3013 pins pip packages, skipping requirement files, constraints and option values', () => {
    assert.deepEqual(covered('DL3013', 'FROM p\nRUN pip install six==1 requests\n'), ['requests']);
    for (const ok of [
      'pip install -r requirements.txt',
      'pip install .',
      'pip install --index-url https://x/simple foo==1',
      'pipx install --python "$(which python)" "poetry==1.8.5"',
      'pip install pykafka -c constraints.txt',
      'pip install git+https://h/r.git@v1',
      'pip install ./wheel.whl',
      'pipenv install black',
      'python3 -m pip install a~=1.0',
    ]) {
      assert.equal(count('DL3013', `FROM p\nRUN ${ok}\n`), 0, ok);
    }
    assert.equal(count('DL3013', 'FROM p\nRUN pip install --root-user-action=ignore mypkg\n'), 1);
    assert.equal(count('DL3013', 'FROM p\nRUN python -m pip install example\n'), 1);
  });

  it('DL3042 asks pip for --no-cache-dir unless PIP_NO_CACHE_DIR or a cache mount says otherwise', () => {
    assert.equal(fixed('DL3042', 'FROM p\nRUN pip install six\n'), 'FROM p\nRUN pip install --no-cache-dir six\n');
    assert.equal(count('DL3042', 'FROM p\nENV PIP_NO_CACHE_DIR=1\nRUN pip install six\n'), 0);
    assert.equal(count('DL3042', 'FROM p\nENV PIP_NO_CACHE_DIR=off\nRUN pip install six\n'), 1);
    assert.equal(count('DL3042', 'FROM p\nRUN export PIP_NO_CACHE_DIR=true && pip install six\n'), 0);
    assert.equal(count('DL3042', 'FROM p\nRUN PIP_NO_CACHE_DIR=yes pip install six\n'), 0);
    assert.equal(count('DL3042', 'FROM p AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six\n'), 0, 'inherited from the parent stage');
    assert.equal(count('DL3042', 'FROM p AS base\nENV PIP_NO_CACHE_DIR=1\nFROM p\nRUN pip install six\n'), 1, 'not from an unrelated stage');
    assert.equal(count('DL3042', 'FROM p\nRUN --mount=type=cache,target=/root/.cache/pip pip install six\n'), 0);
    assert.equal(count('DL3042', 'FROM p\nRUN pipx install black && pipenv install\n'), 0);
  });

  it('DL3016 pins npm packages but not npm install from package.json', () => {
    assert.deepEqual(covered('DL3016', 'FROM n\nRUN npm install -g express@4 @scope/pkg\n'), ['@scope/pkg']);
    for (const ok of ['npm install', 'npm ci', 'npm install --loglevel verbose sax@0.1.1', 'npm install ./dir git+https://h/r.git#v1 pkg.tgz', 'npm run --x install']) {
      assert.equal(count('DL3016', `FROM n\nRUN ${ok}\n`), 0, ok);
    }
    assert.equal(count('DL3016', 'FROM n\nRUN npm install --registry=https://r express\n'), 1);
  });

  it('DL3018 pins apk packages (= ~ < >) and DL3019 wants --no-cache', () => {
    assert.deepEqual(covered('DL3018', 'FROM a\nRUN apk add --no-cache --virtual .deps flex=2 "libffi~3" bison\n'), ['bison']);
    assert.equal(count('DL3018', 'FROM a\nRUN apk add -X https://repo flow=1 ./x.apk\n'), 0);
    assert.equal(fixed('DL3019', 'FROM a\nRUN apk add curl=1\n'), 'FROM a\nRUN apk add --no-cache curl=1\n');
    assert.equal(count('DL3019', 'FROM a\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=1\n'), 0);
  });

  it('DL3027 flags apt and offers apt-get (apt-cache for searches)', () => {
    assert.deepEqual(covered('DL3027', 'FROM d\nRUN apt install -y x\n'), ['apt']);
    assert.equal(fixed('DL3027', 'FROM d\nRUN apt install -y x\n'), 'FROM d\nRUN apt-get install -y x\n');
    assert.equal(fixed('DL3027', 'FROM d\nRUN apt search x\n'), 'FROM d\nRUN apt-cache search x\n');
    assert.equal(count('DL3027', 'FROM d\nONBUILD RUN apt install x\n'), 1);
  });

  it('DL3028 pins gems unless a version option is given; words after -- are not gems', () => {
    assert.deepEqual(covered('DL3028', 'FROM r\nRUN gem install rails:7 nokogiri\n'), ['nokogiri']);
    for (const ok of ["gem install bundler -v '2.0.1'", 'gem install bundler --version=2', 'gem i bundler:2 -- --with-x=true']) {
      assert.equal(count('DL3028', `FROM r\nRUN ${ok}\n`), 0, ok);
    }
  });

  it('yum: DL3030 -y, DL3032 clean after install, DL3033 versions (variables resolved)', () => {
    assert.equal(fixed('DL3030', 'FROM c\nRUN yum install httpd-2.4\n'), 'FROM c\nRUN yum install -y httpd-2.4\n');
    assert.equal(count('DL3032', 'FROM c\nRUN yum install -y x-1 && yum clean all\n'), 0);
    assert.equal(count('DL3032', 'FROM c\nRUN yum clean all && yum install -y x-1\n'), 1);
    assert.equal(count('DL3032', 'FROM c\nRUN yum install -y x-1 && rm -rf /var/cache/yum/*\n'), 0);
    assert.deepEqual(covered('DL3033', 'FROM c\nRUN yum install -y gcc-c++-1.1.1 rpm-sign\n'), ['rpm-sign']);
    assert.equal(count('DL3033', 'FROM c\nRUN yum module install -y tomcat:9\n'), 0);
    assert.equal(count('DL3033', 'FROM c\nRUN yum module install -y tomcat\n'), 1);
    assert.equal(count('DL3033', 'FROM c\nENV v=2.51.0-2.fc42\nRUN yum -y install git-core-${v}\n'), 0);
    assert.equal(count('DL3033', 'FROM c AS b\nENV v=2.51.0\nFROM c\nRUN yum -y install git-core-${v}\n'), 1);
  });

  it('zypper: DL3034 non-interactive, DL3035 dist-upgrade, DL3036 clean, DL3037 versions', () => {
    assert.equal(count('DL3034', 'FROM s\nRUN zypper install x=1\n'), 1);
    assert.equal(count('DL3034', 'FROM s\nRUN zypper -n install x=1 && zypper --non-interactive rm y\n'), 0);
    assert.deepEqual(covered('DL3035', 'FROM s\nRUN zypper -n dup\n'), ['dup']);
    assert.equal(count('DL3036', 'FROM s\nRUN zypper install -y x=1 && zypper cc\n'), 0);
    assert.equal(count('DL3036', 'FROM s\nRUN --mount=type=cache,target=/var/cache/zypp zypper install -y x=1\n'), 0);
    assert.deepEqual(covered('DL3037', 'FROM s\nRUN zypper install -y a\\>=1 b\n'), ['b']);
  });

  it('dnf/microdnf: DL3038 -y, DL3040 clean by the same tool, DL3041 versions', () => {
    assert.deepEqual(covered('DL3038', 'FROM f\nRUN microdnf install x-1\n'), ['microdnf install']);
    assert.equal(count('DL3040', 'FROM f\nRUN dnf -y upgrade\n'), 1);
    assert.equal(count('DL3040', 'FROM f\nRUN dnf in -y x-1 && dnf clean all\n'), 0);
    assert.equal(count('DL3040', 'FROM f\nRUN dnf install -y x-1 && microdnf clean all\n'), 1, 'microdnf cleans its own cache');
    assert.equal(count('DL3040', 'FROM f\nRUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf install -y x-1\n'), 0);
    assert.equal(count('DL3041', 'FROM f\nRUN dnf -y group install "Development Tools"\n'), 0);
    assert.equal(count('DL3041', 'FROM f\nRUN dnf install -y openssl-1:1.1.1k tomcat\n'), 1);
  });

  it('DL3060 wants yarn cache clean after yarn install in stages that reach an image', () => {
    assert.equal(count('DL3060', 'FROM n\nRUN yarn install && yarn cache clean\n'), 0);
    assert.equal(count('DL3060', 'FROM n\nRUN yarn cache clean && yarn install\n'), 1);
    assert.equal(count('DL3060', 'FROM n AS build\nRUN yarn install\nFROM scratch\n'), 0);
    assert.equal(count('DL3060', 'FROM n\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n'), 0);
    assert.equal(fixed('DL3060', 'FROM n\nRUN yarn install\n'), 'FROM n\nRUN yarn install && yarn cache clean\n');
  });

  it('DL3062 pins go modules (not @latest), local paths are fine, go run judges only its package', () => {
    assert.deepEqual(covered('DL3062', 'FROM g\nRUN go install example.com/a@v1 example.com/b@latest\n'), ['example.com/b@latest']);
    for (const ok of ['go install ./cmd/x', 'go install .', 'go run example.com/x@v1.2.3 --flag value', 'go get -tool foo@v1']) {
      assert.equal(count('DL3062', `FROM g\nRUN ${ok}\n`), 0, ok);
    }
  });

  it('ONBUILD RUN triggers are judged, with ranges inside the ONBUILD line', () => {
    const f = lint('DL3008', 'FROM d\nONBUILD RUN apt-get install -y python\n');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].range, { start: { line: 1, column: 31 }, end: { line: 1, column: 37 } });
  });

  it('heredoc RUN bodies are the script; other interpreters are left alone', () => {
    const f = lint('DL3008', 'FROM d\nRUN <<EOF\nset -e\napt-get install -y \\\n  curl\nEOF\n');
    assert.deepEqual(f[0].range, { start: { line: 4, column: 2 }, end: { line: 4, column: 6 } });
    assert.equal(count('DL3008', 'FROM d\nRUN <<EOF\n#!/usr/bin/env python3\nprint("apt-get install curl")\nEOF\n'), 0);
    assert.equal(count('DL3008', 'FROM d\nRUN cat <<EOF > /x\napt-get install curl\nEOF\n'), 0, 'a heredoc fed to a command is data');
  });
});
