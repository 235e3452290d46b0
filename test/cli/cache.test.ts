// `check`'s result cache (.parallelize_cache/): the output is the same byte for byte with and without it, it is
// really read (a doctored entry shows through), anything broken in it is ignored and rewritten, and it serves
// nothing stale (an edited file, other options, a file --fix rewrote, a changed dependency summary).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../server/src/config';
import { analyseFiles } from '../../server/src/checkFiles';
import { checkFilesCached } from '../../server/src/workspace/cachedCheck';
import { cacheDirFor, commonRoot, hashBytes, ResultCache, statSignature } from '../../server/src/workspace/resultCache';
import { ABSENT } from '../../server/src/workspace/summaryStore';
import { REPO, tempDir } from '../support/harness';

const CLI = path.join(REPO, 'dist', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function check(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...withoutCacheDir(), ...env } });
  assert.equal(r.error, undefined, `the CLI ran to the end: ${r.error}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withoutCacheDir(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PARALLELIZE_CACHE_DIR;
  return env;
}

/** A project: the examples and the fix-all fixtures, copied (several files with safe and unsafe fixes). */
function project(withPyproject = true): string {
  const dir = tempDir('parallelize-cache-');
  for (const f of fs.readdirSync(path.join(REPO, 'examples'))) if (f.endsWith('.py')) fs.copyFileSync(path.join(REPO, 'examples', f), path.join(dir, f));
  fs.mkdirSync(path.join(dir, 'pkg'));
  const fixAll = path.join(REPO, 'test', 'fixtures', 'fix-all');
  for (const f of fs.readdirSync(fixAll)) if (f.endsWith('.py')) fs.copyFileSync(path.join(fixAll, f), path.join(dir, 'pkg', f));
  if (withPyproject) fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "demo"\n');
  return dir;
}

/** The cache files (one per tool build and configuration) under a cache folder. */
function cacheFiles(cacheDir: string): string[] {
  if (!fs.existsSync(cacheDir)) return [];
  return fs.readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).map((f) => path.join(cacheDir, f));
}

for (const format of [[], ['--format', 'json'], ['--format', 'sarif'], ['--statistics'], ['--show-fixes', '--diff']]) {
  test(`${format.join(' ') || 'text'}: byte for byte the same output with no cache, a cold cache and a warm one`, () => {
    const dir = project();
    const none = check(['.', ...format, '--no-cache'], dir);
    assert.ok(none.stdout.length > 200, 'there are findings to print');
    assert.equal(fs.existsSync(path.join(dir, '.parallelize_cache')), false, '--no-cache writes no cache');
    const cold = check(['.', ...format], dir);
    assert.equal(cacheFiles(path.join(dir, '.parallelize_cache')).length, 1, 'the cold run wrote the cache beside pyproject.toml');
    const warm = check(['.', ...format], dir);
    assert.deepEqual(cold, none);
    assert.deepEqual(warm, none);
  });
}

test('the warm run reads the cache: a doctored entry shows through, and --no-cache does not see it', () => {
  const dir = project();
  const first = check(['.', '--format', 'json'], dir);
  const [file] = cacheFiles(path.join(dir, '.parallelize_cache'));
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const key = path.join(dir, 'pipeline.py');
  assert.ok(data.entries[key].findings.length > 0, 'pipeline.py has findings');
  data.entries[key].findings[0].message = 'FROM THE CACHE';
  fs.writeFileSync(file, JSON.stringify(data));
  assert.match(check(['.', '--format', 'json'], dir).stdout, /FROM THE CACHE/);
  assert.equal(check(['.', '--format', 'json', '--no-cache'], dir).stdout, first.stdout);
  // an edit to the file makes its entry stale: analysed again
  fs.appendFileSync(key, '\n# edited\n');
  assert.doesNotMatch(check(['.', '--format', 'json'], dir).stdout, /FROM THE CACHE/);
});

test('a run answered wholly from the cache never loads the analysis; a file to analyse does', () => {
  const dir = project();
  // the front alone, beside an analysis bundle that fails if it is ever loaded
  const front = tempDir('parallelize-front-');
  fs.copyFileSync(CLI, path.join(front, 'cli.js'));
  fs.writeFileSync(path.join(front, 'cliEngine.js'), "throw new Error('the analysis was loaded');\n");
  const frontCheck = (args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(front, 'cli.js'), 'check', ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: withoutCacheDir() });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  for (const format of [[], ['--format', 'json'], ['--format', 'sarif'], ['--statistics']]) {
    const cold = check(['.', ...format], dir);
    assert.deepEqual(frontCheck(['.', ...format]), cold, `${format.join(' ') || 'text'}: the same output without the analysis`);
  }
  fs.appendFileSync(path.join(dir, 'pipeline.py'), '\n# edited\n');
  const edited = frontCheck(['.']);
  assert.equal(edited.status, 2);
  assert.match(edited.stderr, /the analysis was loaded/, 'an edited file needs the analysis');
});

test('the cache folder holds its own .gitignore and sits beside pyproject.toml, else at the common root, else in PARALLELIZE_CACHE_DIR', () => {
  const dir = project();
  check(['pkg', 'pipeline.py'], dir);
  assert.equal(fs.readFileSync(path.join(dir, '.parallelize_cache', '.gitignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join('\n'), '*');
  assert.ok(fs.existsSync(path.join(dir, '.parallelize_cache', 'CACHEDIR.TAG')));

  const bare = project(false);
  check([path.join(bare, 'pkg'), path.join(bare, 'pkg', 'simple.py')], REPO);
  assert.equal(cacheFiles(path.join(bare, 'pkg', '.parallelize_cache')).length, 1, 'no pyproject: the common root of the paths');
  assert.equal(commonRoot([path.join(bare, 'pkg', 'a.py'), path.join(bare, 'service.py')]), bare);

  const elsewhere = tempDir('parallelize-cachedir-');
  const moved = project();
  const env = { PARALLELIZE_CACHE_DIR: path.join(elsewhere, 'c') };
  const none = check(['.', '--format', 'json', '--no-cache'], moved);
  assert.deepEqual(check(['.', '--format', 'json'], moved, env), none);
  assert.deepEqual(check(['.', '--format', 'json'], moved, env), none);
  assert.equal(cacheFiles(path.join(elsewhere, 'c')).length, 1);
  assert.equal(fs.existsSync(path.join(moved, '.parallelize_cache')), false);
  assert.equal(cacheDirFor(null, [], { PARALLELIZE_CACHE_DIR: 'rel' }, '/x/y'), path.resolve('/x/y', 'rel'));
});

test('a corrupt, truncated or foreign cache file is ignored and rewritten, never a crash', () => {
  const dir = project();
  const none = check(['.', '--format', 'json', '--no-cache'], dir);
  check(['.', '--format', 'json'], dir);
  const [file] = cacheFiles(path.join(dir, '.parallelize_cache'));
  const good = fs.readFileSync(file, 'utf8');
  const data = JSON.parse(good);
  const key = path.join(dir, 'pipeline.py');
  const badEntry = (entry: unknown) => JSON.stringify({ ...data, entries: { ...data.entries, [key]: entry } });
  const broken: Array<[string, string]> = [
    ['garbage', '\u0000\u0001 not json at all'],
    ['truncated', good.slice(0, Math.floor(good.length / 2))],
    ['empty', ''],
    ['foreign JSON', JSON.stringify({ version: 3, files: ['a'] })],
    ['another build', JSON.stringify({ ...data, tool: '0.0.1+other' })],
    ['null', 'null'],
    ['entries not an object', JSON.stringify({ ...data, entries: 7 })],
    ['an entry of the wrong shape', badEntry({ hash: 1, findings: 'x' })],
    ['a finding of the wrong shape', badEntry({ ...data.entries[key], findings: [{ code: 'PAR101', span: null }] })],
  ];
  for (const [what, text] of broken) {
    fs.writeFileSync(file, text);
    const run = check(['.', '--format', 'json'], dir);
    assert.deepEqual(run, none, what);
    const rewritten = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(rewritten.format, data.format, `${what}: rewritten`);
    assert.equal(typeof rewritten.entries[key].hash, 'string', `${what}: the entry is whole again`);
    assert.deepEqual(check(['.', '--format', 'json'], dir), none, `${what}: then read`);
  }
  // a folder where the cache file goes, and a cache folder that is a file: no cache, no error
  fs.rmSync(file);
  fs.mkdirSync(file);
  assert.deepEqual(check(['.', '--format', 'json'], dir), none);
  const blocked = project();
  fs.writeFileSync(path.join(blocked, '.parallelize_cache'), 'not a folder');
  assert.deepEqual(check(['.', '--format', 'json'], blocked), check(['.', '--format', 'json', '--no-cache'], blocked));
});

test('other options are other results: --select, --ignore, --min-speedup, --target-cores, --min-iterations each miss the cache', () => {
  const dir = project();
  check(['.', '--format', 'json'], dir);
  for (const options of [['--select', 'PAR1'], ['--ignore', 'PAR101'], ['--min-speedup', '3'], ['--target-cores', '64'], ['--min-iterations', '0'], ['--target-version', 'py313']]) {
    const none = check(['.', '--format', 'json', '--no-cache', ...options], dir);
    assert.deepEqual(check(['.', '--format', 'json', ...options], dir), none, options.join(' '));
    assert.deepEqual(check(['.', '--format', 'json', ...options], dir), none, `${options.join(' ')}, warm`);
  }
  // per-file-ignores in pyproject: a file's own configuration is part of its key
  const none = check(['.', '--format', 'json', '--no-cache'], dir);
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.parallelize.per-file-ignores]\n"pipeline.py" = ["PAR1"]\n');
  const ignoring = check(['.', '--format', 'json'], dir);
  assert.notEqual(ignoring.stdout, none.stdout);
  assert.deepEqual(ignoring, check(['.', '--format', 'json', '--no-cache'], dir));
});

test('--fix is never served stale results: the fixed files are analysed again, before and after', () => {
  const dir = project();
  check(['.'], dir);
  const reference = project();
  const fixedRef = check(['.', '--fix', '--format', 'json', '--no-cache'], reference);
  const fixed = check(['.', '--fix', '--format', 'json'], dir);
  assert.deepEqual(fixed, fixedRef, 'fixing from a warm cache reports what fixing without one reports');
  const after = check(['.', '--format', 'json'], dir);
  assert.deepEqual(after, check(['.', '--format', 'json', '--no-cache'], dir));
  assert.equal(after.stdout, check(['.', '--format', 'json', '--no-cache'], reference).stdout.split(reference).join(dir));
  // --diff writes nothing: the next check still answers for the unchanged files
  const again = project();
  const before = check(['.', '--format', 'json'], again);
  check(['.', '--diff'], again);
  assert.deepEqual(check(['.', '--format', 'json'], again), before);
});

test('a cached result is reused only while the files it depended on are as they were (stubbed dependency list)', async () => {
  const dir = tempDir('parallelize-deps-');
  const caller = path.join(dir, 'pipeline.py');
  const callee = path.join(dir, 'features.py');
  const outside = path.join(dir, 'helpers.py');
  fs.writeFileSync(caller, 'from features import f\n\nfor x in range(10):\n    print(f(x))\n');
  fs.writeFileSync(callee, 'def f(x):\n    return x * 2\n');
  fs.writeFileSync(outside, 'def g(x):\n    return x\n');
  const cacheDir = path.join(dir, '.parallelize_cache');
  const config = DEFAULT_CONFIG;
  const marker = { code: 'PAR101', message: 'FROM THE CACHE', span: { startLine: 2, startColumn: 0, endLine: 3, endColumn: 15 }, fixes: [] };
  // what the workspace analysis would have stored: the text of features.py, and helpers.py located but not checked
  const seed = (deps = [{ path: callee, summaryHash: hashBytes(fs.readFileSync(callee)) }, { path: outside, summaryHash: ABSENT }]) => {
    const cache = ResultCache.open(cacheDir, config, 'test-tool');
    cache.store(caller, hashBytes(fs.readFileSync(caller)), config, { findings: [marker], dependencies: deps });
    assert.equal(cache.save(), true);
  };
  const run = async (files = [caller, callee], summaryHashOf?: (file: string) => string | undefined) => {
    const cache = ResultCache.open(cacheDir, config, 'test-tool');
    const outcomes = await checkFilesCached(files, () => config, cache, analyseFiles, { jobs: 1, summaryHashOf });
    const outcome = outcomes[0];
    assert.ok(outcome.ok);
    return outcome.findings.some((f) => f.message === 'FROM THE CACHE');
  };
  seed();
  assert.equal(await run(), true, 'features.py unchanged and checked, helpers.py still not checked: reused');
  assert.equal(await run([caller]), false, 'features.py no longer among the files checked: its import resolves otherwise');
  seed();
  assert.equal(await run([caller, callee, outside]), false, 'helpers.py checked now: an import that did not resolve may');
  seed();
  assert.equal(await run(undefined, () => 'other'), false, 'an injected answer that disagrees');
  seed();
  fs.appendFileSync(callee, '\ndef g():\n    return 1\n');
  assert.equal(await run(), false, 'editing features.py re-checks pipeline.py');
  // ... and its fresh analysis is stored, with the text of features.py it used
  const cache = ResultCache.open(cacheDir, config, 'test-tool');
  const [fresh] = await checkFilesCached([caller, callee], () => config, cache, analyseFiles, { jobs: 1 });
  assert.equal(cache.save(), true);
  assert.ok(fresh.ok);
  const used = fresh.dependencies ?? [];
  assert.deepEqual(used, [{ path: path.resolve(callee), summaryHash: hashBytes(fs.readFileSync(callee)) }], 'the workspace analysis records the module it used, by its text');
  assert.equal(await run(), false, 'the fresh result, not the marker');
  const reopened = ResultCache.open(cacheDir, config, 'test-tool');
  const current = (file: string) => used.find((d) => d.path === file)?.summaryHash;
  assert.ok(reopened.lookup(caller, hashBytes(fs.readFileSync(caller)), config, current), 'the fresh result was stored');
  assert.equal(reopened.lookup(caller, hashBytes(fs.readFileSync(caller)), config, () => undefined), undefined, 'not reused without the module it used');
  // another tool build reads nothing of it
  assert.equal(ResultCache.open(cacheDir, config, 'other-tool').lookup(caller, hashBytes(fs.readFileSync(caller)), config, current), undefined);
});

test('a file whose inode, size and times are unchanged is not read again; any write (even one restoring the time) is seen', async () => {
  const dir = tempDir('parallelize-stat-');
  const file = path.join(dir, 'm.py');
  fs.writeFileSync(file, 'x = 1\n');
  const later = Date.now() + 10_000;
  const before = statSignature(fs.statSync(file), later);
  assert.equal(statSignature(fs.statSync(file)), undefined, 'a file written just now is racy: its times are not trusted');
  assert.ok(before);
  const config = DEFAULT_CONFIG;
  const cacheDir = path.join(dir, 'c');
  const marker = { code: 'PAR101', message: 'FROM THE CACHE', span: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 5 }, fixes: [] };
  const seed = (stat: string) => {
    const cache = ResultCache.open(cacheDir, config, 'test-tool');
    // a hash no file has: only the signature can vouch for it
    cache.store(file, 'not-the-hash-of-the-text', config, { findings: [marker], dependencies: [] }, stat);
    cache.save();
  };
  const fromCache = async () => {
    const cache = ResultCache.open(cacheDir, config, 'test-tool');
    const [outcome] = await checkFilesCached([file], () => config, cache, analyseFiles, { jobs: 1, summaryHashOf: () => undefined });
    assert.ok(outcome.ok);
    return outcome.findings.some((f) => f.message === 'FROM THE CACHE');
  };
  // past the racy window, the file's own signature is trusted
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const now = statSignature(fs.statSync(file))!;
  assert.ok(now);
  seed(now);
  assert.equal(await fromCache(), true, 'same signature: the stored hash is trusted, the file not read');
  // rewrite with text of the same size and put the modification time back: the change time still moves
  const { atime, mtime } = fs.statSync(file);
  await new Promise((resolve) => setTimeout(resolve, 30));
  fs.writeFileSync(file, 'x = 2\n');
  fs.utimesSync(file, atime, mtime);
  assert.notEqual(statSignature(fs.statSync(file), later), now, 'the change time moved');
  seed(now);
  assert.equal(await fromCache(), false, 'the signature moved: the file is read, its hash differs, it is analysed');
});

test('an edit two modules down re-checks the caller: its summary changes the imported one, and the warm run equals --no-cache', () => {
  const dir = tempDir('parallelize-transitive-');
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "demo"\n');
  fs.mkdirSync(path.join(dir, 'shop'));
  fs.writeFileSync(path.join(dir, 'shop', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'shop', 'keys.py'), 'import hashlib\n\n\ndef derive(word):\n    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"salt", 200000).hex()\n');
  fs.writeFileSync(path.join(dir, 'shop', 'features.py'), 'from shop.keys import derive\n\n\ndef feature(word):\n    return derive(word)[:12]\n');
  fs.writeFileSync(
    path.join(dir, 'shop', 'pipeline.py'),
    'from shop.features import feature\n\n\ndef main():\n    words = [f"w{i}" for i in range(400)]\n    out = []\n    for w in words:\n        out.append(feature(w))\n    return out\n\n\nif __name__ == "__main__":\n    print(len(main()))\n',
  );
  const reported = (r: Run) => /pipeline\.py:7:\d+: PAR101/.test(r.stdout);
  const cold = check(['.'], dir);
  assert.ok(reported(cold), `the loop over the imported key derivation is reported:\n${cold.stdout}`);
  assert.deepEqual(check(['.'], dir), cold, 'warm and unchanged: the same output');
  // keys.py changes; features.py, which pipeline.py imports, does not
  fs.writeFileSync(path.join(dir, 'shop', 'keys.py'), 'def derive(word):\n    return word.upper()\n');
  const warm = check(['.'], dir);
  assert.deepEqual(warm, check(['.', '--no-cache'], dir), 'the warm run equals a run without the cache');
  assert.ok(!reported(warm), `cheap work is no longer worth a pool:\n${warm.stdout}`);
});
