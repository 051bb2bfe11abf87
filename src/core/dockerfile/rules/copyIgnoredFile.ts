import { cleanPath, IgnoreMatcher, parseDockerignore } from '../../buildcontext/dockerignore';
import { rangeIn } from '../model';
import { type Rule } from '../rule';
import type { Instruction } from '../types';
import { expandWord, lookup, walkStages } from './buildkitVars';

// BuildKit's CopyIgnoredFile: a COPY or ADD source from the build context that
// the .dockerignore leaves out. The builder decides it per source while it
// dispatches the stage, after expanding variables, on the cleaned path; this
// replays that decision from the Dockerfile and the .dockerignore text alone.

/** Include patterns that BuildKit takes as excluding the whole context (it checks the pattern text). */
const WHOLE_CONTEXT = new Set(['*', '**', '**/*']);

/** COPY/ADD sources: every argument but the destination, with where it is written in `args`. */
function sources(ins: Instruction): Array<{ text: string; offset: number; length: number }> {
  const words: Array<{ text: string; offset: number; length: number }> = [];
  if (ins.json) {
    const re = /"((?:[^"\\]|\\.)*)"/g;
    let m: RegExpExecArray | null;
    for (let k = 0; (m = re.exec(ins.rest)) && k < ins.json.length; k++) words.push({ text: ins.json[k], offset: ins.restOffset + m.index + 1, length: m[1].length });
  } else {
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ins.rest))) words.push({ text: m[0], offset: ins.restOffset + m.index, length: m[0].length });
  }
  // Heredoc sources (`<<EOF`) are written inline, not read from the context.
  return words.slice(0, -1).filter((w) => !(ins.heredocs.length && /^<<-?["']?[^\s"']/.test(w.text)));
}

/** URLs and Git remotes are fetched, not read from the context. */
const isRemote = (src: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(src) || /^git@[^:]+:/.test(src);

/** The literal path before the first element with a wildcard, and whether there was one (`\` escapes kept out). */
function literalPrefix(pattern: string): { prefix: string; wildcard: boolean } {
  const literal: string[] = [];
  for (const elem of pattern.split('/')) {
    let text = '';
    for (let i = 0; i < elem.length; i++) {
      if ('*?['.includes(elem[i])) return { prefix: literal.join('/'), wildcard: true };
      text += elem[i] === '\\' && i + 1 < elem.length ? elem[++i] : elem[i];
    }
    literal.push(text);
  }
  return { prefix: literal.join('/'), wildcard: false };
}

/** `path` is `base` or inside it; the empty base is the context root. */
const atOrBelow = (path: string, base: string) => base === '' || path === base || path.startsWith(`${base}/`);

/**
 * Could an exception (`!pattern`) re-include something at or below `src`?
 * Then the copy may still find files, which cannot be told from the text, so
 * BuildKit stays silent for that source; exceptions elsewhere do not matter.
 */
function reincluded(matcher: IgnoreMatcher, src: string): boolean {
  const path = src.replace(/^\//, '').replace(/^\.$/, '');
  return matcher.patterns.some((p) => {
    if (!p.exclusion) return false;
    const { prefix, wildcard } = literalPrefix(p.text);
    return atOrBelow(prefix, path) || (wildcard && atOrBelow(path, prefix));
  });
}

/** Does the .dockerignore leave `src` (cleaned) out of the context, as BuildKit judges it? */
function ignored(matcher: IgnoreMatcher, src: string): boolean {
  if (reincluded(matcher, src)) return false;
  // The context root is only "excluded" by a pattern that takes everything.
  if (src === '.' || src === '/') return matcher.patterns.some((p) => !p.exclusion && WHOLE_CONTEXT.has(p.text));
  return matcher.excludes(src);
}

/** Go's %q for the file name in the message. */
function goQuote(s: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (named[ch]) out += named[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

export const copyIgnoredFile: Rule = {
  code: 'CopyIgnoredFile',
  buildkit: true,
  severity: 'warning',
  message: 'Attempting to Copy file that is excluded by .dockerignore',
  rationale:
    'A path that the .dockerignore excludes never reaches the builder, so COPY or ADD of it fails with "not found" (or silently copies less than intended). Experimental in BuildKit: enable it with `# check=experimental=CopyIgnoredFile`.',
  optIn: true,
  check(ctx) {
    if (ctx.dockerignore === undefined) return;
    const { patterns } = parseDockerignore(ctx.dockerignore);
    // Without patterns there is nothing to check; with a broken list the build fails before any COPY.
    if (!patterns.length) return;
    const matcher = new IgnoreMatcher(patterns);
    if (matcher.error) return;
    const escape = ctx.model.parsed.escape;
    walkStages(ctx.model, (ins, _stage, scope) => {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return;
      // COPY --from reads another stage or image, not the context.
      if (ins.flags.some((f) => f.name === 'from')) return;
      const resolve = lookup(scope);
      for (const word of sources(ins)) {
        let value: string | undefined;
        try {
          value = expandWord(word.text, resolve, { escape, quotes: true }).value;
        } catch {
          continue; // broken substitution: the build fails on it anyway
        }
        // An unknown value (a build argument) cannot be judged.
        if (value === undefined || isRemote(value)) continue;
        const src = cleanPath(value);
        if (!ignored(matcher, src)) continue;
        const verb = ins.keyword === 'ADD' ? 'Add' : 'Copy';
        ctx.report(rangeIn(ins, word.offset, word.length), `Attempting to ${verb} file ${goQuote(src)} that is excluded by .dockerignore`);
      }
    });
  },
};
