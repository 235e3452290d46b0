// Safe means safe (issue 15): what crosses the process boundary and state the iterations share without saying so.
// Each test names the error class it keeps fixed; the fixtures' markers check the verdicts, these the reasons.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixText } from '../../server/src/linter';
import { FIXTURES, getParser, lintSource, REWRITE_CONFIG } from '../support/harness';

// Soundness on excerpts: the cost model is not asked.
async function linted(source: string) {
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  tree.delete();
  return result;
}

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'analysis', name), 'utf8');
const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

test('class 1: a comprehension of closures made by a factory keeps its finding but gets no process-pool fix', async () => {
  const source = fixture('a26_spawn_and_results.py');
  const result = await linted(source);
  const f = result.findings.find((x) => x.span.startLine + 1 === lineOf(source, 'return [make_scaler(n) for n in ns]'))!;
  assert.equal(f.code, 'PAR103');
  assert.deepEqual(f.fixes, []);
  assert.ok(f.blockers.some((b) => b.includes('`make_scaler(n)`') && b.includes('local function (`scale`')), f.blockers.join('; '));
});

test('class 1: run_in_executor of a function returning a closure is blocked (PAR204)', async () => {
  const source = [
    'import asyncio',
    'import hashlib',
    '',
    '',
    'def make_checker(word):',
    '    digest = len(word)',
    '    for i in range(5_000_000):',
    '        digest = (digest * 31 + i) % 1_000_003',
    '',
    '    def check(other):',
    '        return other == digest',
    '',
    '    return check',
    '',
    '',
    'async def handler(word):',
    '    return make_checker(word)',
    '',
    '',
    'async def main():',
    '    return await asyncio.gather(handler("x"), handler("y"))',
    '',
    '',
    'if __name__ == "__main__":',
    '    asyncio.run(main())',
    '',
  ].join('\n');
  const result = await linted(source);
  const f = result.findings.find((x) => x.code === 'PAR204')!;
  assert.ok(f, 'PAR204 reported');
  assert.deepEqual(f.fixes, []);
  assert.ok(f.blockers.some((b) => b.includes('`make_checker` returns a local function')), f.blockers.join('; '));
});

test('class 1: plain data returned by a same-file function is proven picklable (no doubt about the result)', async () => {
  const source = fixture('a26_spawn_and_results.py').replace(/^if __name__[^]*$/m, '');
  const result = await linted(source);
  const f = result.findings.find((x) => x.code === 'PAR101')!;
  assert.ok(f.fixes.length > 0);
  assert.ok(!f.doubts.some((d) => d.includes('pickled back')), f.doubts.join('; '));
});

test('class 2: the process-pool fixes hand the workers the globals the program changed (run in e2e: 38_changed_globals_main.py)', async () => {
  const source = fixture('a26_spawn_and_results.py');
  const result = await linted(source);
  const f = result.findings.find((x) => x.code === 'PAR101')!;
  assert.ok(f.fixes.length > 0 && f.fixes.every((x) => x.applicability === 'safe'), f.doubts.join('; '));
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, f.span.startLine + 1, 'PAR101');
  assert.ok(outcome.ok);
  assert.match(outcome.text, /def _restore_globals\(values\):\n[^]*?globals\(\)\.update\(values\)/);
  assert.match(outcome.text, /ProcessPoolExecutor\(initializer=_restore_globals, initargs=\(\{"SALTS": SALTS, "ROUNDS": ROUNDS, "LEVEL": LEVEL\},\)\)/);
});

const CHANGED_GLOBALS = [
  'import hashlib',
  '',
  'ROUNDS = 1000',
  'HOOKS = []',
  '',
  '',
  'def strength(n):',
  '    return hashlib.pbkdf2_hmac("sha256", str(n).encode(), b"s", ROUNDS + len(HOOKS))[0]',
  '',
  '',
  'def main(ns, hook):',
  '    ROUNDS = 5',
  '    HOOKS.append(hook)',
  '    out = []',
  '    for n in ns:',
  '        out.append(strength(n))',
  '    return out, ROUNDS',
  '',
  '',
  'if __name__ == "__main__":',
  '    ROUNDS = 1500',
  '    print(main([1, 2, 3], object()))',
  '',
].join('\n');

