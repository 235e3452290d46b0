// The extension in a real VS Code workbench: the packaged .vsix installed into code-server, driven in
// Chromium like a user — open a file, see the squiggle, hover it, Ctrl+. and apply the process-pool fix —
// with screenshots of each step in test/e2e/screenshots/. Every wait is on a condition, bounded; the
// browser and code-server (its whole process group) are ended in `finally`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO, tempDir } from '../support/harness';
import { CODE_SERVER, freePort, NODE24, packageVsix, Phases, PROCESS_POOL_FIX, SCREENSHOTS, toolsPresent, waitFor, which, workspaceExpectations } from '../support/editors';

const EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';
const SQUIGGLE = `${EDITOR} .squiggly-info, ${EDITOR} .squiggly-warning, ${EDITOR} .squiggly-error`;
/** The hover screenshots in the README: the top of the window, where the file and its hover are. */
const HOVER_CLIP = { x: 0, y: 0, width: 1280, height: 720 };
const SLOW = 120_000; // the first page load compiles nothing but still fetches ~20 MB of workbench on 2 busy cores

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'editor.hover.above': false, // below the loop there is room for the whole explanation
};

/** The active editor's text as Monaco renders it (lines ordered by position, U+00A0 back to spaces). */
function editorText(page: Page): Promise<string> {
  return page.locator(`${EDITOR} .view-lines .view-line`).evaluateAll((lines: Array<{ style: { top: string }; textContent: string | null }>) =>
    lines
      .map((line) => [parseFloat(line.style.top), (line.textContent ?? '').replace(/\u00a0/g, ' ')] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text)
      .join('\n'),
  );
}

async function innerText(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  return (await element.count()) > 0 && (await element.isVisible()) ? element.innerText() : '';
}

