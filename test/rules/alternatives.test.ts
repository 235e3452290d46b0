// The alternative fixes: which are offered where, their applicability, and what the hover says about them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixText, type LintConfig } from '../../server/src/linter';
import { explainFinding } from '../../server/src/rules/explain';
import type { Finding } from '../../server/src/rules/types';
import { getParser, lintSource, REWRITE_CONFIG } from '../support/harness';

// Which alternatives are offered and how safe each is, on excerpts: the cost model is not asked.
const PY311: LintConfig = { ...REWRITE_CONFIG, targetVersion: [3, 11] };

async function findingsOf(source: string, config: LintConfig = REWRITE_CONFIG): Promise<Finding[]> {
  const { tree, result } = await lintSource(source, config);
  tree.delete();
  return result.findings;
}

const fixesOf = (f: Finding) => f.fixes.map((x) => `${x.pattern}:${x.applicability}`);

const CPU = `import hashlib


def key(word):
    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"s", 1000).hex()


def keys(words):
    out = []
    for w in words:
        out.append(key(w))
    return out
`;

test('PAR101 offers multiprocessing.Pool second, with the first fix\'s applicability, never first', async () => {
  const [f] = await findingsOf(CPU);
  assert.equal(f.code, 'PAR101');
  assert.deepEqual(fixesOf(f), ['process-pool:unsafe', 'multiprocessing-pool:unsafe']);
  const outcome = fixText(CPU, await getParser(), REWRITE_CONFIG, 10, 'PAR101', 1);
  assert.ok(outcome.ok);
  assert.ok(
    outcome.text.includes(
      ['    items = list(words)', '    workers = os.cpu_count() or 1', '    chunksize = max(1, len(items) // (4 * workers))', '    with Pool() as pool:', '        out = pool.map(key, items, chunksize=chunksize)'].join('\n'),
    ),
    outcome.text,
  );
  assert.match(outcome.text, /^import hashlib\nimport os\nfrom multiprocessing import Pool\n/);
  // the alternative in one line: what it is, its applicability, its own caveat (the rule page has the rest)
  assert.match(explainFinding(f, 1000), /\n- \*\*Also:\*\* `multiprocessing\.Pool` \+ `pool\.map\(f, xs, chunksize=…\)` \(unsafe\) — [^\n]*daemonic[^\n]*\n/);
});

const IO = (loopHome: 'module' | 'function' | 'async-caller') => `import time


def slow(k):
    time.sleep(0.01)
    return k


${loopHome === 'module' ? 'found = []\nfor k in range(10):\n    found.append(slow(k))\n' : `def run(keys):
    found = []
    for k in keys:
        found.append(slow(k))
    return found
`}${loopHome === 'async-caller' ? '\n\nasync def handler():\n    return run([1, 2])\n' : ''}`;

test('PAR201: asyncio.to_thread is safe at module level, unsafe inside a function (asyncio.run from a running loop)', async () => {
  const [top] = await findingsOf(IO('module'));
  assert.deepEqual(fixesOf(top), ['thread-pool:safe', 'asyncio-to-thread:safe']);
  const [inner] = await findingsOf(IO('function'));
  assert.deepEqual(fixesOf(inner), ['thread-pool:safe', 'asyncio-to-thread:unsafe']);
  assert.match(inner.fixes[1].doubts!.join(), /`asyncio\.run` raises RuntimeError when `run` is called while an event loop runs/);
  assert.equal(inner.fixes[1].title, 'Run the iterations with asyncio.to_thread and asyncio.gather (unsafe)');
});

test('PAR201: no asyncio.run fix when an async def of the module reaches the loop; none below 3.9', async () => {
  const [f] = await findingsOf(IO('async-caller'));
  assert.deepEqual(fixesOf(f), ['thread-pool:safe']);
  assert.match(f.declined!.join(), /`run` is reached from `async def handler`/);
  assert.match(explainFinding(f, 1000), /\*\*Not offered:\*\* asyncio\.to_thread: `run` is reached from `async def handler`/);
  const [old] = await findingsOf(IO('function'), { ...REWRITE_CONFIG, targetVersion: [3, 8] });
  assert.deepEqual(fixesOf(old), ['thread-pool:safe']);
});

test('PAR201 over requests: the aiohttp fix is unsafe with its reasons; not offered for a Session or an escaping response', async () => {
  const http = (body: string) => `import requests\n\n\ndef fetch(urls, session):\n    out = []\n    for url in urls:\n${body}\n    return out\n`;
  const [ok] = await findingsOf(http('        out.append(requests.get(url, timeout=3).text)'));
  assert.deepEqual(fixesOf(ok), ['thread-pool:safe', 'asyncio-to-thread:unsafe', 'aiohttp-gather:unsafe']);
  const doubts = ok.fixes[2].doubts!.join('\n');
  assert.match(doubts, /errors are aiohttp's/);
  assert.match(doubts, /`\.text` without a charset/);
  const rewrite = fixText(http('        out.append(requests.get(url, timeout=3).text)'), await getParser(), REWRITE_CONFIG, 6, 'PAR201', 2);
  assert.ok(rewrite.ok);
  // `fetch`'s parameter `session` is not visible in the new worker: its own `session` needs no suffix
  assert.match(rewrite.text, /async with session\.get\(url, timeout=aiohttp\.ClientTimeout\(sock_connect=3, sock_read=3\)\) as response:\n {8}return await response\.text\(\)/);
  for (const [body, reason] of [
    ['        out.append(session.get(url).text)', /no `requests` call/],
    ['        out.append(requests.get(url))', /response object itself escapes/],
    ['        r = requests.get(url)\n        out.append(r.headers)', /`r` is used as `r\.headers`/],
    ['        out.append(requests.get(url, stream=True).content)', /`stream=` has no exact aiohttp counterpart/],
  ] as const) {
    const [f] = await findingsOf(http(body));
    // a shared session is not even reported: its thread safety is unknown
    if (!f && /session/.test(body)) continue;
    assert.ok(f, body);
    assert.ok(!f.fixes.some((x) => x.pattern === 'aiohttp-gather'), body);
    if (!/session/.test(body)) assert.match(f.declined!.join(), reason, body);
  }
});

const AWAITS = `import asyncio


async def fetch(x):
    await asyncio.sleep(0.01)
    return x


async def main(xs):
    out = []
    for x in xs:
        out.append(await fetch(x))
    return out
`;

test('PAR202: TaskGroup from target-version 3.11, always unsafe (ExceptionGroup), explained in the hover', async () => {
  const [old] = await findingsOf(AWAITS);
  assert.deepEqual(fixesOf(old), ['asyncio-gather:safe']);
  assert.match(old.declined!.join(), /asyncio\.TaskGroup: needs Python 3\.11/);
  const [f] = await findingsOf(AWAITS, PY311);
  assert.deepEqual(fixesOf(f), ['asyncio-gather:safe', 'asyncio-taskgroup:unsafe']);
  assert.match(explainFinding(f, 1000), /`asyncio\.TaskGroup`, one task per item \(unsafe\).*\n {2}- not proven: .*`ExceptionGroup`/);
  const outcome = fixText(AWAITS, await getParser(), PY311, 11, 'PAR202', 1);
  assert.ok(outcome.ok);
  assert.match(outcome.text, /async with asyncio\.TaskGroup\(\) as tg:\n {8}tasks = \[tg\.create_task\(fetch\(x\)\) for x in xs\]\n {4}out = \[task\.result\(\) for task in tasks\]/);
});
