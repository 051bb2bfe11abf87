import * as path from 'node:path';
import * as vscode from 'vscode';
import { failureReport, Report, runSuite, suiteFiles, writeReport } from './runSuite';

// The test-runner extension (test/exthost/runner, never in Berth's VSIX). In an
// editor started with BERTH_EXTHOST_REPORT=<file> and BERTH_REPO=<checkout>,
// it runs the bundled suite inside the extension host once startup finished
// and writes the report there; otherwise it does nothing at all.

export function activate(context: vscode.ExtensionContext): void {
  const reportPath = process.env.BERTH_EXTHOST_REPORT;
  if (!reportPath) return;
  const log = vscode.window.createOutputChannel('Berth extension-host tests', { log: true });
  context.subscriptions.push(log);
  log.info(`running the suite; report: ${reportPath}`);
  // Not awaited: activation returns at once, the suite runs beside the workbench.
  void run(reportPath, context.extensionPath).then(
    (report) => log.info(`done: ${report.passed} passed, ${report.failed} failed`),
    (err) => log.error('runner failed', err),
  );
}

async function run(reportPath: string, extensionPath: string): Promise<Report> {
  let report: Report;
  try {
    const repo = process.env.BERTH_REPO;
    if (!repo) throw new Error('BERTH_REPO is not set: the runner loads mocha from the Berth checkout');
    // Mocha comes from the checkout (the runner's VSIX ships no node_modules).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const MochaCtor: typeof Mocha = require(path.join(repo, 'node_modules/mocha'));
    report = await runSuite(MochaCtor, suiteFiles(path.join(extensionPath, 'dist')));
  } catch (err) {
    report = failureReport('extension-host runner', err);
  }
  report.editor = `${vscode.env.appName} ${vscode.version} (${vscode.env.appHost}, remote: ${vscode.env.remoteName ?? 'none'})`;
  writeReport(reportPath, report);
  return report;
}

export function deactivate(): void {
  // Nothing to dispose beyond context.subscriptions.
}
