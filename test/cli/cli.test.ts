// The command-line tool: formats, exit codes, fix --diff/--write, rule pages, config errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, runPython, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO, 'examples', 'pipeline.py');

function cli(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check reports each rule of the examples at its line, exit 1', () => {
  const r = cli(['check', 'examples/']);
  assert.equal(r.status, 1);
  const codes = [...r.stdout.matchAll(/^examples\/(\w+)\.py:(\d+):(\d+): (PAR\d{3})/gm)].map((m) => `${m[1]} ${m[4]}@${m[2]}:${m[3]}`);
  assert.deepEqual(codes, [
    ...['PAR101@26:5', 'PAR102@34:5', 'PAR103@42:12', 'PAR201@60:5', 'PAR202@72:5'].map((c) => `pipeline ${c}`),
    ...['PAR203@20:5', 'PAR204@21:14', 'PAR204@26:11'].map((c) => `service ${c}`),
  ]);
  assert.match(r.stdout, /Found 8 findings in 2 files\./);
});

test('--exit-zero, --select and --ignore', () => {
  assert.equal(cli(['check', 'examples/', '--exit-zero']).status, 0);
  const only = cli(['check', 'examples/', '--select', 'PAR2']);
  assert.deepEqual([...only.stdout.matchAll(/ (PAR\d{3})/g)].map((m) => m[1]), ['PAR201', 'PAR202', 'PAR203', 'PAR204', 'PAR204']);
  const none = cli(['check', 'examples/', '--ignore', 'PAR1,PAR2']);
  assert.equal(none.status, 0);
  assert.match(none.stdout, /All checks passed/);
});

test('a file that cannot be checked is not "All checks passed": the summary says how many were not checked, and the exit status is 2 even with --exit-zero (round 35: a crash on four files read as a clean run)', () => {
  const r = cli(['check', '--no-cache', '--exit-zero', '--ignore', 'PAR1,PAR2,PAR3,PAR4', EXAMPLE, 'no-such-file.py']);
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stdout, /All checks passed/);
  assert.match(r.stdout, /^No findings in 1 file checked; 1 file could not be checked \(the errors above\)\.$/m);
  assert.match(r.stderr, /no-such-file\.py/);
});

test('a file Python cannot compile, or Python 2 code, is named in a warning, with and without the cache: its loops were not checked, and "All checks passed!" alone would hide it (round 59: a merge conflict)', () => {
  const dir = tempDir('parallelize-unchecked-');
  fs.writeFileSync(path.join(dir, 'conflict.py'), 'def total(xs):\n<<<<<<< HEAD\n    return sum(xs)\n=======\n    return sum(x for x in xs)\n>>>>>>> branch\n');
  fs.writeFileSync(path.join(dir, 'old.py'), 'for name in ["a", "b"]:\n    print name\n');
  fs.writeFileSync(path.join(dir, 'fine.py'), 'print(sum(range(10)))\n');
  for (const args of [['--no-cache'], [], []]) {
    const r = cli(['check', '.', ...args], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^parallelize: warning: conflict\.py: Python cannot compile this file \(a syntax error at line [12]\): its loops were not checked$/m);
    assert.match(r.stderr, /^parallelize: warning: old\.py: Python 2 code \(a `print` statement at line 2\): its loops were not checked$/m);
    assert.doesNotMatch(r.stderr, /fine\.py/);
  }
});

test('JSON output has the SPEC shape with 1-based positions and fix applicability', () => {
  const r = cli(['check', EXAMPLE, '--format', 'json', '--select', 'PAR101']);
  const records = JSON.parse(r.stdout);
  assert.deepEqual(records, [
    {
      file: EXAMPLE,
      line: 26,
      column: 5,
      endLine: 26,
      endColumn: 31,
      code: 'PAR101',
      message: records[0].message,
      fixes: [
        { title: 'Run the loop in a ProcessPoolExecutor', applicability: 'safe' },
        { title: 'Run the loop in a multiprocessing.Pool (map with chunksize)', applicability: 'safe' },
      ],
      estimate: records[0].estimate,
    },
  ]);
  assert.match(records[0].message, /key_strength/);
  // the cost model's figures: 8 passwords, a fixed number of pbkdf2 iterations each, worth a pool on 4 cores
  const estimate = records[0].estimate;
  assert.equal(estimate.items, 8);
  assert.equal(estimate.cores, 4);
  assert.equal(estimate.perItemIsLowerBound, false);
  assert.ok(estimate.speedup >= 1.3 && estimate.speedup <= 4, `speedup ${estimate.speedup}`);
  assert.match(estimate.summary, /per item × 8 items → about [\d.]+× on 4 cores/);
});

