// The server indexes the workspace folders (with work-done progress), resolves an open document's imports of
// other workspace modules, and analyses it again when a summary it used changes: on disk
// (workspace/didChangeWatchedFiles) or in the editor (didChange of the callee's open document).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { FIXTURES, tempDir } from '../support/harness';
import { LspClient, type PublishedDiagnostics } from '../support/lsp';

const work = tempDir('parallelize-lsp-ws-');
fs.cpSync(path.join(FIXTURES, 'workspace', 'shop'), work, { recursive: true });
const pipeline = path.join(work, 'src', 'shop', 'pipeline.py');
const features = path.join(work, 'src', 'shop', 'features.py');
const pipelineUri = pathToFileURL(pipeline).toString();
const featuresUri = pathToFileURL(features).toString();
const EXPENSIVE = 'hashlib.pbkdf2_hmac("sha256", word.encode(), SALT, 20000).hex()[:12]';
const original = fs.readFileSync(features, 'utf8');
const cheap = original.replace(EXPENSIVE, 'word.upper()');

let client: LspClient;

/** The 0-based line of the `keys` loop (`for w in words:` after `def keys():`). */
const KEYS_LOOP = fs.readFileSync(pipeline, 'utf8').split('\n').findIndex((l, i, all) => l.trim() === 'for w in words:' && all.slice(0, i).some((x) => x.startsWith('def keys')));
const flagsKeys = (p: PublishedDiagnostics) => p.diagnostics.some((d) => d.range.start.line === KEYS_LOOP && d.code === 'PAR101');

before(async () => {
  client = new LspClient();
  await client.initialize([pathToFileURL(work).toString()]);
});

after(async () => {
  await client.shutdown();
});

test('indexing reports work-done progress naming the number of Python files', async () => {
  for (let i = 0; i < 200 && !client.progress.some((p) => p.kind === 'end'); i++) await new Promise((r) => setTimeout(r, 50));
  const begin = client.progress.find((p) => p.kind === 'begin');
  assert.equal(begin?.message, 'Indexing 5 Python files');
  assert.ok(client.progress.some((p) => p.kind === 'end'));
});

test('a loop over a function of a sibling module is reported, and the hover says where the function lives', async () => {
  client.open(pipelineUri, fs.readFileSync(pipeline, 'utf8'), 1);
  assert.ok(flagsKeys(await client.diagnostics(pipelineUri, 1)));
  const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: pipelineUri }, position: { line: KEYS_LOOP, character: 6 } });
  assert.match(h.contents.value, /`strength` is defined in `shop\/features\.py:7`/);
});

test('editing the callee on disk changes the caller\'s diagnostics, and back', async () => {
  fs.writeFileSync(features, cheap);
  let next = client.nextDiagnostics(pipelineUri);
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: featuresUri, type: 2 }] });
  assert.ok(!flagsKeys(await next), 'a cheap callee is not worth a pool');
  fs.writeFileSync(features, original);
  next = client.nextDiagnostics(pipelineUri);
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: featuresUri, type: 2 }] });
  assert.ok(flagsKeys(await next));
});

test('editing the callee\'s open document changes the caller\'s diagnostics, and back', async () => {
  client.open(featuresUri, original, 1);
  await client.diagnostics(featuresUri, 1);
  const start = original.split('\n').findIndex((l) => l.includes(EXPENSIVE));
  const column = original.split('\n')[start].indexOf(EXPENSIVE);
  const range = { start: { line: start, character: column }, end: { line: start, character: column + EXPENSIVE.length } };
  let next = client.nextDiagnostics(pipelineUri);
  client.change(featuresUri, 2, [{ range, text: 'word.upper()' }]);
  assert.ok(!flagsKeys(await next));
  next = client.nextDiagnostics(pipelineUri);
  client.change(featuresUri, 3, [{ range: { start: range.start, end: { line: start, character: column + 'word.upper()'.length } }, text: EXPENSIVE }]);
  assert.ok(flagsKeys(await next));
});

test('a loop nothing calls is not reported until a call to its function is typed in another open document', async () => {
  const report = path.join(work, 'src', 'shop', 'digests.py');
  // (digests of disk images: files large by kind, whose hashing is work)
  const reportText = 'import hashlib\n\n\ndef _digest_report(paths):\n    out = {}\n    for p in paths:\n        with open(p, "rb") as fh:\n            out[p] = hashlib.sha256(fh.read()).hexdigest()\n    return out\n\n\nIMAGE_SUFFIXES = (".iso", ".img")\n';
  fs.writeFileSync(report, reportText);
  const reportUri = pathToFileURL(report).toString();
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: reportUri, type: 1 }] });
  client.open(reportUri, reportText, 1);
  const loopAt = (p: PublishedDiagnostics) => p.diagnostics.some((d) => d.range.start.line === 5 && d.code === 'PAR201');
  assert.ok(!loopAt(await client.diagnostics(reportUri, 1)), 'nothing calls _digest_report (a private name: the package is no API for it)');
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: reportUri }, position: { line: 5, character: 6 } });
  assert.match(hover.contents.value, /never runs/);
  const text = fs.readFileSync(pipeline, 'utf8');
  const end = text.split('\n').length - 1;
  const next = client.nextDiagnostics(reportUri);
  client.change(pipelineUri, 5, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: '\nfrom shop.digests import _digest_report\nprint(_digest_report(["a"]))\n' }]);
  assert.ok(loopAt(await next), 'an import and a call typed in pipeline.py bring the finding back');
});
