// The registry's 401 answer says how to authenticate: `WWW-Authenticate:
// Bearer realm="…",service="…",scope="…"` (token auth) or `Basic realm="…"`.
// RFC 7235 allows several challenges in one header and quoted strings holding
// commas and escaped quotes, so this is a small tokenizer, not a split(',').

export interface AuthChallenge {
  /** Lowercased: "bearer", "basic". */
  scheme: string;
  /** Auth-params with lowercased names ("realm", "service", "scope", "error"). */
  params: Record<string, string>;
}

/** All challenges of one or more WWW-Authenticate header values, in order. */
export function parseAuthChallenges(header: string | string[] | null | undefined): AuthChallenge[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  return values.flatMap(parseOne);
}

function parseOne(text: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && !/[\s,="]/.test(text[i])) i++;
    return text.slice(start, i);
  };
  let current: AuthChallenge | undefined;
  while (i < n) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const word = token();
    if (!word) {
      i++; // a stray character: move past it rather than loop forever
      continue;
    }
    skipSpace();
    if (text[i] === '=' && current) {
      i++;
      skipSpace();
      let value: string;
      if (text[i] === '"') {
        i++;
        value = '';
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) i++;
          value += text[i++];
        }
        i++; // closing quote
      } else {
        value = token();
      }
      current.params[word.toLowerCase()] = value;
    } else if (text[i] === '=' && !current) {
      // A parameter before any scheme is malformed; skip its value.
      i++;
      token();
    } else {
      // A token not followed by "=" starts a new challenge (token68 forms are not used by registries).
      current = { scheme: word.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}

/** The challenge Berth answers: Bearer when offered (the registry prefers it), else Basic. */
export function pickChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ?? challenges.find((c) => c.scheme === 'basic');
}
