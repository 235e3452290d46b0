// Neovim (headless, its built-in LSP client) runs `node dist/server.js --stdio` as any LSP editor would:
// diagnostics published and held by vim.diagnostic, hover, and the process-pool code action applied by
// vim.lsp.util.apply_workspace_edit giving exactly the engine's rewrite. test/e2e/neovim/check.lua drives it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, tempDir } from '../support/harness';
import { Phases, PROCESS_POOL_FIX, toolsPresent, which, workspaceExpectations } from '../support/editors';

interface NeovimReport {
  error?: string;
  diagnostics: Array<{ code: string; line: number; source: string }>;
  neovim_diagnostics: Array<{ lnum: number; message: string; source: string }>;
  hover: string;
  action_titles: string[];
  text: string;
  diagnostics_after_fix: Array<{ code: string; line: number }>;
}

test('Neovim: diagnostics, hover and the ProcessPoolExecutor fix through its LSP client', { timeout: 240_000 }, async (t) => {
  const nvim = which('nvim');
  const server = path.join(REPO, 'dist', 'server.js');
  if (!toolsPresent(t, { nvim, 'dist/server.js (npm run build)': server })) return;
  const phases = new Phases();
  const expected = await workspaceExpectations();
  const dir = tempDir('parallelize-nvim-');
  const file = path.join(dir, path.basename(expected.file));
  fs.writeFileSync(file, expected.original);
  const resultFile = path.join(dir, 'result.json');
  const lua = path.join(REPO, 'test', 'e2e', 'neovim');
  const run = spawnSync(nvim!, ['--headless', '--clean', '-n', '-u', path.join(lua, 'init.lua'), '-c', `luafile ${path.join(lua, 'check.lua')}`, file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PARALLELIZE_SERVER: server, PARALLELIZE_NODE: process.execPath, PARALLELIZE_RESULT: resultFile, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  phases.mark('neovim run');
  assert.ok(fs.existsSync(resultFile), `Neovim wrote no result (status ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as NeovimReport;
  assert.equal(report.error, undefined, `check.lua failed: ${report.error}`);

  assert.deepEqual(report.diagnostics, [{ code: 'PAR101', line: expected.loopLine, source: 'parallelize' }]);
  assert.deepEqual(
    report.neovim_diagnostics.map((d) => [d.lnum, d.source]),
    [[expected.loopLine, 'parallelize']],
    'vim.diagnostic holds the published diagnostic',
  );
  assert.match(report.hover, /PAR101/);
  assert.match(report.hover, /GIL/, 'the hover names the GIL');
  assert.match(report.hover, /pickl/i, 'the hover names pickling');
  assert.ok(report.action_titles.some((title) => title.startsWith(PROCESS_POOL_FIX)), `code actions: ${report.action_titles.join(' | ')}`);
  assert.equal(report.text, expected.fixed, 'apply_workspace_edit gives the engine\'s rewrite');
  assert.ok(!report.diagnostics_after_fix.some((d) => d.code === 'PAR101'), 'PAR101 is gone once the fix is applied');
  t.diagnostic(phases.toString());
});
