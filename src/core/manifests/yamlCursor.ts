// Where the cursor is in a YAML file being typed: the path of the mapping it
// is in and whether a key or a value is being written. Read from the text by
// indentation rather than from the parsed tree, because a half-typed line
// ("    imag") is exactly what the parser cannot place.

export interface CursorContext {
  /** Path of the collection the cursor writes into (a key position) or of the key whose value is written. */
  path: (string | number)[];
  /** 'key': a new key of the mapping at `path`; 'value': the value of the key at `path`; 'item': a new sequence item of `path`. */
  position: 'key' | 'value' | 'item';
  /** What is typed so far of the key or value. */
  prefix: string;
  /** Keys already present in the mapping at a key position (to leave out of completion). */
  siblings: string[];
}

const KEY_LINE = /^(\s*)(-\s+)?("[^"]*"|'[^']*'|[^\s#:][^#:]*?)\s*:(?:\s|$)/;

export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (before.includes('#')) return undefined;
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop(); // the empty string after the last newline

  const valueMatch = /^(\s*)(-\s+)?([^\s#:[{][^#:[{]*?)\s*:\s+(.*)$/.exec(before);
  if (valueMatch) {
    // `- key: ` starts a new item of the sequence above (the item is index 0, as everywhere in these paths).
    const parent = valueMatch[2] !== undefined ? [...parentPath(lines, valueMatch[1].length + 1, valueMatch[1].length), 0] : parentPath(lines, valueMatch[1].length);
    const path = [...parent, unquote(valueMatch[3])];
    const rest = valueMatch[4];
    // A flow collection on the key's line (`depends_on: [db, `, `logging: {dri`): the cursor writes inside it.
    if (/^[[{]/.test(rest)) return flowContext(path, rest);
    return { path, position: 'value', prefix: /\S*$/.exec(rest)![0], siblings: [] };
  }
  const itemMatch = /^(\s*)-\s+([^\s:#]*)$/.exec(before);
  const keyMatch = /^(\s*)(-\s+)?([\w.$-]*)$/.exec(before);
  if (!keyMatch) return undefined;
  const dash = keyMatch[2];
  const indent = keyMatch[1].length + (dash?.length ?? 0);
  if (itemMatch) {
    // "- x": a new item of the sequence whose key sits above at a smaller indent; could also start a mapping item.
    const parent = parentPath(lines, keyMatch[1].length + 1, keyMatch[1].length);
    return { path: parent, position: 'item', prefix: itemMatch[2], siblings: [] };
  }
  const parent = dash ? [...parentPath(lines, keyMatch[1].length + 1, keyMatch[1].length), 0] : parentPath(lines, indent);
  return { path: parent, position: 'key', prefix: keyMatch[3], siblings: dash ? [] : siblingKeys(text, lineStart, indent) };
}

/**
 * Keys of the enclosing mappings, from lines above with smaller indentation.
 * `siblingDash`: the cursor line starts a sequence item at this column, so
 * earlier items at that column are its siblings, not items that contain it
 * (they used to add a spurious `0` to the path).
 */
function parentPath(lines: string[], indent: number, siblingDash?: number): (string | number)[] {
  const path: (string | number)[] = [];
  let limit = indent;
  for (let i = lines.length - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i];
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const lead = line.length - line.trimStart().length;
    const m = KEY_LINE.exec(line);
    const dash = /^\s*-\s+/.exec(line);
    if (dash && lead === siblingDash) continue;
    const keyIndent = m ? m[1].length + (m[2]?.length ?? 0) : dash ? dash[0].length : lead;
    if (keyIndent >= limit) {
      if (dash && lead < limit) {
        path.unshift(0);
        limit = lead;
      }
      continue;
    }
    if (m) {
      path.unshift(unquote(m[3]));
      if (m[2]) path.unshift(0);
      limit = m[2] ? lead : keyIndent;
    } else if (dash) {
      path.unshift(0);
      limit = lead;
    } else limit = lead;
  }
  return path;
}

/** Inside `[a, b` or `{k: v, k2: ` on one line: the innermost open collection decides. */
function flowContext(path: (string | number)[], rest: string): CursorContext | undefined {
  const at = [...path];
  const open: string[] = [];
  let key = '';
  let segmentStart = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '"' || c === "'") {
      const end = rest.indexOf(c, i + 1);
      if (end === -1) return undefined;
      i = end;
    } else if (c === '[' || c === '{') {
      if (open.length) at.push(open[open.length - 1] === '[' ? 0 : key);
      open.push(c);
      segmentStart = i + 1;
    } else if (c === ']' || c === '}') {
      open.pop();
      if (open.length) at.pop();
    } else if (c === ',') segmentStart = i + 1;
    else if (c === ':' && open[open.length - 1] === '{') key = unquote(rest.slice(segmentStart, i).trim());
  }
  if (!open.length) return undefined;
  const segment = rest.slice(segmentStart);
  if (open[open.length - 1] === '[') return { path: at, position: 'item', prefix: segment.trim(), siblings: [] };
  const colon = segment.indexOf(':');
  if (colon === -1) return { path: at, position: 'key', prefix: segment.trim(), siblings: [] };
  return { path: [...at, unquote(segment.slice(0, colon).trim())], position: 'value', prefix: segment.slice(colon + 1).trim(), siblings: [] };
}

/** Keys at the same indentation in the same mapping, above and below the cursor line. */
function siblingKeys(text: string, lineStart: number, indent: number): string[] {
  const out: string[] = [];
  const scan = (lines: string[], upward: boolean) => {
    for (const line of lines) {
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      const m = KEY_LINE.exec(line);
      const lead = line.length - line.trimStart().length;
      const keyIndent = m ? m[1].length + (m[2]?.length ?? 0) : lead;
      // A "- key:" line starts a sequence item: above the cursor its key is the item's first; below, the next item's.
      if (m?.[2] && keyIndent === indent && lead < indent) {
        if (upward) out.push(unquote(m[3]));
        break;
      }
      if (lead < indent) break;
      if (keyIndent === indent && m) out.push(unquote(m[3]));
    }
  };
  scan(text.slice(0, lineStart).split('\n').slice(0, -1).reverse(), true);
  const nextLine = text.indexOf('\n', lineStart);
  if (nextLine !== -1) scan(text.slice(nextLine + 1).split('\n'), false);
  return out;
}

function unquote(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}
