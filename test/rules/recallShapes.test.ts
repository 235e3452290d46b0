// Issue "Recall", shapes 3, 4 and 9 beyond the fixture markers: generator reductions (which reducers, the
// short-circuit rule, the hover), the guide's Pattern 2 as written, and loops and client calls in coroutines.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, explainLine, fixText } from '../../server/src/linter';
import { explainFinding } from '../../server/src/rules/explain';
import { FIXTURES, getParser, lintSource, runPython, tempDir } from '../support/harness';

/** The 1-based line of the first line of `text` containing `needle`. */
function at(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i + 1;
}

async function lint(text: string) {
  const { tree, result } = await lintSource(text);
  tree.delete();
  return result;
}

const HEAVY = `
def heavy(n):
    total = 0
    for i in range(200000):
        total += (i * n) % 7
    return total
`;

test('generator reductions: sum/max/min/sorted/join/tuple are analysed like comprehensions; other consumers of a generator are not', async () => {
  const text = `import os\n${HEAVY}

def main(xs, sep):
    a = sum(heavy(i) for i in xs)
    b = tuple(heavy(i) for i in xs)
    c = "-".join(str(heavy(i)) for i in xs)
    d = sep.join(str(heavy(i)) for i in xs)
    e = os.path.join(str(heavy(i)) for i in xs)
    f = next(heavy(i) for i in xs)
    g = sum((heavy(i) for i in xs), 10)
    return a, b, c, d, e, f, g
`;
  const result = await lint(text);
  const lines = (n: number) => result.analysis.loops.filter((l) => l.line === n && l.node.type === 'generator_expression').map((l) => l.reduction?.reducer);
  const [a, b, c, d, e, f, g] = ['a =', 'b =', 'c =', 'd =', 'e =', 'f =', 'g ='].map((n) => at(text, `    ${n}`));
  assert.deepEqual(lines(a), ['sum']);
  assert.deepEqual(lines(b), ['tuple']);
  assert.deepEqual(lines(c), ['"-".join']);
  assert.deepEqual(lines(d), [], 'a join on a name may not be str.join');
  assert.deepEqual(lines(e), [], 'os.path.join is not a reduction');
  assert.deepEqual(lines(f), [], 'next() takes one element: not a reduction');
  assert.deepEqual(lines(g), ['sum']);
  assert.deepEqual(
    result.findings.map((x) => [x.span.startLine + 1, x.code]),
    [
      [a, 'PAR103'],
      [b, 'PAR103'],
      [c, 'PAR103'],
      [g, 'PAR103'],
    ],
  );
  const parser = await getParser();
  const fixed = fixText(text, parser, DEFAULT_LINT_CONFIG, g, 'PAR103');
  assert.ok(fixed.ok);
  assert.match(fixed.text, /items = list\(xs\)\n.*\n.*\n    with ProcessPoolExecutor\(\) as executor:\n        g = sum\(executor\.map\(heavy, items, chunksize=chunksize\), 10\)/);
  const bare = fixText(text, parser, DEFAULT_LINT_CONFIG, a, 'PAR103');
  assert.ok(bare.ok);
  assert.match(bare.text, /a = sum\(executor\.map\(heavy, items, chunksize=chunksize\)\)/);
});

test('a rebound reducer is not the builtin; any/all need a pure element, and with one the fix is unsafe for the time it may waste', async () => {
  const text = `${HEAVY}

def sum(values):
    return 0


def main(xs, cfg):
    a = sum(heavy(i) for i in xs)
    b = any(heavy(i) > 5 for i in xs)
    c = all(cfg.check(heavy(i)) for i in xs)
    return a, b, c
`;
  const result = await lint(text);
  const facts = (line: number) => result.analysis.loops.find((l) => l.line === line && l.node.type === 'generator_expression')!;
  assert.ok(facts(at(text, 'a = sum')).rejections.some((r) => r.kind === 'unsupported' && /`sum` is rebound/.test(r.message)));
  const early = facts(at(text, 'c = all')).rejections.find((r) => r.kind === 'early-exit');
  assert.ok(early, 'all() over an element not proven pure is an early exit');
  assert.match(early.message, /`all` stops at the first false element.*not proven free of effects.*cfg\.check/);
  const any = result.findings.find((f) => f.span.startLine + 1 === at(text, 'b = any'));
  assert.equal(any?.code, 'PAR103');
  assert.equal(any.fixes[0].applicability, 'unsafe');
  assert.ok(any.doubts.some((d) => /`any` stops at the first true element/.test(d)));
  const hover = explainFinding(any, 16);
  assert.match(hover, /\*\*Short-circuit:\*\* `any` still stops consuming/);
  assert.match(hover, /`any` consumes them exactly as it consumed the generator/);
});

