// The rule pages are part of the product: every rule has one, and for the implemented loop rules the
// "Use instead" program is exactly what the fix produces from the "Example" program, and prints the same.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { RULES } from '../../server/src/rules/catalog';
import { getParser, lintSource, needsScientificPython, PYTHON, REPO, runPython, SCIENTIFIC_PYTHON, scientificPythonMissing, tempDir } from '../support/harness';

const HEADINGS = ['## What it does', '## Why is this bad?', '## Example', '## When the rewrite is wrong', '## Fix safety', '## Options'];

for (const rule of RULES) {
  const page = path.join(REPO, 'docs', 'rules', `${rule.code}.md`);
  test(`${rule.code} has a rule page with the standard sections`, () => {
    const text = fs.readFileSync(page, 'utf8');
    assert.ok(text.startsWith(`# ${rule.code}: ${rule.name}`), 'title names the code and the rule');
    let at = 0;
    for (const h of HEADINGS) {
      const i = text.indexOf(h, at);
      assert.ok(i >= 0, `${h} present, in order`);
      at = i;
    }
  });
  if (!rule.implemented) continue;
  test(`${rule.code}: the page's "Example" is reported; its "Use instead" is the fix, and both print the same`, async () => {
    const example = fs.readFileSync(page, 'utf8').split('## Example')[1];
    const [before, after] = [...example.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
    const { tree, result } = await lintSource(before);
    const finding = result.findings.find((f) => f.code === rule.code);
    tree.delete();
    assert.ok(finding, `${rule.code} reported on the example`);
    // explanation-only rules (PAR404) show a hand-written remedy, not a rewrite
    if (finding.fixes.length === 0) return;
    const outcome = fixText(before, await getParser(), DEFAULT_LINT_CONFIG, finding.span.startLine + 1, rule.code);
    assert.ok(outcome.ok);
    assert.equal(outcome.text, after);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'before.py'), before);
    fs.writeFileSync(path.join(dir, 'after.py'), after);
    // NumPy / pandas examples run with the Python that has them (a missing library fails on CI only)
    const python = needsScientificPython(before) ? SCIENTIFIC_PYTHON : PYTHON;
    if (python === SCIENTIFIC_PYTHON && scientificPythonMissing() && process.env.CI !== 'true') return;
    const b = runPython(path.join(dir, 'after.py'), 60_000, 'spawn', python);
    assert.equal(b.status, 0, b.stderr);
    // the "before" of PAR402/PAR403 fails under spawn by design: compare with its fork run when it has one
    let a = runPython(path.join(dir, 'before.py'), 20_000, 'spawn', python);
    if (a.status !== 0) a = runPython(path.join(dir, 'before.py'), 20_000, 'fork', python);
    if (a.status === 0) assert.equal(b.stdout, a.stdout);
    else assert.ok(['PAR402'].includes(rule.code), `${rule.code}: the example fails under every start method: ${a.stderr}`);
  });
}
