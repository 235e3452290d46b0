// Worth it (issue 15, fresh audit round 6b): a spawned worker process imports the main module again, so the
// module's top-level code runs once more in every worker. Tables loaded at import make that start-up unsized:
// a process pool over items of unknown cost is not shown to pay, and a heavy one's fix is unsafe and says why.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FIXTURES, lintSource } from '../support/harness';

const SOURCE = fs.readFileSync(path.join(FIXTURES, 'analysis', 'a38_module_work_per_worker.py'), 'utf8');
const line = (text: string) => SOURCE.split('\n').findIndex((l) => l.includes(text)) + 1;

test('a heavy process comprehension in a module that loads a table at import: unsafe, the doubt names the statement', async () => {
  const { tree, result } = await lintSource(SOURCE);
  tree.delete();
  const f = result.findings.find((x) => x.span.startLine + 1 === line('return [hashlib.pbkdf2_hmac'));
  assert.equal(f?.code, 'PAR103');
  assert.ok(f!.fixes.every((x) => x.applicability === 'unsafe'));
  assert.ok(f!.doubts.some((d) => d.includes('top-level code again') && d.includes('`COUNTS = load("count_1w.txt")`')), f!.doubts.join('; '));
});

test('items of unknown cost in such a module: not shown to pay, and the reason names the import-time work', async () => {
  const { tree, result } = await lintSource(SOURCE);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === line('return [segment('));
  const reason = loop?.rejections.find((r) => r.kind === 'no-heavy-work');
  assert.ok(reason?.message.includes('top-level code again'), JSON.stringify(loop?.rejections));
  const without = SOURCE.replace('COUNTS = load("count_1w.txt")', 'COUNTS = {}');
  const again = await lintSource(without);
  again.tree.delete();
  // without the table the import-time work is no longer the reason; the work alone (26 items, a loop whose count
  // the code does not show) is not shown to pay either (round 9: few known items need heavy work)
  const alone = again.result.analysis.loops.find((l) => l.line === line('return [segment('));
  assert.ok(!again.result.findings.some((x) => x.span.startLine + 1 === line('return [segment(')), 'without the table it is still not reported');
  assert.ok(alone?.rejections.every((r) => !r.message.includes('top-level code again')), JSON.stringify(alone?.rejections));
});
