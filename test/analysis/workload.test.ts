// Workload classes: what the evidence of a loop names, what a rate limit says, which expressions are provably
// text or paths, and the rule that decides between threads and processes for mixed work.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Evidence } from '../../server/src/analysis/effects';
import type { LoopFacts } from '../../server/src/analysis/model';
import { analyzeModule } from '../../server/src/analysis/scope';
import { textKind } from '../../server/src/analysis/textValues';
import { dominantWorkload } from '../../server/src/analysis/workload';
import { explainUnreported } from '../../server/src/rules/explain';
import { parseSyntax } from '../../server/src/parser';
import { descendantsNamed } from '../../server/src/syntax';
import { FIXTURES, getParser, lintSource } from '../support/harness';

const FIXTURE = fs.readFileSync(path.join(FIXTURES, 'analysis', 'a26_workload_classes.py'), 'utf8');

/** The facts of the loops of the workload fixture, by the name of the function each is in. */
async function loopsByFunction(): Promise<Map<string, LoopFacts>> {
  const { tree, result } = await lintSource(FIXTURE);
  const loops = new Map<string, LoopFacts>();
  for (const loop of result.analysis.loops) {
    const name = loop.function?.childForFieldName('name')?.text;
    if (name && !loops.has(name)) loops.set(name, loop);
  }
  tree.delete();
  return loops;
}

test('the request call is the I/O evidence, not .json() or .raise_for_status() on its response', async () => {
  const loops = await loopsByFunction();
  const named = (fn: string) => loops.get(fn)!.evidence.map((e) => e.what);
  assert.deepEqual(named('fetch_json'), ['requests.get']);
  // a session the analysis cannot see: the call that made the response is named
  assert.deepEqual(named('session_json'), ['session.get']);
  // responses already received: nothing waits
  assert.deepEqual(named('decoded'), []);
  assert.equal(loops.get('decoded')!.workload, 'unknown');
});

test('Popen alone does not wait; .wait() and .communicate() on the process started in the iteration do', async () => {
  const loops = await loopsByFunction();
  assert.equal(loops.get('start_all')!.workload, 'unknown');
  assert.deepEqual(
    loops.get('run_each')!.evidence.map((e) => [e.what, e.waits]),
    [['subprocess.Popen(…).wait()', 'process']],
  );
  assert.deepEqual(
    loops.get('run_each_communicate')!.evidence.map((e) => [e.what, e.waits]),
    [['process.communicate()', 'process']],
  );
});

test('a constant pause next to requests is a rate limit whose message names the pause and the calls it paces', async () => {
  const loops = await loopsByFunction();
  const rateLimit = (fn: string) => loops.get(fn)!.rejections.find((r) => r.kind === 'rate-limit');
  assert.match(rateLimit('paced_pages')!.message, /^`time\.sleep\(0\.5\)` at line 28 paces the calls to `requests\.get` \(line 27\)/);
  assert.match(rateLimit('paced_by_constant')!.message, /^`time\.sleep\(DELAY\)` at line 36 paces/);
  assert.match(rateLimit('paced_in_helper')!.message, /^`time\.sleep\(DELAY\)` in `polite_get\(\)` \(called at line 56\) paces the calls `polite_get\(\)` makes \(`requests\.get`\)/);
  assert.match(rateLimit('paced_commands')!.message, /paces the calls to `subprocess\.run`/);
  assert.ok(rateLimit('paced_pages')!.remedy.length > 0);
  // a pause known by its value carries it (for the cost model)
  assert.equal(loops.get('paced_pages')!.evidence.find((e) => e.pause)?.seconds, 0.5);
  // the hover of the loop says why it is not reported
  const hover = explainUnreported(loops.get('paced_pages')!);
  assert.match(hover, /rate limit/);
  assert.match(hover, /time\.sleep\(0\.5\)/);
  // not rate limits: a pause that is the only wait, one next to file reads, a back-off after a failure, an item's own wait
  for (const fn of ['simulated', 'pause_between_reads', 'back_off', 'variable_wait']) {
    assert.equal(rateLimit(fn), undefined, fn);
    assert.equal(loops.get(fn)!.workload, 'io', fn);
  }
});

test('mixed work: file reads then GIL-holding computation is CPU-bound; a network wait or GIL-releasing hashing is not', async () => {
  const loops = await loopsByFunction();
  assert.equal(loops.get('word_frequencies')!.workload, 'cpu');
  assert.equal(loops.get('column_totals')!.workload, 'cpu');
  assert.equal(loops.get('digests')!.workload, 'io');
  assert.equal(loops.get('fetched_words')!.workload, 'io');
});

