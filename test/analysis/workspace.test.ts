// A package of several modules (relative and absolute imports, a re-export through __init__, an import cycle)
// gets the verdicts and safe fixes of the same code in one file: module summaries, import resolution, and the
// dependencies a file's result records.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkFile, withWorkspace } from '../../server/src/checkFiles';
import { DEFAULT_LINT_CONFIG, explainLine, type LintConfig, lint } from '../../server/src/linter';
import { parseSyntax } from '../../server/src/parser';
import { ImportRoots } from '../../server/src/workspace/importRoots';
import { REACH_PREFIX } from '../../server/src/workspace/callSites';
import { DISK, SummaryStore } from '../../server/src/workspace/summaryStore';
import { FIXTURES, getParser, tempDir } from '../support/harness';

const ROOT = path.join(FIXTURES, 'workspace');
const SHOP = path.join(ROOT, 'shop');
const PKG = path.join(SHOP, 'src', 'shop');
const PIPELINE = path.join(PKG, 'pipeline.py');
const SINGLE = path.join(ROOT, 'single.py');
const CONFIG: LintConfig = DEFAULT_LINT_CONFIG;

/** Per function of the file: the code reported on its loop with each fix's applicability, or why it was not reported. */
async function verdicts(file: string, store?: SummaryStore): Promise<Record<string, string>> {
  const parser = await getParser();
  const text = fs.readFileSync(file, 'utf8');
  const checked = checkFile(parser, file, CONFIG, store);
  assert.ok(checked.ok);
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, file, store));
  const out: Record<string, string> = {};
  for (const loop of result.analysis.loops) {
    const fn = loop.function?.childForFieldName('name')?.text ?? '<module>';
    const finding = checked.findings.find((f) => f.span.startLine === loop.node.startPosition.row);
    out[fn] = finding ? `${finding.code} ${finding.fixes.map((f) => f.applicability).join(',')}` : `not reported: ${loop.rejections.map((r) => r.kind).join(',')}`;
  }
  tree.delete();
  return out;
}

/** The hover of the loop at 0-based `line` of `file`, analysed with the workspace around it. */
async function hoverAt(file: string, line: number): Promise<string> {
  const parser = await getParser();
  const text = fs.readFileSync(file, 'utf8');
  const tree = parseSyntax(parser, text);
  try {
    return explainLine(lint(tree, text, withWorkspace(CONFIG, file, new SummaryStore(parser))), line, CONFIG.minIterations) ?? '';
  } finally {
    tree.delete();
  }
}

test('imports resolve: relative, absolute through a src/ root from pyproject.toml, a module alias, __init__ re-exports', () => {
  const roots = new ImportRoots(DISK);
  assert.deepEqual(roots.locate('.features.strength', PIPELINE), { file: path.join(PKG, 'features.py'), rest: ['strength'], root: path.join(SHOP, 'src') });
  assert.deepEqual(roots.locate('shop.features.fib', PIPELINE)?.rest, ['fib']);
  assert.equal(roots.locate('shop.fib', PIPELINE)?.file, path.join(PKG, '__init__.py'));
  // main.py is not in the package: `src` comes from pyproject.toml
  assert.equal(roots.locate('shop.pipeline', path.join(SHOP, 'main.py'))?.file, PIPELINE);
  assert.equal(roots.locate('.report.render', path.join(PKG, 'features.py'))?.file, path.join(PKG, 'report.py'));
  assert.equal(roots.locate('hashlib.sha256', PIPELINE), null);
});

test('a module summary is plain JSON: effects, workload, cost, picklability and exports of each function', async () => {
  const store = new SummaryStore(await getParser());
  const stored = store.summary(path.join(PKG, 'features.py'), 0)!;
  const summary = stored.summary;
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
  assert.equal(summary.functions.strength.cpu?.what, 'hashlib.pbkdf2_hmac');
  assert.ok(summary.functions.strength.work.cpu > 0.001, 'the cost of one call is estimated');
  assert.equal(summary.functions.strength.work.open, null);
  assert.equal(summary.functions.strength.importable, true);
  assert.deepEqual(summary.functions.strength.returns, { verdict: 'yes' });
  assert.deepEqual(summary.functions.tally.mutatedParams, ['counts']);
  assert.equal(summary.functions.announce.problems[0].kind, 'ordered-effect');
  assert.equal(summary.functions.fib.isGenerator, false);
  assert.ok(summary.exports.includes('strength') && summary.exports.includes('SALT'), 'module-level public names are exported');
  assert.equal(summary.reexports.report, '.report');
  const init = store.summary(path.join(PKG, '__init__.py'), 0)!.summary;
  assert.deepEqual(init.exports, ['fib', 'strength']);
  assert.equal(init.reexports.fib, '.features.fib');
  // the same text gives the same key and hash
  const again = new SummaryStore(await getParser()).summary(path.join(PKG, 'features.py'), 0)!;
  assert.equal(again.key, stored.key);
  assert.equal(again.hash, stored.hash);
});

test('a re-exported function resolves to where it is defined; the import cycle terminates', async () => {
  const store = new SummaryStore(await getParser());
  const resolver = store.resolverFor(PIPELINE);
  const fib = resolver.resolve('shop.fib');
  assert.equal(fib?.kind, 'function');
  assert.equal(fib?.where, 'shop/features.py:11');
  assert.equal(resolver.resolve('.features.strength')?.where, 'shop/features.py:7');
  // features → report → features: each summary sees the other's one level less deep
  const describe = resolver.resolve('.features.describe');
  assert.equal(describe?.kind === 'function' && describe.summary.problems.length, 0);
  assert.ok(store.summary(path.join(PKG, 'report.py'), 3));
});

test('the package gives the same verdicts and safe fixes as its single-file equivalent', async () => {
  const store = new SummaryStore(await getParser());
  const split = await verdicts(PIPELINE, store);
  const single = await verdicts(SINGLE);
  assert.deepEqual(split, single);
  // and they are the ones expected: safe where everything is proven, rejected for the callee's effects
  assert.equal(split.keys, 'PAR101 safe,safe');
  assert.equal(split.via_alias, 'PAR103 safe');
  assert.match(split.counted, /^not reported: .*shared-state/);
  assert.match(split.loud, /^not reported: .*ordered-effect/);
  // alone, the same file sees nothing of its callees
  const alone = await verdicts(PIPELINE);
  assert.match(alone.keys, /^not reported/);
});

