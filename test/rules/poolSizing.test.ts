// Rewrites that cannot make a program slower through their own overhead: process pools batch their items
// (chunksize), large read-only values reach each worker once (the pool's initializer), threads that wait are
// counted by the items, and the new names clash with nothing in the scope that holds them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import type { Finding } from '../../server/src/rules/types';
import { FIXTURES, getParser, lintSource, REWRITE_CONFIG } from '../support/harness';

// where the fix shape is what is tested, not whether a small source pays for a pool, the rewrite configuration (as
// for the run fixtures) reports every independent loop: `shapes`
async function findingsOf(source: string, config = DEFAULT_LINT_CONFIG): Promise<Finding[]> {
  const { tree, result } = await lintSource(source, config);
  tree.delete();
  return result.findings;
}

/** The text of fix `k` (0-based, the preferred one first) of the finding of `code` on `line`. */
async function fixed(source: string, code: string, line: number, k = 0, config = DEFAULT_LINT_CONFIG): Promise<string> {
  const outcome = fixText(source, await getParser(), config, line, code, k);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  return outcome.text;
}

const SEARCH = fs.readFileSync(path.join(FIXTURES, 'run', '36_shared_index_search.py'), 'utf8');

test('a large read-only index reaches each worker once: initializer, not partial (both process-pool fixes)', async () => {
  const [f] = (await findingsOf(SEARCH)).filter((x) => x.code === 'PAR101');
  assert.ok(f, 'the search loop is reported');
  for (const k of [0, 1]) {
    const text = await fixed(SEARCH, 'PAR101', f.span.startLine + 1, k);
    assert.doesNotMatch(text, /partial\(/);
    assert.match(text, /^_worker_state = \{\}\n\n\ndef _init_worker\(index, documents\):\n {4}_worker_state\.update\(index=index, documents=documents\)\n/m);
    assert.match(text, /^def _compute_scores\(query\):\n {4}index = _worker_state\["index"\]\n {4}documents = _worker_state\["documents"\]\n/m);
    assert.match(text, /(ProcessPoolExecutor|Pool)\(initializer=_init_worker, initargs=\(index, documents\)\)/);
    assert.match(text, /\.map\(_compute_scores, items, chunksize=chunksize\)/);
  }
});

const SCALED = `import math


def norms(rows, table):
    scale = 0.5
    label = "norm"
    results = []
    for row in rows:
        scaled = [sum(v * scale * table[(v + k) % 10] for k in range(1000)) for v in row]
        results.append((label, round(math.sqrt(sum(v * v for v in scaled)), 6)))
    return results
`;

test('small scalars stay bound with partial; values of unknown size go through the initializer', async () => {
  const text = await fixed(SCALED, 'PAR101', 8, 0, REWRITE_CONFIG);
  assert.match(text, /def _init_worker\(table\):/);
  assert.match(text, /^def _compute_results\(row, scale, label\):\n {4}table = _worker_state\["table"\]\n/m);
  assert.match(text, /executor\.map\(partial\(_compute_results, scale=scale, label=label\), items, chunksize=chunksize\)/);
  assert.match(text, /with ProcessPoolExecutor\(initializer=_init_worker, initargs=\(table,\)\) as executor:/);
});

const KEYS = `import hashlib


def key(word):
    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"s", 100_000).hex()


def keys(words):
    out = []
    for w in words:
        out.append(key(w))
    return out


def report(items, chunksize, workers, executor):
    return items, chunksize, workers, executor
`;

test('process-pool map batches with a named chunksize; names used only in another function do not count', async () => {
  const text = await fixed(KEYS, 'PAR101', 10);
  const expected = [
    'def keys(words):',
    '    items = list(words)',
    '    workers = os.cpu_count() or 1',
    '    chunksize = max(1, len(items) // (4 * workers))',
    '    with ProcessPoolExecutor() as executor:',
    '        out = list(executor.map(key, items, chunksize=chunksize))',
    '    return out',
  ].join('\n');
  assert.ok(text.includes(expected), text);
});

test('a name the enclosing function uses gets a suffix', async () => {
  const source = KEYS.replace('def keys(words):\n', 'def keys(words, workers=None):\n');
  const text = await fixed(source, 'PAR101', 10);
  assert.match(text, /\n {4}workers_2 = os\.cpu_count\(\) or 1\n {4}chunksize = max\(1, len\(items\) \/\/ \(4 \* workers_2\)\)\n/);
});

test('a sized iterable that is cheap to name again is counted in place; a call is listed first', async () => {
  const ranged = KEYS.replace('def keys(words):\n    out = []\n    for w in words:', 'def keys(n):\n    out = []\n    for w in range(n):').replace('key(w)', 'key(str(w))');
  const text = await fixed(ranged, 'PAR101', 10);
  assert.match(text, /chunksize = max\(1, len\(range\(n\)\) \/\/ \(4 \* workers\)\)\n {4}with ProcessPoolExecutor\(\) as executor:\n {8}out = list\(executor\.map\(_compute_out, range\(n\), chunksize=chunksize\)\)/);
  const sortedWords = KEYS.replace('for w in words:', 'for w in sorted(words):');
  assert.match(await fixed(sortedWords, 'PAR101', 10), /\n {4}items = sorted\(words\)\n/);
});

const FETCH = `import time


def fetch(url):
    time.sleep(0.05)
    return len(url)


def fetch_all(urls):
    sizes = []
    for url in urls:
        sizes.append(fetch(url))
    return sizes


def read_all(paths):
    texts = []
    for p in paths:
        with open(p) as f:
            texts.append(f.read())
    return texts
`;

test('threads for waiting work: one per item up to 32, which PAR406 accepts; file reads are not worth a pool, and with min-speedup = 0 keep the default pool', async () => {
  const findings = (await findingsOf(FETCH)).filter((f) => f.code === 'PAR201');
  assert.deepEqual(findings.map((f) => f.span.startLine + 1), [11]);
  const waiting = await fixed(FETCH, 'PAR201', 11);
  assert.ok(
    waiting.includes(['    items = list(urls)', '    workers = min(32, len(items)) or 1', '    with ThreadPoolExecutor(max_workers=workers) as executor:', '        sizes = list(executor.map(fetch, items))'].join('\n')),
    waiting,
  );
  assert.deepEqual((await findingsOf(waiting)).filter((f) => f.code === 'PAR406'), []);
  // local file work does not overlap in threads (measured 0.24–0.82× of the plain loop): not reported by default
  const { tree, result } = await lintSource(FETCH);
  const reads = result.analysis.loops.find((l) => l.line === 18);
  tree.delete();
  assert.ok(reads?.rejections.some((r) => r.kind === 'no-heavy-work'), JSON.stringify(reads?.rejections));
  // asked for every independent loop, its thread pool keeps the default size (no more threads than cores + 4)
  const everyLoop = { ...DEFAULT_LINT_CONFIG, minSpeedup: 0 };
  const { tree: all, result: allResult } = await lintSource(FETCH, everyLoop);
  all.delete();
  assert.deepEqual(allResult.findings.filter((f) => f.code === 'PAR201').map((f) => f.span.startLine + 1), [11, 18]);
  const outcome = fixText(FETCH, await getParser(), everyLoop, 18, 'PAR201', 0);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  assert.match(outcome.text, /with ThreadPoolExecutor\(\) as executor:/);
  assert.doesNotMatch(outcome.text, /workers/);
});

const PROGRAMS = `import subprocess


def render_all(scenes):
    codes = []
    for scene in scenes:
        codes.append(subprocess.run(["blender", "--background", scene, "--render-anim"], capture_output=True).returncode)
    return codes


def sweep(hosts):
    up = []
    for host in hosts:
        up.append(subprocess.run(["ping", "-c", "1", "-W", "1", host], capture_output=True).returncode == 0)
    return up
`;

test('threads running child programs: the default pool size for programs that compute (Blender), one per item up to 32 for programs that wait on the network (ping)', async () => {
  const codes = (await findingsOf(PROGRAMS)).filter((f) => f.code === 'PAR201').map((f) => f.span.startLine + 1);
  assert.deepEqual(codes, [6, 13]);
  // round 52: the rewrite of a loop of headless Blender runs started 32 of them at once, each needing a core and gigabytes
  const render = await fixed(PROGRAMS, 'PAR201', 6);
  assert.match(render, /with ThreadPoolExecutor\(\) as executor:/);
  assert.doesNotMatch(render, /min\(32/);
  const ping = await fixed(PROGRAMS, 'PAR201', 13);
  assert.match(ping, /workers = min\(32, len\(items\)\) or 1\n {4}with ThreadPoolExecutor\(max_workers=workers\) as executor:/);
});

const RANK = `def score(word, table):
    total = 0
    for c in word:
        total += sum(table.get(c, 0) * ord(c) * k for k in range(1000))
    return total


def rank(words, table):
    return [score(w, table) for w in words]
`;

test('PAR103: the comprehension\'s large free variable goes through the initializer; an unsized iterable is listed first', async () => {
  const [f] = (await findingsOf(RANK, REWRITE_CONFIG)).filter((x) => x.code === 'PAR103');
  assert.ok(f, 'the comprehension is reported');
  const text = await fixed(RANK, 'PAR103', f.span.startLine + 1, 0, REWRITE_CONFIG);
  assert.doesNotMatch(text, /partial\(/);
  const expected = [
    'def rank(words, table):',
    '    items = list(words)',
    '    workers = os.cpu_count() or 1',
    '    chunksize = max(1, len(items) // (4 * workers))',
    '    with ProcessPoolExecutor(initializer=_init_worker, initargs=(table,)) as executor:',
    '        return list(executor.map(_compute_item, items, chunksize=chunksize))',
  ].join('\n');
  assert.ok(text.includes(expected), text);
  assert.match(text, /^def _compute_item\(w\):\n {4}table = _worker_state\["table"\]\n {4}return score\(w, table\)\n/m);
});

test('at module level the lines sizing the pool go under the new __main__ guard with it', async () => {
  const source = `${KEYS}\n\nwords = [f"w{i}" for i in range(5000)]\nout = []\nfor w in words:\n    out.append(key(w))\nprint(len(out))\n`;
  const line = source.split('\n').indexOf('for w in words:') + 1;
  const text = await fixed(source, 'PAR101', line);
  assert.ok(
    text.includes(['if __name__ == "__main__":', '    workers = os.cpu_count() or 1', '    chunksize = max(1, len(words) // (4 * workers))', '    with ProcessPoolExecutor() as executor:'].join('\n')),
    text,
  );
});
