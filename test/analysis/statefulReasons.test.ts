// Round 14f: a call the knowledge table marks `stateful` is rejected as shared state with words true of that call
// (fixture b03): only `next()` and random generators "read and advance" a state.
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
