import * as vscode from 'vscode';
import { EngineError } from '../../core/engine/errors';
import {
  createNetwork,
  createVolume,
  pruneResources,
  removeImage,
  removeNetwork,
  removeVolume,
  ResourceKind,
  tagImage,
} from '../../core/engine/resources';
import { splitReference } from '../../core/explorer/imageNodes';
import type { ExplorerNode } from '../../core/explorer/node';
import { formatSize } from '../../core/util/format';
import { openInspectDocument } from '../inspectDocuments';
import type { BerthServices } from '../services';
import { runBatch, withJob } from './run';
import { resolveTargets } from './targets';

type Handler = (node?: ExplorerNode, selection?: ExplorerNode[]) => Promise<void>;
type PrunableKind = Exclude<ResourceKind, 'containers'>;

const NOUN: Record<PrunableKind, string> = { images: 'image', networks: 'network', volumes: 'volume' };
const PRUNE_TEXT: Record<PrunableKind, string> = {
  images: 'Remove all dangling images (untagged and not used by any container)?',
  networks: 'Remove all networks not used by any container?',
  volumes: 'Remove all volumes not used by any container? Their data is lost.',
};

/** Images, networks and volumes: inspect, remove, prune, create/tag. */
export function resourceCommands(s: BerthServices): Record<string, Handler> {
  const table: Record<string, Handler> = {};
  for (const kind of ['images', 'networks', 'volumes'] as const) {
    const noun = NOUN[kind];
    table[`berth.${noun}.inspect`] = async (node) => {
      const [t] = await resolveTargets(s.views, kind, node, undefined, { many: false, placeHolder: `${noun} to inspect` });
      if (t) await openInspectDocument(kind, t.id, t.name);
    };
    table[`berth.${kind}.prune`] = async () => {
      if ((await vscode.window.showWarningMessage(PRUNE_TEXT[kind], { modal: true }, 'Prune')) !== 'Prune') return;
      const client = await s.session.client();
      const report = await withJob(`Pruning ${kind}`, (signal) => pruneResources(client, kind, signal));
      const space = kind === 'networks' ? '' : `, reclaimed ${formatSize(report.spaceReclaimed)}`;
      void vscode.window.showInformationMessage(`Pruned ${report.removed.length} ${report.removed.length === 1 ? noun : kind}${space}.`);
    };
  }

  table['berth.image.remove'] = async (node, selection) => {
    const targets = await resolveTargets(s.views, 'images', node, selection, { many: true, placeHolder: 'Images to remove' });
    if (targets.length === 0) return;
    const what = targets.length === 1 ? `image ${targets[0].name}` : `${targets.length} images`;
    if ((await vscode.window.showWarningMessage(`Remove ${what}?`, { modal: true }, 'Remove')) !== 'Remove') return;
    const client = await s.session.client();
    try {
      await runBatch(`Removing ${what}`, targets, (t, signal) => removeImage(client, t.id, false, signal));
    } catch (err) {
      // In use by a (stopped) container, or tagged in several repositories: offer what `docker rmi -f` does.
      if (!(err instanceof EngineError && err.statusCode === 409) && !/conflict/i.test(String((err as Error).message))) throw err;
      const force = await vscode.window.showWarningMessage(`${(err as Error).message}\n\nForce the removal?`, { modal: true }, 'Force Remove');
      if (force !== 'Force Remove') return;
      await runBatch(`Removing ${what}`, targets, (t, signal) => removeImage(client, t.id, true, signal));
    }
  };

  table['berth.image.tag'] = async (node) => {
    const [t] = await resolveTargets(s.views, 'images', node, undefined, { many: false, placeHolder: 'Image to tag' });
    if (!t) return;
    const value = await vscode.window.showInputBox({
      title: `Tag ${t.name}`,
      prompt: 'New reference, e.g. registry.example:5000/team/app:1.0',
      value: t.name.includes(':') ? t.name : '',
      validateInput: (v) => (/^[a-z0-9]+([._\-/:][a-z0-9]+)*(:[\w][\w.-]{0,127})?$/.test(v.trim()) ? undefined : 'Lowercase repository with an optional :tag'),
    });
    if (!value) return;
    const { repository, tag } = splitReference(value.trim());
    const client = await s.session.client();
    await withJob(`Tagging ${t.name}`, (signal) => tagImage(client, t.id, repository, tag, signal));
  };

  table['berth.networks.create'] = async () => {
    const name = await vscode.window.showInputBox({ title: 'Create Network', prompt: 'Network name', validateInput: validName });
    if (!name) return;
    const driver = await vscode.window.showQuickPick(['bridge', 'overlay', 'macvlan', 'ipvlan'], { placeHolder: 'Driver' });
    if (!driver) return;
    const client = await s.session.client();
    await withJob(`Creating network ${name}`, (signal) => createNetwork(client, name, driver, signal));
  };

  table['berth.volumes.create'] = async () => {
    const name = await vscode.window.showInputBox({ title: 'Create Volume', prompt: 'Volume name', validateInput: validName });
    if (!name) return;
    const client = await s.session.client();
    await withJob(`Creating volume ${name}`, (signal) => createVolume(client, name, signal));
  };

  for (const kind of ['networks', 'volumes'] as const) {
    const noun = NOUN[kind];
    table[`berth.${noun}.remove`] = async (node, selection) => {
      const targets = await resolveTargets(s.views, kind, node, selection, {
        many: true,
        filter: (r) => kind !== 'networks' || !['bridge', 'host', 'none'].includes(r.name),
        placeHolder: `${kind} to remove`,
      });
      if (targets.length === 0) return;
      const what = targets.length === 1 ? `${noun} "${targets[0].name}"` : `${targets.length} ${kind}`;
      const warn = kind === 'volumes' ? ' Its data is lost.' : '';
      if ((await vscode.window.showWarningMessage(`Remove ${what}?${warn}`, { modal: true }, 'Remove')) !== 'Remove') return;
      const client = await s.session.client();
      await runBatch(`Removing ${what}`, targets, (t, signal) =>
        kind === 'networks' ? removeNetwork(client, t.id, signal) : removeVolume(client, t.id, false, signal),
      );
    };
  }
  return table;
}

function validName(v: string): string | undefined {
  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v) ? undefined : 'Letters, digits, "_", "." and "-", starting with a letter or digit';
}
