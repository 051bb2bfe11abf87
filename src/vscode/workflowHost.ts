import type * as vscode from 'vscode';
import type { RegistryList, SecretCredentialStore } from './registries/registryList';
import type { BerthServices } from './services';
import type { BuildHistory } from './views/buildTreeProvider';
import type { RegistriesTreeProvider } from './views/registriesTreeProvider';

/** What the build, run, push and registry commands work with, handed to them explicitly. */
export interface WorkflowHost {
  services: BerthServices;
  builds: BuildHistory;
  buildView: vscode.TreeView<unknown>;
  registries: RegistryList;
  registriesView: RegistriesTreeProvider;
  credentials: SecretCredentialStore;
  /** Per-workspace memory: the options each Dockerfile was last built and run with. */
  memory: vscode.Memento;
  /** Failed build steps, on the Dockerfile line that caused them. */
  diagnostics: vscode.DiagnosticCollection;
}