test('class 2: a changed global the fix cannot hand over (shadowed, or not provably picklable) makes it unsafe, saying why', async () => {
  const result = await linted(CHANGED_GLOBALS);
  const f = result.findings.find((x) => x.code === 'PAR101')!;
  assert.ok(f.fixes.length > 0 && f.fixes.every((x) => x.applicability === 'unsafe'));
  assert.ok(
    f.doubts.includes('`strength()` reads the module-level `ROUNDS`, which is rebound under `if __name__ == "__main__":` at line 21: a worker process started with `spawn` imports the module afresh and does not see that change'),
    f.doubts.join('; '),
  );
  assert.ok(f.doubts.some((d) => d.startsWith("the fix sends the parent's `HOOKS` to each worker") && d.includes('(`HOOKS.append(hook)`)') && d.endsWith('cannot prove that it can be pickled')), f.doubts.join('; '));
});

test('class 4: a CPU-bound loop calling an lru_cache-memoised function is rejected as shared state, directly or through a callee', async () => {
  const source = fixture('a26_spawn_and_results.py');
  const result = await linted(source);
  for (const text of ['direct = [chained(i) for i in range(count)]', 'for i in range(count):']) {
    const loop = result.analysis.loops.find((l) => l.line === lineOf(source, text))!;
    const r = loop.rejections.find((x) => x.kind === 'shared-state');
    assert.ok(r && r.message.startsWith('`chained()` is memoised (`@functools.lru_cache`, line 31)'), loop.rejections.map((x) => x.message).join('; '));
  }
});

