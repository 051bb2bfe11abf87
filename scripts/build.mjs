// Bundles the two entry points with esbuild. `vscode` stays external (the editor
// provides it); everything else, dockerode included, goes into the bundle so the
// VSIX ships no node_modules. dockerode is only *required* lazily at run time.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const dev = watch || process.env.BERTH_DEV === '1';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  // ssh2's optional native helpers; never needed by Berth's transports.
  external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  logLevel: 'warning',
  legalComments: 'none',
};

// dockerode (and its ssh2/grpc tree) is most of the code but only needed once
// the engine is contacted: it goes into its own file, required on first use, so
// loading the extension parses a small bundle.
const dockerodeApart = {
  name: 'dockerode-apart',
  setup(build) {
    build.onResolve({ filter: /^dockerode$/ }, () => ({ path: './dockerode.js', external: true }));
  },
};

// The schema validators (ajv with the compiled Compose schema; the Kubernetes
// OpenAPI validators, megabytes of generated code) load on the first manifest
// validation: each goes into a file of its own that the core requires lazily.
const lazyModules = [
  { filter: /[\\/]manifests[\\/]compose[\\/]schemaValidator(\.ts)?$|^\.\/schemaValidator$/, chunk: 'composeSchema.js', entry: 'src/core/manifests/compose/schemaValidator.ts' },
  { filter: /[\\/]manifests[\\/]kubernetes[\\/]openapi(\.ts)?$|^\.\/openapi$/, chunk: 'kubernetesSchemas.js', entry: 'src/core/manifests/kubernetes/openapi.ts' },
];
const lazyApart = {
  name: 'lazy-apart',
  setup(build) {
    for (const m of lazyModules) build.onResolve({ filter: m.filter }, () => ({ path: `./${m.chunk}`, external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', plugins: [dockerodeApart, lazyApart] },
  { ...common, entryPoints: ['node_modules/dockerode/lib/docker.js'], outfile: 'dist/dockerode.js' },
  ...lazyModules.map((m) => ({ ...common, entryPoints: [m.entry], outfile: `dist/${m.chunk}` })),
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    plugins: [dockerodeApart, lazyApart],
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('[build] watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
