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
import { oneOf, parseArgs, UsageError } from './args';
import { describeFsError, readTextInput } from './readInput';

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

const THRESHOLDS = ['error', 'warning', 'info', 'style', 'none'] as const;


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
    opts = parseLintArgs(argv);
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
    const text = await readTextInput(file, io, 'Dockerfile');
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

function parseLintArgs(argv: string[]): Options | 'help' {
  const { options: o, files, help } = parseArgs(
    argv,
    {
      format: { names: ['-f', '--format'], value: true },
      config: { names: ['-c', '--config'], value: true },
      threshold: { names: ['-t', '--failure-threshold'], value: true },
      noFail: { names: ['--no-fail'], value: false },
      context: { names: ['--context'], value: true },
      noShellcheck: { names: ['--no-shellcheck'], value: false },
    },
    'Dockerfile',
  );
  if (help) return 'help';
  return {
    format: typeof o.format === 'string' ? oneOf(o.format, OUTPUT_FORMATS, 'format') : 'text',
    ...(typeof o.config === 'string' ? { configFile: o.config } : {}),
    ...(typeof o.threshold === 'string' ? { threshold: oneOf(o.threshold.toLowerCase(), THRESHOLDS, 'failure threshold') } : {}),
    ...(typeof o.context === 'string' ? { context: o.context } : {}),
    noFail: o.noFail === true,
    shellcheck: o.noShellcheck !== true,
    files,
  };
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

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