test('class 7 and 8: hidden global state and SQLite writes are named in the rejection', async () => {
  const source = fixture('a27_hidden_global_state.py');
  const result = await linted(source);
  // the first loop after the line spelling `text`
  const reason = (text: string) =>
    result.analysis.loops
      .find((l) => l.line > lineOf(source, text))!
      .rejections.filter((r) => r.kind === 'shared-state')
      .map((r) => r.message)
      .join('; ');
  assert.match(reason('def draw(ns):'), /`plt\.bar\(\)` acts on pyplot's global state \(the current figure and axes\)/);
  assert.match(reason('def figures(names):'), /`plt\.figure\(\)` acts on pyplot's global state/);
  assert.match(reason('def purge_each'), /writes to a SQLite database \(`db_path`\), which every iteration shares: SQLite lets one writer in at a time/);
  const through = result.findings.find((f) => f.span.startLine + 1 > lineOf(source, 'def purge_through_function'))!;
  assert.ok(through.fixes.every((x) => x.applicability === 'unsafe'));
  assert.ok(through.doubts.some((d) => /^`delete_one\(\)` \(called at line \d+\): .* writes to a SQLite database opened from `db_path`: if it is the same database for every iteration/.test(d)), through.doubts.join('; '));
  assert.match(reason('def add_users'), /`\.add\(\)` changes `session`, which every iteration shares/);
  const messages = result.analysis.loops.flatMap((l) => l.rejections.map((r) => r.message)).join('\n');
  for (const state of ["the process's current directory", "the process's environment", 'the import path (`sys.path`)', "the process's warning filters", "the process's logging configuration", "NumPy's global random generator"]) {
    assert.ok(messages.includes(state), `a rejection names ${state}`);
  }
});

test('class 2: run_in_executor of a function reading a global rebound under the guard is doubted as stale, not blocked as missing (PAR204)', async () => {
  const source = [
    'import asyncio',
    'import hashlib',
    '',
    'ROUNDS = 1000',
    '',
    '',
    'def grind(word):',
    '    total = len(word)',
    '    for i in range(5_000_000):',
    '        total = (total * 31 + i + ROUNDS) % 1_000_003',
    '    return total',
    '',
    '',
    'async def handler(word):',
    '    return grind(word)',
    '',
    '',
    'async def main():',
    '    return await asyncio.gather(handler("x"), handler("y"))',
    '',
    '',
    'if __name__ == "__main__":',
    '    ROUNDS = 2000',
    '    print(asyncio.run(main()))',
    '',
  ].join('\n');
  const result = await linted(source);
  const f = result.findings.find((x) => x.code === 'PAR204')!;
  assert.deepEqual(f.blockers, []);
  assert.deepEqual(f.doubts, ['`grind()` reads the module-level `ROUNDS`, which is rebound under `if __name__ == "__main__":` at line 23: a worker process started with `spawn` imports the module afresh and does not see that change']);
  assert.deepEqual(f.fixes.map((x) => x.applicability), ['unsafe']);
});

test('a loop renaming numbered files after their neighbour (`n` → `n + 1`) gets no safe fix: one iteration writes the file the next one renames (round 54: a backup rotation, 40 of 50 threaded runs lost a generation)', async () => {
  const rotate = [
    'import os',
    '',
    '',
    'def rotate(source, backups, keep):',
    '    for n in backups:',
    '        if n >= keep - 1:',
    '            os.remove(source + "." + str(n))',
    '        elif not os.path.exists(source + "." + str(n + 1)):',
    '            os.rename(source + "." + str(n), source + "." + str(n + 1))',
    '',
  ].join('\n');
  const loop = (await linted(rotate)).analysis.loops.find((l) => l.line === 5)!;
  assert.ok(loop.doubts.some((d) => /neighbouring item \(`n \+ 1`\)/.test(d.message)), loop.doubts.map((d) => d.message).join('; '));
  // each item's own file, converted beside it: nothing shifted, no such doubt
  const own = ['import os', '', '', 'def convert(names):', '    for n in names:', '        with open(str(n) + ".txt") as src, open(str(n) + ".out", "w") as dst:', '            dst.write(src.read().upper())', ''].join('\n');
  const plain = (await linted(own)).analysis.loops.find((l) => l.line === 5)!;
  assert.ok(!plain.doubts.some((d) => /neighbouring item/.test(d.message)));
});

test('a local bound only under a condition before the loop may be unbound when it starts: the rewrite hands it to the workers at once, so the fix is unsafe and says so first (round 56: a preview folder set only with --preview, UnboundLocalError on the default path)', async () => {
  const source = [
    'from pathlib import Path',
    '',
    '',
    'def batch(paths, preview_dir=None):',
    '    if preview_dir:',
    '        prev_path = Path(preview_dir)',
    '    for p in paths:',
    '        text = Path(p).read_text().upper()',
    '        Path(p + ".out").write_text(text)',
    '        if preview_dir:',
    '            (prev_path / Path(p).name).write_text(text[:10])',
    '',
    '',
    'def always(paths, out_dir):',
    '    out_path = Path(out_dir)',
    '    for p in paths:',
    '        (out_path / Path(p).name).write_text(Path(p).read_text().upper())',
    '',
  ].join('\n');
  const result = await linted(source);
  const guarded = result.analysis.loops.find((l) => l.line === 7)!;
  assert.match(guarded.doubts[0]?.message ?? '', /`prev_path` may be unbound when the loop starts/);
  const plain = result.analysis.loops.find((l) => l.line === 16)!;
  assert.ok(!plain.doubts.some((d) => /may be unbound/.test(d.message)));
  // bound on every path that reaches the loop: a `try` whose handler returns, an `if` binding it in every branch
  const covered = [
    'from pathlib import Path',
    '',
    '',
    'def load(path, paths, flat):',
    '    try:',
    '        base = Path(path).resolve()',
    '    except OSError:',
    '        return []',
    '    if flat:',
    '        suffix = ".txt"',
    '    else:',
    '        suffix = ".md"',
    '    for p in paths:',
    '        (base / (p + suffix)).write_text(Path(p).read_text().upper())',
    '',
  ].join('\n');
  const bound = (await linted(covered)).analysis.loops.find((l) => l.line === 13)!;
  assert.ok(!bound.doubts.some((d) => /may be unbound/.test(d.message)), bound.doubts.map((d) => d.message).join('; '));
  // a retry loop asking until the answer parses: it ends only by the `break` after the binding
  const retried = ['def scan(paths):', '    while True:', '        try:', '            limit = int(input("limit: "))', '            break', '        except ValueError:', '            print("again")', '    for p in paths:', '        with open(p) as f, open(p + ".head", "w") as out:', '            out.write(f.read(limit))', ''].join('\n');
  const asked = (await linted(retried)).analysis.loops.find((l) => l.line === 8)!;
  assert.ok(!asked.doubts.some((d) => /may be unbound/.test(d.message)), asked.doubts.map((d) => d.message).join('; '));
});
