// Issue 15 ("safe means safe", classes 9–13): every reason and piece of evidence is true for its loop,
// evidently picklable values are not doubted, and rewrites keep comments and take plain names where nothing
// in scope clashes. Classes 5 and 6 (waits and executor lifetimes) are runnable fixtures in fixtures/risks.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixText } from '../../server/src/linter';
import { formatText } from '../../server/src/report';
import { explainFinding, explainRejected } from '../../server/src/rules/explain';
import { getParser, lintSource, pythonParses, REPO, REWRITE_CONFIG, runPython, tempDir } from '../support/harness';

// Reasons, wording and rewrite hygiene on excerpts: the cost model is not asked.
async function linted(source: string) {
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  tree.delete();
  return result;
}

const HEAVY = ['import math', '', '', 'def heavy(n):', '    t = 0.0', '    for i in range(n):', '        t += math.sqrt(i) * i', '    return t', '', ''];

function reasons(result: Awaited<ReturnType<typeof linted>>, line: number): string[] {
  const loop = result.analysis.loops.find((l) => l.line === line);
  assert.ok(loop, `a loop at line ${line}`);
  return loop.rejections.map((r) => `${r.kind}: ${r.message} | ${r.remedy}`);
}

test('`continue` on a cheap test of the item is a filter applied before the map, not a dependence between iterations', async () => {
  const source = [...HEAVY, 'def positives(items):', '    out = []', '    for x in items:', '        if x < 0:', '            continue', '        out.append(heavy(x))', '    return out', ''].join('\n');
  const result = await linted(source);
  assert.deepEqual(reasons(result, 13), []);
  assert.equal(result.analysis.loops.find((l) => l.line === 13)?.prefilters?.length, 1);
});

test('a `continue` after the work is a filter in the worker, also with results collected before it (recorded, then replayed); one whose test reads what the body changes is a loop-carried dependency', async () => {
  const after = [...HEAVY, 'def late(items):', '    out = []', '    for x in items:', '        s = heavy(x)', '        if s > 3:', '            continue', '        out.append(s)', '    return out', ''].join('\n');
  assert.deepEqual(reasons(await linted(after), 13), []);
  const mixed = [...HEAVY, 'def late(items):', '    out = []', '    for x in items:', '        s = heavy(x)', '        out.append(s)', '        if s > 3:', '            continue', '        out.append(-s)', '    return out', ''].join('\n');
  const mixedResult = await linted(mixed);
  assert.deepEqual(reasons(mixedResult, 13), []);
  assert.ok(mixedResult.analysis.loops.find((l) => l.line === 13)?.recordedFolds);
  const dedupe = [...HEAVY, 'def unique(items):', '    seen = set()', '    out = []', '    for x in items:', '        if x in seen:', '            continue', '        seen.add(x)', '        out.append(heavy(x))', '    return out', ''].join('\n');
  const all = reasons(await linted(dedupe), 14);
  assert.ok(all.some((r) => /^loop-carried: whether an item is skipped \(`continue` at line 16\) depends on `seen`, which the body changes at line 17/.test(r)), all.join('\n'));
});

