// Safe means safe (issue 15, fresh audit round 6): PAR405's `with` block must outlive everything made from the
// pool. A lazy `executor.map` iterator read after the block's old end, a bound method of the pool kept in a global
// that a function calls later, and a pool shut down by a later `with executor:` were each mishandled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { getParser, lintSource, runPython, tempDir } from '../support/harness';
import * as fs from 'node:fs';
import * as path from 'node:path';

const LAZY = [
  'import time',
  'from concurrent import futures',
  '',
  '',
  'def work(n):',
  '    time.sleep(0.01 * n)',
  '    return n * 10',
  '',
  '',
  'def main():',
  '    executor = futures.ThreadPoolExecutor(max_workers=1)',
  '    results = executor.map(work, range(3))',
  '    print("submitted", flush=True)',
  '    for i, result in enumerate(results):',
  '        print("result", i, result, flush=True)',
  '    print("end", flush=True)',
  '',
  '',
  'if __name__ == "__main__":',
  '    main()',
  '',
].join('\n');

test('the with block covers the lazy map iterator made from the pool, and the program prints the same', async () => {
  const outcome = fixText(LAZY, await getParser(), DEFAULT_LINT_CONFIG, 11, 'PAR405');
  assert.ok(outcome.ok, 'reason' in outcome ? outcome.reason : '');
  if (!outcome.ok) return;
  assert.equal(outcome.applicability, 'safe');
  // the loop reading `results` is inside the block; the print after it is not needed there
  assert.match(outcome.text, /with futures\.ThreadPoolExecutor\(max_workers=1\) as executor:\n {8}results = executor\.map\(work, range\(3\)\)\n(?: {8}.*\n)+ {12}print\("result", i, result, flush=True\)\n/);
  const dir = tempDir('lifetime');
  fs.writeFileSync(path.join(dir, 'before.py'), LAZY);
  fs.writeFileSync(path.join(dir, 'after.py'), outcome.text);
  const before = runPython(path.join(dir, 'before.py'));
  const after = runPython(path.join(dir, 'after.py'));
  assert.equal(before.status, 0, before.stderr);
  assert.equal(after.stdout, before.stdout);
});

const ALIAS = [
  'import multiprocessing',
  '',
  '',
  'def add(x, y):',
  '    return x + y',
  '',
  '',
  'def test():',
  '    print(apply_async(add, (2, 3)).get())',
  '',
  '',
  'if __name__ == "__main__":',
  '    pool = multiprocessing.Pool()',
  '    apply_async = pool.apply_async',
  '    test()',
  '',
].join('\n');

test('a bound method of the pool kept in a global that a function calls: PAR405 without a with-block fix', async () => {
  const { tree, result } = await lintSource(ALIAS);
  tree.delete();
  const f = result.findings.find((x) => x.code === 'PAR405');
  assert.ok(f, 'PAR405 is still reported: the pool is never closed');
  assert.deepEqual(f.fixes, []);
  assert.ok(f.blockers.some((b) => b.includes('`apply_async`') && b.includes('`test()`')), f.blockers.join('; '));
});

