// `check --statistics --why-not`: the loops counted, those that show work, and the reason the hover on each one
// with work gives first for not reporting it, by kind and by the shape of its message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { reasonShape } from '../../server/src/loopStatistics';
import { REPO } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');

// the fixtures live in this repository's test folder: --include-tests reports their loops as anywhere else
function check(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--include-tests', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('why-not: totals, the reported loop and one line per reason kind with its message', () => {
  const r = check('test/fixtures/statistics/loops.py', '--statistics', '--why-not');
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes('Loops: 4 in 1 files, 1 reported'), r.stdout);
  assert.ok(lines.includes('Loops that show work: 3'), r.stdout);
  assert.match(r.stdout, /^ {2}reported +1 \(33\.3 %\)$/m);
  assert.match(r.stdout, /^ {2}rejected +2 \(66\.7 %\)$/m);
  assert.match(r.stdout, /^ +1 {2}early-exit — early exit$/m);
  assert.match(r.stdout, /^ +1 {2}`…` at line N ends the loop early, so later iterations depend on earlier ones$/m);
  assert.match(r.stdout, /^ +1 {2}loop-carried — loop-carried dependency$/m);
  // the per-rule counts come first, as with --statistics alone
  assert.equal(lines[0], '1\tPAR101\t[*] process-pool-map');
});

test('why-not: a loop is counted under the reason its hover leads with, a dependence before a shape', () => {
  const r = check('test/fixtures/statistics/gravest.py', '--statistics', '--why-not', '--exit-zero');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ +1 {2}early-exit — early exit$/m);
  assert.doesNotMatch(r.stdout, /unsupported/);
});

test('why-not: the same counts on worker threads as on one', () => {
  const one = check('test/fixtures/statistics', 'test/fixtures/run', '--statistics', '--why-not', '--jobs', '1');
  const two = check('test/fixtures/statistics', 'test/fixtures/run', '--statistics', '--why-not', '--jobs', '2');
  assert.equal(two.stdout, one.stdout);
});

test('why-not goes with --statistics only', () => {
  const r = check('test/fixtures/statistics/loops.py', '--why-not');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--why-not goes with --statistics/);
});

test('reasonShape: names, code and numbers left out, so like reasons count together', () => {
  assert.equal(reasonShape('`x` is written at line 12 and read at line 14 of the next iteration'), '`…` is written at line N and read at line N of the next iteration');
  assert.equal(reasonShape('only 3 items (the literal at line 7)'), 'only N items (the literal at line N)');
});
