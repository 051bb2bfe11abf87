import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findDockerignore, withCopyIgnoredFile } from '../core/buildcontext/dockerignoreFile';
import { configFromEnv, findConfigFile, mergeConfigs, parseConfig } from '../core/dockerfile/config';
import { formatFindings, OUTPUT_FORMATS, type FileResult, type OutputFormat } from '../core/dockerfile/formats';
import { meetsThreshold } from '../core/dockerfile/linter';
import { lintWithShellcheck } from '../core/dockerfile/lintWithShellcheck';
import { DEFAULT_CONFIG, type LintConfig } from '../core/dockerfile/rule';
import { ALL_RULES } from '../core/dockerfile/rules';
import type { Severity } from '../core/dockerfile/types';

// `berth lint`: hadolint's command line habits (config discovery, HADOLINT_*
// variables, failure threshold, --no-fail) on Berth's linter.
//
// Exit status: 0 nothing reached the threshold; 1 a finding did (unless
// --no-fail), or some file could not be linted at all; 2 usage or
// configuration error. A file Berth cannot read fails the run even with
// --no-fail, as in hadolint: --no-fail forgives findings, and a file that was
// never checked has not passed.

export const LINT_USAGE = `Usage: berth lint [options] FILE... | -

Lints Dockerfiles with hadolint-compatible rules and configuration. "-" reads stdin.

Options:
  -f, --format text|json|sarif|checkstyle    output format (default text)
  -c, --config FILE                          use this hadolint config instead of searching for one
  -t, --failure-threshold error|warning|info|style|none
                                             lowest severity that fails the run (default info)
      --no-fail                              exit 0 whatever the findings
      --no-shellcheck                        skip ShellCheck on RUN scripts (it runs when a
                                             shellcheck binary is on PATH; without one it is skipped)
      --context DIR                          the build context, for CopyIgnoredFile (default: each
                                             Dockerfile's folder; stdin has none unless given)
  -h, --help                                 this text

Config: --config, else the first .hadolint.yaml/.yml or hadolint.yaml/.yml from the
first file's directory upward, else ~/.config/hadolint.yaml and hadolint's other user
locations; HADOLINT_* variables override the file, options override both.
.dockerignore: <Dockerfile>.dockerignore beside the Dockerfile, else .dockerignore in the
context, as BuildKit picks it; COPY/ADD of what it excludes is reported (CopyIgnoredFile).
Exit status: 0 clean, 1 findings at or above the threshold (unless --no-fail) or a file could
not be read, 2 usage or configuration error.`;

export interface LintIO {
  /** Resolves once the text is handed to the OS, so exiting afterwards loses nothing. */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void | Promise<void>;
  stdin: AsyncIterable<Buffer | string>;
  cwd: string;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Berth's version for SARIF output. */
  version?: string;
}

/** Larger than any real Dockerfile by orders of magnitude; stops a mistaken path (an image tarball, a log) from eating memory. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const BINARY_PROBE_BYTES = 8 * 1024;
const THRESHOLDS = ['error', 'warning', 'info', 'style', 'none'];

class UsageError extends Error {}

interface Options {
  format: OutputFormat;
  configFile?: string;
  threshold?: Severity | 'none';
  noFail: boolean;
  shellcheck: boolean;
  /** The build context directory (--context). */
  context?: string;
  files: string[];
}

export async function runLint(argv: string[], io: LintIO): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await io.stderr(`berth lint: ${err.message}\nRun "berth lint --help" for usage.\n`);
    return 2;
  }
  if (opts === 'help') {
    await io.stdout(LINT_USAGE + '\n');
    return 0;
  }

  const loaded = await loadConfig(opts, io);
  if (!loaded) return 2;
  // CopyIgnoredFile is on as in the editor, so CI sees what the editor shows.
  const config = withCopyIgnoredFile(loaded);
  const context = opts.context === undefined ? undefined : path.resolve(io.cwd, opts.context);
  if (context !== undefined && !(await isDirectory(context))) {
    await io.stderr(`berth lint: --context ${opts.context}: not a directory\n`);
    return 2;
  }

  const results: FileResult[] = [];
  for (const file of opts.files) {
    const text = await readDockerfile(file, io);
    if (typeof text !== 'string') {
      results.push({ file, findings: [], error: text.error });
      await io.stderr(`berth: ${file}: ${text.error}\n`);
      continue;
    }
    // The .dockerignore of the build this file would get (stdin: only with --context).
    const ignore = file === '-' ? context && (await findDockerignore(undefined, context)) : await findDockerignore(path.resolve(io.cwd, file), context);
    const r = await lintWithShellcheck(text, { config, dockerignore: ignore ? ignore.text : undefined, shellcheck: opts.shellcheck ? {} : false });
    if (r.shellcheckError) await io.stderr(`berth: ${file}: shellcheck failed, RUN scripts not checked: ${r.shellcheckError}\n`);
    results.push({ file, findings: r.findings });
  }

  const output = formatFindings(results, opts.format, ALL_RULES, { cwd: io.cwd, version: io.version });
  if (output) await io.stdout(output);

  const threshold = config.failureThreshold ?? DEFAULT_CONFIG.failureThreshold;
  const failed = results.some((r) => r.findings.some((f) => meetsThreshold(f.severity, threshold)));
  const unreadable = results.some((r) => r.error !== undefined);
  return unreadable || (failed && !config.noFail) ? 1 : 0;
}