test('the hover names where the callee lives', async () => {
  const parser = await getParser();
  const text = fs.readFileSync(PIPELINE, 'utf8');
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, PIPELINE, new SummaryStore(parser)));
  const keys = result.findings.find((f) => f.loop?.function?.childForFieldName('name')?.text === 'keys')!;
  assert.equal(keys.loop!.evidence[0].defined, 'shop/features.py:7');
  tree.delete();
});

test('a result records the modules whose summaries it used; editing the callee changes their hash and the verdict', async () => {
  const work = tempDir('parallelize-ws-');
  fs.cpSync(SHOP, work, { recursive: true });
  const pipeline = path.join(work, 'src', 'shop', 'pipeline.py');
  const features = path.join(work, 'src', 'shop', 'features.py');
  const parser = await getParser();
  const before = checkFile(parser, pipeline, CONFIG, new SummaryStore(parser));
  assert.ok(before.ok);
  const used = (before.dependencies ?? []).map((d) => path.relative(work, d.path));
  assert.ok(used.includes(path.join('src', 'shop', 'features.py')), used.join());
  assert.ok(used.includes(path.join('src', 'shop', '__init__.py')), 'the re-exporting module is a dependency too');
  assert.ok((before.dependencies ?? []).every((d) => d.path.startsWith(REACH_PREFIX) || /^[\w-]{43}$/.test(d.summaryHash)), 'each module it used, by the hash of its text');
  assert.ok(before.findings.some((f) => f.span.startLine === 10));
  // the key derivation becomes cheap: the loop over it is no longer worth a pool
  fs.writeFileSync(features, fs.readFileSync(features, 'utf8').replace('hashlib.pbkdf2_hmac("sha256", word.encode(), SALT, 20000).hex()[:12]', 'word.upper()'));
  const after = checkFile(parser, pipeline, CONFIG, new SummaryStore(parser));
  assert.ok(after.ok);
  const hashOf = (o: typeof before) => (o.ok ? o.dependencies?.find((d) => d.path === features)?.summaryHash : undefined);
  assert.notEqual(hashOf(after), hashOf(before));
  assert.ok(!after.findings.some((f) => f.span.startLine === 10));
});

/** Writes a package of `files` in a fresh folder; returns the folder. */
function writePackage(files: Record<string, string>): string {
  const dir = tempDir('parallelize-pkg-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function loopProblems(file: string): Promise<string[]> {
  const parser = await getParser();
  const text = fs.readFileSync(file, 'utf8');
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, file, new SummaryStore(parser)));
  const messages = result.analysis.loops.flatMap((l) => [...l.problems.map((p) => p.message), ...l.doubts.map((d) => d.message)]);
  tree.delete();
  return messages;
}

test('a callee reading a global its module rebinds at run time is a doubt (a spawned worker imports the module afresh)', async () => {
  const dir = writePackage({
    'app/__init__.py': '',
    'app/conf.py': 'import hashlib\n\nROUNDS = 1000\n\n\ndef configure(n):\n    global ROUNDS\n    ROUNDS = n\n\n\ndef derive(x):\n    return hashlib.pbkdf2_hmac("sha256", str(x).encode(), b"s", ROUNDS).hex()\n',
    'app/main.py': 'from .conf import configure, derive\n\n\ndef run():\n    configure(50000)\n    out = []\n    for x in range(100):\n        out.append(derive(x))\n    return out\n',
  });
  const problems = await loopProblems(path.join(dir, 'app', 'main.py'));
  assert.ok(problems.some((m) => /reads `ROUNDS`, which a function of `app\/conf\.py` rebinds at run time/.test(m)), problems.join('\n'));
});

test('a callee whose module imports the loop\'s module back is not proven not to re-enter the loop\'s function', async () => {
  const dir = writePackage({
    'cyc/__init__.py': '',
    'cyc/walker.py': 'from .helper import visit\n\n\ndef walk(items):\n    out = []\n    for i in items:\n        out.append(visit(i))\n    return out\n\n\ndef leaf(i):\n    return i * i\n',
    'cyc/helper.py': 'import hashlib\nfrom . import walker\n\n\ndef visit(i):\n    hashlib.pbkdf2_hmac("sha256", b"x", b"s", 10000)\n    return walker.leaf(i)\n',
  });
  const problems = await loopProblems(path.join(dir, 'cyc', 'walker.py'));
  assert.ok(problems.some((m) => /imports this one back/.test(m)), problems.join('\n'));
});

test('a function of another module rebound by an unknown decorator is not proven importable by the workers', async () => {
  const work = 'import hashlib\n\n\ndef traced(f):\n    def wrapper(*a):\n        return f(*a)\n    return wrapper\n\n\n@traced\ndef derive(x):\n    return hashlib.pbkdf2_hmac("sha256", str(x).encode(), b"s", 20000).hex()\n\n\ndef plain(x):\n    return hashlib.pbkdf2_hmac("sha256", str(x).encode(), b"s", 20000).hex()\n';
  const dir = writePackage({
    'deco/__init__.py': '',
    'deco/work.py': work,
    'deco/main.py': 'from .work import derive, plain\n\n\ndef run():\n    items = [f"i{k}" for k in range(64)]\n    out = []\n    for x in items:\n        out.append(derive(x))\n    other = []\n    for x in items:\n        other.append(plain(x))\n    return out, other\n\n\nif __name__ == "__main__":\n    run()\n',
  });
  const parser = await getParser();
  const file = path.join(dir, 'deco', 'main.py');
  const checked = checkFile(parser, file, CONFIG, new SummaryStore(parser));
  assert.ok(checked.ok);
  const [decorated, plain] = checked.findings;
  assert.deepEqual(decorated.fixes.map((f) => f.applicability), ['unsafe', 'unsafe']);
  assert.equal(plain.fixes[0].applicability, 'safe');
  const explained = await hoverAt(file, 6);
  assert.match(explained, /`derive` \(defined in `deco\/work\.py:11`\) is decorated/);
});

