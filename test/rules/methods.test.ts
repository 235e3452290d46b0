// Issue 16, shapes 7 and 8: methods of the file's own classes and objects made fresh in each iteration. Each test
// is one behaviour on a small excerpt: which call resolves to which method, and the reason a loop keeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSource, REWRITE_CONFIG } from '../support/harness';

const HEAVY = ['import hashlib', '', '', 'def heavy(n):', '    return hashlib.pbkdf2_hmac("sha256", str(n).encode(), b"s", 100000).hex()', '', ''];

async function loopAt(lines: string[], line: number) {
  const { tree, result } = await lintSource([...HEAVY, ...lines].join('\n'), REWRITE_CONFIG);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.line === line + HEAVY.length);
  assert.ok(loop, `a loop at line ${line + HEAVY.length}`);
  const reported = result.findings.find((f) => f.loop?.node.id === loop.node.id);
  return { loop, reported, reasons: loop.rejections.map((r) => `${r.kind}: ${r.message}`), doubts: loop.doubts.map((d) => d.message) };
}

const CLASS = [
  'class Scorer:',
  '    def __init__(self, salt):',
  '        self.salt = salt',
  '        self.count = 0',
  '',
  '    def score(self, n):',
  '        return heavy(n) + self.salt',
  '',
  '    def counted(self, n):',
  '        self.count += 1',
  '        return heavy(n)',
  '',
];

test('a method that only reads `self` is pure for the loop: its work is the evidence', async () => {
  const { loop, reported } = await loopAt([...CLASS, '    def run(self, ns):', '        out = []', '        for n in ns:', '            out.append(self.score(n))', '        return out', ''], 15);
  assert.equal(loop.rejections.length, 0);
  assert.ok(loop.evidence.some((e) => e.what === 'self.score' && e.via?.includes('hashlib.pbkdf2_hmac')));
  assert.equal(reported?.code, 'PAR101');
});

test('a method that writes `self` is shared state, and the reason names the attribute and its line', async () => {
  const { reasons, reported } = await loopAt([...CLASS, '    def run(self, ns):', '        out = []', '        for n in ns:', '            out.append(self.counted(n))', '        return out', ''], 15);
  assert.equal(reported, undefined);
  assert.ok(reasons.some((r) => r.startsWith('shared-state: `self.counted()` (called at line 23, assigning `self.count` at line 17) changes `self`')), reasons.join('\n'));
});

test('an annotated parameter resolves to its class; a subclass in the file overriding the method leaves it unresolved', async () => {
  const call = ['def run(s: Scorer, ns):', '    return [s.score(n) for n in ns]', ''];
  const resolved = await loopAt([...CLASS, ...call], 14);
  assert.ok(resolved.loop.evidence.some((e) => e.what === 's.score'));
  const overridden = await loopAt([...CLASS, 'class Loud(Scorer):', '    def score(self, n):', '        print(n)', '        return 0', '', ...call], 19);
  assert.ok(!overridden.loop.evidence.some((e) => e.what === 's.score'));
  assert.equal(overridden.reported, undefined);
});

test('the only class defining a method is a guess: the fix is unsafe and says why', async () => {
  const { doubts } = await loopAt([...CLASS, 'def run(s, ns):', '    return [s.score(n) for n in ns]', ''], 14);
  assert.ok(doubts.some((d) => d.includes('`s` is taken to be a `Scorer`, the only class in this file that defines `score`')), doubts.join('\n'));
});

test('methods of a test case are left unresolved (unittest is not thread-safe)', async () => {
  const { loop } = await loopAt(['import unittest', '', 'class T(unittest.TestCase):', '    def check(self, n):', '        return heavy(n)', '', '    def test_all(self):', '        out = []', '        for n in range(8):', '            out.append(self.check(n))', ''], 9);
  assert.ok(!loop.evidence.some((e) => e.what === 'self.check'));
});

test('a generator made in the iteration and handed to a function that draws from it is the iteration own', async () => {
  const lines = ['import random', '', 'def simulate(rng, steps):', '    t = 0.0', '    for _ in range(steps):', '        t += rng.random() * heavy(1)[0:1].count("a")', '    return t', '', 'def run(seeds):', '    out = []', '    for s in seeds:', '        rng = random.Random(s)', '        out.append(simulate(rng, 1000))', '    return out', ''];
  const { reasons } = await loopAt(lines, 11);
  assert.deepEqual(reasons.filter((r) => r.startsWith('shared-state')), []);
});

test('a shared generator passed to that function is shared state, named as such', async () => {
  const lines = ['import random', '', 'RNG = random.Random(1)', '', 'def simulate(rng, steps):', '    t = 0.0', '    for _ in range(steps):', '        t += rng.random() * heavy(1)[0:1].count("a")', '    return t', '', 'def run(seeds):', '    out = []', '    for s in seeds:', '        out.append(simulate(RNG, s))', '    return out', ''];
  const { reasons } = await loopAt(lines, 13);
  assert.ok(reasons.some((r) => r.startsWith('shared-state: `simulate()` changes its argument `rng`') && r.includes('it changes `RNG`, which every iteration shares')), reasons.join('\n'));
});

test('an object built in the iteration from a shared one it keeps is not the iteration own', async () => {
  const lines = ['import random', '', 'RNG = random.Random(1)', '', 'class Sim:', '    def __init__(self, rng):', '        self.rng = rng', '', '    def run(self, n):', '        return self.rng.random() + len(heavy(n))', '', 'def go(ns):', '    out = []', '    for n in ns:', '        sim = Sim(RNG)', '        out.append(sim.run(n))', '    return out', ''];
  const { reasons, reported } = await loopAt(lines, 14);
  assert.equal(reported, undefined);
  assert.ok(reasons.some((r) => r.includes('`sim`, built at line 22 from `RNG`, which `Sim` may keep (its parameter `rng`): `RNG` is shared by every iteration')), reasons.join('\n'));
});

test('a function changing a parameter is matched to the argument passed for it, not to any argument', async () => {
  const lines = ['def grow(acc, n):', '    acc.append(heavy(n))', '    return len(acc)', '', 'def run(ns):', '    out = []', '    for n in ns:', '        acc = []', '        out.append(grow(acc, n))', '    return out', ''];
  const { reasons } = await loopAt(lines, 7);
  assert.deepEqual(reasons.filter((r) => r.startsWith('shared-state')), []);
});
