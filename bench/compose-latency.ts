// bench/compose-latency: full validation of a generated 2,000-line Compose file
// (200 services with builds, ports, volumes, depends_on, healthchecks, deploy
// limits, networks, secrets) after warm-up; the bar: median ≤ 30 ms. Also prints
// the one-off cost of the first validation (loading ajv and compiling the schema)
// and the same figure for a 200-document Kubernetes file.
//   npx tsx bench/compose-latency.ts [rounds]     (rounds of the bar's figure, default 50)
import { performance } from 'node:perf_hooks';
import { validateCompose } from '../src/core/manifests/compose/validateCompose';
import { validateKubernetes } from '../src/core/manifests/validateManifest';
import { result } from './support/result';

const BAR_MS = 30;

export function generateCompose(services: number): string {
  const lines = ['name: bench', 'services:'];
  // Ten lines a service: 200 services make the 2,000-line file of the bar.
  for (let i = 0; i < services; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.example.com/team/svc${i}:1.${i}.0`,
      `    ports: ["${10000 + i}:8080"]`,
      `    environment:`,
      `      LOG_LEVEL: \${LOG_LEVEL:-info}`,
      `    volumes: [data${i % 10}:/var/lib/data]`,
      `    networks: [back]`,
      `    depends_on: [${i === 0 ? 'db' : `svc${i - 1}`}]`,
      `    deploy: {resources: {limits: {cpus: "0.5", memory: 256M}}}`,
      `    healthcheck: {test: ["CMD", "/bin/check", "${i}"], interval: 10s}`,
    );
  }
  lines.push('  db:', '    image: postgres:16', '    secrets: [pw]', '    healthcheck: {test: ["CMD", "pg_isready"], interval: 10s}');
  lines.push('networks:', '  back: {}', 'volumes:', ...Array.from({ length: 10 }, (_, i) => `  data${i}: {}`), 'secrets:', '  pw:', '    file: ./pw.txt');
  return lines.join('\n') + '\n';
}

function generateKubernetes(docs: number): string {
  const out: string[] = [];
  for (let i = 0; i < docs; i++)
    out.push(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: app${i}, labels: {app: app${i}}}`,
        'spec:',
        '  replicas: 2',
        `  selector: {matchLabels: {app: app${i}}}`,
        '  template:',
        `    metadata: {labels: {app: app${i}}}`,
        '    spec:',
        '      containers:',
        `        - name: app${i}`,
        `          image: registry.example.com/app${i}:1.0.0`,
        '          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}',
        '          livenessProbe: {httpGet: {path: /healthz, port: 8080}}',
        '          readinessProbe: {httpGet: {path: /ready, port: 8080}}',
      ].join('\n'),
    );
  return out.join('\n---\n') + '\n';
}

function measure(name: string, run: () => number, rounds: number): { first: number; median: number; p95: number; findings: number } {
  const t0 = performance.now();
  const findings = run();
  const first = performance.now() - t0;
  for (let i = 0; i < 5; i++) run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const r = { first, median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], findings };
  console.log(`${name}: first ${r.first.toFixed(1)} ms (loads the validators), then median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms over ${rounds}; ${findings} findings`);
  return r;
}

if (require.main === module) {
  const rounds = Number(process.argv[2] ?? 50);
  if (!(rounds >= 1)) throw new Error(`rounds must be a positive number, got ${process.argv[2]}`);
  const compose = generateCompose(200);
  const lines = compose.split('\n').length - 1;
  const c = measure(`Compose, ${lines} lines, 200 services and a database`, () => validateCompose(compose, { environment: {} }).length, rounds);
  // A finding needs positions, which come from the exact (slower) YAML parser: measured apart, honestly.
  const misspelt = compose.replace('    image: registry.example.com/team/svc100:', '    imgae: registry.example.com/team/svc100:');
  const f = measure(`Compose, ${lines} lines with one misspelt key (positions from the exact parser)`, () => validateCompose(misspelt, { environment: {} }).length, Math.ceil(rounds * 0.6));
  const kube = generateKubernetes(200);
  const k = measure(`Kubernetes, 200 Deployments, ${kube.split('\n').length - 1} lines`, () => validateKubernetes(kube).length, Math.ceil(rounds * 0.4));
  result('compose-latency', [
    [`${lines}-line compose median`, `${c.median.toFixed(2)} ms`, `≤ ${BAR_MS} ms`, c.median <= BAR_MS],
    [`${lines}-line compose p95`, `${c.p95.toFixed(2)} ms`, '', true],
    ['first validation', `${c.first.toFixed(0)} ms`, '', true],
    ['with a finding median', `${f.median.toFixed(2)} ms`, '', true],
    ['kubernetes 200 docs median', `${k.median.toFixed(2)} ms`, '', true],
    ['kubernetes first', `${k.first.toFixed(0)} ms`, '', true],
  ]);
}
