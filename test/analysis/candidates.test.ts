// The loops the analysis examines are found from the words `for` and `map` in the text, then checked against
// the syntax tree: every loop must still be found, in document order, and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPools } from '../../server/src/analysis/executors';
import { analyzeTree } from '../../server/src/analysis/loops';
import { createParser, parseSyntax } from '../../server/src/parser';

async function loopsOf(source: string): Promise<string[]> {
  const tree = parseSyntax(await createParser(), source);
  try {
    return analyzeTree(tree).loops.map((l) => `${l.kind}@${l.line}:${l.node.startPosition.column}`);
  } finally {
    tree.delete();
  }
}

test('loops, comprehensions and list(map(…)) are found in document order, nested ones after their outer one', async () => {
  const source = [
    'def f(rows):',
    '    out = [[c for c in r] for r in rows]',
    '    for r in rows:',
    '        for c in r:',
    '            out.append(list(map(str, c)))',
    '    return {k: v for k, v in out}, {x for x in rows}',
    '',
  ].join('\n');
  assert.deepEqual(await loopsOf(source), [
    'comprehension@2:10',
    'comprehension@2:11',
    'for@3:4',
    'for@4:8',
    'map-call@5:23',
    'comprehension@6:11',
    'comprehension@6:35',
  ]);
});

test('the word `for` in strings, comments and names is no loop; `1for` is one', async () => {
  const source = [
    '"""for x in y: a docstring"""',
    '# for x in y: a comment',
    'before = format = forward = "for"',
    'squares = [x*x for x in range(5000)]',
    'flags = [1for x in range(3)]',
    'mapping = "list(map(f, xs))"',
    '',
  ].join('\n');
  assert.deepEqual(await loopsOf(source), ['comprehension@4:10', 'comprehension@5:8']);
});

test('loops after non-ASCII text are found at their UTF-16 positions', async () => {
  const source = 'names = "żółć 日本語 🐍"\nfor n in names:\n    print(n)\ntotal = list(map(ord, "é🐍"))\n';
  assert.deepEqual(await loopsOf(source), ['for@2:0', 'map-call@4:8']);
});

test('a loop inside an f-string interpolation is found', async () => {
  assert.deepEqual(await loopsOf('s = f"{[x for x in range(3)]}"\n'), ['comprehension@1:7']);
});

test('pools are found through aliases and chained calls, in document order; names in comments and strings are not calls', async () => {
  const source = [
    'import multiprocessing as mp',
    'import threading',
    'from concurrent.futures import ProcessPoolExecutor as PPE',
    'from concurrent import futures',
    '',
    'def main(xs, f):',
    '    threading.Thread(target=f).start()',
    '    with PPE() as ex, futures.ThreadPoolExecutor(4) as tx:',
    '        ex.map(f, xs)',
    '    pool = mp.pool.ThreadPool(2)',
    '    other = mp.Pool(2)  # mp.Pool in a comment is no call',
    '    mpx = "mp.Pool(3)"',
    '',
  ].join('\n');
  const tree = parseSyntax(await createParser(), source);
  try {
    const { module } = analyzeTree(tree);
    assert.deepEqual(
      findPools(module).map((p) => `${p.api}@${p.call.startPosition.row + 1}`),
      ['Thread@7', 'ProcessPoolExecutor@8', 'ThreadPoolExecutor@8', 'ThreadPool@10', 'Pool@11'],
    );
  } finally {
    tree.delete();
  }
});

test('a pool from get_context(…) is found', async () => {
  const tree = parseSyntax(await createParser(), 'import multiprocessing\n\nctx = multiprocessing.get_context("spawn")\npool = ctx.Pool(2)\nother = multiprocessing.get_context("fork").Pool(2)\n');
  try {
    assert.deepEqual(findPools(analyzeTree(tree).module).map((p) => `${p.api}@${p.call.startPosition.row + 1}`), ['Pool@5']);
  } finally {
    tree.delete();
  }
});