test('a generator reduction gets a hover where there was none: the explanation names the reduction and the estimate', async () => {
  const text = `${HEAVY}

def main():
    xs = list(range(400))
    return max(heavy(i) for i in xs)
`;
  const result = await lint(text);
  const hover = explainLine(result, 10, 16);
  assert.ok(hover);
  assert.match(hover, /^\*\*PAR103\*\*/m);
  assert.match(hover, /\*\*Estimate:\*\* ≈ [\d.]+ ms per item × 400 items/);
  assert.match(hover, /`max\(…\)` of a generator over CPU-bound `heavy`/);
});

test('the inner comprehension of a reported generator stays rejected: it reads the outer one\'s variable', async () => {
  const result = await lint(fs.readFileSync(path.join(FIXTURES, 'analysis', 'a23_hazards.py'), 'utf8'));
  const text = fs.readFileSync(path.join(FIXTURES, 'analysis', 'a23_hazards.py'), 'utf8');
  const line = result.analysis.loops.filter((l) => l.line === at(text, 'return tuple([heavy(arg)'));
  const inner = line.find((l) => l.node.type === 'list_comprehension');
  assert.ok(inner?.rejections.some((r) => r.kind === 'unsupported' && /inside another comprehension/.test(r.message)));
  assert.equal(line.find((l) => l.node.type === 'generator_expression')?.reduction?.reducer, 'tuple');
});

test("the guide's Pattern 2, verbatim, is PAR201 with the thread pool preferred and the aiohttp ClientSession + gather rewrite offered", async () => {
  const text = 'import requests\n\n\ndef fetch_all(urls):\n    return [requests.get(url).json() for url in urls]\n';
  const result = await lint(text);
  assert.equal(result.findings.length, 1);
  const [f] = result.findings;
  assert.equal(f.code, 'PAR201');
  assert.deepEqual(
    f.fixes.map((x) => x.pattern),
    ['thread-pool-comprehension', 'aiohttp-comprehension'],
  );
  assert.ok(f.loop?.estimate, 'the finding carries the estimate');
  const parser = await getParser();
  const threads = fixText(text, parser, DEFAULT_LINT_CONFIG, 5, 'PAR201', 0);
  assert.ok(threads.ok);
  assert.match(threads.text, /workers = min\(32, len\(items\)\) or 1\n    with ThreadPoolExecutor\(max_workers=workers\) as executor:\n        return list\(executor\.map\(_compute_item, items\)\)/);
  assert.doesNotMatch(threads.text, /__main__/, 'threads need no guard');
  const aio = fixText(text, parser, DEFAULT_LINT_CONFIG, 5, 'PAR201', 1);
  assert.ok(aio.ok);
  assert.match(aio.text, /async with aiohttp\.ClientSession\(cookie_jar=aiohttp\.DummyCookieJar\(\), trust_env=True\) as session:/);
  assert.match(aio.text, /return await response\.json\(content_type=None\)/);
  assert.match(aio.text, /    return asyncio\.run\(_fetch_all_url\(urls\)\)/);
  const hover = explainFinding(f, 16);
  assert.match(hover, /\*\*Fix\*\* \(unsafe\): `ThreadPoolExecutor\.map\(f, xs\)` around the statement/);
  assert.match(hover, /\*\*Also:\*\* a new `async def` sharing one `aiohttp\.ClientSession`.* \(unsafe\)/);
});

test('PAR204 on loops in a coroutine: cheap loops and plain loops over an unknown number of items are not reported; heavy trips of unknown number are, unsafe', async () => {
  const text = `import asyncio


async def light(items):
    total = 0
    for x in items:
        total += x * x
    return total


async def grid(n):
    best = 0
    for i in range(n):
        for j in range(n):
            best = max(best, (i * j) % 17)
    return best


async def short():
    acc = 0
    for i in range(1000):
        acc = (acc + i) % 7
    return acc


async def captured(n):
    out = []
    keep = lambda: out
    k = 0
    while k < n:
        for j in range(n):
            k += (j % 3) + 1
        out.append(k)
    return out, keep
`;
  const result = await lint(text);
  const par204 = result.findings.filter((f) => f.code === 'PAR204').map((f) => f.span.startLine + 1);
  assert.deepEqual(par204, [at(text, 'for i in range(n):')]);
  const grid = result.findings.find((f) => f.span.startLine + 1 === at(text, 'for i in range(n):'))!;
  assert.equal(grid.fixes[0].applicability, 'unsafe');
  assert.ok(grid.doubts.some((d) => /long enough to be worth a process/.test(d)));
  assert.deepEqual(grid.call?.stall.loop?.inputs, ['n', 'best']);
  assert.deepEqual(grid.call?.stall.loop?.outputs, ['best']);
  const hover = explainFinding(grid, 16);
  assert.match(hover, /^\*\*PAR204\*\* · CPU-bound loop in `async def grid`/);
  assert.match(hover, /taking `n`, `best` and returning `best` \(read after the loop\)/);
});