test('usage, missing files and unknown rules exit 2 with a one-line message', () => {
  const missing = cli(['check', 'does/not/exist.py']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /does\/not\/exist\.py: no such file or directory/);
  assert.equal(cli(['frobnicate']).status, 2);
  assert.equal(cli(['check', '--select', 'XYZ9']).status, 2);
  assert.equal(cli(['check', '--format', 'xml']).status, 2);
  assert.equal(cli(['rule', 'PAR999']).status, 2);
});

test('fix --diff prints a unified diff whose result runs like the original', () => {
  const r = cli(['fix', EXAMPLE, '--rule', 'PAR101', '--line', '26', '--diff']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^\+ {4}chunksize = max\(1, len\(items\) \/\/ \(4 \* workers\)\)$/m);
  assert.match(r.stdout, /^\+\s+keys = list\(executor\.map\(key_strength, items, chunksize=chunksize\)\)$/m);
  const dir = tempDir();
  const copy = path.join(dir, 'pipeline.py');
  fs.copyFileSync(EXAMPLE, copy);
  const before = runPython(copy).stdout;
  const w = cli(['fix', copy, '--rule', 'PAR101', '--line', '26', '--write']);
  assert.equal(w.status, 0);
  assert.notEqual(fs.readFileSync(copy, 'utf8'), fs.readFileSync(EXAMPLE, 'utf8'));
  assert.equal(runPython(copy).stdout, before);
});

test('fix on a line without that finding exits 1 and says so', () => {
  const r = cli(['fix', EXAMPLE, '--rule', 'PAR101', '--line', '3']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no PAR101 at line 3/);
});

test('rule prints the rule page', () => {
  const r = cli(['rule', 'PAR101']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^# PAR101/);
  const list = cli(['rule']);
  assert.match(list.stdout, /PAR407/);
});

test('a broken pyproject.toml is reported and the defaults apply', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.parallelize\nselect = [');
  fs.copyFileSync(EXAMPLE, path.join(dir, 'pipeline.py'));
  const r = cli(['check', 'pipeline.py'], dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /pyproject\.toml: invalid TOML/);
  assert.match(r.stdout, /PAR101/);
});

test('pyproject [tool.parallelize] select and per-file-ignores apply', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.parallelize]\nselect = ["PAR1"]\n[tool.parallelize.per-file-ignores]\n"legacy/*.py" = ["PAR101"]\n');
  fs.mkdirSync(path.join(dir, 'legacy'));
  fs.copyFileSync(EXAMPLE, path.join(dir, 'pipeline.py'));
  fs.copyFileSync(EXAMPLE, path.join(dir, 'legacy', 'old.py'));
  const r = cli(['check', '.', '--format', 'json'], dir);
  const records = JSON.parse(r.stdout) as Array<{ file: string; code: string }>;
  assert.deepEqual(
    records.map((x) => `${x.file}:${x.code}`),
    ['legacy/old.py:PAR102', 'legacy/old.py:PAR103', 'pipeline.py:PAR101', 'pipeline.py:PAR102', 'pipeline.py:PAR103'],
  );
});

