// PAR401–PAR407 on programs that are already parallel: each marker holds, and every mechanical fix keeps
// the program's output (run under spawn); a PAR402 fix makes the pool call return the intended result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { confirmedFinding, DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { FIXTURES, fixtureFiles, getParser, lintSource, PYTHON, pythonParses, runPython, tempDir } from '../support/harness';

function riskMarkers(text: string): Array<{ line: number; code: string; expected: boolean }> {
  const lines = text.split('\n');
  const found: Array<{ line: number; code: string; expected: boolean }> = [];
  lines.forEach((l, i) => {
    const m = /^\s*#\s*(expect|expect-not):\s*(PAR\d{3})\b/.exec(l);
    if (m) found.push({ line: i + 2, code: m[2], expected: m[1] === 'expect' });
  });
  return found;
}

const work = tempDir('parallelize-risks-');

for (const file of fixtureFiles('risks')) {
  const name = path.basename(file);
  test(`risks/${name}: markers hold and every fix keeps the output`, async () => {
    const text = fs.readFileSync(file, 'utf8');
    const { tree, result } = await lintSource(text);
    const risks = result.findings.filter((f) => f.code.startsWith('PAR4')).map((f) => ({ code: f.code, line: f.span.startLine + 1, fixes: f.fixes.length }));
    tree.delete();
    const markers = riskMarkers(text);
    assert.ok(markers.length > 0);
    const problems: string[] = [];
    for (const m of markers) {
      const hit = risks.some((r) => r.line === m.line && r.code === m.code);
      if (m.expected && !hit) problems.push(`line ${m.line}: expected ${m.code}`);
      if (!m.expected && hit) problems.push(`line ${m.line}: ${m.code} must not be reported`);
    }
    for (const r of risks) if (!markers.some((m) => m.expected && m.line === r.line && m.code === r.code)) problems.push(`line ${r.line}: unexpected ${r.code}`);
    assert.deepEqual(problems, []);

    const withFixes = risks.filter((r) => r.fixes > 0);
    if (withFixes.length === 0) return;
    const dir = fs.mkdtempSync(path.join(work, name.replace('.py', '-')));
    const original = path.join(dir, name);
    fs.writeFileSync(original, text);
    let expected = runPython(original, 60_000);
    if (expected.status !== 0) expected = runPython(original, 60_000, 'fork'); // PAR403 positives break under spawn
    assert.equal(expected.status, 0, expected.stderr);
    const parser = await getParser();
    for (const r of withFixes) {
      const outcome = fixText(text, parser, DEFAULT_LINT_CONFIG, r.line, r.code);
      assert.ok(outcome.ok, `${r.code} at ${r.line}: ${outcome.ok ? '' : outcome.reason}`);
      if (!outcome.ok) continue;
      assert.ok(pythonParses(outcome.text).ok, `${r.code} at ${r.line}: the rewrite does not parse\n${outcome.text}`);
      const stem = `fixed_${r.code}_${r.line}_${name.replace('.py', '')}`;
      const rewritten = path.join(dir, `${stem}.py`);
      fs.writeFileSync(rewritten, outcome.text);
      const actual = runPython(rewritten, 60_000);
      assert.equal(actual.status, 0, `${r.code} at ${r.line}: rewrite failed\n${actual.stderr}\n${outcome.text}`);
      assert.equal(actual.stdout, expected.stdout, `${r.code} at ${r.line}: output differs\n${outcome.text}`);
      if (r.code === 'PAR402') {
        // the pool call itself now works under spawn and returns what the sequential code computes
        const check = spawnSync(
          PYTHON,
          ['-c', `import importlib, multiprocessing, sys\nmultiprocessing.set_start_method("spawn")\nsys.path.insert(0, ${JSON.stringify(dir)})\nm = importlib.import_module(${JSON.stringify(stem)})\nresult = m.attempt()\nassert result == m.EXPECTED, (result, m.EXPECTED)\nprint("ok")`],
          { encoding: 'utf8', timeout: 60_000 },
        );
        assert.equal(check.stdout.trim(), 'ok', `${r.code} at ${r.line}: attempt() after the fix\n${check.stderr}\n${outcome.text}`);
      }
    }
  });
}

