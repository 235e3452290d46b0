// Round 14f: rejection reasons true of what the code does (fixtures b03, b04): a call the knowledge table marks
// `stateful` is named for what it does (only `next()` and random generators "read and advance" a state), and a
// `yield` hands values to the consumer rather than ending the loop.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FIXTURES, lintSource } from '../support/harness';

test('exec, setattr and globals are rejected for what they do, next for the iterator it advances', async () => {
  const source = fs.readFileSync(path.join(FIXTURES, 'analysis', 'b03_stateful_builtins_say_what.py'), 'utf8');
  const { tree, result } = await lintSource(source);
  try {
    const lines = source.split('\n');
    const reasonOf = (loopText: string): string => {
      const line = lines.findIndex((l) => l.trim() === loopText) + 1;
      const loop = result.analysis.loops.find((l) => l.line === line);
      assert.ok(loop, `a loop on line ${line}`);
      return loop.rejections.filter((r) => r.kind === 'shared-state').map((r) => r.message).join(' | ');
    };
    const byExec = reasonOf('for name in names:');
    assert.match(byExec, /`exec\(\)` runs code given as text/);
    assert.doesNotMatch(byExec, /reads and advances/);
    const bySetattr = reasonOf('for field in fields:');
    assert.match(bySetattr, /`setattr\(\)` sets an attribute, named at run time, of `body`/);
    assert.doesNotMatch(bySetattr, /reads and advances/);
    const byGlobals = reasonOf('for key in keys:');
    assert.match(byGlobals, /`globals\(\)` hands out the module's namespace/);
    assert.doesNotMatch(byGlobals, /reads and advances/);
    assert.match(reasonOf('for _ in range(count):'), /`next\(\)` reads and advances state shared by all iterations/);
  } finally {
    tree.delete();
  }
});

test('a yield in the loop hands values to the consumer: it is not said to end the loop', async () => {
  const source = fs.readFileSync(path.join(FIXTURES, 'analysis', 'b04_yield_is_not_an_exit.py'), 'utf8');
  const { tree, result } = await lintSource(source);
  try {
    const lines = source.split('\n');
    const reasonsAt = (after: string): string => {
      const line = lines.findIndex((l) => l.includes(after)) + 3; // the `def`, its marker comment, the loop
      const loop = result.analysis.loops.find((l) => l.line === line);
      assert.ok(loop, `a loop on line ${line}`);
      return loop.rejections.filter((r) => r.kind === 'early-exit').map((r) => r.message).join(' | ');
    };
    const generator = reasonsAt('def scores(items):');
    assert.match(generator, /`yield` at line \d+ hands each value to the code consuming this generator/);
    assert.doesNotMatch(generator, /ends the loop early/);
    assert.match(reasonsAt('def first_high(items, limit):'), /`return` at line \d+ ends the loop early/);
  } finally {
    tree.delete();
  }
});
