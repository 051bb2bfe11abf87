import { formatSize } from '../util/format';
import type { ContextReport } from './contextReport';

// The build-context report as text: what `berth build-context` prints and what
// the editor's "Show Build Context" document shows, so both read the same.

export function formatContextReport(r: ContextReport): string {
  const out: string[] = [];
  const n = (v: number) => v.toLocaleString('en-US');
  const plural = (v: number, noun: string) => `${n(v)} ${noun}${v === 1 ? '' : 's'}`;
  const size = (bytes: number) => formatSize(bytes).padStart(9);
  out.push(`Build context ${r.root}`);
  out.push(`  Dockerfile: ${r.dockerfile ?? '(none)'}   ignore file: ${r.dockerignore ?? '(none: everything in the folder is sent)'}`);
  out.push(`  ${formatSize(r.totalBytes)} in ${plural(r.files.length, 'file')} and ${plural(r.directories.length, 'folder')}`);
  if (r.largestFiles.length) {
    out.push('', 'Largest files');
    for (const f of r.largestFiles) out.push(`  ${size(f.bytes)}  ${f.path}`);
  }
  if (r.largestFolders.length) {
    out.push('', 'Largest folders');
    for (const f of r.largestFolders) out.push(`  ${size(f.bytes)}  ${f.path}/  (${plural(f.files, 'file')})`);
  }
  if (r.exclusions.length) {
    out.push('', `Excluded by ${r.dockerignore}`);
    const width = Math.min(40, Math.max(...r.exclusions.map((x) => x.pattern.length)));
    for (const x of r.exclusions) {
      const what = [x.folders ? plural(x.folders, 'folder') : '', x.files ? plural(x.files, 'file') : ''].filter(Boolean).join(', ') || 'nothing';
      out.push(`  line ${String(x.line).padEnd(4)} ${x.pattern.padEnd(width)}  ${what}`);
    }
  }
  if (r.warnings.length) {
    out.push('', 'Warnings');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  if (r.notes.length) {
    out.push('', 'Notes');
    for (const note of r.notes) out.push(`  - ${note}`);
  }
  return out.join('\n') + '\n';
}
