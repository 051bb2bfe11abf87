import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { argDeclarations, splitWords } from './model';
import type { DockerfileModel } from './modelTypes';
import type { Finding, Instruction, Position, Severity } from './types';

// ShellCheck on RUN scripts, as hadolint does it: each shell-form RUN (and
// ONBUILD RUN, and sh/bash heredoc bodies) becomes a script with a shebang for
// the shell in force and `export NAME=1` for every ARG/ENV known at that point,
// so ShellCheck does not call Dockerfile variables unassigned. All scripts go
// to ONE shellcheck process (spawning per RUN would cost tens of ms each).
// A missing binary is not an error: the caller gets `available: false`.

const EXCLUDED = ['SC2187', 'SC1090', 'SC1091']; // ash unsupported; source directives a Dockerfile cannot give
const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy'];
const NON_POSIX = /pwsh|powershell|cmd(\.exe)?$/i;
const POSIX_SHEBANG = /^#!\s*(\/usr\/bin\/env\s+)?(\/\w+)*\/?(sh|bash|dash|ksh|ash)\b/;

interface Script {
  text: string;
  /** Lines before the RUN text (shebang + exports). */
  header: number;
  /** File position of (line, column) in the RUN text, both 0-based. */
  at(line: number, column: number): Position;
}

export interface ShellcheckResult {
  available: boolean;
  findings: Finding[];
  error?: string;
}

/** The scripts hadolint would hand to ShellCheck for this file. */
export function shellScripts(model: DockerfileModel): Script[] {
  const scripts: Script[] = [];
  const pragmaShell = model.parsed.comments.find((c) => /^hadolint\s+shell\s*=/.test(c.text));
  if (pragmaShell && NON_POSIX.test(pragmaShell.text.split('=')[1].trim())) return scripts;
  interface State {
    shell: string;
    vars: Set<string>;
  }
  const byName = new Map<string, State>();
  let state: State = { shell: '/bin/sh', vars: new Set() };
  const visit = (ins: Instruction, onbuildShell = false) => {
    if (ins.keyword === 'ARG') for (const [name] of argDeclarations(ins.rest)) state.vars.add(name);
    else if (ins.keyword === 'ENV') for (const w of splitWords(ins.rest)) state.vars.add(w.text.split('=')[0]);
    else if (ins.keyword === 'SHELL' && ins.json?.length) state.shell = ins.json[0];
    else if (ins.keyword === 'RUN') {
      // ONBUILD triggers run in a later build whose SHELL and variables are unknown:
      // the default shell (unless this one is non-POSIX) and no ARG/ENV.
      const shell = onbuildShell && !NON_POSIX.test(state.shell) ? '/bin/sh' : state.shell;
      const s = scriptOf(ins, shell, onbuildShell ? new Set() : state.vars);
      if (s) scripts.push(s);
    } else if (ins.keyword === 'ONBUILD' && ins.trigger) visit(ins.trigger, true);
  };
  const firstFrom = model.stages[0]?.from;
  for (const ins of model.instructions) {
    if (ins === firstFrom) break;
    visit(ins);
  }
  for (const stage of model.stages) {
    // A stage built FROM an earlier one inherits its shell and variables; any other starts afresh.
    const parent = stage.parent?.name ? byName.get(stage.parent.name.toLowerCase()) : undefined;
    state = parent ? { shell: parent.shell, vars: new Set(parent.vars) } : { shell: '/bin/sh', vars: new Set() };
    for (const ins of stage.instructions) visit(ins);
    if (stage.name) byName.set(stage.name.toLowerCase(), state);
  }
  return scripts;
}

function scriptOf(ins: Instruction, shell: string, vars: ReadonlySet<string>): Script | undefined {
  if (NON_POSIX.test(shell) || ins.json) return undefined;
  const exports = [...vars, ...PROXY_VARS].filter((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)).map((v) => `export ${v}=1`);
  const heredoc = ins.heredocs[0];
  if (heredoc && /^\s*<</.test(ins.rest)) {
    const firstLine = heredoc.body.split('\n')[0];
    if (firstLine.startsWith('#!') && !POSIX_SHEBANG.test(firstLine)) return undefined;
    const shebang = firstLine.startsWith('#!') ? firstLine : `#!${shell}`;
    const body = firstLine.startsWith('#!') ? heredoc.body.split('\n').slice(1).join('\n') : heredoc.body;
    const skip = firstLine.startsWith('#!') ? 1 : 0;
    return {
      text: [shebang, ...exports, body.replace(/\t/g, ' ')].join('\n') + '\n',
      header: 1 + exports.length,
      at: (line, column) => ({ line: heredoc.range.start.line + line + skip, column }),
    };
  }
  // Continuations were joined into one line: columns map through the instruction's offsets.
  return {
    text: [`#!${shell}`, ...exports, ins.rest.replace(/\t/g, ' ')].join('\n') + '\n',
    header: 1 + exports.length,
    at: (_line, column) => ins.argsPosition(ins.restOffset + column),
  };
}

interface Json1 {
  comments: Array<{ file: string; line: number; endLine: number; column: number; endColumn: number; level: string; code: number; message: string }>;
}

const LEVEL: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'style' };

/** Runs ShellCheck over the file's RUN scripts; findings are raw (pragmas and config not yet applied). */
export async function runShellcheck(model: DockerfileModel, opts: { binary?: string; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ShellcheckResult> {
  const scripts = shellScripts(model);
  if (scripts.length === 0) return { available: true, findings: [] };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-sc-'));
  try {
    const files = scripts.map((_, i) => path.join(dir, `run${i}.sh`));
    await Promise.all(scripts.map((s, i) => writeFile(files[i], s.text)));
    const out = await run(opts.binary ?? 'shellcheck', ['--format=json1', '--severity=style', `--exclude=${EXCLUDED.join(',')}`, ...files], opts);
    if (!out.available) return { available: false, findings: [] };
    if (out.error) return { available: true, findings: [], error: out.error };
    const parsed = JSON.parse(out.stdout || '{"comments":[]}') as Json1;
    const findings: Finding[] = [];
    for (const c of parsed.comments) {
      const i = files.indexOf(c.file);
      const s = scripts[i];
      if (!s || c.line <= s.header) continue;
      const start = s.at(c.line - 1 - s.header, c.column - 1);
      const end = s.at(c.endLine - 1 - s.header, Math.max(c.endColumn - 1, c.column));
      findings.push({ code: `SC${c.code}`, aliases: [], severity: LEVEL[c.level] ?? 'warning', message: c.message, range: { start, end } });
    }
    return { available: true, findings };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(binary: string, args: string[], opts: { signal?: AbortSignal; timeoutMs?: number }): Promise<{ available: boolean; stdout: string; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal, timeout: opts.timeoutMs ?? 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT' ? { available: false, stdout: '' } : { available: true, stdout: '', error: err.message }));
    // 0: clean, 1: findings; anything else is ShellCheck failing.
    child.on('close', (code) => resolve(code === 0 || code === 1 ? { available: true, stdout } : { available: true, stdout: '', error: stderr.trim() || `shellcheck exited with ${code}` }));
  });
}
