// The server reads [tool.parallelize] from the nearest pyproject.toml, re-reads it when it changes, and
// reports a broken one in the editor while falling back to the defaults.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { REPO, tempDir } from '../support/harness';
import { LspClient } from '../support/lsp';

let client: LspClient;
const dir = tempDir('parallelize-config-');
const file = path.join(dir, 'pipeline.py');
const uri = pathToFileURL(file).toString();
const pyproject = path.join(dir, 'pyproject.toml');

before(async () => {
  fs.copyFileSync(path.join(REPO, 'examples', 'pipeline.py'), file);
  fs.writeFileSync(pyproject, '[tool.parallelize]\nselect = ["PAR1"]\n');
  client = new LspClient();
  await client.initialize();
});

after(async () => {
  await client.shutdown();
});

const codes = (p: { diagnostics: Array<{ code: string }> }) => [...new Set(p.diagnostics.map((d) => d.code))].sort();

test('pyproject select applies, and editing pyproject.toml changes the published diagnostics', async () => {
  client.open(uri, fs.readFileSync(file, 'utf8'), 1);
  assert.deepEqual(codes(await client.diagnostics(uri, 1)), ['PAR101', 'PAR102', 'PAR103']);
  fs.writeFileSync(pyproject, '[tool.parallelize]\nselect = ["PAR2"]\n');
  const next = client.nextDiagnostics(uri);
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(pyproject).toString(), type: 2 }] });
  assert.deepEqual(codes(await next), ['PAR201', 'PAR202']);
});

test('a broken pyproject.toml is shown to the user and the defaults apply', async () => {
  fs.writeFileSync(pyproject, '[tool.parallelize\nselect = [');
  const next = client.nextDiagnostics(uri);
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(pyproject).toString(), type: 2 }] });
  assert.deepEqual(codes(await next), ['PAR101', 'PAR102', 'PAR103', 'PAR201', 'PAR202']);
  assert.ok(client.logs.some((m) => /pyproject\.toml: invalid TOML/.test(m)), JSON.stringify(client.logs));
});

test('settings pushed by the editor override pyproject where set', async () => {
  fs.writeFileSync(pyproject, '[tool.parallelize]\nselect = ["PAR1"]\n');
  const next = client.nextDiagnostics(uri);
  client.notify('workspace/didChangeConfiguration', { settings: { parallelize: { ignore: ['PAR102'], severity: { PAR101: 'warning' } } } });
  const published = await next;
  assert.deepEqual(codes(published), ['PAR101', 'PAR103']);
  assert.equal((published.diagnostics.find((d) => d.code === 'PAR101') as { severity?: number }).severity, 2);
});
