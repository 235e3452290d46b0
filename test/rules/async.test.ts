// PAR203/PAR204 beyond the fixture markers: the fix's shape for a target below 3.9 (run and compared), fix
// safety, blockers, and what the hover names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { explainFinding } from '../../server/src/rules/explain';
import { FIXTURES, getParser, lintSource, pythonParses, REPO, runPython, tempDir } from '../support/harness';

const BLOCKING = path.join(FIXTURES, 'run', '30_async_blocking_main.py');
const PY38 = { ...DEFAULT_LINT_CONFIG, targetVersion: [3, 8] as [number, number] };

async function findingsOf(text: string, config = DEFAULT_LINT_CONFIG) {
  const { tree, result } = await lintSource(text, config);
  tree.delete();
  return result.findings;
}

test('PAR203 below Python 3.9: run_in_executor(None, …) instead of to_thread, partial for keywords; every fix runs', async () => {
  const text = fs.readFileSync(BLOCKING, 'utf8');
  const findings = (await findingsOf(text, PY38)).filter((f) => f.code === 'PAR203');
  assert.equal(findings.length, 5);
  const dir = tempDir('parallelize-async-');
  fs.writeFileSync(path.join(dir, 'original.py'), text);
  const expected = runPython(path.join(dir, 'original.py'));
  assert.equal(expected.status, 0, expected.stderr);
  const parser = await getParser();
  for (const f of findings) {
    const outcome = fixText(text, parser, PY38, f.span.startLine + 1, 'PAR203');
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
    assert.ok(!outcome.text.includes('to_thread(subprocess') && !outcome.text.includes('to_thread(f.read'), 'no asyncio.to_thread for 3.8');
    assert.ok(pythonParses(outcome.text).ok);
    const file = path.join(dir, `fixed_${f.span.startLine + 1}.py`);
    fs.writeFileSync(file, outcome.text);
    const actual = runPython(file);
    assert.equal(actual.status, 0, `${actual.stderr}\n${outcome.text}`);
    assert.equal(actual.stdout, expected.stdout);
  }
  const subprocessFix = fixText(text, parser, PY38, 34, 'PAR203');
  assert.ok(subprocessFix.ok);
  assert.match(subprocessFix.text, /proc = await asyncio\.get_running_loop\(\)\.run_in_executor\(None, partial\(subprocess\.run, cmd, capture_output=True, text=True, check=True\)\)/);
  assert.match(subprocessFix.text, /^from functools import partial$/m);
});

test('PAR203: a coroutine sharing state with other tasks gets an unsafe fix, and the hover names the state', async () => {
  const text = 'import asyncio\nimport time\n\nSEEN = []\n\n\nasync def tick(n):\n    time.sleep(0.01)\n    SEEN.append(n)\n\n\nasync def main():\n    await asyncio.gather(tick(1), tick(2))\n';
  const [f] = await findingsOf(text);
  assert.equal(f.code, 'PAR203');
  assert.equal(f.fixes[0].applicability, 'unsafe');
  assert.equal(f.fixes[0].title, 'Await asyncio.sleep instead (unsafe)');
  const hover = explainFinding(f, 1000);
  assert.match(hover, /Not proven/);
  assert.match(hover, /`SEEN`/);
  assert.match(hover, /Interleaving/);
});

