import * as vscode from 'vscode';
import type { WorkflowHost } from '../workflowHost';

// A build step's log as a read-only document (berth-build-log:), opened from
// the Build view. The document follows the step while it runs: the provider
// signals a change whenever the build's steps do.

export const STEP_LOG_SCHEME = 'berth-build-log';

export function stepLogUri(host: WorkflowHost, buildId: number, stepId: string): vscode.Uri {
  const build = host.builds.get(buildId);
  const step = build?.steps.steps.find((s) => s.id === stepId);
  const name = (step?.name ?? stepId).replace(/[/\\]/g, '∕').slice(0, 80);
  return vscode.Uri.from({ scheme: STEP_LOG_SCHEME, path: `/${build?.title ?? 'build'} ${name}.log`, query: new URLSearchParams({ build: String(buildId), step: stepId }).toString() });
}

export function stepLogText(host: WorkflowHost, uri: vscode.Uri): string {
  const q = new URLSearchParams(uri.query);
  const build = host.builds.get(Number(q.get('build')));
  const step = build?.steps.steps.find((s) => s.id === q.get('step'));
  if (!build || !step) return 'This build is no longer in the Build view (it keeps the last 10).';
  const head = [`${step.name}`, `state: ${step.state}${step.durationMs !== undefined ? `, ${step.durationMs} ms` : ''}`];
  if (step.error) head.push(`error: ${step.error}`);
  if (step.logDropped) head.push(`(${step.logDropped} characters of output were left out in the middle)`);
  return `${head.join('\n')}\n\n${step.log || (step.state === 'cached' ? '(cached: the step did not run)' : '(no output)')}`;
}
