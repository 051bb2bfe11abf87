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

  const valueMatch = /^(\s*)(-\s+)?([^\s#:][^#:]*?)\s*:\s+(\S*)$/.exec(before);
  if (valueMatch) {
    // `- key: ` starts a new item of the sequence above (the item is index 0, as everywhere in these paths).
    const parent = valueMatch[2] !== undefined ? [...parentPath(lines, valueMatch[1].length + 1, valueMatch[1].length), 0] : parentPath(lines, valueMatch[1].length);
    return { path: [...parent, unquote(valueMatch[3])], position: 'value', prefix: valueMatch[4], siblings: [] };
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
