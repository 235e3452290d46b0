// The cost model: work per item from the code, item counts from what the code shows, and decisions that follow
// from the estimate (and from the configured cores, never from the machine's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoopFacts } from '../../server/src/analysis/model';
import { DEFAULT_LINT_CONFIG, type LintConfig } from '../../server/src/linter';
import { lintSource } from '../support/harness';

/** Lints `source` and returns the facts of the loop that starts on the line holding `marker` (a comment). */
async function loopAt(source: string, marker: string, config: LintConfig = DEFAULT_LINT_CONFIG): Promise<{ loop: LoopFacts; reported: boolean }> {
  const { tree, result } = await lintSource(source, config);
  try {
    const line = source.split('\n').findIndex((l) => l.includes(marker)) + 1;
    const loop = result.analysis.loops.find((l) => l.line === line);
    assert.ok(loop, `a loop on line ${line}`);
    return { loop, reported: result.findings.some((f) => f.loop?.node.id === loop.node.id) };
  } finally {
    tree.delete();
  }
}

const KDF = (iterations: string, items: string) => `import hashlib


def derive(words):
    out = []
    for w in words:  # LOOP
        out.append(hashlib.pbkdf2_hmac("sha256", w.encode(), b"salt", ${iterations}))
    return out


derive(${items})
`;

test('a heavier body gets a larger estimate of work per item', async () => {
  const light = (await loopAt(KDF('1_000', 'WORDS'), '# LOOP')).loop.estimate!;
  const heavy = (await loopAt(KDF('100_000', 'WORDS'), '# LOOP')).loop.estimate!;
  assert.equal(light.work.open, null);
  assert.ok(heavy.work.cpu > 50 * light.work.cpu, `${heavy.work.cpu} vs ${light.work.cpu}`);
  const nested = (n: number) => `def f(x):\n    s = 0\n    for k in range(${n}):\n        s += x * k\n    return s\n\n\ndef g(xs):\n    return [f(x) for x in xs]  # LOOP\n`;
  const small = (await loopAt(nested(10), '# LOOP')).loop.estimate!;
  const large = (await loopAt(nested(10_000), '# LOOP')).loop.estimate!;
  assert.ok(large.work.cpu > 500 * small.work.cpu, `${large.work.cpu} vs ${small.work.cpu}`);
});

