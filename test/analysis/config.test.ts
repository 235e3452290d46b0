// One schema: defaults, pyproject, editor settings; validation and globs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { configForFile, DEFAULT_CONFIG, globToRegExp, loadPyproject, mergeConfig } from '../../server/src/config';
import { tempDir } from '../support/harness';

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
  const dir = tempDir();
  const config = { ...DEFAULT_CONFIG, perFileIgnores: { 'scripts/*.py': ['PAR101'] }, source: path.join(dir, 'pyproject.toml') };
  assert.deepEqual(configForFile(config, path.join(dir, 'scripts', 'run.py')).ignore, ['PAR101']);
  assert.deepEqual(configForFile(config, path.join(dir, 'lib', 'run.py')).ignore, []);
});
