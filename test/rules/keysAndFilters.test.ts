// Issue 16 ("Recall", shapes 1 and 2): results keyed by a value derived from the item, and filters. Keys and
// cheap tests of the item are computed by the parent, in input order; tests on the result run in the worker and
// are applied by the parent in order. What cannot be proven keeps the loop sequential, with a true reason.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixText } from '../../server/src/linter';
import { getParser, lintSource, REWRITE_CONFIG, tempDir } from '../support/harness';
import { everyFixKeepsOutput } from '../support/rewriteCheck';

const work = tempDir('parallelize-keys-filters-');

const HEAVY = ['import hashlib', '', '', 'def heavy(text):', '    return hashlib.pbkdf2_hmac("sha256", str(text).encode(), b"salt", 20_000).hex()[:8]', '', ''];

async function loopAt(source: string, line: number) {
  const { tree, result } = await lintSource(source, REWRITE_CONFIG);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === line);
  assert.ok(loop, `a loop at line ${line}`);
  return { loop, reported: result.findings.some((f) => f.span.startLine + 1 === line) };
}

async function fixed(source: string, line: number): Promise<string> {
  const outcome = fixText(source, await getParser(), REWRITE_CONFIG, line);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  return outcome.text;
}

function program(lines: string[]): string {
  return [...HEAVY, 'def main():', ...lines.map((l) => `    ${l}`), '', '', 'if __name__ == "__main__":', '    main()', ''].join('\n');
}

test('a key derived from the item is computed in the parent, in order; the value in the pool', async () => {
  const source = program(['paths = [f"dir{i % 3}/file{i}.txt" for i in range(20)]', 'out = {}', 'for p in paths:', '    out[p.split("/")[0].upper()] = heavy(p)', 'print(out)']);
  const { loop, reported } = await loopAt(source, 11);
  assert.ok(reported, loop.rejections.map((r) => r.message).join('; '));
  const text = await fixed(source, 11);
  assert.match(text, /for p, value in zip\(paths, executor\.map\(heavy, paths, chunksize=chunksize\)\):\n {12}out\[p\.split\("\/"\)\[0\]\.upper\(\)\] = value/);
  // three directories, twenty items: the last item of each directory wins, as in the loop
  const file = path.join(work, 'derived_keys.py');
  fs.writeFileSync(file, source);
  assert.ok((await everyFixKeepsOutput(file, work)) > 0);
});

test('a key with a call not known to be free of effects, or read from a local of the iteration, keeps the loop sequential', async () => {
  const counted = program(['import itertools', 'ids = itertools.count()', 'out = {}', 'for p in range(20):', '    out[next(ids)] = heavy(p)', 'print(out)']);
  const a = await loopAt(counted, 12);
  assert.ok(!a.reported);
  assert.ok(a.loop.rejections.some((r) => r.kind === 'shared-state' && /`next\(\)` reads and advances state shared by all iterations/.test(r.message)), a.loop.rejections.map((r) => r.message).join('; '));
  const local = program(['out = {}', 'for p in range(20):', '    name = str(p)', '    out[name] = heavy(p)', 'print(out)']);
  const b = await loopAt(local, 10);
  assert.ok(!b.reported);
  assert.ok(b.loop.rejections.some((r) => r.kind === 'shared-state' && r.name === 'out'));
});

test('the dict read inside the loop is a loop-carried dependency, whatever the key', async () => {
  const source = program(['out = {}', 'for p in range(20):', '    out[str(p)] = heavy(p) + str(len(out))', 'print(out)']);
  const { loop, reported } = await loopAt(source, 10);
  assert.ok(!reported);
  assert.ok(loop.rejections.some((r) => r.kind === 'loop-carried' && r.name === 'out'));
});

