// bench/lint-speed: Berth's full Dockerfile rule set against dockerfile-utils
// (the validator behind the Docker extensions) on the same inputs, in one run.
//   npx tsx bench/lint-speed.ts
// Inputs: a typical 10-line Dockerfile and a generated 10,000-line one.
// Bars: Berth at least 10x faster on the large file, no slower on the small one.
import { performance } from 'node:perf_hooks';
import { validate } from 'dockerfile-utils';
import { lintDockerfile } from '../src/core/dockerfile/linter';

const SMALL = `FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force
COPY . .
RUN npm run build
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
`;

/** 10,000 lines of realistic instructions: stages, ARGs, multi-line RUNs, labels, copies. */
function large(lines: number): string {
  const out: string[] = ['ARG BASE=debian:12'];
  let stage = 0;
  while (out.length < lines) {
    out.push(`FROM \${BASE} AS s${stage}`, 'ARG VERSION=1.0', `LABEL org.opencontainers.image.version="\${VERSION}" stage="${stage}"`);
    out.push('RUN apt-get update \\', '    && apt-get install -y --no-install-recommends curl=7.88.1-10 ca-certificates=20230311 \\', '    && rm -rf /var/lib/apt/lists/*');
    out.push('WORKDIR /srv/app', `COPY --chown=1000:1000 src/ /srv/app/src${stage}/`, `ENV PATH=/srv/app/bin:$PATH APP_STAGE=${stage}`);
    out.push('RUN set -eux; for i in 1 2 3; do echo "$i" | tee -a /tmp/log; done', 'USER 1000', 'EXPOSE 8080/tcp', 'HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/"]');
    if (stage > 0) out.push(`COPY --from=s${stage - 1} /srv/app/src${stage - 1} /srv/app/prev/`);
    stage++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/**
 * Median of at least `runs` samples, after the same warm-up time for both
 * tools (at least 3 runs and 1.5 s): counting warm-up runs instead would leave
 * the faster tool still being optimised by V8 while the slower one is sampled
 * at full speed. Samples also span at least a second.
 */
function time(fn: () => unknown, runs: number): number {
  const warmUntil = performance.now() + 1500;
  for (let i = 0; i < 3 || performance.now() < warmUntil; i++) fn();
  const samples: number[] = [];
  const sampleUntil = performance.now() + 1000;
  while (samples.length < runs || performance.now() < sampleUntil) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const big = large(10_000);
const rows: Record<string, number> = {
  smallBerthMs: time(() => lintDockerfile(SMALL), 200),
  smallUtilsMs: time(() => validate(SMALL), 200),
  largeBerthMs: time(() => lintDockerfile(big), 10),
  largeUtilsMs: time(() => validate(big), 10),
};
const largeRatio = rows.largeUtilsMs / rows.largeBerthMs;
const smallRatio = rows.smallUtilsMs / rows.smallBerthMs;
const r = (x: number) => +x.toFixed(3);
console.log(`10-line file:     Berth ${r(rows.smallBerthMs)} ms, dockerfile-utils ${r(rows.smallUtilsMs)} ms → Berth ${smallRatio.toFixed(2)}x as fast (bar ≥ 1)`);
console.log(`10,000-line file: Berth ${r(rows.largeBerthMs)} ms, dockerfile-utils ${r(rows.largeUtilsMs)} ms → Berth ${largeRatio.toFixed(1)}x as fast (bar ≥ 10)`);
const pass = largeRatio >= 10 && smallRatio >= 1;
if (!pass) console.log('BAR MISSED');
console.log(`RESULT lint-speed ${JSON.stringify({ ...Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, r(v)])), largeRatio: +largeRatio.toFixed(1), smallRatio: +smallRatio.toFixed(2), pass })}`);
