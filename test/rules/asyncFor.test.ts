// PAR202 on `async for`: the items are collected first (`[x async for x in source]`), then the awaits gathered in
// input order. Where the source comes from decides the fix's safety; a source that never ends rejects the loop.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { explainFinding, explainUnreported } from '../../server/src/rules/explain';
import { FIXTURES, getParser, lintSource, pythonParses, tempDir } from '../support/harness';
import { everyFixKeepsOutput } from '../support/rewriteCheck';

const PY311 = { ...DEFAULT_LINT_CONFIG, targetVersion: [3, 11] as [number, number] };

/** A module whose `main` reads `source` with `async for` and awaits `download` per item. */
function program(source: string, generators: string[] = []): string {
  return [
    'import asyncio',
    'from feeds import aiter_urls',
    '',
    '',
    'async def download(url):',
    '    await asyncio.sleep(0.01)',
    '    return url.upper()',
    '',
    '',
    ...generators.flatMap((g) => [...g.split('\n'), '', '']),
    'async def main(urls, queue):',
    '    results = []',
    `    async for url in ${source}:`,
    '        body = await download(url)',
    '        results.append(len(body))',
    '    return results',
    '',
  ].join('\n');
}

const PAGES = 'async def pages(urls):\n    for url in urls:\n        await asyncio.sleep(0)\n        yield url';
const DRAIN = 'async def drain(queue):\n    while True:\n        yield await queue.get()';
const UNTIL_NONE = 'async def until_none(queue):\n    while True:\n        url = await queue.get()\n        if url is None:\n            return\n        yield url';

async function lint(text: string, config = DEFAULT_LINT_CONFIG) {
  const { tree, result } = await lintSource(text, config);
  tree.delete();
  const loop = result.analysis.loops.find((l) => l.isAsync && l.function?.childForFieldName('name')?.text === 'main')!;
  return { finding: result.findings.find((f) => f.span.startLine + 1 === loop.line), loop };
}

test('async for over an async generator of this module that ends: PAR202, and no doubt about the source', async () => {
  const { finding } = await lint(program('pages(urls)', [PAGES]));
  assert.equal(finding?.code, 'PAR202');
  const hover = explainFinding(finding, 16);
  assert.doesNotMatch(hover, /ends by itself/);
  assert.match(hover, /\*\*Read to the end first:\*\* every item of the `async for` source is collected before the first await starts/);
  assert.match(hover, /`gather` returns the results in input order/);
});

test('async for over an imported iterator: the fix is unsafe and the hover says the source is not seen', async () => {
  const { finding } = await lint(program('aiter_urls(urls)'));
  assert.equal(finding?.code, 'PAR202');
  assert.equal(finding.fixes[0].applicability, 'unsafe');
  assert.equal(finding.fixes[0].title, 'Gather the awaits with asyncio.gather (unsafe)');
  const hover = explainFinding(finding, 16);
  assert.match(hover, /Not proven \(so the fix is unsafe\):\*\* that `aiter_urls\(urls\)` ends by itself, does not pace its items and may be read to its end before any item is handled \(`aiter_urls` is imported\)/);
  assert.match(hover, /on an endless stream it never finishes, it holds back the work until the last item arrives, and it undoes any pacing of the items/);
});

test('async for over a generator looping while True with an exit: not seen to end, unsafe, the loop named', async () => {
  const { finding } = await lint(program('until_none(queue)', [UNTIL_NONE]));
  assert.equal(finding?.code, 'PAR202');
  assert.match(finding.doubts.join('\n'), /`until_none` loops `while True` \(line \d+\): how long is not shown/);
});

test('async for over a generator that never ends: not reported; the hover names the generator, its loop and a remedy', async () => {
  const { finding, loop } = await lint(program('drain(queue)', [DRAIN]));
  assert.equal(finding, undefined);
  assert.deepEqual(loop.rejections.map((r) => r.kind), ['endless-source']);
  const hover = explainUnreported(loop);
  assert.match(hover, /^\*\*Not parallelizable\*\* — endless asynchronous source/);
  assert.match(hover, /`drain\(queue\)` never ends: `drain` runs `while True` \(line 11\) with no `break`, `return` or `raise`/);
  assert.match(hover, /\*\*Remedy:\*\* keep the loop sequential, or hand each item to a bounded set of worker tasks/);
});

