import * as vscode from 'vscode';
import type { ResourceKind } from '../../core/engine/resources';
import type { ExplorerNode, ResourceRef } from '../../core/explorer/node';
import type { ResourceViews } from '../views/registerViews';

/** A view's rows that stand for one object each, group rows replaced by their members: what a quick pick offers. */
export function objectRows(views: ResourceViews, kind: ResourceKind): ExplorerNode[] {
  return views.providers[kind].rows().flatMap((n) => n.children ?? [n]).filter((n) => n.ref);
}

/**
 * The objects a command acts on: the multi-selection when the clicked row is
 * part of it, else the clicked row; a group row stands for its members. From
 * the palette (no row), a quick pick over the view's rows.
 */
export async function resolveTargets(
  views: ResourceViews,
  kind: ResourceKind,
  node: ExplorerNode | undefined,
  selection: readonly ExplorerNode[] | undefined,
  opts: { many: boolean; filter?: (r: ResourceRef) => boolean; placeHolder: string },
): Promise<ResourceRef[]> {
  const filter = opts.filter ?? (() => true);
  if (node) {
    const nodes = selection && selection.some((s) => s.id === node.id) ? selection : [node];
    const refs = nodes.flatMap((n) => (n.children ? n.children : [n])).flatMap((n) => (n.ref ? [n.ref] : []));
    const unique = [...new Map(refs.map((r) => [r.id, r])).values()];
    return unique.filter(filter);
  }
  const candidates = objectRows(views, kind).filter((n) => filter(n.ref!));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`Berth: nothing to pick. Open the ${kind} view to load the list from the engine.`);
    return [];
  }
  const items = candidates.map((n) => ({ label: n.label, description: n.description, ref: n.ref! }));
  if (opts.many) {
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: opts.placeHolder });
    return picked?.map((p) => p.ref) ?? [];
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: opts.placeHolder });
  return picked ? [picked.ref] : [];
}
