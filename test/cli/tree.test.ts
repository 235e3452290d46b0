// Walking a project: .gitignore, exclude globs, file-level noqa.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { collectPythonFiles, parseGitignore } from '../../server/src/files';
import { REPO, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');
const EXAMPLE = fs.readFileSync(path.join(REPO, 'examples', 'pipeline.py'), 'utf8');

function files(dir: string, ...args: string[]): string[] {
  const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json', '--select', 'PAR101', ...args], { cwd: dir, encoding: 'utf8' });
  return (JSON.parse(r.stdout) as Array<{ file: string }>).map((x) => x.file).sort();
}

test('.gitignore (nested, negated, directory-only) and exclude globs decide which files are read', () => {
  const dir = tempDir();
  const put = (p: string, text = EXAMPLE) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  };
  put('.gitignore', 'build/\n*_gen.py\n!keep_gen.py\n');
  put('app/main.py');
  put('app/table_gen.py');
  put('app/keep_gen.py');
  put('build/lib/main.py');
  put('vendor/.gitignore', 'old.py\n');
  put('vendor/old.py');
  put('vendor/new.py');
  put('scripts/tool.py');
  assert.deepEqual(files(dir), ['app/keep_gen.py', 'app/main.py', 'scripts/tool.py', 'vendor/new.py']);
  assert.deepEqual(files(dir, '--exclude', 'scripts'), ['app/keep_gen.py', 'app/main.py', 'vendor/new.py']);
  put('pyproject.toml', '[tool.parallelize]\nexclude = ["vendor/**"]\n');
  assert.deepEqual(files(dir), ['app/keep_gen.py', 'app/main.py', 'scripts/tool.py']);
});

test('build output, environments and caches are skipped as Ruff skips them; a file named explicitly is still read', () => {
  const dir = tempDir();
  const put = (p: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), EXAMPLE);
  };
  for (const p of ['src/app.py', 'build/mac/src/app.py', 'dist/app/app.py', 'docs/_build/app.py', 'Tool.app/Contents/Resources/app.py', '.venv/lib/x.py', '.eggs/e/x.py', '.ipynb_checkpoints/n.py']) put(p);
  assert.deepEqual(files(dir), ['src/app.py']);
  const explicit = spawnSync(process.execPath, [CLI, 'check', 'build/mac/src/app.py', '--format', 'json', '--select', 'PAR101'], { cwd: dir, encoding: 'utf8' });
  assert.equal((JSON.parse(explicit.stdout) as unknown[]).length, 1);
});

test('`# parallelize: noqa` silences a whole file', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.py'), EXAMPLE);
  fs.writeFileSync(path.join(dir, 'b.py'), `# parallelize: noqa\n${EXAMPLE}`);
  assert.deepEqual(files(dir), ['a.py']);
});

test('gitignore rules parse anchoring, negation and directory-only markers', () => {
  const rules = parseGitignore('# comment\n/top.py\nsub/*.py\n!keep.py\nout/\n', '/r');
  assert.deepEqual(rules.map((r) => [r.anchored, r.negated, r.directoryOnly]), [
    [true, false, false],
    [true, false, false],
    [false, true, false],
    [false, false, true],
  ]);
});

test('a folder named `.gitignore` is no ignore file: the project is walked without an error (round 62: a repository committed one)', () => {
  const dir = tempDir('parallelize-gitignore-dir-');
  fs.mkdirSync(path.join(dir, '.gitignore'));
  fs.writeFileSync(path.join(dir, '.gitignore', 'notes.txt'), 'x\n');
  fs.writeFileSync(path.join(dir, 'app.py'), 'print(1)\n');
  const found = collectPythonFiles([dir], [], dir);
  assert.deepEqual(found.errors, []);
  assert.deepEqual(found.files.map((f) => path.basename(f)), ['app.py']);
});
