// What the output channel shows: the server's start-up, the configuration each project uses (once), and —
// at trace level only (`$/setTrace`, VS Code's parallelize.trace.server) — how long each file's analysis took.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { tempDir } from '../support/harness';
import { LspClient } from '../support/lsp';
import { DIGEST_PROGRAM } from '../support/programs';

test('output: start-up and configuration logged; per-file analysis times only while tracing', async () => {
  const dir = tempDir('parallelize-log-');
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.parallelize]\nmin-speedup = 1.2\n');
  fs.writeFileSync(path.join(dir, 'a.py'), DIGEST_PROGRAM);
  fs.writeFileSync(path.join(dir, 'b.py'), DIGEST_PROGRAM);
  const client = new LspClient();
  const traces: string[] = [];
  client.connection.onNotification('$/logTrace', (p: { message: string }) => traces.push(p.message));
  try {
    await client.initialize();
    const a = pathToFileURL(path.join(dir, 'a.py')).toString();
    const b = pathToFileURL(path.join(dir, 'b.py')).toString();
    client.open(a, DIGEST_PROGRAM, 1);
    await client.diagnostics(a, 1);
    assert.ok(client.logs.some((l) => /^python-parallelize \d+\.\d+\.\d+ ready \(node v\d+/.test(l)), client.logs.join('\n'));
    const configured = client.logs.filter((l) => l.startsWith('configuration: '));
    assert.equal(configured.length, 1, client.logs.join('\n'));
    assert.ok(configured[0].includes(path.join(dir, 'pyproject.toml')), configured[0]);
    assert.equal(traces.length, 0, `no trace before the client asks for it: ${traces.join(', ')}`);

    await client.connection.sendNotification('$/setTrace', { value: 'messages' });
    client.open(b, DIGEST_PROGRAM, 1);
    await client.diagnostics(b, 1);
    assert.equal(client.logs.filter((l) => l.startsWith('configuration: ')).length, 1, 'the same project configuration is logged once');
    const timed = traces.filter((t) => t.startsWith(`analysed ${b} (version 1) in `));
    assert.equal(timed.length, 1, traces.join('\n'));
    assert.match(timed[0], / in \d+\.\d ms: 1 findings$/);
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
