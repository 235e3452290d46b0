// `npm run vsix [-- OUT]`: packs the VS Code extension into python-parallelize.vsix (or OUT) from a staging
// folder of its own in the temp directory, so the production build (minified, no source maps, no CLI bundles)
// never replaces the development build in dist/ that the tests and the CLI use, and two packings never share
// a folder. vsce runs with no --allow-* flag.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = mkdtempSync(join(tmpdir(), 'parallelize-vsix-'));
const out = resolve(repo, process.argv[2] ?? 'python-parallelize.vsix');

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    rmSync(stage, { recursive: true, force: true });
    process.exit(r.status ?? 1);
  }
}

run(process.execPath, ['esbuild.mjs', '--production', '--vsix', '--outdir', join(stage, 'dist')], repo);
for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) copyFileSync(join(repo, file), join(stage, file));
// the manifest without what only this repository needs (scripts would make vsce run a prepublish step)
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
delete manifest.scripts;
delete manifest.devDependencies;
delete manifest.allowScripts;
delete manifest.bin;
delete manifest.files;
writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
// vsce turns the README's relative links and images into absolute URLs from `repository`
run(process.execPath, [join(repo, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], stage);
rmSync(stage, { recursive: true, force: true });
