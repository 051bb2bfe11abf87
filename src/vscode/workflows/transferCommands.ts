import * as vscode from 'vscode';
import { tagImage } from '../../core/engine/resources';
import type { ExplorerNode } from '../../core/explorer/node';
import { pullImage, pushImage, type TransferProgress } from '../../core/registry/imageTransfer';
import { familiarName, parseImageRef, repositoryName, type ImageRef } from '../../core/registry/registryRef';
import { parseRegistryUrl } from '../../core/registry/registryUrl';
import { withJob } from '../commands/run';
import { objectRows } from '../commands/targets';
import { requireTrust } from '../trust';
import type { RegistryRow } from '../views/registriesTreeProvider';
import type { WorkflowHost } from '../workflowHost';
import { accessFor } from './registryAccess';

// "Push Image" and "Pull Image". A push picks (or types) the registry
// reference, tags the local image with it when needed, and pushes with one
// progress line over all layers; the engine does the transfer and gets the
// credential only in X-Registry-Auth. Cancelling closes the stream, which
// stops the engine's push or pull.

/** An image (row or name) to push, or a Registries row to push into. */
type ImageTarget = ExplorerNode | RegistryRow | string | undefined;

/** A Registries row an image can be pushed into. */
type PushInto = Extract<RegistryRow, { kind: 'registry' | 'repository' }>;

const isRegistryRow = (t: ImageTarget): t is RegistryRow => typeof t === 'object' && 'kind' in t && typeof t.kind === 'string';

export async function pushImageCommand(host: WorkflowHost, target: ImageTarget, destination?: string): Promise<string | undefined> {
  requireTrust('push');
  const into = isRegistryRow(target) && (target.kind === 'registry' || target.kind === 'repository') ? (target as PushInto) : undefined;
  const source = typeof target === 'string' ? target : !isRegistryRow(target) && target?.ref?.kind === 'images' ? target.ref.id : await pickLocalImage(host);
  if (!source) return undefined;
  const dest = destination ?? (await pickDestination(host, source, into));
  if (!dest) return undefined;
  const ref = parseImageRef(dest);
  const name = familiarName(ref);
  const client = await host.services.session.client();
  if (normalized(source) !== name) {
    await tagImage(client, source, repositoryName(ref), ref.tag ?? 'latest');
    host.services.log.info(`push: tagged ${source} as ${name}`);
  }
  const access = await accessFor(host, ref.registry);
  const result = await withJob(`Pushing ${name}`, (signal, report) =>
    pushImage(client, name, { credential: access.resolved?.credential, signal, onProgress: layerReporter(report) }),
  );
  host.services.log.info(`push: ${name} ${result.digest ?? ''} (${result.layers.length} layers)`);
  host.registriesView.refresh();
  if (destination === undefined) void vscode.window.showInformationMessage(`Pushed ${name}${result.digest ? ` (${result.digest.slice(0, 19)}…)` : ''}.`);
  return result.digest;
}

export async function pullImageCommand(host: WorkflowHost, target?: RegistryRow | string): Promise<void> {
  requireTrust('pull');
  let text: string | undefined;
  if (typeof target === 'string') text = target;
  else if (target?.kind === 'tag') text = `${target.host}/${target.repository}:${target.tag}`;
  else text = await vscode.window.showInputBox({ prompt: 'Image to pull (registry/repository:tag or @sha256:…)', validateInput: validateRef });
  if (!text) return;
  const ref = parseImageRef(text.trim());
  const name = familiarName(ref);
  const client = await host.services.session.client();
  const access = await accessFor(host, ref.registry);
  await withJob(`Pulling ${name}`, (signal, report) => pullImage(client, name, { credential: access.resolved?.credential, signal, onProgress: layerReporter(report) }));
  host.services.log.info(`pull: ${name}`);
  if (typeof target !== 'string') void vscode.window.showInformationMessage(`Pulled ${name}.`);
}

function validateRef(text: string): string | undefined {
  try {
    parseImageRef(text.trim());
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function normalized(image: string): string {
  try {
    return familiarName(parseImageRef(image));
  } catch {
    return image; // an image id: never equal to a reference
  }
}

async function pickLocalImage(host: WorkflowHost): Promise<string | undefined> {
  const rows = objectRows(host.services.views, 'images').filter((n) => !n.contextValue.includes('dangling'));
  if (rows.length === 0) return vscode.window.showInputBox({ prompt: 'Local image to push (name:tag)' });
  const picked = await vscode.window.showQuickPick(rows.map((n) => ({ label: n.ref!.id, description: n.description })), { placeHolder: 'Push which image?' });
  return picked?.label;
}

/** Suggests the image under each added registry (same repository path and tag); any reference can be typed instead. */
async function pickDestination(host: WorkflowHost, source: string, into?: PushInto): Promise<string | undefined> {
  let ref: ImageRef | undefined;
  try {
    ref = parseImageRef(source);
  } catch {
    ref = undefined;
  }
  const path = into?.kind === 'repository' ? into.repository : ref ? ref.repository.replace(/^library\//, '') : 'image';
  // Pushed from a Registries row: that registry (and repository) only.
  const registries = into ? host.registries.all().filter((r) => r.url === into.url) : host.registries.all();
  const suggestions = registries.flatMap((r) => {
    try {
      const registry = parseRegistryUrl(r.url).host;
      return registry === 'docker.io' ? [] : [`${registry}/${path}:${ref?.tag ?? 'latest'}`];
    } catch {
      return [];
    }
  });
  const choices = [...new Set([...(ref && ref.registry !== 'docker.io' && !into ? [source] : []), ...suggestions])];
  const qp = vscode.window.createQuickPick();
  qp.placeholder = 'Push as registry/repository:tag (pick or type)';
  qp.items = choices.map((label) => ({ label }));
  return new Promise<string | undefined>((resolve) => {
    qp.onDidChangeValue((v) => {
      const typed = v.trim() && !choices.includes(v.trim()) ? [{ label: v.trim(), description: 'type a reference' }] : [];
      qp.items = [...typed, ...choices.map((label) => ({ label }))];
    });
    qp.onDidAccept(() => {
      const value = qp.selectedItems[0]?.label ?? qp.value.trim();
      const problem = validateRef(value);
      if (problem) {
        // (QuickPick has no validation message before VS Code 1.98: say it in the title.)
        qp.title = problem;
        return;
      }
      resolve(value);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** One progress line over all layers: "3/5 layers done · a1b2c3d4e5f6 Pushing 42%". */
function layerReporter(report: (message: string) => void): (p: TransferProgress) => void {
  const layers = new Map<string, string>();
  let last = 0;
  return (p) => {
    if (p.layer) layers.set(p.layer, p.status);
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const done = [...layers.values()].filter((s) => /pushed|already exists|complete|mounted/i.test(s)).length;
    const pct = p.current !== undefined && p.total ? ` ${Math.round((100 * p.current) / p.total)}%` : '';
    report(`${layers.size ? `${done}/${layers.size} layers done · ` : ''}${p.layer ? `${p.layer} ` : ''}${p.status}${pct}`);
  };
}

