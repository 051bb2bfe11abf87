// Bundles the two entry points with esbuild. `vscode` stays external (the editor
// provides it); everything else, dockerode included, goes into the bundle so the
// VSIX ships no node_modules. dockerode is only *required* lazily at run time.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

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
  // Only the import written in lazyLanguageFeatures.ts, never the chunk's own entry point.
  { filter: /^\.\/languageFeatures$/, chunk: 'languageFeatures.js', entry: 'src/vscode/languageFeatures.ts' },
  // Only the import written in lazyBuildContext.ts: the walker and matcher load on first use.
  { filter: /^\.\/buildContextDocument$/, chunk: 'buildContext.js', entry: 'src/vscode/buildContextDocument.ts' },
  // Only the import written in lazyWorkflows.ts: build, run, push and registries load on first use.
  { filter: /^\.\/workflows\/workflowCommands$/, chunk: 'workflows.js', entry: 'src/vscode/workflows/workflowCommands.ts' },
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
  { ...common, entryPoints: [lazyModules[1].entry], outfile: `dist/${lazyModules[1].chunk}` },
  { ...common, stdin: precompiledComposeSchema(), outfile: `dist/${lazyModules[0].chunk}` },
  { ...common, entryPoints: [lazyModules[2].entry], outfile: `dist/${lazyModules[2].chunk}`, plugins: [dockerodeApart, lazyApart] },
  { ...common, entryPoints: [lazyModules[3].entry], outfile: `dist/${lazyModules[3].chunk}`, plugins: [dockerodeApart, lazyApart] },
  { ...common, entryPoints: [lazyModules[4].entry], outfile: `dist/${lazyModules[4].chunk}`, plugins: [dockerodeApart, lazyApart] },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    plugins: [dockerodeApart, lazyApart],
    banner: { js: '#!/usr/bin/env node' },
  },
];

/**
 * The Compose schema compiled by ajv here rather than on the user's machine:
 * compiling it at run time blocks the extension host for ~250 ms on the first
 * Compose file. The chunk keeps schemaValidator.ts's interface (tests run that
 * file, which compiles at run time with the same options).
 */
function precompiledComposeSchema() {
  const schema = JSON.parse(fs.readFileSync('schemas/compose-spec.json', 'utf8'));
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  const iface = `
const precompiled = module.exports;
module.exports = { compileSchema: () => (value) => (precompiled(value) ? [] : [...(precompiled.errors ?? [])]) };`;
  return { contents: code + iface, resolveDir: process.cwd(), sourcefile: 'composeSchema.precompiled.js', loader: 'js' };
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('[build] watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
