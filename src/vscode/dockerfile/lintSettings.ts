import * as os from 'node:os';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { findDockerignore, withCopyIgnoredFile } from '../../core/buildcontext/dockerignoreFile';
import type { LintConfig } from '../../core/dockerfile/rule';
import type { Severity } from '../../core/dockerfile/types';

// The configuration for one Dockerfile: the nearest .hadolint.yaml (what users
// already have must just work), then Berth's settings on top.

export async function fileConfig(uri: vscode.Uri): Promise<Partial<LintConfig>> {
  const settings = vscode.workspace.getConfiguration('berth.lint', uri);
  let fromFile: Partial<LintConfig> = {};
  if (uri.scheme === 'file') {
    const { findConfigFile, parseConfig } = await import('../../core/dockerfile/config');
    const file = await findConfigFile(path.dirname(uri.fsPath), os.homedir(), process.env);
    if (file) fromFile = parseConfig(await readFile(file, 'utf8').catch(() => ''), file).config;
  }
  const ignored = [...(fromFile.ignored ?? []), ...(settings.get<string[]>('ignore') ?? [])];
  const override: Partial<Record<Severity, string[]>> = { ...fromFile.override };
  for (const [code, level] of Object.entries(settings.get<Record<string, string>>('severity') ?? {})) {
    if (level === 'off') ignored.push(code);
    else if (['error', 'warning', 'info', 'style'].includes(level)) (override[level as Severity] ??= []).push(code);
  }
  // On unless the user chose a severity for it (shared with `berth lint`).
  return withCopyIgnoredFile({ ...fromFile, ignored, override });
}

/** The .dockerignore that applies when the Dockerfile's folder is the build context (found as `berth lint` finds it). */
export async function dockerignoreFor(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') return undefined;
  return (await findDockerignore(uri.fsPath))?.text;
}
