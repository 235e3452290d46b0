// Whether a loop's function runs at all, and whether it already runs on a pool, judged from where its name is written
// in the project (workspace/callSites.ts, analysis/reach.ts): a loop nothing calls is "never runs", one every caller
// hands to an executor is "already runs concurrently"; decorators, base classes, packaged public names and callers
// that only a text outside Python names keep the finding. The answers follow edits (the result cache too).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../server/src/workspace/callSites';
import { REPO, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');

function cli(args: string[], cwd: string): string {
  const env = { ...process.env };
  delete env.PARALLELIZE_CACHE_DIR;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env });
  assert.equal(r.error, undefined, `the CLI ran to the end: ${r.error}`);
  return r.stdout;
}

/** A project (a README marks its root) with these files. */
function project(files: Record<string, string>): string {
  const dir = tempDir('parallelize-reach-');
  fs.writeFileSync(path.join(dir, 'README.md'), '# a project\n');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The loops `check` reports, as `file:line`. */
function reported(dir: string, cache = false): string[] {
  const out = cli(['check', ...(cache ? [] : ['--no-cache']), '--select', 'PAR1,PAR2', '--format', 'json', '.'], dir);
  return (JSON.parse(out) as Array<{ file: string; line: number }>).map((f) => `${f.file.split(path.sep).join('/')}:${f.line}`).sort();
}

// (disk images: files large by kind, whose hashing is work a pool overlaps)
const HASHES = `import hashlib

IMAGE_SUFFIXES = (".iso", ".img")


def digest_all(paths):
    out = {}
    for p in paths:
        with open(p, "rb") as fh:
            out[p] = hashlib.sha256(fh.read()).hexdigest()
    return out
`;

test('a loop in a function nothing calls never runs: not reported, and the hover says why; a call anywhere brings it back', () => {
  const dir = project({ 'tools/hashes.py': HASHES, 'main.py': 'import sys\n\nprint(sys.argv)\n' });
  assert.deepEqual(reported(dir), []);
  // a commented-out call is no call
  fs.writeFileSync(path.join(dir, 'main.py'), 'import sys\n\n# from tools.hashes import digest_all\nprint(sys.argv)  # digest_all(sys.argv)\n');
  assert.deepEqual(reported(dir), []);
  const hover = cli(['explain', 'tools/hashes.py:8'], dir);
  assert.match(hover, /never runs/);
  assert.match(hover, /nothing in the project calls `digest_all`/i);
  // a caller in another module, a notebook or a shell script is a caller
  for (const [file, text] of [
    ['main.py', 'import sys\nfrom tools.hashes import digest_all\n\nprint(digest_all(sys.argv[1:]))\n'],
    ['analysis.ipynb', '{"cells": [{"source": ["from tools.hashes import digest_all\\n", "digest_all(files)"]}]}'],
    ['run.sh', 'python -c "from tools.hashes import digest_all; digest_all([])"\n'],
  ]) {
    const other = project({ 'tools/hashes.py': HASHES, 'main.py': 'print(1)\n', [file]: text });
    assert.deepEqual(reported(other), ['tools/hashes.py:8'], `called from ${file}`);
  }
});

test('the result cache follows callers: a call added elsewhere brings the finding back, its removal takes it away', () => {
  const dir = project({ 'tools/hashes.py': HASHES, 'main.py': 'print(1)\n' });
  assert.deepEqual(reported(dir, true), []);
  assert.deepEqual(reported(dir, true), []);
  fs.writeFileSync(path.join(dir, 'main.py'), 'import sys\nfrom tools.hashes import digest_all\n\nprint(digest_all(sys.argv[1:]))\n');
  assert.deepEqual(reported(dir, true), ['tools/hashes.py:8']);
  fs.writeFileSync(path.join(dir, 'main.py'), 'print(2)\n');
  assert.deepEqual(reported(dir, true), []);
});

test('callers that no text names keep the finding: decorators, protocols, base classes, public names of a packaged module', () => {
  const body = (name: string, indent = '') =>
    `${indent}def ${name}(paths):\n${indent}    out = {}\n${indent}    for p in paths:\n${indent}        with open(p, "rb") as fh:\n${indent}            out[p] = hashlib.sha256(fh.read()).hexdigest()\n${indent}    return out\n`;
  const dir = project({
    'app.py': `import hashlib\nimport functools\n\nIMAGE_SUFFIXES = (".iso", ".img")\n\n\n@functools.cache\n${body('routed')}\n\nclass Handler(BaseHandler):\n${body('handle', '    ')}\n\nclass Plain:\n${body('unused_method', '    ')}\n`,
  });
  const loops = fs.readFileSync(path.join(dir, 'app.py'), 'utf8').split('\n').flatMap((l, i) => (l.includes('for p in paths') ? [`app.py:${i + 1}`] : []));
  assert.equal(loops.length, 3);
  assert.deepEqual(reported(dir), loops.slice(0, 2).sort(), 'the decorated function and the method of a subclass are reported, the unused method of a plain class is not');
  assert.match(cli(['explain', loops[2]], dir), /never runs/);

  const packaged = project({ 'setup.py': 'from setuptools import setup\nsetup(name="p")\n', 'pkg/__init__.py': '', 'pkg/api.py': HASHES + '\n\n' + HASHES.replace('import hashlib\n', '').replace('digest_all', '_private_digests') });
  assert.deepEqual(reported(packaged), ['pkg/api.py:8'], 'a public function of a packaged module is an API; a private one nothing calls never runs');

  // `[project]` with a build back end is a package others install; without one (`uv init`), an application's dependencies
  const pyproject = '[project]\nname = "p"\nversion = "0.1.0"\ndependencies = ["requests"]\n';
  const built = project({ 'pyproject.toml': `${pyproject}\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n`, 'pkg/__init__.py': '', 'pkg/api.py': HASHES });
  assert.deepEqual(reported(built), ['pkg/api.py:8'], 'a public function of a package with a build back end is an API');
  const app = project({ 'pyproject.toml': pyproject, 'pkg/__init__.py': '', 'pkg/api.py': HASHES });
  assert.deepEqual(reported(app), [], "an application's function nothing calls never runs, whatever its pyproject.toml lists");
});

test('a function only called from a function nothing calls never runs either', () => {
  const dir = project({
    'tools/hashes.py': HASHES,
    'tools/cli.py': 'from tools.hashes import digest_all\n\n\ndef forgotten(paths):\n    return digest_all(paths)\n',
    'main.py': 'print(1)\n',
  });
  assert.deepEqual(reported(dir), []);
  assert.match(cli(['explain', 'tools/hashes.py:8'], dir), /called only from `forgotten`, which nothing in the project calls/);
});

const SCAN = `import socket


def scan_host(host, ports):
    found = []
    for port in ports:
        found.append(probe(host, port))
    return found


def probe(host, port):
    s = socket.create_connection((host, port), timeout=1)
    s.close()
    return port
`;

test('a function every caller hands to a pool already runs concurrently: not reported; a plain call anywhere brings it back', () => {
  const pooled = 'from concurrent.futures import ThreadPoolExecutor\nfrom scan import scan_host\n\nif __name__ == "__main__":\n    with ThreadPoolExecutor(8) as ex:\n        futures = [ex.submit(scan_host, h, range(1, 1024)) for h in ["a", "b"]]\n        print([f.result() for f in futures])\n';
  const dir = project({ 'scan.py': SCAN, 'main.py': pooled });
  assert.deepEqual(reported(dir), []);
  const hover = cli(['explain', 'scan.py:6'], dir);
  assert.match(hover, /already runs concurrently/);
  assert.match(hover, /handed to `submit` at main\.py:6/);
  // through a caller that is itself submitted; and a thread's target
  const through = project({ 'scan.py': SCAN + '\n\ndef sweep(host):\n    return scan_host(host, range(1, 1024))\n', 'main.py': pooled.replace(/scan_host, h, range\(1, 1024\)/, 'sweep, h').replace('import scan_host', 'import sweep') });
  assert.deepEqual(reported(through), []);
  const threads = project({ 'scan.py': SCAN, 'main.py': 'import threading\nfrom scan import scan_host\n\nfor h in ["a", "b"]:\n    threading.Thread(target=scan_host, args=(h, range(1, 1024))).start()\n' });
  assert.deepEqual(reported(threads), []);
  // one plain call: the loop may run alone there
  const mixed = project({ 'scan.py': SCAN, 'main.py': pooled + '\nprint(scan_host("c", range(1, 1024)))\n' });
  assert.deepEqual(reported(mixed), ['scan.py:6']);
  // a pandas `.map` is no pool; an alias hides the name (so nothing is concluded)
  const pandas = project({ 'scan.py': SCAN, 'main.py': 'import pandas as pd\nfrom scan import scan_host\n\ndf = pd.DataFrame({"h": ["a"]})\nprint(df["h"].map(scan_host))\n' });
  assert.deepEqual(reported(pandas), ['scan.py:6']);
  const alias = project({ 'scan.py': SCAN, 'main.py': pooled.replace('import scan_host', 'import scan_host as sh').replace('submit(scan_host', 'submit(sh') });
  assert.deepEqual(reported(alias), ['scan.py:6']);
  // the progress-bar pools and joblib hand it to workers too (round 44: a comprehension inside a function run by `pqdm`)
  const launched: Array<[string, RegExp, string]> = [
    ['pqdm', /handed to `pqdm` at main\.py:5/, 'from pqdm.processes import pqdm\nfrom scan import scan_host\n\nif __name__ == "__main__":\n    print(pqdm([("a", range(1, 1024))], scan_host, n_jobs=6, argument_type="args"))\n'],
    ['process_map', /handed to tqdm's `process_map` at main\.py:5/, 'from tqdm.contrib.concurrent import process_map\nfrom scan import scan_host\n\nif __name__ == "__main__":\n    print(process_map(scan_host, ["a", "b"], [range(1, 1024)] * 2))\n'],
    ['joblib', /handed to joblib's `delayed` at main\.py:5/, 'from joblib import Parallel, delayed\nfrom scan import scan_host\n\nif __name__ == "__main__":\n    print(Parallel(n_jobs=4)(delayed(scan_host)(h, range(1, 1024)) for h in "ab"))\n'],
  ];
  for (const [what, hover, main] of launched) {
    const dir = project({ 'scan.py': SCAN, 'main.py': main });
    assert.deepEqual(reported(dir), [], what);
    assert.match(cli(['explain', 'scan.py:6'], dir), hover, what);
  }
});

test("a project's root: the repository or package metadata above a file, else the highest README, else the directories of Python files", () => {
  const dir = project({ 'src/app/deep/mod.py': 'x = 1\n', 'src/app/pyproject.toml': '[project]\nname = "a"\n' });
  assert.equal(projectRoot(path.join(dir, 'src/app/deep/mod.py')), path.join(dir, 'src/app'));
  fs.rmSync(path.join(dir, 'src/app/pyproject.toml'));
  assert.equal(projectRoot(path.join(dir, 'src/app/deep/mod.py')), dir);
  const bare = tempDir('parallelize-reach-bare-');
  fs.mkdirSync(path.join(bare, 'a', 'b'), { recursive: true });
  fs.writeFileSync(path.join(bare, 'a', 'main.py'), '');
  fs.writeFileSync(path.join(bare, 'a', 'b', 'mod.py'), '');
  assert.equal(projectRoot(path.join(bare, 'a', 'b', 'mod.py')), path.join(bare, 'a'));
});

test("the asyncio.run alternative is declined when a coroutine of another module calls the loop's function", () => {
  const fetcher = 'import requests\n\n\ndef fetch_all(urls):\n    pages = []\n    for url in urls:\n        pages.append(requests.get(url, timeout=10).text)\n    return pages\n';
  const sync = project({ 'fetch.py': fetcher, 'main.py': 'import sys\nfrom fetch import fetch_all\n\nprint(fetch_all(sys.argv[1:]))\n' });
  const fixes = (dir: string) => (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR201', '--format', 'json', '.'], dir)) as Array<{ fixes: Array<{ title: string }> }>)[0].fixes.map((f) => f.title).join(' | ');
  assert.match(fixes(sync), /asyncio/, 'called from plain code: the asyncio alternative is offered');
  const fromCoroutine = project({ 'fetch.py': fetcher, 'bot.py': 'from fetch import fetch_all\n\n\n@bot.command()\nasync def on_command(ctx, urls):\n    await ctx.send(str(fetch_all(urls)))\n' });
  assert.doesNotMatch(fixes(fromCoroutine), /asyncio/, 'called from a coroutine of another module: asyncio.run would raise there');
  assert.match(cli(['explain', 'fetch.py:6'], fromCoroutine), /`fetch_all` is called from `async def on_command` \(bot\.py:6\)/);
});

test('a process pool is not offered for a loop at the top level of a module the project imports: the guard it needs would leave the importers without what it builds', () => {
  const tables = 'import hashlib\n\nSALTS = [f"salt{i}".encode() for i in range(64)]\nKEYS = [hashlib.pbkdf2_hmac("sha256", b"secret", salt, 200_000) for salt in SALTS]\n';
  assert.deepEqual(reported(project({ 'tables.py': tables })), ['tables.py:4'], 'a script run on its own gets its pool');
  const dir = project({ 'tables.py': tables, 'app.py': 'from tables import KEYS\n\nprint(len(KEYS))\n' });
  assert.deepEqual(reported(dir), []);
  assert.match(cli(['explain', 'tables.py:4'], dir), /runs when the module is imported \(`app\.py:1` imports it\)/);
});

test('a blocking call in a coroutine holds up nobody where no file of the project runs two tasks at once (no gather, task, server or framework): PAR203 is not reported there', () => {
  const adapter = 'import time\n\nimport requests\n\n\nclass Adapter:\n    async def scrape(self, urls):\n        pages = []\n        for url in urls:\n            pages.append(requests.get(url, timeout=10).text)\n            time.sleep(2)\n        return pages\n';
  const sequential = 'import asyncio\n\nfrom adapter import Adapter\n\n\nasync def main():\n    print(len(await Adapter().scrape(["https://example.org"])))\n\n\nasyncio.run(main())\n';
  const codes = (dir: string) => (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR203', '--format', 'json', '.'], dir)) as Array<{ file: string; line: number }>).map((f) => `${f.file}:${f.line}`).sort();
  assert.deepEqual(codes(project({ 'adapter.py': adapter, 'main.py': sequential })), [], 'one pipeline awaited in sequence');
  const gathered = sequential.replace('print(len(await Adapter().scrape(["https://example.org"])))', 'print(await asyncio.gather(Adapter().scrape(["https://a.test"]), Adapter().scrape(["https://b.test"])))');
  assert.deepEqual(codes(project({ 'adapter.py': adapter, 'main.py': gathered })), ['adapter.py:10', 'adapter.py:11'], 'two scrapes gathered: each blocks the other');
});

test("a coroutine's name in the words of a string (`print(f\"Failed to migrate {v}\")`) is no call of it: a one-shot migration run by `asyncio.run` still runs alone between its batches (round 63: sqlite reads after a finished gather)", () => {
  const script = (extra: string) => `import asyncio
import sqlite3


class Migrator:
    async def migrate(self, path):
        conn = sqlite3.connect(path)
        cursor = conn.cursor()
        batches = []
        offset = 0
        while True:
            cursor.execute("SELECT * FROM rows LIMIT 100 OFFSET ?", (offset,))
            rows = cursor.fetchall()
            if not rows:
                break
            batches.append(rows)
            offset += 100
        for rows in batches:
            await self._batch(rows)
        print(f"Rows left to migrate: {offset}")

    async def _batch(self, rows):
        results = await asyncio.gather(*(self._one(r) for r in rows), return_exceptions=True)
        for r in results:
            if isinstance(r, Exception):
                print(f"Failed to migrate row: {r}")

    async def _one(self, row):
        await asyncio.sleep(0.01)
        return row
${extra}

def main():
    async def run():
        await Migrator().migrate("rows.db")

    asyncio.run(run())


if __name__ == "__main__":
    main()
`;
  const codes = (dir: string) => (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR203', '--format', 'json', '.'], dir)) as Array<{ file: string; line: number }>).map((f) => `${f.file}:${f.line}`).sort();
  assert.deepEqual(codes(project({ 'migrate_rows.py': script('') })), [], 'the only task of its loop when it reads');
  // called for real from a coroutine gathered with others: each read stalls them
  const gathered = script('\n\nasync def both():\n    await asyncio.gather(Migrator().migrate("a.db"), Migrator().migrate("b.db"))\n');
  assert.deepEqual(codes(project({ 'migrate_rows.py': gathered })), ['migrate_rows.py:12'], 'two migrations gathered');
});

test("a coroutine awaited only while a server starts (a lifespan before its `yield`, a start-up hook) holds up no request: PAR203 is not reported there (round 45: S3 downloads before a FastAPI app serves)", () => {
  const loader = 'import requests\n\n\nclass Loader:\n    async def load(self, url):\n        return requests.get(url, timeout=10).json()\n';
  const app = (body: string) => `from contextlib import asynccontextmanager\n\nfrom fastapi import FastAPI\n\nfrom loader import Loader\n\nloader = Loader()\nSTATE = {}\n\n\n${body}\n\n\n@app.get("/items")\nasync def items():\n    return STATE["index"]\n`;
  const lifespan = app('@asynccontextmanager\nasync def lifespan(app):\n    STATE["index"] = await loader.load("https://example.org/index.json")\n    yield\n    STATE.clear()\n\n\napp = FastAPI(lifespan=lifespan)');
  const codes = (dir: string) => (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR203', '--format', 'json', '.'], dir)) as Array<{ file: string; line: number }>).map((f) => `${f.file}:${f.line}`).sort();
  assert.deepEqual(codes(project({ 'loader.py': loader, 'main.py': lifespan })), [], 'awaited before the lifespan yields');
  const hook = app('app = FastAPI()\n\n\n@app.on_event("startup")\nasync def warm():\n    STATE["index"] = await loader.load("https://example.org/index.json")');
  assert.deepEqual(codes(project({ 'loader.py': loader, 'main.py': hook })), [], 'awaited in a start-up hook');
  // after the `yield` (on shutdown), or from a route as well: requests wait behind it
  const route = lifespan.replace('return STATE["index"]', 'return await loader.load("https://example.org/index.json")');
  assert.deepEqual(codes(project({ 'loader.py': loader, 'main.py': route })), ['loader.py:6'], 'a route awaits it too');
  const afterYield = lifespan.replace('    STATE["index"] = await loader.load("https://example.org/index.json")\n    yield\n', '    yield\n    STATE["index"] = await loader.load("https://example.org/index.json")\n');
  assert.deepEqual(codes(project({ 'loader.py': loader, 'main.py': afterYield })), ['loader.py:6'], 'after the yield the server is serving');
});

test('an executor stored on an object that nothing in the project uses starts no worker: PAR405 is not reported; a use in another module brings it back (round 48)', () => {
  const downloader = `from concurrent.futures import ThreadPoolExecutor


class Downloader:
    def __init__(self):
        self.spare_executor = ThreadPoolExecutor(8)
        self.name = "d"

    def run(self, urls):
        return [u.upper() for u in urls]
`;
  const dir = project({ 'app/downloader.py': downloader, 'main.py': 'from app.downloader import Downloader\n\nprint(Downloader().run(["a"]))\n' });
  const risks = () => (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR405', '--format', 'json', '.'], dir)) as Array<{ file: string; line: number }>).map((f) => `${f.file.split(path.sep).join('/')}:${f.line}`);
  assert.deepEqual(risks(), []);
  fs.writeFileSync(path.join(dir, 'main.py'), 'from app.downloader import Downloader\n\n\ndef handle(n):\n    return Downloader().spare_executor.submit(str, n).result()\n\n\nprint(handle(1))\n');
  assert.deepEqual(risks(), ['app/downloader.py:6']);
});

test('an executor of an object the project makes once at the top level of a module lives as long as the program: PAR405 is not reported; made per call, it is (round 48)', () => {
  const service = `from concurrent.futures import ThreadPoolExecutor


class Service:
    def __init__(self, workers):
        self.executor = ThreadPoolExecutor(max_workers=workers)

    def submit(self, item):
        return self.executor.submit(str.upper, item)
`;
  const once = 'from app.service import Service\n\nservice = Service(4)\n\nif __name__ == "__main__":\n    print(service.submit("a").result())\n';
  const dir = project({ 'app/service.py': service, 'run.py': once });
  const risks = () => (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR405', '--format', 'json', '.'], dir)) as Array<{ file: string; line: number }>).map((f) => `${f.file.split(path.sep).join('/')}:${f.line}`);
  assert.deepEqual(risks(), []);
  fs.writeFileSync(path.join(dir, 'run.py'), 'from app.service import Service\n\n\ndef handle(item):\n    return Service(4).submit(item).result()\n\n\nif __name__ == "__main__":\n    print(handle("a"))\n');
  assert.deepEqual(risks(), ['app/service.py:6']);
});

test('a process pool offered in a function an entry script calls at its top level, unguarded, is doubted: under spawn each worker runs that script again (round 49: BrokenProcessPool in a stain generator)', () => {
  const work = `import hashlib


def digests(words):
    out = []
    for w in words:
        out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"salt", 200_000).hex())
    return out
`;
  const dir = project({ 'tools/work.py': work, 'run.py': 'import sys\n\nimport tools.work\n\nprint(tools.work.digests(sys.argv[1:] * 100))\n' });
  const hover = () => cli(['explain', 'tools/work.py:6', '--no-cache'], dir);
  assert.match(hover(), /`run\.py:5` calls this function at its top level with no `if __name__ == "__main__":` guard/);
  fs.writeFileSync(path.join(dir, 'run.py'), 'import sys\n\nimport tools.work\n\nif __name__ == "__main__":\n    print(tools.work.digests(sys.argv[1:] * 100))\n');
  assert.doesNotMatch(hover(), /calls this function at its top level/);
});

test("a coroutine of a stand-alone script calling its own `main` is not a caller of another script's `main` (round 50: four hovers named an unrelated script)", () => {
  const dir = project({
    'scan.py': 'import sys\n\nimport requests\n\n\ndef main(urls):\n    out = []\n    for u in urls:\n        out.append(requests.get(u, timeout=10).status_code)\n    return out\n\n\nif __name__ == "__main__":\n    print(main(sys.argv[1:]))\n',
    'other.py': 'import asyncio\n\n\nasync def main(n):\n    await asyncio.sleep(n)\n\n\nasync def run():\n    await main(1)\n\n\nasyncio.run(run())\n',
  });
  assert.doesNotMatch(cli(['explain', 'scan.py:8', '--no-cache'], dir), /is called from `async def/);
});

test('a loop in a method of a class nothing in the project names never runs: not reported; an instance made anywhere brings it back (round 49: a manager class never instantiated)', () => {
  const manager = `import hashlib


class Manager:
    def digests(self, words):
        out = []
        for w in words:
            out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"salt", 200_000).hex())
        return out
`;
  const dir = project({ 'app/manager.py': manager, 'main.py': 'import sys\n\nprint(sys.argv)\n' });
  assert.deepEqual(reported(dir), []);
  assert.match(cli(['explain', 'app/manager.py:7', '--no-cache'], dir), /nothing in the project names the class `Manager`/i);
  fs.writeFileSync(path.join(dir, 'main.py'), 'import sys\n\nfrom app.manager import Manager\n\nif __name__ == "__main__":\n    print(Manager().digests(sys.argv[1:] * 50))\n');
  assert.deepEqual(reported(dir), ['app/manager.py:7']);
});

test('a loop in a module nothing in the project imports or runs never runs: not reported, even where its function is named elsewhere; an import, a dynamic import, a main block or a top-level call brings it back (round 52: report sections no module imported)', () => {
  const section = `import hashlib


def build_section(words):
    out = []
    for w in words:
        out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"salt", 200_000).hex())
    return out
`;
  // another module defines and calls a function of the same name: the word is written, the module is not
  const live = 'import hashlib\n\n\ndef build_section(words):\n    return [hashlib.md5(w.encode()).hexdigest() for w in words]\n';
  const main = 'import sys\n\nfrom report.live import build_section\n\nif __name__ == "__main__":\n    print(build_section(sys.argv[1:]))\n';
  const dir = project({ 'report/sections/old_findings.py': section, 'report/live.py': live, 'main.py': main });
  assert.deepEqual(reported(dir), []);
  assert.match(cli(['explain', 'report/sections/old_findings.py:6', '--no-cache'], dir), /nothing in the project imports or runs this module: `old_findings` is written in no other/i);
  for (const [file, text] of [
    ['main.py', `${main}from report.sections.old_findings import build_section as old\n`],
    ['loader.py', 'import importlib\n\n\ndef load(name):\n    return importlib.import_module(f"report.sections.{name}")\n'],
    ['report/sections/old_findings.py', `${section}\n\nif __name__ == "__main__":\n    print(build_section(["a"] * 40))\n`],
    ['report/sections/old_findings.py', `${section}\n\nprint(build_section(["a"] * 40))\n`],
  ]) {
    const other = project({ 'report/sections/old_findings.py': section, 'report/live.py': live, 'main.py': main, [file]: text });
    assert.deepEqual(reported(other), ['report/sections/old_findings.py:6'], `with ${file}: ${text.split('\n').slice(-2).join(' ')}`);
  }
});

/** The PAR203 findings `check` reports, as `file:line PAR203`. */
function callFindings(dir: string): string[] {
  return (JSON.parse(cli(['check', '--no-cache', '--select', 'PAR203', '--format', 'json', '.'], dir)) as Array<{ file: string; line: number; code: string }>).map((f) => `${f.file.split(path.sep).join('/')}:${f.line} ${f.code}`).sort();
}

test('a bot run as a serverless function, handed one update per invocation (`lambda_handler` → `process_update`), runs its handlers one at a time: a blocking request in one holds up nobody; the same bot polling for updates, it does (round 65: a BrickLink bot on AWS Lambda)', () => {
  const handlers = [
    'import requests',
    '',
    '',
    'async def price_handler(update, context):',
    '    reply = requests.get("https://api.example.org/price/" + update.message.text, timeout=10).json()',
    '    await update.message.reply_text(str(reply))',
    '',
  ].join('\n');
  const lambdaApp = [
    'import asyncio',
    'import json',
    '',
    'from telegram import Update',
    'from telegram.ext import Application, CommandHandler',
    '',
    'from handlers import price_handler',
    '',
    '',
    'def lambda_handler(event, context):',
    '    asyncio.get_event_loop().run_until_complete(run(event))',
    '    return {"statusCode": 200}',
    '',
    '',
    'async def run(event):',
    '    app = Application.builder().token("t").build()',
    '    app.add_handler(CommandHandler("price", price_handler))',
    '    await app.initialize()',
    '    await app.process_update(Update.de_json(json.loads(event["body"]), app.bot))',
    '    await app.shutdown()',
    '',
  ].join('\n');
  const serverless = project({ 'handlers.py': handlers, 'app.py': lambdaApp });
  assert.deepEqual(callFindings(serverless), []);
  const polling = project({
    'handlers.py': handlers,
    'bot.py': ['from telegram.ext import Application, CommandHandler', '', 'from handlers import price_handler', '', 'app = Application.builder().token("t").build()', 'app.add_handler(CommandHandler("price", price_handler))', 'app.run_polling()', ''].join('\n'),
  });
  assert.deepEqual(callFindings(polling), ['handlers.py:5 PAR203']);
  // the serverless bot that also runs a polling loop (a local mode) handles updates concurrently there
  fs.writeFileSync(path.join(serverless, 'local.py'), 'from app import run\nfrom telegram.ext import Application\n\nApplication.builder().token("t").build().run_polling()\n');
  assert.deepEqual(callFindings(serverless), ['handlers.py:5 PAR203']);
});

test('a coroutine run by `asyncio.run` whose name is bound again on a line of its own (`get_ids = get_ids if fast else get_ids_slow`), or whose method name is also a module function called elsewhere (`uvicorn.run(app)`, `asyncio.run(main())`), still runs alone: its blocking pauses hold up nobody (round 66: four PAR203 in a Flask search and a sync daemon)', () => {
  const ingest = [
    'import asyncio',
    'import time',
    '',
    'import requests',
    '',
    '',
    'async def get_ids(query):',
    '    for _ in range(30):',
    '        if requests.get("https://api.example.org/status", params={"q": query}, timeout=10).json()["done"]:',
    '            break',
    '        time.sleep(1)',
    '    return requests.get("https://api.example.org/ids", params={"q": query}, timeout=10).json()',
    '',
    '',
    'async def get_ids_slow(query):',
    '    return []',
    '',
  ].join('\n');
  const app = [
    'import asyncio',
    '',
    'import uvicorn',
    'from flask import Flask, request',
    '',
    'from ingest import get_ids, get_ids_slow',
    '',
    'FAST = True',
    'get_ids = get_ids if FAST else get_ids_slow',
    'app = Flask(__name__)',
    '',
    '',
    '@app.route("/search")',
    'def search():',
    '    return {"ids": asyncio.run(get_ids(request.args["q"]))}',
    '',
  ].join('\n');
  const daemon = [
    'import asyncio',
    'import subprocess',
    '',
    '',
    'class SyncDaemon:',
    '    async def sync_once(self):',
    '        subprocess.run(["rsync", "-a", "src/", "dst/"], timeout=300)',
    '',
    '    async def run(self):',
    '        while True:',
    '            await self.sync_once()',
    '            await asyncio.sleep(900)',
    '',
    '',
    'async def main():',
    '    await SyncDaemon().run()',
    '',
    '',
    'if __name__ == "__main__":',
    '    asyncio.run(main())',
    '',
  ].join('\n');
  const web = 'import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\nif __name__ == "__main__":\n    uvicorn.run(app)\n';
  assert.deepEqual(callFindings(project({ 'ingest.py': ingest, 'app.py': app, 'daemon.py': daemon, 'web.py': web })), []);
  // the same daemon gathered with a server's task: its blocking rsync holds the server up
  const gathered = daemon.replace('    await SyncDaemon().run()', '    await asyncio.gather(SyncDaemon().run(), asyncio.start_server(lambda r, w: None, "0.0.0.0", 8080))');
  assert.deepEqual(callFindings(project({ 'daemon.py': gathered, 'web.py': web })), ['daemon.py:7 PAR203']);
});
