// `parallelize check` on bad inputs: a directory named like a Python file, unreadable files and folders,
// symlink loops, a directory symlink cycle, invalid UTF-8 and NUL bytes, empty files, broken pyproject.toml.
// Each problem is reported on stderr with its path, every other file is still checked (its findings still
// printed), and the exit code is 2 only when something could not be read (1 with findings, 0 without).
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO, 'examples', 'pipeline.py');
/** The findings of examples/pipeline.py, as `line:column: CODE`. */
const EXAMPLE_FINDINGS = ['26:5: PAR101', '34:5: PAR102', '42:12: PAR103', '60:5: PAR201', '72:5: PAR202'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, extra: SpawnSyncOptions = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000, ...extra });
  assert.equal(r.error, undefined, `the CLI ran to the end: ${r.error}`);
  const run = { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  assert.doesNotMatch(run.stderr, /internal error|^\s+at /m, `no crash or stack trace:\n${run.stderr}`);
  return run;
}

/** `file:line:col: CODE` for each text-format finding line of `file` (as the CLI prints its path). */
function findingsOf(stdout: string, file: string): string[] {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...stdout.matchAll(new RegExp(`^${escaped}:(\\d+):(\\d+): (PAR\\d{3})`, 'gm'))].map((m) => `${m[1]}:${m[2]}: ${m[3]}`);
}

/** A temp project with a copy of examples/pipeline.py as `good.py` (readable by other users too). */
function project(): string {
  const dir = tempDir('parallelize-cli-errors-');
  fs.chmodSync(dir, 0o755);
  fs.copyFileSync(EXAMPLE, path.join(dir, 'good.py'));
  return dir;
}

function stderrLines(r: Run): string[] {
  return r.stderr.split('\n').filter(Boolean);
}

test('a directory named x.py is walked like any directory, never read as a file', () => {
  const dir = project();
  fs.mkdirSync(path.join(dir, 'x.py'));
  fs.copyFileSync(EXAMPLE, path.join(dir, 'x.py', 'inner.py'));
  fs.mkdirSync(path.join(dir, 'empty.py'));
  const all = cli(['check', '.'], dir);
  assert.equal(all.status, 1, all.stderr);
  assert.deepEqual(findingsOf(all.stdout, 'good.py'), EXAMPLE_FINDINGS);
  assert.deepEqual(findingsOf(all.stdout, path.join('x.py', 'inner.py')), EXAMPLE_FINDINGS);
  assert.equal(all.stderr, '');
  const explicit = cli(['check', 'x.py', 'empty.py', 'good.py'], dir);
  assert.equal(explicit.status, 1, explicit.stderr);
  assert.deepEqual(findingsOf(explicit.stdout, path.join('x.py', 'inner.py')), EXAMPLE_FINDINGS);
  assert.deepEqual(findingsOf(explicit.stdout, 'good.py'), EXAMPLE_FINDINGS);
  // `fix` needs a file: a directory is an I/O error naming it
  const fix = cli(['fix', 'x.py', '--rule', 'PAR101', '--line', '26', '--diff'], dir);
  assert.equal(fix.status, 2);
  assert.match(fix.stderr, /x\.py: .*(directory|EISDIR)/i);
  assert.equal(fix.stdout, '');
});

/**
 * How to run the CLI so that a chmod 000 file is really unreadable: directly when we are not privileged;
 * as `nobody` when we are root and may switch users; otherwise undefined (the test is skipped).
 */
