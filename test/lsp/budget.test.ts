// The status bar's budget item: an analysis over budget announces itself, and the next analysis of that
// document within budget clears it (once); closing the document clears it too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BudgetWatch } from '../../server/src/budget';

test('BudgetWatch: over, then within once, for the same document only', () => {
  const watch = new BudgetWatch(250);
  assert.equal(watch.observe('a', 12), null, 'within budget and never over: nothing to say');
  assert.deepEqual(watch.observe('a', 400.4), { kind: 'over', uri: 'a', milliseconds: 400 });
  assert.equal(watch.observe('b', 10), null, 'another document within budget does not clear a');
  assert.deepEqual(watch.observe('a', 300), { kind: 'over', uri: 'a', milliseconds: 300 });
  assert.deepEqual(watch.observe('a', 20), { kind: 'within', uri: 'a', milliseconds: 20 });
  assert.equal(watch.observe('a', 20), null, 'cleared once');
  watch.observe('c', 999);
  assert.equal(watch.forget('c'), true);
  assert.equal(watch.forget('c'), false);
  assert.equal(watch.observe('c', 1), null);
});
