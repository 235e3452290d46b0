// The JS mirror of the syntax tree: what it answers without wasm must equal what tree-sitter says, and stay
// readable after the wasm tree is deleted (findings and hovers outlive the tree in the CLI and the tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node as RawNode } from 'web-tree-sitter';
import { createParser, parseSyntax } from '../../server/src/parser';

const SOURCE = '# -*- coding: utf-8 -*-\ns = "żółć 日本語 🐍"\r\nfor ch in s:\n    out[ch] = f"{ch!r:>3} {[c for c in ch]}"\n\tx = (\n  1 +\n)\n';

test('type, named-ness, end index and end position agree with tree-sitter for every node (non-ASCII, CRLF, errors)', async () => {
  const tree = parseSyntax(await createParser(), SOURCE);
  try {
    const stack: RawNode[] = [tree.raw.rootNode];
    let count = 0;
    while (stack.length > 0) {
      const raw = stack.pop()!;
      const node = tree.wrap(raw);
      assert.deepEqual(
        { type: node.type, isNamed: node.isNamed, endIndex: node.endIndex, endPosition: node.endPosition },
        { type: raw.type, isNamed: raw.isNamed, endIndex: raw.endIndex, endPosition: raw.endPosition },
      );
      count++;
      for (const c of raw.children) if (c) stack.push(c);
    }
    assert.ok(count > 50);
  } finally {
    tree.delete();
  }
});

test('text, positions and field children already read stay valid after the tree is deleted', async () => {
  const tree = parseSyntax(await createParser(), SOURCE);
  const loop = tree.rootNode.namedChildren.find((n) => n.type === 'for_statement')!;
  const iterable = loop.childForFieldName('right')!;
  const raw = tree.raw.rootNode.namedChildren.find((n) => n?.type === 'for_statement')!;
  const before = { end: raw.endPosition, endIndex: raw.endIndex };
  tree.delete();
  assert.equal(iterable.text, 's');
  assert.deepEqual(loop.startPosition, { row: 2, column: 0 });
  assert.deepEqual({ end: loop.endPosition, endIndex: loop.endIndex }, before);
  assert.ok(loop.text.startsWith('for ch in s:'));
});
