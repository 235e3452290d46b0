// Safe means safe (issue 15, fresh audit round 6): a file written by a function the loop calls is each
// iteration's own only when the callee names it injectively from arguments that vary with the item. A download
// loop over `urls * 5` whose callee saves to `url.split("/")[-1]` has several iterations writing one file at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSource, REWRITE_CONFIG } from '../support/harness';

const SOURCE = [
  'import requests',
  '',
  '',
  'def download(url):',
  '    response = requests.get(url, stream=True)',
  '    filename = url.split("/")[-1]',
  '    with open(filename, "wb") as f:',
  '        for data in response.iter_content(1024):',
  '            f.write(data)',
  '',
  '',
  'def save(url, path):',
  '    response = requests.get(url, timeout=10)',
  '    with open(path, "wb") as f:',
  '        f.write(response.content)',
  '',
  '',
  'def fetch(url, index):',
  '    save(url, f"page-{index:03d}.html")',
  '',
  '',
  'def main(urls):',
  '    for url in urls:',
  '        download(url)',
  '    for i, url in enumerate(urls):',
  '        save(url, f"{i}.jpg")',
  '    for i, url in enumerate(urls):',
  '        fetch(url, i)',
  '    for url in urls:',
  '        save(url, "latest.html")',
  '',
].join('\n');

async function findingAt(line: number) {
  const { tree, result } = await lintSource(SOURCE, REWRITE_CONFIG);
  tree.delete();
  return result.findings.find((f) => f.span.startLine + 1 === line);
}

test('a callee naming its file by a non-injective function of the item: the fix is unsafe and says why', async () => {
  const f = (await findingAt(23))!;
  assert.equal(f.code, 'PAR201');
  assert.ok(f.fixes.length > 0 && f.fixes.every((x) => x.applicability === 'unsafe'));
  assert.ok(f.doubts.some((d) => d.includes('`download()`') && d.includes('different file') && d.includes('`filename`')), f.doubts.join('; '));
});

test('a callee writing the path the loop passes, made from the enumerate index: the fix stays safe', async () => {
  const f = (await findingAt(25))!;
  assert.equal(f.code, 'PAR201');
  assert.equal(f.fixes[0]?.applicability, 'safe', f.doubts.join('; '));
});

test('through two callees, the index reaches the file name: safe', async () => {
  const f = (await findingAt(27))!;
  assert.equal(f.fixes[0]?.applicability, 'safe', f.doubts.join('; '));
});

test('every iteration passing one constant path: not a per-item file', async () => {
  const f = await findingAt(29);
  assert.ok(!f || f.fixes.every((x) => x.applicability !== 'safe'), f?.doubts.join('; '));
});
