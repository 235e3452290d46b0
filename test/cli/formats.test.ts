// Golden tests of every output format of `check`, and SARIF validated against the vendored 2.1.0 schema.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { REPO } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');

function check(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', 'examples/pipeline.py', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('text: one Ruff-like line per finding, a summary and the fix hints', () => {
  const r = check('--select', 'PAR101,PAR202');
  assert.equal(r.status, 1);
  assert.equal(
    r.stdout,
    [
      'examples/pipeline.py:26:5: PAR101 [*] Iterations are independent and CPU-bound (`key_strength`): map them over a ProcessPoolExecutor',
      'examples/pipeline.py:72:5: PAR202 [*] Each iteration waits for `await fetch_price` before the next starts, yet they are independent: gather them with asyncio.gather',
      'Found 2 findings in 1 file.',
      '[*] 2 fixable with the `--fix` option.',
      '',
    ].join('\n'),
  );
});

test('statistics: counts per rule, most frequent first', () => {
  const r = check('--statistics');
  assert.equal(r.stdout, ['1\tPAR101\t[*] process-pool-map', '1\tPAR102\t[*] parallel-map-reduce', '1\tPAR103\t[*] parallel-comprehension', '1\tPAR201\t[*] thread-pool-io', '1\tPAR202\t[*] sequential-await', ''].join('\n'));
});

test('json: the SPEC shape for every finding', () => {
  const records = JSON.parse(check('--format', 'json').stdout) as Array<Record<string, unknown>>;
  assert.equal(records.length, 5);
  for (const r of records) {
    // the SPEC's keys, then the cost model's estimate on every loop finding
    assert.deepEqual(Object.keys(r), ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'message', 'fixes', 'estimate']);
    const estimate = r.estimate as { summary: string; cores: number };
    assert.ok(estimate.summary.length > 0 && estimate.cores === 4);
    assert.ok((r.fixes as Array<{ applicability: string }>).every((f) => ['safe', 'unsafe', 'display-only'].includes(f.applicability)));
  }
  assert.deepEqual(records.map((r) => `${r.code}@${r.line}:${r.column}`), ['PAR101@26:5', 'PAR102@34:5', 'PAR103@42:12', 'PAR201@60:5', 'PAR202@72:5']);
});

test('sarif: valid SARIF 2.1.0 with rule metadata, help URIs and 1-based regions', () => {
  const r = check('--format', 'sarif');
  assert.equal(r.status, 1);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const log: any = JSON.parse(r.stdout);
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'test', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  // the schema's language-tag pattern is not valid under the u flag
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  const valid = validate(JSON.parse(r.stdout));
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'python-parallelize');
  assert.equal(driver.rules.length, 17);
  assert.ok(driver.rules.every((rule: { helpUri: string; id: string }) => rule.helpUri.endsWith(`${rule.id}.md`)));
  const first = log.runs[0].results[0];
  assert.equal(first.ruleId, 'PAR101');
  assert.equal(driver.rules[first.ruleIndex].id, 'PAR101');
  assert.deepEqual(first.locations[0].physicalLocation, { artifactLocation: { uri: 'examples/pipeline.py' }, region: { startLine: 26, startColumn: 5, endLine: 26, endColumn: 31 } });
});

test('stdin: `-` with --stdin-filename', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', '-', '--stdin-filename', 'piped.py', '--format', 'json', '--select', 'PAR101'], {
    cwd: REPO,
    input: fs.readFileSync(path.join(REPO, 'examples', 'pipeline.py')),
    encoding: 'utf8',
  });
  const records = JSON.parse(r.stdout);
  assert.equal(records[0].file, 'piped.py');
  assert.equal(records[0].line, 26);
});
