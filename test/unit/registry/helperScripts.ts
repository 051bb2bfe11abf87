// Real docker-credential-* executables for the tests, written into a temp dir
// that goes first on PATH: each speaks the helper protocol (action in argv,
// input on stdin, JSON on stdout) and records its argv, so tests can check
// that no secret was ever passed there.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const HELPER_SECRET = 'helper-pw-Zq9!x7';
export const HUB_IDENTITY_TOKEN = 'hub-identity-token-77aa';
export const LEAKED_SECRET = 'leaky-secret-0042';

export interface HelperDir {
  dir: string;
  /** A file each helper appends "name action argv…" to, one line per run. */
  argvLog: string;
  env: NodeJS.ProcessEnv;
}

export function writeHelpers(): HelperDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-helpers-'));
  const argvLog = path.join(dir, 'argv.log');
  const script = (name: string, body: string) => {
    const file = path.join(dir, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> '${argvLog}'\n${body}\n`);
    chmodSync(file, 0o755);
  };
  // Knows two registries; "store" keeps the JSON it was given in a file (as a keychain would).
  script(
    'berthtest',
    `case "$1" in
  get)
    url=$(cat)
    case "$url" in
      127.0.0.1:5001) printf '{"ServerURL":"%s","Username":"alice","Secret":"${HELPER_SECRET}"}' "$url" ;;
      https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"<token>","Secret":"${HUB_IDENTITY_TOKEN}"}' "$url" ;;
      *) [ -f '${dir}/stored.json' ] && grep -q "\\"$url\\"" '${dir}/stored.json' && { cat '${dir}/stored.json'; exit 0; }
         echo "credentials not found in native keychain"; exit 1 ;;
    esac ;;
  store) cat > '${dir}/stored.json' ;;
  erase) cat >/dev/null; rm -f '${dir}/stored.json' ;;
  *) echo "unknown action"; exit 1 ;;
esac`,
  );
  script('berthfail', `cat >/dev/null; echo "error getting credentials - err: exit status 2, out: keychain is locked" >&2; exit 1`);
  script('berthleak', `cat >/dev/null; printf '{"ServerURL":"x","Username":"bob","Secret":"${LEAKED_SECRET}"' ; echo "failed after printing ${LEAKED_SECRET}" >&2; exit 3`);
  script('berthjunk', `cat >/dev/null; echo "${LEAKED_SECRET}"`);
  script('berthslow', `cat >/dev/null; sleep 5; echo '{}'`);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` };
  delete env.DOCKER_CONFIG; // each test says which config it reads
  return { dir, argvLog, env };
}
