// Reduced cases of bugs the stdlib sweep found: each stays fixed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixText } from '../../server/src/linter';
import { getParser, lintSource, pythonParses, REWRITE_CONFIG, runPython, tempDir } from '../support/harness';

/** The lint of a snippet, its tree already freed (findings and facts stay readable). */
/** These regressions are about dependences and rewrites, found on small excerpts: the cost model is not asked. */
async function linted(source: string) {
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  tree.delete();
  return result;
}

test('a multi-line collected value keeps its parentheses in the extracted worker (http/server.py)', async () => {
  const source = [
    'import os',
    '',
    '',
    'def listing(names, path):',
    '    r = []',
    '    for name in names:',
    '        full = os.path.join(path, name)',
    '        shown = name + "/" if os.path.isdir(full) else name',
    "        r.append('<li>%s</li>'",
    '                 % (shown,))',
    '    return r',
    '',
    '',
    'if __name__ == "__main__":',
    '    print(listing(["a", "b"], "."))',
    '',
  ].join('\n');
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 6, 'PAR201');
  assert.ok(outcome.ok);
  assert.match(outcome.text, /return \('<li>%s<\/li>'\n\s+% \(shown,\)\)/);
  assert.ok(pythonParses(outcome.text).ok);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.py'), source);
  fs.writeFileSync(path.join(dir, 'b.py'), outcome.text);
  assert.equal(runPython(path.join(dir, 'b.py')).stdout, runPython(path.join(dir, 'a.py')).stdout);
});