test('a same-file helper that calls a function of another module is not said to be defined in that module', async () => {
  const dir = writePackage({
    'hov/__init__.py': '',
    'hov/work.py': 'import hashlib\n\n\ndef derive(x):\n    return hashlib.pbkdf2_hmac("sha256", str(x).encode(), b"s", 20000).hex()\n',
    'hov/main.py': 'from .work import derive\n\n\ndef key(x):\n    return derive(x)[:8]\n\n\ndef run():\n    items = [f"i{k}" for k in range(64)]\n    out = []\n    for x in items:\n        out.append(key(x))\n    return out\n',
  });
  const explained = await hoverAt(path.join(dir, 'hov', 'main.py'), 10);
  assert.match(explained, /key → derive/, explained);
  assert.doesNotMatch(explained, /`key` is defined in/, explained);
});

test('a collection constant of another module has its literal size: two URLs are too few for a pool, however long each wait', async () => {
  const work = tempDir('parallelize-ws-');
  fs.mkdirSync(path.join(work, 'app'));
  fs.writeFileSync(path.join(work, 'app', '__init__.py'), '');
  fs.writeFileSync(path.join(work, 'app', 'settings.py'), ['NAME_LISTS = {', '    "first": "https://example.com/first.txt",', '    "last": "https://example.com/last.txt",', '}', 'GROWING = ["https://example.com/a"]', 'GROWING.append("https://example.com/b")', ''].join('\n'));
  const loader = path.join(work, 'app', 'loader.py');
  fs.writeFileSync(
    loader,
    [
      'import urllib.request',
      '',
      'from .settings import GROWING, NAME_LISTS',
      '',
      '',
      'def download_lists():',
      '    lists = {}',
      '    for key, url in NAME_LISTS.items():',
      '        lists[key] = urllib.request.urlopen(url).read().decode()',
      '    return lists',
      '',
      '',
      'def download_growing():',
      '    pages = []',
      '    for url in GROWING:',
      '        pages.append(urllib.request.urlopen(url).read().decode())',
      '    return pages',
      '',
    ].join('\n'),
  );
  const parser = await getParser();
  const text = fs.readFileSync(loader, 'utf8');
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, loader, new SummaryStore(parser)));
  const loopIn = (fn: string) => result.analysis.loops.find((l) => l.function?.childForFieldName('name')?.text === fn)!;
  assert.equal(loopIn('download_lists').estimate?.items, 2);
  assert.match(loopIn('download_lists').estimate?.itemsFrom ?? '', /`NAME_LISTS` \(app\/settings\.py:1\)/);
  assert.ok(!result.findings.some((f) => f.loop?.node.id === loopIn('download_lists').node.id), 'two known items: not reported');
  // a constant its module changes has no size the importer can trust
  assert.equal(loopIn('download_growing').estimate?.items, undefined);
  tree.delete();
});

test("a function of another module whose cost rests on a `while` loop a number sets (Euclid's `x, y = y, x % y`) is a guess at a known count, as in one file: 2,550 gcd calls are not shown to pay for a pool (round 41: Project Euler solutions importing `gcd` from their `lib.py`)", async () => {
  const work = tempDir('parallelize-ws-');
  fs.writeFileSync(path.join(work, 'lib.py'), ['def gcd(x, y):', '    while y != 0:', '        x, y = y, x % y', '    return x', ''].join('\n'));
  const main = path.join(work, 'p091.py');
  fs.writeFileSync(
    main,
    ['from lib import gcd', '', '', 'def count(limit):', '    return sum(gcd(a, 97) for a in range(1, limit * 51 + 1))', '', '', 'if __name__ == "__main__":', '    print(count(50))', ''].join('\n'),
  );
  const parser = await getParser();
  const text = fs.readFileSync(main, 'utf8');
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, main, new SummaryStore(parser)));
  assert.deepEqual(result.findings.map((f) => f.code), []);
  const loop = result.analysis.loops.find((l) => l.function?.childForFieldName('name')?.text === 'count')!;
  assert.match(loop.rejections.map((r) => r.message).join('\n'), /not shown to pay[^]*the `while` loop at line 2 runs an unknown number of times/i);
  tree.delete();
});

test('a lookup another module makes only under a flag the call leaves off (`validate_url(link)` of `def validate_url(url, *, resolve_host=False)`) is no wait of the loop; asked for, it is (round 41: RSS entries validated without DNS reported as I/O)', async () => {
  const work = tempDir('parallelize-ws-');
  fs.writeFileSync(
    path.join(work, 'ui_utils.py'),
    ['import socket', '', '', 'def host_ok(host, resolve_host=False):', '    if resolve_host:', '        return bool(socket.getaddrinfo(host, None))', '    return "." in host', '', '', 'def validate_url(url, *, resolve_host=False):', '    return url.startswith("http") and host_ok(url.split("/")[2], resolve_host=resolve_host)', ''].join('\n'),
  );
  const feed = path.join(work, 'feed.py');
  fs.writeFileSync(
    feed,
    ['from ui_utils import validate_url', '', '', 'def links(entries):', '    out = []', '    for e in entries:', '        if validate_url(e):', '            out.append(e)', '    return out', '', '', 'def resolved(entries):', '    out = []', '    for e in entries:', '        out.append(validate_url(e, resolve_host=True))', '    return out', '', '', 'if __name__ == "__main__":', '    feeds = [f"https://h{i}.example/x" for i in range(50)]', '    print(links(feeds), resolved(feeds))', ''].join('\n'),
  );
  const parser = await getParser();
  const text = fs.readFileSync(feed, 'utf8');
  const tree = parseSyntax(parser, text);
  const result = lint(tree, text, withWorkspace(CONFIG, feed, new SummaryStore(parser)));
  const loopIn = (fn: string) => result.analysis.loops.find((l) => l.function?.childForFieldName('name')?.text === fn)!;
  assert.ok(!loopIn('links').evidence.some((e) => e.kind === 'io'), JSON.stringify(loopIn('links').evidence));
  assert.ok(loopIn('resolved').evidence.some((e) => e.kind === 'io' && /getaddrinfo/.test(e.via ?? '')), JSON.stringify(loopIn('resolved').evidence));
  assert.deepEqual(result.findings.map((f) => [f.code, f.span.startLine + 1]), [['PAR201', 14]]);
  tree.delete();
});