test('VS Code (code-server in Chromium): squiggle, hover and the ProcessPoolExecutor quick fix from the packaged .vsix', { timeout: 600_000 }, async (t) => {
  const browser = which('chromium');
  if (!toolsPresent(t, { chromium: browser, 'Node 24': NODE24, 'code-server': CODE_SERVER, 'dist/ (npm run build)': path.join(REPO, 'dist', 'extension.js') })) return;
  // loaded only here: a machine without the editors never needs it
  const { chromium } = await import('playwright-core');
  const phases = new Phases();
  const expected = await workspaceExpectations();

  const vsix = packageVsix();
  phases.mark('package .vsix');

  const scratch = tempDir('parallelize-code-server-');
  const dirs = Object.fromEntries(['home', 'user', 'extensions', 'workspace', 'browser'].map((d) => [d, path.join(scratch, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.user, 'User'));
  fs.writeFileSync(path.join(dirs.user, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const file = path.join(dirs.workspace, path.basename(expected.file));
  fs.writeFileSync(file, expected.original);
  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
  };
  const common = ['--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions];

  const install = spawnSync(NODE24, [CODE_SERVER, ...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: SLOW });
  assert.equal(install.status, 0, `--install-extension failed:\n${install.stdout}\n${install.stderr}`);
  // what .vscodeignore let into the package is what got installed: the bundles, never sources or node_modules
  const installed = fs.readdirSync(dirs.extensions).find((d) => d.startsWith('python-parallelize.python-parallelize-'));
  assert.ok(installed, `extension folder in ${fs.readdirSync(dirs.extensions).join(', ')}`);
  const shipped = fs.readdirSync(path.join(dirs.extensions, installed));
  for (const absent of ['node_modules', 'client', 'server', 'test', 'out']) assert.ok(!shipped.includes(absent), `${absent}/ is not shipped: ${shipped.join(', ')}`);
  for (const bundle of ['extension.js', 'server.js', 'tree-sitter-python.wasm', 'web-tree-sitter.wasm']) {
    assert.ok(fs.existsSync(path.join(dirs.extensions, installed, 'dist', bundle)), `dist/${bundle} is shipped`);
  }
  phases.mark('install');

  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let log = '';
  try {
    const port = await freePort();
    server = spawn(
      NODE24,
      [CODE_SERVER, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', dirs.workspace],
      { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    await waitFor('code-server to listen', () => {
      if (server!.exitCode !== null) throw new Error(`code-server exited (${server!.exitCode}):\n${log}`);
      return log.includes('HTTP server listening');
    }, SLOW);

    context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: browser,
      headless: true,
      // tall enough for the whole rewritten file above the Problems panel (Monaco renders only the lines in view)
      viewport: { width: 1280, height: 1200 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(SLOW);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
    await page.locator('.monaco-workbench .explorer-folders-view').first().waitFor();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').first().waitFor();
    await page.keyboard.type(path.basename(file));
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(file) }).first().waitFor();
    await page.keyboard.press('Enter');
    await waitFor('the file in the editor', async () => (await editorText(page)).includes('def derive_keys'), SLOW);
    phases.mark('start (code-server, workbench, file open)');

    const squiggle = page.locator(SQUIGGLE).first();
    await squiggle.waitFor();
    phases.mark('first squiggle');

    const box = (await squiggle.boundingBox())!;
    const onLoop = { x: box.x + Math.min(40, box.width / 2), y: box.y + box.height / 2 };
    await page.mouse.move(onLoop.x, onLoop.y);
    const hover = await waitFor('the hover', async () => {
      const text = await innerText(page, '.monaco-hover');
      return /PAR101/.test(text) && /GIL/.test(text) && /pickl/i.test(text) ? text : undefined;
    }, SLOW).catch(async (e: Error) => {
      throw new Error(`${e.message}; the hover shows: ${await innerText(page, '.monaco-hover')}`);
    });
    assert.match(hover, /Estimate: ≈ [\d.]+ ms per item × 16 items → about [\d.]+× on 4 cores/, 'the estimate leads the hover, on the default 4 target cores (VS Code\'s unset numbers reach the server as null, not 0)');
    // a hover a person reads: the fix is in view without scrolling, and the evidence follows it
    assert.ok(hover.indexOf('Fix (safe)') < hover.indexOf('Evidence:'), hover);
    const hoverBox = (await page.locator('.monaco-hover').first().boundingBox())!;
    const fixLine = (await page.locator('.monaco-hover strong', { hasText: /^Fix$/ }).first().boundingBox())!;
    assert.ok(fixLine.y > hoverBox.y && fixLine.y + fixLine.height <= hoverBox.y + hoverBox.height, `the fix line is in the hover's box: ${JSON.stringify({ fixLine, hoverBox })}`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hover.png'), clip: HOVER_CLIP });
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');
    await waitFor('the hover to close', async () => (await innerText(page, '.monaco-hover')) === '', 10_000).catch(() => undefined);

    // the hash chain's loop is not reported; its hover says why in a few lines
    const chainFor = page.locator(`${EDITOR} .view-line`, { hasText: 'for _ in range(rounds):' }).locator('span span', { hasText: /^for$/ }).first();
    const forBox = (await chainFor.boundingBox())!;
    await page.mouse.move(forBox.x + forBox.width / 2, forBox.y + forBox.height / 2, { steps: 4 });
    const rejected = await waitFor('the rejected loop\'s hover', async () => {
      const text = await innerText(page, '.monaco-hover');
      return /Not parallelizable/.test(text) && /Remedy/.test(text) ? text : undefined;
    }, SLOW).catch(async (e: Error) => {
      throw new Error(`${e.message}; the hover shows: ${await innerText(page, '.monaco-hover')}`);
    });
    assert.match(rejected, /loop-carried dependency/);
    assert.match(rejected, /digest is written at line 20 and read at line 20 of the next iteration/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hover-rejected.png'), clip: HOVER_CLIP });
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');

    // "Show documentation for PAR101" opens the bundled rule page rendered, in the Markdown preview
    const docs = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Show documentation for PAR101' }).first();
    await waitFor('"Show documentation for PAR101" in the quick-fix menu', async () => {
      if (await docs.isVisible()) return true;
      // the menu opens for the cursor's line: (re)place the cursor on the loop and ask again
      await page.keyboard.press('Escape');
      await page.mouse.click(onLoop.x, onLoop.y);
      await page.keyboard.press('Control+Period');
      return docs.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    }, SLOW, 500).catch(async (e: Error) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'failed-documentation.png') });
      throw new Error(`${e.message}; the quick-fix menu shows: ${await innerText(page, '.action-widget')}`);
    });
    await docs.click();
    await page.locator('.tabs-container .tab', { hasText: 'Preview PAR101.md' }).first().waitFor();
    phases.mark('documentation preview');
    // back to the file
    await page.locator('.tabs-container .tab', { hasText: path.basename(file) }).first().click();
    await waitFor('the file in the editor again', async () => (await editorText(page)).includes('def derive_keys'), SLOW);

    await page.keyboard.press('Control+Shift+M');
    await waitFor('PAR101 in the Problems panel', async () => (await innerText(page, '.markers-panel')).includes('PAR101'), SLOW);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'squiggle.png') });

    await page.mouse.click(onLoop.x, onLoop.y);
    await page.keyboard.press('Control+Period');
    const fix = page.locator('.action-widget .monaco-list-row.action', { hasText: PROCESS_POOL_FIX }).first();
    await fix.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quick-fix.png') });
    await fix.click();

    const want = expected.fixed; // its last line is empty: Monaco renders it too
    await waitFor('the rewrite in the editor', async () => (await editorText(page)) === want, SLOW).catch(async (e: Error) => {
      throw new Error(`${e.message}; the editor shows:\n${await editorText(page)}\n--- expected:\n${want}`);
    });
    phases.mark('fix applied');
    await waitFor('PAR101 gone from the Problems panel', async () => !(await innerText(page, '.markers-panel')).includes('PAR101'), SLOW);
  } finally {
    await context?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null) {
      // code-server's children (extension host, our language server) share its process group
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      const timer = setTimeout(() => {
        try {
          process.kill(-server!.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
  t.diagnostic(phases.toString());
  console.log(`code-server e2e phases: ${phases.toString()}`);
});
