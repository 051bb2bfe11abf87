// Runs last in the Kubernetes suite: `provision-kubernetes.sh stop` must leave no process,
// mount or network interface of the rig behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { RIG_STATE } from './support';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'provision-kubernetes.sh');
const BRIDGE = 'berth-cni0';

function interfaces(): { name: string; master?: string }[] {
  const r = spawnSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { ifname: string; master?: string }[]).map((l) => ({ name: l.ifname, master: l.master }));
}

/** Processes whose binary, command line or working state belongs to the rig. */
function rigProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const exe = (() => { try { return readlinkSync(`/proc/${pid}/exe`); } catch { return ''; } })();
      if (exe.includes('/kubernetes/v') || cmd.includes(RIG_STATE)) found.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // the process ended while being read
    }
  }
  return found;
}

describe('kubernetes: stopping the rig', function () {
  this.timeout(120_000);

  it('leaves no process, mount or network interface behind', () => {
    const podLinks = interfaces().filter((l) => l.master === BRIDGE).map((l) => l.name);
    assert.ok(podLinks.length > 0, 'the running rig has pod interfaces on its bridge (the check below means something)');
    assert.ok(rigProcesses().length >= 6, 'the rig runs before the stop');

    const r = spawnSync('bash', [SCRIPT, 'stop'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);

    assert.deepEqual(rigProcesses(), []);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter(Boolean);
    assert.deepEqual(mounts.filter((m) => m.startsWith(`${RIG_STATE}/`) || m.startsWith('/run/netns/cni-')), []);
    const left = interfaces().map((l) => l.name);
    assert.deepEqual(left.filter((n) => n === BRIDGE || podLinks.includes(n)), []);
    const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith('cni-')) : [];
    assert.deepEqual(netns, []);
  });
});
