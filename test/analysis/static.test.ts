// Static only: analysing a project never imports or runs its code, and never starts Python. The fixtures
// write a marker file when imported or run (a module with top-level effects, __init__.py, sitecustomize.py,
// conftest.py, setup.py, a build backend named by pyproject.toml, a .pth file); `check`, `fix --diff`,
// `fix --write` and the language server go over them with fake `python`/`python3`/`pip`/`uv` first on PATH
// and a preload that logs every child_process call. Afterwards there must be no marker at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { PYTHON, REPO, tempDir } from '../support/harness';
import { type JsonRpcMessage, RawLspServer } from '../support/rawLsp';

const CLI = path.join(REPO, 'dist', 'cli.js');
const EXAMPLE = path.join(REPO, 'examples', 'pipeline.py');
const FAKE_TOOLS = ['python', 'python3', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14', 'py', 'pip', 'pip3', 'uv', 'poetry', 'pdm', 'hatch', 'pytest', 'mypy', 'pyright'];

interface Sandbox {
  project: string;
  markers: string;
  env: NodeJS.ProcessEnv;
  hook: string;
}

const marker = (markers: string, name: string) => `open(${JSON.stringify(path.join(markers, name))}, "w").write("ran")\n`;

/** A project whose every importable or runnable file leaves a marker in `markers` when Python touches it. */
function writeProject(project: string, markers: string): void {
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), text);
  };
  // the example keeps its line numbers: the unguarded top-level effect goes at the end
  w('pipeline.py', fs.readFileSync(EXAMPLE, 'utf8') + '\n' + marker(markers, 'pipeline.py'));
  w('pkg/__init__.py', marker(markers, 'pkg__init__.py'));
  w(
    'pkg/work.py',
    `import hashlib\nimport helper\nfrom pkg import sub\n${marker(markers, 'pkg-work.py')}\n\ndef digest(word):\n    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"s", 200_000).hex()\n\n\ndef run(words):\n    out = []\n    for w in words:\n        out.append(digest(w))\n    return out\n\n\nrun(list("abcdefgh"))\n`,
  );
  w('pkg/sub.py', marker(markers, 'pkg-sub.py'));
  w('pkg/__main__.py', marker(markers, 'pkg__main__.py'));
  w('helper.py', marker(markers, 'helper.py'));
  w('sitecustomize.py', marker(markers, 'sitecustomize.py'));
  w('usercustomize.py', marker(markers, 'usercustomize.py'));
  w('conftest.py', marker(markers, 'conftest.py'));
  w('setup.py', marker(markers, 'setup.py') + 'from setuptools import setup\nsetup(name="evil")\n');
  w('noxfile.py', marker(markers, 'noxfile.py'));
  w('backend.py', marker(markers, 'backend.py') + 'def build_wheel(*a, **k):\n    return ""\n');
  w('startup.py', marker(markers, 'startup.py'));
  w('evil.pth', `import os; ${marker(markers, 'evil.pth').trim()}\n`);
  w('.venv/bin/python', `#!/bin/sh\necho "$0 $*" > ${JSON.stringify(path.join(markers, 'venv-python'))}\n`);
  fs.chmodSync(path.join(project, '.venv', 'bin', 'python'), 0o755);
  w(
    'pyproject.toml',
    '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n[project]\nname = "evil"\nversion = "0"\ndynamic = ["readme"]\n\n[tool.setuptools.dynamic]\nreadme = { file = "README" }\n\n[tool.parallelize]\nselect = ["PAR1", "PAR2"]\n',
  );
}