test('a name the code after the loop assigns before reading it is not live after the loop; one read first is', async () => {
  const source = [
    ...HEAVY,
    'def index(docs, queries):',
    '    weights = []',
    '    for doc in docs:',
    '        words = doc.split()',
    '        weights.append(heavy(len(words)))',
    '    with open("log.txt", "w") as log:',
    '        words = "done"',
    '    print(words)',
    '    for q in queries:',
    '        words = q.split()',
    '        print(len(words))',
    '    return weights',
    '',
    '',
    'def reread(docs, flag):',
    '    weights = []',
    '    for doc in docs:',
    '        words = doc.split()',
    '        weights.append(heavy(len(words)))',
    '    if flag:',
    '        words = []',
    '    print(words)',
    '    return weights',
    '',
    '',
    'def branches(docs, flag):',
    '    weights = []',
    '    for doc in docs:',
    '        words = doc.split()',
    '        weights.append(heavy(len(words)))',
    '    if flag:',
    '        words = ["a"]',
    '    elif len(weights) > 2:',
    '        words = ["b"]',
    '    else:',
    '        print(len(weights))',
    '        words = []',
    '    print(words)',
    '    return weights',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.ok(!reasons(result, 38).some((r) => r.startsWith('live-out')), reasons(result, 38).join('\n'));
  assert.ok(!reasons(result, 13).some((r) => r.startsWith('live-out')), reasons(result, 13).join('\n'));
  assert.ok(reasons(result, 27).some((r) => /^live-out: `words` is set in the loop and read after it at line 32/.test(r)), reasons(result, 27).join('\n'));
});

test('a function of an imported module is not a shared stream, and a loop-local alias is named with what it refers into', async () => {
  const source = [
    'from PIL import Image',
    '',
    '',
    'def sizes(paths):',
    '    out = []',
    '    for p in paths:',
    '        img = Image.open(p)',
    '        out.append(img.size)',
    '    return out',
    '',
    '',
    'def sort_rows(data, n):',
    '    for i in range(n):',
    '        chunk = data[i]',
    '        chunk.sort()',
    '',
    '',
    'def sort_own(n):',
    '    for i in range(n):',
    '        rows = [list(range(i, 0, -1))]',
    '        chunk = rows[0]',
    '        chunk.sort()',
    '',
  ].join('\n');
  const result = await linted(source);
  for (const r of reasons(result, 6)) assert.doesNotMatch(r, /Image`, which|shared stream|every iteration shares/);
  const sorted = reasons(result, 13).find((r) => r.startsWith('shared-state'));
  assert.match(sorted ?? '', /changes `chunk`, which refers into `data\[i\]` \(shared by every iteration\)/);
  // `chunk` refers into `rows`, made by the iteration itself: nothing shared changes
  assert.ok(!reasons(result, 19).some((r) => r.startsWith('shared-state')), reasons(result, 19).join('\n'));
});

test('the seeded-generator remedy appears where randomness is shared, and only there', async () => {
  const source = [
    ...HEAVY,
    'def noisy(items, rng):',
    '    out = []',
    '    for x in items:',
    '        out.append(rng.random() * heavy(x))',
    '    return out',
    '',
    '',
    'def counted(items, seen):',
    '    for x in items:',
    '        seen[x % 7] = heavy(x)',
    '        seen.clear()',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.ok(reasons(result, 13).some((r) => /seeded from the item/.test(r)), reasons(result, 13).join('\n'));
  const plain = reasons(result, 19);
  assert.ok(plain.length > 0);
  for (const r of plain) assert.doesNotMatch(r, /generator|seeded/);
});

test('PAR407 names what each pool method returns: a future, an iterator, an AsyncResult', async () => {
  const source = [
    'import multiprocessing',
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    '',
    'def fire(urls, fetch):',
    '    with ThreadPoolExecutor(4) as ex:',
    '        ex.map(fetch, urls)',
    '        ex.submit(fetch, urls[0])',
    '    pool = multiprocessing.Pool(2)',
    '    pool.map_async(fetch, urls)',
    '    pool.close()',
    '    pool.join()',
    '',
  ].join('\n');
  const messages = (await linted(source)).findings.filter((f) => f.code === 'PAR407').map((f) => f.message);
  assert.deepEqual(messages.map((m) => m.split(' is ')[0]), ['The iterator returned by `map`', 'The future returned by `submit`', 'The `AsyncResult` returned by `map_async`']);
});

test('a loop that reads files and hashes them is described as both I/O- and CPU-bound', async () => {
  const source = [
    'import hashlib',
    'from pathlib import Path',
    '',
    '',
    'def digests(folder):',
    '    out = []',
    '    for path in Path(folder).iterdir():',
    '        out.append(hashlib.sha256(path.read_bytes()).hexdigest())',
    '    return out',
    '',
  ].join('\n');
  const finding = (await linted(source)).findings.find((f) => f.code === 'PAR201');
  assert.ok(finding);
  assert.match(finding.message, /block on I\/O \(`\.read_bytes\(\)`\), besides computing \(`hashlib\.sha256`\)/);
  assert.match(explainFinding(finding, 1000), /parallelizable, I\/O- and CPU-bound/);
});

test('evidently picklable values are not doubted: a range item, an unpacked builtin result, a same-file function returning hex digests', async () => {
  const source = [
    'import hashlib',
    'import math',
    '',
    '',
    'def crunch(text, y):',
    '    total = 0.0',
    '    for i in range(len(text) * 1000):',
    '        total += math.sqrt(i * y) % 7',
    '    return total',
    '',
    '',
    'def digest(name):',
    '    return hashlib.sha256(name.encode()).hexdigest()',
    '',
    '',
    'def digests(names):',
    '    return [digest(n) for n in names]',
    '',
    '',
    'def scaled(factor):',
    '    out = []',
    '    quotient, rest = divmod(factor, 3)',
    '    for y in range(factor):',
    '        for t in ["ab", "cd"] * 500:',
    '            out.append(crunch(t, y + quotient + rest))',
    '    return out',
    '',
    '',
    'def by_hash(names):',
    '    hashes = digests(names)',
    '    lengths = []',
    '    for h in hashes:',
    '        lengths.append(crunch(h, 3))',
    '    return lengths',
    '',
  ].join('\n');
  const findings = (await linted(source)).findings.filter((f) => f.code === 'PAR101');
  assert.deepEqual(
    findings.map((f) => [f.span.startLine + 1, f.doubts]),
    [
      // the outer loop: the worker records the inner loop's appends, the parent replays them in order
      [23, []],
      [32, []],
    ],
  );
  assert.ok(findings.every((f) => f.fixes[0]?.applicability === 'safe'));
});

test('rewrites keep comments in place and bind plain names when only other functions use them; the program prints the same', async () => {
  const source = [
    '"""Sums of square roots."""',
    'import json  # output',
    '# maths, for the square roots',
    'import math  # sqrt',
    '',
    '',
    'def heavy(n):',
    '    t = 0.0',
    '    for i in range(n):',
    '        t += math.sqrt(i) * i',
    '    return t',
    '',
    '',
    'def other(value, executor):',
    '    return value, executor',
    '',
    '',
    'def run(items):',
    '    results = []',
    '    total = 0.0',
    '    for x in items:',
    '        # the expensive part',
    '        y = heavy(x)',
    '        results.append(y)  # one per item',
    '        total += y  # running total',
    '    return results, total',
    '',
    '',
    'if __name__ == "__main__":',
    '    print(json.dumps(run(list(range(2000, 2100)))), other(1, 2))',
    '',
  ].join('\n');
  const parser = await getParser();
  const outcome = fixText(source, parser, REWRITE_CONFIG, 21, 'PAR102');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  const fixed = outcome.text;
  assert.ok(pythonParses(fixed).ok, fixed);
  // the import comments stay with their imports; the new import goes after the comment of the line it follows
  assert.match(fixed, /^import json {2}# output\n# maths, for the square roots\nimport math {2}# sqrt\nimport os\nfrom concurrent\.futures import ProcessPoolExecutor\n/m);
  // the body's comments move with it, each statement's comment stays with it
  assert.match(fixed, /def _compute_\w+\(x\):\n {4}# the expensive part\n {4}y = heavy\(x\)/);
  assert.match(fixed, /results\.append\(\w+\) {2}# one per item\n\s+total \+= \w+ {2}# running total/);
  // `value` and `executor` belong to another function: no `_2` needed here
  assert.match(fixed, /with ProcessPoolExecutor\(\) as executor:/);
  assert.doesNotMatch(fixed, /\b(value|executor)_2\b/);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'before.py'), source);
  fs.writeFileSync(path.join(dir, 'after.py'), fixed);
  const before = runPython(path.join(dir, 'before.py'), 60_000);
  const after = runPython(path.join(dir, 'after.py'), 60_000);
  assert.equal(before.status, 0, before.stderr);
  assert.equal(after.status, 0, after.stderr + fixed);
  assert.equal(after.stdout, before.stdout);
});

test('a loop rewritten into a direct map keeps its body\'s comments above the pool', async () => {
  const source = [...HEAVY, 'def run(items):', '    out = []', '    for x in items:', '        # the expensive part', '        out.append(heavy(x))  # one per item', '    return out', ''].join('\n');
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 13, 'PAR101');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  assert.match(outcome.text, /\n {4}chunksize = max\(1, len\((\w+)\) \/\/ \(4 \* workers\)\)\n {4}# the expensive part\n {4}# one per item\n {4}with ProcessPoolExecutor\(\) as executor:\n {8}out = list\(executor\.map\(heavy, \1, chunksize=chunksize\)\)\n/);
  assert.ok(pythonParses(outcome.text).ok, outcome.text);
});

test('the PAR407 fix names its futures plainly when only another function uses `futures`', async () => {
  const source = [
    'from concurrent.futures import ThreadPoolExecutor',
    '',
    '',
    'def report(futures, future):',
    '    return len(futures), future',
    '',
    '',
    'def fire(paths, save):',
    '    with ThreadPoolExecutor(4) as executor:',
    '        for p in paths:',
    '            executor.submit(save, p)',
    '',
  ].join('\n');
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 11, 'PAR407');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  assert.match(outcome.text, /futures = \[executor\.submit\(save, p\) for p in paths\]\n {8}for future in as_completed\(futures\):/);
});

test('the summary line counts findings, whatever mix of rules produced them', () => {
  const finding = (code: string) => ({ file: 'a.py', finding: { code, span: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 1 }, message: 'm', fixes: [] } });
  assert.match(formatText([finding('PAR101'), finding('PAR201')], 1), /^Found 2 findings in 1 file\.$/m);
  assert.match(formatText([finding('PAR101'), finding('PAR405')], 1), /^Found 2 findings in 1 file\.$/m);
});

test('the items of os.scandir are os.DirEntry objects, which cannot be sent to a process pool', async () => {
  const source = [
    'import hashlib',
    'import os',
    '',
    '',
    'def digests(directory):',
    '    out = []',
    '    for entry in os.scandir(directory):',
    '        out.append(hashlib.pbkdf2_hmac("sha256", entry.name.encode(), b"s", 100_000))',
    '    return out',
    '',
  ].join('\n');
  const finding = (await linted(source)).findings.find((f) => f.code === 'PAR101');
  assert.ok(finding);
  assert.ok(!finding.fixes.some((f) => f.pattern === 'process-pool'), JSON.stringify(finding.fixes.map((f) => f.title)));
});

test('the message and the hover name the heaviest wait (the request, not the existence check guarding it); sizes and parsed JSON are not doubted as results', async () => {
  const source = [
    'import json',
    'import os',
    '',
    'import requests',
    '',
    '',
    'def fetch_all(urls, folder):',
    '    saved = []',
    '    for url in urls:',
    '        path = os.path.join(folder, url.rsplit("/", 1)[-1])',
    '        if os.path.exists(path):',
    '            continue',
    '        with open(path, "wb") as out:',
    '            out.write(requests.get(url, timeout=30).content)',
    '        saved.append(os.path.getsize(path))',
    '    return saved',
    '',
    '',
    'def pages(urls):',
    '    found = []',
    '    for url in urls:',
    '        found.append(json.loads(requests.get(url, timeout=30).text))',
    '    return found',
    '',
  ].join('\n');
  const result = await linted(source);
  const finding = result.findings.find((f) => f.span.startLine + 1 === 9);
  assert.ok(finding, 'the download loop is reported');
  assert.match(finding.message, /block on I\/O \(`requests\.get`\)/);
  assert.match(explainFinding(finding, 16), /\*\*Evidence:\*\* I\/O `requests\.get`/);
  for (const line of [9, 21]) {
    const f = result.findings.find((x) => x.span.startLine + 1 === line);
    assert.ok(f, `line ${line} is reported`);
    assert.ok(!f.doubts.some((d) => /pickled back/.test(d)), `no pickling doubt on line ${line}: ${f.doubts.join('; ')}`);
  }
});

test('a callee wrapped by a decorator the analysis cannot see is not proven: the fix is unsafe and says why', async () => {
  const text = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'analysis', 'a47_wrapped_callees.py'), 'utf8');
  const result = await linted(text);
  const line = text.split('\n').findIndex((l) => l.startsWith('def fetches')) + 4;
  const finding = result.findings.find((f) => f.span.startLine + 1 === line);
  assert.ok(finding, `the loop at line ${line} is reported`);
  assert.equal(finding.fixes[0]?.applicability, 'unsafe');
  assert.ok(finding.doubts.some((d) => /wrapped by `@traced`/.test(d)), finding.doubts.join('; '));
});

test('a secondary reason that opens with its own title is not titled twice in the hover', async () => {
  const source = [
    'import sys',
    '',
    '',
    'def merged(spans):',
    '    spans.sort(key=lambda x: x[0])',
    '    out = [spans[0]]',
    '    for s in spans:',
    '        if s[0] <= out[-1][1]:',
    '            out[-1][1] = max(out[-1][1], s[1])',
    '        else:',
    '            out.append(s)',
    '    return out',
    '',
    '',
    'by_name = {}',
    'with open(sys.argv[1]) as f:',
    '    for line in f:',
    '        a, b, c = line.split()',
    '        by_name.setdefault(a, []).append([int(b), int(c)])',
    '',
    'res = []',
    'for name in by_name:',
    '    m = merged(by_name[name])',
    '    res.append(sum([e - b + 1 for b, e in m]))',
    'print(sum(res))',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === 22);
  assert.ok(loop && loop.rejections.some((r) => r.kind === 'not-worth-it') && loop.rejections.length > 1, `two reasons at line 22: ${loop?.rejections.map((r) => r.kind).join(', ')}`);
  const hover = explainRejected(loop);
  assert.match(hover, /^- not worth a pool: each item/m, hover);
  assert.doesNotMatch(hover, /not worth a pool: not worth a pool/, hover);
});

test('PAR204: a callee that changes its argument in place gets no process-pool fix (the worker would change a copy), and the hover says so', async () => {
  const text = ['import asyncio', '', '', 'def fill(table, n):', '    for i in range(n):', '        for j in range(n):', '            table[(i, j)] = i * j', '', '', 'async def build(n):', '    table = {}', '    fill(table, n)', '    return table', ''].join('\n');
  const result = await linted(text);
  const finding = result.findings.find((f) => f.code === 'PAR204' && f.span.startLine + 1 === 12);
  assert.ok(finding, 'the call is reported: nested loops of unknown count reach 50 ms at a common size');
  assert.deepEqual(finding.fixes, []);
  assert.match(explainFinding(finding, 1000), /`fill` changes its argument `table` in place: in a worker process it changes a copy/);
});

test('a prompt in the loop is answered one at a time: the remedy asks first, then computes, never "print after the map"', async () => {
  const source = [...HEAVY, 'def ask(items):', '    out = []', '    for x in items:', '        n = int(input(f"weight of {x}? "))', '        out.append(heavy(n))', '    return out', ''].join('\n');
  const prompted = reasons(await linted(source), 13).filter((r) => /asks the person at the terminal/.test(r));
  assert.equal(prompted.length, 1, prompted.join('\n'));
  assert.match(prompted[0], /\| ask for every answer first .*then run the work on the answers in a pool$/);
  assert.doesNotMatch(prompted[0], /print them after the parallel map/);
});

test('a string or a path is not doubted: no "may change it" for a `str` handed on, no "cannot tell whether `p.with_name()` changes `p`"; a list handed on still is', async () => {
  const source = [
    'import subprocess',
    'from pathlib import Path',
    '',
    '',
    'def render(folder: Path, notify):',
    '    label = "rendered"',
    '    for wav in folder.glob("*.wav"):',
    '        out = wav.with_name(wav.stem + "_fx.wav")',
    '        subprocess.run(["ffmpeg", "-i", str(wav), str(out)], check=True, capture_output=True)',
    '        channel = notify.channel(wav.stem)',
    '        channel.send(label)',
    '',
    '',
    'def render_all(folder: Path, notify, seen):',
    '    for wav in folder.glob("*.wav"):',
    '        out = wav.with_name(wav.stem + "_fx.wav")',
    '        subprocess.run(["ffmpeg", "-i", str(wav), str(out)], check=True, capture_output=True)',
    '        channel = notify.channel(wav.stem)',
    '        channel.send(seen)',
    '',
  ].join('\n');
  const result = await linted(source);
  const texts = (line: number) => {
    const loop = result.analysis.loops.find((l) => l.line === line);
    assert.ok(loop, `a loop at line ${line}`);
    const finding = result.findings.find((f) => f.span.startLine + 1 === line);
    return [...loop.rejections.map((r) => r.message), ...(finding?.doubts ?? [])];
  };
  const plain = texts(7);
  assert.ok(!plain.some((t) => /with_name\(\)` changes|`label`, which every iteration shares/.test(t)), plain.join('\n'));
  const shared = texts(15);
  assert.ok(shared.some((t) => /with `seen`, which every iteration shares: it may change it/.test(t)), shared.join('\n'));
  // the items of `sorted(…)` of a listing are paths too
  const sortedSource = source.replace('for wav in folder.glob("*.wav"):', 'for wav in sorted(folder.glob("*.wav")):');
  const sortedResult = await linted(sortedSource);
  const sortedLoop = sortedResult.analysis.loops.find((l) => l.line === 7);
  const sortedTexts = [...(sortedLoop?.rejections.map((r) => r.message) ?? []), ...(sortedResult.findings.find((f) => f.span.startLine + 1 === 7)?.doubts ?? [])];
  assert.ok(sortedLoop && !sortedTexts.some((t) => /with_name\(\)` changes/.test(t)), sortedTexts.join('\n'));
});

test('values of a response folded in an inner loop are not "as costly to replay as to compute" when the item\'s work (the request) is outside that loop', async () => {
  const source = [
    'import requests',
    '',
    '',
    'def latest(feeds):',
    '    episodes = []',
    '    for feed in feeds:',
    '        data = requests.get(feed, timeout=10).json()',
    '        for entry in data["items"][:1]:',
    '            episodes.append(entry["id"])',
    '    return episodes',
    '',
  ].join('\n');
  const result = await linted(source);
  const replay = (line: number) => reasons(result, line).filter((r) => /the parent would replay every one of them/.test(r));
  assert.deepEqual(replay(6), []);
});

test('a progress percentage printed in a nested loop is no computation, an in-memory buffer no I/O and no unseen call, and a call that both waits and computes is named once in the headline', async () => {
  const download = [
    'import io',
    'import requests',
    '',
    '',
    'def fetch_all(urls, downloader):',
    '    out = []',
    '    for url in urls:',
    '        page = requests.get(url, timeout=10).text',
    '        buf = io.StringIO(page)',
    '        done = False',
    '        while done is False:',
    '            status, done = downloader.next_chunk()',
    '            print(f"Download {int(status.progress() * 100)}%.")',
    '        out.append(buf.read())',
    '    return out',
    '',
  ].join('\n');
  const result = await linted(download);
  const loop = result.analysis.loops.find((l) => l.line === 7);
  assert.ok(loop);
  assert.deepEqual(loop.evidence.map((e) => `${e.kind} ${e.what}`), ['io requests.get']);
  const finding = result.findings.find((f) => f.code === 'PAR201');
  assert.ok(finding);
  assert.doesNotMatch(explainFinding(finding, 1000), /StringIO|arithmetic|\.read\(\)`/);

  const both = [
    'import requests',
    '',
    '',
    'class Scraper:',
    '    def page(self, url):',
    '        text = requests.get(url, timeout=10).text',
    '        total = 0',
    '        for ch in text:',
    '            total += ord(ch) * 3',
    '        return total',
    '',
    '    def all(self, urls):',
    '        out = []',
    '        for url in urls:',
    '            out.append(self.page(url))',
    '        return out',
    '',
  ].join('\n');
  const headline = (await linted(both)).findings.find((f) => f.code === 'PAR201')?.message ?? '';
  assert.match(headline, /block on I\/O \(`self\.page`\) and compute:/);
  assert.doesNotMatch(headline, /besides computing/);
});

test('a `with` nested in the body of another evaluates its items when the body reaches it: a name the outer body computes first is not read before its write', async () => {
  const source = [
    'import hashlib',
    'from pathlib import Path',
    '',
    '',
    'def digest_all(paths):',
    '    for path in paths:',
    '        with open(path, "rb") as source:',
    '            digest = hashlib.sha256(source.read()).hexdigest()',
    '            target = Path("digests") / (Path(path).stem + ".txt")',
    '            with open(target, "w") as out:',
    '                out.write(digest)',
    '',
  ].join('\n');
  const carried = reasons(await linted(source), 6).filter((r) => r.startsWith('loop-carried'));
  assert.deepEqual(carried, []);
});

test('a handler that ends the program (`sys.exit`) does not reach the code after the `try`: what the `try` assigned is the iteration\'s own there', async () => {
  const source = [
    'import sys',
    'import requests',
    '',
    '',
    'def fetch_all(urls):',
    '    pages = []',
    '    for url in urls:',
    '        try:',
    '            body = requests.get(url, timeout=10).text',
    '        except requests.RequestException:',
    '            sys.exit(1)',
    '        pages.append(body)',
    '    return pages',
    '',
  ].join('\n');
  const carried = reasons(await linted(source), 7).filter((r) => r.startsWith('loop-carried'));
  assert.deepEqual(carried, []);
});

test('reading tables with pandas is work the hover names (a workbook is heavy by nature), and the names a listing yields are not doubted as unpicklable', async () => {
  const loop = (reader: string) => [
    'import glob',
    '',
    'import pandas as pd',
    '',
    '',
    'def summarise(pattern):',
    '    frames = []',
    '    for path in glob.glob(pattern):',
    `        df = pd.${reader}(path)`,
    '        frames.append(df["value"].sum())',
    '    return frames',
    '',
  ].join('\n');
  const csv = (await linted(loop('read_csv'))).analysis.loops.find((l) => l.line === 8);
  assert.ok(csv?.evidence.some((e) => e.what === 'pandas.read_csv'), JSON.stringify(csv?.evidence));
  const excel = (await linted(loop('read_excel'))).findings.find((f) => f.code === 'PAR101');
  assert.ok(excel, 'a PAR101 on the workbook loop');
  const hover = explainFinding(excel, 1000);
  assert.match(hover, /CPU `pandas\.read_excel`/);
  assert.doesNotMatch(hover, /items of `glob\.glob/);
});

test('an image made by an ImageOps function and saved is image work, not "no expensive work"', async () => {
  const source = [
    'from PIL import Image, ImageOps',
    '',
    '',
    'def add_borders(paths, width):',
    '    for path in paths:',
    '        ImageOps.expand(Image.open(path), border=width, fill="white").save(path + ".bordered.jpg")',
    '',
  ].join('\n');
  const loop = (await linted(source)).analysis.loops.find((l) => l.line === 5);
  assert.ok(loop);
  assert.ok(!loop.rejections.some((r) => r.kind === 'no-heavy-work'), loop.rejections.map((r) => r.message).join('; '));
});

test('an entry stored under the item\'s own key and then filled in place is no loop-carried dependency', async () => {
  const source = [
    'import requests',
    '',
    '',
    'def sales(ids):',
    '    data = {}',
    '    for i in ids:',
    '        events = requests.get(f"https://api.example.com/events/{i}", timeout=10).json()',
    '        data[i] = {}',
    '        data[i]["id"] = i',
    '        data[i]["sales"] = [e["price"] for e in events]',
    '    return data',
    '',
  ].join('\n');
  const found = reasons(await linted(source), 6);
  assert.ok(!found.some((r) => r.startsWith('loop-carried')), found.join('\n'));
  assert.ok(found.some((r) => /`data\[i\]` is stored at line 8 and then filled in place/.test(r)), found.join('\n'));
});

test('an entry stored under the item\'s own key and only read back is said to be read back, not filled in place (round 48: a lattice-Boltzmann collision step)', async () => {
  const source = [
    'def collide(f1, f2, rho, feq, omega, m):',
    '    for i in range(m):',
    '        rho[i] = f1[i] + f2[i]',
    '        feq[i] = 0.5 * rho[i]',
    '        f1[i] = (1 - omega) * f1[i] + omega * feq[i]',
    '',
  ].join('\n');
  const found = reasons(await linted(source), 2);
  assert.ok(found.some((r) => /`rho\[i\]` is stored at line 3 and read back at line 4/.test(r)), found.join('\n'));
  assert.ok(!found.some((r) => /filled in place/.test(r)), found.join('\n'));
});

test('a `continue` whose test reads a name the iteration assigned earlier in an enclosing block does not name that name as carried', async () => {
  const source = [
    'import requests',
    '',
    '',
    'def collect(exchanges, start, end):',
    '    out = []',
    '    for ex in exchanges:',
    '        if ex.endswith("us"):',
    '            floor = len(ex) * 1000',
    '            if start < floor:',
    '                if end < floor:',
    '                    continue',
    '        out.append(requests.get(f"https://{ex}/ohlcv?from={start}", timeout=10).json())',
    '    return out',
    '',
  ].join('\n');
  const found = reasons(await linted(source), 6);
  assert.ok(!found.some((r) => /depends on `floor`/.test(r)), found.join('\n'));
});

test('a loop that waits only on other programs says so (their work runs in those processes), not "block on I/O"', async () => {
  const source = [
    'import subprocess',
    '',
    '',
    'def ocr_all(pages):',
    '    texts = []',
    '    for page in pages:',
    '        texts.append(subprocess.run(["tesseract", page, "-", "-l", "eng"], capture_output=True, text=True, check=True).stdout)',
    '    return texts',
    '',
  ].join('\n');
  const finding = (await linted(source)).findings.find((f) => f.code === 'PAR201');
  assert.ok(finding);
  assert.match(finding.message, /independent and wait on other programs \(`subprocess\.run`\)/);
  assert.match(explainFinding(finding, 1000), /parallelizable, waiting on other programs/);
});

test('a named tuple\'s `_replace` and `int.from_bytes` are not doubted as changing their receiver', async () => {
  const source = [
    'import socket',
    '',
    '',
    'def scan(probes):',
    '    out = []',
    '    for p in probes:',
    '        s = socket.create_connection((p.host, p.port), timeout=2)',
    '        data = s.recv(4)',
    '        s.close()',
    '        out.append(p._replace(status=int.from_bytes(data, "big")))',
    '    return out',
    '',
  ].join('\n');
  const finding = (await linted(source)).findings.find((f) => f.code === 'PAR201');
  assert.ok(finding);
  assert.ok(!finding.doubts.some((d) => /_replace|from_bytes/.test(d)), finding.doubts.join('; '));
});

test('a GET naming an action in its query or path is doubted as changing the server (the fix is unsafe), and one naming a write (`add`, `cmd=delete`) is an administrative write kept in order; a plain GET is not', async () => {
  const loop = (url: string, extra = '') => ['import requests', '', '', 'def run(ids):', '    out = []', '    for i in ids:', `        out.append(requests.get(${url}${extra}, timeout=10).text)`, '    return out', ''].join('\n');
  const doubts = async (source: string) => {
    const result = await linted(source);
    const finding = result.findings.find((f) => f.code === 'PAR201');
    assert.ok(finding, 'the loop is reported');
    return { doubts: finding.doubts.join(' | '), safe: finding.fixes.some((f) => f.applicability === 'safe') };
  };
  const game = await doubts(loop('f"http://game.test/game.php?page=alliance&action=diplomacyCreateProcessor&id={i}"'));
  assert.match(game.doubts, /names an action \(`action=diplomacyCreateProcessor`\)/);
  assert.equal(game.safe, false);
  const written = async (source: string) => {
    const result = await linted(source);
    assert.equal(result.findings.find((f) => f.code === 'PAR201'), undefined, 'the loop is not reported');
    return result.analysis.loops.find((l) => l.line === 6)!.rejections.map((r) => `${r.kind}: ${r.message}`).join(' | ');
  };
  assert.match(await written(loop('f"https://shop.test/cart/add/{i}"')), /ordered-effect: `requests\.get\(\)` asks the server to change its state \(`add`\)/);
  assert.match(await written(loop('"https://panel.test/api"', ', params={"cmd": "delete", "id": i}')), /ordered-effect: `requests\.get\(\)` asks the server to change its state \(`cmd=delete`\)/);
  const plain = await doubts(loop('f"https://api.test/users/{i}/settings"'));
  assert.doesNotMatch(plain.doubts, /names an action/);
  assert.equal(plain.safe, true);
});

test('writes to one descriptor or to the standard streams\' buffers are ordered effects; a loop under `if False:` never runs', async () => {
  const pty = ['import os', 'import time', '', '', 'def type_url(master, url):', '    for ch in url:', '        os.write(master, ch.encode())', '        time.sleep(0.12)', ''].join('\n');
  assert.match(reasons(await linted(pty), 6).join('\n'), /^ordered-effect: `os\.write\(\)` produces output whose order/m);
  const bytes = ['import sys', 'import time', '', '', 'def slow_line(data):', '    for b in data:', '        sys.stdout.buffer.write(bytes([b]))', '        time.sleep(0.01)', ''].join('\n');
  assert.match(reasons(await linted(bytes), 6).join('\n'), /^ordered-effect: `sys\.stdout\.buffer\.write\(\)`/m);
  const off = [...HEAVY, 'if False:', '    out = []', '    for x in range(100):', '        out.append(heavy(x))', ''].join('\n');
  const result = await linted(off);
  assert.equal(result.findings.length, 0);
  assert.match(reasons(result, 13).join('\n'), /^unreached: the loop sits under `if False:` \(line 11\)/m);
});

test('terms of a z3 solver cannot come back from a worker process: no process-pool fix is offered for them', async () => {
  const source = ['import z3', '', '', 'def lcg(i):', '    s = 0', '    for k in range(20000):', '        s = (s * 1103515245 + 12345 + i) % 2**31', '    return s', '', '', 'def constraints(xs):', '    smt = z3.Solver()', '    for i in range(64):', '        smt.add(xs[i] == lcg(i))', '    return smt', ''].join('\n');
  const result = await linted(source);
  const finding = result.findings.find((f) => f.span.startLine === 12);
  assert.ok(!finding || finding.fixes.every((f) => !/Process|multiprocessing/.test(f.title)), `no process-pool fix: ${finding?.fixes.map((f) => f.title).join(', ')}`);
  if (finding) assert.match(finding.blockers.join(' '), /z3 expression/);
});

test('"calls nothing known" names a method of an object held on self whose class is elsewhere (not seen), and not one of a class of this file', async () => {
  const elsewhere = ['from client import Conn', '', '', 'class Sync:', '    def __init__(self):', '        self.conn = Conn("u", "p")', '', '    def fetch(self, ids):', '        out = []', '        for i in ids:', '            out.append(self.conn.get_summary(i))', '        return out', ''].join('\n');
  const said = reasons(await linted(elsewhere), 10).join('\n');
  assert.match(said, /what `self\.conn\.get_summary\(\)` does is not seen \(a method of an object whose class is not in this file\)/);
  const here = ['class Conn:', '    def get_summary(self, i):', '        return {"id": i}', '', '', 'class Sync:', '    def __init__(self):', '        self.conn = Conn()', '', '    def fetch(self, ids):', '        out = []', '        for i in ids:', '            out.append(self.conn.get_summary(i))', '        return out', ''].join('\n');
  assert.doesNotMatch(reasons(await linted(here), 12).join('\n'), /is not seen/);
});

test('the main-guard fix says when a global the workers read is assigned before the guard and rebound inside it (spawned workers see the first value)', async () => {
  const source = ['from multiprocessing import Pool', '', 'found = "flag{"', '', '', 'def probe(c):', '    return found + c', '', '', 'while len(found) < 8:', '    with Pool(2) as p:', '        tries = p.map(probe, "abc")', '    found = tries[0]', 'print(found)', ''].join('\n');
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 11, 'PAR403');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  assert.equal(outcome.applicability, 'unsafe');
  assert.match(outcome.doubts.join(' '), /`found` is assigned before the new `if __name__ == "__main__":` guard and again inside it: a worker started by spawn imports the module and reads the first value/);
});

test('the main-guard fix is not offered when a worker reads a global only the guarded code assigns (a spawned worker would raise NameError)', async () => {
  const source = ['import sys', 'from multiprocessing import Pool', '', '', 'def work(x):', '    return SCALE * x', '', '', 'if len(sys.argv) > 1:', '    SCALE = int(sys.argv[1])', 'else:', '    SCALE = 2', 'with Pool(2) as p:', '    print(p.map(work, range(10)))', ''].join('\n');
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 13, 'PAR403');
  assert.equal(outcome.ok, false);
  assert.match(outcome.ok ? '' : outcome.reason, /the worker `work` reads the global `SCALE`, which the new `if __name__ == "__main__":` guard would take in/);
});

test('an AWS API call whose name says it reads or analyses (detect_labels, translate_text) is not doubted as changing the service', async () => {
  const source = ['import boto3', '', 'rekognition = boto3.client("rekognition")', '', '', 'def labels(keys):', '    out = []', '    for key in keys:', '        out.append(rekognition.detect_labels(Image={"S3Object": {"Bucket": "b", "Name": key}}, MaxLabels=10))', '    return out', ''].join('\n');
  const result = await linted(source);
  const finding = result.findings.find((f) => f.code === 'PAR201');
  assert.ok(finding, 'reported');
  assert.doesNotMatch(finding.doubts.join(' '), /changes the service's state/);
});

test('the main-guard fix is not offered when the worker is defined inside the module-level statement that starts the processes', async () => {
  const source = ['import multiprocessing as mp', '', 'for batch in range(3):', '    def work(out, n):', '        out.append(n * batch)', '', '    manager = mp.Manager()', '    out = manager.list()', '    procs = [mp.Process(target=work, args=(out, i)) for i in range(4)]', '    for p in procs:', '        p.start()', '    for p in procs:', '        p.join()', '    print(sorted(out))', ''].join('\n');
  const result = await linted(source);
  const finding = result.findings.find((f) => f.code === 'PAR403');
  assert.ok(finding, 'PAR403 is reported');
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, finding.span.startLine + 1, 'PAR403');
  assert.equal(outcome.ok, false);
  assert.match(outcome.ok ? '' : outcome.reason, /the worker `work` is defined inside the module-level `for` \(line 3\)/);
});

test('making a requests.Session (or an adapter) sends nothing: it is no I/O evidence', async () => {
  const source = ['import requests', '', '', 'def sessions(keys):', '    out = []', '    for k in keys:', '        s = requests.Session()', '        s.mount("https://", requests.adapters.HTTPAdapter(max_retries=3))', '        out.append(s)', '    return out', ''].join('\n');
  const result = await linted(source);
  const loop = result.analysis.loops.find((l) => l.line === 6)!;
  assert.ok(!loop.evidence.some((e) => /requests\.(Session|adapters)/.test(e.what)), JSON.stringify(loop.evidence));
});

test('a coroutine started by asyncio.run inside a plain function, or named like a module its file imports from, is the only task of its event loop: its blocking calls stall nobody', async () => {
  const inFunction = ['import asyncio', 'import argparse', 'import requests', '', '', 'async def translate(path):', '    return requests.get(path, timeout=5).text', '', '', 'def main():', '    args = argparse.ArgumentParser().parse_args()', '    asyncio.run(translate("out.txt"))', '', '', 'if __name__ == "__main__":', '    main()', ''].join('\n');
  assert.deepEqual((await linted(inFunction)).findings.filter((f) => f.code === 'PAR203'), []);
  const dotted = ['import asyncio', 'import requests', 'from tool.main import helper', '', '', 'async def main():', '    return requests.get(helper(), timeout=5).text', '', '', 'if __name__ == "__main__":', '    asyncio.run(main())', ''].join('\n');
  assert.deepEqual((await linted(dotted)).findings.filter((f) => f.code === 'PAR203'), []);
  // beside another task it does stall something
  const withTask = inFunction.replace('    asyncio.run(translate("out.txt"))', '    asyncio.run(translate("out.txt"))\n\n\nasync def both():\n    await asyncio.gather(translate("a"), asyncio.create_task(translate("b")))');
  assert.ok((await linted(withTask)).findings.some((f) => f.code === 'PAR203'));
});

test('a lambda parameter is what its caller passes, and `BASE / "dir"` is a path: neither is an object every iteration shares; a reason reached twice is listed once', async () => {
  const source = [
    'import time',
    'import requests',
    'from config import BASE',
    '',
    'DOWNLOADS = BASE / "downloads"',
    '',
    '',
    'def fetch(name):',
    '    requests.get(f"https://x.test/{name}", timeout=5)',
    '    print("got", name)',
    '    files = list(DOWNLOADS.glob("*.zip"))',
    '    print("done")',
    '    return max(files, key=lambda p: p.stat().st_mtime)',
    '',
    '',
    'def run(names, log):',
    '    for name in names:',
    '        fetch(name)',
    '        log.write(name)',
    '        print(name)',
    '',
  ].join('\n');
  const result = await linted(source);
  const all = reasons(result, 17).join('\n');
  assert.doesNotMatch(all, /stream's position/, all);
  // (the stream handed in is written by the parent, in input order: no reason of its own — session 47)
  assert.doesNotMatch(all, /log\.write/);
  const hover = explainRejected(result.analysis.loops.find((l) => l.line === 17)!);
  const printed = hover.split('\n').filter((l) => /`print\(\)` produces output/.test(l));
  assert.equal(printed.length, 1, hover);
});

test('making sure a shared directory exists (`os.makedirs(d, exist_ok=True)`, `path.mkdir(exist_ok=True)`) is no write two items may collide on', async () => {
  const source = ['import os', 'from pathlib import Path', '', 'import requests', '', '', 'def save_all(names, out):', '    for name in names:', '        os.makedirs(out, exist_ok=True)', '        Path(out).mkdir(parents=True, exist_ok=True)', '        data = requests.get(f"https://x.test/{name}", timeout=5).content', '        with open(os.path.join(out, f"{name}.bin"), "wb") as f:', '            f.write(data)', ''].join('\n');
  const loop = (await linted(source)).analysis.loops.find((l) => l.line === 8)!;
  assert.deepEqual(loop.rejections, []);
  assert.ok(!loop.doubts.some((d) => /mkdir|makedirs/.test(d.message)), JSON.stringify(loop.doubts));
});

test('a call through a name bound to a lambda in the loop is not said to be "defined elsewhere"', async () => {
  const source = ['import random', 'import time', '', 'import requests', '', '', 'def crawl(pages):', '    out = []', '    for page in pages:', '        pause = lambda: 2 + random.random()', '        out.append(requests.get(page, timeout=5).text)', '        time.sleep(pause())', '    return out', ''].join('\n');
  const loop = (await linted(source)).analysis.loops.find((l) => l.line === 9)!;
  const said = [...loop.doubts.map((d) => d.message), ...loop.rejections.map((r) => r.message)].join('\n');
  assert.doesNotMatch(said, /`pause\(\)` does \(defined elsewhere\)/, said);
  assert.match(said, /the lambda `pause` \(line 10\)/, said);
});

test('a library function the tool has no summary of is named with its library, imported at the top or in an enclosing function, not "defined elsewhere"', async () => {
  for (const [top, inner] of [['import numpy as np', ''], ['', '    import numpy as np']]) {
    const source = [top, '', '', 'def main(paths):', inner, '', '    def score(path):', '        return np.genfromtxt(path).sum()', '', '    results = []', '    for path in paths:', '        results.append(score(path))', '    return results', ''].join('\n');
    const loop = (await linted(source)).analysis.loops.find((l) => l.line === 11)!;
    const said = [...loop.doubts.map((d) => d.message), ...loop.rejections.map((r) => r.message)].join('\n');
    assert.match(said, /`np\.genfromtxt\(\)` (?:costs|does) \(a function of `numpy` the tool has no summary of\)/, said);
    assert.doesNotMatch(said, /defined elsewhere/, said);
  }
});

test('a lazy iterator of the library (`map(…)`) kept unconsumed is not called a generator function', async () => {
  const source = [...HEAVY, 'def run(items):', '    out = []', '    for n in items:', '        out.append(map(str, [heavy(n)]))', '    return out', ''].join('\n');
  const said = reasons(await linted(source), 13).join('\n');
  assert.match(said, /`map\(\)` \(line 14\) returns a lazy iterator/, said);
  assert.doesNotMatch(said, /generator function/, said);
});

test("an item's own attribute set from a value computed on it is a result the parent sets; where that value's code reads the attribute, the fix is unsafe and says why", async () => {
  const source = [...HEAVY, 'def score(ind):', '    return heavy(ind.size) + (ind.fitness or 0)', '', '', 'def run(population):', '    for ind in population:', '        ind.fitness = score(ind)', ''].join('\n');
  const loop = (await linted(source)).analysis.loops.find((l) => l.line === 16)!;
  assert.deepEqual(loop.rejections, []);
  assert.ok(loop.doubts.some((d) => /the parent sets `ind\.fitness` \(line 17\) only after every value is computed/.test(d.message)), JSON.stringify(loop.doubts));
  const plain = (await linted(source.replace(' + (ind.fitness or 0)', ''))).analysis.loops.find((l) => l.line === 16)!;
  assert.deepEqual(plain.rejections, []);
  assert.ok(!plain.doubts.some((d) => /the parent sets/.test(d.message)), JSON.stringify(plain.doubts));
});

test('`from builtins import str` (a Python 2 compatibility import) names the builtin: no doubt about what `str()` does (round 30)', async () => {
  const source = ['from builtins import str', '', 'import requests', '', '', 'def names(ids):', '    out = []', '    for i in ids:', '        out.append(str(requests.get(f"https://x.test/{i}", timeout=5).json()["name"]))', '    return out', ''].join('\n');
  const loop = (await linted(source)).analysis.loops.find((l) => l.line === 8)!;
  assert.ok(!loop.doubts.some((d) => /`str\(\)`/.test(d.message)), JSON.stringify(loop.doubts));
});

test('a comprehension in the header of a compound statement (`if all(… for u in urls):`) is reported with no fix, and says why; the same comprehension in a plain statement keeps its fix (round 31: a fix counted by `check` that `fix` refused)', async () => {
  const source = ['import requests', '', '', 'def all_ok(urls):', '    if all(requests.get(u, timeout=10).ok for u in urls):', '        return True', '    return False', '', '', 'def statuses(urls):', '    return [requests.get(u, timeout=10).status_code for u in urls]', ''].join('\n');
  const findings = (await linted(source)).findings.filter((f) => f.code === 'PAR201');
  const header = findings.find((f) => f.span.startLine + 1 === 5)!;
  assert.deepEqual(header.fixes, []);
  assert.ok(header.blockers.some((b) => /sits in the header of a compound statement/.test(b)), header.blockers.join('\n'));
  const plain = findings.find((f) => f.span.startLine + 1 === 11)!;
  assert.ok(plain.fixes.length > 0);
});

test('a Python loop over a few parts of a fetched page, under a tenth of the wait even at a common size, is not evidence of CPU-bound work: no "besides computing", no GIL caveat (round 32); a loop doing real arithmetic beside the request still is', async () => {
  const crawl = [
    'import requests',
    '',
    '',
    'def crawl(seeds):',
    '    out = []',
    '    for seed in seeds:',
    '        html = requests.get(seed, timeout=10).text',
    '        for i, part in enumerate(html.split("<span>")):',
    '            out.append(seed + "&page=" + str(i + 1))',
    '    return out',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(crawl);
  tree.delete();
  const finding = result.findings.find((f) => f.code === 'PAR201');
  assert.ok(finding);
  assert.doesNotMatch(finding.message, /besides computing/);
  const hover = explainFinding(finding, 1000);
  assert.match(hover, /parallelizable, I\/O-bound/);
  assert.doesNotMatch(hover, /\*\*GIL:\*\*/);
  const heavy = crawl.replace('            out.append(seed + "&page=" + str(i + 1))', '            out.append(sum(j * j % 7 for j in range(200_000)))');
  const second = await lintSource(heavy);
  second.tree.delete();
  const kept = second.result.analysis.loops.find((l) => l.line === 6);
  assert.ok(kept?.evidence.some((e) => e.kind === 'cpu'), JSON.stringify(kept?.evidence));
});

test('a local a helper binds under the name of a module function is not a call of that function: no "calls back into" (round 34: `cost += x` in `gascost`, beside the view `cost`)', async () => {
  const source = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'analysis', 'd88_local_named_like_a_function.py'), 'utf8');
  const { tree, result } = await lintSource(source);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.function?.childForFieldName('name')?.text === 'cost');
  assert.ok(loop);
  assert.deepEqual(loop.rejections.filter((r) => r.kind === 'recursion'), []);
  assert.ok(loop.rejections.some((r) => r.kind === 'shared-state'));
});

test('NumPy array functions whose value is used are no doubt about what they change (round 34: six "cannot see what `np.where()` does" on one true finding); handed `out=`, one still is', async () => {
  const source = [
    'import numpy as np',
    '',
    '',
    'def regress(trials, bins):',
    '    s = 0.0',
    '    for k in range(300_000):',
    '        s += (k * trials) % 7',
    '    x = np.where(np.arange(bins) > 2, 1.0, 0.0)',
    '    return float(np.mean(np.tile(x, 3))) + s',
    '',
    '',
    'def run(subjects):',
    '    out = []',
    '    for trials in range(subjects):',
    '        out.append(regress(trials, 8))',
    '    return out',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === 14);
  assert.ok(loop);
  assert.deepEqual(loop.doubts.filter((d) => /np\.(where|arange|mean|tile)/.test(d.message)), []);
  const written = await lintSource(source.replace('    return float(np.mean(np.tile(x, 3))) + s', '    y = np.add(x, 1.0, out=x)\n    return float(np.mean(np.tile(y, 3))) + s'), REWRITE_CONFIG);
  written.tree.delete();
  assert.ok(written.result.analysis.loops.find((l) => l.line === 15)?.doubts.some((d) => /np\.add/.test(d.message)));
});

test('a loop whose only calls are to a library the tool has no summary of says so, instead of "calls nothing CPU-heavy" (round 34: k-means and ARIMA fits per parameter)', async () => {
  const source = ['from sklearn.cluster import KMeans', '', '', 'def sweep(data, ks):', '    scores = []', '    for k in ks:', '        scores.append(KMeans(n_clusters=k, n_init=10).fit(data).inertia_)', '    return scores', ''].join('\n');
  const { tree, result } = await lintSource(source);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === 6);
  const said = loop?.rejections.find((r) => r.kind === 'no-heavy-work');
  assert.ok(said, JSON.stringify(loop?.rejections));
  assert.match(said.message, /what `KMeans\(\)` costs \(a function of `sklearn` the tool has no summary of\) is not known/);
  assert.doesNotMatch(said.remedy, /min-speedup/);
});

test('a thread-pool loop whose work is OpenCV decoding and resizing, with only path checks as waits, is headlined by the computing, not by `os.path.isfile` (round 37: 4K frames); a loop that really reads files keeps "block on I/O"', async () => {
  const source = [
    'import os',
    'import urllib.request',
    '',
    'import cv2',
    '',
    '',
    'def grey(paths, out_dir):',
    '    done = []',
    '    for path in paths:',
    '        if not os.path.isfile(path):',
    '            continue',
    '        img = cv2.imread(path)',
    '        small = cv2.resize(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), (960, 540))',
    '        cv2.imwrite(os.path.join(out_dir, os.path.basename(path)), small)',
    '        done.append(path)',
    '    return done',
    '',
    '',
    'def sizes(urls):',
    '    out = []',
    '    for url in urls:',
    '        if os.path.isfile(url):',
    '            continue',
    '        out.append(len(urllib.request.urlopen(url, timeout=10).read()))',
    '    return out',
    '',
    '',
    'if __name__ == "__main__":',
    '    frames = [f"frame{i:05d}.png" for i in range(2000)]',
    '    print(grey(frames, "out"), sizes(frames))',
    '',
  ].join('\n');
  const result = await linted(source);
  const messages = new Map(result.findings.map((f) => [f.span.startLine + 1, f.message]));
  assert.match(messages.get(9) ?? '', /compute in library code that lets other threads run \(`cv2\.\w+`\), besides checking files \(`os\.path\.isfile`\)/);
  assert.match(messages.get(21) ?? '', /block on I\/O \(`urllib\.request\.urlopen`\)/);
});

test('a value folded once per pass of an inner loop that reads a file in that pass is no cheap replay: the pass does the work (round 39: result readers calling `read_csv` per run); folds of arithmetic alone still are', async () => {
  const source = [
    'import pandas as pd',
    '',
    '',
    'def collect(configs, n_run):',
    '    data = []',
    '    for index, beta in configs:',
    '        for run in range(n_run):',
    '            csv = pd.read_csv(f"raw/{run + index * 1000}.txt", sep="\\t", header=None)',
    '            data.append(csv.iloc[120, [10, 12]].to_list() + [beta])',
    '    return data',
    '',
    '',
    'def grid(xs, ys):',
    '    best = []',
    '    for x in xs:',
    '        for y in ys:',
    '            best.append(x * y + x - y)',
    '    return best',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.ok(!reasons(result, 6).some((r) => /folds a value once per pass/.test(r)), reasons(result, 6).join('\n'));
  assert.ok(reasons(result, 15).some((r) => /folds a value once per pass of the inner loop at line 16, and no work the code shows/.test(r)), reasons(result, 15).join('\n'));
});

test('a call of a class imported relatively (`from .last_message import LastMessage`) is the project\'s code, not a library "of ``" (round 40: a drone telemetry reader)', async () => {
  const source = ['from .last_message import LastMessage', '', '', 'def reload(files, msgs):', '    for f in files:', '        lm = LastMessage.build_csv(f)', '        msgs[f.name] = lm', '    return msgs', ''].join('\n');
  const result = await linted(source);
  const all = reasons(result, 5);
  assert.ok(all.length > 0);
  assert.ok(!all.some((r) => /a function of `[^`]*` the tool has no summary of/.test(r) && /of ``/.test(r)), all.join('\n'));
  assert.ok(!all.some((r) => /\(a function of `\.?last_message`/.test(r)), all.join('\n'));
});

test('a filter testing an object whose method the body only calls says the object may change, not that it does; an assignment to it changes it (round 40: a benchmark loop formatting its prompt through `self`)', async () => {
  const source = [
    ...HEAVY,
    'class Bench:',
    '    def run(self, questions):',
    '        out = []',
    '        for q in questions:',
    '            prompt = self.render(q)',
    '            if self.use_cache and prompt in CACHE:',
    '                continue',
    '            out.append(heavy(len(prompt)))',
    '        return out',
    '',
    '    def count(self, questions):',
    '        out = []',
    '        for q in questions:',
    '            self.seen = q',
    '            if self.use_cache and q in CACHE:',
    '                continue',
    '            out.append(heavy(len(q)))',
    '        return out',
    '',
  ].join('\n');
  const result = await linted(source);
  assert.ok(reasons(result, 14).some((r) => /depends on `self`, whose method the body calls at line 15, which may change it/.test(r)), reasons(result, 14).join('\n'));
  assert.ok(reasons(result, 23).some((r) => /depends on `self`, which the body changes at line 24/.test(r)), reasons(result, 23).join('\n'));
});

test('a loop writing an image per item is not "no effect known", nor said to act only through `os.path.join` (round 40: a plot finder saving quality images)', async () => {
  const source = ['import os', '', 'import cv2 as cv', '', '', 'def save_all(images, names, out_dir):', '    for e in range(len(images)):', '        path = os.path.join(out_dir, f"{names[e]}.jpg")', '        cv.imwrite(path, images[e])', ''].join('\n');
  const all = reasons(await linted(source), 7);
  assert.ok(!all.some((r) => /no effect is known|acts only through `os\.path\.join\(\)`/.test(r)), all.join('\n'));
});

test("a loop drawing from NumPy's global generator is told to give each iteration its own NumPy generator, one drawing from `random`'s its own `random.Random` (round 42: a NumPy random walk told to use `random.Random`)", async () => {
  const walk = (draw: string) => ['import random', 'import numpy as np', '', '', 'def walk(n):', '    pos = 0.0', '    for _ in range(20000):', `        pos += ${draw}`, '    return pos', '', '', 'def sweep(gaps):', '    out = []', '    for g in gaps:', '        out.append(walk(g))', '    return out', ''].join('\n');
  const numpy = reasons(await linted(walk('np.random.uniform(-1, 1)')), 14);
  assert.ok(numpy.some((r) => /np\.random\.default_rng\(seed_of\(item\)\)/.test(r)), numpy.join('\n'));
  const plain = reasons(await linted(walk('random.uniform(-1, 1)')), 14);
  assert.ok(plain.some((r) => /random\.Random\(seed_of\(item\)\)/.test(r)), plain.join('\n'));
});

test("a blocking client call in a coroutine is said to wait on what its client reaches: a Google API request is not SQL on a sqlite3 connection, and yt-dlp's `extract_info` fetches a page (round 53: the bots' real stall, missed)", async () => {
  const google = ['import asyncio', 'from googleapiclient.discovery import build', '', '', 'async def handler(file_id):', '    service = build("drive", "v3")', '    return service.files().get(fileId=file_id).execute()', ''].join('\n');
  const stall = (await linted(google)).findings.find((f) => f.code === 'PAR203');
  assert.ok(stall, 'the Google request blocks the loop');
  const said = explainFinding(stall, 16);
  assert.match(said, /sends the Google API request/);
  assert.doesNotMatch(said, /sqlite3|SQL/);
  const quiet = ['import asyncio', 'import yt_dlp', '', '', 'async def title(url):', '    with yt_dlp.YoutubeDL({"quiet": True}) as ydl:', '        info = ydl.extract_info(url, download=False)', '    return info["title"]', '', '', 'async def main(urls):', '    return await asyncio.gather(*(title(u) for u in urls))', ''].join('\n');
  const found = (await linted(quiet)).findings.find((f) => f.code === 'PAR203');
  assert.equal(found?.span.startLine, 6);
  assert.match(explainFinding(found!, 16), /yt-dlp downloader .* fetches the page/);
  assert.equal(found!.fixes[0]?.applicability, 'safe');
  // not told to be quiet, yt-dlp prints its progress from the thread while other tasks print
  const loud = (await linted(quiet.replace('{"quiet": True}', '{}'))).findings.find((f) => f.code === 'PAR203');
  assert.equal(loud?.fixes[0]?.applicability, 'unsafe');
  assert.ok(loud!.doubts.some((d) => /prints its progress/.test(d)));
});

test('a lambda stored per item is made, not run: its body is no work of the loop, and `lambda x=x: …` binds the value, no late binding (round 54: Qt handlers and a probe of the judges)', async () => {
  const source = [...HEAVY, 'def handlers(items):', '    out = {}', '    for x in items:', '        out[x] = lambda x=x: heavy(x)', '    return out', '', '', 'def late(items):', '    out = {}', '    for x in items:', '        out[x] = lambda: heavy(x)', '    return out', ''].join('\n');
  const result = await linted(source);
  const bound = result.analysis.loops.find((l) => l.line === 13)!;
  assert.deepEqual(bound.evidence.map((e) => e.what), []);
  const said = reasons(result, 13).join('\n');
  assert.match(said, /collects a lambda: it cannot be pickled back/);
  assert.doesNotMatch(said, /late binding/);
  assert.match(reasons(result, 20).join('\n'), /late binding/);
});

test("a function named `test*` is a test only where a runner collects it (a test framework's module, a test class, a pytest function asserting): elsewhere it is the program's own check (round 55: a crawler's `test_unknown_routes`, a DNS agent's `test_dns_resolution`)", async () => {
  const probe = ['import subprocess', '', '', 'def test_scripts(paths):', '    codes = []', '    for path in paths:', '        codes.append(subprocess.run(["bash", "-n", path], capture_output=True).returncode)', '    return codes', ''].join('\n');
  // with the default settings, where the cost model weighs the loop
  const defaults = async (source: string) => {
    const { tree, result } = await lintSource(source);
    tree.delete();
    return reasons(result, 6);
  };
  assert.ok(!(await defaults(probe)).some((r) => /is in a test/.test(r)));
  const asserting = probe.replace('    return codes', '    assert not any(codes)');
  assert.ok((await defaults(asserting)).some((r) => /is in a test \(`test_scripts`\)/.test(r)));
});

test('a line printed once per pass of an inner loop is said to be printed again by the parent, not folded (round 55: "fold that into `print`")', async () => {
  const source = ['def table(a, b):', '    for k in range(a, b + 1):', '        print("-" * 40)', '        for i in range(1, 11):', '            print("{0} x {1} = {2}".format(k, i, k * i))', ''].join('\n');
  const said = reasons(await linted(source), 2).join('\n');
  assert.match(said, /prints once per pass of the inner loop at line 4/);
  assert.doesNotMatch(said, /folds a value|fold that into `print`/);
});

test('a function copying its argument before changing it (`state = list(state)`) does not change its argument; one changing it first does (round 55: a game\'s `next_state` said to change the board it was handed)', async () => {
  const source = [
    'def next_state(state, move):',
    '    state = list(state)',
    '    state[move] = 1',
    '    return tuple(state)',
    '',
    '',
    'def mark(state, move):',
    '    state[move] = 1',
    '    return state',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  try {
    const summaries = result.analysis.summaries;
    const fn = (name: string) => result.analysis.module.functions.get(name)!;
    assert.deepEqual([...summaries.get(fn('next_state')).mutatedParams], []);
    assert.deepEqual([...summaries.get(fn('mark')).mutatedParams], ['state']);
  } finally {
    tree.delete();
  }
});

test('a function calling itself again from its `except` handler retries: no "recursive arithmetic" evidence; recursion over the input still is (round 57)', async () => {
  const source = [
    'import time',
    'import urllib.request',
    '',
    '',
    'def run_query(url, counter=0):',
    '    time.sleep(counter * 10)',
    '    try:',
    '        with urllib.request.urlopen(url, timeout=10) as response:',
    '            return response.read()',
    '    except OSError:',
    '        if counter > 3:',
    '            raise',
    '        return run_query(url, counter=counter + 1)',
    '',
    '',
    'def depth_sum(node, depth=0):',
    '    total = depth * node["size"]',
    '    for child in node["children"]:',
    '        total += depth_sum(child, depth + 1)',
    '    return total',
    '',
    '',
    'def query_all(urls, trees):',
    '    pages = []',
    '    for url in urls:',
    '        pages.append(run_query(url))',
    '    sums = []',
    '    for tree in trees:',
    '        sums.append(depth_sum(tree))',
    '    return pages, sums',
    '',
  ].join('\n');
  const result = await linted(source);
  const loopAt = (line: number) => result.analysis.loops.find((l) => l.line === line)!;
  assert.ok(!loopAt(25).evidence.some((e) => e.kind === 'cpu'), JSON.stringify(loopAt(25).evidence));
  assert.ok(loopAt(28).evidence.some((e) => e.kind === 'cpu'), JSON.stringify(loopAt(28).evidence));
});

test('a retry loop doubling the delay it sleeps (`retry_delay *= 2`) is a back-off, not "a loop doing arithmetic" (round 58: a helpdesk export)', async () => {
  const source = [
    'import time',
    'import requests',
    '',
    '',
    'def fetch(ticket_id):',
    '    retry_delay = 1',
    '    for attempt in range(5):',
    '        response = requests.get(f"https://example.com/tickets/{ticket_id}")',
    '        if response.status_code != 429:',
    '            return response.json()',
    '        time.sleep(retry_delay)',
    '        retry_delay *= 2',
    '    raise RuntimeError(ticket_id)',
    '',
    '',
    'def fetch_all(ids):',
    '    out = []',
    '    for ticket_id in ids:',
    '        out.append(fetch(ticket_id))',
    '    return out',
    '',
  ].join('\n');
  const result = await linted(source);
  const loop = result.analysis.loops.find((l) => l.line === 18)!;
  assert.ok(loop.evidence.some((e) => e.kind === 'io'), JSON.stringify(loop.evidence));
  assert.ok(!loop.evidence.some((e) => e.kind === 'cpu'), JSON.stringify(loop.evidence));
});