test('item counts come from literals, constants, defaults and every call site in the file', async () => {
  const literal = (await loopAt(KDF('400_000', '["a", "b", "c", "d", "e", "f", "g", "h"]'), '# LOOP')).loop.estimate!;
  assert.equal(literal.items, 8);
  assert.match(literal.itemsFrom ?? '', /derive\(…\)` at line 11/);
  const constant = (await loopAt(KDF('400_000', '[str(i) for i in range(N)]').replace('import hashlib', 'import hashlib\nN = 3 * 4'), '# LOOP')).loop.estimate!;
  assert.equal(constant.items, 12);
  // two call sites: the smaller count decides (a rewrite must pay off at every size the code shows)
  const two = KDF('400_000', '["a", "b"]') + 'derive(["x"] * 50)\n';
  assert.equal((await loopAt(two, '# LOOP')).loop.estimate!.items, 2);
  // a call that passes something of unknown size: unknown
  assert.equal((await loopAt(KDF('400_000', 'open("words").read().split()'), '# LOOP')).loop.estimate!.items, undefined);
  // a list that grows after it is made: at most its literal and its appends (a bound, to refuse a pool with only)
  const grown = KDF('400_000', 'WORDS').replace('derive(WORDS)', 'words = ["a"]\nwords.append("b")\nderive(words)');
  const bounded = (await loopAt(grown, '# LOOP')).loop.estimate!;
  assert.deepEqual([bounded.items, bounded.itemsAtMost], [2, true]);
  // handed to another call first, which could add to it: unknown
  assert.equal((await loopAt(grown.replace('\nderive(words)\n', '\ngrow(words)\nderive(words)\n'), '# LOOP')).loop.estimate!.items, undefined);
  // a constant of a class in the file, never changed: the size its literal shows; extended somewhere: unknown
  const classConstant = KDF('400_000', 'Config.WORDS').replace('import hashlib', 'import hashlib\n\n\nclass Config:\n    WORDS = {"a": 1, "b": 2, "c": 3}\n    DEBUG = False');
  assert.equal((await loopAt(classConstant, '# LOOP')).loop.estimate!.items, 3);
  assert.equal((await loopAt(classConstant.replace('derive(Config.WORDS)', 'derive(Config.WORDS.values())'), '# LOOP')).loop.estimate!.items, 3);
  assert.equal((await loopAt(classConstant + 'Config.WORDS["d"] = 4\n', '# LOOP')).loop.estimate!.items, undefined);
  assert.equal((await loopAt(classConstant + 'Config.WORDS.update(extra)\n', '# LOOP')).loop.estimate!.items, undefined);
  const byDefault = `import hashlib\n\n\ndef derive(n=40):\n    out = []\n    for i in range(n):  # LOOP\n        out.append(hashlib.pbkdf2_hmac("sha256", b"x", b"s", 400_000))\n    return out\n`;
  assert.equal((await loopAt(byDefault, '# LOOP')).loop.estimate!.items, 40);
});

test('a count read from the command line is the default its option ships with (`args.replicates` of `add_argument("--replicates", type=int, default=100)`), through a parameter too; an option added twice, or without an integer default, is unknown (round 65: 600 seeded replicates sized at six)', async () => {
  const script = (option: string) => `import argparse
import hashlib


def simulate(replicates, seed):
    out = []
    for r in range(replicates):  # LOOP
        out.append(hashlib.pbkdf2_hmac("sha256", str(seed + r).encode(), b"s", 400_000))
    return out


def parse_args():
    parser = argparse.ArgumentParser()
    ${option}
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def main():
    args = parse_args()
    print(len(simulate(args.replicates, args.seed)))


if __name__ == "__main__":
    main()
`;
  assert.equal((await loopAt(script('parser.add_argument("--replicates", type=int, default=100)'), '# LOOP')).loop.estimate!.items, 100);
  assert.equal((await loopAt(script('parser.add_argument("-r", "--n-replicates", dest="replicates", type=int, default=60)'), '# LOOP')).loop.estimate!.items, 60);
  assert.equal((await loopAt(script('parser.add_argument("--replicates", type=int, required=True)'), '# LOOP')).loop.estimate!.items, undefined);
  assert.equal((await loopAt(script('parser.add_argument("--replicates", type=int, default=100)\n    parser.add_argument("--replicates", type=int, default=5)'), '# LOOP')).loop.estimate!.items, undefined);
});

test('the value of an item reaches the work it does (an inner loop over range(item))', async () => {
  const source = `def squares(n):\n    s = 0\n    for i in range(n):\n        s += i * i\n    return s\n\n\ndef table():\n    return [squares(n) for n in range(100, 300)]  # LOOP\n`;
  const estimate = (await loopAt(source, '# LOOP')).loop.estimate!;
  assert.equal(estimate.work.open, null, 'the inner loop runs about 200 times on average');
  const perTrip = (await loopAt(source.replace('range(100, 300)', 'range(1000, 3000)'), '# LOOP')).loop.estimate!;
  assert.ok(perTrip.work.cpu > 8 * estimate.work.cpu && perTrip.work.cpu < 12 * estimate.work.cpu);
});

test('the traps of issue "Worth it" are not reported, and say why', async () => {
  const trivial = `def bump(x):\n    t = 0\n    for k in range(3):\n        t += x * k\n    return t\n\n\ndef run():\n    out = []\n    for i in range(100_000):  # LOOP\n        out.append(bump(i))\n    return out\n`;
  const t = await loopAt(trivial, '# LOOP');
  assert.equal(t.reported, false);
  assert.equal(t.loop.rejections[0].kind, 'not-worth-it');
  assert.match(t.loop.rejections[0].message, /per item × 100,000 items/);
  const thirty = await loopAt(KDF('1_000', '[str(i) for i in range(30)]'), '# LOOP');
  assert.equal(thirty.reported, false);
  assert.match(thirty.loop.rejections.map((r) => r.message).join(), /30 items/);
  const inner = `import random\n\n\ndef step(seed):\n    rng = random.Random(seed)\n    total = 0.0\n    for _ in range(100):\n        total += rng.random() * 2\n    return total\n\n\ndef sim(steps):\n    state = 0.0\n    for s in range(steps):\n        parts = []\n        for seed in range(5):  # LOOP\n            parts.append(step(seed) + state)\n        state = max(parts)\n    return state\n`;
  const i = await loopAt(inner, '# LOOP');
  assert.equal(i.reported, false);
  assert.match(i.loop.rejections[0].message, /start again on every iteration of the loop at line 14/);
});

test('decisions use the configured cores, never the machine: the local figure is only added to the estimate', async () => {
  const source = KDF('400_000', '[str(i) for i in range(8)]');
  const on = (targetCores: number, localCores: number) => loopAt(source, '# LOOP', { ...DEFAULT_LINT_CONFIG, targetCores, localCores });
  const a = await on(4, 1);
  const b = await on(4, 64);
  assert.equal(a.reported, b.reported);
  assert.equal(a.loop.estimate!.speedup, b.loop.estimate!.speedup);
  assert.ok(a.loop.estimate!.localSpeedup! < b.loop.estimate!.localSpeedup!);
  assert.ok((await on(64, 2)).loop.estimate!.speedup! > a.loop.estimate!.speedup!);
  assert.equal((await on(1, 64)).reported, false, 'one core: no speedup at all');
});

test('min-speedup and min-iterations decide, with meanings a user can predict', async () => {
  const source = KDF('400_000', '[str(i) for i in range(16)]');
  assert.equal((await loopAt(source, '# LOOP')).reported, true);
  assert.equal((await loopAt(source, '# LOOP', { ...DEFAULT_LINT_CONFIG, minSpeedup: 50 })).reported, false);
  // below min-iterations, a loop whose work per item cannot be estimated is not reported; an estimated one is
  const open = `def collatz(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n\n\ndef run():\n    return [collatz(n) for n in range(1, 10)]  # LOOP\n`;
  const below = await loopAt(open, '# LOOP');
  assert.equal(below.reported, false);
  assert.equal(below.loop.rejections[0].kind, 'trivial');
  assert.match(below.loop.rejections[0].message, /only 9 items/);
  // at or above min-iterations the count is shown, but the work rests on a `while` loop a number sets, far below
  // what an item needs: not shown to pay either, and min-speedup = 0 reports it
  const above = await loopAt(open, '# LOOP', { ...DEFAULT_LINT_CONFIG, minIterations: 5 });
  assert.equal(above.reported, false);
  assert.match(above.loop.estimate!.summary, /^not shown to pay: 9 items must each take more than .*`while` loop at line 3 runs an unknown number of times.*neither work heavy by nature nor a recursion/);
  assert.equal((await loopAt(open, '# LOOP', { ...DEFAULT_LINT_CONFIG, minIterations: 5, minSpeedup: 0 })).reported, true);
  // no size shown, and the work per item not shown either (a while loop of unknown length): not shown to pay, so
  // not reported unless min-speedup = 0 asks for every independent loop
  const unknown = await loopAt(open.replace('range(1, 10)', 'numbers'), '# LOOP');
  assert.equal(unknown.reported, false);
  assert.deepEqual(unknown.loop.rejections.map((r) => r.kind), ['no-heavy-work']);
  assert.match(unknown.loop.estimate!.summary, /^not shown to pay: .*the `while` loop at line 3 runs an unknown number of times.*number of items is not known/);
  assert.equal((await loopAt(open.replace('range(1, 10)', 'numbers'), '# LOOP', { ...DEFAULT_LINT_CONFIG, minSpeedup: 0 })).reported, true);
  // no size shown, with a call heavy by nature (key stretching with a count the code does not fix): the finding
  // stays, and the estimate says what it depends on
  const heavy = await loopAt(KDF('rounds', 'WORDS'), '# LOOP');
  assert.equal(heavy.reported, true);
  assert.match(heavy.loop.estimate!.summary, /pbkdf2_hmac.*number of items is not known/);
});

test('the estimate is one line the hover can show, with the cores it assumes', async () => {
  const { loop } = await loopAt(KDF('400_000', '[str(i) for i in range(16)]'), '# LOOP', { ...DEFAULT_LINT_CONFIG, localCores: 2 });
  assert.match(loop.estimate!.summary, /^≈ \d+ ms per item × 16 items → about [\d.]+× on 4 cores \(start-up ≈ \d+ ms\); [\d.]+× on this machine's 2$/);
  const waits = `import time\n\n\ndef fetch(u):\n    time.sleep(0.05)\n    return u\n\n\ndef run():\n    out = []\n    for u in [str(i) for i in range(40)]:  # LOOP\n        out.append(fetch(u))\n    return out\n`;
  const io = (await loopAt(waits, '# LOOP')).loop.estimate!;
  assert.equal(io.pattern, 'thread');
  assert.ok(io.speedup! > 10, `40 waits of 50 ms overlap in threads: ${io.speedup}`);
});

test('a counting while loop has a trip count: it grows with the limit the item sets, and an uncounted one stays open', async () => {
  const counting = (lo: number, hi: number) =>
    `def steps(n):\n    s = 0\n    i = 0\n    while i < n:\n        s += i * i\n        i += 1\n    return s\n\n\ndef table():\n    return [steps(n) for n in range(${lo}, ${hi})]  # LOOP\n`;
  const small = (await loopAt(counting(100, 300), '# LOOP')).loop.estimate!;
  const large = (await loopAt(counting(1000, 3000), '# LOOP')).loop.estimate!;
  assert.equal(small.work.open, null, 'the while loop runs about 200 times on average');
  assert.ok(large.work.cpu > 8 * small.work.cpu && large.work.cpu < 12 * small.work.cpu, `${large.work.cpu} vs ${small.work.cpu}`);
  // trial division up to the square root: about √n trips
  const root = `def smallest_factor(n):\n    d = 3\n    while d * d <= n:\n        n % d\n        d += 2\n    return n\n\n\ndef table():\n    return [smallest_factor(n) for n in range(10_000_001, 10_000_401)]  # LOOP\n`;
  const rooted = (await loopAt(root, '# LOOP')).loop.estimate!;
  assert.equal(rooted.work.open, null);
  const halving = `def bits(n):\n    c = 0\n    while n > 0:\n        n //= 2\n        c += 1\n    return c\n\n\ndef table():\n    return [bits(n) for n in range(1 << 20, (1 << 20) + 400)]  # LOOP\n`;
  assert.equal((await loopAt(halving, '# LOOP')).loop.estimate!.work.open, null, 'n //= 2 runs log2(n) times');
  const open = `def settle(x):\n    while x > 1:\n        x = x // 2 if x % 2 == 0 else 3 * x + 1\n    return x\n\n\ndef table():\n    return [settle(n) for n in range(400)]  # LOOP\n`;
  assert.match((await loopAt(open, '# LOOP')).loop.estimate!.work.open?.what ?? '', /`while` loop at line 2 runs an unknown number of times/);
});

test('a loop that may stop early is bounded: the estimate is a range, and work that cannot pay even at its bound is not reported', async () => {
  const search = (limit: string) =>
    `def first_divisor(n):\n    for d in range(2, ${limit}):\n        if n % d == 0:\n            return d\n    return n\n\n\ndef table():\n    return [first_divisor(n) for n in range(1_000_003, 1_000_403)]  # LOOP\n`;
  const bounded = (await loopAt(search('200_000'), '# LOOP')).loop.estimate!;
  assert.ok(bounded.work.open, 'where the loop stops is not known');
  assert.ok(bounded.work.upper && bounded.work.upper.cpu > 100 * bounded.work.cpu, 'but it runs at most its 200,000 trips');
  assert.ok(bounded.speedupMax !== undefined && bounded.speedupMax > 1.3, `at its bound the rewrite pays: ${bounded.speedupMax}`);
  assert.match(bounded.summary, /between [\d.]+× and [\d.]+× on 4 cores/);
  const tiny = await loopAt(search('5'), '# LOOP');
  assert.equal(tiny.loop.estimate!.verdict, 'not-worth-it', tiny.loop.estimate!.summary);
  assert.equal(tiny.reported, false, 'at most 3 trips per item: never worth a pool');
});

test('tuple targets take their mean values, and bytes are sized through the functions that return them', async () => {
  const ranges = `def count(lo, hi):\n    s = 0\n    for k in range(lo, hi):\n        s += k\n    return s\n\n\nBOUNDS = [(0, 20_000), (20_000, 40_000), (40_000, 60_000), (60_000, 80_000)]\n\n\ndef main():\n    out = []\n    for lo, hi in BOUNDS:  # LOOP\n        out.append(count(lo, hi))\n    return out\n`;
  const spans = (await loopAt(ranges, '# LOOP')).loop.estimate!;
  assert.equal(spans.work.open, null, 'range(lo, hi) runs 20,000 trips for the mean (lo, hi)');
  const hashing = (size: string) =>
    `import hashlib\nimport os\n\n\ndef blob(i):\n    return bytearray(${size})\n\n\ndef main():\n    out = []\n    for i in range(200):  # LOOP\n        out.append(hashlib.sha256(blob(i)).hexdigest())\n    return out\n`;
  const small = (await loopAt(hashing('1 << 10'), '# LOOP')).loop.estimate!;
  const large = (await loopAt(hashing('1 << 22'), '# LOOP')).loop.estimate!;
  assert.equal(large.work.open, null, 'the bytes returned by blob() are 4 MiB');
  assert.ok(large.work.cpu > 1000 * small.work.cpu, `${large.work.cpu} vs ${small.work.cpu}`);
});

test('a literal counts its elements, not the comments between them, and a count the code shows is printed as it is', async () => {
  const source = `import requests\n\nURLS = [\n    "https://a.example",  # the first\n    # a comment line\n    "https://b.example",\n    "https://c.example",\n]\n\n\ndef main():\n    return [requests.get(u) for u in URLS]  # LOOP\n`;
  const estimate = (await loopAt(source, '# LOOP')).loop.estimate!;
  assert.equal(estimate.items, 3);
  const counted = `def count(n):\n    s = 0\n    for k in range(20_000):\n        s += k * n\n    return s\n\n\ndef main(n=200):\n    return [count(i) for i in range(2, n + 1)]  # LOOP\n`;
  const exact = (await loopAt(counted, '# LOOP')).loop.estimate!;
  assert.equal(exact.items, 199);
  assert.match(exact.summary, /× 199 items/);
});

test('a memoised function given nothing of the item costs a cache lookup, not its body; given the item, its body', async () => {
  const source = (arg: string) => `import functools
import hashlib


@functools.lru_cache(maxsize=None)
def table(key):
    return hashlib.pbkdf2_hmac("sha256", key.encode(), b"salt", 100_000)


def lookup(words, key):
    out = []
    for w in words:  # LOOP
        out.append(table(${arg}) + w.encode())
    return out
`;
  const invariant = (await loopAt(source('key'), '# LOOP')).loop.estimate;
  const perItem = (await loopAt(source('w'), '# LOOP')).loop.estimate!;
  assert.ok(perItem.work.cpu > 1e-3, `${perItem.work.cpu}`);
  assert.ok(!invariant || invariant.work.cpu < 1e-5, `${invariant?.work.cpu}`);
});

test('a pool whose whole cost is counted must also save time anyone would notice, not only reach the ratio', async () => {
  // the wait is a function's (a stand-in for a request): a pause written in the loop's own body is not work (d39)
  const source = (seconds: string) => `import time


def lookup(name):
    time.sleep(${seconds})
    return name.upper()


def poll_all():
    out = []
    for name in ("a", "b", "c"):  # LOOP
        out.append(lookup(name))
    return out
`;
  const small = await loopAt(source('0.004'), '# LOOP');
  assert.equal(small.reported, false);
  assert.equal(small.loop.estimate!.verdict, 'not-worth-it');
  assert.match(small.loop.estimate!.summary, /save ≈ 7\.\d ms, too little to notice/);
  const large = await loopAt(source('0.05'), '# LOOP');
  assert.equal(large.reported, true);
  assert.equal(large.loop.estimate!.verdict, 'pays');
});

test('a long receiver of a method whose cost is not known is shown by the last call of its chain, not cut mid-line', async () => {
  const source = `class Coverage:
    def __init__(self, session):
        self.session = session

    async def _count(self, site_id):
        row = (
            await self.session.execute("SELECT COUNT(*) FROM schools WHERE site = :s", {"s": site_id})
        ).mappings().first()
        return row

    async def counts(self, ids):
        out = []
        for i in ids:  # LOOP
            out.append(await self._count(i))
        return out
`;
  const { loop } = await loopAt(source, '# LOOP');
  assert.ok(loop.estimate, 'an estimate');
  assert.match(loop.estimate!.summary, /what `….mappings\(\).first\(\)` costs/, loop.estimate!.summary);
  assert.doesNotMatch(loop.estimate!.summary, /`\(\n/);
});

test('a rejection that quotes a doubt keeps its names and parentheses whole (round 14h: "(… cannot see what `)" was cut at 80 characters)', async () => {
  const source = [
    'import os',
    '',
    '',
    'def crunch_and_replace_the_temporary_copy(path, n):',
    '    total = 0',
    '    for i in range(n):',
    '        total += i * i % 7',
    '    os.chown(path + ".tmp", 0, 0)',
    '    return total',
    '',
    '',
    'def run(paths):',
    '    for p in paths:  # LOOP',
    '        crunch_and_replace_the_temporary_copy(p, 100000)',
    '',
  ].join('\n');
  const { loop } = await loopAt(source, '# LOOP');
  const message = loop.rejections.find((r) => r.kind === 'no-result')?.message ?? '';
  assert.match(message, /\(`crunch_and_replace_the_temporary_copy\(\)` \(called at line 14\): cannot see what `os\.chown\(\)` does \(a function of `os` the tool has no summary of\)\), so running/);
});

test('a count that cannot pay says what caps it: local file work that threads do not overlap, not the cores', async () => {
  const source = `import os


def export(names, folder):
    for name in ["a", "b", "c", "d", "e", "f", "g", "h"]:  # LOOP
        with open(os.path.join(folder, name + ".txt"), "w") as out:
            out.write(open(os.path.join(folder, name + ".csv")).read())
`;
  const { loop, reported } = await loopAt(source, '# LOOP');
  assert.equal(reported, false);
  assert.match(loop.estimate!.summary, /its waits are local file work, which threads run one call at a time .*, so 8 items cannot reach 1\.3× however long each takes/);
  assert.doesNotMatch(loop.estimate!.summary, /on 4 cores/);
});

test('a few known items whose work is only bounded below are not reported: the bound is too little to notice; lowering min-iterations reports them', async () => {
  const source = `import subprocess


def stop_children(pid):
    for name in ("ffmpeg", "ffprobe", "tesseract"):  # LOOP
        subprocess.run(["pkill", "-P", str(pid), "-f", name], capture_output=True)
`;
  const few = await loopAt(source, '# LOOP');
  assert.equal(few.reported, false);
  const why = few.loop.rejections.find((r) => r.kind === 'trivial');
  assert.ok(why, few.loop.rejections.map((r) => r.message).join('; '));
  assert.match(why.message, /only 3 items .*known only to be at least 1 ms .*too little to notice/);
  // the user who knows each item is slow says so
  assert.equal((await loopAt(source, '# LOOP', { ...DEFAULT_LINT_CONFIG, minIterations: 2 })).reported, true);
  // the same loop over many items is reported
  const many = source.replace('("ffmpeg", "ffprobe", "tesseract")', '[f"job{i}" for i in range(40)]');
  assert.equal((await loopAt(many, '# LOOP')).reported, true);
});

test('a count given by a parameter is the smallest number every call in the file passes (`render(800, 600)`): a row loop of a renderer has its rows; a parameter the function rebinds, or one call passing an unknown value, gives none', async () => {
  const source = (calls: string, rebind = '') =>
    ['def escape_time(c, maxiter):', '    z = 0', '    for n in range(maxiter):', '        z = z * z + c', '        if abs(z) > 2:', '            return n', '    return maxiter', '', '', 'def render(w, h):', `${rebind}    out = []`, '    for y in range(h):  # LOOP', '        for x in range(w):', '            out.append(escape_time(complex(x * 0.004 - 2, y * 0.004 - 1.2), 128))', '    return out', '', '', calls, ''].join('\n');
  assert.equal((await loopAt(source('print(sum(render(800, 600)))\nprint(sum(render(400, 300)))'), '# LOOP')).loop.estimate!.items, 300);
  assert.equal((await loopAt(source('print(sum(render(800, 600)))\nprint(sum(render(400, int(input()))))'), '# LOOP')).loop.estimate!.items, undefined);
  assert.equal((await loopAt(source('print(sum(render(800, 600)))', '    h = h * 2\n'), '# LOOP')).loop.estimate!.items, undefined);
});
