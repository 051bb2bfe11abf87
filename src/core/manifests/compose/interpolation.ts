// Compose's variable interpolation, so a field that holds `${PORT}` is judged
// by what it becomes rather than flagged for its type, and bad templates are
// reported where they are. Syntax (compose spec, "Interpolation"): `$$` is a
// literal `$`; `$NAME` and `${NAME}`; `${NAME:-default}` / `${NAME-default}`;
// `${NAME:?error}` / `${NAME?error}`; `${NAME:+alt}` / `${NAME+alt}`; defaults
// may themselves hold templates. Any other `$` is an invalid template, which
// compose refuses.

export type EnvLookup = (name: string) => string | undefined;

export interface InterpolationResult {
  value: string;
  /** The text held at least one variable (so its final type is only known at deploy time). */
  usedVariables: boolean;
  /** Variables read without a value or default: compose substitutes an empty string. */
  unset: string[];
  /** `${NAME:?message}` whose variable has no value. */
  required: { name: string; message: string }[];
  /** Set when the text is not a valid template; `value` is then the input. */
  error?: string;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

export function interpolate(text: string, env: EnvLookup): InterpolationResult {
  const result: InterpolationResult = { value: text, usedVariables: false, unset: [], required: [] };
  if (!text.includes('$')) return result;
  try {
    result.value = expand(text, env, result);
  } catch (err) {
    result.value = text;
    result.error = (err as Error).message;
  }
  return result;
}

function expand(text: string, env: EnvLookup, acc: InterpolationResult): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close === -1) throw new Error(`"${text}": "\${" is never closed`);
      out += expandBraced(text.slice(dollar + 2, close), env, acc, text);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(text.slice(dollar + 1))?.[0];
    if (!name) throw new Error(`"${text}": a "$" must start a variable ($NAME or \${NAME}); write "$$" for a literal "$"`);
    out += lookup(name, env, acc) ?? '';
    i = dollar + 1 + name.length;
  }
  return out;
}

/** Index of the `}` closing a `${`, allowing nested templates in defaults. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function expandBraced(inner: string, env: EnvLookup, acc: InterpolationResult, whole: string): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new Error(`"${whole}": "\${${inner}}" does not start with a variable name`);
  acc.usedVariables = true;
  const rest = inner.slice(name.length);
  const raw = env(name);
  if (rest === '') return lookup(name, env, acc) ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new Error(`"${whole}": unexpected "${rest[0]}" after \${${name}; use :-, -, :?, ?, :+ or +`);
  const arg = rest.slice(op.length);
  const emptyCounts = op.startsWith(':');
  const hasValue = raw !== undefined && (!emptyCounts || raw !== '');
  switch (op.replace(':', '')) {
    case '-':
      return hasValue ? raw : expand(arg, env, acc);
    case '+':
      return hasValue ? expand(arg, env, acc) : '';
    default:
      if (!hasValue) acc.required.push({ name, message: expand(arg, env, acc) });
      return raw ?? '';
  }
}

function lookup(name: string, env: EnvLookup, acc: InterpolationResult): string | undefined {
  acc.usedVariables = true;
  const v = env(name);
  if (v === undefined && !acc.unset.includes(name)) acc.unset.push(name);
  return v;
}
