// The install paths the README gives users, each tried from a clean directory: the npm package (the
// tarball `npm pack` makes, installed into an empty folder), the pre-commit hook (Debian's `pre-commit` on a
// scratch git repository) and the GitHub Actions example (its `run:` line executed, the SARIF it writes
// checked). The .vsix is checked here as the Marketplace would see it, and installed and used by
// test/e2e/codeServer.test.ts (`code-server --install-extension`).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { toolsPresent, which } from '../support/editors';
import { REPO, tempDir } from '../support/harness';

const SAMPLE = fs.readFileSync(path.join(REPO, 'test', 'e2e', 'workspace', 'derive.py'), 'utf8');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}

function show(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** `npm pack` of this repository (dist/ as `npm run build` left it) into `dir`; returns the tarball and its file list. */
function pack(dir: string): { tarball: string; files: string[] } {
  const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO);
  assert.equal(r.status, 0, show(r));
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path) };
}

/** Sends `initialize` over stdio and resolves with the server's answer (the server is then killed). */
function initialize(bin: string, cwd: string): Promise<{ serverInfo?: { name: string }; capabilities?: object }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no answer to initialize: ${out}`));
    }, 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const body = out.split('\r\n\r\n')[1];
      if (!body) return;
      try {
        const message = JSON.parse(body);
        clearTimeout(timer);
        child.kill();
        resolve(message.result);
      } catch {
        // not all of it yet
      }
    });
    child.on('error', reject);
    const request = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
  });
}

test('.vsix: vsce packs it with no --allow-* flag; minified bundles, no source maps, no CLI; icon; the README\'s links and images absolute', { timeout: 300_000 }, (t) => {
  const scratch = tempDir('parallelize-vsix-test-');
  try {
    const vsix = path.join(scratch, 'python-parallelize.vsix');
    const packed = run('npm', ['run', 'vsix', '--', vsix], REPO);
    assert.equal(packed.status, 0, show(packed));
    assert.doesNotMatch(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts.vsix, /--allow-/);
    t.diagnostic(`python-parallelize.vsix: ${fs.statSync(vsix).size} bytes`);
    const listing = run(which('python3') ?? 'python3', ['-c', 'import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(json.dumps({i.filename: [i.file_size, z.read(i).decode() if i.filename.endswith((".md", ".json")) else "", z.read(i).count(b"\\n") if i.filename.endswith(".js") else 0] for i in z.infolist()}))', vsix], REPO);
    assert.equal(listing.status, 0, show(listing));
    const entries = JSON.parse(listing.stdout) as Record<string, [number, string, number]>;
    const names = Object.keys(entries);
    for (const f of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/icon.png', 'extension/dist/tree-sitter-python.wasm', 'extension/dist/web-tree-sitter.wasm', 'extension/dist/docs/rules/PAR101.md', 'extension/changelog.md', 'extension/readme.md']) {
      assert.ok(names.includes(f), `${f} ships: ${names.join(', ')}`);
    }
    assert.ok(!names.some((n) => n.endsWith('.map') || /dist\/(cli|checkWorker)\.js$/.test(n) || /node_modules|\/test\/|\/src\//.test(n)), names.join(', '));
    // minified: the server bundle is a few long lines, not tens of thousands (and well under the unminified size)
    const [serverSize, , serverLines] = entries['extension/dist/server.js'];
    assert.ok(serverLines < 2_000, `server.js is minified (${serverLines} lines)`);
    assert.ok(serverSize < 1_300_000, `server.js is minified (${serverSize} bytes)`);
    const manifest = JSON.parse(entries['extension/package.json'][1]);
    for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'icon']) assert.ok(manifest[field], `package.json has ${field}`);
    assert.equal(manifest.scripts, undefined, 'no scripts in the shipped manifest');
    const readme = entries['extension/readme.md'][1];
    assert.ok(readme.startsWith('# Python Parallelize'), readme.slice(0, 100));
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 2, 'the README shows the hovers');
    for (const url of images) assert.match(url, /^https:\/\//, 'images resolve inside the packaged README');
    for (const m of readme.matchAll(/\]\(([^)#]+)\)/g)) assert.match(m[1], /^(https?:|mailto:)/, `links are absolute: ${m[1]}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('npm package: the tarball ships the CLI and the server only, installs into an empty folder, and its bins work', { timeout: 300_000 }, async () => {
  const scratch = tempDir('parallelize-npm-');
  try {
    const { tarball, files } = pack(scratch);
    for (const f of files) assert.match(f, /^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/, `only the bundles and the docs ship: ${f}`);
    for (const f of ['dist/cli.js', 'dist/cliEngine.js', 'dist/checkWorker.js', 'dist/server.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'dist/docs/rules/PAR101.md']) {
      assert.ok(files.includes(f), `${f} ships`);
    }
    assert.ok(!files.some((f) => f.endsWith('.map') || f === 'dist/extension.js'), `no source maps, no VS Code client: ${files.join(', ')}`);

    const project = path.join(scratch, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'derive.py'), SAMPLE);
    // the package has no runtime dependencies: installing it needs no network
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], project);
    assert.equal(install.status, 0, show(install));

    const npx = run('npx', ['--no-install', 'python-parallelize', 'check', '.'], project);
    assert.equal(npx.status, 1, `findings exit 1: ${show(npx)}`);
    assert.match(npx.stdout, /derive\.py:12:5: PAR101 /);
    const version = run(path.join(project, 'node_modules', '.bin', 'parallelize'), ['--version'], project);
    assert.equal(version.status, 0, show(version));
    assert.match(version.stdout, new RegExp(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version.replace(/\./g, '\\.')));
    const answer = await initialize(path.join(project, 'node_modules', '.bin', 'parallelize-lsp'), project);
    assert.equal(answer.serverInfo?.name, 'python-parallelize');

    // the GitHub Actions example: its `run:` line, as written, produces the SARIF its upload step sends
    const python = which('python3');
    const parsed = python && run(python, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path.join(REPO, 'docs', 'github-actions.yml')], REPO);
    if (!parsed || parsed.status !== 0) {
      assert.ok(!process.env.CI, `CI needs python3 with yaml to read the workflow: ${parsed && show(parsed)}`);
      return;
    }
    const workflow = JSON.parse(parsed.stdout) as { jobs: Record<string, { steps: Array<{ run?: string; uses?: string; with?: Record<string, string> }> }>; permissions: Record<string, string> };
    assert.equal(workflow.permissions['security-events'], 'write');
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload?.with?.sarif_file, 'an upload-sarif step names its file');
    const check = steps.find((s) => s.run?.includes('python-parallelize'));
    assert.ok(check?.run);
    const step = run('bash', ['-c', check.run], project, { ...process.env, npm_config_offline: 'true' });
    assert.equal(step.status, 0, show(step));
    const sarif = JSON.parse(fs.readFileSync(path.join(project, upload.with.sarif_file), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId), ['PAR101']);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('pre-commit: the hooks install from this repository (language: node) and report, then fix, a scratch repository', { timeout: 600_000 }, (t) => {
  if (!toolsPresent(t, { 'pre-commit (apt-get install pre-commit)': which('pre-commit'), git: which('git') })) return;
  const scratch = tempDir('parallelize-pre-commit-');
  try {
    const repo = path.join(scratch, 'repo');
    fs.mkdirSync(repo);
    // pre-commit clones this repository at a commit: what is committed is what is tried
    const head = run('git', ['rev-parse', 'HEAD'], REPO).stdout.trim();
    const git = (...args: string[]) => assert.equal(run('git', args, repo).status, 0, args.join(' '));
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    fs.writeFileSync(path.join(repo, 'derive.py'), SAMPLE);
    fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${REPO}\n    rev: ${head}\n    hooks:\n      - id: parallelize\n      - id: parallelize-fix\n        stages: [manual]\n`);
    git('add', '.');
    git('commit', '-qm', 'scratch');
    const env = { ...process.env, PRE_COMMIT_HOME: path.join(scratch, 'cache'), PRE_COMMIT_COLOR: 'never' };

    const report = run('pre-commit', ['run', 'parallelize', '--all-files'], repo, env, 540_000);
    assert.equal(report.status, 1, `the finding fails the hook: ${show(report)}`);
    assert.match(report.stdout, /derive\.py:12:5: PAR101 /, show(report));

    const fix = run('pre-commit', ['run', '--hook-stage', 'manual', 'parallelize-fix', '--all-files'], repo, env);
    assert.equal(fix.status, 1, `pre-commit fails a hook that modified files: ${show(fix)}`);
    assert.match(fs.readFileSync(path.join(repo, 'derive.py'), 'utf8'), /with ProcessPoolExecutor\(\) as executor:/);

    const again = run('pre-commit', ['run', 'parallelize', '--all-files'], repo, env);
    assert.equal(again.status, 0, `nothing left to report: ${show(again)}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