test('PAR203 on a blocking pause before an awaited call of gathered tasks: the fix is unsafe and the hover says the pause may be a rate limit, kept with a lock around the awaited sleep and the call (round 64: gathered page loads two seconds apart)', async () => {
  const text = 'import asyncio\nimport time\n\n\nasync def load(browser, offset):\n    page = await browser.new_page()\n    # the server refuses requests sent close together\n    time.sleep(2)\n    return await page.goto(f"https://example.org/api?offset={offset}")\n\n\nasync def main(browser):\n    return await asyncio.gather(*(load(browser, o) for o in range(0, 200, 20)))\n';
  const [f] = await findingsOf(text);
  assert.equal(f.code, 'PAR203');
  assert.equal(f.fixes[0].applicability, 'unsafe');
  const hover = explainFinding(f, 1000);
  assert.match(hover, /rate limit/);
  assert.match(hover, /`page\.goto` \(line 9\)/);
  assert.match(hover, /asyncio\.Lock/);
  // a pause after the coroutine's last await spaces nothing: the fix stays safe
  const after = text.replace('    time.sleep(2)\n    return await page.goto(f"https://example.org/api?offset={offset}")\n', '    result = await page.goto(f"https://example.org/api?offset={offset}")\n    time.sleep(2)\n    return result\n');
  const [g] = await findingsOf(after);
  assert.equal(g.code, 'PAR203');
  assert.doesNotMatch(explainFinding(g, 1000), /rate limit/);
});

test('PAR203: the only task of the program (asyncio.run(main()), or a coroutine only it awaits in place) holds up nobody: not reported; gathered with another, it is', async () => {
  const alone = 'import asyncio\nimport time\n\n\nasync def step():\n    time.sleep(0.01)\n\n\nasync def main():\n    time.sleep(0.01)\n    await step()\n    print("done")\n\n\nasyncio.run(main())\n';
  assert.deepEqual(await findingsOf(alone), []);
  const beside = alone.replace('    await step()\n', '    await asyncio.gather(step(), step())\n');
  assert.deepEqual((await findingsOf(beside)).map((f) => [f.code, f.span.startLine + 1]), [['PAR203', 6]]);
});

test('PAR203 hover: the blocking call, why it stalls the loop, the thread pool size', async () => {
  const text = 'import asyncio\nimport subprocess\n\n\nasync def run(cmd):\n    return subprocess.run(cmd, check=True)\n';
  const [f] = await findingsOf(text);
  const hover = explainFinding(f, 1000);
  assert.match(hover, /\*\*PAR203\*\*/);
  assert.match(hover, /`subprocess\.run` waits on the network, a process or the disk \(line 6\)/);
  assert.match(hover, /one thread/);
  assert.match(hover, /asyncio\.to_thread\(subprocess\.run, …\)/);
  assert.match(hover, /Thread pool size/);
});

test('PAR204 hover: evidence from the same-file function, pickling of the arguments, one pool per program', async () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'run', '31_async_cpu_main.py'), 'utf8');
  const findings = (await findingsOf(text)).filter((f) => f.code === 'PAR204');
  const handle = findings.find((f) => f.span.startLine + 1 === 23)!;
  const hover = explainFinding(handle, 1000);
  assert.match(hover, /`count_primes` is CPU-bound: a loop doing arithmetic \(line 11\)/);
  assert.match(hover, /Pickling:\*\* `count_primes` travels by reference.*`limit`/);
  // `handle` runs twice (gathered by main): one pool for the program, not one per call
  assert.deepEqual(handle.call?.newPool, { scope: 'module', decorator: 'functools.cache' });
  assert.match(hover, /One pool per program/);
  assert.doesNotMatch(hover, /GIL/);
  // library calls that release the GIL run in a thread: nothing pickled, no process started
  const derive = findings.find((f) => f.span.startLine + 1 === 29)!;
  assert.equal(derive.fixes[0].title, 'Run it in a thread with asyncio.to_thread');
  assert.match(explainFinding(derive, 1000), /releases the GIL/);
  assert.doesNotMatch(explainFinding(derive, 1000), /Pickling/);
  // compressing data whose size the code does not show: a thread pays only for large buffers, which are not shown
  assert.equal(findings.find((f) => f.span.startLine + 1 === 35), undefined);
  // a pool already in scope is used, and the hover says so
  const inPool = findings.find((f) => f.span.startLine + 1 === 63)!;
  assert.equal(inPool.fixes[0].title, 'Run it in `pool` with run_in_executor');
  assert.match(explainFinding(inPool, 1000), /already in scope/);
  assert.equal(findings.find((f) => f.span.startLine + 1 === 54)!.call?.pool, 'self.pool');
});

