import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildImage } from '../../core/build/buildImage';
import { BuildError } from '../../core/build/buildTypes';
import { formatDuration } from '../../core/build/buildSteps';
import { plainLine } from '../../core/build/progressText';
import { RestrictedModeError } from '../trust';
import type { WorkflowHost } from '../workflowHost';

// The `berth-build` task type, so builds sit in tasks.json beside the rest of
// a project's tasks:
//   { "type": "berth-build", "dockerfile": "web/Dockerfile", "tag": "shop-web:dev", "problemMatcher": "$berth-build" }
// It runs in-process (a CustomExecution over Berth's own BuildKit client, no
// docker CLI), prints the plain progress, and reports a failed step as
//   <file>:<line>:<column>: error: <message>
// which the `$berth-build` problem matcher turns into a diagnostic.

export const TASK_TYPE = 'berth-build';

export interface BuildTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  /** Relative to the workspace folder. */
  dockerfile: string;
  /** The context folder relative to the workspace folder (default: the Dockerfile's folder). */
  context?: string;
  tag?: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  target?: string;
  noCache?: boolean;
}

export async function provideBuildTasks(host: WorkflowHost): Promise<vscode.Task[]> {
  const found = await vscode.workspace.findFiles('**/{Dockerfile,Containerfile,*.Dockerfile}', '**/node_modules/**', 50);
  return found.flatMap((uri) => {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return [];
    const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    return [buildTask(host, { type: TASK_TYPE, dockerfile: rel }, folder)];
  });
}

export function resolveBuildTask(host: WorkflowHost, task: vscode.Task): vscode.Task | undefined {
  const def = task.definition as BuildTaskDefinition;
  if (def.type !== TASK_TYPE || typeof def.dockerfile !== 'string') return undefined;
  const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  return buildTask(host, def, folder, task.name);
}

function buildTask(host: WorkflowHost, def: BuildTaskDefinition, folder: vscode.WorkspaceFolder, name?: string): vscode.Task {
  const task = new vscode.Task(
    def,
    folder,
    name ?? `build ${def.dockerfile}${def.tag ? ` as ${def.tag}` : ''}`,
    'berth',
    new vscode.CustomExecution(async (resolved) => buildTerminal(host, resolved as BuildTaskDefinition, folder)),
    ['$berth-build'],
  );
  task.group = vscode.TaskGroup.Build;
  return task;
}

function buildTerminal(host: WorkflowHost, def: BuildTaskDefinition, folder: vscode.WorkspaceFolder): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const done = new vscode.EventEmitter<number>();
  const abort = new AbortController();
  const out = (text: string) => write.fire(text.replace(/\r?\n/g, '\r\n'));
  const run = async (): Promise<number> => {
    if (!vscode.workspace.isTrusted) {
      out(`${new RestrictedModeError('build').message}\n`);
      return 1;
    }
    const dockerfile = path.resolve(folder.uri.fsPath, def.dockerfile);
    const context = def.context ? path.resolve(folder.uri.fsPath, def.context) : path.dirname(dockerfile);
    const record = host.builds.start(def.tag || def.dockerfile, vscode.Uri.file(dockerfile), () => abort.abort());
    out(`Building ${def.dockerfile}${def.tag ? ` as ${def.tag}` : ''} (context ${path.relative(folder.uri.fsPath, context) || '.'})\n`);
    try {
      const client = await host.services.session.client();
      const result = await buildImage(
        client,
        { context, dockerfile, tags: def.tag ? [def.tag] : [], buildArgs: def.buildArgs, labels: def.labels, target: def.target, noCache: def.noCache === true },
        {
          signal: abort.signal,
          onProgress: (p) => {
            if (record.steps.apply(p)) host.builds.touch(record);
            const line = plainLine(p);
            if (line) out(line);
          },
        },
      );
      record.steps.finish('done');
      Object.assign(record, { state: 'succeeded', imageId: result.imageId, totalMs: result.durationMs });
      out(`Built ${def.tag ?? result.imageId} in ${formatDuration(result.durationMs)} (${result.cachedSteps} steps cached)\n`);
      return 0;
    } catch (err) {
      record.steps.finish('error');
      record.totalMs = Date.now() - record.steps.startedAt;
      record.state = abort.signal.aborted ? 'cancelled' : 'failed';
      const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
      record.error = message;
      const loc = err instanceof BuildError ? err.step?.location : undefined;
      // One line for the problem matcher: the Dockerfile's absolute path, 1-based line and column.
      const where = loc ? `${dockerfile}:${loc.range.start.line + 1}:${loc.range.start.column + 1}` : `${dockerfile}:1:1`;
      out(`${where}: error: ${message}\n`);
      return 1;
    } finally {
      host.builds.flush();
    }
  };
  return {
    onDidWrite: write.event,
    onDidClose: done.event,
    open: () => void run().then((code) => done.fire(code)),
    close: () => abort.abort(),
  };
}
