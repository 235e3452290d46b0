// Applies every offered fix across a tree of real Python (default: the stdlib of the python3 on PATH) and
// checks each result with tree-sitter and Python's own ast.parse (one Python process for the batch).
// Usage: node out/scripts/sweep.js [DIR] — prints the counts of files, findings, fixes checked and failures.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFinding, DEFAULT_LINT_CONFIG, lint } from '../server/src/linter';
import { createParser, parseSyntax } from '../server/src/parser';
import { hasSyntaxError } from '../server/src/syntax';

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!['site-packages', '__pycache__'].includes(entry.name)) visit(p);
      } else if (entry.name.endsWith('.py')) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

async function main(): Promise<void> {
  const root = process.argv[2] ?? execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  const parser = await createParser();
  const files = pythonFiles(root);
  let findings = 0;
  let fixes = 0;
  const failures: string[] = [];
  const batch: Array<{ id: string; text: string }> = [];
  const started = Date.now();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    } catch {
      continue;
    }
    const tree = parseSyntax(parser, text);
    const errorsBefore = hasSyntaxError(tree.rootNode);
    try {
      const result = lint(tree, text, DEFAULT_LINT_CONFIG);
      for (const f of result.findings) {
        findings++;
        for (let i = 0; i < f.fixes.length; i++) {
          const outcome = applyFinding(text, parser, result.analysis, f, i);
          const id = `${file}:${f.span.startLine + 1} ${f.code}#${i}`;
          if (!outcome.ok) {
            failures.push(`${id}: no rewrite (${outcome.reason})`);
            continue;
          }
          fixes++;
          const after = parseSyntax(parser, outcome.text);
          if (hasSyntaxError(after.rootNode) && !errorsBefore) failures.push(`${id}: tree-sitter error after the rewrite`);
          after.delete();
          if (!errorsBefore) batch.push({ id, text: outcome.text });
        }
      }
    } catch (e) {
      failures.push(`${file}: analysis threw ${(e as Error).stack}`);
    } finally {
      tree.delete();
    }
  }
  const checker = `
import ast, json, sys
bad = []
for line in sys.stdin:
    item = json.loads(line)
    try:
        ast.parse(item["text"])
    except SyntaxError as e:
        bad.append(item["id"] + ": " + str(e))
print(json.dumps(bad))
`;
  const r = spawnSync('python3', ['-c', checker], { input: batch.map((b) => JSON.stringify(b)).join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  const astFailures: string[] = r.status === 0 ? JSON.parse(r.stdout) : [`python3 failed: ${r.stderr}`];
  failures.push(...astFailures.map((f) => `${f} (ast.parse)`));
  console.log(`files: ${files.length}  findings: ${findings}  fixes applied: ${fixes}  checked with ast.parse: ${batch.length}  failures: ${failures.length}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const f of failures.slice(0, 40)) console.log(`  FAIL ${f}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

void main();
