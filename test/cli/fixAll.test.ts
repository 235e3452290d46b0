// `check --fix` and its companions (--unsafe-fixes, --diff, --show-fixes, --quiet, --version, the progress line):
// fixes applied to copies of the examples, and every rewritten program run under `spawn` against the original.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyPatch, parsePatch } from 'diff';
import { DEFAULT_CONFIG } from '../../server/src/config';
import { fixAll } from '../../server/src/fixAll';
import { FIXTURES, getParser, REPO, runPython, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');
const FINDING_LINE = /^[^:\n]+\.py:\d+:\d+: PAR\d{3} /;

function cli(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh copy of a folder's Python files in a temporary directory. */
function copyOf(dir: string): string {
  const copy = tempDir('parallelize-fix-');
  for (const f of fs.readdirSync(dir).filter((name) => name.endsWith('.py'))) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  return copy;
}

function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(pythonFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** What each program of a folder prints under the spawn start method (asserting that it succeeds). */
function outputs(dir: string): Record<string, string> {
  return Object.fromEntries(
    pythonFiles(dir).map((f) => {
      const run = runPython(path.join(dir, f));
      assert.equal(run.status, 0, `${f} failed:\n${run.stderr}`);
      return [f, run.stdout];
    }),
  );
}

const EXAMPLES = path.join(REPO, 'examples');
let exampleOutputs: Record<string, string> | undefined;
/** The examples' own output, computed once (examples/pipeline.py takes a second or two). */
function originalExampleOutputs(): Record<string, string> {
  exampleOutputs ??= outputs(copyOf(EXAMPLES));
  return exampleOutputs;
}

test('check --fix over a copy of examples/ leaves only unsafe findings, and every rewritten example prints what it printed', () => {
  const dir = copyOf(EXAMPLES);
  const before = cli(['check', '.', '--format', 'json'], dir);
  const found = JSON.parse(before.stdout) as Array<{ fixes: Array<{ applicability: string }> }>;
  const safe = found.filter((f) => f.fixes.some((x) => x.applicability === 'safe')).length;
  assert.ok(safe >= 7, `the examples have safe fixes (${safe})`);

  const r = cli(['check', '.', '--fix'], dir);
  assert.equal(r.status, 1, r.stderr);
  const remaining = r.stdout.split('\n').filter((line) => FINDING_LINE.test(line));
  assert.equal(remaining.length, found.length - safe);
  for (const line of remaining) assert.match(line, / \[unsafe fix\] /);
  assert.match(r.stdout, new RegExp(`^Found ${found.length} findings \\(${safe} fixed, ${found.length - safe} remaining\\)\\.$`, 'm'));
  assert.match(r.stdout, /with `--fix --unsafe-fixes`/);

  const after = JSON.parse(cli(['check', '.', '--format', 'json'], dir).stdout) as Array<{ fixes: Array<{ applicability: string }> }>;
  assert.ok(after.every((f) => f.fixes.length > 0 && f.fixes.every((x) => x.applicability === 'unsafe')), JSON.stringify(after, null, 1));
  assert.notDeepEqual(snapshot(dir), snapshot(EXAMPLES));
  assert.deepEqual(outputs(dir), originalExampleOutputs());
});

test('check --fix a second time has nothing left to fix', () => {
  const dir = copyOf(EXAMPLES);
  cli(['check', '.', '--fix'], dir);
  const fixedOnce = snapshot(dir);
  const again = cli(['check', '.', '--fix'], dir);
  assert.deepEqual(snapshot(dir), fixedOnce);
  assert.match(again.stdout, /\(0 fixed, \d+ remaining\)/);
});

test('--diff writes nothing, exits 1, and shows exactly the changes --fix makes', () => {
  const dir = copyOf(EXAMPLES);
  const original = snapshot(dir);
  const r = cli(['check', '.', '--diff'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(snapshot(dir), original, '--diff wrote to a file');
  assert.match(r.stderr, /^Would fix \d+ findings\.$/m);

  const patched: Record<string, string> = { ...original };
  for (const patch of parsePatch(r.stdout)) {
    const file = path.basename(patch.oldFileName ?? '');
    const result = applyPatch(original[file], patch);
    assert.ok(typeof result === 'string', `the diff of ${file} applies`);
    patched[file] = result;
  }
  const fixedDir = copyOf(EXAMPLES);
  cli(['check', '.', '--fix'], fixedDir);
  assert.deepEqual(patched, snapshot(fixedDir));
});

test('--diff with nothing to fix exits 0 and prints no diff', () => {
  const dir = copyOf(EXAMPLES);
  cli(['check', '.', '--fix', '--unsafe-fixes'], dir);
  const r = cli(['check', '.', '--diff'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /No fixes would be applied/);
});

test('--unsafe-fixes applies the unsafe fixes too; every finding is fixed and the examples still print the same', () => {
  const dir = copyOf(EXAMPLES);
  const safeOnly = copyOf(EXAMPLES);
  const safeFixes = Number(/\((\d+) fixed/.exec(cli(['check', '.', '--fix'], safeOnly).stdout)?.[1]);
  const r = cli(['check', '.', '--fix', '--unsafe-fixes', '--show-fixes'], dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Found (\d+) findings \(\1 fixed, 0 remaining\)\.$/m);
  const allFixes = Number(/\((\d+) fixed/.exec(r.stdout)?.[1]);
  assert.ok(allFixes > safeFixes, `${allFixes} fixes with --unsafe-fixes, ${safeFixes} without`);
  assert.notEqual(fs.readFileSync(path.join(dir, 'service.py'), 'utf8'), fs.readFileSync(path.join(safeOnly, 'service.py'), 'utf8'));
  // two fixes in one coroutine (PAR203 then PAR204 in `handle`): applied in two passes, both listed
  assert.match(r.stdout, /^- service\.py:\n(    .*\n){3}/m);
  assert.match(r.stdout, /PAR204 \(cpu-bound-call-in-async\) at line 21: .*\(unsafe\)$/m);
  assert.deepEqual(outputs(dir), originalExampleOutputs());
});

test('two fixes in one function take two passes; the pass limit stops before the second', async () => {
  const text = fs.readFileSync(path.join(EXAMPLES, 'service.py'), 'utf8');
  const parser = await getParser();
  const all = fixAll(text, parser, DEFAULT_CONFIG, { unsafe: true });
  assert.ok(all.ok);
  // PAR203 (line 20) and PAR204 (line 21) are both in `async def handle`; PAR204 (line 26) in `async def sign`
  assert.deepEqual(all.applied.map((f) => [f.code, f.line, f.pass]), [['PAR203', 20, 1], ['PAR204', 26, 1], ['PAR204', 21, 2]]);
  assert.equal(all.passes, 2);
  const one = fixAll(text, parser, DEFAULT_CONFIG, { unsafe: true, maxPasses: 1 });
  assert.ok(one.ok);
  assert.deepEqual(one.applied.map((f) => [f.code, f.line]), [['PAR203', 20], ['PAR204', 26]]);
});

test('mixed line endings: the file is reported as an error and left unchanged', () => {
  const dir = copyOf(EXAMPLES);
  const mixed = fs.readFileSync(path.join(dir, 'pipeline.py'), 'utf8').replace('\n', '\r\n');
  fs.writeFileSync(path.join(dir, 'pipeline.py'), mixed);
  const r = cli(['check', 'pipeline.py', '--fix'], dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /pipeline\.py: mixed line endings/);
  assert.equal(fs.readFileSync(path.join(dir, 'pipeline.py'), 'utf8'), mixed);
  assert.match(r.stdout, /PAR101/, 'the findings are still reported');
});

test('--show-fixes lists the fixes applied per file, with their original lines', () => {
  const dir = copyOf(EXAMPLES);
  const r = cli(['check', '.', '--fix', '--show-fixes'], dir);
  assert.match(r.stdout, /^Fixed \d+ findings:\n- pipeline\.py:\n    PAR101 \(process-pool-map\) at line 26: Run the loop in a ProcessPoolExecutor\n/m);
  assert.match(r.stdout, /^- service\.py:\n    PAR203 \(blocking-call-in-async\) at line 20: /m);
});

test('nested parallelizable loops, in one function or through a call, get one pool: the outer one', () => {
  const fixtures = path.join(FIXTURES, 'fix-all');
  const dir = copyOf(fixtures);
  const r = cli(['check', '.', '--fix', '--unsafe-fixes'], dir);
  for (const file of pythonFiles(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    assert.equal(text.match(/ProcessPoolExecutor\(/g)?.length, 1, `${file}:\n${text}`);
    // the pool maps a group's work over the groups (the outer loop); the passwords of a group stay a plain loop
    assert.match(text, /executor\.map\((derive_group|_compute_\w+), /, text);
    assert.match(text, /^ +for password in group:$/m, text);
  }
  // once the outer loop runs in a pool, the inner ones run inside its tasks: no longer findings
  assert.match(r.stdout, /\(2 fixed, 0 remaining\)/);
  assert.deepEqual(outputs(dir), outputs(fixtures));
});

test('--quiet prints the findings only; exit codes follow Ruff (1 findings, 0 none left, 2 errors)', () => {
  const q = cli(['check', 'examples/', '--quiet'], REPO);
  assert.equal(q.status, 1);
  const lines = q.stdout.trimEnd().split('\n');
  assert.ok(lines.length >= 8);
  for (const line of lines) assert.match(line, FINDING_LINE);

  const dir = copyOf(EXAMPLES);
  const fixed = cli(['check', '.', '--fix', '-q'], dir);
  assert.equal(fixed.status, 1);
  for (const line of fixed.stdout.trimEnd().split('\n')) assert.match(line, FINDING_LINE);
  const clean = cli(['check', '.', '--fix', '--unsafe-fixes', '--quiet'], dir);
  assert.equal(clean.status, 0);
  assert.equal(clean.stdout, '');
  assert.equal(cli(['check', 'no-such-dir/', '--fix', '--quiet'], dir).status, 2);
});

test('check --fix - fixes standard input to standard output and reports on stderr', () => {
  const source = fs.readFileSync(path.join(EXAMPLES, 'pipeline.py'), 'utf8');
  const r = cli(['check', '-', '--fix', '--stdin-filename', 'pipeline.py'], REPO, source);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /with ProcessPoolExecutor\(\) as executor:/);
  assert.match(r.stderr, /^Found \d+ findings \(\d+ fixed, 0 remaining\)\.$/m);
  const dir = copyOf(EXAMPLES);
  cli(['check', 'pipeline.py', '--fix'], dir);
  assert.equal(r.stdout, fs.readFileSync(path.join(dir, 'pipeline.py'), 'utf8'));
});

test('a file with a syntax error is left alone: none of its loops is reported, so nothing is fixed', () => {
  const dir = copyOf(EXAMPLES);
  const broken = fs.readFileSync(path.join(dir, 'pipeline.py'), 'utf8') + '\n\ndef broken(:\n    pass\n';
  fs.writeFileSync(path.join(dir, 'pipeline.py'), broken);
  const r = cli(['check', 'pipeline.py', '--fix'], dir);
  assert.equal(r.status, 0);
  assert.equal(fs.readFileSync(path.join(dir, 'pipeline.py'), 'utf8'), broken);
  assert.match(cli(['explain', 'pipeline.py:26'], dir).stdout, /Python cannot compile this file \(a syntax error at line \d+\)/);
});

test('check --unsafe-fixes without --fix counts the unsafe fixes as fixable', () => {
  const safeOnly = cli(['check', 'examples/'], REPO).stdout;
  const withUnsafe = cli(['check', 'examples/', '--unsafe-fixes'], REPO).stdout;
  const fixable = (out: string) => Number(/^\[\*\] (\d+) fixable with the `--fix` option\.$/m.exec(out)?.[1]);
  assert.ok(fixable(withUnsafe) > fixable(safeOnly));
  assert.doesNotMatch(withUnsafe, /--unsafe-fixes`:/);
});

test('--version prints the version of package.json', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
  const r = cli(['--version'], REPO);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `parallelize ${version}\n`);
});

/** A folder of more files than the progress line's threshold. */
function manyFiles(count: number): string {
  const dir = tempDir('parallelize-many-');
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `m${i}.py`), `def f${i}(xs):\n    return [x + ${i} for x in xs]\n`);
  return dir;
}

test('no progress line when stderr is piped, even over many files', () => {
  const dir = manyFiles(320);
  const r = cli(['check', '.'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /All checks passed! \(320 files\)/);
});

test('a progress line on stderr when it is a terminal', { skip: !fs.existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, () => {
  const dir = manyFiles(320);
  // script(1) runs the command on a pseudo-terminal and copies what it prints
  const r = spawnSync('/usr/bin/script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} check .`, '/dev/null'], { cwd: dir, encoding: 'utf8' });
  assert.match(r.stdout, /\rChecked \d+\/320 files/);
  assert.match(r.stdout, /All checks passed! \(320 files\)/);
});
