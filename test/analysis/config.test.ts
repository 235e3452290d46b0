// One schema: defaults, pyproject, editor settings; validation and globs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { configForFile, DEFAULT_CONFIG, globToRegExp, loadProjectConfig, loadPyproject, mergeConfig, type ProjectConfig } from '../../server/src/config';
import { lintSource, tempDir } from '../support/harness';

test('pyproject values override defaults; settings override pyproject only where set', () => {
  const dir = tempDir();
  const file = path.join(dir, 'pyproject.toml');
  fs.writeFileSync(file, '[tool.parallelize]\nselect = ["PAR1"]\nmin-iterations = 50\ntarget-version = "py311"\n');
  const project = loadPyproject(file);
  assert.deepEqual(project.errors, []);
  assert.deepEqual(project.config.select, ['PAR1']);
  assert.equal(project.config.minIterations, 50);
  assert.deepEqual(project.config.targetVersion, [3, 11]);
  const withSettings = mergeConfig(project.config, { ignore: ['PAR103'] }, 'settings');
  assert.deepEqual(withSettings.config.select, ['PAR1']);
  assert.deepEqual(withSettings.config.ignore, ['PAR103']);
  assert.equal(withSettings.config.minIterations, 50);
});

test('invalid values are reported and replaced by defaults', () => {
  const r = mergeConfig(DEFAULT_CONFIG, { select: ['PAR999'], 'min-iterations': -3, 'target-version': 'python4' }, 'pyproject');
  assert.equal(r.errors.length, 3);
  assert.deepEqual(r.config.select, []);
  assert.equal(r.config.minIterations, 16);
});

test('broken TOML gives one clear error and the defaults', () => {
  const dir = tempDir();
  const file = path.join(dir, 'pyproject.toml');
  fs.writeFileSync(file, '[tool.parallelize\n');
  const r = loadPyproject(file);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0], /invalid TOML/);
  assert.deepEqual(r.config, DEFAULT_CONFIG);
});

test('per-file-ignores globs match relative paths', () => {
  assert.ok(globToRegExp('tests/**/*.py').test('tests/a/b/c.py'));
  assert.ok(globToRegExp('*.py').test('x.py'));
  assert.ok(!globToRegExp('*.py').test('a/x.py'));
  // `**/` is whole folders, none included: `**/.*` names dotfiles, not every name with a dot (round 34: a
  // `.gitignore` line that skipped a project's every file)
  assert.ok(globToRegExp('**/.*').test('.env'));
  assert.ok(globToRegExp('**/.*').test('src/.cache'));
  assert.ok(!globToRegExp('**/.*').test('src/stats.py'));
  assert.ok(!globToRegExp('**/.*').test('stats.py'));
  assert.ok(globToRegExp('tests/**/*.py').test('tests/c.py'));
  assert.ok(globToRegExp('build/**').test('build/a/b.py'));
  const dir = tempDir();
  const config = { ...DEFAULT_CONFIG, perFileIgnores: { 'scripts/*.py': ['PAR101'] }, source: path.join(dir, 'pyproject.toml') };
  assert.deepEqual(configForFile(config, path.join(dir, 'scripts', 'run.py')).ignore, ['PAR101']);
  assert.deepEqual(configForFile(config, path.join(dir, 'lib', 'run.py')).ignore, []);
});

test('a setuptools project\'s `python_requires` (setup.cfg, or a literal in setup.py) sets the target version where pyproject does not', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'pkg'));
  const script = path.join(dir, 'pkg', 'run.py');
  fs.writeFileSync(script, 'print(1)\n');
  // no project files at all: the defaults
  assert.deepEqual(loadProjectConfig(script).config.targetVersion, DEFAULT_CONFIG.targetVersion);
  fs.writeFileSync(path.join(dir, 'setup.py'), 'from setuptools import setup\nsetup(\n    name="x",\n    python_requires=">=3.6",\n)\n');
  assert.deepEqual(loadProjectConfig(script).config.targetVersion, [3, 6]);
  assert.equal(loadProjectConfig(script).pyproject, null);
  // setup.cfg's [options] is read before setup.py
  fs.writeFileSync(path.join(dir, 'setup.cfg'), '[metadata]\nname = x\n[options]\npython_requires = >=3.7\n');
  assert.deepEqual(loadProjectConfig(script).config.targetVersion, [3, 7]);
  // a pyproject without requires-python falls back to them; one with it wins
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[build-system]\nrequires = ["setuptools"]\n');
  assert.deepEqual(loadProjectConfig(script).config.targetVersion, [3, 7]);
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\nrequires-python = ">=3.10"\n');
  assert.deepEqual(loadProjectConfig(script).config.targetVersion, [3, 10]);
  // a setup.py whose python_requires is not a literal declares nothing
  const other = tempDir();
  fs.writeFileSync(path.join(other, 'setup.py'), 'from setuptools import setup\nsetup(python_requires=MIN)\n');
  assert.deepEqual(loadProjectConfig(path.join(other, 'a.py')).config.targetVersion, DEFAULT_CONFIG.targetVersion);
});

