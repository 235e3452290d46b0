// Shared test support: a real parser, fixture markers, and running Python programs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_LINT_CONFIG, fixText, type LintConfig, lint, type LintResult } from '../../server/src/linter';
import { createParser, parseText, type Parser, type Tree } from '../../server/src/parser';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');

let parserPromise: Promise<Parser> | undefined;
export function getParser(): Promise<Parser> {
  parserPromise ??= createParser();
  return parserPromise;
}

export interface Linted {
  text: string;
  tree: Tree;
  result: LintResult;
}

export async function lintSource(text: string, config: LintConfig = DEFAULT_LINT_CONFIG): Promise<Linted> {
  const parser = await getParser();
  const lf = text.replace(/\r\n/g, '\n');
  const tree = parseText(parser, lf);
  return { text: lf, tree, result: lint(tree, lf, config) };
}

export type Marker = { kind: 'expect'; codes: string[] } | { kind: 'expect-not'; reason: string } | { kind: 'expect-suppressed'; code: string };

/**
 * Markers are comment lines directly above the line they describe:
 * `# expect: PAR101`, `# expect-not: loop-carried`, `# expect-suppressed: PAR101`. Keyed by 1-based line.
 */
export function readMarkers(text: string): Map<number, Marker> {
  const markers = new Map<number, Marker>();
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  lines.forEach((line, i) => {
    const m = /^\s*#\s*(expect|expect-not|expect-suppressed):\s*(.+?)\s*$/.exec(line);
    if (!m) return;
    let target = i + 1;
    while (target < lines.length && /^\s*#/.test(lines[target])) target++;
    const value = m[2].split(/\s+/)[0].replace(/[(),]/g, '');
    if (m[1] === 'expect') markers.set(target + 1, { kind: 'expect', codes: m[2].split(/[\s,]+/).filter((c) => /^PAR\d{3}$/.test(c)) });
    else if (m[1] === 'expect-not') markers.set(target + 1, { kind: 'expect-not', reason: value });
    else markers.set(target + 1, { kind: 'expect-suppressed', code: value });
  });
  return markers;
}

export function fixtureFiles(dir: string): string[] {
  const full = path.join(FIXTURES, dir);
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => path.join(full, f));
}

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export const PYTHON = process.env.PARALLELIZE_TEST_PYTHON ?? 'python3';

export interface RunOptions {
  python?: string;
  /** Extra environment variables for the program. */
  env?: Record<string, string>;
}

/** Runs a program file, by default under the spawn start method (so rewrites must be importable and guarded). */
export function runPython(file: string, timeoutMs = 60_000, startMethod: 'spawn' | 'fork' = 'spawn', options: RunOptions = {}): PythonRun {
  const args = startMethod === 'spawn' ? [path.join(REPO, 'test', 'support', 'run_spawn.py'), file] : [file];
  const r = spawnSync(options.python ?? PYTHON, args, {
    cwd: path.dirname(file),
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', ...options.env },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** The interpreter's (major, minor) version: rewrites are checked against the target it can run. */
export function pythonVersion(python = PYTHON): [number, number] {
  const r = spawnSync(python, ['-c', 'import sys; print(*sys.version_info[:2])'], { encoding: 'utf8' });
  const [major, minor] = r.stdout.trim().split(' ').map(Number);
  if (!major) throw new Error(`cannot run ${python}: ${r.stderr}${r.error ?? ''}`);
  return [major, minor];
}

/**
 * Applies every fix of every finding of a runnable program, checks that each rewrite parses (tree-sitter and
 * `ast.parse`) and prints what the original printed, both run under spawn. Returns the number of fixes run.
 */
export async function runEveryFix(file: string, workDir: string, options: RunOptions & { config?: LintConfig } = {}): Promise<number> {
  const name = path.basename(file);
  const config = options.config ?? { ...DEFAULT_LINT_CONFIG, targetVersion: pythonVersion(options.python) };
  const original = fs.readFileSync(file, 'utf8');
  const { tree, result } = await lintSource(original, config);
  const findings = result.findings.map((f) => ({ code: f.code, line: f.span.startLine + 1, fixes: f.fixes.length }));
  tree.delete();
  const withFixes = findings.filter((f) => f.fixes > 0);
  if (withFixes.length === 0) return 0;
  const dir = fs.mkdtempSync(path.join(workDir, name.replace('.py', '-')));
  const originalFile = path.join(dir, name);
  fs.writeFileSync(originalFile, original);
  const expected = runPython(originalFile, 60_000, 'spawn', options);
  assert.equal(expected.status, 0, `original fails: ${expected.stderr}`);
  const parser = await getParser();
  let count = 0;
  for (const f of withFixes) {
    for (let i = 0; i < f.fixes; i++) {
      const where = `${f.code} at line ${f.line}, fix ${i + 1}`;
      const outcome = fixText(original, parser, config, f.line, f.code, i);
      assert.ok(outcome.ok, `${where}: ${outcome.ok ? '' : outcome.reason}`);
      if (!outcome.ok) continue;
      const rewritten = outcome.text;
      assert.notEqual(rewritten, original, `${where} changed nothing`);
      if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(rewritten), 'CRLF line endings kept');
      const reparsed = parseText(parser, rewritten);
      const hasError = reparsed.rootNode.hasError;
      reparsed.delete();
      assert.ok(!hasError, `${where}: tree-sitter finds an error in\n${rewritten}`);
      const parses = pythonParses(rewritten);
      assert.ok(parses.ok, `${where}: ast.parse fails: ${parses.error}\n${rewritten}`);
      const rewrittenFile = path.join(dir, `fixed_${f.line}_${i}_${name}`);
      fs.writeFileSync(rewrittenFile, rewritten);
      const actual = runPython(rewrittenFile, 60_000, 'spawn', options);
      assert.equal(actual.stderr.includes('Traceback') ? actual.stderr : '', '', `${where}: rewrite raised\n${rewritten}`);
      assert.equal(actual.status, 0, `${where}: exit status`);
      assert.equal(actual.stdout, expected.stdout, `${where}: output differs\n${rewritten}`);
      count++;
    }
  }
  return count;
}

/** Whether Python's own parser accepts the text. */
export function pythonParses(text: string): { ok: boolean; error: string } {
  const r = spawnSync(PYTHON, ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, error: r.stderr };
}

export function tempDir(prefix = 'parallelize-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function hasErrorNodes(tree: Tree): boolean {
  return tree.rootNode.hasError;
}
