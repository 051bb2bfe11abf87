import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildArgsFor, defaultTag, type DockerfileInputs } from '../../core/build/dockerfileInputs';
import { parseImageRef } from '../../core/registry/registryRef';

// What a build is asked for, and the one picker that sets it: every option on
// one list (tag, target stage, each ARG of the Dockerfile, no-cache, labels),
// opened on what this Dockerfile was built with last time, so the common case
// is a single Enter. Remembered per Dockerfile in the workspace's state.

export interface BuildRequest {
  tag: string;
  /** Empty: the last stage. */
  target: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  noCache: boolean;
  /** The context folder relative to the Dockerfile's folder (default: that folder). */
  context?: string;
}

const key = (dockerfile: vscode.Uri) => `berth.build:${dockerfile.toString()}`;

export function rememberedBuild(memory: vscode.Memento, dockerfile: vscode.Uri): BuildRequest {
  const saved = memory.get<Partial<BuildRequest>>(key(dockerfile)) ?? {};
  return {
    tag: saved.tag ?? defaultTag(path.dirname(dockerfile.fsPath)),
    target: saved.target ?? '',
    buildArgs: saved.buildArgs ?? {},
    labels: saved.labels ?? {},
    noCache: false, // a one-off choice: never carried to the next build
    context: saved.context,
  };
}

export function rememberBuild(memory: vscode.Memento, dockerfile: vscode.Uri, request: BuildRequest): Thenable<void> {
  return memory.update(key(dockerfile), { ...request, noCache: undefined });
}

type Item = vscode.QuickPickItem & { action: 'build' | 'tag' | 'target' | 'arg' | 'noCache' | 'labels'; arg?: string };

/** Shows the options until the user picks "Build" (returns the request) or dismisses it (undefined). */
export async function pickBuildRequest(memory: vscode.Memento, dockerfile: vscode.Uri, inputs: DockerfileInputs): Promise<BuildRequest | undefined> {
  const request = rememberedBuild(memory, dockerfile);
  const named = inputs.stages.filter((s) => s.name);
  if (request.target && !named.some((s) => s.name === request.target)) request.target = '';
  for (;;) {
    const args = buildArgsFor(inputs, request.target || undefined);
    const items: Item[] = [
      { action: 'build', label: '$(play) Build', description: `${request.tag}${request.target ? ` · target ${request.target}` : ''}`, alwaysShow: true },
      { action: 'tag', label: 'Tag', description: request.tag },
    ];
    if (named.length > 0) items.push({ action: 'target', label: 'Target stage', description: request.target || `last stage (${inputs.stages.at(-1)?.name ?? `#${inputs.stages.length}`})` });
    for (const a of args) {
      const value = request.buildArgs[a.name];
      items.push({
        action: 'arg',
        arg: a.name,
        label: `ARG ${a.name}`,
        description: value !== undefined ? `= ${value}` : a.default !== undefined ? `default ${a.default}` : 'no value',
        detail: `line ${a.line + 1}`,
      });
    }
    items.push({ action: 'noCache', label: 'No cache', description: request.noCache ? 'on: every step runs again' : 'off' });
    const labels = Object.entries(request.labels).map(([k, v]) => `${k}=${v}`).join(' ');
    items.push({ action: 'labels', label: 'Labels', description: labels || 'none' });
    const picked = await vscode.window.showQuickPick(items, { title: `Build ${vscode.workspace.asRelativePath(dockerfile)}`, placeHolder: 'Enter builds; pick an option to change it' });
    if (!picked) return undefined;
    switch (picked.action) {
      case 'build':
        await rememberBuild(memory, dockerfile, request);
        return request;
      case 'tag': {
        const tag = await vscode.window.showInputBox({ prompt: 'Image name and tag', value: request.tag, validateInput: validateTag });
        if (tag !== undefined) request.tag = tag.trim();
        break;
      }
      case 'target': {
        const last = { label: 'Last stage', description: inputs.stages.at(-1)?.name, target: '' };
        const stages = named.map((s) => ({ label: s.name!, description: `FROM ${s.base} · line ${s.line + 1}`, target: s.name! }));
        const t = await vscode.window.showQuickPick([last, ...stages], { placeHolder: 'Build up to which stage?' });
        if (t) request.target = t.target;
        break;
      }
      case 'arg': {
        const name = picked.arg!;
        const decl = args.find((a) => a.name === name);
        const value = await vscode.window.showInputBox({
          prompt: `Build argument ${name}${decl?.default !== undefined ? ` (Dockerfile default: ${decl.default})` : ''}. Empty text removes the override.`,
          value: request.buildArgs[name] ?? decl?.default ?? '',
        });
        if (value === undefined) break;
        if (value === '' || value === decl?.default) delete request.buildArgs[name];
        else request.buildArgs[name] = value;
        break;
      }
      case 'noCache':
        request.noCache = !request.noCache;
        break;
      case 'labels': {
        const text = await vscode.window.showInputBox({ prompt: 'Labels as KEY=value, separated by spaces', value: labels, validateInput: (t) => parseLabels(t).error });
        if (text !== undefined) request.labels = parseLabels(text).labels;
        break;
      }
    }
  }
}

function validateTag(text: string): string | undefined {
  if (!text.trim()) return 'A build needs a tag (e.g. shop-web:dev).';
  try {
    const ref = parseImageRef(text.trim());
    return ref.digest ? 'Tag with a name, not a digest.' : undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function parseLabels(text: string): { labels: Record<string, string>; error?: string } {
  const labels: Record<string, string> = {};
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq <= 0) return { labels, error: `"${word}" is not KEY=value.` };
    labels[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return { labels };
}
