// The hover a person reads: the verdict and the estimate first, the fix in one line, then short bullets, and
// the rule page for the rest. The diagnostic's message is never repeated (the editor shows it above the hover).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { doubtLines } from '../../server/src/rules/doubts';
import { explainFinding, explainUnreported } from '../../server/src/rules/explain';
import { lintSource, REPO } from '../support/harness';
import { DEFAULT_LINT_CONFIG } from '../../server/src/linter';

const FILES = ['examples/pipeline.py', 'examples/service.py', 'test/e2e/workspace/derive.py'];

const visible = (hover: string) => hover.split('\n').filter((l) => l.trim() !== '');

for (const file of FILES) {
  test(`hover shape: every finding of ${file} leads with the verdict and the fix, in at most 12 short lines`, async () => {
    const { tree, result } = await lintSource(fs.readFileSync(path.join(REPO, file), 'utf8'), DEFAULT_LINT_CONFIG);
    try {
      assert.ok(result.findings.length > 0, file);
      for (const f of result.findings) {
        const hover = explainFinding(f, DEFAULT_LINT_CONFIG.minIterations);
        const lines = visible(hover);
        const where = `${file}:${f.span.startLine + 1} ${f.code}\n${hover}`;
        assert.ok(!hover.includes(f.message), `the diagnostic message is not repeated: ${where}`);
        assert.ok(lines[0].startsWith(`**${f.code}**`), where);
        let next = 1;
        if (f.loop?.estimate) assert.ok(lines[next++].startsWith('**Estimate:**'), `the estimate comes second: ${where}`);
        assert.match(lines[next], /^\*\*Fix\*\*|^\*\*Fix:\*\*/, `then the fix: ${where}`);
        assert.ok(lines.length <= 12, `${lines.length} lines: ${where}`);
        for (const line of lines) assert.ok(line.length <= 280, `a short line (${line.length}): ${line}`);
        assert.match(lines[lines.length - 1], /docs\/rules\/PAR\d{3}\.md\)$/, `the rule page closes the hover: ${where}`);
      }
    } finally {
      tree.delete();
    }
  });
}

test('hover shape: a rejected loop says why, where, and the remedy, in a few lines', async () => {
  const { tree, result } = await lintSource(fs.readFileSync(path.join(REPO, 'examples/pipeline.py'), 'utf8'), DEFAULT_LINT_CONFIG);
  try {
    const loop = result.analysis.loops.find((l) => l.kind === 'for' && l.node.text.includes('balance += amount'));
    assert.ok(loop);
    const lines = visible(explainUnreported(loop));
    assert.equal(lines[0], '**Not parallelizable** — loop-carried dependency');
    assert.match(lines[1], /`balance` is updated at line \d+ and read at line \d+/);
    assert.match(lines[2], /^\*\*Remedy:\*\*/);
    assert.ok(lines.length <= 7, lines.join('\n'));
  } finally {
    tree.delete();
  }
});

test('hover: a loop over a callee the analysis cannot see is independent only as far as the code shows, and says so', async () => {
  const body = (tagged: string) => `import hashlib\nfrom helpers import tag\n\n\ndef derive(users):\n    out = []\n    for u in users:\n        k = hashlib.pbkdf2_hmac("sha256", u, b"s", 300_000)\n        out.append(${tagged})\n    return out\n`;
  for (const [source, unseen] of [[body('tag(k)'), true], [body('k.hex()'), false]] as const) {
    const { tree, result } = await lintSource(source, DEFAULT_LINT_CONFIG);
    try {
      const finding = result.findings.find((f) => f.loop?.line === 7);
      assert.ok(finding, `the CPU-bound loop is reported:\n${source}`);
      const hover = explainFinding(finding, DEFAULT_LINT_CONFIG.minIterations);
      if (unseen) assert.match(hover, /\*\*Independent:\*\*.*as far as the code shows: what `tag\(\)` does is not seen/, hover);
      else assert.doesNotMatch(hover, /as far as the code shows/, hover);
    } finally {
      tree.delete();
    }
  }
});

test('hover: a per-item AWS call with a batch form names it beside the thread pool (round 15d: DynamoDB put_item per CSV row)', async () => {
  const source = (method: string) =>
    `import boto3\nimport csv\n\n\ndef load(path, name):\n    client = boto3.client("dynamodb")\n    with open(path) as f:\n        for row in csv.DictReader(f):\n            client.${method}(TableName=name, Item={"id": {"S": row["id"]}})\n`;
  for (const [method, batched] of [['put_item', true], ['get_item', false]] as const) {
    const { tree, result } = await lintSource(source(method), DEFAULT_LINT_CONFIG);
    try {
      const finding = result.findings.find((f) => f.loop?.line === 8);
      assert.ok(finding, `the loop is reported (${method}):\n${result.findings.map((f) => f.code).join(', ')}`);
      const hover = explainFinding(finding, DEFAULT_LINT_CONFIG.minIterations);
      if (batched) assert.match(hover, /\*\*Batching:\*\* DynamoDB writes 25 items per request with `batch_write_item`/);
      else assert.doesNotMatch(hover, /\*\*Batching:\*\*/);
    } finally {
      tree.delete();
    }
  }
});

test('hover: a doubt reached through several calls of one callee is said once (final round 2 of session 27: one line seven times)', async () => {
  const source = `import requests\nfrom outcomes import Outcome\n\n\ndef fetch(url):\n    r = requests.get(url, timeout=10)\n    first = Outcome(r.status_code)\n    second = Outcome(r.text)\n    return first, second\n\n\ndef run(urls):\n    out = []\n    for url in urls:\n        out.append(fetch(url))\n    return out\n`;
  const { tree, result } = await lintSource(source, DEFAULT_LINT_CONFIG);
  try {
    const finding = result.findings.find((f) => f.loop?.line === 14);
    assert.ok(finding, result.findings.map((f) => f.code).join(', '));
    assert.equal(new Set(finding.doubts).size, finding.doubts.length, finding.doubts.join('\n'));
    assert.equal(finding.doubts.filter((d) => d.includes('cannot see what `Outcome()` does')).length, 1, finding.doubts.join('\n'));
  } finally {
    tree.delete();
  }
});

test('hover shape: a doubt reached by many call paths is listed once, and past five reasons the rest are counted', () => {
  const path = (i: number, leaf: string) => `\`run()\` (called at line 4): \`step${i}()\` (called at line ${10 + i}): cannot see what \`${leaf}()\` does (defined elsewhere) (line 4)`;
  const doubts = [...Array.from({ length: 9 }, (_, i) => path(i, 'to_float')), ...['a', 'b', 'c', 'd', 'e', 'f'].map((leaf, i) => path(i, leaf))];
  const lines = doubtLines(doubts, true);
  assert.equal(lines.length, 6, lines.join('\n'));
  assert.equal(lines.filter((l) => l.includes('`to_float()`')).length, 1, 'one line for the nine paths to `to_float`');
  assert.match(lines[0], /\(and by 8 other call paths\)$/);
  assert.match(lines[5], /^- \*\*Not proven \(so the fix is unsafe\):\*\* 2 more things \(`check --format json` lists them all\)$/);
  assert.deepEqual(doubtLines(['x', 'y'], false), ['- **Not proven:** x', '- **Not proven:** y']);
});