test('a pool shut down later by `with executor:` is not reported as never shut down', async () => {
  const source = [
    'from concurrent import futures',
    '',
    '',
    'def check(n):',
    '    return n % 2 == 0',
    '',
    '',
    'def main(numbers):',
    '    executor = futures.ProcessPoolExecutor(2)',
    '    workers = executor._max_workers',
    '    print(f"{len(numbers)} numbers with {workers} processes")',
    '    with executor:',
    '        for n, even in zip(numbers, executor.map(check, numbers)):',
    '            print(n, even)',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  assert.equal(result.findings.filter((x) => x.code === 'PAR405').length, 0);
});



test('a comment between the pool and its first use moves into the block, indented with it', async () => {
  const source = [
    'from concurrent.futures import ThreadPoolExecutor',
    'from urllib.request import urlopen',
    '',
    '',
    'def fetch(url):',
    '    with urlopen(url) as u:',
    '        return u.read()',
    '',
    '',
    'pool = ThreadPoolExecutor(4)',
    '# Submit work to the pool',
    'a = pool.submit(fetch, "http://example.com/a")',
    '',
    '# Get the results back',
    'x = a.result()',
    'print(len(x))',
    '',
  ].join('\n');
  const outcome = fixText(source, await getParser(), DEFAULT_LINT_CONFIG, 10, 'PAR405');
  assert.ok(outcome.ok, 'reason' in outcome ? outcome.reason : '');
  if (!outcome.ok) return;
  assert.match(outcome.text, /with ThreadPoolExecutor\(4\) as pool:\n {4}# Submit work to the pool\n {4}a = pool\.submit/);
  // the future made from the pool is read inside the block
  assert.match(outcome.text, /\n {4}# Get the results back\n {4}x = a\.result\(\)\nprint\(len\(x\)\)/);
});

test('a pool made inside a coroutine: the `with` fix is unsafe, its end blocks the event loop (round 12c, async generator)', async () => {
  const body = (prefix: string, wait: string) => [
    'import asyncio',
    'import time',
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    '',
    'def fetch(n):',
    '    time.sleep(0.01)',
    '    return n * 2',
    '',
    '',
    `${prefix}def pages(limit):`,
    '    pool = ThreadPoolExecutor(4)',
    '    for n in range(limit):',
    `        yield ${wait}asyncio.wrap_future(pool.submit(fetch, n))`,
    '',
  ].join('\n');
  const coroutine = await lintSource(body('async ', 'await '));
  coroutine.tree.delete();
  const inAsync = coroutine.result.findings.find((f) => f.code === 'PAR405');
  assert.ok(inAsync, 'PAR405 is still reported: the pool is never shut down');
  assert.equal(inAsync.fixes[0]?.applicability, 'unsafe');
  assert.ok(inAsync.doubts.some((d) => /blocks the event loop/.test(d)), inAsync.doubts.join('; '));
  // the same pool in a plain generator keeps its safe fix
  const plain = await lintSource(body('', ''));
  plain.tree.delete();
  assert.equal(plain.result.findings.find((f) => f.code === 'PAR405')?.fixes[0]?.applicability, 'safe');
});

test('a multiprocessing pool used only through `map` in a `with` block waits for nothing where the block ends: no deadlock doubt, and the program prints the same (round 57: an indexer)', async () => {
  const source = [
    'import time',
    'from multiprocessing import Pool',
    '',
    '',
    'def square(n):',
    '    return n * n',
    '',
    '',
    'class Indexer:',
    '    def index(self, n):',
    '        return square(n) + 1',
    '',
    '    def build(self, tasks):',
    '        start = time.time()',
    '        pool = Pool(processes=2)',
    '        print(pool.map(self.index, tasks))',
    '        print(time.time() - start >= 0)',
    '',
    '',
    'if __name__ == "__main__":',
    '    Indexer().build(list(range(8)))',
    '',
  ].join('\n');
  const outcome = fixText(source, await getParser(), DEFAULT_LINT_CONFIG, 15, 'PAR405');
  assert.ok(outcome.ok, 'reason' in outcome ? outcome.reason : '');
  if (!outcome.ok) return;
  assert.equal(outcome.applicability, 'safe');
  assert.match(outcome.text, /with Pool\(processes=2\) as pool:\n {12}print\(pool\.map\(self\.index, tasks\)\)/);
  const dir = tempDir('parallelize-pool-map-with-');
  const before = path.join(dir, 'before.py');
  const after = path.join(dir, 'after.py');
  fs.writeFileSync(before, source);
  fs.writeFileSync(after, outcome.text);
  const a = runPython(before, 30_000, 'spawn');
  const b = runPython(after, 30_000, 'spawn');
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.stdout, a.stdout);
});
