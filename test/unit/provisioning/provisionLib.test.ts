import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/provision-lib.sh, run by bash as the provisioning scripts run it: the time
// limit and stall watchdog with one retry (a cold npm install once hung with no I/O),
// and the clean environment nested npm installs get (an outer `npm test` once made
// code-server's install scripts run under the wrong Node).

const LIB = path.resolve(__dirname, '../../../scripts/provision-lib.sh');

function bash(script: string, env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync('bash', ['-c', `TAG=t; STEP_LIMIT=\${STEP_LIMIT:-60}; STALL_LIMIT=\${STALL_LIMIT:-30}; . ${LIB}\n${script}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...env },
    timeout: 30_000,
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('provisioning helpers (scripts/provision-lib.sh)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-prov-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('kills a silent step with what it started, retries once, then names the step and its log', () => {
    const log = path.join(dir, 'step.log');
    const marker = `berth-stall-${process.pid}`;
    const r = bash(`stalls() { echo "try $(date +%s%N)"; exec -a ${marker} sleep 300; }\nlimited "npm install thing" ${log} stalls; echo "rc=$?"`, { STALL_LIMIT: '2' });
    assert.match(r.out, /npm install thing failed \(no output for 2 s\); trying once more/);
    assert.match(r.err, new RegExp(`npm install thing failed again \\(no output for 2 s\\); log: ${log}`));
    assert.match(r.out, /rc=1/);
    assert.equal(fs.readFileSync(`${log}.try1`, 'utf8').split('\n').filter((l) => l.startsWith('try')).length, 1);
    const left = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout.trim();
    assert.equal(left, '', `processes of the killed step still run: ${left}`);
  });

  it('stops a step past its time limit even while it prints', () => {
    const r = bash(`chatty() { while :; do echo tick; sleep 0.2; done; }\nlimited chatty ${path.join(dir, 'c.log')} chatty || echo "rc=$?"`, { STEP_LIMIT: '2' });
    assert.match(r.err, /chatty failed again \(not finished after 2 s\)/);
    assert.match(r.out, /rc=1/);
  });

  it('a step that fails once and then succeeds passes on its second try', () => {
    const flag = path.join(dir, 'flag');
    const r = bash(`flaky() { [ -e ${flag} ] && { echo fine; return 0; }; touch ${flag}; echo broken; return 7; }\nlimited flaky ${path.join(dir, 'f.log')} flaky && echo "rc=0"`);
    assert.match(r.out, /flaky failed \(exit 7\); trying once more/);
    assert.match(r.out, /rc=0/);
    assert.equal(fs.readFileSync(path.join(dir, 'f.log'), 'utf8'), 'fine\n');
  });

  it('clean_npm_env drops an outer npm\'s variables and .bin entries, and puts NODE24_FIRST first', () => {
    const r = bash('NODE24_FIRST=/opt/node24/bin clean_npm_env sh -c \'env; echo "PATH=$PATH"\'', {
      PATH: `/work/x/node_modules/.bin:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:${process.env.PATH}`,
      npm_node_execpath: '/usr/bin/node',
      npm_config_nodedir: '/usr',
      npm_lifecycle_event: 'test',
      INIT_CWD: '/work/x',
      NODE: '/usr/bin/node',
      KEEP_ME: 'yes',
    });
    assert.equal(r.status, 0, r.err);
    assert.doesNotMatch(r.out, /^(npm_|INIT_CWD=|NODE=)/m);
    assert.match(r.out, /^KEEP_ME=yes$/m);
    const pathLine = r.out.split('\n').filter((l) => l.startsWith('PATH=')).pop() ?? '';
    assert.ok(pathLine.startsWith('PATH=/opt/node24/bin:'), pathLine);
    assert.doesNotMatch(pathLine, /node_modules\/\.bin|node-gyp-bin/);
  });
});