test('an executor handed to an attribute is owned elsewhere: no PAR405 (asyncio/base_events.py)', async () => {
  const source = [
    'import concurrent.futures',
    '',
    '',
    'class Loop:',
    '    def run(self, fn):',
    '        executor = concurrent.futures.ThreadPoolExecutor()',
    '        self._default_executor = executor',
    '        return executor.submit(fn)',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  assert.deepEqual(result.findings.filter((f) => f.code === 'PAR405'), []);
});

test('list(map(f, xs)) with a local f is reported without a fix: f cannot be pickled (test_builtin.py)', async () => {
  const source = [
    'def outer(xs):',
    '    def plus(n):',
    '        total = 0',
    '        for i in range(200_000):',
    '            total += (i * n) % 7',
    '        return total',
    '    return list(map(plus, xs))',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  const finding = result.findings.find((f) => f.code === 'PAR103');
  assert.ok(finding);
  assert.deepEqual(finding.fixes, []);
  assert.match(finding.blockers.join(' '), /plus/);
});

test('a method called for effect is not trusted by its name: `await queue.get()` is not gathered (test_asyncio/test_queues.py), nor `await site.start()` on a site made from a shared runner: a coroutine the analysis cannot see is not shown to wait (aiohttp/worker.py; round 11)', async () => {
  const source = [
    'async def drain(queue, count):',
    '    for _ in range(count):',
    '        await queue.get()',
    '',
    '',
    'async def serve(runner, specs, make_site):',
    '    for spec in specs:',
    '        site = make_site(runner, spec)',
    '        await site.start()',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.deepEqual(result.findings.map((f) => [f.code, f.span.startLine + 1]), []);
  const drain = result.analysis.loops.find((l) => l.line === 2)!;
  assert.ok(drain.rejections.some((r) => r.kind === 'shared-state' && r.message.includes('queue.get()')));
  const serve = result.analysis.loops.find((l) => l.line === 7)!;
  assert.ok(serve.rejections.some((r) => r.kind === 'no-heavy-work' && r.message.includes('`await site.start`')), serve.rejections.map((r) => r.message).join('; '));
});

test('PAR404 reads a read-modify-write from whole names: `out = _run_output()` and `interp = interpreters.create()` are plain writes (test__xxsubinterpreters.py, test_interpreters.py)', async () => {
  const source = [
    'import threading',
    '',
    '',
    'def _run_output(x):',
    '    return x',
    '',
    '',
    'def run(interpreters):',
    '    out = None',
    '    interp = None',
    '    total = 0',
    '',
    '    def f():',
    '        nonlocal out, interp, total',
    '        out = _run_output(1)',
    '        interp = interpreters.create()',
    '        total = total + 1',
    '',
    '    threads = [threading.Thread(target=f) for _ in range(4)]',
    '    for t in threads:',
    '        t.start()',
    '    for t in threads:',
    '        t.join()',
    '    return out, interp, total',
    '',
  ].join('\n');
  const result = await linted(source);
  const races = result.findings.filter((f) => f.code === 'PAR404').map((f) => f.span.startLine + 1);
  assert.deepEqual(races, [17]);
});

test('PAR401: a loop that only steps a counter (`numrequests -= 1`) around calls is not CPU-bound Python; one that computes is (test_xmlrpc.py)', async () => {
  const source = [
    'import threading',
    '',
    '',
    'def serve(server, numrequests):',
    '    while numrequests > 0:',
    '        server.handle_request()',
    '        numrequests -= 1',
    '',
    '',
    'def crunch(n):',
    '    total = 0',
    '    while n > 0:',
    '        total += n * n % 7',
    '        n -= 1',
    '    return total',
    '',
    '',
    'def main(server):',
    '    a = threading.Thread(target=serve, args=(server, 10))',
    '    b = threading.Thread(target=crunch, args=(10_000_000,))',
    '    a.start()',
    '    b.start()',
    '    a.join()',
    '    b.join()',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.deepEqual(result.findings.filter((f) => f.code === 'PAR401').map((f) => f.span.startLine + 1), [20]);
});

test('PAR407: futures handed on (`asyncio.wrap_future(f)`) or iterated through `enumerate(results)` are not dropped; measured with `len()` they still are (test_futures.py, _test_multiprocessing.py)', async () => {
  const source = [
    'import asyncio',
    'import multiprocessing',
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    '',
    'def square(x):',
    '    return x * x',
    '',
    '',
    'def wrapped(loop):',
    '    ex = ThreadPoolExecutor(1)',
    '    f1 = ex.submit(square, 3)',
    '    f2 = asyncio.wrap_future(f1, loop=loop)',
    '    ex.shutdown(wait=True)',
    '    return f2',
    '',
    '',
    'def fetched():',
    '    with multiprocessing.Pool(2) as p:',
    '        results = []',
    '        for i in range(10):',
    '            results.append(p.apply_async(square, (i,)))',
    '        for j, res in enumerate(results):',
    '            assert res.get() == j * j',
    '',
    '',
    'def counted():',
    '    with multiprocessing.Pool(2) as p:',
    '        pending = [p.apply_async(square, (i,)) for i in range(10)]',
    '        print(len(pending))',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.deepEqual(result.findings.filter((f) => f.code === 'PAR407').map((f) => f.span.startLine + 1), [29]);
});

test('a loop of blocking calls in a function that sets a signal handler gets an unsafe thread-pool fix: signals reach the main thread only (test_subprocess.py)', async () => {
  const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'analysis', 'a22_methods_called_for_effect.py'), 'utf8');
  const result = await linted(source);
  const line = source.split('\n').findIndex((l) => l.includes('for command in commands:')) + 1;
  const finding = result.findings.find((f) => f.span.startLine + 1 === line)!;
  assert.equal(finding.code, 'PAR201');
  assert.ok(finding.fixes.length > 0 && finding.fixes.every((f) => f.applicability === 'unsafe'));
  assert.ok(finding.doubts.some((d) => d.includes('main thread only')));
});

test('state-changing HTTP requests and effects on a shared argument make the thread-pool fix unsafe (moto replay, samtranslator actions)', async () => {
  const source = [
    'import json',
    'import requests',
    '',
    '',
    'def replay(lines):',
    '    for row in lines:',
    '        r = json.loads(row)',
    '        requests.request(method=r["method"], url=r["url"], data=r.get("body"))',
    '',
    '',
    'def fetch_all(urls):',
    '    out = []',
    '    for u in urls:',
    '        out.append(requests.request("GET", u).text)',
    '    return out',
    '',
    '',
    'def run(template, cursors):',
    '    for cursor in cursors:',
    '        cursor.execute(template)',
    '',
  ].join('\n');
  const result = await linted(source);
  const byLine = new Map(result.findings.map((f) => [f.span.startLine + 1, f]));
  assert.deepEqual([...byLine.keys()], [6, 13, 19]);
  assert.ok(byLine.get(6)!.fixes.every((f) => f.applicability === 'unsafe'));
  assert.ok(byLine.get(6)!.doubts.some((d) => d.includes('not known to be read-only')));
  assert.ok(byLine.get(13)!.fixes.some((f) => f.applicability === 'safe'));
  assert.ok(byLine.get(19)!.doubts.some((d) => d.includes('`template`')));
});

test('PAR406: threads started in a loop over literals (`range(20)`, a tuple of names) are a fixed number, not one per input item (test_callback.py, test_queue.py)', async () => {
  const source = [
    'import threading',
    '',
    '',
    'def runner(arg):',
    '    return arg',
    '',
    '',
    'def fixed():',
    '    threads = [threading.Thread(target=runner, args=(arg,)) for arg in ("t", "t2") for n in range(20)]',
    '    for t in threads:',
    '        t.start()',
    '',
    '',
    'def per_item(items):',
    '    threads = [threading.Thread(target=runner, args=(x,)) for x in items]',
    '    for t in threads:',
    '        t.start()',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.deepEqual(result.findings.filter((f) => f.code === 'PAR406').map((f) => f.span.startLine + 1), [15]);
});

test('asyncio fixes in a module that does not import asyncio are unsafe: its coroutines may run under trio (trio/_core/_tests/test_run.py)', async () => {
  const body = [
    'import time',
    '',
    '',
    'async def fetch(session, url):',
    '    return await session.get(url)',
    '',
    '',
    'async def tick(session, urls):',
    '    time.sleep(0.001)',
    '    out = []',
    '    for url in urls:',
    '        out.append(await fetch(session, url))',
    '    return out',
    '',
  ].join('\n');
  const applicabilities = async (source: string) => (await linted(source)).findings.map((f) => [f.code, f.fixes[0]?.applicability]);
  assert.deepEqual(await applicabilities(body), [['PAR203', 'unsafe'], ['PAR202', 'unsafe']]);
  assert.deepEqual(await applicabilities(`import asyncio\n${body}`), [['PAR203', 'safe'], ['PAR202', 'safe']]);
  // round 41: asyncio imported in a list of modules, and a bot framework that only runs on asyncio
  assert.deepEqual(await applicabilities(`import os, json as j, asyncio\n${body}`), [['PAR203', 'safe'], ['PAR202', 'safe']]);
  assert.deepEqual(await applicabilities(`from pyrogram import Client\n${body}`), [['PAR203', 'safe'], ['PAR202', 'safe']]);
  // a module only named like asyncio's submodule proves nothing
  assert.deepEqual(await applicabilities(`import os, asyncio_helpers\n${body}`), [['PAR203', 'unsafe'], ['PAR202', 'unsafe']]);
});

test('os.getenv and os.environ.get read the process environment: no doubt about what they do or cost (round 14h: a tool probe reported "cannot see what `os.environ.get()` does")', async () => {
  const source = [
    'import os',
    'import subprocess',
    '',
    '',
    'def probe(name):',
    '    home = os.environ.get("TOOLS_HOME", "/opt/tools")',
    '    debug = os.getenv("DEBUG")',
    '    return subprocess.run([os.path.join(home, name), "--version"], capture_output=True, text=True).stdout + str(debug)',
    '',
    '',
    'def probes(names):',
    '    out = []',
    '    for name in names:',
    '        out.append(probe(name))',
    '    return out',
    '',
  ].join('\n');
  const result = await linted(source);
  const loop = result.analysis.loops.find((l) => l.line === 13);
  assert.ok(loop);
  const said = [...loop.doubts.map((d) => d.message), ...loop.rejections.map((r) => r.message)].join('\n');
  assert.doesNotMatch(said, /os\.(getenv|environ\.get)/);
  assert.ok(result.findings.some((f) => f.code === 'PAR201' && f.span.startLine + 1 === 13));
});

test('the method of `requests.request(METHOD, …)` is read through a name bound once to a literal: `METHOD = "GET"` sends reads, `METHOD = "POST"` does not (round 65: a false "not known to be read-only" doubt)', async () => {
  const source = [
    'import requests',
    '',
    'METHOD = "GET"',
    'WRITE = "POST"',
    '',
    '',
    'def check(ips):',
    '    out = []',
    '    for ip in ips:',
    '        out.append(requests.request(METHOD, "https://api.example.org/check", params={"ip": ip}, timeout=10).json())',
    '    return out',
    '',
    '',
    'def report(ips):',
    '    out = []',
    '    for ip in ips:',
    '        out.append(requests.request(WRITE, "https://api.example.org/report", data={"ip": ip}, timeout=10).json())',
    '    return out',
    '',
  ].join('\n');
  const result = await linted(source);
  const byLine = new Map(result.findings.map((f) => [f.span.startLine + 1, f]));
  assert.ok(byLine.get(9), 'the reads are reported');
  assert.ok(!byLine.get(9)!.doubts.some((d) => /read-only|`POST`/.test(d)), byLine.get(9)!.doubts.join('\n'));
  assert.ok(byLine.get(16)!.doubts.some((d) => d.includes('`POST` requests')), byLine.get(16)!.doubts.join('\n'));
});