function unprivileged(dir: string): SpawnSyncOptions | undefined {
  const probe = path.join(dir, 'probe.txt');
  fs.writeFileSync(probe, 'x');
  fs.chmodSync(probe, 0o000);
  let readable = true;
  try {
    fs.readFileSync(probe);
  } catch {
    readable = false;
  }
  fs.rmSync(probe, { force: true });
  if (!readable) return {};
  if (process.getuid?.() !== 0) return undefined;
  const asNobody: SpawnSyncOptions = { uid: 65534, gid: 65534, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } };
  const check = spawnSync(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(CLI)})`], { ...asNobody, cwd: dir });
  return check.status === 0 ? asNobody : undefined;
}

test('an unreadable file and an unreadable folder are reported with their paths; the rest is checked; exit 2', (t) => {
  const dir = project();
  const as = unprivileged(dir);
  if (!as) return t.skip('running privileged: chmod 000 does not make a file unreadable, and switching to nobody failed');
  fs.copyFileSync(EXAMPLE, path.join(dir, 'locked.py'));
  fs.chmodSync(path.join(dir, 'locked.py'), 0o000);
  fs.mkdirSync(path.join(dir, 'lockeddir'));
  fs.copyFileSync(EXAMPLE, path.join(dir, 'lockeddir', 'hidden.py'));
  fs.chmodSync(path.join(dir, 'lockeddir'), 0o000);
  try {
    const r = cli(['check', '.'], dir, as);
    assert.equal(r.status, 2, r.stderr);
    assert.deepEqual(findingsOf(r.stdout, 'good.py'), EXAMPLE_FINDINGS);
    assert.deepEqual(findingsOf(r.stdout, 'locked.py'), []);
    const lines = stderrLines(r);
    assert.ok(lines.some((l) => /locked\.py: .*(permission denied|EACCES)/i.test(l)), r.stderr);
    assert.ok(lines.some((l) => /lockeddir: .*(permission denied|EACCES)/i.test(l)), r.stderr);
    const explicit = cli(['check', 'locked.py', 'good.py'], dir, as);
    assert.equal(explicit.status, 2);
    assert.deepEqual(findingsOf(explicit.stdout, 'good.py'), EXAMPLE_FINDINGS);
    assert.match(explicit.stderr, /locked\.py: .*(permission denied|EACCES)/i);
    const fix = cli(['fix', 'locked.py', '--rule', 'PAR101', '--line', '26', '--diff'], dir, as);
    assert.equal(fix.status, 2);
    assert.match(fix.stderr, /locked\.py: .*(permission denied|EACCES)/i);
  } finally {
    fs.chmodSync(path.join(dir, 'lockeddir'), 0o755);
  }
});

test('a symlink loop (a.py -> b.py -> a.py) is reported for each link; the rest is checked; exit 2', () => {
  const dir = project();
  fs.symlinkSync('b.py', path.join(dir, 'a.py'));
  fs.symlinkSync('a.py', path.join(dir, 'b.py'));
  fs.symlinkSync('missing.py', path.join(dir, 'dangling.py'));
  const r = cli(['check', '.'], dir);
  assert.equal(r.status, 2, r.stderr);
  assert.deepEqual(findingsOf(r.stdout, 'good.py'), EXAMPLE_FINDINGS);
  const lines = stderrLines(r);
  for (const name of ['a.py', 'b.py', 'dangling.py']) assert.ok(lines.some((l) => new RegExp(`(^|[\\s/])${name.replace('.', '\\.')}: `).test(l)), `${name} reported:\n${r.stderr}`);
  const explicit = cli(['check', 'a.py', 'good.py'], dir);
  assert.equal(explicit.status, 2);
  assert.match(explicit.stderr, /a\.py: /);
  assert.deepEqual(findingsOf(explicit.stdout, 'good.py'), EXAMPLE_FINDINGS);
  const fix = cli(['fix', 'a.py', '--rule', 'PAR101', '--line', '26'], dir);
  assert.equal(fix.status, 2);
  assert.match(fix.stderr, /a\.py: /);
});

test('a directory symlink cycle terminates and checks each file once', () => {
  const dir = project();
  fs.mkdirSync(path.join(dir, 'pkg', 'sub'), { recursive: true });
  fs.copyFileSync(EXAMPLE, path.join(dir, 'pkg', 'sub', 'mod.py'));
  fs.symlinkSync('..', path.join(dir, 'pkg', 'sub', 'parent')); // pkg/sub/parent -> pkg
  fs.symlinkSync('.', path.join(dir, 'pkg', 'self')); // pkg/self -> pkg
  fs.symlinkSync(dir, path.join(dir, 'pkg', 'root')); // pkg/root -> the project, absolute
  const started = Date.now();
  const r = cli(['check', '.', '--format', 'json'], dir);
  assert.ok(Date.now() - started < 20_000);
  assert.equal(r.status, 1, `everything could be read, so findings give 1:\n${r.stderr}`);
  const records = JSON.parse(r.stdout) as Array<{ file: string; line: number; code: string }>;
  const keys = records.map((x) => `${x.file}:${x.line}:${x.code}`);
  assert.equal(new Set(keys).size, keys.length, `no file is checked twice through the cycle:\n${keys.join('\n')}`);
  assert.equal(records.length, 2 * EXAMPLE_FINDINGS.length, 'good.py and pkg/sub/mod.py, once each');
  for (const line of stderrLines(r)) assert.match(line, /pkg/, 'a note about the cycle, if any, names it');
});

test('invalid UTF-8 and NUL bytes, and pure binary named .py: no crash, the rest is checked, the file is named if it is reported', () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'latin1.py'), Buffer.from('# caf\xe9\nfor x in xs:\0\n    y = "\xff\xfe"\n', 'latin1'));
  let seed = 7;
  const random = Buffer.from(Array.from({ length: 64 * 1024 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % 256)));
  fs.writeFileSync(path.join(dir, 'random.py'), random);
  fs.writeFileSync(path.join(dir, 'nul.py'), Buffer.concat([fs.readFileSync(EXAMPLE), Buffer.from([0, 0, 0, 0x0a])]));
  for (const format of ['text', 'json']) {
    const r = cli(['check', '.', '--format', format], dir);
    // undecodable text is either analysed leniently (exit 1 here, from good.py) or reported as unreadable (2)
    assert.ok(r.status === 1 || r.status === 2, `${format}: exit ${r.status}\n${r.stderr}`);
    if (r.status === 2) assert.notEqual(r.stderr, '', 'exit 2 comes with a message');
    for (const line of stderrLines(r)) assert.match(line, /(latin1|random|nul)\.py/, 'every message names its file');
    if (format === 'json') {
      const records = JSON.parse(r.stdout) as Array<{ file: string; code: string; line: number }>;
      assert.deepEqual(records.filter((x) => x.file === 'good.py').map((x) => `${x.line}:${x.code}`), EXAMPLE_FINDINGS.map((f) => f.replace(/:\d+: /, ':')));
    } else {
      assert.deepEqual(findingsOf(r.stdout, 'good.py'), EXAMPLE_FINDINGS);
    }
  }
  for (const file of ['latin1.py', 'random.py', 'nul.py']) {
    const fix = cli(['fix', file, '--rule', 'PAR101', '--line', '2', '--diff'], dir);
    assert.ok(fix.status === 1 || fix.status === 2, `${file}: fix exit ${fix.status}`);
    assert.match(fix.stderr, new RegExp(file.replace('.', '\\.')));
  }
});

test('empty files (and files of only a BOM or blank lines) are fine: exit 0 alone, 1 next to findings', () => {
  const dir = tempDir('parallelize-cli-errors-');
  fs.writeFileSync(path.join(dir, 'empty.py'), '');
  fs.writeFileSync(path.join(dir, 'bom.py'), '\ufeff');
  fs.writeFileSync(path.join(dir, 'blank.py'), '\n\r\n\n');
  const alone = cli(['check', '.'], dir);
  assert.equal(alone.status, 0, alone.stderr);
  assert.equal(alone.stderr, '');
  assert.match(alone.stdout, /All checks passed/);
  const json = cli(['check', 'empty.py', '--format', 'json'], dir);
  assert.equal(json.status, 0);
  assert.deepEqual(JSON.parse(json.stdout), []);
  fs.copyFileSync(EXAMPLE, path.join(dir, 'good.py'));
  const mixed = cli(['check', '.'], dir);
  assert.equal(mixed.status, 1);
  assert.deepEqual(findingsOf(mixed.stdout, 'good.py'), EXAMPLE_FINDINGS);
  const fix = cli(['fix', 'empty.py', '--rule', 'PAR101', '--line', '1'], dir);
  assert.equal(fix.status, 1);
  assert.match(fix.stderr, /empty\.py/);
});

test('a broken pyproject.toml (bad TOML, wrong types, a directory, binary) is reported with its path; defaults apply; exit 2', () => {
  const cases: Array<[string, (file: string) => void]> = [
    ['invalid TOML', (f) => fs.writeFileSync(f, '[tool.parallelize\nselect = [')],
    ['wrong types', (f) => fs.writeFileSync(f, '[tool.parallelize]\nselect = 5\nmin-iterations = "many"\n')],
    ['a directory', (f) => fs.mkdirSync(f)],
    ['binary', (f) => fs.writeFileSync(f, Buffer.from([0x5b, 0x74, 0x6f, 0x6f, 0x6c, 0x5d, 0x0a, 0xff, 0x00, 0xfe, 0x0a]))],
  ];
  for (const [label, make] of cases) {
    const dir = project();
    make(path.join(dir, 'pyproject.toml'));
    const r = cli(['check', '.'], dir);
    assert.equal(r.status, 2, `${label}: ${r.stderr}`);
    assert.match(r.stderr, /pyproject\.toml/, label);
    assert.deepEqual(findingsOf(r.stdout, 'good.py'), EXAMPLE_FINDINGS, `${label}: defaults apply`);
  }
});

test('all of it at once: every problem named on stderr, every readable file checked once, exit 2', (t) => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.parallelize\n');
  fs.mkdirSync(path.join(dir, 'x.py'));
  fs.copyFileSync(EXAMPLE, path.join(dir, 'x.py', 'inner.py'));
  fs.symlinkSync('b.py', path.join(dir, 'a.py'));
  fs.symlinkSync('a.py', path.join(dir, 'b.py'));
  fs.symlinkSync('.', path.join(dir, 'x.py', 'again'));
  fs.writeFileSync(path.join(dir, 'empty.py'), '');
  fs.writeFileSync(path.join(dir, 'binary.py'), Buffer.from([0x66, 0x6f, 0x72, 0x00, 0xff, 0xfe, 0x0a]));
  const as = unprivileged(dir);
  if (as) {
    fs.copyFileSync(EXAMPLE, path.join(dir, 'locked.py'));
    fs.chmodSync(path.join(dir, 'locked.py'), 0o000);
  } else t.diagnostic('privileged run: the unreadable file is left out');
  const r = cli(['check', '.'], dir, as ?? {});
  assert.equal(r.status, 2, r.stderr);
  assert.deepEqual(findingsOf(r.stdout, 'good.py'), EXAMPLE_FINDINGS);
  assert.deepEqual(findingsOf(r.stdout, path.join('x.py', 'inner.py')), EXAMPLE_FINDINGS);
  assert.equal(findingsOf(r.stdout, path.join('x.py', 'again', 'inner.py')).length, 0, 'the self-link is not followed twice');
  for (const name of ['pyproject\\.toml', 'a\\.py', 'b\\.py', ...(as ? ['locked\\.py'] : [])]) assert.match(r.stderr, new RegExp(name), `${name} reported`);
  assert.match(r.stdout, /Found 10 findings/);
});