test('a `continue` filter is applied to the items before the map, negated exactly (never `<` into `>=`)', async () => {
  const source = program(['xs = [i - 5 for i in range(30)]', 'out = []', 'for x in xs:', '    if x < 0:', '        continue', '    out.append(heavy(x))', 'print(out)']);
  const text = await fixed(source, 11);
  assert.match(text, /kept_xs = \[x for x in xs if not \(x < 0\)\]/);
  assert.doesNotMatch(text, /continue/);
  const names = program(['names = [f"n{i}" if i % 4 else f"_n{i}" for i in range(30)]', 'out = []', 'for n in names:', '    if n.startswith("_"):', '        continue', '    if n in ("n1", "n2"):', '        continue', '    out.append(heavy(n))', 'print(out)']);
  const both = await fixed(names, 11);
  assert.match(both, /kept_names = \[n for n in names if not n\.startswith\("_"\) and n not in \("n1", "n2"\)\]/);
  for (const [name, s] of [['negated.py', source], ['two_filters.py', names]] as const) {
    const file = path.join(work, name);
    fs.writeFileSync(file, s);
    assert.ok((await everyFixKeepsOutput(file, work)) > 0, name);
  }
});

test('a body under one cheap `if` (a conditional keyed store, a tuple target) runs over the kept items', async () => {
  const source = program([
    'table = {f"k{i}": i for i in range(30)}',
    'out = {}',
    'for k, v in table.items():',
    '    if v % 3 != 1 and (',
    '        not k.endswith("7")',
    '    ):',
    '        # the work',
    '        out[k.upper()] = heavy(v)',
    'print(out)',
  ]);
  const text = await fixed(source, 11);
  assert.match(text, /kept_items = \[\(k, v\) for k, v in table\.items\(\) if v % 3 != 1 and \(\n {12}not k\.endswith\("7"\)\n {8}\)\]/);
  const file = path.join(work, 'wrapped.py');
  fs.writeFileSync(file, source);
  assert.ok((await everyFixKeepsOutput(file, work)) > 0);
});

test('a test on the expensive result runs in the worker; the parent keeps the items whose test held, in order', async () => {
  const source = program(['words = [f"w{i}" for i in range(30)]', 'high = []', 'for w in words:', '    if heavy(w) > "8":', '        high.append(w)', 'print(high)']);
  const text = await fixed(source, 11);
  assert.match(text, /def _compute_high\(w\):\n {4}return heavy\(w\) > "8"\n/);
  assert.match(text, /for w, keep in zip\(words, executor\.map\(_compute_high, words, chunksize=chunksize\)\):\n {12}if keep:\n {16}high\.append\(w\)/);
  const values = program(['out = {}', 'for n in range(30):', '    digest = heavy(n)', '    if digest.startswith(("1", "2", "3")):', '        out[n] = digest', 'print(out)']);
  const guarded = await fixed(values, 10);
  assert.match(guarded, /if digest\.startswith\(\("1", "2", "3"\)\):\n {8}return True, digest\n {4}return False, None/);
  for (const [name, s] of [['result_test.py', source], ['result_values.py', values]] as const) {
    const file = path.join(work, name);
    fs.writeFileSync(file, s);
    assert.ok((await everyFixKeepsOutput(file, work)) > 0, name);
  }
});

test('a filter with effects is not applied in the parent: the loop stays sequential, with the effect as the reason', async () => {
  const source = program(['out = []', 'for x in range(20):', '    if print(x):', '        continue', '    out.append(heavy(x))', 'print(out)']);
  const { loop, reported } = await loopAt(source, 10);
  assert.ok(!reported);
  assert.equal(loop.prefilters, undefined);
  assert.ok(loop.rejections.some((r) => r.kind === 'ordered-effect'), loop.rejections.map((r) => r.message).join('; '));
});

test('a `continue` after the work is applied in the worker; the parent folds the items that passed, in order', async () => {
  const source = program([
    'out = {}',
    'names = []',
    'for w in range(30):',
    '    s = heavy(w)',
    '    if s < "3":',
    '        continue',
    '    t = heavy(s)',
    '    if t > "c":',
    '        continue',
    '    out[w] = (s, t)',
    '    names.append(w)',
    'print(out, names)',
  ]);
  const text = await fixed(source, 11);
  assert.match(text, /if s < "3":\n {8}return False, None\n/);
  assert.match(text, /_value_1 = \(s, t\)\n {4}return True, _value_1\n/);
  assert.match(text, /for w, \(keep, value\) in zip\(range\(30\), executor\.map\(_compute_out, range\(30\), chunksize=chunksize\)\):\n {12}if keep:\n {16}out\[w\] = value\n {16}names\.append\(w\)/);
  const file = path.join(work, 'late_filters.py');
  fs.writeFileSync(file, source);
  assert.ok((await everyFixKeepsOutput(file, work)) > 0);
});

