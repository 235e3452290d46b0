// Protocol abuse against the real server (`node dist/server.js --stdio`), spoken byte by byte: broken
// framing, broken JSON, unknown methods, impossible positions, out-of-range edits, stale fixes, edits racing
// requests, a 20 MB document, binary text, and the shutdown/exit handshake. After each case the server must
// still answer valid requests, and everything it wrote to stdout must be well-formed LSP frames.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, type TextChange } from '../../server/src/edits';
import { REPO } from '../support/harness';
import { frame, type JsonRpcMessage, RawLspServer } from '../support/rawLsp';
import { DIGEST_PROGRAM } from '../support/programs';

const SOURCE = DIGEST_PROGRAM;
const LOOP_LINE = 10; // `    for w in words:`

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface Diagnostic {
  range: Range;
  code: string;
  source: string;
  message: string;
  data?: unknown;
}
interface Action {
  title: string;
  edit?: { documentChanges: Array<{ textDocument: { uri: string; version: number }; edits: TextChange[] }> };
  command?: { command: string };
}

const hoverParams = (uri: string, line: number, character: number) => ({ textDocument: { uri }, position: { line, character } });
const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });
const codeActionParams = (uri: string, range: Range, diagnostics: unknown[] = []) => ({ textDocument: { uri }, range, context: { diagnostics } });
const diagnosticsOf = (m: JsonRpcMessage): Diagnostic[] => m.params.diagnostics as Diagnostic[];
const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
const hoverValue = (m: JsonRpcMessage): string | null => (m.result === null ? null : (m.result.contents.value as string));

function assertWellFormedHover(m: JsonRpcMessage, label: string): void {
  assert.equal(m.error, undefined, `${label}: hover answered with an error: ${JSON.stringify(m.error)}`);
  if (m.result === null) return;
  assert.equal(typeof m.result, 'object', label);
  assert.equal(typeof m.result.contents?.value, 'string', `${label}: hover contents`);
}

function assertWellFormedActions(m: JsonRpcMessage, uri: string, version: number, label: string): Action[] {
  assert.equal(m.error, undefined, `${label}: codeAction answered with an error: ${JSON.stringify(m.error)}`);
  assert.ok(Array.isArray(m.result), `${label}: codeAction result is an array`);
  const actions = m.result as Action[];
  for (const a of actions) {
    assert.equal(typeof a.title, 'string', label);
    for (const change of a.edit?.documentChanges ?? []) {
      assert.deepEqual(change.textDocument, { uri, version }, `${label}: "${a.title}" must edit ${uri} at version ${version}`);
    }
  }
  return actions;
}

/** Every diagnostic range lies inside `text`. */
function assertInside(ds: Diagnostic[], text: string, label: string): void {
  const lines = text.split('\n');
  for (const d of ds) {
    const { start, end } = d.range;
    assert.ok(start.line >= 0 && end.line < lines.length, `${label}: ${d.code} line inside the document`);
    assert.ok(end.character <= lines[end.line].length, `${label}: ${d.code} end column inside its line`);
  }
}

function assertCleanStdout(server: RawLspServer): void {
  assert.deepEqual(server.stdoutViolations, [], 'everything on stdout is a Content-Length frame holding JSON-RPC');
}

async function started(): Promise<RawLspServer> {
  const server = new RawLspServer();
  const init = await server.initialize();
  assert.ok(init.result?.capabilities?.hoverProvider);
  return server;
}

/** The server is alive and answers a hover and an unknown request correctly. */
async function assertServing(server: RawLspServer, label: string): Promise<void> {
  assert.ok(server.alive, `${label}: the server exited: ${JSON.stringify(server.exit)}\n${server.stderr}`);
  const hover = await server.request('textDocument/hover', hoverParams('file:///never/opened.py', 0, 0));
  assert.equal(hover.result, null, `${label}: hover on an unopened document`);
  const unknown = await server.request('parallelize/noSuchMethod', {});
  assert.equal(unknown.error?.code, -32601, `${label}: MethodNotFound`);
}

/**
 * After a framing error the byte stream is out of step. Sends valid requests one at a time (each in its own
 * write, `gapMs` apart) until one is answered; a server that never resynchronises stays deaf for good.
 */
