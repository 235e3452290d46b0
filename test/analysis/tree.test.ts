// The JS mirror of the syntax tree: what it answers without wasm must equal what tree-sitter says, and stay
// readable after the wasm tree is deleted (findings and hovers outlive the tree in the CLI and the tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node as RawNode } from 'web-tree-sitter';
import { createParser, parseSyntax } from '../../server/src/parser';

const SOURCE = '# -*- coding: utf-8 -*-\ns = "żółć 日本語 🐍"\r\nfor ch in s:\n    out[ch] = f"{ch!r:>3} {[c for c in ch]}"\n\tx = (\n  1 +\n)\n';

test('type, named-ness, spans, positions, children, fields and errors agree with tree-sitter for every node (non-ASCII, CRLF, errors)', async () => {
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
      // read through the tree cursor, or computed from the text: children, fields, start, parent, errors
      const rawChildren = raw.children.filter((c): c is RawNode => c !== null);
      const fields = [...new Set(rawChildren.map((_, i) => raw.fieldNameForChild(i)).filter((f): f is string => !!f))];
      assert.deepEqual(
        {
          id: node.id,
          startPosition: node.startPosition,
          hasError: node.hasError,
          parent: node.parent?.id ?? null,
          children: node.children.map((c) => c.id),
          fields: fields.map((f) => [f, node.childrenForFieldName(f).map((c) => c.id)]),
        },
        {
          id: raw.id,
          startPosition: raw.startPosition,
          hasError: raw.hasError,
          parent: raw.parent?.id ?? null,
          children: rawChildren.map((c) => c.id),
          fields: fields.map((f) => [f, rawChildren.filter((_, i) => raw.fieldNameForChild(i) === f).map((c) => c.id)]),
        },
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