test('a guarded `extend` of what a call returns is listed in the worker: a generator cannot be pickled back', async () => {
  const source = [
    'import difflib',
    ...HEAVY,
    'def main():',
    '    fail = []',
    '    for n in range(20):',
    '        a = heavy(n)',
    '        b = heavy(n + 1)',
    '        if a != b:',
    '            fail.extend(difflib.unified_diff([a], [b], lineterm=""))',
    '    print(fail)',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ].join('\n');
  const text = await fixed(source, 11);
  assert.match(text, /return True, list\(difflib\.unified_diff\(\[a\], \[b\], lineterm=""\)\)/);
  const file = path.join(work, 'guarded_extend.py');
  fs.writeFileSync(file, source);
  assert.ok((await everyFixKeepsOutput(file, work)) > 0);
});

test('a guarded body whose statements span lines (a concatenated string, a multi-line value) keeps its indentation', async () => {
  const source = program([
    'notes = []',
    'digests = []',
    'for n in range(20):',
    '    a = heavy(n)',
    '    if a > "4":',
    '        notes.append("item "',
    '                     f"{n}")',
    '        digests.extend(sorted(a,',
    '                              reverse=True))',
    'print(notes, digests)',
  ]);
  const text = await fixed(source, 11);
  assert.match(text, /if a > "4":\n {8}return True, list\(sorted\(a,\n/);
  const file = path.join(work, 'multiline_guard.py');
  fs.writeFileSync(file, source);
  assert.ok((await everyFixKeepsOutput(file, work)) > 0);
});

test('a tally under a key the worker computes (`wins[w] += 1`) is replayed by the parent in input order', async () => {
  const source = program([
    'import collections',
    'wins = collections.Counter()',
    'totals = {"a": 0, "b": 0, "c": 0}',
    'for n in range(24):',
    '    w = "abc"[int(heavy(n), 16) % 3]',
    '    wins[w] += 1',
    '    totals[w] += n',
    'print(sorted(wins.items()), totals)',
  ]);
  const { loop, reported } = await loopAt(source, 12);
  assert.ok(reported, loop.rejections.map((r) => r.message).join('; '));
  assert.ok(loop.parentStatements.every((p) => p.kind === 'reduce'));
  const text = await fixed(source, 12);
  // the key comes from the worker, the amount is the parent's own item
  assert.match(text, /for n, \(wins_value, totals_value\) in zip\(range\(24\), executor\.map\(/);
  assert.match(text, /\n {12}wins\[wins_value\] \+= 1\n {12}totals\[totals_value\] \+= n\n/);
  const file = path.join(work, 'keyed_tally.py');
  fs.writeFileSync(file, source);
  assert.ok((await everyFixKeepsOutput(file, work)) > 0);
});

test('a tally the body also reads, or whose key and amount are both the worker\'s, keeps the loop sequential', async () => {
  const read = program(['import collections', 'wins = collections.Counter()', 'for n in range(24):', '    w = heavy(n)[0]', '    if wins[w] > 2:', '        w = "x"', '    wins[w] += 1', 'print(wins)']);
  const a = await loopAt(read, 11);
  assert.ok(!a.reported);
  assert.ok(a.loop.rejections.some((r) => r.name === 'wins'), a.loop.rejections.map((r) => r.message).join('; '));
  const both = program(['totals = {}', 'for n in range(24):', '    h = heavy(n)', '    totals[h[0]] += len(h)', 'print(totals)']);
  const b = await loopAt(both, 10);
  assert.ok(!b.reported);
  assert.ok(b.loop.rejections.some((r) => r.name === 'totals'), b.loop.rejections.map((r) => r.message).join('; '));
});
