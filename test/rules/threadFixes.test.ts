// The tool never writes code its own PAR401 flags: wherever the preferred fix of a finding starts a
// ThreadPoolExecutor, the rewritten program is linted again and the new executor must not be GIL-bound.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { fixtureFiles, getParser, lintSource } from '../support/harness';

/** The lines of the PAR401 findings of a text (1-based). */
async function gilBoundLines(text: string): Promise<number[]> {
  const { tree, result } = await lintSource(text);
  tree.delete();
  return result.findings.filter((f) => f.code === 'PAR401').map((f) => f.span.startLine + 1);
}

for (const dir of ['run', 'analysis']) {
  for (const file of fixtureFiles(dir)) {
    test(`${dir}/${path.basename(file)}: no preferred thread-pool fix is flagged by PAR401`, async (t) => {
      const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
      const { tree, result } = await lintSource(text);
      const threaded = result.findings.filter((f) => f.fixes[0]?.pattern === 'thread-pool').map((f) => ({ code: f.code, line: f.span.startLine + 1 }));
      tree.delete();
      const before = (await gilBoundLines(text)).length;
      const parser = await getParser();
      const flagged: string[] = [];
      for (const f of threaded) {
        const outcome = fixText(text, parser, DEFAULT_LINT_CONFIG, f.line, f.code, 0);
        if (!outcome.ok) continue; // whether every fix applies is the rewrite tests' business
        const after = await gilBoundLines(outcome.text);
        if (after.length > before) flagged.push(`${f.code} at line ${f.line}: the rewrite gets PAR401 at line(s) ${after.join(', ')}`);
      }
      t.diagnostic(`${threaded.length} thread-pool fix(es) checked`);
      assert.deepEqual(flagged, []);
    });
  }
}
