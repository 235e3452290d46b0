// Minimal edits, noqa merging and the line index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, LineIndex, minimalEdits, noqaEdit } from '../../server/src/edits';
import { noqaCodes } from '../../server/src/linter';

test('minimal edits touch only the changed lines and reproduce the new text', () => {
  const before = 'a = 1\nb = 2\nc = 3\nd = 4\n';
  const after = 'a = 1\nb = 20\nc = 3\nd = 4\ne = 5\n';
  const edits = minimalEdits(before, after);
  assert.equal(edits.length, 2);
  assert.deepEqual(edits[0].range, { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } });
  assert.equal(applyEdits(before, edits), after);
});

test('minimal edits keep CRLF text intact outside the change', () => {
  const before = 'x = 1\r\ny = 2\r\n';
  const after = 'x = 1\r\ny = 3\r\n';
  assert.equal(applyEdits(before, minimalEdits(before, after)), after);
  assert.equal(minimalEdits(before, after).length, 1);
});

test('noqa is added, merged with an existing code list, and not duplicated', () => {
  assert.deepEqual(noqaEdit('    for x in xs:', 3, 'PAR101')?.newText, '  # noqa: PAR101');
  const merged = noqaEdit('for x in xs:  # noqa: E501', 0, 'PAR101')!;
  assert.equal(applyEdits('for x in xs:  # noqa: E501', [merged]), 'for x in xs:  # noqa: E501, PAR101');
  assert.equal(noqaEdit('for x in xs:  # noqa', 0, 'PAR101'), null);
  assert.equal(noqaEdit('for x in xs:  # noqa: PAR101', 0, 'PAR101'), null);
});

test('noqa codes are parsed like flake8', () => {
  assert.equal(noqaCodes('x  # noqa'), 'all');
  assert.deepEqual(noqaCodes('x  # noqa: PAR101, E501'), ['PAR101', 'E501']);
  assert.deepEqual(noqaCodes('x  # NOQA:PAR102'), ['PAR102']);
  assert.deepEqual(noqaCodes('x  # a comment'), []);
});

test('the line index clamps positions past the end of a line or document', () => {
  const index = new LineIndex('ab\r\ncd\n');
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(index.offsetAt({ line: 9, character: 0 }), 7);
  assert.deepEqual(index.positionAt(5), { line: 1, character: 1 });
});
