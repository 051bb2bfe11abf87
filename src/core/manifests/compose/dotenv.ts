// The `.env` file compose reads next to the project, in compose's dialect:
// `KEY=value`, optional `export `, `#` comments, single quotes literal, double
// quotes with \n \t \" \\ escapes, an unquoted value ending at ` #`. Written
// here because the dotenv packages differ from compose on exactly these edges
// and the format is a dozen lines.

export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([^=\s]+)\s*(?:=\s*(.*))?$/.exec(line);
    if (!m) continue;
    const [, key, rawValue] = m;
    if (rawValue === undefined) continue;
    out.set(key, unquote(rawValue));
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
