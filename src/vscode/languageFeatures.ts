import type * as vscode from 'vscode';
import { registerLinting } from './dockerfile/registerLinting';
import { registerManifests } from './manifests/registerManifests';

// Everything Berth does for open documents (Dockerfile linting, manifest
// validation), with the linter, both YAML readers and the Compose schema. The
// bundler gives this module a file of its own (dist/languageFeatures.js),
// loaded when the first Dockerfile or YAML document is open: activating Berth
// for its views does not parse it.

export interface LanguageFeatures {
  lintAllDockerfiles(): Promise<void>;
}

export function startLanguageFeatures(extensionUri: vscode.Uri, subscriptions: vscode.Disposable[]): LanguageFeatures {
  const linting = registerLinting(extensionUri, subscriptions);
  registerManifests(subscriptions);
  return { lintAllDockerfiles: linting['berth.dockerfiles.lintAll'] };
}
