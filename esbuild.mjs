// Bundles the client, the server and the CLI into dist/, with the wasm files, the rule pages and the icon
// (images/icon.svg rendered to PNG) beside them.
//   node esbuild.mjs                         development: every bundle, with source maps
//   node esbuild.mjs --production --vsix --outdir DIR
//                                            what the .vsix ships (scripts/package.mjs): the extension and
//                                            the server only, minified, no source maps
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const vsixOnly = process.argv.includes('--vsix');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? process.argv[outdirFlag + 1] : 'dist';

// web-tree-sitter's ESM build relies on import.meta, which a CJS bundle breaks silently: use its CJS build.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(b) {
    const cjs = join(dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm')), 'web-tree-sitter.cjs');
    b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: cjs }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // minified names would turn the server's stack traces in the output channel into noise
  keepNames: production,
  logLevel: 'warning',
  plugins: [webTreeSitterCjs],
  external: ['vscode'],
};

/** images/icon.svg → icon.png (256 × 256), the Marketplace icon: drawn as SVG, rendered with resvg (wasm). */
async function renderIcon() {
  const { initWasm, Resvg } = require('@resvg/resvg-wasm');
  await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const png = new Resvg(readFileSync('images/icon.svg', 'utf8'), { fitTo: { mode: 'width', value: 256 } }).render().asPng();
  writeFileSync(join(outdir, 'icon.png'), png);
}

// the CLI's front (cli.ts) leaves its analysis (cliEngine.ts) to a bundle of its own, required on first use
const engineApart = {
  name: 'cli-engine-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/cliEngine$/ }, () => ({ path: './cliEngine.js', external: true }));
  },
};

/**
 * The CLI in three bundles: the analysis, the worker threads' (found next to dist/cli.js), then the front, which
 * is told a hash of the first two: the result cache's entries are valid for that analysis only.
 */
async function buildCli() {
  const engine = join(outdir, 'cliEngine.js');
  const worker = join(outdir, 'checkWorker.js');
  await Promise.all([
    build({ ...common, entryPoints: ['server/src/cliEngine.ts'], outfile: engine }),
    build({ ...common, entryPoints: ['server/src/checkWorker.ts'], outfile: worker }),
  ]);
  const analysis = createHash('sha256').update(readFileSync(engine)).update(readFileSync(worker)).digest('base64url');
  await build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: join(outdir, 'cli.js'),
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...common.plugins, engineApart],
    define: { ANALYSIS_BUILD: JSON.stringify(analysis) },
  });
}

mkdirSync(outdir, { recursive: true });
const bundles = [
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: join(outdir, 'extension.js') }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: join(outdir, 'server.js'), banner: { js: '#!/usr/bin/env node' } }),
  renderIcon(),
];
if (!vsixOnly) bundles.push(buildCli());
await Promise.all(bundles);
copyFileSync(join(dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm')), 'web-tree-sitter.wasm'), join(outdir, 'web-tree-sitter.wasm'));
copyFileSync('grammars/tree-sitter-python.wasm', join(outdir, 'tree-sitter-python.wasm'));
cpSync('docs/rules', join(outdir, 'docs', 'rules'), { recursive: true, force: true });
