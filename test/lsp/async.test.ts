// PAR203/PAR204 through the real server: the diagnostic on the call, its code actions and its hover.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { applyEdits, type TextChange } from '../../server/src/edits';
import { pythonParses } from '../support/harness';
import { LspClient } from '../support/lsp';

const SOURCE = [
  'import asyncio',
  'import time',
  '',
  '',
  'async def main():',
  '    with open("notes.bin", "wb") as f:',
  '        f.write(bytes(1_000_000))',
  '    time.sleep(0.01)  # noqa: PAR203',
  '    return 1',
  '',
  '',
  'async def serve():',
  '    return await asyncio.gather(main(), main())',
  '',
  '',
  'asyncio.run(serve())',
  '',
].join('\n');

interface Action {
  title: string;
  isPreferred?: boolean;
  edit?: { documentChanges: Array<{ textDocument: { uri: string; version: number }; edits: TextChange[] }> };
}

describe('PAR203/PAR204 in the language server', () => {
  let client: LspClient;
  const uri = 'file:///tmp/parallelize-lsp/async_notes.py';

  before(async () => {
    client = new LspClient();
    await client.initialize();
  });

  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  // a write of a buffer shown large: a local file's read of a size the code does not show gets an unsafe fix
  test('the diagnostic sits on the write() call; the noqa line is silent', async () => {
    client.open(uri, SOURCE, 1);
    const published = await client.diagnostics(uri, 1);
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range]),
      [['PAR203', { start: { line: 6, character: 8 }, end: { line: 6, character: 33 } }]],
    );
    assert.match(published.diagnostics[0].codeDescription!.href, /PAR203\.md$/);
  });

  test('code actions: the rewrite (safe, preferred), noqa, documentation', async () => {
    const published = await client.diagnostics(uri, 1);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0].range,
      context: { diagnostics: published.diagnostics },
    });
    assert.deepEqual(actions.map((a) => a.title), ['Run it in a thread with asyncio.to_thread', 'Ignore PAR203 for this line', 'Show documentation for PAR203']);
    assert.equal(actions[0].isPreferred, true);
    const rewritten = applyEdits(SOURCE, actions[0].edit!.documentChanges[0].edits);
    assert.match(rewritten, /^ {8}await asyncio\.to_thread\(f\.write, bytes\(1_000_000\)\)$/m);
    assert.ok(pythonParses(rewritten).ok);
    assert.match(applyEdits(SOURCE, actions[1].edit!.documentChanges[0].edits).split('\n')[6], /f\.write\(bytes\(1_000_000\)\)  # noqa: PAR203$/);
  });

  test('hover on the call names it, the file it writes and the risk of the thread pool', async () => {
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 18 } });
    assert.match(h.contents.value, /\*\*PAR203\*\*/);
    assert.match(h.contents.value, /the file opened at line 6/);
    assert.match(h.contents.value, /Thread pool size/);
  });
});