test('fix --fix K applies the K-th fix (1-based); out of range or not a number is a usage error, exit 2', () => {
  const second = cli(['fix', EXAMPLE, '--rule', 'PAR101', '--line', '26', '--fix', '2', '--diff']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /\+ {4}with Pool\(\) as pool:/);
  const first = cli(['fix', EXAMPLE, '--rule', 'PAR101', '--line', '26', '--diff']);
  assert.match(first.stdout, /ProcessPoolExecutor\(\) as executor/);
  const beyond = cli(['fix', EXAMPLE, '--rule', 'PAR101', '--line', '26', '--fix', '3']);
  assert.equal(beyond.status, 2);
  assert.match(beyond.stderr, /--fix 3 is out of range: PAR101 offers 2 fix\(es\) here/);
  for (const bad of ['0', 'two']) {
    const r = cli(['fix', EXAMPLE, '--rule', 'PAR101', '--line', '26', '--fix', bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--fix takes a fix number/);
  }
  assert.match(cli(['--help']).stdout, /--fix K: apply the finding's K-th fix, 1-based/);
});

test('--target-version reaches the rules: the TaskGroup fix of PAR202 needs py311', () => {
  const json = (v: string) => JSON.parse(cli(['check', EXAMPLE, '--select', 'PAR202', '--format', 'json', '--target-version', v]).stdout)[0].fixes.map((f: { title: string }) => f.title);
  assert.deepEqual(json('py39'), ['Gather the awaits with asyncio.gather']);
  assert.deepEqual(json('py311'), ['Gather the awaits with asyncio.gather', 'Run the awaits in an asyncio.TaskGroup (unsafe)']);
});

test('check from a folder above a repository reads the repository\'s own Python floor, as explain and fix do: the fixes check lists are the ones fix --fix K numbers (round 67: a setup.py allowing 3.6 under the corpus root)', () => {
  const root = tempDir('parallelize-floor-');
  const repo = path.join(root, 'repo');
  fs.mkdirSync(path.join(repo, 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'setup.py'), 'from setuptools import setup\nsetup(name="p", python_requires=">=3.6")\n');
  fs.copyFileSync(EXAMPLE, path.join(repo, 'pkg', 'pipeline.py'));
  const titles = (cwd: string, target: string) => JSON.parse(cli(['check', target, '--no-cache', '--select', 'PAR202', '--format', 'json'], cwd).stdout)[0].fixes.map((f: { title: string }) => f.title);
  const fromRoot = titles(root, '.');
  const fromRepo = titles(repo, 'pkg/pipeline.py');
  assert.deepEqual(fromRoot, fromRepo);
  // Python 3.6 has no TaskGroup (3.11); the floor is what removes it
  assert.ok(!fromRoot.some((t: string) => /TaskGroup/.test(t)), fromRoot.join('; '));
  assert.ok(titles(root, '.').length > 0);
  const override = JSON.parse(cli(['check', '.', '--no-cache', '--select', 'PAR202', '--format', 'json', '--target-version', 'py311'], root).stdout)[0].fixes.map((f: { title: string }) => f.title);
  assert.ok(override.some((t: string) => /TaskGroup/.test(t)), override.join('; '));
});

test('a fix whose __main__ guard would take in module-level assignments is unsafe in check, fix and JSON alike; one that moves none stays safe', () => {
  const dir = tempDir('parallelize-guard-');
  const body = [
    'import hashlib',
    '',
    '',
    'def digests(words):',
    '    out = []',
    '    for w in words:',
    '        out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"s", 400_000).hex())',
    '    return out',
    '',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'library.py'), `${body}TABLE = digests(list("abcdefgh"))\n`);
  fs.writeFileSync(path.join(dir, 'script.py'), `${body}print(digests(list("abcdefgh")))\n`);
  const library = cli(['check', 'library.py', '--format', 'json'], dir);
  assert.deepEqual(JSON.parse(library.stdout).map((f: { fixes: Array<{ applicability: string }> }) => f.fixes.map((x) => x.applicability)), [['unsafe', 'unsafe']]);
  const fix = cli(['fix', 'library.py', '--rule', 'PAR101', '--line', '6'], dir);
  assert.match(fix.stderr, /guard takes in the module-level assignment of `TABLE`/);
  const script = cli(['check', 'script.py', '--format', 'json'], dir);
  assert.equal(JSON.parse(script.stdout)[0].fixes[0].applicability, 'safe');
});

test('explain says what check says about a fix the rewrite alone shows unsafe (a guard taking in a module-level assignment)', () => {
  const dir = tempDir();
  const file = path.join(dir, 'backup.py');
  fs.writeFileSync(file, ['from multiprocessing import Pool', '', '', 'def copy(d):', '    return d.upper()', '', '', 'dirs = ["a", "b"]', 'p = Pool(2)', 'print(p.map(copy, dirs))', ''].join('\n'));
  const checked = cli(['check', '--no-cache', '--select', 'PAR403', file]);
  assert.match(checked.stdout, /PAR403 \[unsafe fix\]/);
  const explained = cli(['explain', `${file}:9`]);
  assert.equal(explained.status, 0, explained.stderr);
  const par403 = explained.stdout.split('\n---\n')[0];
  assert.match(par403, /\*\*Fix\*\* \(unsafe\): Wrap the module-level code/);
  assert.match(par403, /Not proven \(so the fix is unsafe\):\*\* the new `if __name__ == "__main__":` guard takes in the module-level assignment of `p`/);
});

test('check --help prints the usage and checks nothing (final round of session 27: it checked the current folder)', () => {
  const dir = tempDir('parallelize-help-');
  fs.writeFileSync(path.join(dir, 'slow.py'), 'import time\n\n\ndef f(xs):\n    out = []\n    for x in xs:\n        time.sleep(1)\n        out.append(x)\n    return out\n');
  const r = cli(['check', '--help'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage:\n  parallelize check /);
  assert.doesNotMatch(r.stdout, /PAR\d{3}/);
  assert.equal(fs.existsSync(path.join(dir, '.parallelize_cache')), false);
});

test('`except A, B:` is Python 2 code unless the project needs Python 3.14, where it catches either (round 67: nine files of a 3.14 project skipped as Python 2)', () => {
  const dir = tempDir('parallelize-314-');
  fs.writeFileSync(path.join(dir, 'parse.py'), 'def number(text):\n    try:\n        return int(text)\n    except ValueError, TypeError:\n        return None\n');
  assert.match(cli(['check', '--no-cache', '.'], dir).stderr, /parse\.py: Python 2 code \(`except E, name:` at line 4\)/);
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "p"\nrequires-python = ">=3.14"\n');
  const r = cli(['check', '--no-cache', '.'], dir);
  assert.doesNotMatch(r.stderr, /Python 2 code/);
  assert.match(r.stdout, /All checks passed/);
});

test('check reports no loop of a file Python cannot compile (a syntax error elsewhere, tabs and spaces mixed), and explain says why; the same loop in a file that compiles is reported', () => {
  const dir = tempDir('compiles');
  const loop = ['import requests', '', '', 'def fetch_all(urls):', '    pages = []', '    for url in urls:', '        pages.append(requests.get(url, timeout=10).text)', '    return pages', ''];
  // called, so that the project-wide search finds a caller (a function nothing calls never runs)
  fs.writeFileSync(path.join(dir, 'good.py'), [...loop, '', 'if __name__ == "__main__":', '    import sys', '', '    print(len(fetch_all(sys.argv[1:])))', ''].join('\n'));
  // a truncated fragment: `try:` with no handler
  fs.writeFileSync(path.join(dir, 'fragment.py'), [...loop, '', 'try:', '    print("start")', ''].join('\n'));
  // a block indented with a tab beside lines indented with eight spaces: Python 3's TabError
  fs.writeFileSync(path.join(dir, 'tabs.py'), [...loop, '', 'def report(pages):', '\tprint(len(pages))', '        print("done")', ''].join('\n'));
  // a line indented deeper than the `break` before it: Python's "unexpected indent", which the grammar folds into
  // the `else:` block (round 67: a boto3 script analysed as if it compiled)
  fs.writeFileSync(path.join(dir, 'indent.py'), [...loop, '', 'def first(pages):', '    for p in pages:', '        if p:', '            print(p)', '        else:', '            break', '', '              print("again")', ''].join('\n'));
  // two statements joined by `;` at the top level compile (round 68: such files were skipped as broken)
  fs.writeFileSync(path.join(dir, 'semicolons.py'), [...loop, '', 'if __name__ == "__main__":', '    import sys', '', 'x = 1; print(x)', 'print(len(fetch_all(sys.argv[1:])))', ''].join('\n'));
  for (const name of ['good.py', 'fragment.py', 'tabs.py', 'indent.py', 'semicolons.py']) {
    const compiles = spawnSync('python3', ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', path.join(dir, name)]).status === 0;
    assert.equal(compiles, name === 'good.py' || name === 'semicolons.py', `python3 compiles ${name}: ${compiles}`);
  }
  const r = cli(['check', '--no-cache', '.'], dir);
  assert.deepEqual([...r.stdout.matchAll(/^(\S+\.py):(\d+):\d+: (PAR\d{3})/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`), ['good.py:6 PAR201', 'semicolons.py:6 PAR201']);
  const why = cli(['explain', 'tabs.py:6'], dir);
  assert.match(why.stdout, /Python cannot compile this file \(indentation that mixes tabs and spaces inconsistently at line 13\)/);
  assert.match(cli(['explain', 'fragment.py:6'], dir).stdout, /Python cannot compile this file \(a syntax error at line \d+\)/);
  assert.match(cli(['explain', 'indent.py:6'], dir).stdout, /Python cannot compile this file \(a syntax error at line 18\)/);
});

test('a loop over an entry of a table another module of the workspace writes by hand (one to three states per metro area) has at most its largest entry of items: too few to report', () => {
  const dir = tempDir('table-entry');
  fs.mkdirSync(path.join(dir, 'pkg'));
  fs.writeFileSync(path.join(dir, 'pkg', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'pkg', 'codes.py'), 'STATE_CODES = {"chicago": ["IL", "IN", "WI"], "boston": ["MA"]}\n');
  const main = ['import requests', '', 'from pkg.codes import STATE_CODES', '', '', 'def demographics(metro, states):', '    out = {}', '    for state in states:', '        out[state] = requests.get(f"https://api.example.org/acs?state={state}", timeout=30).json()', '    return out', '', '', 'def metro_data(metro):', '    states = STATE_CODES[metro]', '    return demographics(metro, states)', '', '', 'if __name__ == "__main__":', '    print(metro_data("chicago"))', ''];
  fs.writeFileSync(path.join(dir, 'main.py'), main.join('\n'));
  assert.match(cli(['check', '--no-cache', '.'], dir).stdout, /All checks passed/);
  assert.match(cli(['explain', 'main.py:8'], dir).stdout, /Only up to 3 items \(the call `demographics\(…\)` at line 15, an entry of `STATE_CODES` \(pkg\/codes\.py:1\), whose largest has 3\)/);
  // a table with an entry of many items is no such bound
  fs.writeFileSync(path.join(dir, 'pkg', 'codes.py'), `STATE_CODES = {"chicago": [${Array.from({ length: 40 }, (_, i) => `"S${i}"`).join(', ')}], "boston": ["MA"]}\n`);
  assert.match(cli(['check', '--no-cache', '.'], dir).stdout, /main\.py:8:5: PAR201/);
});

test('explain on a `while` line says the loop is not analysed, and why (it said no loop started there)', () => {
  const dir = tempDir('while');
  fs.writeFileSync(path.join(dir, 'poll.py'), ['import time', '', '', 'def poll(check):', '    while not check():', '        time.sleep(1)', ''].join('\n'));
  const r = cli(['explain', 'poll.py:5'], dir);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^\*\*Not analysed\*\* — a `while` loop/);
});

test('a function indented with tabs in a file whose `__main__` block is indented with spaces (Python compiles it) is rewritten; the fix keeps the indentation of each block (round 30)', () => {
  const dir = tempDir('tab-function');
  const file = path.join(dir, 'tabs.py');
  fs.writeFileSync(file, ['import requests', '', '', 'def fetch_all(urls):', '\tpages = []', '\tfor url in urls:', '\t\tpages.append(requests.get(url, timeout=10).text)', '\treturn pages', '', '', 'if __name__ == "__main__":', '    import sys', '', '    print(len(fetch_all(sys.argv[1:])))', ''].join('\n'));
  const r = cli(['fix', file, '--rule', 'PAR201', '--line', '6', '--unsafe-fixes', '--write']);
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /\n\twith ThreadPoolExecutor\(/);
  assert.equal(spawnSync('python3', ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', file]).status, 0, text);
});

test("a coroutine printing through the project's subclass of a library console keeps the interleaving doubt, whichever files the run checks (round 53: a PAR203 fix safe with `check .`, unsafe with `check app.py`)", () => {
  const dir = tempDir('console-subclass');
  fs.writeFileSync(path.join(dir, 'README.md'), '# a project\n');
  fs.mkdirSync(path.join(dir, 'tools'));
  fs.writeFileSync(path.join(dir, 'tools', '__init__.py'), 'from .console import ColorfulConsole\n');
  fs.writeFileSync(path.join(dir, 'tools', 'console.py'), ['from rich.console import Console', '', '', 'class ColorfulConsole(Console):', '    def print(self, *args, **kwargs):', '        super().print(*args, style="bold", **kwargs)', '', '    def warning(self, *args, **kwargs):', '        self.print(*args, **kwargs)', ''].join('\n'));
  const app = ['import asyncio', '', 'import requests', '', 'from tools import ColorfulConsole', '', '', 'class App:', '    def __init__(self):', '        self.console = ColorfulConsole()', '', '    async def check_update(self):', '        response = requests.get("https://example.org/releases/latest", timeout=5)', '        self.console.warning(f"latest: {response.url}")', '', '    async def tick(self):', '        for i in range(3):', '            self.console.print(i)', '            await asyncio.sleep(0.1)', '', '    async def run(self):', '        await asyncio.gather(self.check_update(), self.tick())', '', '', 'if __name__ == "__main__":', '    asyncio.run(App().run())', ''];
  fs.writeFileSync(path.join(dir, 'app.py'), app.join('\n'));
  const applicability = (args: string[]) => {
    const r = cli(['check', '--no-cache', '--format', 'json', '--exit-zero', ...args], dir);
    const found = (JSON.parse(r.stdout) as Array<{ file: string; line: number; code: string; fixes: Array<{ applicability: string }> }>).filter((f) => f.code === 'PAR203' && f.file.endsWith('app.py'));
    return found.map((f) => `${f.line} ${f.fixes.map((x) => x.applicability).join(',')}`);
  };
  assert.deepEqual(applicability(['app.py']), ['13 unsafe']);
  assert.deepEqual(applicability(['.']), ['13 unsafe']);
  assert.deepEqual(applicability(['app.py', 'tools']), ['13 unsafe']);
});
