// The real server over stdio: initialize, didOpen/didChange, publishDiagnostics, hover, codeAction, shutdown.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyEdits, type TextChange } from '../../server/src/edits';
import { FIXTURES, pythonParses, runPython, tempDir } from '../support/harness';
import { LspClient } from '../support/lsp';
import { DIGEST_PROGRAM } from '../support/programs';

const SOURCE = DIGEST_PROGRAM;

interface Action {
  title: string;
  isPreferred?: boolean;
  edit?: { documentChanges: Array<{ textDocument: { uri: string; version: number }; edits: TextChange[] }> };
  command?: { command: string; arguments: unknown[] };
}

describe('language server over stdio', () => {
  let client: LspClient;
  const uri = 'file:///tmp/parallelize-lsp/digest.py';

  before(async () => {
    client = new LspClient();
    const init = await client.initialize();
    assert.ok(init.capabilities.hoverProvider);
    assert.ok(init.capabilities.codeActionProvider);
  });

  after(async () => {
    const code = await client.shutdown();
    assert.equal(code, 0);
  });

  test('publishes PAR101 on the loop header with code, href and source', async () => {
    client.open(uri, SOURCE, 1);
    const published = await client.diagnostics(uri, 1);
    assert.equal(published.diagnostics.length, 1);
    const d = published.diagnostics[0];
    assert.equal(d.code, 'PAR101');
    assert.equal(d.source, 'parallelize');
    assert.deepEqual(d.range, { start: { line: 10, character: 4 }, end: { line: 10, character: 19 } });
    assert.match(d.codeDescription!.href, /PAR101\.md$/);
  });

  test('hover explains the verdict, the evidence and the risks', async () => {
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 6 } });
    assert.match(h.contents.value, /PAR101/);
    assert.match(h.contents.value, /CPU-bound/);
    assert.match(h.contents.value, /digest/);
    assert.match(h.contents.value, /Pickling/);
    assert.match(h.contents.value, /__main__/);
  });

  test('hover on a rejected loop says why not, with the variable and lines', async () => {
    const other = 'file:///tmp/parallelize-lsp/prefix.py';
    client.open(other, 'def f(xs):\n    acc = 0\n    out = []\n    for x in xs:\n        acc += x\n        out.append(acc)\n    return out\n', 1);
    await client.diagnostics(other, 1);
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: other }, position: { line: 3, character: 5 } });
    assert.match(h.contents.value, /Not parallelizable/);
    assert.match(h.contents.value, /`acc`/);
    assert.match(h.contents.value, /line 5/);
    assert.match(h.contents.value, /Remedy/);
  });

  test('code actions: the rewrite (versioned, preferred when safe), noqa and documentation; the rewrite runs', async () => {
    const published = await client.diagnostics(uri, 1);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0].range,
      context: { diagnostics: published.diagnostics },
    });
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Run the loop in a ProcessPoolExecutor', 'Run the loop in a multiprocessing.Pool (map with chunksize)', 'Ignore PAR101 for this line', 'Show documentation for PAR101']);
    const fix = actions[0];
    assert.equal(fix.isPreferred, true);
    assert.equal(actions[1].isPreferred, false, 'an alternative is never preferred, safe or not');
    const change = fix.edit!.documentChanges[0];
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const rewritten = applyEdits(SOURCE, change.edits);
    assert.match(rewritten, /from concurrent\.futures import ProcessPoolExecutor/);
    assert.match(rewritten, /out = list\(executor\.map\(digest, words, chunksize=chunksize\)\)/);
    assert.ok(pythonParses(rewritten).ok);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'before.py'), SOURCE);
    fs.writeFileSync(path.join(dir, 'after.py'), rewritten);
    assert.equal(runPython(path.join(dir, 'after.py')).stdout, runPython(path.join(dir, 'before.py')).stdout);
    const noqa = applyEdits(SOURCE, actions[2].edit!.documentChanges[0].edits);
    assert.match(noqa.split('\n')[10], /for w in words:  # noqa: PAR101$/);
    assert.equal(actions[3].command!.command, 'parallelize.showDocumentation');
  });

  test('an incremental edit re-analyses: the loop becomes a prefix sum and the diagnostic goes', async () => {
    // line 11 `        out.append(digest(w))` → `        out.append(digest(w) + out[-1])`
    client.change(uri, 2, [{ range: { start: { line: 11, character: 28 }, end: { line: 11, character: 28 } }, text: ' + str(len(out))' }]);
    const published = await client.diagnostics(uri, 2);
    assert.equal(published.diagnostics.length, 0);
    client.change(uri, 3, [{ range: { start: { line: 11, character: 28 }, end: { line: 11, character: 44 } }, text: '' }]);
    const back = await client.diagnostics(uri, 3);
    assert.equal(back.diagnostics.length, 1);
  });

  test('a code action for a stale version is refused', async () => {
    const stale = { range: { start: { line: 10, character: 4 }, end: { line: 10, character: 19 } }, code: 'PAR101', source: 'parallelize', message: 'x', data: { code: 'PAR101', line: 10, character: 4, version: 1 } };
    const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: stale.range, context: { diagnostics: [stale] } });
    assert.deepEqual(actions, []);
  });

  test('requests for unopened documents answer null / empty, and the server keeps serving', async () => {
    const h = await client.request('textDocument/hover', { textDocument: { uri: 'file:///nope.py' }, position: { line: 0, character: 0 } });
    assert.equal(h, null);
    const a = await client.request<unknown[]>('textDocument/codeAction', { textDocument: { uri: 'file:///nope.py' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
    assert.deepEqual(a, []);
    const ok = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 6 } });
    assert.match(ok.contents.value, /PAR101/);
  });

  test('show documentation opens the bundled rule page', async () => {
    await client.request('workspace/executeCommand', { command: 'parallelize.showDocumentation', arguments: ['PAR101'] });
    assert.equal(client.shownDocuments.length, 1);
    assert.match((client.shownDocuments[0] as { uri: string }).uri, /PAR101/);
  });

  test('a document whose text contains "Content-Length:" is not mistaken for a broken frame', async () => {
    const u = 'file:///tmp/parallelize-lsp/headers.py';
    client.open(u, `HEADERS = "Content-Length: 5\\r\\n\\r\\n{"\nContent_Length = "Content-Length: 999"\n${SOURCE}`, 1);
    const published = await client.diagnostics(u, 1);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['PAR101']);
  });

  test('every fixture opens without an error logged', async () => {
    for (const file of fs.readdirSync(path.join(FIXTURES, 'analysis'))) {
      const u = `file:///tmp/parallelize-lsp/${file}`;
      client.open(u, fs.readFileSync(path.join(FIXTURES, 'analysis', file), 'utf8'), 1);
      await client.diagnostics(u, 1);
    }
    assert.deepEqual(client.logs.filter((l) => /failed|uncaught/.test(l)), []);
  });
});
