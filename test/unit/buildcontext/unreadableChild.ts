import { readBuildContext } from '../../../src/core/buildcontext/buildContext';
import { ContextError } from '../../../src/core/buildcontext/contextError';
import { contextTar } from '../../../src/core/buildcontext/contextTar';
import { readTar } from './contextTree';

// The build-context side of the unreadable-file tests, in a process without
// root's privileges (see runUnprivileged). argv: the context folder, then
// `walk` (the default walk, which checks readability) or `tar` (a walk that
// does not check, then the tar: the file fails only when it is opened).

async function main(): Promise<void> {
  const [dir, mode] = process.argv.slice(2);
  const out: Record<string, unknown> = {};
  try {
    const context = await readBuildContext(dir, { checkReadable: mode !== 'tar' });
    out.files = context.walk.entries.map((e) => e.path);
    if (mode === 'tar') {
      const { entries, error } = await readTar(contextTar(context.walk));
      out.tarEntries = entries.map((e) => e.name);
      out.tarError = error?.message;
    }
  } catch (err) {
    if (!(err instanceof ContextError)) throw err;
    out.error = err.message;
    out.errorPath = err.path;
  }
  process.stdout.write(JSON.stringify(out));
}

void main();
