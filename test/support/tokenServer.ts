// A small token server for the test rig (scripts/provision-registries.sh runs
// it beside Debian's docker-registry): it implements distribution's token
// authentication spec closely enough for the real registry and the real
// dockerd. GET /token?service=&scope=… with Basic credentials (what dockerd
// and Berth send for a username/password), or POST /token with grant_type
// password or refresh_token (an identity token), answers {token, access_token,
// expires_in, issued_at}: a JWT signed RS256 whose `kid` is the libtrust key ID
// of the certificate the registry trusts (auth.token.rootcertbundle). Every
// user gets every action it asks for; wrong or missing credentials get 401.
// Nothing secret is logged: one line per request with the user and the scopes.
//
// Run: node --import tsx test/support/tokenServer.ts --port 5003 --key K.pem
//      --cert C.pem --users users.json --issuer ISS --service SVC

import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';

export interface TokenUser {
  password: string;
  /** Accepted as an OAuth2 refresh token (what docker keeps as `identitytoken`). */
  identityToken?: string;
}

export interface TokenServerOptions {
  port: number;
  host?: string;
  privateKeyPem: string;
  certPem: string;
  issuer: string;
  service: string;
  users: Record<string, TokenUser>;
  /** Token lifetime; the registry rejects it after this (plus its leeway). */
  expiresInSeconds?: number;
  log?: (line: string) => void;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** libtrust's key ID (docker/libtrust util.go keyIDFromCryptoKey): SHA-256 of the PKIX DER, 240 bits, base32 in groups of 4. */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const b32 = base32(createHash('sha256').update(der).digest().subarray(0, 30));
  return b32.match(/.{1,4}/g)!.join(':');
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** "repository:team/app:pull,push" → {type, name, actions}; names may hold ":" (ports are not in names, but be lenient). */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function startTokenServer(opts: TokenServerOptions): Promise<http.Server> {
  const key = createPrivateKey(opts.privateKeyPem);
  const kid = libtrustKeyId(createPublicKey(opts.certPem));
  const lifetime = opts.expiresInSeconds ?? 300;
  const log = opts.log ?? (() => undefined);

  const issue = (subject: string, access: Access[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', kid };
    // distribution 2.8 reads `aud` as one string, not a list.
    const claims = { iss: opts.issuer, sub: subject, aud: opts.service, exp: now + lifetime, nbf: now - 10, iat: now, jti: randomBytes(12).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign('RSA-SHA256', Buffer.from(input), key))}`;
  };

  const checkPassword = (user: string, password: string) => {
    const u = opts.users[user];
    return u !== undefined && same(u.password, password);
  };
  const userOfRefresh = (token: string) => Object.entries(opts.users).find(([, u]) => u.identityToken && same(u.identityToken, token))?.[0];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const deny = (why: string) => {
      log(`${req.method} ${url.pathname} → 401 (${why})`);
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="berth-token-server"' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `authentication failed: ${why}` }] }));
    };
    const grant = (user: string, scopes: string[]) => {
      const access = scopes.map(parseScope).filter((a): a is Access => a !== undefined);
      const token = issue(user, access);
      log(`${req.method} ${url.pathname} → 200 user=${user} scopes=${scopes.join(' ') || '(none)'}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: lifetime, issued_at: new Date().toISOString() }));
    };
    if (url.pathname !== '/token') {
      res.writeHead(url.pathname === '/health' ? 200 : 404).end(url.pathname === '/health' ? 'ok' : 'not found');
      return;
    }
    if (url.searchParams.get('service') && url.searchParams.get('service') !== opts.service && req.method === 'GET') return deny('unknown service');
    if (req.method === 'GET') {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Basic ')) return deny('no credentials');
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      if (colon < 0 || !checkPassword(user, decoded.slice(colon + 1))) return deny(`bad credentials for "${user}"`);
      return grant(user, url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean));
    }
    if (req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const scopes = form.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
        if (form.get('grant_type') === 'refresh_token') {
          const user = userOfRefresh(form.get('refresh_token') ?? '');
          return user ? grant(user, scopes) : deny('unknown refresh token');
        }
        if (form.get('grant_type') === 'password') {
          const user = form.get('username') ?? '';
          return checkPassword(user, form.get('password') ?? '') ? grant(user, scopes) : deny(`bad credentials for "${user}"`);
        }
        return deny('unsupported grant_type');
      });
      return;
    }
    res.writeHead(405).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve(server));
  });
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`tokenServer: --${name} is required`);
  return v;
}

if (require.main === module) {
  const users = JSON.parse(readFileSync(arg('users'), 'utf8')) as Record<string, TokenUser>;
  startTokenServer({
    port: Number(arg('port')),
    privateKeyPem: readFileSync(arg('key'), 'utf8'),
    certPem: readFileSync(arg('cert'), 'utf8'),
    issuer: arg('issuer'),
    service: arg('service'),
    users,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  }).then(
    (s) => console.log(`token server listening on ${JSON.stringify(s.address())}`),
    (err) => {
      console.error(`token server: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