test('PAR204 in a coroutine that runs many times: the fix makes one module-level pool on first use, and the program prints the same', async () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'run', '31_async_cpu_main.py'), 'utf8');
  const outcome = fixText(text, await getParser(), DEFAULT_LINT_CONFIG, 23, 'PAR204');
  assert.ok(outcome.ok);
  assert.match(outcome.text, /\n@functools\.cache\ndef _process_pool\(\):\n {4}return ProcessPoolExecutor\(\)\n/);
  assert.match(outcome.text, /result = await asyncio\.get_running_loop\(\)\.run_in_executor\(_process_pool\(\), count_primes, limit\)/);
  assert.doesNotMatch(outcome.text, /with ProcessPoolExecutor\(\) as/);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'before.py'), text);
  fs.writeFileSync(path.join(dir, 'after.py'), outcome.text);
  const [before, after] = ['before.py', 'after.py'].map((f) => runPython(path.join(dir, f), 60_000, 'spawn'));
  assert.equal(after.status, 0, after.stderr);
  assert.equal(after.stdout, before.stdout);
  const old = fixText(text, await getParser(), { ...DEFAULT_LINT_CONFIG, targetVersion: [3, 8] }, 23, 'PAR204');
  assert.ok(old.ok);
  assert.match(old.text, /\n@functools\.lru_cache\(maxsize=None\)\ndef _process_pool\(\):/);
});

test('PAR204: nested, printing and state-changing functions get no fix; the hover says why', async () => {
  const text = [
    'import asyncio',
    'COUNTS = []',
    '',
    '',
    'def noisy(n):',
    '    total = 0',
    '    for i in range(n):',
    '        for j in range(n):',
    '            total += i * j',
    '    print(total)',
    '',
    '',
    'def record(n):',
    '    for i in range(n):',
    '        for j in range(n):',
    '            COUNTS.append(i * j)',
    '',
    '',
    'async def main(n):',
    '    def inner(k):',
    '        t = 0',
    '        for i in range(k):',
    '            for j in range(k):',
    '                t += i * j',
    '        return t',
    '',
    '    noisy(5_000_000)',
    '    record(5_000_000)',
    '    return inner(5_000_000)',
    '',
  ].join('\n');
  const findings = (await findingsOf(text)).filter((f) => f.code === 'PAR204');
  assert.deepEqual(findings.map((f) => [f.span.startLine + 1, f.fixes.length]), [[27, 0], [28, 0], [29, 0]]);
  assert.match(explainFinding(findings[0], 1000), /none offered — `noisy` writes output/);
  assert.match(explainFinding(findings[1], 1000), /`record` changes shared state \(`COUNTS`/);
  assert.match(explainFinding(findings[2], 1000), /`inner` is a nested function/);
});

test('CLI: PAR203/PAR204 in JSON (the call\'s position) and SARIF, and fix --diff', () => {
  // the fixtures live in this repository's test folder: --include-tests reports them as anywhere else
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ...args, '--include-tests'], { cwd: REPO, encoding: 'utf8' });
  const file = 'test/fixtures/run/32_async_cpu_unguarded.py';
  const json = JSON.parse(cli(['check', file, '--format', 'json']).stdout);
  assert.deepEqual(json.map((r: { code: string; line: number; column: number; endColumn: number }) => [r.code, r.line, r.column, r.endColumn]), [['PAR204', 24, 13, 30]]);
  assert.deepEqual(json[0].fixes, [{ title: 'Run it in a ProcessPoolExecutor with run_in_executor', applicability: 'safe' }]);
  const sarif = JSON.parse(cli(['check', file, '--format', 'sarif']).stdout);
  assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId), ['PAR204']);
  const diff = cli(['fix', file, '--rule', 'PAR204', '--line', '24', '--diff']);
  assert.equal(diff.status, 0);
  assert.match(diff.stdout, /^\+ {4}steps = await asyncio\.get_running_loop\(\)\.run_in_executor\(_process_pool\(\), pair_total, LIMIT\)$/m);
  assert.match(diff.stdout, /^\+if __name__ == "__main__":$/m);
  const only = cli(['check', BLOCKING, '--select', 'PAR203', '--format', 'json']);
  assert.equal(JSON.parse(only.stdout).length, 5);
});

