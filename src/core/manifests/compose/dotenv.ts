// The `.env` file compose reads next to the project, in compose's dialect:
// `KEY=value`, optional `export `, `#` comments, single quotes literal, double
// quotes with \n \t \" \\ escapes, an unquoted value ending at ` #`. Written
// here because the dotenv packages differ from compose on exactly these edges
// and the format is a dozen lines. As in compose, a bare `KEY` line takes the
// environment's value, and unquoted or double-quoted values expand `${VAR}`
// from the environment and the lines above; single quotes are literal.

import { interpolate, type EnvLookup } from './interpolation';

export function parseDotenv(text: string, environment: EnvLookup = () => undefined): Map<string, string> {
  const out = new Map<string, string>();
  const lookup: EnvLookup = (name) => environment(name) ?? out.get(name);
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([^=\s]+)\s*(?:=\s*(.*))?$/.exec(line);
    if (!m) continue;
    const [, key, rawValue] = m;
    if (rawValue === undefined) {
      const fromEnvironment = environment(key);
      if (fromEnvironment !== undefined) out.set(key, fromEnvironment);
      continue;
    }
    const value = unquote(rawValue);
    out.set(key, rawValue.startsWith("'") ? value : interpolate(value, lookup).value);
  }
  return out;
}

function unquote(v: string): string {
  if (v.startsWith("'")) {
    const end = v.indexOf("'", 1);
    return end === -1 ? v.slice(1) : v.slice(1, end);
  }
  if (v.startsWith('"')) {
    let out = '';
    for (let i = 1; i < v.length; i++) {
      const c = v[i];
      if (c === '"') break;
      if (c === '\\' && i + 1 < v.length) {
        const n = v[++i];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      } else out += c;
    }
    return out;
  }
  const comment = v.search(/\s#/);
  return (comment === -1 ? v : v.slice(0, comment)).trim();
}
