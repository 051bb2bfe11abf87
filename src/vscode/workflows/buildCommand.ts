import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildImage } from '../../core/build/buildImage';
import { BuildError, type BuildResult, type SourceLocation } from '../../core/build/buildTypes';
import { formatDuration } from '../../core/build/buildSteps';
import { dockerfileInputs } from '../../core/build/dockerfileInputs';
import { isAbortError } from '../../core/util/signals';
import { requireTrust } from '../trust';
import type { WorkflowHost } from '../workflowHost';
import { pickBuildRequest, rememberedBuild, type BuildRequest } from './buildRequest';

// "Build Image": from the Dockerfile's editor title, its explorer context menu
// or the palette. The options picker opens on what this Dockerfile was last
// built with; the build then shows in the Build view step by step, a failed
// step becomes a diagnostic on its line, and cancelling stops it on the engine.

const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*}';

/** The Dockerfile a command is about: the clicked file, a folder's Dockerfile, the active editor's, or one picked. */
export async function locateDockerfile(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (target) {
    const stat = await vscode.workspace.fs.stat(target);
    if (!(stat.type & vscode.FileType.Directory)) return target;
    const inside = vscode.Uri.joinPath(target, 'Dockerfile');
    try {
      await vscode.workspace.fs.stat(inside);
      return inside;
    } catch {
      throw new Error(`${vscode.workspace.asRelativePath(target)} has no Dockerfile.`);
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'dockerfile' && active.uri.scheme === 'file') return active.uri;
  const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 200);
  if (found.length === 0) throw new Error('No Dockerfile in this workspace.');
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Build which Dockerfile?' },
  );
  return picked?.uri;
}

/** The command: `given` (from a task, a test or another extension) skips the picker. */
export async function buildImageCommand(host: WorkflowHost, target?: vscode.Uri, given?: Partial<BuildRequest>): Promise<void> {
  requireTrust('build');
  const dockerfile = await locateDockerfile(target);
  if (!dockerfile) return;
  const text = await dockerfileText(dockerfile);
  const inputs = dockerfileInputs(text);
  const request = given ? { ...rememberedBuild(host.memory, dockerfile), ...given } : await pickBuildRequest(host.memory, dockerfile, inputs);
  if (!request) return;
  const result = await runBuild(host, dockerfile, request);
  if (!result || given) return;
  const pick = await vscode.window.showInformationMessage(
    `Built ${request.tag} in ${formatDuration(result.durationMs)}${result.cachedSteps ? ` (${result.cachedSteps} steps cached)` : ''}.`,
    'Run',
    'Push',
  );
  if (pick === 'Run') await vscode.commands.executeCommand('berth.image.run', request.tag);
  if (pick === 'Push') await vscode.commands.executeCommand('berth.image.push', request.tag);
}

/** The text a build will read: an unsaved Dockerfile is saved first, so what is built is what is shown. */
async function dockerfileText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  return open?.getText() ?? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/**
 * Runs one build into the Build view, with a cancellable notification. Returns
 * the result, or undefined when the build failed or was cancelled (both are
 * already reported: a failure as an error message and a diagnostic).
 */
export async function runBuild(host: WorkflowHost, dockerfile: vscode.Uri, request: BuildRequest, signal?: AbortSignal): Promise<BuildResult | undefined> {
  requireTrust('build');
  const context = request.context ? path.resolve(path.dirname(dockerfile.fsPath), request.context) : path.dirname(dockerfile.fsPath);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const record = host.builds.start(request.tag || vscode.workspace.asRelativePath(dockerfile), dockerfile, () => abort.abort());
  host.diagnostics.delete(dockerfile);
  void vscode.commands.executeCommand('berth.build.focus');
  const log = host.services.log;
  log.info(`build ${record.id}: ${vscode.workspace.asRelativePath(dockerfile)} → ${request.tag}${request.target ? ` (target ${request.target})` : ''}`);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Building ${record.title}`, cancellable: true }, async (progress, token) => {
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const client = await host.services.session.client();
        const result = await buildImage(
          client,
          {
            context,
            dockerfile: dockerfile.fsPath,
            tags: request.tag ? [request.tag] : [],
            buildArgs: request.buildArgs,
            labels: request.labels,
            target: request.target || undefined,
            noCache: request.noCache,
          },
          {
            signal: abort.signal,
            onProgress: (p) => {
              const step = record.steps.apply(p);
              if (p.kind === 'builder') log.info(`build ${record.id}: builder ${p.builder} (${p.why})`);
              if (p.kind === 'vertex' && p.state === 'started') progress.report({ message: p.name });
              if (step || p.kind === 'warning') host.builds.touch(record);
            },
          },
        );
        record.steps.finish('done');
        record.state = 'succeeded';
        record.imageId = result.imageId;
        record.totalMs = result.durationMs;
        host.diagnostics.set(dockerfile, warningDiagnostics(record.steps.warnings, dockerfile));
        log.info(`build ${record.id}: built ${result.imageId} in ${formatDuration(result.durationMs)}, ${result.cachedSteps} cached`);
        return result;
      } finally {
        sub.dispose();
      }
    });
  } catch (err) {
    record.steps.finish('error');
    record.totalMs = Date.now() - record.steps.startedAt;
    if (abort.signal.aborted || isAbortError(err)) {
      record.state = 'cancelled';
      log.info(`build ${record.id}: cancelled`);
      return undefined;
    }
    record.state = 'failed';
    record.error = err instanceof Error ? err.message : String(err);
    const location = err instanceof BuildError ? err.step?.location : undefined;
    host.diagnostics.set(dockerfile, [...(location ? [failureDiagnostic(record.error, location)] : []), ...warningDiagnostics(record.steps.warnings, dockerfile)]);
    log.warn(`build ${record.id}: ${record.error}`);
    const where = location ? ` (${path.basename(dockerfile.fsPath)} line ${location.range.start.line + 1})` : '';
    void vscode.window.showErrorMessage(`Build of ${record.title} failed${where}: ${record.error}`, 'Show Build').then((pick) => {
      if (pick) void vscode.commands.executeCommand('berth.build.focus');
    });
    return undefined;
  } finally {
    signal?.removeEventListener('abort', onOuterAbort);
    host.builds.touch(record);
    host.builds.flush();
  }
}

function toRange(loc: SourceLocation): vscode.Range {
  const r = loc.range;
  // BuildKit gives whole lines (column 0 to 0 on the next line, or end columns of 0): cover the line.
  const endLine = r.end.line > r.start.line && r.end.column === 0 ? r.end.line - 1 : r.end.line;
  return new vscode.Range(r.start.line, r.start.column, endLine, r.end.column || Number.MAX_SAFE_INTEGER);
}

function failureDiagnostic(message: string, loc: SourceLocation): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(loc), `Build failed here: ${message}`, vscode.DiagnosticSeverity.Error);
  d.source = 'berth build';
  return d;
}

function warningDiagnostics(warnings: { message: string; location?: SourceLocation; url?: string }[], dockerfile: vscode.Uri): vscode.Diagnostic[] {
  return warnings.flatMap((w) => {
    if (!w.location || path.basename(w.location.file) !== path.basename(dockerfile.fsPath)) return [];
    const d = new vscode.Diagnostic(toRange(w.location), w.message, vscode.DiagnosticSeverity.Warning);
    d.source = 'berth build';
    if (w.url) d.code = { value: 'BuildKit', target: vscode.Uri.parse(w.url) };
    return [d];
  });
}
