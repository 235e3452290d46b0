// The reasons, doubts and risks the real-world audit found false (test/realworld/AUDIT.md, classes E11–E21, R01–R07,
// M01), on self-written snippets: what the hover says of each loop must be true of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, explainLine, fixText } from '../../server/src/linter';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText } from '../../server/src/parser';
import { python2Statement } from '../../server/src/syntax';
import { SyntaxTree } from '../../server/src/tree';
import { FIXTURES, getParser, lintSource, REWRITE_CONFIG } from '../support/harness';

// The audit's classes on excerpts: the cost model is not asked.
/** The hover text for the loop (or finding) on 1-based `line`, and the loop's facts. */
async function hover(source: string, line: number) {
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  try {
    const text = explainLine(result, line - 1, REWRITE_CONFIG.minIterations) ?? '';
    const loop = result.analysis.loops.find((l) => l.line === line);
    const finding = result.findings.find((f) => f.span.startLine === line - 1);
    return { text, loop, finding, findings: result.findings };
  } finally {
    tree.delete();
  }
}

const lines = (...l: string[]) => l.join('\n') + '\n';

test('E11: a child process writing to the inherited stdout is an ordered effect, named as such', async () => {
  const source = lines(
    'import subprocess',
    '',
    'def run_all(names):',
    '    for name in names:',
    '        subprocess.call(["sh", "-c", f"echo {name}"])',
  );
  const { loop, text } = await hover(source, 4);
  const rejection = loop?.rejections.find((r) => r.kind === 'ordered-effect');
  assert.ok(rejection, text);
  assert.match(rejection.message, /standard output \(it is neither captured nor redirected\).*interleave/);
  assert.match(rejection.remedy, /capture_output=True/);
  assert.doesNotMatch(text, /generator/);
});

test('E14: one regex per item says so, rather than "nothing known to be CPU-heavy"', async () => {
  const source = lines('import re', '', 'def tidy_all(messages):', '    out = []', '    for m in messages:', '        out.append(re.sub(r"\\s+", " ", m))', '    return out');
  const { loop } = await hover(source, 5);
  const rejection = loop?.rejections.find((r) => r.kind === 'no-heavy-work');
  assert.ok(rejection);
  assert.match(rejection.message, /the only work is `re\.sub` \(line 6\), once per item/);
});

test('E18: a loop in a method that calls itself through self names the method', async () => {
  const source = lines(
    'class Trie:',
    '    def words(self, node):',
    '        found = []',
    '        for ch, child in node.items():',
    '            found.extend([ch + w for w in self.words(child)])',
    '        return found',
  );
  const { loop } = await hover(source, 4);
  const rejection = loop?.rejections.find((r) => r.kind === 'recursion');
  assert.ok(rejection);
  assert.match(rejection.message, /calls back into `words`, the method it is in/);
});

