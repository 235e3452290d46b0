// Shared test support: a real parser, fixture markers, and running Python programs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_LINT_CONFIG, type LintConfig, lint, type LintResult } from '../../server/src/linter';
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

/**
 * For the runnable fixtures, which prove that rewrites keep a program's output: their inputs are kept small so
 * the suite stays fast, so the cost model's decisions (tested by the analysis fixtures and measured by
 * `npm run bench:speedup`) are switched off.
 */
export const REWRITE_CONFIG: LintConfig = { ...DEFAULT_LINT_CONFIG, minSpeedup: 0, minIterations: 0 };

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

/** The Python that has NumPy and pandas (Debian's python3-numpy / python3-pandas; `.ci/run` installs them). */
export const SCIENTIFIC_PYTHON = process.env.PARALLELIZE_TEST_NUMPY_PYTHON ?? '/usr/bin/python3';

/** Whether a program imports NumPy or pandas, and so must run with SCIENTIFIC_PYTHON. */
export function needsScientificPython(text: string): boolean {
  return /^[ \t]*(import|from)[ \t]+(numpy|pandas)\b/m.test(text);
}

let scientific: string | null | undefined;
/** null when SCIENTIFIC_PYTHON imports numpy, pandas and matplotlib; otherwise why not (under CI=true that is a failure). */
export function scientificPythonMissing(): string | null {
  if (scientific === undefined) {
    const r = spawnSync(SCIENTIFIC_PYTHON, ['-c', 'import numpy, pandas, matplotlib'], { encoding: 'utf8' });
    scientific = r.status === 0 ? null : `${SCIENTIFIC_PYTHON} cannot import numpy, pandas and matplotlib: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
  }
  return scientific;
}

/** Runs a program file, by default under the spawn start method (so rewrites must be importable and guarded). */
export function runPython(file: string, timeoutMs = 60_000, startMethod: 'spawn' | 'fork' = 'spawn', python = PYTHON, env: Record<string, string> = {}): PythonRun {
  const args = startMethod === 'spawn' ? [path.join(REPO, 'test', 'support', 'run_spawn.py'), file] : [file];
  const r = spawnSync(python, args, {
    cwd: path.dirname(file),
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', ...env },
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

/** Whether Python's own parser accepts the text. */
export function pythonParses(text: string): { ok: boolean; error: string } {
  const r = spawnSync(PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "<rewrite>", "exec")'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, error: r.stderr };
}

export function tempDir(prefix = 'parallelize-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function hasErrorNodes(tree: Tree): boolean {
  return tree.rootNode.hasError;
}