test('the oldest Python a project declares (`requires-python`) is the target version unless [tool.parallelize] sets one', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'pyproject.toml');
  fs.writeFileSync(file, '[project]\nname = "x"\nrequires-python = ">=3.7,<4"\n');
  assert.deepEqual(loadPyproject(file).config.targetVersion, [3, 7]);
  fs.writeFileSync(file, '[project]\nrequires-python = ">=3.8"\n[tool.parallelize]\nmin-iterations = 4\n');
  assert.deepEqual(loadPyproject(file).config.targetVersion, [3, 8]);
  fs.writeFileSync(file, '[project]\nrequires-python = ">=3.8"\n[tool.parallelize]\ntarget-version = "py312"\n');
  assert.deepEqual(loadPyproject(file).config.targetVersion, [3, 12]);
  fs.writeFileSync(file, '[project]\nrequires-python = "~=3.10"\n');
  assert.deepEqual(loadPyproject(file).config.targetVersion, [3, 10]);
  fs.writeFileSync(file, '[project]\nname = "x"\n');
  assert.deepEqual(loadPyproject(file).config.targetVersion, DEFAULT_CONFIG.targetVersion);
  // the fix follows: a project that still runs on 3.8 gets `run_in_executor`, not `asyncio.to_thread` (3.9+)
  fs.writeFileSync(file, '[project]\nrequires-python = ">=3.8"\n');
  const old = await lintSource('import asyncio\nimport hashlib\n\n\nasync def sign(secret):\n    return hashlib.pbkdf2_hmac("sha256", secret, b"s", 200_000)\n\n\nasync def main():\n    return await asyncio.gather(sign(b"x"), sign(b"y"))\n\n\nasyncio.run(main())\n', { ...DEFAULT_CONFIG, targetVersion: loadPyproject(file).config.targetVersion });
  old.tree.delete();
  const titles = old.result.findings.flatMap((f) => f.fixes.map((x) => x.title));
  assert.ok(titles.some((t) => /run_in_executor/.test(t)) && !titles.some((t) => /to_thread/.test(t)), titles.join('; '));
});

test('test files: only the risk rules that are bugs there too run unless `include-tests` is set (not PAR401/PAR406, about speed)', () => {
  const dir = tempDir();
  const config: ProjectConfig = { ...DEFAULT_CONFIG, source: path.join(dir, 'pyproject.toml') };
  const ignored = (file: string, c: ProjectConfig = config) => configForFile(c, path.join(dir, file)).ignore;
  for (const file of ['tests/test_api.py', 'tests/helpers.py', 'pkg/tests/unit/util.py', 'test_speed.py', 'pkg/io_test.py', 'conftest.py', 'app/tests.py', 'testing/fake.py', 'tools/benchmark_analysis.py', 'benchmarks/run.py', 'pkg/parse_bench.py']) {
    assert.ok(ignored(file).includes('PAR101') && ignored(file).includes('PAR201') && ignored(file).includes('PAR303'), file);
    assert.deepEqual(ignored(file).filter((code) => code.startsWith('PAR4')).sort(), ['PAR401', 'PAR406'], `the risk rules that are bugs still run in ${file}`);
  }
  for (const file of ['app/main.py', 'pkg/testdata_loader.py', 'contest.py', 'scripts/latest.py', 'attestation/run.py', 'workbench.py', 'app/benchmarking_report.py']) assert.deepEqual(ignored(file), [], file);
  // a folder named test above the project root does not make its files tests
  assert.deepEqual(configForFile({ ...DEFAULT_CONFIG, source: path.join(dir, 'test', 'proj', 'pyproject.toml') }, path.join(dir, 'test', 'proj', 'app.py')).ignore, []);
  const included = mergeConfig(config, { 'include-tests': true }, 'pyproject');
  assert.deepEqual(included.errors, []);
  assert.deepEqual(ignored('tests/test_api.py', included.config), []);
  assert.equal(mergeConfig(config, { includeTests: 'yes' }, 'settings').errors.length, 1);
});
