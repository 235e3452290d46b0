// `check --jobs N`: worker threads change nothing a user sees — the same findings in the same order, the same
// error lines, the same exit code — as the single-threaded run (--jobs 1).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');

function check(args: string[], cwd = REPO) {
  // --no-cache: every run analyses every file, so the worker threads are what is compared
  const r = spawnSync(process.execPath, [CLI, 'check', ...args, '--no-cache'], { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined, `the CLI ran to the end: ${r.error}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const format of [[], ['--format', 'json'], ['--format', 'sarif'], ['--statistics']]) {
  test(`fixtures and examples, ${format.join(' ') || 'text'}: --jobs 2 and --jobs 3 print what --jobs 1 prints`, () => {
    const args = ['test/fixtures', 'examples', ...format];
    const one = check([...args, '--jobs', '1']);
    assert.equal(one.status, 1, one.stderr);
    assert.ok(one.stdout.split('\n').length > 10, 'the fixtures have findings');
    assert.deepEqual(check([...args, '--jobs', '2']), one);
    assert.deepEqual(check([...args, '--jobs', '3']), one);
  });
}

test('errors (too large, broken link, directory named .py) are reported alike with workers, exit 2', () => {
  const dir = tempDir('parallelize-jobs-');
  for (let i = 0; i < 6; i++) fs.copyFileSync(path.join(REPO, 'examples', 'pipeline.py'), path.join(dir, `m${i}.py`));
  fs.writeFileSync(path.join(dir, 'huge.py'), `x = 1\n${'#'.repeat(2_100_000)}\n`);
  fs.symlinkSync(path.join(dir, 'gone.py'), path.join(dir, 'broken.py'));
  fs.mkdirSync(path.join(dir, 'pkg.py'));
  fs.writeFileSync(path.join(dir, 'pkg.py', 'empty.py'), '');
  const one = check(['.', '--jobs', '1'], dir);
  assert.equal(one.status, 2);
  assert.match(one.stderr, /huge\.py: not analysed: 2\.1 MB is over the 2 MB limit/);
  assert.match(one.stderr, /broken\.py: broken symbolic link/);
  assert.match(one.stdout, /Found 30 findings in 7 files\./);
  assert.deepEqual(check(['.', '--jobs', '2'], dir), one);
  assert.deepEqual(check(['.', '--jobs', '4'], dir), one);
  // the default (one thread per core) too
  assert.deepEqual(check(['.'], dir), one);
});

test('--jobs takes a whole number ≥ 1', () => {
  for (const bad of ['0', 'two', '-1', '1.5']) {
    const r = check(['examples', `--jobs=${bad}`]);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /--jobs takes a whole number/);
  }
});
