import * as vscode from 'vscode';
import { dockerfileInputs, exposedPorts } from '../../core/build/dockerfileInputs';
import type { ExplorerNode } from '../../core/explorer/node';
import { imageExposedPorts, runContainer } from '../../core/run/runContainer';
import { checkEnv, checkVolume, defaultMapping, dockerRunCommand, formatPort, parsePort, type RestartPolicy, type RunSpec } from '../../core/run/runSpec';
import { withJob } from '../commands/run';
import { objectRows } from '../commands/targets';
import { requireTrust } from '../trust';
import type { WorkflowHost } from '../workflowHost';
import { openAttachTerminal } from './attachTerminal';
import { locateDockerfile, runBuild } from './buildCommand';
import { rememberedBuild } from './buildRequest';

// "Run Image" / "Run Interactive": from an image row, a Dockerfile (built
// first, with what it was last built with) or the palette. One options list
// (name, ports from EXPOSE, env, volumes, network, restart, remove on exit),
// and the same run as a `docker run` line to copy.

type RunTarget = ExplorerNode | vscode.Uri | string | undefined;

const memoryKey = (image: string) => `berth.run:${image.replace(/:[^:/]*$/, '')}`;

export async function runImageCommand(host: WorkflowHost, target: RunTarget, interactive: boolean, given?: Partial<RunSpec>): Promise<void> {
  requireTrust('run');
  const found = await imageFor(host, target);
  if (!found) return;
  const client = await host.services.session.client();
  const exposed = found.exposed ?? (await imageExposedPorts(client, found.image).catch(() => []));
  const saved = host.memory.get<Partial<RunSpec>>(memoryKey(found.image)) ?? {};
  const spec: RunSpec = {
    image: found.image,
    ports: saved.ports ?? exposed.map(defaultMapping),
    env: saved.env ?? [],
    volumes: saved.volumes ?? [],
    network: saved.network,
    restart: saved.restart,
    remove: saved.remove ?? interactive,
    interactive,
    ...given,
  };
  const chosen = given ? spec : await pickRunSpec(host, spec);
  if (!chosen) return;
  if (!given) await host.memory.update(memoryKey(chosen.image), { ports: chosen.ports, env: chosen.env, volumes: chosen.volumes, network: chosen.network, restart: chosen.restart, remove: chosen.remove });
  const result = await withJob(`Starting ${chosen.image}`, (signal) => runContainer(client, chosen, signal));
  host.services.log.info(`run: started ${result.name} (${result.id.slice(0, 12)}) from ${chosen.image}`);
  if (result.stream) {
    openAttachTerminal(client, result);
    return;
  }
  if (given) return;
  const published = chosen.ports.filter((p) => p.hostPort).map((p) => `${p.hostIp ?? '0.0.0.0'}:${p.hostPort}`);
  const pick = await vscode.window.showInformationMessage(`Started ${result.name}${published.length ? ` on ${published.join(', ')}` : ''}.`, 'Follow Logs');
  if (pick) await vscode.commands.executeCommand('berth.container.logs', { id: `container:${result.id}`, label: result.name, icon: { id: 'vm' }, contextValue: 'container', ref: { kind: 'containers', id: result.id, name: result.name } });
}

async function imageFor(host: WorkflowHost, target: RunTarget): Promise<{ image: string; exposed?: string[] } | undefined> {
  if (typeof target === 'string') return { image: target };
  if (target instanceof vscode.Uri) {
    const dockerfile = await locateDockerfile(target);
    if (!dockerfile) return undefined;
    const request = rememberedBuild(host.memory, dockerfile);
    const built = await runBuild(host, dockerfile, request);
    if (!built) return undefined;
    const text = Buffer.from(await vscode.workspace.fs.readFile(dockerfile)).toString('utf8');
    const fromDockerfile = exposedPorts(dockerfileInputs(text), request.target || undefined);
    // The image knows its base's ports too; the Dockerfile's own come first.
    const client = await host.services.session.client();
    const fromImage = await imageExposedPorts(client, built.imageId).catch(() => []);
    return { image: request.tag || built.imageId, exposed: [...new Set([...fromDockerfile.map((p) => (p.includes('/') ? p : `${p}/tcp`)), ...fromImage])] };
  }
  if (target?.ref?.kind === 'images') return { image: target.ref.id };
  const rows = objectRows(host.services.views, 'images');
  if (rows.length) {
    const picked = await vscode.window.showQuickPick(rows.map((n) => ({ label: n.label, description: n.description, image: n.ref!.id })), { placeHolder: 'Run which image?' });
    return picked && { image: picked.image };
  }
  const typed = await vscode.window.showInputBox({ prompt: 'Image to run (name:tag or id)' });
  return typed?.trim() ? { image: typed.trim() } : undefined;
}

