// A package's loops over functions of its other modules: every fix offered in pipeline.py, applied, keeps what
// the program prints when run under the spawn start method (workers import the callee from its own module).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { lintSource, withWorkspace } from '../../server/src/checkFiles';
import { fixText } from '../../server/src/linter';
import { DISK, SummaryStore } from '../../server/src/workspace/summaryStore';
import { FIXTURES, getParser, pythonParses, REWRITE_CONFIG, runPython, tempDir } from '../support/harness';

const SHOP = path.join(FIXTURES, 'workspace', 'shop');

test('shop package: every fix of pipeline.py keeps the output of main.py under spawn', async (t) => {
  const parser = await getParser();
  const work = tempDir('parallelize-shop-');
  fs.cpSync(SHOP, work, { recursive: true });
  const pipeline = path.join(work, 'src', 'shop', 'pipeline.py');
  const main = path.join(work, 'main.py');
  const env = { PYTHONPATH: path.join(work, 'src') };
  const expected = runPython(main, 120_000, 'spawn', undefined, env);
  assert.equal(expected.status, 0, expected.stderr);
  const original = fs.readFileSync(pipeline, 'utf8');
  const config = withWorkspace(REWRITE_CONFIG, pipeline, new SummaryStore(parser, DISK));
  const findings = lintSource(parser, original, config).filter((f) => f.fixes.length > 0);
  assert.ok(findings.length >= 3, `fixes offered: ${findings.map((f) => f.code).join()}`);
  let safe = 0;
  for (const f of findings) {
    for (let i = 0; i < f.fixes.length; i++) {
      const outcome = fixText(original, parser, withWorkspace(REWRITE_CONFIG, pipeline, new SummaryStore(parser)), f.span.startLine + 1, f.code, i);
      assert.ok(outcome.ok, `${f.code} at line ${f.span.startLine + 1}: ${outcome.ok ? '' : outcome.reason}`);
      if (!outcome.ok) continue;
      if (outcome.applicability === 'safe') safe++;
      assert.ok(pythonParses(outcome.text).ok, outcome.text);
      fs.writeFileSync(pipeline, outcome.text);
      const actual = runPython(main, 120_000, 'spawn', undefined, env);
      assert.equal(actual.stderr.includes('Traceback') ? actual.stderr : '', '', `${f.code} at line ${f.span.startLine + 1}:\n${outcome.text}`);
      assert.equal(actual.stdout, expected.stdout, `${f.code} at line ${f.span.startLine + 1}: output differs\n${outcome.text}`);
    }
  }
  fs.writeFileSync(pipeline, original);
  assert.ok(safe >= 2, 'the loops over imported functions get safe fixes');
  t.diagnostic(`${findings.length} findings, ${safe} safe fixes run`);
});
