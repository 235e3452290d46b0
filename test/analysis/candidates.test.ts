// The loops the analysis examines are found from the words `for` and `map` in the text, then checked against
// the syntax tree: every loop must still be found, in document order, and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