test('async for whose body awaits nothing: not reported, and nothing said about gathering its source', async () => {
  const text = program('aiter_urls(urls)').replace('        body = await download(url)\n', '        body = url.upper()\n');
  const { finding, loop } = await lint(text);
  assert.equal(finding, undefined);
  assert.match(loop.rejections[0].message, /the body of this `async for` awaits nothing/);
  assert.ok(!loop.doubts.some((d) => /ends by itself/.test(d.message)));
});

test('the plain-for PAR202 hover does not claim the source is read to the end first', async () => {
  const text = program('aiter_urls(urls)').replace('    async for url in aiter_urls(urls):', '    for url in urls:');
  const { tree, result } = await lintSource(text);
  tree.delete();
  const finding = result.findings.find((f) => f.code === 'PAR202')!;
  assert.doesNotMatch(explainFinding(finding, 16), /Read to the end first|ends by itself/);
});

test('the fixes list the items with an async comprehension, then gather (or create tasks) over the list', async () => {
  const text = program('aiter_urls(urls)');
  const parser = await getParser();
  const gathered = fixText(text, parser, PY311, 12, 'PAR202', 0);
  assert.ok(gathered.ok);
  assert.match(gathered.text, /\n {4}items = \[url async for url in aiter_urls\(urls\)\]\n {4}results = await asyncio\.gather\(\*\(_compute_results\(url\) for url in items\)\)\n/);
  assert.doesNotMatch(gathered.text, /async for url in aiter_urls\(urls\):/);
  const grouped = fixText(text, parser, PY311, 12, 'PAR202', 1);
  assert.ok(grouped.ok);
  assert.match(grouped.text, /items = \[url async for url in aiter_urls\(urls\)\]\n {4}async with asyncio\.TaskGroup\(\) as tg:\n {8}tasks = \[tg\.create_task\(_compute_results\(url\)\) for url in items\]/);
  for (const out of [gathered.text, grouped.text]) assert.ok(pythonParses(out).ok);
});

test('run and compare: every async for fix of the runnable fixture prints what the loop printed', async () => {
  const ran = await everyFixKeepsOutput(path.join(FIXTURES, 'run', '43_async_for_gather_main.py'), tempDir('parallelize-asyncfor-'));
  // four loops, each gathered and (Python ≥ 3.11) run in a TaskGroup
  assert.ok(ran >= 4, `${ran} fixes ran`);
});

test('the hover of a loop over an endless source lists no doubts: the loop cannot be split whatever they are', async () => {
  const text = program('drain(queue)', [DRAIN]).replace("from feeds import aiter_urls", 'from feeds import aiter_urls, download_elsewhere').replace('        body = await download(url)', '        body = await download_elsewhere(url)');
  const { loop } = await lint(text);
  assert.ok(loop.doubts.length > 0, 'the callee is not seen');
  assert.doesNotMatch(explainUnreported(loop), /Could not prove/);
});

test('async for over a generator pausing between its items: a rate limit, not reported', async () => {
  const paced = 'async def paced(urls):\n    for url in urls:\n        await asyncio.sleep(0.2)\n        yield url';
  const { finding, loop } = await lint(program('paced(urls)', [paced]));
  assert.equal(finding, undefined);
  assert.equal(loop.rejections[0].kind, 'rate-limit');
  assert.match(explainUnreported(loop), /`paced\(urls\)` paces its items: `paced` pauses with `await asyncio\.sleep\(0\.2\)` \(line 12\) between them/);
});

test('async for over a generator changing state as it produces items: not seen, so the fix is unsafe', async () => {
  const recorded = 'async def recorded(urls):\n    for url in urls:\n        SEEN.append(url)\n        yield url';
  const { finding } = await lint(program('recorded(urls)', ['SEEN = []', recorded]));
  assert.equal(finding?.code, 'PAR202');
  assert.equal(finding.fixes[0].applicability, 'unsafe');
  assert.match(finding.doubts.join('\n'), /`recorded` changes state as it produces its items \(.*`SEEN`.*\), and the loop's body could see it/);
});