test('E19: the mkdir race names the call and the exception, with the exist_ok remedy; no "cannot see os.mkdir" doubt', async () => {
  const source = lines(
    'import os',
    'import shutil',
    '',
    'def folder_for(dest, name):',
    '    folder = os.path.join(dest, os.path.splitext(name)[1] or "none")',
    '    if not os.path.exists(folder):',
    '        os.mkdir(folder)',
    '    return folder',
    '',
    'def sort_files(names, dest):',
    '    for name in names:',
    '        shutil.copy(name, folder_for(dest, name))',
  );
  const { loop, text } = await hover(source, 11);
  const rejection = loop?.rejections.find((r) => r.kind === 'shared-state');
  assert.ok(rejection, text);
  assert.match(rejection.message, /`os\.mkdir\(folder\)` creates a directory whose path is not the item's own.*FileExistsError/);
  assert.match(rejection.remedy, /exist_ok=True/);
  assert.doesNotMatch(text, /cannot see what `os\.mkdir\(\)` does/);
});

test('E20: a reader built before the loop is named, with where it was built', async () => {
  const source = lines(
    'from pypdf import PdfReader',
    '',
    'def pages_to_text(path, count):',
    '    reader = PdfReader(path)',
    '    for i in range(count):',
    '        text = reader.pages[i].extract_text()',
    '        with open(f"page{i}.txt", "w") as out:',
    '            out.write(text)',
  );
  const { loop } = await hover(source, 5);
  const rejection = loop?.rejections.find((r) => r.kind === 'shared-state');
  assert.ok(rejection);
  assert.match(rejection.message, /^`reader` is built once before the loop from a file or stream \(`PdfReader\(path\)`, line 4\)/);
  assert.match(rejection.message, /reader\.pages\[i\]\.extract_text\(\)/);
});

test('E21: PAR406 for processes names ProcessPoolExecutor, and a constant table of targets is not unbounded', async () => {
  const source = lines(
    'import multiprocessing',
    '',
    'MODES = {"a": ("x", "y"), "b": ("x", "y", "z")}',
    '',
    'def work(mode):',
    '    return sum(range(10**6))',
    '',
    'def start(key, modes):',
    '    for mode in MODES[key]:',
    '        multiprocessing.Process(target=work, args=(mode,)).start()',
    '    for mode in modes:',
    '        multiprocessing.Process(target=work, args=(mode,)).start()',
  );
  const { findings } = await hover(source, 10);
  const par406 = findings.filter((f) => f.code === 'PAR406');
  assert.deepEqual(
    par406.map((f) => f.span.startLine + 1),
    [12],
  );
  assert.match(par406[0].risk?.explanation ?? '', /ProcessPoolExecutor/);
  assert.doesNotMatch(par406[0].risk?.explanation ?? '', /ThreadPoolExecutor/);
});

test('E21: one process per entry of a table of class constants, chosen by key (`range(len(chosen))`), is bounded', async () => {
  const source = lines(
    'import multiprocessing',
    '',
    'class Sets:',
    '    DIGITS = ("0123456789",)',
    '    LETTERS = ("abc", "ABC")',
    '',
    'def work(charset):',
    '    return sum(range(10**6))',
    '',
    'def start(key):',
    '    table = {"1": Sets.DIGITS, "2": Sets.LETTERS}',
    '    chosen = table[key]',
    '    for i in range(len(chosen)):',
    '        multiprocessing.Process(target=work, args=(chosen[i],)).start()',
  );
  const { findings } = await hover(source, 13);
  assert.deepEqual(findings.filter((f) => f.code === 'PAR406').map((f) => f.span.startLine + 1), []);
});

test('H02: the PAR407 fix names its list `futures` when `futures` is only an attribute (`concurrent.futures`)', async () => {
  const source = lines(
    'import concurrent.futures',
    '',
    'def run(jobs):',
    '    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:',
    '        for job in jobs:',
    '            executor.submit(job.run)',
  );
  const outcome = fixText(source, await getParser(), DEFAULT_LINT_CONFIG, 6, 'PAR407', 0);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  assert.match(outcome.text, /\bfutures = \[/);
  assert.doesNotMatch(outcome.text, /futures_2/);
});

test('E08: a write through an ORM model names the model; the race of a check is named only when the loop checks', async () => {
  const source = lines(
    'from shop.database import Order',
    'from shop.models import Customer',
    '',
    'def cancel(numbers):',
    '    for number in numbers:',
    '        Order.delete().where(Order.number == number).execute()',
    '',
    'def add(feed):',
    '    for entry in feed:',
    '        if not Customer.objects.filter(email=entry.email).exists():',
    '            Customer(email=entry.email).save()',
  );
  const first = (await hover(source, 5)).loop?.rejections.find((r) => r.kind === 'shared-state');
  assert.ok(first);
  assert.match(first.message, /writes through the ORM model `Order` \(from `shop\.database`\)/);
  assert.doesNotMatch(first.message, /check/);
  const second = (await hover(source, 9)).loop?.rejections.find((r) => r.kind === 'shared-state');
  assert.ok(second);
  assert.match(second.message, /the check before the write \(`Customer\.objects\.filter\(email=entry\.email\)\.exists\(\)`, line 10\) can race/);
});

test('a model of a machine-learning library saved to a file (`lda_model.save(path)` of gensim\'s `LdaModel`, a Keras model) is no ORM write (round 65: an LDA sweep over topic counts said to write one database)', async () => {
  const source = lines(
    'from gensim.models import LdaModel',
    'from keras.models import Sequential',
    '',
    'def sweep(corpus, counts, out):',
    '    for k in counts:',
    '        lda_model = LdaModel(corpus=corpus, num_topics=k, passes=20)',
    '        lda_model.save(out + f"lda_k{k}")',
    '',
    'def nets(layers, out):',
    '    for n in layers:',
    '        net = Sequential()',
    '        net.save(out + f"net{n}.keras")',
  );
  for (const line of [5, 10]) {
    const loop = (await hover(source, line)).loop;
    assert.ok(loop);
    assert.ok(!loop.rejections.some((r) => /ORM model/.test(r.message)), loop.rejections.map((r) => r.message).join('\n'));
  }
});

test('R01: no doubt about a builtin exception or a parameter annotated with a picklable type', async () => {
  const source = lines(
    'import hashlib',
    '',
    'def decode(text, key):',
    '    if key <= 0:',
    '        raise ValueError("key must be positive")',
    '    return hashlib.pbkdf2_hmac("sha256", text.encode(), str(key).encode(), 200000).hex()',
    '',
    'def crack(text: str, keys: list[int], salt: bytes | None = None):',
    '    guesses = {}',
    '    for key in keys:',
    '        guesses[key] = decode(text, key)',
    '    return guesses',
  );
  const { finding, text } = await hover(source, 10);
  assert.equal(finding?.code, 'PAR101', text);
  assert.deepEqual(finding.doubts, []);
  assert.equal(finding.fixes[0].applicability, 'safe');
});

test('R02: a file named after the index raises no "different file" doubt; one named after a part of the item does', async () => {
  const source = lines(
    'import base64',
    '',
    'def dump(blobs, folder):',
    '    for index, blob in enumerate(blobs):',
    '        with open(f"{folder}/img-{index}.png", "wb") as out:',
    '            out.write(base64.b64decode(blob))',
    '',
    'def dump_by_kind(blobs, folder):',
    '    for name, blob in blobs:',
    '        with open(f"{folder}/img-{name[:3]}.png", "wb") as out:',
    '            out.write(base64.b64decode(blob))',
  );
  const own = await hover(source, 4);
  assert.ok(!own.text.includes('different file'), own.text);
  const shared = await hover(source, 9);
  assert.match(shared.text, /cannot prove that each iteration writes to a different file/);
});

test('R03: a reduction in an inner loop is recorded and replayed, not shared state: what is left is the cost, without the randomness remedy', async () => {
  const source = lines(
    'def shade(a, b, t):',
    '    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))',
    '',
    'def picture(size, top, bottom):',
    '    pixels = bytearray()',
    '    for y in range(size):',
    '        for x in range(size):',
    '            pixels.extend(shade(top, bottom, (x * y) / (size * size)))',
    '    return pixels',
  );
  const { loop, text } = await hover(source, 6);
  assert.ok(loop?.recordedFolds);
  assert.deepEqual(
    loop?.rejections.filter((r) => r.kind !== 'no-heavy-work' && r.kind !== 'not-worth-it'),
    [],
  );
  assert.doesNotMatch(text, /generator|random/);
});

test('R05: the ordering risk of a gather fix names gather, not map', async () => {
  const source = lines(
    'import asyncio',
    '',
    'async def fetch(session, url):',
    '    async with session.get(url) as r:',
    '        return await r.text()',
    '',
    'async def fetch_all(session, urls):',
    '    pages = []',
    '    for url in urls:',
    '        pages.append(await fetch(session, url))',
    '    return pages',
  );
  const { finding, text } = await hover(source, 9);
  assert.equal(finding?.code, 'PAR202', text);
  assert.match(text, /\*\*Ordering:\*\* `gather` returns the results in input order/);
  assert.doesNotMatch(text, /`map` yields/);
});

test('R06: with no fix offered, the hover does not promise that the fix adds a guard', async () => {
  const source = lines('def table(n):', '    def term(i):', '        return i if i < 2 else term(i - 1) + term(i - 2)', '    return [term(i) for i in range(n)]');
  const { finding, text } = await hover(source, 4);
  assert.ok(finding, text);
  assert.equal(finding.fixes.length, 0);
  assert.match(text, /__main__/);
  assert.doesNotMatch(text, /the fix adds that guard/);
  assert.doesNotMatch(text, /why the fix is marked unsafe/);
});

test('R07: os.system with `os` imported in the function is recognised (and its output is an ordered effect)', async () => {
  const source = lines('def fetch_all(urls):', '    import os', '    for url in urls:', '        os.system("wget -q {}".format(url))');
  const { loop, text } = await hover(source, 3);
  assert.ok(loop);
  assert.deepEqual(
    loop.rejections.map((r) => r.kind),
    ['ordered-effect'],
    text,
  );
  assert.equal(loop.workload, 'io');
  assert.match(loop.rejections[0].message, /^`os\.system\(\)` runs a command/);
});

test('M01: a counter stepped once per iteration numbers the items (the rewrite uses enumerate); one read on both sides of its step is named as a counter, with the enumerate remedy', async () => {
  const saveAll = [
    'import requests',
    '',
    'def save_all(urls):',
    '    counter = 0',
    '    for url in urls:',
    '        body = requests.get(url, timeout=10).content',
    '        with open("img" + str(counter) + ".jpg", "wb") as f:',
    '            f.write(body)',
    '        counter += 1',
  ];
  const { loop, text } = await hover(lines(...saveAll), 5);
  assert.deepEqual(loop?.rejections.map((r) => r.kind), [], text);
  assert.equal(loop?.counter?.name, 'counter');
  assert.equal(loop?.counter?.afterStep, false);
  // read again after its step: both sides
  const both = await hover(lines(...saveAll, '        print(counter)'), 5);
  assert.deepEqual(both.loop?.rejections.map((r) => r.kind), ['unsupported'], both.text);
  assert.match(both.loop!.rejections[0].message, /^`counter` counts the iterations \(`counter \+= 1` at line 9/);
  assert.match(both.loop!.rejections[0].remedy, /for counter, url in enumerate\(urls, start=counter\):/);
});

test('a counter stepped beside a collected result is numbering, not a reduction: PAR101, and the hover says the items are numbered (round 65: "feed the reduction into `random_state`")', async () => {
  const source = lines(
    'from gensim.models import LdaModel',
    '',
    'def sweep(corpus, dictionary, passes):',
    '    random_state = 0',
    '    models = []',
    '    for p in range(passes):',
    '        model = LdaModel(corpus, id2word=dictionary, num_topics=10, random_state=random_state)',
    '        models.append(model)',
    '        random_state += 1',
    '    return models',
  );
  const { loop, finding, text } = await hover(source, 6);
  assert.equal(loop?.counter?.name, 'random_state', text);
  assert.deepEqual(loop?.parentStatements.map((p) => p.target), ['models']);
  assert.equal(finding?.code, 'PAR101', text);
  assert.doesNotMatch(text, /reduction/);
  assert.match(text, /`random_state` only counts the iterations \(`random_state \+= 1`, line 9\): each item gets its number from `enumerate`/);
});

test('an archive member opened by name (`zf.open(name)`) is read, not "every iteration writes to the same file"; a name numbered through three assignments is each item\'s own file (round 67)', async () => {
  const zipped = lines(
    'import zipfile',
    '',
    'import pandas as pd',
    '',
    '',
    'def sizes(data):',
    '    out = []',
    '    with zipfile.ZipFile(data) as zf:',
    '        for name in zf.namelist():',
    '            with zf.open(name) as f:',
    '                out.append(len(pd.read_csv(f)))',
    '    return out',
  );
  const archive = await hover(zipped, 9);
  assert.ok(!archive.loop?.rejections.some((r) => /writes to the same file/.test(r.message)), archive.text);
  const numbered = lines(
    'from pathlib import Path',
    '',
    'import requests',
    '',
    '',
    'def download(url, path):',
    '    with open(path, "wb") as f:',
    '        f.write(requests.get(url, timeout=10).content)',
    '',
    '',
    'def load_images(links, save_path):',
    '    for num, link in enumerate(links, start=1):',
    '        image_name = Path(save_path).stem + "-" + str(num) + ".jpg"',
    '        image_file = save_path / image_name',
    '        download(link, image_file)',
  );
  const images = await hover(numbered, 12);
  assert.ok(!images.loop?.doubts.some((d) => /different file/.test(d.message)), images.text);
});

test('a folder bound before the loop and bound again from the item in it is the item\'s folder: no "not the item\'s own" race (round 67: one folder per Mars rover)', async () => {
  const source = lines(
    'import os',
    '',
    '',
    'def main(rovers):',
    '    path = "frontend/images/"',
    '    for rover in rovers:',
    '        path = "frontend/images/" + rover["name"] + "/"',
    '        if not os.path.exists(path):',
    '            os.makedirs(path)',
  );
  const { loop, text } = await hover(source, 6);
  assert.ok(!loop?.rejections.some((r) => /not the item's own/.test(r.message)), text);
  assert.ok(loop?.doubts.some((d) => /cannot prove that the directory `os\.makedirs\(path\)` creates is each item's own/.test(d.message)), text);
});

test('a download skipped when its file exists, the file named after the item: two items of one name are fetched once in order, maybe twice at once — a doubt; items of a set are distinct (round 67: two image URLs with one file name)', async () => {
  const source = (items: string) => lines(
    'import os',
    '',
    'import requests',
    '',
    '',
    'def download(names, urls, folder):',
    `    for name, url in ${items}:`,
    '        path = os.path.join(folder, name)',
    '        if not os.path.exists(path):',
    '            with open(path, "wb") as f:',
    '                f.write(requests.get(url, timeout=10).content)',
  );
  const listed = await hover(source('zip(names, urls)'), 7);
  assert.ok(listed.loop?.doubts.some((d) => /cannot prove that no two items name the same file `path`: the loop skips a file that exists \(line 9\)/.test(d.message)), listed.text);
  assert.equal(listed.finding?.fixes.every((f) => f.applicability === 'unsafe'), true);
  const distinct = await hover(source('set(zip(names, urls))'), 7);
  assert.ok(!distinct.loop?.doubts.some((d) => /no two items name the same file/.test(d.message)), distinct.text);
});

test('an inner loop reusing the outer loop\'s name: the next outer pass binds it first, so the inner value is not "read after the loop" (round 68)', async () => {
  const source = lines(
    'import requests',
    '',
    '',
    'def starts(pods):',
    '    for i in pods:',
    '        if i.namespace == "default":',
    '            for i in pods:',
    '                print(requests.get(i.url, timeout=5).status_code)',
  );
  const { loop, text } = await hover(source, 7);
  assert.ok(!loop?.rejections.some((r) => r.kind === 'live-out'), text);
  const after = await hover(lines(source.trimEnd(), '    print(i)'), 7);
  assert.ok(after.loop?.rejections.some((r) => r.kind === 'live-out'), after.text);
});

test('a loop awaiting a coroutine nested beside it that requests through a session it is handed is shown to wait; an aiohttp timeout object and a gzip stream over a BytesIO are no I/O (round 68)', async () => {
  const source = lines(
    'import asyncio',
    'import gzip',
    'import io',
    '',
    'import aiohttp',
    '',
    '',
    'def packed(data):',
    '    buf = io.BytesIO()',
    '    with gzip.GzipFile(fileobj=buf, mode="wb") as z:',
    '        z.write(data)',
    '    return buf.getvalue()',
    '',
    '',
    'async def main(codes):',
    '    async def fetch(session, code):',
    '        url = f"https://example.org/t?c={code}"',
    '        async with session.get(url, timeout=aiohttp.ClientTimeout(total=15)) as resp:',
    '            return len(packed((await resp.text()).encode()))',
    '',
    '    sizes = []',
    '    async with aiohttp.ClientSession() as session:',
    '        for code in codes:',
    '            sizes.append(await fetch(session, code))',
    '    return sizes',
  );
  const { finding, loop, text } = await hover(source, 23);
  assert.equal(finding?.code, 'PAR202', text);
  assert.ok(!loop?.evidence.some((e) => /ClientTimeout|\.write\(\)/.test(e.what)), text);
  assert.ok(!loop?.doubts.some((d) => /different file/.test(d.message)), text);
});

test('R01: the audit snippet itself gets a safe fix (a join over a generator is a loop of unknown length)', async () => {
  const source = lines(
    'def decode(text, key):',
    '    if key <= 0:',
    '        raise ValueError("key must be positive")',
    '    return "".join(chr((ord(c) - key) % 256) for c in text)',
    '',
    'def crack(text: str):',
    '    guesses = {}',
    '    for key in range(1, len(text)):',
    '        guesses[key] = decode(text, key)',
    '    return guesses',
  );
  const { finding, text } = await hover(source, 8);
  assert.equal(finding?.code, 'PAR101', text);
  assert.deepEqual(finding.doubts, []);
  assert.match(text, /the loop at line 4 runs an unknown number of times/);
});

// Round 14g (machine-learning scripts): a safe fix broke Python 2 files; risk findings on serialised threads and
// prefetched futures were false; PAR402 called a `Process` a pool and renamed what it moved without a clash.
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'analysis', name), 'utf8');

test('G01: a Python 2 file keeps its findings but gets no fix, and the hover says why', async () => {
  const source = fixture('b11_python2_no_fixes.py');
  const { finding, text } = await hover(source, 14);
  assert.equal(finding?.code, 'PAR405', text);
  assert.deepEqual(finding.fixes, []);
  assert.match(text, /\*\*No fix:\*\* the file is Python 2 code \(a `print` statement at line 15\) and the rewrites are Python 3/);
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 14, 'PAR405');
  assert.ok(!outcome.ok && /Python 2 code/.test(outcome.reason));
  // the same file in Python 3 gets its safe fix
  const py3 = await hover(source.replace('print pool.map(square, range(20))', 'print(pool.map(square, range(20)))'), 14);
  assert.equal(py3.finding?.fixes[0]?.applicability, 'safe', py3.text);
  // `exec code` and `except E, e:` prove Python 2 too; `print(x)`, `exec(code)`, `except (A, B) as e:` do not
  const parser = await getParser();
  const statement = (src: string) => {
    const tree = new SyntaxTree(parseText(parser, src), src);
    try {
      return python2Statement(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
  assert.deepEqual(statement('x = 1\nexec "y = 2"\n'), { line: 2, what: 'an `exec` statement' });
  assert.deepEqual(statement('try:\n    pass\nexcept ValueError, e:\n    pass\n'), { line: 3, what: '`except E, name:`' });
  assert.equal(statement('print(1)\nexec("y = 2")\ntry:\n    pass\nexcept (ValueError, KeyError) as e:\n    pass\n'), null);
  // a parameter unpacking a tuple (round 39: a vendored doctest runner whose `with Pool` fix failed under Python 2)
  assert.deepEqual(statement('import sys\n\n\ndef worker((first, last)):\n    return first\n'), { line: 4, what: 'a parameter unpacking a tuple' });
  assert.deepEqual(statement('pairs = sorted(d.items(), key=lambda (k, v): v)\n'), { line: 1, what: 'a parameter unpacking a tuple' });
  assert.equal(statement('def worker(pair, span=(1, 2), *args):\n    first, last = pair\nf = lambda kv=(0, 1): kv[1]\ng = lambda: (1, 2)\n'), null);
});

test('G02: a thread joined before the next one starts is one at a time: not unbounded, no interleaving', async () => {
  const { findings } = await hover(fixture('b12_thread_joined_before_next.py'), 35);
  assert.deepEqual(findings.map((f) => `${f.code}:${f.span.startLine + 1}`), ['PAR404:26', 'PAR406:50']);
});

test('G03: a future asked for its result on the next iteration is observed', async () => {
  const { findings } = await hover(fixture('b13_future_checked_next_iteration.py'), 23);
  assert.deepEqual(findings.map((f) => `${f.code}:${f.span.startLine + 1}`), ['PAR407:32']);
});

test('G04: PAR402 on a Process target names the Process and spawn; the moved function keeps its name', async () => {
  const source = fixture('b14_process_target_nested.py');
  const { finding, text } = await hover(source, 17);
  assert.equal(finding?.code, 'PAR402', text);
  assert.match(finding.message, /`_produce` is the target of a `Process`, but under spawn and forkserver/);
  assert.match(text, /under fork it is inherited, not pickled/);
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, 17, 'PAR402');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  assert.match(outcome.text, /^def _produce\(source, queue\):/m);
  assert.match(outcome.text, /mp\.Process\(target=_produce, /);
  assert.doesNotMatch(outcome.text, /_produce_2/);
  // a module-level name spelled the same elsewhere is a clash: then the fresh name
  const clash = await getParser().then((p) => fixText(source + '\n_produce = None\n', p, REWRITE_CONFIG, 17, 'PAR402'));
  assert.ok(clash.ok && /def _produce_2\(/.test(clash.text), clash.ok ? clash.text : clash.reason);
});

// Round 15a (file-management utilities): safe risk fixes that changed or broke the program.
const at = (findings: Awaited<ReturnType<typeof hover>>['findings'], code: string, line: number) => findings.find((f) => f.code === code && f.span.startLine === line - 1);

test('H01: PAR401 pickles what submit passes — each argument itself, keyword arguments included', async () => {
  const { findings } = await hover(fixture('c01_submit_keyword_arguments_pickled.py'), 31);
  const tree = at(findings, 'PAR401', 31);
  assert.ok(tree);
  assert.equal(tree.fixes[0]?.applicability, 'unsafe');
  assert.ok(tree.doubts.includes('cannot prove that `tree=self.tree` can be pickled'), tree.doubts.join('; '));
  // ints by keyword, and a comprehension's own variable over `range`, are evidently picklable: no doubt
  const ints = at(findings, 'PAR401', 39);
  assert.ok(ints);
  assert.equal(ints.fixes[0]?.applicability, 'safe', ints.doubts.join('; '));
});

test('H02: PAR407 does not wait for a loop\'s tasks before more tasks the pool was given after the loop', async () => {
  const { findings } = await hover(fixture('c02_more_tasks_after_loop.py'), 22);
  const readers = at(findings, 'PAR407', 22);
  assert.ok(readers);
  assert.equal(readers.fixes.length, 0);
  assert.match(readers.blockers.join('\n'), /`executor\.submit\(delete, keys\[0\]\)` at line 24, after the loop, gives the pool more tasks, which ran alongside these/);
  assert.equal(at(findings, 'PAR407', 33)?.fixes[0]?.applicability, 'safe');
});

test('H03: a logger reached through an attribute after the submission loop is output the fix would delay', async () => {
  const { findings } = await hover(fixture('c03_logger_through_attribute.py'), 23);
  const finding = at(findings, 'PAR407', 23);
  assert.ok(finding);
  assert.equal(finding.fixes[0]?.applicability, 'unsafe');
  assert.match(finding.doubts.join('\n'), /`self\.log\.info\("All items queued\. Waiting for pendi` at line 24 ran while the tasks worked/);
});

test('H04: a multiprocessing.Value updated under its own get_lock() is shared memory, not a copy (no PAR404)', async () => {
  const { findings } = await hover(fixture('c04_shared_value_under_its_lock.py'), 23);
  assert.deepEqual(findings.filter((f) => f.code === 'PAR404').map((f) => f.span.startLine + 1), [32]);
});

test('H05: PAR401 moves a task into a worker process only when it meets what such a move needs', async () => {
  const source = fixture('c05_threads_to_processes_conditions.py');
  const { findings } = await hover(source, 43);
  // a file read beside the computation: that processes pay is not proven
  const reads = at(findings, 'PAR401', 43);
  assert.equal(reads?.fixes[0]?.applicability, 'unsafe');
  assert.match(reads.doubts.join('\n'), /`header_sum` also waits on I\/O \(`open`, line 10\), which threads already overlap/);
  // a closure returned cannot come back from a worker process; an argument changed in place would change a copy
  assert.equal(at(findings, 'PAR401', 49)?.fixes.length, 0);
  assert.match(at(findings, 'PAR401', 49)!.blockers.join('\n'), /`make_scaler` returns a local function \(`scale`, defined in `make_scaler`\), which cannot be pickled back/);
  assert.equal(at(findings, 'PAR401', 55)?.fixes.length, 0);
  assert.match(at(findings, 'PAR401', 55)!.blockers.join('\n'), /`normalise` changes its argument `rows` in place: in a worker process it changes a copy/);
  // pure arithmetic on ints: the safe fix stays
  assert.equal(at(findings, 'PAR401', 62)?.fixes[0]?.applicability, 'safe');
});

test('H01: a pool handed to a helper that submits the work runs what the helper submits (round 15b, c20)', async () => {
  const source = fixture('c20_pool_used_through_helper.py');
  const { findings } = await hover(source, 24);
  assert.deepEqual(findings.map((f) => `${f.code}:${f.span.startLine + 1}`), ['PAR401:24', 'PAR407:56', 'PAR402:78']);
  // a future the helper drops: no fix (the wait would move into the helper); a lambda it sends to processes: no fix
  assert.deepEqual(findings[1].fixes, []);
  assert.deepEqual(findings[2].fixes, []);
  const f = findings[0];
  assert.match(f.message, /`count_kmers`: a loop doing arithmetic/);
  // the helper's names are the helper's: `chunk` and `k` are its parameters, nothing proves they pickle
  assert.equal(f.fixes[0].applicability, 'unsafe');
  assert.ok(f.doubts.some((d) => d.includes('`records=chunk`')), f.doubts.join('; '));
});

test('H02: switching to processes pickles the keyword arguments of submit too (round 15b, c21)', async () => {
  const source = fixture('c21_pool_keyword_arguments_pickled.py');
  const { findings } = await hover(source, 19);
  const byLine = new Map(findings.map((f) => [f.span.startLine + 1, f]));
  const unknown = byLine.get(19)!;
  assert.equal(unknown.code, 'PAR401');
  assert.equal(unknown.fixes[0].applicability, 'unsafe');
  assert.deepEqual(unknown.doubts, ['cannot prove that `records=chunk` can be pickled', 'cannot prove that `k=k` can be pickled']);
  const literal = byLine.get(30)!;
  assert.equal(literal.code, 'PAR401');
  assert.equal(literal.fixes[0].applicability, 'safe', literal.doubts.join('; '));
});

test('H03: hashing that releases the GIL is not "CPU-bound Python" in the thread-pool hover (round 15b, c22)', async () => {
  const source = fixture('c22_gil_free_hashing_in_thread_loop.py');
  const hashed = await hover(source, 29);
  assert.equal(hashed.finding?.code, 'PAR201');
  assert.match(hashed.text, /\*\*GIL:\*\* the computing \(`fetch → sha256_of → hashlib\.sha256`\) is in C library calls that release the GIL/);
  assert.doesNotMatch(hashed.text, /threads overlap only the waiting/);
  const parsed = await hover(source, 43);
  assert.equal(parsed.finding?.code, 'PAR201');
  assert.match(parsed.text, /\*\*GIL:\*\* part of the work is CPU-bound Python; threads overlap only the waiting/);
});

test('H04: a name that may come from `from m import *` is not called a shared stream, nor the file written (round 15b, c23)', async () => {
  const source = fixture('c23_name_from_star_import.py');
  const { loop } = await hover(source, 15);
  const reasons = loop!.rejections.map((r) => r.message);
  assert.ok(reasons.some((m) => m.includes('`fits` is bound nowhere in this file and may come from `from drp_funcs import *`, which the analysis does not follow')), reasons.join('\n'));
  assert.ok(!reasons.some((m) => m.includes('which every iteration shares (a stream')), reasons.join('\n'));
  assert.ok(!reasons.some((m) => m.includes('writes to the same file')), reasons.join('\n'));
  // a stream the file binds is written by the parent, in input order (session 47): no reason names it
  const logged = await hover(source, 24);
  assert.ok(!logged.loop!.rejections.some((r) => r.message.includes('`LOG.write()`')), logged.loop!.rejections.map((r) => r.message).join('\n'));
});

test('final round (session 27): PAR204 offers no process pool to a function that changes the items of its argument (d32)', async () => {
  const source = fixture('d32_items_of_parameter_changed.py');
  const { findings } = await hover(source, 30);
  const changes = at(findings, 'PAR204', 30);
  assert.ok(changes);
  assert.equal(changes.fixes.length, 0);
  assert.match(changes.blockers.join('\n'), /`assign_depth` changes its argument `nodes` in place/);
  // a function that only reads its items keeps its (unsafe) fix
  assert.equal(at(findings, 'PAR204', 36)?.fixes[0]?.applicability, 'unsafe');
});
