// `berth validate`: Compose files and Kubernetes manifests checked by the same
// core as the editor. Exit status: 0 no errors; 1 an error-level finding, or a
// file that could not be validated at all; 2 usage error.

import * as path from 'node:path';
import { formatFindings, type FileResult } from '../core/dockerfile/formats';
import { MANIFEST_CODES } from '../core/manifests/codes';
import { validateManifest, type ManifestKind } from '../core/manifests/validateManifest';
import type { LintIO } from './lint';
import { oneOf, parseArgs, UsageError } from './args';
import { readTextInput } from './readInput';
import { localFiles } from '../core/manifests/compose/fileReferences';

export const VALIDATE_USAGE = `Usage: berth validate [options] FILE... | -

Validates Compose files (the compose specification, plus the checks compose makes
when it loads a project) and Kubernetes manifests (the Kubernetes OpenAPI schema,
Knative Services, and Berth's workload rules). "-" reads stdin.

Options:
  -k, --kind compose|kubernetes|auto   what the files are (default auto: by file name,
                                       then by content)
  -f, --format text|json|sarif         output format (default text)
  -h, --help                           this text

Exit status: 0 no errors, 1 an error was found or a file could not be validated,
2 usage error.`;

const KINDS = ['compose', 'kubernetes', 'auto'] as const;
const FORMATS = ['text', 'json', 'sarif'] as const;


interface Options {
  kind: ManifestKind | 'auto';
  format: (typeof FORMATS)[number];
  files: string[];
}

export async function runValidate(argv: string[], io: LintIO): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseValidateArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await io.stderr(`berth validate: ${err.message}\nRun "berth validate --help" for usage.\n`);
    return 2;
  }
  if (opts === 'help') {
    await io.stdout(VALIDATE_USAGE + '\n');
    return 0;
  }
  const results: FileResult[] = [];
  for (const file of opts.files) {
    const text = await readTextInput(file, io, 'manifest');
    const fail = async (error: string) => {
      results.push({ file, findings: [], error });
      await io.stderr(`berth: ${file}: ${error}\n`);
    };
    if (typeof text !== 'string') {
      await fail(text.error);
      continue;
    }
    const absolute = file === '-' ? undefined : path.resolve(io.cwd, file);
    const r = validateManifest(text, {
      kind: opts.kind === 'auto' ? undefined : opts.kind,
      file: absolute,
      files: localFiles,
      environment: io.env,
    });
    if (!r) {
      await fail('is neither a Compose file nor a Kubernetes manifest that Berth can recognise (name it compose.yaml, or pass --kind)');
      continue;
    }
    // Quick fixes are for the editor; the report formats carry positions and messages.
    results.push({ file, findings: r.diagnostics.map(({ fixes: _fixes, ...d }) => ({ ...d, aliases: [] })) });
  }
  const output = formatFindings(results, opts.format, MANIFEST_CODES, { cwd: io.cwd, version: io.version });
  if (output) await io.stdout(output);
  const failed = results.some((r) => r.error !== undefined || r.findings.some((f) => f.severity === 'error'));
  return failed ? 1 : 0;
}

function parseValidateArgs(argv: string[]): Options | 'help' {
  const { options: o, files, help } = parseArgs(argv, { kind: { names: ['-k', '--kind'], value: true }, format: { names: ['-f', '--format'], value: true } }, 'file');
  if (help) return 'help';
  return {
    kind: typeof o.kind === 'string' ? oneOf(o.kind, KINDS, 'kind') : 'auto',
    format: typeof o.format === 'string' ? oneOf(o.format, FORMATS, 'format') : 'text',
    files,
  };
}