function sandbox(): Sandbox {
  const root = tempDir('parallelize-static-');
  const project = path.join(root, 'project');
  const markers = path.join(root, 'markers');
  const bin = path.join(root, 'fakebin');
  for (const d of [project, markers, bin]) fs.mkdirSync(d, { recursive: true });
  writeProject(project, markers);
  for (const tool of FAKE_TOOLS) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "$0 $*" > ${JSON.stringify(path.join(markers, `spawned-${tool}`))}\nexit 0\n`);
    fs.chmodSync(path.join(bin, tool), 0o755);
  }
  // logs every child process the tool starts (and still starts it, so the fake interpreters can tell too)
  const hook = path.join(root, 'hook.js');
  fs.writeFileSync(
    hook,
    `const cp = require('child_process');
const fs = require('fs');
const log = ${JSON.stringify(path.join(markers, 'child_process.log'))};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = cp[name];
  cp[name] = function (...args) {
    fs.appendFileSync(log, name + ' ' + JSON.stringify(args.slice(0, 2)) + '\\n');
    return original.apply(this, args);
  };
}
const wt = require('worker_threads');
const Worker = wt.Worker;
wt.Worker = class extends Worker {
  constructor(file, options) {
    fs.appendFileSync(log, 'Worker ' + JSON.stringify(String(file).slice(0, 200)) + '\\n');
    super(file, options);
  }
};
`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PYTHONPATH: project,
    PYTHONSTARTUP: path.join(project, 'startup.py'),
    VIRTUAL_ENV: path.join(project, '.venv'),
    PYTHON: path.join(bin, 'python3'),
  };
  return { project, markers, env, hook };
}

function markersLeft(s: Sandbox): string[] {
  return fs.readdirSync(s.markers).map((f) => `${f}: ${fs.readFileSync(path.join(s.markers, f), 'utf8').trim().slice(0, 300)}`);
}

function cli(s: Sandbox, args: string[]) {
  const r = spawnSync(process.execPath, ['--require', s.hook, CLI, ...args], { cwd: s.project, env: s.env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the detectors work: Python importing the fixtures leaves markers, the fake interpreter and the hook log', (t) => {
  const s = sandbox();
  // the preload hook sees a child process, and the fake python3 on PATH is the one that runs
  const probe = spawnSync(process.execPath, ['--require', s.hook, '-e', "require('child_process').spawnSync('python3', ['-c', 'pass'])"], { env: s.env, encoding: 'utf8' });
  assert.equal(probe.status, 0, probe.stderr);
  const left = markersLeft(s).map((m) => m.split(':')[0]).sort();
  assert.deepEqual(left, ['child_process.log', 'spawned-python3']);
  // a real interpreter running the fixtures does write the markers (so their absence below means something)
  const real = spawnSync(PYTHON, ['-c', 'import sys; sys.path.insert(0, "."); import pkg.work, conftest, backend'], { cwd: s.project, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (real.error) return t.skip(`no real Python to calibrate with: ${real.error.message}`);
  assert.equal(real.status, 0, real.stderr);
  for (const name of ['pkg__init__.py', 'pkg-work.py', 'pkg-sub.py', 'helper.py', 'conftest.py', 'backend.py']) assert.ok(fs.existsSync(path.join(s.markers, name)), `${name} marker written by a real import`);
});

test('check (text, json, explicit files) never imports, runs or spawns anything', () => {
  const s = sandbox();
  const text = cli(s, ['check', '.']);
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /^pipeline\.py:26:5: PAR101/m);
  assert.match(text.stdout, /^pkg\/work\.py:\d+:\d+: PAR101/m);
  const json = cli(s, ['check', '.', '--format', 'json']);
  assert.equal(json.status, 1, json.stderr);
  assert.ok((JSON.parse(json.stdout) as unknown[]).length > 0);
  const explicit = cli(s, ['check', 'pkg/work.py', 'setup.py', 'conftest.py', 'sitecustomize.py', 'backend.py', 'pkg/__init__.py']);
  assert.equal(explicit.status, 1, explicit.stderr);
  assert.deepEqual(markersLeft(s), []);
});

test('fix --diff and fix --write never import, run or spawn anything', () => {
  const s = sandbox();
  const diff = cli(s, ['fix', 'pipeline.py', '--rule', 'PAR101', '--line', '26', '--diff']);
  assert.equal(diff.status, 0, diff.stderr);
  assert.match(diff.stdout, /executor\.map\(key_strength, items, chunksize=chunksize\)/);
  const workLine = String(fs.readFileSync(path.join(s.project, 'pkg', 'work.py'), 'utf8').split('\n').findIndex((l) => l.startsWith('    for w in words')) + 1);
  const diff2 = cli(s, ['fix', 'pkg/work.py', '--rule', 'PAR101', '--line', workLine, '--diff']);
  assert.equal(diff2.status, 0, diff2.stderr);
  const write = cli(s, ['fix', 'pipeline.py', '--rule', 'PAR101', '--line', '26', '--write']);
  assert.equal(write.status, 0, write.stderr);
  assert.match(fs.readFileSync(path.join(s.project, 'pipeline.py'), 'utf8'), /ProcessPoolExecutor/);
  assert.deepEqual(markersLeft(s), []);
});

test('the language server (workspace rooted in the project) never imports, runs or spawns anything', async () => {
  const s = sandbox();
  const server = new RawLspServer({ nodeArgs: ['--require', s.hook], env: s.env, cwd: s.project });
  try {
    const rootUri = pathToFileURL(s.project).toString();
    const init = await server.initialize({
      rootUri,
      rootPath: s.project,
      workspaceFolders: [{ uri: rootUri, name: 'project' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { showDocument: { support: true } } },
      initializationOptions: { settings: {} },
    });
    assert.ok(init.result?.capabilities);
    const files = ['pipeline.py', 'pkg/work.py', 'pkg/__init__.py', 'pkg/sub.py', 'pkg/__main__.py', 'helper.py', 'sitecustomize.py', 'usercustomize.py', 'conftest.py', 'setup.py', 'noxfile.py', 'backend.py'];
    const published = new Map<string, JsonRpcMessage>();
    for (const rel of files) {
      const uri = pathToFileURL(path.join(s.project, rel)).toString();
      await server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(path.join(s.project, rel), 'utf8') } });
      published.set(rel, await server.diagnostics(uri, 1, 20_000));
    }
    let actions = 0;
    for (const [rel, p] of published) {
      const uri = pathToFileURL(path.join(s.project, rel)).toString();
      for (const d of p.params.diagnostics as Array<{ range: { start: { line: number; character: number } } }>) {
        const hover = await server.request('textDocument/hover', { textDocument: { uri }, position: d.range.start });
        assert.equal(hover.error, undefined);
        const r = await server.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
        assert.ok(Array.isArray(r.result));
        actions += (r.result as unknown[]).length;
      }
    }
    assert.ok(actions > 0, 'the rewrites were computed');
    assert.ok((published.get('pipeline.py')!.params.diagnostics as unknown[]).length > 0);
    // configuration changes, a pyproject change, a save and a command: still nothing runs
    const pipelineUri = pathToFileURL(path.join(s.project, 'pipeline.py')).toString();
    await server.notify('workspace/didChangeConfiguration', { settings: { parallelize: { select: ['PAR1'] } } });
    await server.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(s.project, 'pyproject.toml')).toString(), type: 2 }] });
    await server.notify('textDocument/didChange', { textDocument: { uri: pipelineUri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }] });
    await server.diagnostics(pipelineUri, 2, 20_000);
    await server.notify('textDocument/didSave', { textDocument: { uri: pipelineUri } });
    await server.request('workspace/executeCommand', { command: 'parallelize.showDocumentation', arguments: ['PAR101'] });
    const exit = await server.shutdownAndExit();
    assert.equal(exit.code, 0);
    assert.deepEqual(server.stdoutViolations, []);
  } finally {
    await server.kill();
  }
  assert.deepEqual(markersLeft(s), []);
});

test('the bundles contain no code that starts a Python interpreter', () => {
  for (const bundle of ['server.js', 'cli.js']) {
    const text = fs.readFileSync(path.join(REPO, 'dist', bundle), 'utf8');
    // a spawn/exec whose command mentions python, py, pip or uv
    const calls = [...text.matchAll(/\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync|fork)\s*\)?\s*\(\s*([^,)]{0,80})/g)].map((m) => m[1]);
    const python = calls.filter((c) => /python|\bpy\b|\bpip\b|\buv\b/i.test(c));
    assert.deepEqual(python, [], `${bundle}: child process calls that name Python`);
  }
});