test('PAR404 leaves queues, locks and events bound outside functions alone, wherever they are bound, and only those', async () => {
  const text = [
    'import queue',
    'import threading',
    'from concurrent.futures import ProcessPoolExecutor',
    'done = queue.Queue()',
    'class Box:',
    '    seen = queue.SimpleQueue()',
    'if True:',
    '    ready = threading.Event()',
    'a = b = queue.Queue()',
    'items = []',
    'label = "queue.Queue()"',
    '',
    'def fresh():',
    '    inner = queue.Queue()',
    '    return inner',
    '',
    'inner = []',
    '',
    'def work(x):',
    '    done.put(x)',
    '    ready.set()',
    '    b.put(x)',
    '    items.append(x)',
    '    inner.append(x)',
    '    label.append(x)',
    '    return x',
    '',
    'if __name__ == "__main__":',
    '    with ProcessPoolExecutor() as executor:',
    '        print(list(executor.map(work, range(3))))',
    '',
  ].join('\n');
  const { tree, result } = await lintSource(text);
  try {
    // `items`, `inner` (the queue bound in `fresh` is another name) and `label` (a string, not a queue) are shared
    const reported = result.findings.filter((f) => f.code === 'PAR404').map((f) => /`(\w+\.\w+)\(\)`/.exec(f.message)?.[1]);
    assert.deepEqual(reported, ['items.append', 'inner.append', 'label.append']);
  } finally {
    tree.delete();
  }
});

test('PAR407: output printed between the submits and the end of the pool would come after the work: the fix is unsafe, saying so', async () => {
  const program = (between: string) =>
    ['import time', 'from concurrent.futures import ThreadPoolExecutor', '', '', 'def step(n):', '    time.sleep(0.01)', '', '', 'def main():', '    with ThreadPoolExecutor() as pool:', '        for n in range(3):', '            pool.submit(step, n)', between, '    print("done")', ''].join('\n');
  const fixesOf = async (source: string) => {
    const { tree, result } = await lintSource(source);
    tree.delete();
    const finding = result.findings.find((f) => f.code === 'PAR407');
    assert.ok(finding, 'PAR407 reported');
    return finding;
  };
  const progress = await fixesOf(program('        print("working...", flush=True)'));
  assert.equal(progress.fixes[0].applicability, 'unsafe');
  assert.match(progress.doubts.join(' '), /`print\("working\.\.\.", flush=True\)` at line 13 ran while the tasks worked/);
  const quiet = await fixesOf(program('        total = 3'));
  assert.equal(quiet.fixes[0].applicability, 'safe');
});

test('PAR407: submits in a loop nested in another loop the pool outlives get no fix (waiting per round would run one round at a time)', async () => {
  const program = (poolInside: boolean) =>
    [
      'import time',
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      '',
      'def attempt(user, word):',
      '    time.sleep(0.01)',
      '',
      '',
      'def main(users):',
      ...(poolInside
        ? ['    for user in users:', '        with ThreadPoolExecutor(8) as pool:', '            for word in ("a", "b", "c"):', '                pool.submit(attempt, user, word)']
        : ['    with ThreadPoolExecutor(8) as pool:', '        for user in users:', '            for word in ("a", "b", "c"):', '                pool.submit(attempt, user, word)']),
      '',
    ].join('\n');
  const { tree, result } = await lintSource(program(false));
  tree.delete();
  const nested = result.findings.find((f) => f.code === 'PAR407');
  assert.ok(nested, 'PAR407 still reported: the futures are dropped');
  assert.deepEqual(nested.fixes, []);
  assert.match(nested.blockers.join(' '), /inside another loop \(line 11\) that the pool outlives/);
  // a pool made in each round already waits for that round where its block ends: the fix changes nothing there
  const perRound = await lintSource(program(true));
  perRound.tree.delete();
  assert.equal(perRound.result.findings.find((f) => f.code === 'PAR407')?.fixes[0]?.applicability, 'safe');
});

test('PAR406 on processes whose tasks wait on a child process: the core bound is unsafe (fewer waits overlap); on computing tasks it stays safe', async () => {
  const program = (body: string) =>
    ['import subprocess', 'from multiprocessing import Pool', '', '', 'def task(d):', body, '', '', 'def main(dirs):', '    with Pool(len(dirs)) as pool:', '        return pool.map(task, dirs)', ''].join('\n');
  const waiting = await lintSource(program('    return subprocess.call(["rsync", "-a", d, "/backup/"])'));
  waiting.tree.delete();
  const bounded = waiting.result.findings.find((f) => f.code === 'PAR406');
  assert.ok(bounded, 'PAR406 reported');
  assert.equal(bounded.fixes[0]?.applicability, 'unsafe');
  assert.match(bounded.doubts.join(' '), /the tasks mostly wait .*subprocess\.call.*fewer of those waits overlap/);
  const computing = await lintSource(program('    return sum(i * i for i in range(len(d) * 100_000))'));
  computing.tree.delete();
  assert.equal(computing.result.findings.find((f) => f.code === 'PAR406')?.fixes[0]?.applicability, 'safe');
});