test('PAR204 doubts: a decorated function, a global rebound at run time; a task started beside main makes main share', async () => {
  const text = [
    'import asyncio',
    'import functools',
    'SCALE = 2',
    '',
    '',
    'def timed(fn):',
    '    return fn',
    '',
    '',
    '@timed',
    'def work(n):',
    '    return sum(i * SCALE for i in range(n))',
    '',
    '',
    '@functools.lru_cache',
    'def cached(n):',
    '    return sum(i * i for i in range(n))',
    '',
    '',
    'def rescale():',
    '    global SCALE',
    '    SCALE = 3',
    '',
    '',
    'async def main():',
    '    ticker = asyncio.create_task(asyncio.sleep(0))',
    '    print(work(5_000_000), cached(5_000_000))',
    '    await ticker',
    '',
    '',
    'asyncio.run(main())',
    '',
  ].join('\n');
  const [work, cached] = (await findingsOf(text)).filter((f) => f.code === 'PAR204');
  assert.ok(work.doubts.some((d) => /decorated \(`@timed`\)/.test(d)));
  assert.ok(work.doubts.some((d) => /`SCALE`, which a function rebinds/.test(d)));
  assert.ok(!cached.doubts.some((d) => /decorated/.test(d)), 'functools.lru_cache pickles by name');
  // main starts a task, so it is not alone: its print can interleave with the task
  assert.ok(cached.doubts.some((d) => /now yields at line 27/.test(d)));
});

test('coroutines are found from their `async` keyword: a line break after `async` too, never `async for` / `async with`', async () => {
  const text = [
    'import time',
    '',
    '',
    'async def plain():',
    '    time.sleep(0.01)',
    '',
    '',
    'async \\',
    'def continued():',
    '    time.sleep(0.01)',
    '',
    '',
    'def sync_with_async_words(items):',
    '    time.sleep(0.01)',
    '',
  ].join('\n');
  const findings = (await findingsOf(text)).filter((f) => f.code === 'PAR203');
  assert.deepEqual(findings.map((f) => f.span.startLine + 1), [5, 10]);
});

test('PAR204: a same-file function whose CPU work is all in GIL-releasing library calls runs in a thread (round 14i, b32)', async () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'analysis', 'b32_gil_free_helper_in_async.py'), 'utf8');
  const findings = (await findingsOf(text)).filter((f) => f.code === 'PAR204');
  const hashed = findings.find((f) => f.span.startLine + 1 === 28)!;
  assert.match(hashed.fixes[0]?.title ?? '', /^Run it in a thread with asyncio\.to_thread/);
  const hover = explainFinding(hashed, 1000);
  assert.match(hover, /library calls that release the GIL/);
  assert.doesNotMatch(hover, /Pickling|process pool/);
  // `secrets` keeps no state of this process: not a change lost in a copy
  assert.doesNotMatch(hover, /secrets/);
  // a Python arithmetic loop holds the GIL: still a process pool
  const stretched = findings.find((f) => f.span.startLine + 1 === 36)!;
  assert.match(stretched.message, /process pool/);
});

test('PAR204 on compressing or hashing a buffer is reported only where the buffer is shown to be large: a few kilobytes take less than a thread hand-off (round 26: 27 → 78 µs a call; round 29: the frames an API stores, 0.6 µs to 0.2 ms a call)', async () => {
  const source = (data: string) => ['import asyncio', 'import os', 'import zlib', '', '', 'async def pack(data):', `    return zlib.compress(${data})`, '', '', 'async def main():', '    await asyncio.gather(pack(b"x"), asyncio.sleep(0))', '', '', 'asyncio.run(main())', ''].join('\n');
  assert.equal((await findingsOf(source('data'))).find((f) => f.code === 'PAR204'), undefined, 'a buffer of unknown size');
  assert.equal((await findingsOf(source('b"x" * 1024'))).find((f) => f.code === 'PAR204'), undefined, 'a buffer of 1 KB');
  const large = (await findingsOf(source('os.urandom(1 << 20)'))).find((f) => f.code === 'PAR204');
  assert.ok(large, 'PAR204 reported');
  assert.ok(!large.doubts.some((d) => /size of its data/.test(d)), large.doubts.join('\n'));
});

