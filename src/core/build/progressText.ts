import type { BuildProgress } from './buildTypes';

// A build's progress as plain text, one line per finished step with the
// logs indented under it: what `berth build --progress plain` prints and what
// the berth-build task shows in its terminal.

export function plainLine(p: BuildProgress): string | undefined {
  switch (p.kind) {
    case 'builder':
      return `builder: ${p.builder} (${p.why})\n`;
    case 'vertex':
      if (p.state === 'started') return undefined;
      return `${p.state === 'cached' ? 'CACHED' : p.state === 'error' ? 'ERROR ' : 'DONE  '} ${p.name}${p.durationMs !== undefined && p.state !== 'cached' ? ` ${(p.durationMs / 1000).toFixed(1)}s` : ''}${p.error ? `: ${p.error}` : ''}\n`;
    case 'log':
      return p.text.replace(/^(?=.)/gm, '  | ');
    case 'warning':
      return `WARN   ${p.message}${p.location ? ` (${p.location.file}:${p.location.range.start.line + 1})` : ''}\n`;
    case 'message':
      return p.text;
    default:
      return undefined;
  }
}
