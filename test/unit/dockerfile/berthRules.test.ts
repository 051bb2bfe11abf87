import assert from 'node:assert/strict';
import { lintDockerfile } from '../../../src/core/dockerfile/linter';
import { berthRules } from '../../../src/core/dockerfile/rules/berthRules';

const lint = (text: string) => lintDockerfile(text, { rules: berthRules });
const codes = (text: string) => lint(text).map((f) => f.code);

describe("Berth's own Dockerfile rules (unit)", () => {
  it('BR001 flags a syntax frontend that is not docker/dockerfile', () => {
    assert.deepEqual(codes('# syntax=evil/frontend:1\nFROM x\n'), ['BR001']);
    for (const ok of ['docker/dockerfile:1', 'docker.io/docker/dockerfile:1.7', 'docker/dockerfile-upstream:master', 'docker/dockerfile:1@sha256:abcdef01']) {
      assert.deepEqual(codes(`# syntax=${ok}\nFROM x\n`), [], ok);
    }
    assert.deepEqual(lint('# syntax=evil/frontend\nFROM x').map((f) => f.range.start.line), [0]);
  });

  it('BR002 flags secret values whatever the variable is called, on the value itself', () => {
    const f = lint('FROM x\nENV A=1 REPO=https://deploy:hunter2@git.example.com/app.git\n');
    assert.equal(f.length, 1);
    assert.equal(f[0].code, 'BR002');
    assert.match(f[0].message, /credentials in a URL/);
    assert.deepEqual(f[0].range, { start: { line: 1, column: 8 }, end: { line: 1, column: 59 } });
    assert.deepEqual(codes('FROM x\nARG K=AKIAABCDEFGHIJKLMNOP\n'), ['BR002']);
    assert.deepEqual(codes('FROM x\nONBUILD ENV T=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n'), ['BR002']);
    assert.deepEqual(codes('FROM x\nENV URL=https://example.com/x PASSWORD_FILE=/run/secrets/p URL2=https://$USER:$PASS@h/\n'), []);
  });

  it('BR003 flags COPY . . before a dependency install in the same stage, not after', () => {
    const codes = (text: string) => lint(text).filter((f) => f.code === 'BR003').map((f) => f.code);
    assert.deepEqual(codes('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n'), ['BR003']);
    assert.deepEqual(codes('FROM node:20\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n'), []);
    assert.deepEqual(codes('FROM python:3\nCOPY . /src\nRUN pip install -r /src/requirements.txt\n'), ['BR003']);
    assert.deepEqual(codes('FROM python:3\nCOPY ./ ./\nRUN pip install -r requirements.txt\n'), ['BR003']);
    assert.deepEqual(codes('FROM a AS b\nCOPY . .\nFROM c\nRUN npm ci\n'), [], 'another stage');
  });

  it('BR004 flags ADD of a remote URL without --checksum', () => {
    assert.deepEqual(codes('FROM x\nADD https://example.com/t.tgz /opt/\n'), ['BR004']);
    assert.deepEqual(codes('FROM x\nADD --checksum=sha256:abc https://example.com/t.tgz /opt/\n'), []);
    assert.deepEqual(codes('FROM x\nADD https://github.com/org/repo.git#v1 /src\nADD local.tgz /opt/\n'), []);
  });

  it('BR005 flags npm installs that leave the cache in the layer', () => {
    assert.deepEqual(codes('FROM node\nRUN npm ci\n'), ['BR005']);
    assert.deepEqual(codes('FROM node\nRUN npm ci && npm cache clean --force\n'), []);
    assert.deepEqual(codes('FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n'), []);
  });

  it('honours "# berth ignore=" on the line above', () => {
    assert.deepEqual(codes('FROM node\n# berth ignore=BR005\nRUN npm ci\n'), []);
    assert.deepEqual(codes('# berth global ignore=BR005\nFROM node\nRUN npm ci\nRUN npm i\n'), []);
    assert.deepEqual(codes('FROM node\n# hadolint ignore=BR005\nRUN npm ci\n'), ['BR005'], "hadolint's pragma takes only hadolint codes");
  });
});