test('PAR402: a nested function that captures other nested functions is not extracted; one capturing plain values is, unsafe only for values not shown to pickle', async () => {
  const text = [
    'from multiprocessing import Process',
    '',
    '',
    'class Monitor:',
    '    def start(self, hosts):',
    '        def title(host):',
    '            return "== " + host',
    '',
    '        def watch(host):',
    '            print(title(host))',
    '',
    '        for host in hosts:',
    '            p = Process(target=watch, args=(host,))',
    '            p.start()',
    '',
    '    def ping(self, hosts, count):',
    '        def probe(host):',
    '            print(host, count)',
    '',
    '        for host in hosts:',
    '            p = Process(target=probe, args=(host,))',
    '            p.start()',
    '',
  ].join('\n');
  const parser = await getParser();
  // `watch` captures `title`, a nested function: handed to the worker, it fails to pickle just the same
  const nested = fixText(text, parser, DEFAULT_LINT_CONFIG, 13, 'PAR402');
  assert.equal(nested.ok, false);
  assert.match(nested.ok ? '' : nested.reason, /`title`.*cannot be pickled/);
  // `probe` captures `count`, a parameter of unknown type: extracted, and unsafe for that reason
  const plain = fixText(text, parser, DEFAULT_LINT_CONFIG, 21, 'PAR402');
  assert.ok(plain.ok, plain.ok ? '' : plain.reason);
  if (plain.ok) {
    assert.match(plain.text, /def _probe\(host, count\):/);
    assert.equal(plain.applicability, 'unsafe');
  }
});

test('the PAR403 guard leaves the logging set-up where spawned workers run it, and says a module-level call waiting on another program runs again in every worker (round 36: package crawlers)', async () => {
  const file = path.join(FIXTURES, 'risks', 'r403_logging_and_module_fetch.py');
  const text = fs.readFileSync(file, 'utf8');
  const parser = await getParser();
  const outcome = fixText(text, parser, DEFAULT_LINT_CONFIG, 28, 'PAR403');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
  if (!outcome.ok) return;
  const guard = outcome.text.indexOf('if __name__ == "__main__":');
  assert.ok(guard > 0);
  for (const kept of ['logging.basicConfig(', 'log.setLevel(', 'PAGES = listing()']) assert.ok(outcome.text.indexOf(kept) < guard, `${kept} stays before the guard`);
  const { tree, result } = await lintSource(text);
  try {
    const finding = result.findings.find((f) => f.code === 'PAR403')!;
    const confirmed = confirmedFinding(finding, text, parser, result.analysis);
    assert.equal(confirmed.fixes[0].applicability, 'unsafe');
    assert.match(confirmed.doubts.join('\n'), /`PAGES = listing\(\)` \(line 19\) stays outside the guard[^]*runs it again/);
  } finally {
    tree.delete();
  }
});

test('PAR406 on threads whose tasks wait on the network: the cap of 32 is unsafe (fewer waits overlap past 32 items: 503 hosts checked 2.5 % slower, round 55); on disk work it stays safe', async () => {
  const program = (body: string) =>
    ['import requests', 'from multiprocessing.pool import ThreadPool', '', '', 'def task(item):', body, '', '', 'def main(items):', '    with ThreadPool(len(items)) as pool:', '        return pool.map(task, items)', ''].join('\n');
  const waiting = await lintSource(program('    return requests.get(item, timeout=3).status_code'));
  waiting.tree.delete();
  const bounded = waiting.result.findings.find((f) => f.code === 'PAR406');
  assert.ok(bounded, 'PAR406 reported');
  assert.equal(bounded.fixes[0]?.applicability, 'unsafe');
  assert.match(bounded.doubts.join(' '), /wait on the network .*bounded to 32 threads/);
  const local = await lintSource(program('    with open(item) as f:\n        return len(f.read())'));
  local.tree.delete();
  assert.equal(local.result.findings.find((f) => f.code === 'PAR406')?.fixes[0]?.applicability, 'safe');
});