test('PAR203 on local file work of a size the code does not show: one file is not reported (session 40), a tree is not shown to pay (unsafe); a write of a buffer shown large is; an argument computed by a call stays on the event loop (round 41: thumbnail reads 7× slower in a thread, a PDF conversion left on the loop)', async () => {
  const source = [
    'import asyncio',
    'import shutil',
    'import requests',
    '',
    '',
    'async def thumbnail(path):',
    '    with open(path, "rb") as f:',
    '        data = f.read()',
    '    return data',
    '',
    '',
    'async def clean(folder):',
    '    shutil.rmtree(folder)',
    '',
    '',
    'async def pad(path):',
    '    with open(path, "wb") as f:',
    '        f.write(bytes(8_000_000))',
    '',
    '',
    'def convert(pages):',
    '    return b"".join(bytes(p) for p in pages)',
    '',
    '',
    'async def export(url, pages, text):',
    '    requests.post(url, data=convert(pages))',
    '    requests.post(url, data=text.encode())',
    '    with open("out.txt", "wb") as f:',
    '        f.write(text.encode())',
    '',
    '',
    'async def main():',
    '    await asyncio.gather(thumbnail("a.jpg"), clean("tmp"), pad("big.bin"), export("out.pdf", [1, 2], "x"))',
    '',
  ].join('\n');
  const result = await lint(source);
  const at = (line: number) => result.findings.find((f) => f.code === 'PAR203' && f.span.startLine + 1 === line)!;
  // one file's read or write of a size not shown: about the hop to a thread and back, not reported
  assert.ok(!at(8) && !at(29), JSON.stringify(result.findings.map((f) => [f.code, f.span.startLine + 1])));
  assert.equal(at(13).fixes[0].applicability, 'unsafe');
  assert.match(at(13).doubts.join('\n'), /that the thread pays off: .* folder tree whose size the code does not show/);
  assert.ok(!at(18).doubts.some((d) => /pays off/.test(d)), JSON.stringify(at(18).doubts));
  // round 41: `f.write(img2pdf.convert(pages))` moves the call to a thread, not the conversion
  assert.match(at(26).doubts.join('\n'), /the argument `convert\(pages\)` is still computed on the event loop/);
  assert.ok(!at(27).doubts.some((d) => /still computed on the event loop/.test(d)), JSON.stringify(at(27).doubts));
});

test('PAR203 on sqlite3: no fix for a connection that checks its thread, and the hover says what to do instead', async () => {
  const result = await lint(fs.readFileSync(path.join(FIXTURES, 'run', '40_async_sqlite_main.py'), 'utf8'));
  const blocked = result.findings.filter((f) => f.code === 'PAR203' && f.fixes.length === 0).map((f) => f.span.startLine + 1);
  // one finding for the coroutine's database work, naming its other calls (round 40: ten findings for four endpoints)
  assert.deepEqual(blocked, [27]);
  const first = result.findings.find((f) => f.span.startLine + 1 === 27)!;
  assert.match(first.message, /also the 2 sqlite3 calls at lines 29, 31\)$/);
  const hover = explainFinding(first, 16);
  assert.match(hover, /opened without `check_same_thread=False`.*ProgrammingError/);
});

test('two PAR204 loop fixes in one module share one module-level pool: the second reuses the factory the first wrote', async () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'run', '41_async_cpu_loop_main.py'), 'utf8');
  const parser = await getParser();
  const first = fixText(text, parser, DEFAULT_LINT_CONFIG, at(text, 'for i in range(1_500_000)'), 'PAR204');
  assert.ok(first.ok);
  const second = fixText(first.text, parser, DEFAULT_LINT_CONFIG, at(first.text, 'for step in range(800_000)'), 'PAR204');
  assert.ok(second.ok);
  assert.equal(second.text.match(/^def _process_pool/gm)?.length, 1);
  assert.equal(second.text.match(/run_in_executor\(_process_pool\(\), /g)?.length, 2);
});

