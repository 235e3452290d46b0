// A safe fix is confirmed by performing it (checkFiles.lintSource). The confirmation is incremental: it decides
// the `__main__` guard from the top-level statements the rewrite changed, parsed alone, and skips the imports
// (Parse.changedStatements). These tests hold it to the verdict of the full rewrite, fix by fix, on every fixture,
// on a module repeated several times, and on the cases where only the guard decides.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyFinding, type FixOutcome, lint, type LintConfig } from '../../server/src/linter';
import { parseSyntax } from '../../server/src/parser';
import { FIXTURES, getParser, REPO, REWRITE_CONFIG } from '../support/harness';

/** Every fix of every finding of `text`: the verdict alone and the full rewrite agree (ok, applicability, doubts). */
async function assertSameVerdicts(name: string, raw: string, config: LintConfig): Promise<FixOutcome[]> {
  const parser = await getParser();
  const text = raw.replace(/\r\n/g, '\n');
  const tree = parseSyntax(parser, text);
  const verdicts: FixOutcome[] = [];
  try {
    const result = lint(tree, text, config);
    for (const finding of [...result.findings, ...result.suppressed]) {
      finding.fixes.forEach((_, index) => {
        const full = applyFinding(text, parser, result.analysis, finding, index, tree);
        const verdict = applyFinding(text, parser, result.analysis, finding, index, tree, true);
        const where = `${name}:${finding.span.startLine + 1} ${finding.code} fix ${index + 1}`;
        assert.equal(verdict.ok, full.ok, `${where}: ${full.ok ? 'made in full' : (full as { reason: string }).reason}`);
        if (full.ok && verdict.ok) {
          assert.equal(verdict.applicability, full.applicability, where);
          assert.deepEqual(verdict.doubts, full.doubts, where);
        } else if (!full.ok && !verdict.ok) assert.equal(verdict.reason, full.reason, where);
        verdicts.push(verdict);
      });
    }
  } finally {
    tree.delete();
  }
  return verdicts;
}

function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).sort().map((f) => path.join(dir, f));
}

/** `text` repeated `copies` times, its top-level functions renamed in each copy (one module of many statements). */
function repeated(text: string, copies: number): string {
  const names = [...text.matchAll(/^(?:async )?def (\w+)/gm)].map((m) => m[1]);
  const copy = (k: number) => names.reduce((t, n) => t.replace(new RegExp(`\\b${n}\\b`, 'g'), `${n}_${k}`), text);
  return Array.from({ length: copies }, (_, k) => copy(k)).join('\n\n');
}

test('every fixture: the confirmation decides each fix as the full rewrite does', async () => {
  let compared = 0;
  for (const file of [...pythonFiles(FIXTURES), ...pythonFiles(path.join(REPO, 'examples'))]) {
    const text = fs.readFileSync(file, 'utf8');
    // the cost model off: every loop the analysis accepts is reported, with its fixes
    compared += (await assertSameVerdicts(path.relative(REPO, file), text, REWRITE_CONFIG)).length;
  }
  assert.ok(compared > 300, `fixes compared: ${compared}`);
});

test('a module of many statements (a fixture repeated): the same verdicts, whichever copy the fix is in', async () => {
  for (const name of ['examples/pipeline.py', 'test/fixtures/run/24_filters.py', 'test/fixtures/run/42_guard_spares_later_assignments_main.py']) {
    const verdicts = await assertSameVerdicts(`${name} ×4`, repeated(fs.readFileSync(path.join(REPO, name), 'utf8'), 4), REWRITE_CONFIG);
    assert.ok(verdicts.length > 0, `${name} has fixes`);
  }
});

test('the guard alone decides: a module-level assignment it takes in makes the fix unsafe, as in full', async () => {
  const text = [
    'import hashlib',
    '',
    '',
    'def work(x):',
    '    return hashlib.sha256(str(x).encode()).hexdigest()',
    '',
    '',
    'ITEMS = list(range(5000))',
    'results = []',
    'for x in ITEMS:',
    '    results.append(work(x))',
    'LIMIT = 10',
    'print(len(results), LIMIT)',
    '',
  ].join('\n');
  const moves = (verdicts: FixOutcome[]) => verdicts.some((v) => v.ok && v.doubts.some((d) => d.includes('guard takes in the module-level assignments of `results`, `LIMIT`')));
  assert.ok(moves(await assertSameVerdicts('module-level loop', text, REWRITE_CONFIG)), 'the guard takes in the assignments after the loop');
  // a function after the guard reads a name it moves
  const withReader = text + '\n\ndef later():\n    return LIMIT\n';
  assert.ok(moves(await assertSameVerdicts('module-level loop, a function reading a moved name', withReader, REWRITE_CONFIG)));
});

test('a file with a syntax error elsewhere: the confirmation parses in full, with the same verdicts', async () => {
  const text = fs.readFileSync(path.join(REPO, 'examples', 'pipeline.py'), 'utf8') + '\n\ndef broken(:\n    pass\n';
  await assertSameVerdicts('pipeline.py with an error', text, REWRITE_CONFIG);
});
