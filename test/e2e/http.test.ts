// The HTTP rewrites (aiohttp, asyncio.to_thread) checked by running them: programs calling `requests` fetch
// from a local server on 127.0.0.1 (a free port, passed in PARALLELIZE_TEST_BASE_URL), with Debian's python3,
// which has requests and aiohttp. Under CI=true a missing module fails the test instead of skipping it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, test } from 'node:test';
import { fixtureFiles, lintSource, REPO, tempDir } from '../support/harness';
import { everyFixKeepsOutput } from '../support/rewriteCheck';

const PYTHON = process.env.PARALLELIZE_HTTP_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import requests, aiohttp'], { encoding: 'utf8' });
const missing = probe.status === 0 ? null : `${PYTHON} cannot import requests and aiohttp (apt-get install python3-requests python3-aiohttp): ${probe.stderr.trim().split('\n').pop() ?? probe.error}`;
const skip = missing && process.env.CI !== 'true' ? missing : false;

let server: ReturnType<typeof spawn> | undefined;
let base = '';

before(async () => {
  if (skip) return;
  assert.equal(missing, null, missing ?? '');
  server = spawn(PYTHON, [path.join(REPO, 'test', 'support', 'http_server.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: server!.stdout! }).once('line', resolve);
    server!.once('exit', (code) => reject(new Error(`the test server exited (${code})`)));
  });
  base = `http://127.0.0.1:${Number(first)}`;
});

after(() => {
  server?.stdin?.end();
  if (server && server.exitCode === null) server.kill();
});

const work = tempDir('parallelize-http-');
// strictly local: no proxy may see these requests (requests and aiohttp both read the proxy variables)
const env = () => ({ PARALLELIZE_TEST_BASE_URL: base, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' });

for (const file of fixtureFiles('http')) {
  test(`http/${path.basename(file)}: every fix keeps the program's output`, { skip }, async (t) => {
    const count = await everyFixKeepsOutput(file, work, PYTHON, env());
    assert.ok(count > 0, 'fixes were offered and run');
    t.diagnostic(`${count} fix(es) applied and run with ${PYTHON}`);
  });
}

test('the aiohttp fix is offered only where the response stays in the loop body and every argument translates', async () => {
  const { result, tree } = await lintSource(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'http', 'h02_module_level.py'), 'utf8'));
  tree.delete();
  const patterns = result.findings.map((f) => [f.span.startLine + 1, f.fixes.map((x) => x.pattern)]);
  assert.deepEqual(patterns, [
    [11, ['thread-pool', 'asyncio-to-thread', 'aiohttp-gather']],
    [17, ['thread-pool', 'asyncio-to-thread']],
    [22, ['thread-pool', 'asyncio-to-thread']],
  ]);
  const declined = result.findings.map((f) => f.declined ?? []);
  assert.match(declined[1].join(), /response object itself escapes/);
  assert.match(declined[2].join(), /`params=` has no exact aiohttp counterpart/);
});

test("Pattern 2 as the guide writes it: a comprehension of requests calls gets PAR201 with the thread pool first and aiohttp as the alternative; a Session's requests get the thread pool only, marked unsafe", async () => {
  const { result, tree } = await lintSource(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'http', 'h03_pattern2_comprehensions.py'), 'utf8'));
  tree.delete();
  const got = result.findings.map((f) => [f.span.startLine + 1, f.code, f.fixes.map((x) => `${x.pattern}:${x.applicability}`)]);
  assert.deepEqual(got, [
    [12, 'PAR201', ['thread-pool-comprehension:safe', 'aiohttp-comprehension:unsafe']],
    [17, 'PAR201', ['thread-pool-comprehension:safe', 'aiohttp-comprehension:unsafe']],
    [22, 'PAR201', ['thread-pool-comprehension:safe', 'aiohttp-comprehension:unsafe']],
    [28, 'PAR201', ['thread-pool-comprehension:unsafe']],
    [34, 'PAR201', ['thread-pool-comprehension:unsafe']],
  ]);
  const session = result.findings.find((f) => f.span.startLine + 1 === 28)!;
  assert.match(session.doubts.join(), /share the `requests.Session`.*cookies/);
  assert.match((session.declined ?? []).join(), /aiohttp: the requests go through a `requests.Session`/);
  assert.ok(result.findings.every((f) => f.loop?.estimate?.verdict === 'pays'), 'every finding carries a paying estimate');
});

test('requests.Session calls in an async def get PAR203 and asyncio.to_thread: safe for a session the coroutine makes and keeps, unsafe for one other tasks share', async () => {
  const { result, tree } = await lintSource(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'http', 'h04_async_session.py'), 'utf8'));
  tree.delete();
  const got = result.findings.map((f) => [f.span.startLine + 1, f.code, f.fixes.map((x) => `${x.pattern}:${x.applicability}`)]);
  assert.deepEqual(got, [
    [15, 'PAR203', ['await-off-loop:safe']],
    [25, 'PAR203', ['await-off-loop:safe']],
    [31, 'PAR203', ['await-off-loop:unsafe']],
  ]);
  assert.match(result.findings[2].doubts.join(), /same `requests.Session` at the same time/);
});
