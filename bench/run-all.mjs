// `npm run bench`: runs every benchmark in turn and prints their RESULT lines
// together at the end. Each script also runs alone (see its header).
// The editor benchmark needs the provisioned editor (scripts/provision-editor.sh)
// and a packaged VSIX (npm run package).
import { spawnSync } from 'node:child_process';

const runs = [
  ['node', ['scripts/build.mjs']],
  ['npx', ['tsx', 'bench/activation.ts']],
  ['node', ['--expose-gc', '--import', 'tsx', 'bench/explorer.ts']],
  ['npx', ['tsx', 'bench/freshness.ts']],
  ['npx', ['tsx', 'bench/idle.ts']],
  ['npx', ['tsx', 'bench/editor.ts']],
];
const results = [];
for (const [cmd, args] of runs) {
  console.log(`\n== ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  results.push(...(r.stdout ?? '').split('\n').filter((l) => l.startsWith('RESULT ')));
  if (r.status !== 0) results.push(`CRASHED ${cmd} ${args.join(' ')} (exit ${r.status})`);
}
console.log('\n== summary');
for (const line of results) console.log(line);