async function answeredWithin(server: RawLspServer, attempts: number, gapMs: number): Promise<number | null> {
  const ids: number[] = [];
  for (let i = 0; i < attempts; i++) {
    ids.push(server.post('textDocument/hover', hoverParams('file:///never/opened.py', 0, 0)));
    await new Promise((r) => setTimeout(r, gapMs));
    const answered = ids.find((id) => server.messages.some((m) => m.id === id && m.method === undefined));
    if (answered !== undefined) return i;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// A 20 MB document, opened at the start so its analysis overlaps the other cases; awaited in the last test.
const BIG_URI = 'file:///tmp/parallelize-abuse/huge.py';
const BIG_BUDGET_MS = 60_000;
let big: { server: RawLspServer; openedAt: number; bytes: number } | undefined;

function hugeSource(): string {
  const example = fs.readFileSync(path.join(REPO, 'examples', 'pipeline.py'), 'utf8');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 20 * 1024 * 1024; i++) {
    // distinct function names per copy, so the module is one long but ordinary file
    const copy = example.replace(/\bdef (\w+)/g, `def $1_${i}`);
    parts.push(copy);
    size += Buffer.byteLength(copy);
  }
  return parts.join('\n');
}

before(async () => {
  const server = new RawLspServer();
  await server.initialize();
  const text = hugeSource();
  await server.notify('textDocument/didOpen', { textDocument: { uri: BIG_URI, languageId: 'python', version: 1, text } });
  big = { server, openedAt: Date.now(), bytes: Buffer.byteLength(text) };
});

after(async () => {
  await big?.server.kill();
});

// ---------------------------------------------------------------------------------------------------------
describe('protocol abuse on one long-lived server', () => {
  let server: RawLspServer;
  const A = 'file:///tmp/parallelize-abuse/a.py';

  before(async () => {
    server = await started();
    await server.notify('textDocument/didOpen', { textDocument: { uri: A, languageId: 'python', version: 1, text: SOURCE } });
    const d = await server.diagnostics(A, 1);
    assert.deepEqual(diagnosticsOf(d).map((x) => x.code), ['PAR101']);
  });

  after(async () => {
    assertCleanStdout(server);
    const exit = await server.shutdownAndExit();
    assert.deepEqual(exit, { code: 0, signal: null });
    assertCleanStdout(server);
    assert.equal(server.pendingStdout, 0, 'no partial frame left on stdout');
  });

  test('malformed JSON bodies and JSON that is not JSON-RPC are dropped; the next requests are answered', async () => {
    await server.write(frame('{"jsonrpc": "2.0", "id": 9001, "method": "textDocument/hov'));
    await server.write(frame('{"jsonrpc": "2.0", "id": 9002, "method": }'));
    await server.write(frame(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x7d])));
    for (const body of ['{}', '[]', '42', 'null', '"text"', 'true', '{"jsonrpc":"2.0","id":9003}', '{"jsonrpc":"2.0","id":9004,"result":1}']) await server.write(frame(body));
    // a request whose params have the wrong shape: it must be answered (null or an error), not lost
    const wrongParams = server.post('textDocument/hover', 'not an object');
    const missingParams = server.post('textDocument/codeAction');
    const stringId = await server.send({ id: 'abc-1', method: 'textDocument/hover', params: hoverParams(A, LOOP_LINE, 6) }).then(() => server.response('abc-1'));
    assert.match(hoverValue(stringId) ?? '', /PAR101/, 'a string request id is fine');
    for (const id of [wrongParams, missingParams]) {
      const r = await server.response(id);
      assert.ok(r.error === undefined ? r.result === null || Array.isArray(r.result) : typeof r.error.code === 'number', `request ${id}: ${JSON.stringify(r)}`);
    }
    assert.ok(!server.messages.some((m) => m.id === 9001 || m.id === 9002), 'no response to a request that never parsed');
    await assertServing(server, 'after malformed JSON');
  });

  test('an unknown request gets MethodNotFound (-32601) with its id; unknown notifications are ignored', async () => {
    for (const method of ['foo/bar', '$/unknownRequest', 'textDocument/notAThing']) {
      const r = await server.request(method, { x: 1 });
      assert.equal(r.error?.code, -32601, `${method}: ${JSON.stringify(r)}`);
      assert.equal(r.result, undefined);
    }
    const before = server.messages.length;
    await server.notify('foo/notification', { x: 1 });
    await server.notify('$/unknownNotification', { x: 1 });
    await server.notify('textDocument/didSave', { textDocument: { uri: 'file:///never/opened.py' } });
    await server.notify('textDocument/didClose', { textDocument: { uri: 'file:///never/opened.py' } });
    await server.notify('textDocument/didChange', { textDocument: { uri: 'file:///never/opened.py', version: 2 }, contentChanges: [{ text: 'x' }] });
    await assertServing(server, 'after unknown notifications');
    const between = server.messages.slice(before).filter((m) => m.method === undefined && (m.id === null || m.id === undefined));
    assert.deepEqual(between, [], 'no error response to a notification');
  });

  test('requests for unopened documents answer null / []', async () => {
    const uri = 'file:///tmp/parallelize-abuse/never-opened.py';
    assert.equal((await server.request('textDocument/hover', hoverParams(uri, 3, 4))).result, null);
    assert.deepEqual((await server.request('textDocument/codeAction', codeActionParams(uri, lineRange(3)))).result, []);
    const withDiagnostic = codeActionParams(uri, lineRange(3), [{ range: lineRange(3), code: 'PAR101', source: 'parallelize', message: 'x', data: { code: 'PAR101', line: 3, character: 0, version: 1 } }]);
    assert.deepEqual((await server.request('textDocument/codeAction', withDiagnostic)).result, []);
  });

  test('positions past the end and huge or negative numbers never crash a handler', async () => {
    const logsBefore = server.logs().length;
    const inSpec = [
      [LOOP_LINE, 10_000],
      [10_000, 0],
      [17, 0], // the line after the last newline
      [2 ** 31 - 1, 2 ** 31 - 1],
    ];
    for (const [line, character] of inSpec) {
      const r = await server.request('textDocument/hover', hoverParams(A, line, character));
      assertWellFormedHover(r, `hover ${line}:${character}`);
      const range = { start: { line, character }, end: { line: line + 1, character } };
      assertWellFormedActions(await server.request('textDocument/codeAction', codeActionParams(A, range)), A, 1, `codeAction ${line}:${character}`);
    }
    const huge = { start: { line: 0, character: 0 }, end: { line: 2 ** 31 - 1, character: 2 ** 31 - 1 } };
    const all = assertWellFormedActions(await server.request('textDocument/codeAction', codeActionParams(A, huge)), A, 1, 'whole-document range');
    assert.ok(all.some((a) => /ProcessPoolExecutor/.test(a.title)), 'a range over the whole document still finds the loop');
    assert.deepEqual(server.logs().slice(logsBefore).filter((l) => /failed|uncaught|error/i.test(l)), [], 'in-spec positions are handled, not caught as exceptions');
    // outside the protocol's uinteger range: an error response or null is fine, a crash or silence is not
    const outOfSpec: unknown[] = [
      { line: -1, character: -1 },
      { line: 2 ** 32 - 1, character: 2 ** 32 - 1 },
      { line: Number.MAX_SAFE_INTEGER, character: -(2 ** 53) },
      { line: 1e300, character: 0.5 },
      { line: '10', character: null },
      {},
    ];
    for (const position of outOfSpec) {
      const r = await server.request('textDocument/hover', { textDocument: { uri: A }, position });
      assert.ok(r.error === undefined ? r.result === null || typeof r.result?.contents?.value === 'string' : typeof r.error.code === 'number', `hover at ${JSON.stringify(position)}: ${JSON.stringify(r)}`);
      const c = await server.request('textDocument/codeAction', codeActionParams(A, { start: position, end: position } as Range));
      assert.ok(c.error === undefined ? Array.isArray(c.result) : typeof c.error.code === 'number', `codeAction at ${JSON.stringify(position)}: ${JSON.stringify(c)}`);
    }
    const ok = await server.request('textDocument/hover', hoverParams(A, LOOP_LINE, 6));
    assert.match(hoverValue(ok) ?? '', /PAR101/);
    await assertServing(server, 'after impossible positions');
  });

  test('didChange with ranges beyond the document is clamped like vscode-languageserver-textdocument; hover still works', async () => {
    const B = 'file:///tmp/parallelize-abuse/b.py';
    const C = 'file:///tmp/parallelize-abuse/b-reference.py';
    const reference = TextDocument.create(B, 'python', 1, SOURCE);
    await server.notify('textDocument/didOpen', { textDocument: { uri: B, languageId: 'python', version: 1, text: SOURCE } });
    const edits: Array<Array<{ range: Range; text: string }>> = [
      [{ range: { start: { line: 500, character: 0 }, end: { line: 900, character: 7 } }, text: '\n# appended past the end\n' }],
      [{ range: { start: { line: 3, character: 900 }, end: { line: 3, character: 1000 } }, text: '  # past the line end' }],
      [{ range: { start: { line: 9999, character: 5 }, end: { line: 99999, character: 0 } }, text: '' }],
      [
        { range: { start: { line: -3, character: -3 }, end: { line: -1, character: 0 } }, text: '# inserted before line 0\n' },
        { range: { start: { line: 12, character: 2 ** 31 - 1 }, end: { line: 12, character: 2 ** 31 - 1 } }, text: '  # end of the append line' },
      ],
      [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 50 } }, text: '# replaced a blank line, range end past the line end' }],
    ];
    let version = 1;
    for (const changes of edits) {
      version++;
      await server.notify('textDocument/didChange', { textDocument: { uri: B, version }, contentChanges: changes });
      TextDocument.update(reference, changes, version);
    }
    const expected = reference.getText();
    const published = await server.diagnostics(B, version);
    await server.notify('textDocument/didOpen', { textDocument: { uri: C, languageId: 'python', version: 1, text: expected } });
    const fresh = await server.diagnostics(C, 1);
    assert.deepEqual(summary(diagnosticsOf(published)), summary(diagnosticsOf(fresh)), 'the edited document is the text the reference implementation computes');
    assert.deepEqual(diagnosticsOf(fresh).map((d) => d.code), ['PAR101']);
    assertInside(diagnosticsOf(published), expected, 'clamped edits');
    const loopLine = expected.split('\n').findIndex((l) => l.startsWith('    for w in words'));
    const [h1, h2] = await Promise.all([server.request('textDocument/hover', hoverParams(B, loopLine, 6)), server.request('textDocument/hover', hoverParams(C, loopLine, 6))]);
    assert.match(hoverValue(h1) ?? '', /PAR101/);
    assert.equal(hoverValue(h1), hoverValue(h2));

    // a reversed range (start after end) is outside the protocol: no crash, and a full replacement resynchronises
    version++;
    await server.notify('textDocument/didChange', { textDocument: { uri: B, version }, contentChanges: [{ range: { start: { line: loopLine, character: 10 }, end: { line: loopLine, character: 4 } }, text: 'XX' }] });
    await server.diagnostics(B, version);
    version++;
    await server.notify('textDocument/didChange', { textDocument: { uri: B, version }, contentChanges: [{ text: SOURCE }] });
    const resynced = await server.diagnostics(B, version);
    assert.deepEqual(summary(diagnosticsOf(resynced)), ['PAR101@10:4-10:19']);
    assert.match(hoverValue(await server.request('textDocument/hover', hoverParams(B, LOOP_LINE, 6))) ?? '', /PAR101/);
    await assertServing(server, 'after out-of-range edits');
  });

  test('a code action for a stale (or future, or garbled) diagnostic version returns [] — never an edit for other text', async () => {
    const D = 'file:///tmp/parallelize-abuse/stale.py';
    await server.notify('textDocument/didOpen', { textDocument: { uri: D, languageId: 'python', version: 1, text: SOURCE } });
    const v1 = diagnosticsOf(await server.diagnostics(D, 1));
    assert.equal(v1.length, 1);
    // version 2 shifts everything down one line; the v1 diagnostic now points at the wrong line
    await server.notify('textDocument/didChange', { textDocument: { uri: D, version: 2 }, contentChanges: [{ range: lineRange(0), text: '# shifted\n' }] });
    await server.diagnostics(D, 2);
    const stale = await server.request('textDocument/codeAction', codeActionParams(D, v1[0].range, v1));
    assert.deepEqual(stale.result, [], 'stale diagnostic');
    const future = { ...v1[0], data: { ...(v1[0].data as object), version: 99 } };
    assert.deepEqual((await server.request('textDocument/codeAction', codeActionParams(D, v1[0].range, [future]))).result, [], 'diagnostic from a future version');
    for (const data of [null, 'junk', 17, { version: '2' }, { code: 'PAR101' }, []]) {
      const garbled = { ...v1[0], data };
      const r = await server.request('textDocument/codeAction', codeActionParams(D, v1[0].range, [garbled]));
      assertWellFormedActions(r, D, 2, `data ${JSON.stringify(data)}`);
    }
    // the current diagnostic still gets its fix, at version 2
    const current = diagnosticsOf(await server.diagnostics(D, 2));
    const ok = assertWellFormedActions(await server.request('textDocument/codeAction', codeActionParams(D, current[0].range, current)), D, 2, 'current');
    assert.ok(ok.some((a) => a.edit && /ProcessPoolExecutor/.test(a.title)));
  });

  test('after an edit, a code action without context diagnostics carries the current version and applies to the current text', async () => {
    const E = 'file:///tmp/parallelize-abuse/current.py';
    const reference = TextDocument.create(E, 'python', 1, SOURCE);
    await server.notify('textDocument/didOpen', { textDocument: { uri: E, languageId: 'python', version: 1, text: SOURCE } });
    const changes = [{ range: lineRange(0), text: '# one\n# two\n' }];
    // no waiting for diagnostics: the request follows the edit immediately
    await server.notify('textDocument/didChange', { textDocument: { uri: E, version: 2 }, contentChanges: changes });
    TextDocument.update(reference, changes, 2);
    const r = await server.request('textDocument/codeAction', codeActionParams(E, lineRange(LOOP_LINE + 2)));
    const actions = assertWellFormedActions(r, E, 2, 'no-context code action');
    const rewrite = actions.find((a) => a.edit && /ProcessPoolExecutor/.test(a.title));
    assert.ok(rewrite, `the rewrite is offered: ${actions.map((a) => a.title).join(', ')}`);
    const after = applyEdits(reference.getText(), rewrite.edit!.documentChanges[0].edits);
    assert.ok(after.startsWith('# one\n# two\n'), 'the edit leaves the lines added by version 2 alone');
    assert.match(after, /^from concurrent\.futures import ProcessPoolExecutor$/m);
    assert.match(after, /out = list\(executor\.map\(digest, words, chunksize=chunksize\)\)/);
  });

  test('50 rapid edits interleaved with hover and codeAction (nothing awaited): responses follow the edits in order', async () => {
    const F = 'file:///tmp/parallelize-abuse/rapid.py';
    const G = 'file:///tmp/parallelize-abuse/rapid-reference.py';
    const reference = TextDocument.create(F, 'python', 1, SOURCE);
    const texts = new Map<number, string>([[1, SOURCE]]);
    void server.notify('textDocument/didOpen', { textDocument: { uri: F, languageId: 'python', version: 1, text: SOURCE } });
    const requests: Array<{ kind: 'hover' | 'action'; id: number; version: number; dependent: boolean }> = [];
    const DEPENDENCY = ' + str(len(out))';
    for (let i = 1; i <= 50; i++) {
      const version = i + 1;
      const text = reference.getText();
      const lines = text.split('\n');
      let change: { range: Range; text: string };
      if (i % 3 === 0) {
        change = { range: lineRange(0), text: `# edit ${i}\n` };
      } else if (i % 3 === 1) {
        // toggle a loop-carried dependency inside `out.append(digest(w))`
        const line = lines.findIndex((l) => l.includes('out.append(digest(w)'));
        const at = lines[line].indexOf('digest(w)') + 'digest(w)'.length;
        change = lines[line].includes(DEPENDENCY)
          ? { range: { start: { line, character: at }, end: { line, character: at + DEPENDENCY.length } }, text: '' }
          : { range: { start: { line, character: at }, end: { line, character: at } }, text: DEPENDENCY };
      } else {
        change = { range: { start: { line: lines.length - 1, character: 0 }, end: { line: lines.length - 1, character: 0 } }, text: `# tail ${i}\n` };
      }
      void server.notify('textDocument/didChange', { textDocument: { uri: F, version }, contentChanges: [change] });
      TextDocument.update(reference, [change], version);
      const now = reference.getText();
      texts.set(version, now);
      const loopLine = now.split('\n').findIndex((l) => l.startsWith('    for w in words'));
      const dependent = now.includes(DEPENDENCY);
      requests.push({ kind: 'hover', id: server.post('textDocument/hover', hoverParams(F, loopLine, 6)), version, dependent });
      requests.push({ kind: 'action', id: server.post('textDocument/codeAction', codeActionParams(F, lineRange(loopLine))), version, dependent });
    }
    const responses = await Promise.all(requests.map((r) => server.response(r.id, 20_000)));
    for (const [k, r] of requests.entries()) {
      const m = responses[k];
      const label = `${r.kind} after v${r.version}`;
      if (r.kind === 'hover') {
        assertWellFormedHover(m, label);
        // the hover must describe the text of the version the request followed
        assert.match(hoverValue(m) ?? '', r.dependent ? /Not parallelizable/ : /PAR101/, label);
      } else {
        const actions = assertWellFormedActions(m, F, r.version, label);
        const rewrite = actions.find((a) => a.edit && /ProcessPoolExecutor/.test(a.title));
        assert.equal(!!rewrite, !r.dependent, `${label}: a rewrite is offered exactly when the loop is independent`);
        if (rewrite) assert.match(applyEdits(texts.get(r.version)!, rewrite.edit!.documentChanges[0].edits), /out = list\(executor\.map\(digest, words, chunksize=chunksize\)\)/, label);
      }
    }
    const finalVersion = 51;
    const final = await server.diagnostics(F, finalVersion, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const publishedForF = server.published(F);
    assert.equal(publishedForF.at(-1)!.params.version, finalVersion, 'nothing older is published after the final version');
    for (const p of publishedForF) {
      assert.ok(texts.has(p.params.version), `published version ${p.params.version} is one the client sent`);
      assertInside(diagnosticsOf(p), texts.get(p.params.version)!, `diagnostics v${p.params.version}`);
    }
    await server.notify('textDocument/didOpen', { textDocument: { uri: G, languageId: 'python', version: 1, text: texts.get(finalVersion)! } });
    const fresh = await server.diagnostics(G, 1);
    assert.deepEqual(summary(diagnosticsOf(final)), summary(diagnosticsOf(fresh)), 'final diagnostics are those of the final text');
  });

  test('binary bytes, NUL and lone surrogates in a document; invalid UTF-8 on the wire', async () => {
    const H = 'file:///tmp/parallelize-abuse/binary.py';
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    const junk = Array.from({ length: 4000 }, () => String.fromCharCode(random() % 256)).join('');
    const text = SOURCE.replace('    out = []\n', '    out = []  # \0\x01\x02\x7f\ufffd\ud800\udfff\ufeff\n') + junk + '\n\ud800\0\0\0\n' + SOURCE;
    await server.notify('textDocument/didOpen', { textDocument: { uri: H, languageId: 'python', version: 1, text } });
    const d1 = await server.diagnostics(H, 1);
    assertInside(diagnosticsOf(d1), text, 'binary document');
    for (const line of [0, LOOP_LINE, 11, 20, 40, 60]) {
      assertWellFormedHover(await server.request('textDocument/hover', hoverParams(H, line, 3)), `hover line ${line}`);
      assertWellFormedActions(await server.request('textDocument/codeAction', codeActionParams(H, lineRange(line))), H, 1, `codeAction line ${line}`);
    }
    // NULs typed into the loop body
    await server.notify('textDocument/didChange', { textDocument: { uri: H, version: 2 }, contentChanges: [{ range: { start: { line: 11, character: 8 }, end: { line: 11, character: 8 } }, text: '\0\0\0' }] });
    await server.diagnostics(H, 2);
    assertWellFormedHover(await server.request('textDocument/hover', hoverParams(H, LOOP_LINE, 6)), 'hover after NULs');
    // raw bytes that are not UTF-8 inside the JSON string of a didOpen
    const I = 'file:///tmp/parallelize-abuse/invalid-utf8.py';
    const body = Buffer.concat([
      Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: I, languageId: 'python', version: 1, text: 'PLACEHOLDER' } } }).split('PLACEHOLDER')[0]),
      Buffer.from('for x in xs:  # '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]),
      Buffer.from('\\n    print(x)\\n'),
      Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: I, languageId: 'python', version: 1, text: 'PLACEHOLDER' } } }).split('PLACEHOLDER')[1]),
    ]);
    await server.write(frame(body));
    const d3 = await server.diagnostics(I, 1);
    assert.deepEqual(diagnosticsOf(d3), []);
    await assertServing(server, 'after binary documents');
  });

  test('everything the server wrote to stdout so far is a Content-Length frame holding JSON-RPC 2.0', () => {
    assert.ok(server.messages.length > 100, `${server.messages.length} messages parsed`);
    assertCleanStdout(server);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('framing that lies about Content-Length', () => {
  test('a Content-Length shorter than the body: the server resynchronises at a later well-formed frame', async () => {
    const server = await started();
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 500, method: 'textDocument/hover', params: hoverParams('file:///x.py', 0, 0) });
      await server.write(`Content-Length: ${body.length - 10}\r\n\r\n${body}`);
      const attempt = await answeredWithin(server, 6, 300);
      assert.notEqual(attempt, null, 'one of the next 6 valid requests (sent 300 ms apart) is answered');
      assert.ok(!server.messages.some((m) => m.id === 500), 'the truncated request is not answered');
      await assertServing(server, 'after a short Content-Length');
      assertCleanStdout(server);
      assert.equal((await server.shutdownAndExit()).code, 0);
    } finally {
      await server.kill();
    }
  });

  test('a Content-Length longer than the body swallows the start of the next message; the stream resynchronises after it', async () => {
    // The swallowed message is lost (its bytes became part of the broken body); what matters is that the
    // server finds the frame boundary again instead of staying out of step for good.
    const server = await started();
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 600, method: 'textDocument/hover', params: hoverParams('file:///x.py', 0, 0) });
      await server.write(`Content-Length: ${body.length + 25}\r\n\r\n${body}`);
      await server.write(frame({ jsonrpc: '2.0', id: 601, method: 'textDocument/hover', params: hoverParams('file:///x.py', 0, 0) }));
      const attempt = await answeredWithin(server, 6, 300);
      assert.notEqual(attempt, null, 'one of the next 6 valid requests (sent 300 ms apart) is answered');
      await assertServing(server, 'after a long Content-Length');
      assertCleanStdout(server);
      assert.equal((await server.shutdownAndExit()).code, 0);
    } finally {
      await server.kill();
    }
  });

  test('header garbage (no Content-Length, a non-numeric one, a line without a colon) is skipped', async () => {
    const server = await started();
    try {
      await server.write('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n');
      await server.write('Content-Length: twelve\r\n\r\n');
      await server.write('this is not a header\r\n\r\n');
      const attempt = await answeredWithin(server, 6, 300);
      assert.notEqual(attempt, null, 'one of the next 6 valid requests is answered');
      await assertServing(server, 'after header garbage');
      assertCleanStdout(server);
      assert.equal((await server.shutdownAndExit()).code, 0);
    } finally {
      await server.kill();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('lifecycle', () => {
  test('shutdown then exit: exit code 0', async () => {
    const server = await started();
    try {
      const shutdown = await server.request('shutdown');
      assert.equal(shutdown.result, null);
      assert.equal(shutdown.error, undefined);
      await server.notify('exit');
      assert.deepEqual(await server.waitExit(5_000), { code: 0, signal: null });
      assertCleanStdout(server);
      assert.equal(server.pendingStdout, 0);
    } finally {
      await server.kill();
    }
  });

  test('a request between shutdown and exit is refused with InvalidRequest (-32600), as LSP asks', async () => {
    const server = await started();
    try {
      await server.notify('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/parallelize-abuse/late.py', languageId: 'python', version: 1, text: SOURCE } });
      await server.request('shutdown');
      const late = await server.request('textDocument/hover', hoverParams('file:///tmp/parallelize-abuse/late.py', LOOP_LINE, 6));
      assert.equal(late.error?.code, -32600, `a request after shutdown is an InvalidRequest error, got ${JSON.stringify(late)}`);
      await server.notify('exit');
      assert.deepEqual(await server.waitExit(5_000), { code: 0, signal: null });
    } finally {
      await server.kill();
    }
  });

  test('exit without shutdown: the process exits with code 1', async () => {
    const server = await started();
    try {
      await server.notify('exit');
      assert.deepEqual(await server.waitExit(5_000), { code: 1, signal: null });
      assertCleanStdout(server);
    } finally {
      await server.kill();
    }
  });

  test('the client closing stdin without exit: the server does not linger', async () => {
    const server = await started();
    try {
      server.process.stdin.end();
      const exit = await server.waitExit(5_000);
      assert.equal(exit.signal, null);
      assertCleanStdout(server);
    } finally {
      await server.kill();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
test('a 20 MB document: diagnostics arrive within 60 s and the server keeps serving', async () => {
  assert.ok(big, 'the big document was opened');
  const { server, openedAt, bytes } = big;
  assert.ok(bytes >= 20 * 1024 * 1024);
  const remaining = Math.max(1_000, BIG_BUDGET_MS - (Date.now() - openedAt));
  const published = await server.diagnostics(BIG_URI, 1, remaining);
  assert.ok(Array.isArray(published.params.diagnostics));
  await assertServing(server, 'after the 20 MB document');
  assertCleanStdout(server);
});
