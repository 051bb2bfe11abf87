// The Kubernetes rig's bars: warm start (binaries cached) to node Ready ≤ 60 s, the memory
// of the running cluster (sum of its processes' RSS; bar: ≤ 4 GiB, which leaves 20 GiB of
// the 24 GiB machine to the other suites), and a stop that leaves nothing behind is
// checked by test/kubernetes/stop.test.ts. Each round stops the rig, starts it, and reads
// the script's own stage lines. The cold build's per-component times are printed by the
// script when it builds (a bench that deleted the cache to time it would cost 20 minutes).
//   npx tsx bench/kubernetes-rig.ts [rounds]    (default 3)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { result, resultCrashed } from './support';

const SCRIPT = path.join(__dirname, '..', 'scripts', 'provision-kubernetes.sh');
const rounds = Number(process.argv[2] ?? 3);

function rig(cmd: string): string {
  const r = spawnSync('bash', [SCRIPT, cmd], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0 && !(cmd === 'status' && r.status === 3)) throw new Error(`provision-kubernetes.sh ${cmd} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  rig('build'); // cached after the first run; a cold build prints its own times
  const toReady: number[] = [];
  const toPod: number[] = [];
  let rss = 0;
  for (let i = 0; i < rounds; i++) {
    rig('stop');
    const t0 = Date.now();
    const out = rig('start');
    const total = (Date.now() - t0) / 1000;
    // "cluster up in N s": from after the build check to a running busybox pod.
    const stages = [...out.matchAll(/\] (.+): done in (\d+) s/g)].map((m) => ({ label: m[1], s: Number(m[2]) }));
    const upTo = (label: string) => {
      let sum = 0;
      for (const st of stages) {
        if (st.label.startsWith('build')) continue;
        sum += st.s;
        if (st.label.startsWith(label)) return sum;
      }
      throw new Error(`no "${label}" stage in:\n${out}`);
    };
    toReady.push(upTo('kubelet to node Ready'));
    toPod.push(upTo('busybox pod running'));
    rss = Number(/sum of RSS\s+(\d+) MiB/.exec(out)?.[1] ?? NaN);
    console.log(`round ${i + 1}: node Ready after ${toReady[i]} s, busybox pod running after ${toPod[i]} s (script ${total.toFixed(1)} s); RSS ${rss} MiB`);
    console.log(stages.filter((s) => !s.label.startsWith('build')).map((s) => `  ${s.label}: ${s.s} s`).join('\n'));
  }
  rig('stop'); // leave nothing running, as the bench found it or not
  const ready = median(toReady);
  result('kubernetes-rig', [
    ['warm start to node Ready (median)', `${ready} s`, '≤ 60 s', ready <= 60],
    ['running cluster, sum of RSS', `${rss} MiB`, '≤ 4096 MiB', rss <= 4096],
    ['warm start to a running pod (median)', `${median(toPod)} s`, '', true],
  ]);
}

try {
  main();
} catch (err) {
  resultCrashed('kubernetes-rig', err);
  process.exitCode = 1;
}