function parseArgs(argv: string[]): Options | 'help' {
  const opts: Options = { format: 'text', noFail: false, shellcheck: true, files: [] };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      opts.files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '-f':
      case '--format': {
        const v = value();
        if (!(OUTPUT_FORMATS as string[]).includes(v)) throw new UsageError(`unknown format "${v}" (use ${OUTPUT_FORMATS.join(', ')})`);
        opts.format = v as OutputFormat;
        break;
      }
      case '-c':
      case '--config':
        opts.configFile = value();
        break;
      case '-t':
      case '--failure-threshold': {
        const v = value().toLowerCase();
        if (!THRESHOLDS.includes(v)) throw new UsageError(`unknown failure threshold "${v}" (use ${THRESHOLDS.join(', ')})`);
        opts.threshold = v as Severity | 'none';
        break;
      }
      case '--no-fail':
        if (eq > 0) throw new UsageError('--no-fail takes no value');
        opts.noFail = true;
        break;
      case '--context':
        opts.context = value();
        break;
      case '--no-shellcheck':
        if (eq > 0) throw new UsageError('--no-shellcheck takes no value');
        opts.shellcheck = false;
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  if (opts.files.length === 0) throw new UsageError('no Dockerfile given (name one or more files, or "-" for stdin)');
  if (opts.files.filter((f) => f === '-').length > 1) throw new UsageError('"-" (stdin) can be given only once');
  return opts;
}

/** File, then HADOLINT_* variables, then options. Undefined (after reporting why) when any layer is unusable. */
async function loadConfig(opts: Options, io: LintIO): Promise<Partial<LintConfig> | undefined> {
  const errors: string[] = [];
  let fileConfig: Partial<LintConfig> = {};
  const first = opts.files[0];
  const configFile = opts.configFile
    ? path.resolve(io.cwd, opts.configFile)
    : await findConfigFile(first === '-' ? io.cwd : path.dirname(path.resolve(io.cwd, first)), io.homeDir, io.env);
  if (configFile) {
    const shown = opts.configFile ?? path.relative(io.cwd, configFile);
    try {
      const parsed = parseConfig(await fs.readFile(configFile, 'utf8'), shown);
      fileConfig = parsed.config;
      errors.push(...parsed.errors);
    } catch (err) {
      errors.push(`${shown}: cannot read config: ${describeFsError(err)}`);
    }
  }
  const envConfig = configFromEnv(io.env, errors);
  if (errors.length) {
    // A half-applied config would lint with rules the user meant to change; stop and say what to fix.
    await io.stderr(errors.map((e) => `berth: ${e}\n`).join(''));
    return undefined;
  }
  const cli: Partial<LintConfig> = {};
  if (opts.threshold) cli.failureThreshold = opts.threshold;
  if (opts.noFail) cli.noFail = true;
  return mergeConfigs(fileConfig, envConfig, cli);
}

/** The file's text, or why it cannot be linted. Reads at most MAX_FILE_BYTES + 1 bytes whatever the file is. */
async function readDockerfile(file: string, io: LintIO): Promise<string | { error: string }> {
  let bytes: Buffer;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
      if (size > MAX_FILE_BYTES) return { error: tooLarge() };
    }
    bytes = Buffer.concat(chunks);
  } else {
    const full = path.resolve(io.cwd, file);
    try {
      const st = await fs.stat(full);
      if (st.isDirectory()) return { error: 'is a directory, not a Dockerfile' };
      if (st.isFile() && st.size > MAX_FILE_BYTES) return { error: tooLarge(st.size) };
      bytes = await readCapped(full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await isSymlink(full))) return { error: 'is a broken symbolic link (its target does not exist)' };
      return { error: describeFsError(err) };
    }
    // A FIFO or device has no size up front; readCapped stopped one byte past the limit.
    if (bytes.length > MAX_FILE_BYTES) return { error: tooLarge() };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { error: 'is UTF-16 encoded; save it as UTF-8' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { error: 'is UTF-16 encoded; save it as UTF-8' };
  const nul = bytes.subarray(0, BINARY_PROBE_BYTES).indexOf(0);
  if (nul >= 0) return { error: `looks like a binary file (NUL byte at offset ${nul}), not a Dockerfile` };
  const text = bytes.toString('utf8');
  // Editors hide a UTF-8 byte order mark; left in, it would glue itself to the first keyword.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readCapped(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    while (size <= MAX_FILE_BYTES) {
      const buf = Buffer.alloc(Math.min(1024 * 1024, MAX_FILE_BYTES + 1 - size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function isSymlink(p: string): Promise<boolean> {
  try {
    return (await fs.lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

function tooLarge(size?: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `is too large to be a Dockerfile (${size === undefined ? 'over ' + mb(MAX_FILE_BYTES) : mb(size)}; the limit is ${mb(MAX_FILE_BYTES)})`;
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a Dockerfile';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return e.message ?? String(err);
  }
}
