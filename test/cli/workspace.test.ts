// `check` over a package resolves imports between the files it checks: pipeline.py's loops over functions of
// its sibling modules get the findings and fixes of the same loops in single.py, on one thread or several.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');

interface Record {
  file: string;
  line: number;
  code: string;
  fixes: Array<{ applicability: string }>;
}

function check(args: string[]): Record[] {
  const r = spawnSync(process.execPath, [CLI, 'check', 'test/fixtures/workspace', '--format', 'json', '--exit-zero', '--include-tests', ...args], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record[];
}

test('check over the package: the same findings and fix safety as the single-file equivalent, whatever --jobs', () => {
  const one = check(['--jobs', '1']);
  assert.deepEqual(check(['--jobs', '2']), one);
  const shape = (file: string) => one.filter((r) => r.file.endsWith(file)).map((r) => `${r.code} ${r.fixes.map((f) => f.applicability).join(',')}`);
  assert.deepEqual(shape('pipeline.py'), shape('single.py'));
  assert.ok(shape('pipeline.py').includes('PAR101 safe,safe'), shape('pipeline.py').join('; '));
});

test('checked alone, a file does not resolve imports to files outside the check', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', 'test/fixtures/workspace/shop/src/shop/pipeline.py', '--format', 'json', '--exit-zero'], { cwd: REPO, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(r.stdout), []);
});
