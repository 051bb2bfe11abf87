import { runSuite, suiteFiles, writeReport } from './runSuite';

// extensionTestsPath for @vscode/test-electron (test/exthost/desktop.ts): the
// same bundled suite, run by the desktop VS Code's extension host. Mocha is
// resolved from the checkout's node_modules (this bundle lives inside it).

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const MochaCtor: typeof Mocha = require('mocha');
  const report = await runSuite(MochaCtor, suiteFiles(__dirname));
  if (process.env.BERTH_EXTHOST_REPORT) writeReport(process.env.BERTH_EXTHOST_REPORT, report);
  if (report.failed > 0) throw new Error(`${report.failed} extension-host test(s) failed`);
}