type Item = vscode.QuickPickItem & { action: 'run' | 'name' | 'ports' | 'env' | 'volumes' | 'network' | 'restart' | 'remove' | 'copy' };

async function pickRunSpec(host: WorkflowHost, spec: RunSpec): Promise<RunSpec | undefined> {
  for (;;) {
    const items: Item[] = [
      { action: 'run', label: spec.interactive ? '$(terminal) Run Interactive' : '$(play) Run', description: spec.image, alwaysShow: true },
      { action: 'name', label: 'Name', description: spec.name ?? 'chosen by the engine' },
      { action: 'ports', label: 'Ports', description: spec.ports.map(formatPort).join(' ') || 'none published' },
      { action: 'env', label: 'Environment', description: spec.env.join(' ') || 'none' },
      { action: 'volumes', label: 'Volumes', description: spec.volumes.join(' ') || 'none' },
      { action: 'network', label: 'Network', description: spec.network ?? 'default (bridge)' },
      { action: 'restart', label: 'Restart policy', description: spec.restart ?? 'no' },
      { action: 'remove', label: 'Remove on exit', description: spec.remove ? 'yes (--rm)' : 'no' },
      { action: 'copy', label: '$(copy) Copy docker run command', description: '' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `Run ${spec.image}`, placeHolder: 'Enter runs; pick an option to change it' });
    if (!picked) return undefined;
    try {
      if (picked.action === 'run') {
        dockerRunCommand(spec); // the same checks as create: a conflict is shown here, before the engine sees it
        return spec;
      }
      await editRunOption(host, spec, picked.action);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
    }
  }
}

async function editRunOption(host: WorkflowHost, spec: RunSpec, action: Item['action']): Promise<void> {
  const words = (v: string) => v.split(/\s+/).filter(Boolean);
  const validate = (check: (w: string) => unknown) => (v: string) => {
    try {
      words(v).forEach(check);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
  switch (action) {
    case 'name': {
      const v = await vscode.window.showInputBox({ prompt: 'Container name (empty: the engine picks one)', value: spec.name ?? '' });
      if (v !== undefined) spec.name = v.trim() || undefined;
      return;
    }
    case 'ports': {
      const v = await vscode.window.showInputBox({ prompt: 'Published ports, e.g. 127.0.0.1:8080:8080 9000:9000/udp (empty: none)', value: spec.ports.map(formatPort).join(' '), validateInput: validate(parsePort) });
      if (v !== undefined) spec.ports = words(v).map(parsePort);
      return;
    }
    case 'env': {
      const v = await vscode.window.showInputBox({ prompt: 'Environment as NAME=value, separated by spaces', value: spec.env.join(' '), validateInput: validate(checkEnv) });
      if (v !== undefined) spec.env = words(v);
      return;
    }
    case 'volumes': {
      const v = await vscode.window.showInputBox({ prompt: 'Volumes as source:/path[:ro], separated by spaces', value: spec.volumes.join(' '), validateInput: validate(checkVolume) });
      if (v !== undefined) spec.volumes = words(v);
      return;
    }
    case 'network': {
      const networks = host.services.views.providers.networks.rows().flatMap((n) => (n.ref ? [n.ref.name] : []));
      const names = [...new Set(['bridge', 'host', 'none', ...networks])];
      const v = await vscode.window.showQuickPick(names, { placeHolder: 'Network to join' });
      if (v) spec.network = v === 'bridge' ? undefined : v;
      return;
    }
    case 'restart': {
      const v = await vscode.window.showQuickPick(['no', 'always', 'unless-stopped', 'on-failure'], { placeHolder: 'Restart policy' });
      if (v) spec.restart = v === 'no' ? undefined : (v as RestartPolicy);
      return;
    }
    case 'remove':
      spec.remove = !spec.remove;
      return;
    case 'copy':
      await vscode.env.clipboard.writeText(dockerRunCommand(spec));
      void vscode.window.showInformationMessage('Copied the docker run command.');
      return;
  }
}
