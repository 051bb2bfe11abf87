import * as vscode from 'vscode';

// Build, run, push and pull act on the user's engine and registries with what
// the workspace provides (its Dockerfile and context, its image names): in an
// untrusted workspace that is exactly what must not happen unasked. Menus hide
// these commands there too, but the check lives here, in code, because a
// command can also arrive from the palette, a keybinding, a task or another
// extension.

const WHY: Record<string, string> = {
  build: 'a build runs the workspace\'s Dockerfile on your engine',
  run: 'a run starts a container from what the workspace names',
  push: 'a push sends images to a registry with your credentials',
  pull: 'a pull fetches images with your credentials onto your engine',
};

export class RestrictedModeError extends Error {
  constructor(readonly action: keyof typeof WHY | string) {
    super(
      `Berth does not ${action} in Restricted Mode: ${WHY[action] ?? 'this acts on your engine with what the workspace provides'}. ` +
        'Trust this folder first (Workspaces: Manage Workspace Trust).',
    );
    this.name = 'RestrictedModeError';
  }
}

/** Throws a RestrictedModeError unless the workspace is trusted. */
export function requireTrust(action: 'build' | 'run' | 'push' | 'pull'): void {
  if (!vscode.workspace.isTrusted) throw new RestrictedModeError(action);
}
