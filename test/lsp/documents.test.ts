// Document lifetime: which documents keep a tree and an analysis, what a burst of changes costs, and that
// what is published or hovered is always about the latest text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DocumentStore } from '../../server/src/documents';
import { getParser } from '../support/harness';
import { LspClient } from '../support/lsp';
import { DIGEST_PROGRAM } from '../support/programs';

/** Where `out.append(digest(w))` ends on line 11 (0-based): typing ` + out[-1]` there makes the loop carried. */
const APPEND_END = { line: 11, character: 28 };
const CARRIED = ' + out[-1]';

function codes(store: DocumentStore, uri: string): string[] {
  return store.get(uri)!.lint().findings.map((f) => `${f.code}@${f.span.startLine}`);
}

describe('document store', () => {
  test('only the 16 most recently analysed documents keep a tree; the others re-analyse to the same findings; closing frees the tree', async () => {
    const store = new DocumentStore(await getParser());
    const uris = Array.from({ length: 20 }, (_, i) => `file:///docs/m${i}.py`);
    for (const uri of uris) store.open(uri, 1, DIGEST_PROGRAM);
    assert.ok(uris.every((u) => !store.get(u)!.hasTree), 'opening parses nothing');
    for (const uri of uris) assert.deepEqual(codes(store, uri), ['PAR101@10']);
    assert.deepEqual(
      uris.map((u) => store.get(u)!.hasTree),
      uris.map((_, i) => i >= 4),
    );
    assert.equal(store.get(uris[0])!.hasAnalysis, false);
    assert.deepEqual(codes(store, uris[0]), ['PAR101@10']);
    const last = store.get(uris[19])!;
    for (const uri of uris) store.close(uri);
    assert.deepEqual(store.all(), []);
    assert.equal(last.hasTree, false, 'closing frees the tree');
  });

  test('edits to a document without a tree, and several edits before one parse, give the findings of the new text', async () => {
    const store = new DocumentStore(await getParser());
    const evicted = store.open('file:///docs/evicted.py', 1, DIGEST_PROGRAM);
    evicted.update([{ range: { start: APPEND_END, end: APPEND_END }, text: CARRIED }], 2);
    assert.deepEqual(codes(store, evicted.uri), []);
    const kept = store.open('file:///docs/kept.py', 1, DIGEST_PROGRAM);
    assert.deepEqual(codes(store, kept.uri), ['PAR101@10']);
    // one character at a time, then undone the same way: one incremental parse per analysed version
    [...CARRIED].forEach((ch, i) => {
      const at = { line: APPEND_END.line, character: APPEND_END.character + i };
      kept.update([{ range: { start: at, end: at }, text: ch }], 2 + i);
    });
    assert.equal(kept.text, DIGEST_PROGRAM.replace('out.append(digest(w))', `out.append(digest(w)${CARRIED})`));
    assert.deepEqual(codes(store, kept.uri), []);
    const end = { line: APPEND_END.line, character: APPEND_END.character + CARRIED.length };
    kept.update([{ range: { start: APPEND_END, end }, text: '' }], 20);
    assert.deepEqual(codes(store, kept.uri), ['PAR101@10']);
    store.close(kept.uri);
    store.close(evicted.uri);
  });
});

describe('language server: bursts of changes', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  test('a burst of keystrokes is analysed once, at its latest version; hover answers for that version', async () => {
    const uri = 'file:///tmp/parallelize-burst/digest.py';
    client.open(uri, DIGEST_PROGRAM, 1);
    assert.deepEqual((await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code), ['PAR101']);
    const last = 1 + CARRIED.length;
    [...CARRIED].forEach((ch, i) => {
      const at = { line: APPEND_END.line, character: APPEND_END.character + i };
      client.change(uri, 2 + i, [{ range: { start: at, end: at }, text: ch }]);
    });
    assert.deepEqual((await client.diagnostics(uri, last)).diagnostics, []);
    const during = client.publishedFor(uri).slice(1);
    assert.ok(during.length < CARRIED.length / 2, `${during.length} analyses for ${CARRIED.length} changes sent at once`);
    assert.equal(during.at(-1)!.version, last);
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 6 } });
    assert.match(hover.contents.value, /not parallelizable/i);
  });

  test('documents beyond the kept ones still get correct diagnostics after an edit', async () => {
    const uris = Array.from({ length: 20 }, (_, i) => `file:///tmp/parallelize-burst/m${i}.py`);
    for (const uri of uris) client.open(uri, DIGEST_PROGRAM, 1);
    for (const uri of uris) assert.deepEqual((await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code), ['PAR101']);
    client.change(uris[0], 2, [{ range: { start: APPEND_END, end: APPEND_END }, text: CARRIED }]);
    assert.deepEqual((await client.diagnostics(uris[0], 2)).diagnostics, []);
  });
});
