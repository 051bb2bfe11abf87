import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFromEnv, findConfigFile, mergeConfigs, parseConfig } from '../../../src/core/dockerfile/config';

describe('dockerfile config', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'berth-config-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function put(file: string, text = 'ignored: []\n'): Promise<string> {
    const full = path.join(root, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text);
    return full;
  }

  describe('findConfigFile', () => {
    // The search walks to the filesystem root, so the project tree lives under a
    // temp dir that must not itself sit below a .hadolint.yaml; these tests
    // only assert on files they created, preferring the nearest.
    it('finds .hadolint.yaml in the start directory', async () => {
      const f = await put('proj/.hadolint.yaml');
      assert.equal(await findConfigFile(path.join(root, 'proj'), path.join(root, 'home'), {}), f);
    });

    it('walks upward and takes the nearest directory first', async () => {
      await put('proj/.hadolint.yaml');
      const near = await put('proj/svc/hadolint.yml');
      await mkdir(path.join(root, 'proj/svc/deep/er'), { recursive: true });
      assert.equal(await findConfigFile(path.join(root, 'proj/svc/deep/er'), path.join(root, 'home'), {}), near);
    });

    it('prefers .hadolint.yaml over the other names in the same directory', async () => {
      const dot = await put('p/.hadolint.yaml');
      await put('p/.hadolint.yml');
      await put('p/hadolint.yaml');
      assert.equal(await findConfigFile(path.join(root, 'p'), path.join(root, 'home'), {}), dot);
    });

    it('ignores a directory that has a config file name', async () => {
      await mkdir(path.join(root, 'p/.hadolint.yaml'), { recursive: true });
      const home = path.join(root, 'home');
      const f = await put('home/.hadolint.yaml');
      assert.equal(await findConfigFile(path.join(root, 'p'), home, {}), f);
    });

    it('falls back to the user locations in hadolint order', async () => {
      const home = path.join(root, 'home');
      const xdg = path.join(root, 'xdg');
      const start = path.join(root, 'empty');
      await mkdir(start);
      const order = [
        await put('xdg/hadolint.yaml'),
        await put('home/.config/hadolint.yml'),
        await put('home/.hadolint/hadolint.yaml'),
        await put('home/hadolint/config.yaml'),
        await put('home/.hadolint.yml'),
      ];
      for (const expected of order) {
        assert.equal(await findConfigFile(start, home, { XDG_CONFIG_HOME: xdg }), expected);
        await rm(expected);
      }
      assert.equal(await findConfigFile(start, home, { XDG_CONFIG_HOME: xdg }), undefined);
    });

    it('uses ~/.config when XDG_CONFIG_HOME is unset or relative', async () => {
      const home = path.join(root, 'home');
      const f = await put('home/.config/hadolint.yaml');
      assert.equal(await findConfigFile(root, home, {}), f);
      assert.equal(await findConfigFile(root, home, { XDG_CONFIG_HOME: 'relative/dir' }), f);
    });

    it('a project file beats the user config', async () => {
      const home = path.join(root, 'home');
      await put('home/.hadolint.yaml');
      const f = await put('p/.hadolint.yaml');
      assert.equal(await findConfigFile(path.join(root, 'p'), home, {}), f);
    });
  });

  describe('parseConfig', () => {
    it('reads every hadolint key', () => {
      const { config, errors } = parseConfig(
        [
          'ignored: [DL3008, SC2086]',
          'override:',
          '  error: [DL3001]',
          '  style: [DL3059]',
          'trustedRegistries: [docker.io, "*.gcr.io"]',
          'label-schema:',
          '  maintainer: text',
          '  org.opencontainers.image.url: url',
          'strict-labels: true',
          'disable-ignore-pragma: yes',
          'failure-threshold: Warning',
          'no-fail: false',
          'format: json',
          'no-color: true',
        ].join('\n'),
        '.hadolint.yaml',
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(config, {
        ignored: ['DL3008', 'SC2086'],
        override: { error: ['DL3001'], style: ['DL3059'] },
        trustedRegistries: ['docker.io', '*.gcr.io'],
        labelSchema: { maintainer: 'text', 'org.opencontainers.image.url': 'url' },
        strictLabels: true,
        disableIgnorePragma: true,
        failureThreshold: 'warning',
        noFail: false,
      });
    });

    it('accepts a single trusted registry as a string', () => {
      assert.deepEqual(parseConfig('trustedRegistries: my.registry:5000\n', 'f').config, { trustedRegistries: ['my.registry:5000'] });
    });

    it('treats an empty or comment-only file as an empty config', () => {
      assert.deepEqual(parseConfig('', 'f'), { config: {}, errors: [] });
      assert.deepEqual(parseConfig('# nothing yet\n', 'f'), { config: {}, errors: [] });
    });

    it('reports unknown keys with a suggestion, and keeps the good ones', () => {
      const { config, errors } = parseConfig('ignore: [DL3008]\nfailure_threshold: error\nnoFail: true\nbogus: 1\nignored: [DL3009]\n', 'x.yaml');
      assert.deepEqual(config, { ignored: ['DL3009'] });
      assert.equal(errors.length, 4);
      assert.match(errors[0], /^x\.yaml: unknown key "ignore" \(did you mean "ignored"\?\)/);
      assert.match(errors[1], /"failure_threshold".*did you mean "failure-threshold"/);
      assert.match(errors[2], /"noFail".*did you mean "no-fail"/);
      assert.match(errors[3], /"bogus" \(known keys: /);
    });

    it('reports wrong types without throwing', () => {
      const { errors } = parseConfig(
        ['ignored: DL3008', 'override: [DL3001]', 'strict-labels: maybe', 'failure-threshold: fatal', 'trustedRegistries: {a: 1}', 'label-schema: {a: colour}'].join('\n'),
        'c.yml',
      );
      assert.equal(errors.length, 6, errors.join('\n'));
      assert.match(errors[0], /"ignored" must be a list of rule codes, found string "DL3008"/);
      assert.match(errors[1], /"override" must be a mapping/);
      assert.match(errors[2], /"strict-labels" must be true or false, found string "maybe"/);
      assert.match(errors[3], /"failure-threshold" must be one of error, warning, info, style, none/);
      assert.match(errors[4], /"trustedRegistries" must be a registry name or a list of them, found a mapping/);
      assert.match(errors[5], /label-schema "a": unknown type string "colour"/);
    });

    it('rejects non-string codes and unknown override severities', () => {
      const { config, errors } = parseConfig('ignored: [DL3008, 3009]\noverride:\n  fatal: [DL1]\n  info: [DL3]\n', 'c');
      assert.deepEqual(config, { ignored: ['DL3008'], override: { info: ['DL3'] } });
      assert.match(errors[0], /"ignored" item 2 must be a non-empty string, found number 3009/);
      assert.match(errors[1], /unknown severity "override\.fatal"/);
    });

    it('reports YAML syntax errors with a position', () => {
      const { config, errors } = parseConfig('ignored: [DL3008\nfoo: : :\n', 'bad.yaml');
      assert.deepEqual(config, {});
      assert.ok(errors.length >= 1);
      assert.match(errors[0], /^bad\.yaml:\d+:\d+: /);
    });

    it('reports duplicate keys and a non-mapping top level', () => {
      assert.match(parseConfig('ignored: []\nignored: []\n', 'd').errors[0], /unique/i);
      assert.match(parseConfig('- DL3008\n', 'l').errors[0], /expected a mapping .* found a list/);
      assert.match(parseConfig('just text\n', 's').errors[0], /found string "just text"/);
    });
  });

  describe('configFromEnv', () => {
    it('reads the HADOLINT_* variables', () => {
      const errors: string[] = [];
      const config = configFromEnv(
        {
          HADOLINT_IGNORE: 'DL3008, DL3009,,',
          HADOLINT_OVERRIDE_ERROR: 'DL3001',
          HADOLINT_OVERRIDE_STYLE: 'DL3059,DL3015',
          HADOLINT_TRUSTED_REGISTRIES: 'docker.io,quay.io',
          HADOLINT_REQUIRE_LABELS: 'maintainer:text, org.opencontainers.image.url:url',
          HADOLINT_STRICT_LABELS: 'true',
          HADOLINT_DISABLE_IGNORE_PRAGMA: '1',
          HADOLINT_FAILURE_THRESHOLD: 'error',
          HADOLINT_NOFAIL: 'off',
        },
        errors,
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(config, {
        ignored: ['DL3008', 'DL3009'],
        override: { error: ['DL3001'], style: ['DL3059', 'DL3015'] },
        trustedRegistries: ['docker.io', 'quay.io'],
        labelSchema: { maintainer: 'text', 'org.opencontainers.image.url': 'url' },
        strictLabels: true,
        disableIgnorePragma: true,
        failureThreshold: 'error',
        noFail: false,
      });
    });

    it('skips unset and empty variables', () => {
      assert.deepEqual(configFromEnv({ HADOLINT_IGNORE: '', HADOLINT_NOFAIL: '  ', PATH: '/bin' }), {});
    });

    it('reports values it cannot understand and leaves them out', () => {
      const errors: string[] = [];
      const config = configFromEnv({ HADOLINT_NOFAIL: 'sure', HADOLINT_FAILURE_THRESHOLD: 'fatal', HADOLINT_REQUIRE_LABELS: 'a:text,b,c:colour' }, errors);
      assert.deepEqual(config, { labelSchema: { a: 'text' } });
      assert.equal(errors.length, 4);
      assert.match(errors.join('\n'), /HADOLINT_NOFAIL: "sure"/);
      assert.match(errors.join('\n'), /HADOLINT_FAILURE_THRESHOLD: "fatal"/);
      assert.match(errors.join('\n'), /"b" is not label:type/);
      assert.match(errors.join('\n'), /"c:colour" is not label:type/);
    });
  });

  describe('mergeConfigs', () => {
    it('lets later parts win and replaces lists', () => {
      const merged = mergeConfigs(
        { ignored: ['A'], trustedRegistries: ['x'], failureThreshold: 'error', noFail: true },
        undefined,
        { ignored: ['B'], failureThreshold: 'style' },
        { noFail: false },
      );
      assert.deepEqual(merged, { ignored: ['B'], trustedRegistries: ['x'], failureThreshold: 'style', noFail: false });
    });

    it('merges override per severity and moves re-overridden codes', () => {
      const merged = mergeConfigs({ override: { error: ['A', 'B'], info: ['C'] } }, { override: { warning: ['B'], info: ['D'] } });
      assert.deepEqual(merged.override, { error: ['A'], warning: ['B'], info: ['D'] });
    });

    it('does not share arrays with its inputs', () => {
      const part = { ignored: ['A'] };
      const merged = mergeConfigs(part);
      merged.ignored!.push('B');
      assert.deepEqual(part.ignored, ['A']);
    });
  });
});
