// The JS mirror of the syntax tree: what it answers without wasm must equal what tree-sitter says, and stay
// readable after the wasm tree is deleted (findings and hovers outlive the tree in the CLI and the tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node as RawNode } from 'web-tree-sitter';
import { createParser, parseSyntax } from '../../server/src/parser';
import { runtimeCursorActive, setRuntimeCursorEnabled } from '../../server/src/runtimeCursor';

const SOURCE = '# -*- coding: utf-8 -*-\ns = "żółć 日本語 🐍"\r\nfor ch in s:\n    out[ch] = f"{ch!r:>3} {[c for c in ch]}"\n\tx = (\n  1 +\n)\n';

// deep nesting makes the cursor's stack grow (and with it, possibly, the wasm memory) during a walk
const DEEP = `x = ${'('.repeat(300)}1${')'.repeat(300)}\nfor i in range(3):\n${Array.from({ length: 40 }, (_, d) => `${'    '.repeat(d + 1)}if i:\n`).join('')}${'    '.repeat(41)}pass\n`;

for (const [how, direct] of [['stepped on the wasm runtime', true], ["with web-tree-sitter's public cursor", false]] as const) {
  for (const [what, source] of [['non-ASCII, CRLF, errors', SOURCE], ['deep nesting', DEEP]] as const) {
    test(`type, named-ness, spans, positions, children, fields and errors agree with tree-sitter for every node (${what}; children read ${how})`, async () => {
      const parser = await createParser();
      setRuntimeCursorEnabled(direct);
      try {
        await agreesWithTreeSitter(parser, source);
      } finally {
        setRuntimeCursorEnabled(true);
      }
    });
  }
}

test('the mirror steps its cursor on the wasm runtime (web-tree-sitter still hands it over)', async () => {
  await createParser();
  assert.equal(runtimeCursorActive(), true);
});

async function agreesWithTreeSitter(parser: Awaited<ReturnType<typeof createParser>>, source: string): Promise<void> {
  const tree = parseSyntax(parser, source);
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
    // a field read before the children (one child, through the cursor) is the mirror the children hold later
    const fresh = parseSyntax(parser, source);
    try {
      const loop = fresh.rootNode.namedChildren.find((n) => n.type === 'for_statement')!;
      const rawLoop = fresh.raw.rootNode.namedChildren.find((n) => n?.type === 'for_statement')!;
      for (const field of ['body', 'right', 'left']) {
        const child = loop.childForFieldName(field)!;
        const rawChild = rawLoop.childForFieldName(field)!;
        assert.deepEqual([child.id, child.type, child.startIndex, child.endIndex], [rawChild.id, rawChild.type, rawChild.startIndex, rawChild.endIndex]);
      }
      const body = loop.childForFieldName('body');
      assert.ok(loop.children.includes(body!));
      assert.equal(loop.childForFieldName('alternative'), null);
    } finally {
      fresh.delete();
    }
  } finally {
    tree.delete();
  }
}

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