test('dominantWorkload: the rule on evidence alone', () => {
  const cpu = (extra: Partial<Evidence> = {}): Evidence => ({ kind: 'cpu', what: 'c', line: 1, ...extra });
  const io = (extra: Partial<Evidence> = {}): Evidence => ({ kind: 'io', what: 'i', line: 1, ...extra });
  assert.equal(dominantWorkload([], []), 'unknown');
  assert.equal(dominantWorkload([cpu()], []), 'cpu');
  assert.equal(dominantWorkload([], [io({ waits: 'file' })]), 'io');
  assert.equal(dominantWorkload([cpu()], [io({ waits: 'file' })]), 'cpu');
  assert.equal(dominantWorkload([cpu({ releasesGil: true })], [io({ waits: 'file' })]), 'io');
  assert.equal(dominantWorkload([cpu({ releasesGil: true }), cpu()], [io({ waits: 'file' })]), 'cpu');
  assert.equal(dominantWorkload([cpu()], [io({ waits: 'file' }), io({ waits: 'network' })]), 'io');
  assert.equal(dominantWorkload([cpu()], [io({ waits: 'process' })]), 'io');
  assert.equal(dominantWorkload([cpu()], [io({ waits: 'sleep' })]), 'io');
  // a wait of unknown kind (an `await`, a library the tables do not classify) keeps the threads
  assert.equal(dominantWorkload([cpu()], [io()]), 'io');
});

test('textKind: only what the code proves is text or a path', async () => {
  const source = [
    'from pathlib import Path',
    'import os',
    'PREFIX = "item-"',
    'def f(a, b, base: Path, name: str, n):',
    '    s = ""',
    '    s += a',
    '    p = Path(a)',
    '    p = p / b',
    '    q = base.parent',
    '    joined = ", ".join(a)',
    '    mixed = 1',
    '    mixed = "x"',
    '    total = 0',
    '    total = total + n',
    '    probe(',
    '        a + b,',
    '        "x" + a,',
    '        a + f"{b}",',
    '        "%d" % n,',
    '        n % 3,',
    '        s + b,',
    '        p / "x",',
    '        base / a,',
    '        a / b,',
    '        q / a,',
    '        name * 3,',
    '        joined + a,',
    '        PREFIX + a,',
    '        mixed + a,',
    '        total + a,',
    '        os.path.join(a, b) + a,',
    '        str(n) + a,',
    '        base.name + a,',
    '    )',
    '',
  ].join('\n');
  const parser = await getParser();
  const tree = parseSyntax(parser, source);
  try {
    const module = analyzeModule(tree.rootNode);
    const probe = descendantsNamed(tree.rootNode, 'call').find((c) => c.childForFieldName('function')?.text === 'probe')!;
    const kinds = probe.childForFieldName('arguments')!.namedChildren.map((a) => `${a!.text}: ${textKind(a!, module) ?? '?'}`);
    assert.deepEqual(kinds, [
      'a + b: ?',
      '"x" + a: str',
      'a + f"{b}": str',
      '"%d" % n: str',
      'n % 3: ?',
      's + b: str',
      'p / "x": path',
      'base / a: path',
      'a / b: ?',
      'q / a: path',
      'name * 3: str',
      'joined + a: str',
      'PREFIX + a: str',
      'mixed + a: ?',
      'total + a: ?',
      'os.path.join(a, b) + a: str',
      'str(n) + a: str',
      'base.name + a: str',
    ]);
  } finally {
    tree.delete();
  }
});

test('a YAML document loaded per item is CPU work of the parse, not file work (round 59: a converter called I/O-bound)', async () => {
  const text = ['import yaml', '', 'def load_all(paths):', '    out = []', '    for p in paths:', '        with open(p) as f:', '            out.append(yaml.safe_load(f))', '    return out', ''].join('\n');
  const { tree, result } = await lintSource(text);
  const loop = result.analysis.loops[0];
  tree.delete();
  assert.ok(loop.evidence.some((e) => e.kind === 'cpu' && e.what === 'yaml.safe_load'), JSON.stringify(loop.evidence.map((e) => [e.kind, e.what])));
  assert.equal(loop.workload, 'cpu');
});

test('a loop running ffmpeg per item doubts the gain: the encoder spreads over every core itself (round 59: a chat analyser transcoding its top videos)', async () => {
  const text = ['import subprocess', '', 'def transcode(videos):', '    for v in videos:', '        subprocess.run(["ffmpeg", "-y", "-i", v, v + ".mp4"], check=True, capture_output=True)', ''].join('\n');
  const { tree, result } = await lintSource(text);
  const loop = result.analysis.loops[0];
  tree.delete();
  assert.ok(loop.doubts.some((d) => /^`ffmpeg` spreads an encode or a render over every core itself/.test(d.message) && d.line === 5), JSON.stringify(loop.doubts));
  const plain = await lintSource(text.replace('"ffmpeg", "-y", "-i", v, v + ".mp4"', '"gzip", "-k", v'));
  const other = plain.result.analysis.loops[0];
  plain.tree.delete();
  assert.ok(!other.doubts.some((d) => /spreads an encode/.test(d.message)));
});
