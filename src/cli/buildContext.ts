// `berth build-context`: what a build of DIR would send, without an engine.
// Exit status: 0 ok (warnings included), 1 the context cannot be sent (an
// unreadable file, a malformed ignore file, a build file outside the
// context), 2 usage error.

import { readBuildContext } from '../core/buildcontext/buildContext';
import { ContextError } from '../core/buildcontext/contextError';
import { contextReport, type ContextReport } from '../core/buildcontext/contextReport';
import { formatContextReport } from '../core/buildcontext/contextReportText';
import { parseArgs, UsageError } from './args';
import type { LintIO } from './lint';

export const BUILD_CONTEXT_USAGE = `Usage: berth build-context [DIR] [--file DOCKERFILE] [--json]

Shows what "docker build DIR" would send to the builder: the files left after
.dockerignore (or <Dockerfile>.dockerignore beside the Dockerfile, which wins),
with BuildKit's matching; their size; the largest files and folders; which
ignore line excluded what; and warnings (a large context, node_modules, .git,
build output). Symlinks are sent as links and never followed. DIR defaults to
the current folder.

Options:
  -f, --file DOCKERFILE   the Dockerfile (default DIR/Dockerfile), relative to the
                          current folder as with docker build -f
      --json              {"files", "totalBytes", "largest", "directories"}
  -h, --help              this text

Exit status: 0 ok, 1 the context cannot be sent (the message says why), 2 usage error.`;

const SPECS = {
  file: { names: ['-f', '--file'], value: true },
  json: { names: ['--json'], value: false },
} as const;

export async function runBuildContext(argv: string[], io: LintIO): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<keyof typeof SPECS>>;
  try {
    parsed = parseArgs(argv, SPECS, 'folder', { noneRequired: true });
    if (parsed.files.length > 1) throw new UsageError(`one folder only (got ${parsed.files.length})`);
    if (parsed.files[0] === '-') throw new UsageError('a build context from stdin is not supported; name a folder');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await io.stderr(`berth build-context: ${err.message}\nRun "berth build-context --help" for usage.\n`);
    return 2;
  }
  if (parsed.help) {
    await io.stdout(BUILD_CONTEXT_USAGE + '\n');
    return 0;
  }
  const dockerfile = parsed.options.file;
  let report: ContextReport;
  try {
    const context = await readBuildContext(parsed.files[0] ?? '.', { cwd: io.cwd, dockerfile: typeof dockerfile === 'string' ? dockerfile : undefined });
    report = contextReport(context);
  } catch (err) {
    if (!(err instanceof ContextError)) throw err;
    await io.stderr(`berth build-context: ${err.message}\n`);
    return 1;
  }
  if (parsed.options.json) {
    const { files, totalBytes, largestFiles, directories } = report;
    await io.stdout(JSON.stringify({ files, totalBytes, largest: largestFiles, directories }, null, 2) + '\n');
  } else await io.stdout(formatContextReport(report));
  return 0;
}