test('collecting statements that replay alike share one fold: the parent appends without testing which branch recorded it, and prints the same', async () => {
  // round 10w: a connectivity check appending a dict in the `if`, the `else` and the `except` got
  // `if fold == 0: results.append(value) elif fold == 1: results.append(value) elif fold == 2: …`
  const text = `import time


def probe(host):
    time.sleep(0.05)
    if host.endswith(".down"):
        raise OSError("unreachable " + host)
    return len(host)


def check(hosts):
    results = []
    slow = []
    for host in hosts:
        try:
            size = probe(host)
            if size > 8:
                results.append({"host": host, "status": "long"})
            else:
                results.append({"host": host, "status": "short"})
        except OSError as e:
            results.append({"host": host, "status": "error", "error": str(e)})
            slow.append(host)
    return results, slow


if __name__ == "__main__":
    print(check(["a.example", "b.down", "c.ex", "d.down", "e.example.org"]))
`;
  const line = at(text, 'for host in hosts:');
  const result = await lint(text);
  assert.ok(result.findings.some((f) => f.code === 'PAR201' && f.span.startLine + 1 === line), 'reported');
  const fixed = fixText(text, await getParser(), DEFAULT_LINT_CONFIG, line, 'PAR201');
  assert.ok(fixed.ok);
  // the three appends to `results` replay as one; the append to `slow` is another
  assert.match(fixed.text, /for fold, value in folds:\n\s+if fold == 0:\n\s+results\.append\(value\)\n\s+elif fold == 1:\n\s+slow\.append\(value\)\n/);
  assert.doesNotMatch(fixed.text, /fold == 2/);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'before.py'), text);
  fs.writeFileSync(path.join(dir, 'after.py'), fixed.text);
  const [before, after] = ['before.py', 'after.py'].map((f) => runPython(path.join(dir, f)));
  assert.equal(before.status, 0, before.stderr);
  assert.equal(after.status, 0, after.stderr);
  assert.equal(after.stdout, before.stdout);
});

test('a thread pool over requests to a rate-limited API (an LLM provider) starts a few threads, not the default pool, and the hover says so (round 42: 496 chat completions)', async () => {
  const text = [
    'from openai import OpenAI',
    '',
    'client = OpenAI()',
    '',
    '',
    'def classify(rows):',
    '    out = []',
    '    for text in rows:',
    '        r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": text}])',
    '        out.append(r.choices[0].message.content)',
    '    return out',
    '',
    '',
    'def labels(rows):',
    '    return [client.chat.completions.create(model="m", messages=[{"role": "user", "content": t}]).choices[0].message.content for t in rows]',
    '',
  ].join('\n');
  const result = await lint(text);
  const loop = result.findings.find((f) => f.code === 'PAR201' && f.span.startLine + 1 === 8)!;
  assert.match(loop.doubts.join('\n'), /rate-limited API[^]*the fix starts at most 4 threads/);
  const parser = await getParser();
  for (const line of [8, 15]) {
    const fixed = fixText(text, parser, DEFAULT_LINT_CONFIG, line, 'PAR201');
    assert.ok(fixed.ok, fixed.ok ? '' : fixed.reason);
    if (fixed.ok) assert.match(fixed.text, /ThreadPoolExecutor\(max_workers=4\)|workers = min\(4, /);
  }
});

test('a loop inside a context that sets state for its thread (torch.no_grad, a decimal context, a decorator) gets an unsafe fix saying the workers would not run under it (round 46: a U-Net moved out of no_grad)', async () => {
  const source = [
    'import decimal',
    '',
    'import requests',
    'import torch',
    '',
    '',
    'def fetch(urls):',
    '    out = []',
    '    with torch.no_grad():',
    '        for u in urls:',
    '            out.append(requests.get(u, timeout=5).text)',
    '    return out',
    '',
    '',
    '@torch.inference_mode()',
    'def fetch_all(urls):',
    '    return [requests.get(u, timeout=5).text for u in urls]',
    '',
    '',
    'def fetch_exact(urls):',
    '    with decimal.localcontext() as ctx:',
    '        ctx.prec = 50',
    '        return [requests.get(u, timeout=5).text for u in urls]',
    '',
    '',
    'def fetch_plain(urls):',
    '    return [requests.get(u, timeout=5).text for u in urls]',
    '',
  ].join('\n');
  const result = await lint(source);
  const at = (line: number) => result.findings.find((f) => f.code === 'PAR201' && f.span.startLine + 1 === line)!;
  for (const [line, context] of [[10, 'torch.no_grad()'], [17, 'torch.inference_mode()'], [23, 'decimal.localcontext()']] as const) {
    assert.ok(at(line), `line ${line} reported`);
    assert.ok(at(line).fixes.every((f) => f.applicability === 'unsafe'), `line ${line}: unsafe`);
    assert.match(at(line).doubts.join('\n'), new RegExp(`the loop runs under \`${context.replace(/[.()]/g, '\\$&')}\``), `line ${line}`);
  }
  assert.ok(!at(27).doubts.some((d) => /the loop runs under/.test(d)), JSON.stringify(at(27).doubts));
});