test('a mail-server session opened by a function of another module on every call is said as such (one session sends every message)', async () => {
  const dir = writePackage({
    'alerts/__init__.py': '',
    'alerts/mail.py': 'import smtplib\n\n\ndef send(auth, message, destination):\n    server = smtplib.SMTP("smtp.gmail.com", 587)\n    server.login(auth["user"], auth["password"])\n    server.sendmail(auth["user"], [destination], message)\n    server.quit()\n',
    'alerts/check.py': 'from . import mail\n\n\ndef alert(message, contacts, creds):\n    for contact in contacts:\n        mail.send(creds, message, contact["email"])\n\n\nif __name__ == "__main__":\n    alert("down", [], {})\n',
  });
  const file = path.join(dir, 'alerts', 'check.py');
  const out = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(out.alert, /^not reported: not-worth-it/);
  const explained = await hoverAt(file, 4);
  assert.match(explained, /opens a session with a mail server/);
});

test('a method of a class another workspace module defines is analysed by its summary: requests it sends are the loop\'s work, a change to `self` is shared state', async () => {
  const dir = writePackage({
    'app/__init__.py': '',
    'app/client.py': 'import requests\n\n\nclass Conn:\n    def __init__(self, user):\n        self.session = requests.Session()\n        self.calls = 0\n\n    def summary(self, workout_id):\n        return self.session.get(f"https://api.test/w/{workout_id}", timeout=10).json()\n\n    def counted(self, workout_id):\n        self.calls += 1\n        return requests.get(f"https://api.test/w/{workout_id}", timeout=10).json()\n',
    'app/sync.py': 'from .client import Conn\n\n\nclass Sync:\n    def __init__(self):\n        self.conn = Conn("u")\n\n    def fetch(self, ids):\n        out = []\n        for i in ids:\n            out.append(self.conn.summary(i))\n        return out\n\n    def fetch_counted(self, ids):\n        out = []\n        for i in ids:\n            out.append(self.conn.counted(i))\n        return out\n\n\ndef plain(ids):\n    c = Conn("u")\n    out = []\n    for i in ids:\n        out.append(c.summary(i))\n    return out\n\n\nif __name__ == "__main__":\n    s = Sync()\n    print(s.fetch(range(50)), s.fetch_counted(range(50)), plain(range(50)))\n',
  });
  const out = await verdicts(path.join(dir, 'app', 'sync.py'), new SummaryStore(await getParser()));
  assert.match(out.fetch, /^PAR201/);
  assert.match(out.plain, /^PAR201/);
  assert.match(out.fetch_counted, /^not reported: shared-state/);
});

test('a method called on an instance made right there (`Parser().parse(url)`) of a class another workspace module defines is analysed by its summary: its request is the loop\'s work', async () => {
  const dir = writePackage({
    'graves/__init__.py': '',
    'graves/parsers.py': 'from urllib.request import Request, urlopen\n\n\nclass Parser:\n    def parse(self, url):\n        with urlopen(Request(url), timeout=10) as response:\n            return response.read()\n',
    'graves/cli.py': 'from .parsers import Parser\n\n\ndef crawl(urls):\n    pages = []\n    for url in urls:\n        pages.append(Parser().parse(url))\n    return pages\n\n\nif __name__ == "__main__":\n    print(len(crawl([f"https://graves.test/{i}" for i in range(40)])))\n',
  });
  const out = await verdicts(path.join(dir, 'graves', 'cli.py'), new SummaryStore(await getParser()));
  assert.match(out.crawl, /^PAR201/, JSON.stringify(out));
});

test('a class another module defines that holds a browser on `self` makes its instances one browser, also through `from m import *` (round 26: one Selenium window scraping three subjects)', async () => {
  const dir = writePackage({
    'scrape/__init__.py': '',
    'scrape/webdriver.py': 'from selenium import webdriver\n\n\nclass WebDriver:\n    def __init__(self, profile):\n        self.driver = webdriver.Firefox(profile)\n\n    def get_html(self, url):\n        self.driver.get(url)\n        return self.driver.page_source\n',
    'scrape/plain.py': 'import requests\n\n\nclass Fetcher:\n    def get_html(self, url):\n        return requests.get(url, timeout=10).text\n',
    'scrape/run.py': 'from .webdriver import *\nfrom .plain import *\n\n\ndef browse(urls):\n    driver = WebDriver("p")\n    pages = []\n    for url in urls:\n        pages.append(driver.get_html(url))\n    return pages\n\n\ndef fetch(urls):\n    fetcher = Fetcher()\n    pages = []\n    for url in urls:\n        pages.append(fetcher.get_html(url))\n    return pages\n\n\nif __name__ == "__main__":\n    urls = [f"https://site.test/{i}" for i in range(40)]\n    print(len(browse(urls)), len(fetch(urls)))\n',
  });
  const file = path.join(dir, 'scrape', 'run.py');
  const out = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(out.browse, /^not reported: .*shared-state/, JSON.stringify(out));
  // the star import resolves the other module's class too: its method's request is the loop's work
  assert.match(out.fetch, /^PAR201/, JSON.stringify(out));
  assert.match(await hoverAt(file, 7), /an instance of `WebDriver` \(`scrape\/webdriver\.py:4`\), which holds a browser driven by Selenium/);
});

