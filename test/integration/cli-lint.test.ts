import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonFinding } from '../../src/core/dockerfile/formats';
import { bundleBeforeSuite, CLI } from '../support/cliBundle';

// `berth lint` as users run it: the bundled dist/cli.js in a real process, on
// real files. The rule set is still growing, so assertions lean on DL1000 (a
// parse problem, which always exists) and compute "whatever else was found"
// instead of hard-coding which rules fire.

/** An unclosed heredoc: DL1000 (error) on line 2. */
const BROKEN = 'FROM scratch\nRUN <<EOF\necho hi\n';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}


describe('berth lint (CLI process)', function () {
  let root: string;
  let home: string;
  let work: string;

  bundleBeforeSuite();

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'berth-cli-lint-'));
    home = path.join(root, 'home');
    work = path.join(root, 'work');
    await mkdir(home);
    await mkdir(work);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs the CLI in `work` with a private HOME and no inherited HADOLINT_* settings. */
  function lint(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Run {
    const env: Record<string, string | undefined> = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
    for (const k of Object.keys(env)) if (k.startsWith('HADOLINT_')) delete env[k];
    const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { cwd: opts.cwd ?? work, env: { ...env, ...opts.env }, input: opts.input ?? '', encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  async function put(rel: string, text: string | Buffer): Promise<string> {
    const full = path.join(work, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text);
    return full;
  }

  const json = (r: Run): JsonFinding[] => JSON.parse(r.stdout);
  /** Codes other than DL1000 that the current rules report on `text` (so a test can ignore them). */
  async function otherCodes(text: string): Promise<string[]> {
    await put('probe/Dockerfile', text);
    const codes = json(lint(['-f', 'json', '--no-fail', 'probe/Dockerfile'])).map((f) => f.code);
    return [...new Set(codes.filter((c) => c !== 'DL1000'))];
  }

  it('prints JSON findings with 1-based positions and exits 1 on an error', async () => {
    await put('Dockerfile', BROKEN);
    const r = lint(['--format', 'json', 'Dockerfile']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const all = json(r);
    const f = all.find((x) => x.code === 'DL1000');
    assert.ok(f, r.stdout);
    assert.deepEqual(Object.keys(f).sort(), ['aliases', 'code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    assert.equal(f.file, 'Dockerfile');
    assert.equal(f.line, 2);
    assert.equal(f.column, 1);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /Heredoc "EOF" is not closed/);
    assert.ok(f.endLine >= f.line && f.endColumn >= 1);
    for (const x of all) assert.ok(x.line >= 1 && x.column >= 1, `0-based position leaked: ${JSON.stringify(x)}`);
  });

  it('prints text lines by default', async () => {
    await put('sub/Dockerfile', BROKEN);
    const r = lint(['sub/Dockerfile']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^sub\/Dockerfile:2:1 DL1000 error: Heredoc "EOF" is not closed$/m);
  });

  it('reads stdin for "-"', () => {
    const r = lint(['-f', 'json', '-'], { input: BROKEN });
    assert.equal(r.status, 1, r.stderr);
    const f = json(r).find((x) => x.code === 'DL1000');
    assert.equal(f?.file, '-');
    assert.equal(f?.line, 2);
  });

  it('writes SARIF and checkstyle that parse', async () => {
    await put('a b/Dockerfile', BROKEN);
    const sarif = JSON.parse(lint(['-f', 'sarif', 'a b/Dockerfile']).stdout);
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'DL1000');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'a%20b/Dockerfile');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 2);
    const xml = lint(['-f', 'checkstyle', 'a b/Dockerfile']).stdout;
    assert.match(xml, /<file name="a b\/Dockerfile">[\s\S]*<error line="2" column="1" severity="error" message="Heredoc &quot;EOF&quot; is not closed" source="DL1000"\/>/);
  });

  describe('usage errors exit 2', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['an unknown flag', ['--frobnicate', 'Dockerfile'], /unknown option "--frobnicate"/],
      ['a missing value', ['Dockerfile', '--format'], /--format needs a value/],
      ['no files', ['--no-fail'], /no Dockerfile given/],
      ['a bad format', ['--format', 'yaml', 'Dockerfile'], /unknown format "yaml"/],
      ['a bad threshold', ['--failure-threshold=fatal', 'Dockerfile'], /unknown failure threshold "fatal"/],
      ['stdin twice', ['-', '-'], /only once/],
    ];
    for (const [name, args, message] of cases)
      it(name, async () => {
        await put('Dockerfile', BROKEN);
        const r = lint(args);
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, message);
        assert.match(r.stderr, /berth lint --help/);
      });

    it('--help prints usage and exits 0', () => {
      const r = lint(['--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^Usage: berth lint/);
    });
  });

  it('reports files it cannot lint and still lints the others', async () => {
    await put('good/Dockerfile', BROKEN);
    await mkdir(path.join(work, 'adir'));
    await symlink(path.join(work, 'no-such-target'), path.join(work, 'dangling'));
    await put('garbage.bin', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01, 0x02, 0xff, 0xfe, 0x00]));
    await put('huge/Dockerfile', Buffer.alloc(11 * 1024 * 1024, 'RUN true\n'));
    const r = lint(['-f', 'json', 'adir', 'dangling', 'garbage.bin', 'huge/Dockerfile', 'missing', 'good/Dockerfile']);
    assert.equal(r.status, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 5, r.stderr);
    assert.match(lines[0], /^berth: adir: is a directory/);
    assert.match(lines[1], /^berth: dangling: is a broken symbolic link/);
    assert.match(lines[2], /^berth: garbage\.bin: looks like a binary file \(NUL byte at offset 4\)/);
    assert.match(lines[3], /^berth: huge\/Dockerfile: is too large to be a Dockerfile \(11\.0 MB; the limit is 10\.0 MB\)/);
    assert.match(lines[4], /^berth: missing: no such file/);
    const files = new Set(json(r).map((f) => f.file));
    assert.deepEqual([...files], ['good/Dockerfile']);
  });

  it('fails on an unreadable file even with --no-fail (it was never checked)', async () => {
    await mkdir(path.join(work, 'adir'));
    const r = lint(['--no-fail', '-f', 'json', 'adir']);
    assert.equal(r.status, 1);
    assert.deepEqual(json(r), []);
    assert.match(r.stderr, /^berth: adir: is a directory/);
  });

  describe('failure threshold', () => {
    /** A config that gives DL1000 `severity`, hides every other finding, and adds `extra` lines. */
    async function onlyDL1000As(severity: string, extra = ''): Promise<string> {
      const others = await otherCodes(BROKEN);
      await put('Dockerfile', BROKEN);
      return put('cfg/hadolint.yaml', `ignored: ${JSON.stringify(others)}\noverride:\n  ${severity}: [DL1000]\n${extra}`);
    }

    it('defaults to info, as hadolint does', async () => {
      const cfg = await onlyDL1000As('style');
      const r = lint(['-f', 'json', '--config', cfg, 'Dockerfile']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(json(r).map((f) => `${f.code} ${f.severity}`), ['DL1000 style']);
      assert.equal(lint(['--config', await onlyDL1000As('info'), 'Dockerfile']).status, 1);
    });

    it('--failure-threshold style fails on a style finding; none never fails', async () => {
      const cfg = await onlyDL1000As('style');
      assert.equal(lint(['--config', cfg, '--failure-threshold', 'style', 'Dockerfile']).status, 1);
      assert.equal(lint(['--config', cfg, '-t', 'none', 'Dockerfile']).status, 0);
    });

    it('--failure-threshold error passes a warning, warning fails on it', async () => {
      const cfg = await onlyDL1000As('warning');
      assert.equal(lint(['--config', cfg, '--failure-threshold', 'error', 'Dockerfile']).status, 0);
      assert.equal(lint(['--config', cfg, '--failure-threshold=warning', 'Dockerfile']).status, 1);
    });

    it('options beat HADOLINT_* variables, which beat the config file', async () => {
      const cfg = await onlyDL1000As('style', 'failure-threshold: style\n');
      assert.equal(lint(['--config', cfg, 'Dockerfile']).status, 1, 'file: threshold style');
      assert.equal(lint(['--config', cfg, 'Dockerfile'], { env: { HADOLINT_FAILURE_THRESHOLD: 'error' } }).status, 0, 'env: threshold error');
      assert.equal(lint(['--config', cfg, '-t', 'style', 'Dockerfile'], { env: { HADOLINT_FAILURE_THRESHOLD: 'error' } }).status, 1, 'flag: threshold style');
      assert.equal(lint(['--config', cfg, 'Dockerfile'], { env: { HADOLINT_NOFAIL: 'true' } }).status, 0, 'env: no-fail');
    });

    it('--no-fail exits 0 but still prints the findings', async () => {
      await put('Dockerfile', BROKEN);
      const r = lint(['--no-fail', 'Dockerfile']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /DL1000 error/);
    });
  });

  describe('configuration', () => {
    it('discovers .hadolint.yaml above the file, not in the working directory', async () => {
      const others = await otherCodes(BROKEN);
      await put('proj/.hadolint.yaml', `ignored:\n  - DL1000\n${others.map((c) => `  - ${c}\n`).join('')}`);
      await put('proj/services/api/Dockerfile', BROKEN);
      const r = lint(['-f', 'json', path.join(work, 'proj/services/api/Dockerfile')], { cwd: home });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(json(r), []);
      // Without the config the same file fails: the discovery is what made it pass.
      await rm(path.join(work, 'proj/.hadolint.yaml'));
      assert.equal(lint([path.join(work, 'proj/services/api/Dockerfile')], { cwd: home }).status, 1);
    });

    it('uses the user config when the project has none, and --config replaces discovery', async () => {
      await put('Dockerfile', BROKEN);
      await mkdir(path.join(home, '.config'));
      await writeFile(path.join(home, '.config/hadolint.yaml'), 'ignored: [DL1000]\n');
      assert.ok(!json(lint(['-f', 'json', 'Dockerfile'])).some((f) => f.code === 'DL1000'));
      const explicit = await put('explicit.yaml', 'failure-threshold: none\n');
      assert.ok(json(lint(['-f', 'json', '--config', explicit, 'Dockerfile'])).some((f) => f.code === 'DL1000'));
    });

    it('HADOLINT_IGNORE applies on top of the file', async () => {
      await put('Dockerfile', BROKEN);
      const r = lint(['-f', 'json', 'Dockerfile'], { env: { HADOLINT_IGNORE: 'DL1000' } });
      assert.ok(!json(r).some((f) => f.code === 'DL1000'));
    });

    it('a bad config file or variable stops the run with exit 2', async () => {
      await put('Dockerfile', BROKEN);
      await put('.hadolint.yaml', 'ignore: [DL1000]\nfailure-threshold: fatal\n');
      const r = lint(['Dockerfile']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /berth: \.hadolint\.yaml: unknown key "ignore" \(did you mean "ignored"\?\)/);
      assert.match(r.stderr, /berth: \.hadolint\.yaml: "failure-threshold" must be one of/);
      await rm(path.join(work, '.hadolint.yaml'));
      const e = lint(['Dockerfile'], { env: { HADOLINT_NOFAIL: 'perhaps' } });
      assert.equal(e.status, 2);
      assert.match(e.stderr, /HADOLINT_NOFAIL: "perhaps"/);
      const missing = lint(['--config', 'nope.yaml', 'Dockerfile']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /nope\.yaml: cannot read config: no such file/);
    });
  });

  describe('.dockerignore (CopyIgnoredFile)', () => {
    const COPY = 'FROM alpine:3.20\nCOPY a.txt b.txt /x/\n';
    /** The CopyIgnoredFile findings of a JSON run, as `line severity message`. */
    const ignoredCopies = (r: Run) => json(r).filter((f) => f.code === 'CopyIgnoredFile').map((f) => `${f.line} ${f.severity} ${f.message}`);

    it('reads the .dockerignore beside the Dockerfile, on by default as in the editor', async () => {
      await put('app/Dockerfile', COPY);
      const clean = lint(['-f', 'json', '--no-fail', 'app/Dockerfile']);
      assert.deepEqual(ignoredCopies(clean), [], 'no .dockerignore: nothing to check');
      await put('app/.dockerignore', '# build output\nb.txt\n');
      const r = lint(['-f', 'json', '--no-fail', 'app/Dockerfile']);
      assert.equal(r.stderr, '');
      assert.deepEqual(ignoredCopies(r), ['2 warning Attempting to Copy file "b.txt" that is excluded by .dockerignore']);
      // Only the working directory differs: the Dockerfile's folder is still the context.
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', path.join(work, 'app/Dockerfile')], { cwd: home })), ['2 warning Attempting to Copy file "b.txt" that is excluded by .dockerignore']);
    });

    it('prefers <Dockerfile>.dockerignore, as BuildKit does', async () => {
      await put('app/api.Dockerfile', COPY);
      await put('app/.dockerignore', 'b.txt\n');
      await put('app/api.Dockerfile.dockerignore', 'a.txt\n');
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', 'app/api.Dockerfile'])), ['2 warning Attempting to Copy file "a.txt" that is excluded by .dockerignore']);
    });

    it('keeps the configured severity, ignore and # check=skip', async () => {
      await put('app/Dockerfile', COPY);
      await put('app/.dockerignore', 'b.txt\n');
      const info = await put('info.yaml', 'override:\n  info: [CopyIgnoredFile]\n');
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', '--config', info, 'app/Dockerfile'])), ['2 info Attempting to Copy file "b.txt" that is excluded by .dockerignore']);
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', 'app/Dockerfile'], { env: { HADOLINT_IGNORE: 'CopyIgnoredFile' } })), []);
      await put('app/Dockerfile', `# check=skip=CopyIgnoredFile\n${COPY}`);
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', 'app/Dockerfile'])), []);
    });

    it('uses --context DIR for files and stdin; stdin has no context without it', async () => {
      await put('ctx/.dockerignore', 'a.txt\n');
      await put('df/Dockerfile', COPY);
      await put('df/.dockerignore', 'b.txt\n');
      const a = ['2 warning Attempting to Copy file "a.txt" that is excluded by .dockerignore'];
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', '--context', 'ctx', 'df/Dockerfile'])), a, "the context's .dockerignore, not the one beside the file");
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', '-'], { input: COPY })), [], 'stdin: no context');
      assert.deepEqual(ignoredCopies(lint(['-f', 'json', '--no-fail', '--context=ctx', '-'], { input: COPY })), a);
      const bad = lint(['--context', 'nope', 'df/Dockerfile']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--context nope: not a directory/);
    });
  });
});
