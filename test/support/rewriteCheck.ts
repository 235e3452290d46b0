// Run-and-compare, shared by the rewrite tests: apply every offered fix of a runnable program, check that
// the result parses (tree-sitter and Python's ast) and prints exactly what the original printed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixText } from '../../server/src/linter';
import { parseText } from '../../server/src/parser';
import { getParser, lintSource, PYTHON, pythonParses, pythonVersion, REWRITE_CONFIG, runPython } from './harness';

/**
 * Applies and runs every fix of `file` in a fresh directory under `work`; returns how many fixes ran. The
 * target version is the interpreter's own, so fixes that need a recent Python (asyncio.TaskGroup) run too;
 * `env` is passed to the programs (the HTTP tests' server address).
 */
export async function everyFixKeepsOutput(file: string, work: string, python = PYTHON, env: Record<string, string> = {}): Promise<number> {
  const name = path.basename(file);
  const original = fs.readFileSync(file, 'utf8');
  const config = { ...REWRITE_CONFIG, targetVersion: pythonVersion(python) };
  const { tree, result } = await lintSource(original, config);
  const findings = result.findings.map((f) => ({ code: f.code, line: f.span.startLine + 1, fixes: f.fixes.length }));
  tree.delete();
  const withFixes = findings.filter((f) => f.fixes > 0);
  if (withFixes.length === 0) return 0;
  const dir = fs.mkdtempSync(path.join(work, name.replace('.py', '-')));
  const originalFile = path.join(dir, name);
  fs.writeFileSync(originalFile, original);
  const expected = runPython(originalFile, 60_000, 'spawn', python, env);
  assert.equal(expected.status, 0, `original fails: ${expected.stderr}`);
  const parser = await getParser();
  let ran = 0;
  for (const f of withFixes) {
    for (let i = 0; i < f.fixes; i++) {
      const outcome = fixText(original, parser, config, f.line, f.code, i);
      assert.ok(outcome.ok, `${f.code} at line ${f.line}: ${outcome.ok ? '' : outcome.reason}`);
      if (!outcome.ok) continue;
      const rewritten = outcome.text;
      assert.notEqual(rewritten, original, `${f.code} at line ${f.line} changed nothing`);
      if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(rewritten), 'CRLF line endings kept');
      const reparsed = parseText(parser, rewritten);
      const hasError = reparsed.rootNode.hasError;
      reparsed.delete();
      assert.ok(!hasError, `${f.code} at line ${f.line}: tree-sitter finds an error in\n${rewritten}`);
      const parses = pythonParses(rewritten);
      assert.ok(parses.ok, `${f.code} at line ${f.line}: ast.parse fails: ${parses.error}\n${rewritten}`);
      const rewrittenFile = path.join(dir, `fixed_${f.line}_${i}_${name}`);
      fs.writeFileSync(rewrittenFile, rewritten);
      const actual = runPython(rewrittenFile, 60_000, 'spawn', python, env);
      assert.equal(actual.stderr.includes('Traceback') ? actual.stderr : '', '', `${f.code} at line ${f.line}: rewrite raised\n${rewritten}`);
      assert.equal(actual.status, 0, `${f.code} at line ${f.line}: exit status`);
      assert.equal(actual.stdout, expected.stdout, `${f.code} at line ${f.line}: output differs\n${rewritten}`);
      ran++;
    }
  }
  return ran;
}