test('PAR203: a chunk of at most 64 KB read from a local file in a loop is not reported (round 28: a streamed export ran 1.5–2.2× slower with each 64 KB read in a thread; round 57: a download 19–26× slower with each 1 KiB read in a thread), nor one whole file of a size not shown (session 40)', async () => {
  const text = [
    'import asyncio',
    '',
    '',
    'async def stream(path):',
    '    with open(path, "rb") as f:',
    '        while True:',
    '            chunk = f.read(65536)',
    '            if not chunk:',
    '                break',
    '            yield chunk',
    '',
    '',
    'async def whole(path):',
    '    with open(path, "rb") as f:',
    '        return f.read()',
    '',
    '',
    'async def main(paths):',
    '    await asyncio.gather(*(whole(p) for p in paths))',
    '    async for chunk in stream(paths[0]):',
    '        print(len(chunk))',
    '',
  ].join('\n');
  const findings = (await findingsOf(text)).filter((f) => f.code === 'PAR203');
  assert.deepEqual(findings.map((f) => f.span.startLine + 1), []);
});

test('PAR203: each small chunk a blocking socket receives, written to a file, is not a stall of its own; the wait is the receive (round 57: an upload 7–10× slower with each 1 KiB write in a thread)', async () => {
  const text = [
    'import asyncio',
    '',
    '',
    'async def put(path, size, data_socket):',
    '    received = 0',
    '    with open(path, "wb") as f:',
    '        while size > received:',
    '            data = data_socket.recv(1024)',
    '            f.write(data)',
    '            received += 1024',
    '',
    '',
    'async def save(path, source):',
    '    with open(path, "wb") as f:',
    '        while chunk := source.read():',
    '            f.write(chunk)',
    '',
    '',
    'async def pages(path, parts):',
    '    with open(path, "w") as f:',
    '        for part in parts:',
    '            f.write(part)',
    '',
  ].join('\n');
  const lines = (await findingsOf(text)).filter((f) => f.code === 'PAR203').map((f) => f.span.startLine + 1);
  // a stream copied chunk by chunk is still reported, the doubt naming data, not a folder tree; parts written one
  // after another land in the file's buffer, then the page cache, in microseconds (session 49, round 67)
  assert.deepEqual(lines, [16]);
  const saved = (await findingsOf(text)).find((f) => f.code === 'PAR203')!;
  assert.ok(saved.doubts.some((d) => /`f\.write\(\)` moves an amount of data the code does not show/.test(d)), saved.doubts.join('\n'));
});

test('PAR203: a whole stream copied into a file (`shutil.copyfileobj`) blocks; a header written once per pass of a two-item literal loop does not add up (round 57: the segment copy was missed, the header write reported)', async () => {
  const text = [
    'import shutil',
    '',
    '',
    'async def patch(video_header, video_path, audio_header, audio_path):',
    '    for header, path in [(video_header, video_path), (audio_header, audio_path)]:',
    '        tmp = path.with_suffix(".tmp")',
    '        with open(tmp, "wb") as f:',
    '            f.write(header)',
    '            with open(path, "rb") as seg:',
    '                shutil.copyfileobj(seg, f)',
    '        tmp.replace(path)',
    '',
  ].join('\n');
  const findings = (await findingsOf(text)).filter((f) => f.code === 'PAR203');
  assert.deepEqual(findings.map((f) => f.span.startLine + 1), [10]);
  assert.ok(findings[0].doubts.some((d) => /moves an amount of data the code does not show/.test(d)), findings[0].doubts.join('\n'));
});