test('an attribute of an object of the program\'s own modules that another module sets while the program runs is doubted for process pools (round 26: `shared.pv` is None in a spawned worker)', async () => {
  const dir = writePackage({
    'app/__init__.py': '',
    'app/shared.py': 'class Shared:\n    pv = None\n    scale = 3\n\n\nshared = Shared()\n',
    'app/media.py': 'import hashlib\n\nfrom .shared import shared\n\n\ndef digest(blob):\n    assert shared.pv["enabled"]\n    for _ in range(100_000):\n        blob = hashlib.sha256(blob).digest()\n    return blob\n\n\ndef scaled(blob):\n    for _ in range(100_000):\n        blob = hashlib.sha256(blob).digest()\n    return blob[: shared.scale]\n\n\ndef all_digests(blobs):\n    out = []\n    for b in blobs:\n        out.append(digest(b))\n    return out\n\n\ndef all_scaled(blobs):\n    out = []\n    for b in blobs:\n        out.append(scaled(b))\n    return out\n',
    'app/main.py': 'from .media import all_digests, all_scaled\nfrom .shared import shared\n\nshared.pv = {"enabled": True}\n\n\nif __name__ == "__main__":\n    blobs = [bytes([i]) for i in range(200)]\n    print(len(all_digests(blobs)), len(all_scaled(blobs)))\n',
  });
  const file = path.join(dir, 'app', 'media.py');
  const out = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(out.all_digests, /^PAR101 unsafe/, JSON.stringify(out));
  assert.match(await hoverAt(file, 20), /`digest\(\)` reads `shared\.pv`, which `(app\/)?main\.py:4` sets while the program runs/);
  // `shared.scale` is set only where its class is: every worker sees it
  assert.match(out.all_scaled, /^PAR101/, JSON.stringify(out));
  assert.doesNotMatch(await hoverAt(file, 26), /reads `shared\./);
});

test('a process pool in a function another module calls once per item of its loop, or on every request of a web route, starts on every call (round 27: an exporter per source image, a preview per Flask request)', async () => {
  const dir = writePackage({
    'kit/__init__.py': '',
    'kit/export.py': 'import cv2\n\n\nclass Exporter:\n    def save_batch(self, images, name):\n        paths = []\n        for i, image in enumerate(images):\n            path = f"out/{name}_{i}.png"\n            cv2.imwrite(path, cv2.GaussianBlur(image, (5, 5), 0))\n            paths.append(path)\n        return paths\n\n\ndef preview(images):\n    shown = []\n    for image in images:\n        shown.append(cv2.imencode(".png", cv2.GaussianBlur(image, (5, 5), 0))[1])\n    return shown\n',
    'kit/main.py': 'from .export import Exporter\n\n\ndef run(sources):\n    exporter = Exporter()\n    for name, images in sources:\n        exporter.save_batch(images, name)\n',
    'kit/app.py': 'from flask import Flask, request\n\nfrom .export import preview\n\napp = Flask(__name__)\n\n\n@app.route("/preview", methods=["POST"])\ndef preview_route():\n    return {"n": len(preview(request.json["images"]))}\n',
  });
  const out = await verdicts(path.join(dir, 'kit', 'export.py'), new SummaryStore(await getParser()));
  assert.match(out.save_batch, /^not reported: .*not-worth-it/, JSON.stringify(out));
  assert.match(out.preview, /^not reported: .*not-worth-it/, JSON.stringify(out));
  const file = path.join(dir, 'kit', 'export.py');
  assert.match(await hoverAt(file, 6), /every call of `save_batch`, made in the loop at `(kit\/)?main\.py:6`/);
  assert.match(await hoverAt(file, 15), /every request or event `preview_route\(\)` handles/);
});

test('a function `from m import *` brings in from a workspace module is analysed by its summary, not "defined elsewhere" (round 29: a site builder copying each asset through a helper of the module beside it)', async () => {
  const dir = writePackage({
    'site/__init__.py': '',
    'site/net.py': 'import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=10).text\n',
    'site/build.py': 'from .net import *\n\n\ndef crawl(urls):\n    pages = []\n    for url in urls:\n        pages.append(fetch(url))\n    return pages\n\n\nif __name__ == "__main__":\n    print(len(crawl([f"https://site.test/{i}" for i in range(40)])))\n',
  });
  const file = path.join(dir, 'site', 'build.py');
  const out = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(out.crawl, /^PAR201/, JSON.stringify(out));
  assert.doesNotMatch(await hoverAt(file, 6), /defined elsewhere/);
});

test('a function of another module writing the file it is handed, handed the same path on every iteration, is an ordered effect (round 32: a WARC report appending each row through a shared helper; the rewrite reordered 267 of 300 rows)', async () => {
  const dir = writePackage({
    'arch/__init__.py': '',
    'arch/shared.py': 'import csv\n\n\ndef save_csv_row(report_path, row_list):\n    with open(report_path, "a", newline="") as report:\n        csv.writer(report).writerow(row_list)\n',
    'arch/report.py': 'import requests\n\nfrom . import shared as fun\n\n\ndef report(names, report_path):\n    for name in names:\n        info = requests.get(f"https://api.test/seeds/{name}", timeout=30).json()\n        fun.save_csv_row(report_path, [name, info["title"]])\n\n\ndef per_name(names, out_dir):\n    for name in names:\n        info = requests.get(f"https://api.test/seeds/{name}", timeout=30).json()\n        fun.save_csv_row(f"{out_dir}/{name}.csv", [name, info["title"]])\n\n\nif __name__ == "__main__":\n    names = [f"seed{i}" for i in range(40)]\n    report(names, "report.csv")\n    per_name(names, "rows")\n',
  });
  const file = path.join(dir, 'arch', 'report.py');
  const out = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(out.report, /^not reported: .*ordered-effect/, JSON.stringify(out));
  assert.match(out.per_name, /^PAR201/, JSON.stringify(out));
});

test('a coroutine another module runs as the one task of an event loop of its own, in a thread, holds up nobody when it blocks; one gathered with others still does (round 33: fourteen PAR203 on downloads each run by `threading.Thread(target=lambda: asyncio.run(…))`)', async () => {
  const dir = writePackage({
    'tube/__init__.py': '',
    'tube/jobs.py': 'import subprocess\nimport time\n\nimport requests\n\n\nasync def download(url):\n    subprocess.run(["yt-dlp", url], check=True)\n    time.sleep(1)\n    return url\n\n\nasync def archive(url):\n    # wait for the download, then note it\n    done = await download(url)\n    return done\n\n\nasync def fetch_one(url):\n    return requests.get(url, timeout=10).text\n\n\nasync def crawl(urls):\n    return await asyncio.gather(*(fetch_one(u) for u in urls))\n',
    'tube/bot.py': 'import asyncio\nimport threading\n\nfrom aiogram import Bot\n\nfrom .jobs import archive, crawl\n\n\ndef start(url):\n    worker = threading.Thread(target=lambda: asyncio.run(archive(url)), daemon=True)\n    worker.start()\n    return worker\n\n\ndef main(urls):\n    for u in urls:\n        start(u)\n    return asyncio.run(crawl(urls))\n\n\nif __name__ == "__main__":\n    print(main(["https://example.invalid/a", "https://example.invalid/b"]))\n',
  });
  const parser = await getParser();
  const file = path.join(dir, 'tube', 'jobs.py');
  const checked = checkFile(parser, file, CONFIG, new SummaryStore(parser));
  assert.ok(checked.ok);
  const stalls = checked.findings.filter((f) => f.code === 'PAR203').map((f) => f.span.startLine + 1);
  assert.deepEqual(stalls, [20], JSON.stringify(checked.findings.map((f) => [f.code, f.span.startLine + 1])));
});

test("a spawned worker imports again what the main module's workspace imports bring in, its package's `__init__` included: pandas there is start-up a pool must pay for (round 33: a puzzle solution ran 1.7× slower in a pool)", async () => {
  const solver = 'from {pkg}.util import digits\n\n\ndef score(n):\n    s = 0\n    for k in range(300_000):\n        s += (k * n) % 7\n    return s + sum(digits(n))\n\n\ndef main():\n    out = []\n    for n in range(32):\n        out.append(score(n))\n    return out\n\n\nif __name__ == "__main__":\n    print(main())\n';
  const dir = writePackage({
    'light/__init__.py': '',
    'light/util.py': 'def digits(n):\n    return [int(c) for c in str(n)]\n',
    'light/solve.py': solver.replace('{pkg}', 'light'),
    'heavy/__init__.py': 'import pandas as pd\n\nTABLE = pd.DataFrame({"a": [1, 2]})\n',
    'heavy/util.py': 'def digits(n):\n    return [int(c) for c in str(n)]\n',
    'heavy/solve.py': solver.replace('{pkg}', 'heavy'),
  });
  const store = new SummaryStore(await getParser());
  assert.match((await verdicts(path.join(dir, 'light', 'solve.py'), store)).main, /^PAR101/);
  assert.match((await verdicts(path.join(dir, 'heavy', 'solve.py'), store)).main, /^not reported: (no-heavy-work|not-worth-it)/);
  // the start-up named is the spawn's and pandas' import (≈ 0.4 s), not the spawn's alone (≈ 80 ms)
  assert.match(await hoverAt(path.join(dir, 'heavy', 'solve.py'), 12), /start-up ≈ [3-9]\d\d ms/);
  assert.match(await hoverAt(path.join(dir, 'light', 'solve.py'), 12), /start-up ≈ \d\d ms/);
});

test("a script's own `sys.path.append(…)` of a folder spelled from `__file__` (or a literal path) is an import root: its neighbours' functions have summaries (round 35: benchmark scripts importing `cost_common` from the folder above)", async () => {
  const dir = writePackage({
    'bench/common.py': 'import time\n\n\ndef probe(x):\n    time.sleep(0.05)\n    return x * 2\n',
    'bench/venues/a/run.py': 'import sys\nfrom pathlib import Path\n\nsys.path.append(str(Path(__file__).resolve().parents[1] / ".."))  # the bench folder\nfrom common import probe\n\n\ndef main(xs):\n    out = []\n    for x in xs:\n        out.append(probe(x))\n    return out\n\n\nif __name__ == "__main__":\n    print(main(range(40)))\n',
    'bench/venues/b/run.py': 'import os\nimport sys\n\nsys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))\nfrom common import probe\n\n\ndef main(xs):\n    out = []\n    for x in xs:\n        out.append(probe(x))\n    return out\n\n\nif __name__ == "__main__":\n    print(main(range(40)))\n',
    'bench/venues/c/run.py': 'import sys\n\nsys.path.append(sys.argv[1])\nfrom common import probe\n\n\ndef main(xs):\n    out = []\n    for x in xs:\n        out.append(probe(x))\n    return out\n\n\nif __name__ == "__main__":\n    print(main(range(40)))\n',
  });
  const roots = new ImportRoots(DISK);
  const common = path.join(dir, 'bench', 'common.py');
  assert.equal(roots.locate('common.probe', path.join(dir, 'bench', 'venues', 'a', 'run.py'))?.file, common);
  assert.equal(roots.locate('common.probe', path.join(dir, 'bench', 'venues', 'b', 'run.py'))?.file, common);
  // a folder the code computes from its arguments is not guessed
  assert.equal(roots.locate('common.probe', path.join(dir, 'bench', 'venues', 'c', 'run.py')), null);
  const store = new SummaryStore(await getParser());
  assert.match((await verdicts(path.join(dir, 'bench', 'venues', 'a', 'run.py'), store)).main, /^PAR201 safe/);
  assert.doesNotMatch(await hoverAt(path.join(dir, 'bench', 'venues', 'c', 'run.py'), 9), /time\.sleep/);
});

test("a `sys.path.append(…)` line added to a script in the editor is read when the script's summaries are invalidated, not kept from its first reading", async () => {
  const dir = writePackage({
    'bench/common.py': 'import time\n\n\ndef probe(x):\n    time.sleep(0.05)\n    return x * 2\n',
    'bench/venues/a/run.py': 'from common import probe\n',
  });
  const run = path.join(dir, 'bench', 'venues', 'a', 'run.py');
  const edited = new Map<string, string>();
  const store = new SummaryStore(await getParser(), { ...DISK, readText: (f) => edited.get(path.resolve(f)) ?? DISK.readText(f) });
  assert.equal(store.roots.locate('common.probe', run), null);
  edited.set(run, 'import os\nimport sys\n\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))\nfrom common import probe\n');
  store.invalidate(run);
  assert.equal(store.roots.locate('common.probe', run)?.file, path.join(dir, 'bench', 'common.py'));
});

test('an absolute import naming a folder the file is in (`from src.functions.cascade import f` inside `src/functions/`, folders without `__init__.py`) resolves from the folder above it (round 35: influence-maximisation loops whose callee had no summary)', async () => {
  const dir = writePackage({
    'src/functions/cascade.py': 'import random\n\n\ndef spread(graph, seeds, runs=200):\n    total = 0\n    for _ in range(runs):\n        active = list(seeds)\n        for node in active:\n            for other in graph.get(node, []):\n                if other not in active and random.random() < 0.1:\n                    active.append(other)\n        total += len(active)\n    return total / runs\n',
    'src/functions/greedy.py': 'from src.functions.cascade import spread\n\n\ndef gains(graph, candidates):\n    out = []\n    for c in candidates:\n        out.append(spread(graph, [c]))\n    return out\n',
  });
  const roots = new ImportRoots(DISK);
  assert.equal(roots.locate('src.functions.cascade.spread', path.join(dir, 'src', 'functions', 'greedy.py'))?.file, path.join(dir, 'src', 'functions', 'cascade.py'));
  // a first part naming no folder around the file is not guessed
  assert.equal(roots.locate('lib.functions.cascade.spread', path.join(dir, 'src', 'functions', 'greedy.py')), null);
  assert.doesNotMatch(await hoverAt(path.join(dir, 'src', 'functions', 'greedy.py'), 5), /has no summary of/);
});

test('a coroutine awaited through a chain of five coroutines from the one task of `asyncio.run` holds up nobody, whatever other files define functions of the same names, a signature split over lines or the name spelled in a string (round 35: a benchmark worker)', async () => {
  const chain = 'import asyncio\nimport json\nimport sys\nimport urllib.request\n\n\ndef main():\n    asyncio.run(serve(\n        1,\n    ))\n\n\nasync def serve(\n    a: int,\n) -> None:\n    for line in sys.stdin:\n        print(await build(json.loads(line)), flush=True)\n\n\nasync def build(req):\n    phase = req.get("phase", "after")\n    if phase == "before":\n        return await before(req)\n    return await after(req)\n\n\nasync def before(req):\n    return await position(req)\n\n\nasync def after(req):\n    return await position(req)\n\n\nasync def position(\n    req: dict,\n) -> str:\n    return {\n        "price": str(await price(req)),\n    }\n\n\nasync def price(req):\n    return public_json(req, "/book")\n\n\ndef public_json(req, path):\n    with urllib.request.urlopen("https://x.invalid" + path, timeout=5) as response:\n        return json.loads(response.read().decode())\n\n\nif __name__ == "__main__":\n    main()\n';
  const dir = writePackage({
    'venues/a/worker.py': chain,
    'venues/b/worker.py': 'import asyncio\n\n\nasync def build(req):\n    return req\n\n\nasync def after(req):\n    return await asyncio.gather(build(req), build(req))\n',
    'venues/c/worker.py': chain.replace('    asyncio.run(serve(\n        1,\n    ))\n', '    asyncio.run(serve(1))\n\n\nasync def many(reqs):\n    return await asyncio.gather(*(price(r) for r in reqs))\n'),
  });
  const parser = await getParser();
  const stalls = (file: string) => {
    const checked = checkFile(parser, path.join(dir, file), CONFIG, new SummaryStore(parser));
    assert.ok(checked.ok);
    return checked.findings.filter((f) => f.code === 'PAR203').map((f) => f.span.startLine + 1);
  };
  assert.deepEqual(stalls('venues/a/worker.py'), []);
  // gathered with other tasks, the same blocking call holds them up
  assert.deepEqual(stalls('venues/c/worker.py'), [46]);
});

test("a function exported in its package's `__all__` and handed to a process pool by another module already runs concurrently: the `__all__` string is no call (round 37: a tuner's evaluation loop, inside a capped pool at its only caller)", async () => {
  const dir = writePackage({
    'tuner/__init__.py': 'from .evaluate import (\n    evaluate_all,\n)\n\n__all__ = [\n    "evaluate_all",\n]\n',
    'tuner/evaluate.py': 'import subprocess\n\n\ndef evaluate_all(binary, datasets, seed):\n    scores = []\n    for name in datasets:\n        done = subprocess.run([binary, name, str(seed)], capture_output=True, text=True)\n        scores.append(done.stdout)\n    return scores\n',
    'tuner/core.py': 'from concurrent.futures import ProcessPoolExecutor\n\nfrom .evaluate import evaluate_all\n\n\ndef tune(binary, datasets, seeds, workers):\n    with ProcessPoolExecutor(max_workers=workers) as pool:\n        futures = [pool.submit(evaluate_all, binary,\n                               datasets, s) for s in seeds]\n        return [f.result() for f in futures]\n\n\nif __name__ == "__main__":\n    print(tune("./solver", ["a", "b"], range(12), 4))\n',
  });
  const out = await verdicts(path.join(dir, 'tuner', 'evaluate.py'), new SummaryStore(await getParser()));
  assert.match(out.evaluate_all, /^not reported: .*already-concurrent/, JSON.stringify(out));
});

test("a coroutine another module awaits from its own `asyncio.run` pipeline, and tests await or patch by a dotted string, holds up nobody when it blocks; a caller that starts a task first, it does (round 59: three PAR203 on one `requests.get` before a gather)", async () => {
  const api = 'import asyncio\n\nimport requests\n\n\ndef top_ids(limit):\n    return requests.get("https://x.invalid/top", timeout=5).json()[:limit]\n\n\nasync def one(i):\n    await asyncio.sleep(0)\n    return i\n\n\nasync def details(ids):\n    return await asyncio.gather(*(one(i) for i in ids))\n\n\nasync def filtered(limit):\n    ids = top_ids(limit)\n    return await details(ids)\n';
  const dir = writePackage({
    'app/__init__.py': '',
    'app/api.py': api,
    'app/main.py': 'import asyncio\n\nfrom app.api import filtered\n\n\nasync def fetch(limit):\n    print("fetching")\n    stories = await filtered(\n        limit,\n    )\n    return len(stories)\n\n\ndef cli():\n    return asyncio.run(fetch(10))\n',
    'tests/test_main.py': 'from unittest.mock import patch\n\nfrom app.main import fetch\nfrom app.api import filtered\n\n\nasync def test_filtered():\n    assert await filtered(3) is not None\n\n\ndef test_cli(monkeypatch):\n    monkeypatch.setattr("app.main.fetch", lambda *a: None)\n    with patch(\'app.api.filtered\') as f:\n        pass\n',
    'other/__init__.py': '',
    'other/api.py': api,
    'other/main.py': 'import asyncio\n\nfrom other.api import filtered\n\n\nasync def tick():\n    await asyncio.sleep(1)\n\n\nasync def fetch(limit):\n    beat = asyncio.create_task(tick())\n    stories = await filtered(limit)\n    await beat\n    return len(stories)\n\n\ndef cli():\n    return asyncio.run(fetch(10))\n',
  });
  const parser = await getParser();
  const stalls = (file: string) => {
    const checked = checkFile(parser, path.join(dir, file), CONFIG, new SummaryStore(parser));
    assert.ok(checked.ok);
    return checked.findings.filter((f) => f.code === 'PAR203').map((f) => f.span.startLine + 1);
  };
  assert.deepEqual(stalls('app/api.py'), []);
  // the caller in the other module runs a task of its own while the blocking call waits
  assert.deepEqual(stalls('other/api.py'), [20]);
});

test("a function of another module whose work is a regex on its argument, handed to `asyncio.to_thread` in a loop, is analysed, not an internal error (round 62: a streaming app's lesson routes could not be checked)", async () => {
  const dir = writePackage({
    'pkg/__init__.py': '',
    'pkg/extract.py': 'import re\n\n\ndef extract_text(path):\n    return re.findall(r"\\w+", path)\n',
    'pkg/routes.py': 'import asyncio\n\nfrom pkg.extract import extract_text\n\n\nasync def handle(sources):\n    out = []\n    for src in sources:\n        out.append(await asyncio.to_thread(extract_text, src * 40))\n    return out\n',
  });
  const parser = await getParser();
  const checked = checkFile(parser, path.join(dir, 'pkg', 'routes.py'), CONFIG, new SummaryStore(parser));
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
});

test("an object handed in as a parameter is an instance of the class its annotation names, or else of the only class of the project (its tests left out) defining the method called; a request handler whose `get` paces every request from one timestamp is then shared state (round 64: two PAR202 through a vulnerability scanner's throttled handler)", async () => {
  const handler = [
    'import asyncio',
    'import time',
    '',
    'import httpx',
    '',
    '',
    'class RequestHandler:',
    '    def __init__(self):',
    '        self._client = httpx.AsyncClient()',
    '        self._last = 0.0',
    '',
    '    async def _throttle(self):',
    '        wait = 0.3 - (time.perf_counter() - self._last)',
    '        if wait > 0:',
    '            await asyncio.sleep(wait)',
    '        self._last = time.perf_counter()',
    '',
    '    async def get(self, url):',
    '        await self._throttle()',
    '        return await self._client.get(url)',
    '',
  ].join('\n');
  const pages = [
    'import httpx',
    '',
    '',
    'class Pages:',
    '    def __init__(self, timeout):',
    '        self.timeout = timeout',
    '',
    '    async def fetch_page(self, url):',
    '        async with httpx.AsyncClient(timeout=self.timeout) as client:',
    '            return await client.get(url)',
    '',
  ].join('\n');
  const probes = [
    'from scanner.handler import RequestHandler',
    '',
    '',
    'async def annotated(base, paths, request_handler: RequestHandler):',
    '    found = []',
    '    for path in paths:',
    '        response = await request_handler.get(base + path)',
    '        found.append(response.status_code)',
    '    return found',
    '',
    '',
    'async def untyped(base, paths, request_handler):',
    '    found = []',
    '    for path in paths:',
    '        response = await request_handler.get(base + path)',
    '        found.append(response.status_code)',
    '    return found',
    '',
    '',
    'async def unthrottled(base, paths, pages):',
    '    found = []',
    '    for path in paths:',
    '        response = await pages.fetch_page(base + path)',
    '        found.append(response.status_code)',
    '    return found',
    '',
    '',
    'def lookups(keys, table):',
    '    out = []',
    '    for k in keys:',
    '        out.append(table.get(k))',
    '    return out',
    '',
    '',
    '',
    'class Probe:',
    '    async def sweep(self, base, paths):',
    '        found = []',
    '        for path in paths:',
    '            found.append(await self.fetch_page(base + path))',
    '        return found',
    '',
    'if __name__ == "__main__":',
    '    import asyncio',
    '',
    '    from scanner.pages import Pages',
    '',
    '    print(asyncio.run(unthrottled("https://site.test", [f"/{i}" for i in range(30)], Pages(10))), lookups("ab", {}), asyncio.run(Probe().sweep("u", ["/a"] * 30)))',
    '',
  ].join('\n');
  const dir = writePackage({
    'pyproject.toml': '[project]\nname = "scanner"\n',
    'scanner/__init__.py': '',
    'scanner/handler.py': handler,
    'scanner/pages.py': pages,
    'scanner/probes.py': probes,
    // a test's stand-in defining `get` too is not what the program runs
    'tests/test_probes.py': 'class FakeHandler:\n    async def get(self, url):\n        return None\n',
  });
  const file = path.join(dir, 'scanner', 'probes.py');
  const out = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(out.annotated, /^not reported: .*shared-state/, JSON.stringify(out));
  assert.match(out.untyped, /^not reported: .*shared-state/, JSON.stringify(out));
  // a coroutine of the only class defining it that changes nothing on `self`: the awaits are independent, but which
  // class the object is of is a guess, so the fix is unsafe and the hover says so
  assert.match(out.unthrottled, /^PAR202 unsafe/, JSON.stringify(out));
  const hover = await hoverAt(file, 21);
  assert.match(hover, /`pages` is a parameter whose class is not told: it is taken to be a `Pages`, the only class of the project that defines `fetch_page`/, hover);
  // a dict's `get` on a parameter is not taken for the handler's coroutine
  assert.doesNotMatch(out.lookups, /shared-state/, JSON.stringify(out));
  // nor is a method's `self` a parameter whose class is guessed: it is a `Probe` (round 66: two PAR202 where `self`
  // was taken for the only class of the project defining the methods it calls)
  assert.doesNotMatch(out.sweep, /^PAR202/, JSON.stringify(out));
  // with the test's stand-in in the project's code, two classes define `get`: the untyped parameter is not guessed
  fs.mkdirSync(path.join(dir, 'scanner', 'fakes'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'scanner', 'fakes', 'fake.py'), 'class FakeHandler:\n    async def get(self, url):\n        return None\n');
  const again = await verdicts(file, new SummaryStore(await getParser()));
  assert.match(again.annotated, /^not reported: .*shared-state/, JSON.stringify(again));
  assert.doesNotMatch(again.untyped, /shared-state/, JSON.stringify(again));
});
