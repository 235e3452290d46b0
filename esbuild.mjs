// Bundles the client, the server and the CLI into dist/, with the wasm files and the rule pages beside them.
import { build } from 'esbuild';
import { cpSync, copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');

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
  logLevel: 'warning',
  plugins: [webTreeSitterCjs],
  external: ['vscode'],
};

mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // the CLI's worker threads load this file, found next to dist/cli.js
  build({ ...common, entryPoints: ['server/src/checkWorker.ts'], outfile: 'dist/checkWorker.js' }),
]);
copyFileSync(join(dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm')), 'web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');
copyFileSync('grammars/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');
cpSync('docs/rules', 'dist/docs/rules', { recursive: true, force: true });
