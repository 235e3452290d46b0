// One configuration schema: defaults, `[tool.parallelize]` in the nearest pyproject.toml, editor settings on
// top (only where the user set them). Invalid values are reported and replaced by defaults.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LINT_CONFIG, type LintConfig } from './lintConfig';
import { RULES } from './rules/catalog';

// smol-toml ships only as an ES module; Node 20 loads it with require() and esbuild bundles it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml } = require('smol-toml') as typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });

export interface ProjectConfig extends LintConfig {
  /** Glob → codes ignored in matching files. */
  perFileIgnores: Record<string, string[]>;
  /** Globs (relative to the project root) of files and folders `check` skips. */
  exclude: string[];
  /** Report the loop rules in test files too (see `isTestFile`); off by default: only the risk rules that are bugs run there. */
  includeTests: boolean;
  /** Where the values came from, for messages. */
  source?: string;
}

export interface ConfigResult {
  config: ProjectConfig;
  errors: string[];
}

export const DEFAULT_CONFIG: ProjectConfig = { ...DEFAULT_LINT_CONFIG, perFileIgnores: {}, exclude: [], includeTests: false };

/** Raw keys as written in pyproject (kebab-case) or editor settings (camelCase). */
export interface RawConfig {
  select?: unknown;
  ignore?: unknown;
  'min-iterations'?: unknown;
  minIterations?: unknown;
  'target-version'?: unknown;
  targetVersion?: unknown;
  'min-speedup'?: unknown;
  minSpeedup?: unknown;
  'target-cores'?: unknown;
  targetCores?: unknown;
  'per-file-ignores'?: unknown;
  exclude?: unknown;
  'include-tests'?: unknown;
  includeTests?: unknown;
}

function codeList(value: unknown, key: string, errors: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    errors.push(`\`${key}\` must be a list of rule codes`);
    return undefined;
  }
  const bad = value.filter((v) => v !== 'ALL' && !RULES.some((r) => r.code.startsWith(v.toUpperCase())));
  if (bad.length > 0) errors.push(`\`${key}\` names unknown rule codes: ${bad.join(', ')}`);
  return value.filter((v) => !bad.includes(v)).map((v) => v.toUpperCase());
}

export function parseTargetVersion(value: string): [number, number] | undefined {
  const m = /^(?:py)?3\.?(\d{1,2})$/.exec(value.trim());
  return m ? [3, Number(m[1])] : undefined;
}

/** Merges `raw` over `base`, validating each key. */
export function mergeConfig(base: ProjectConfig, raw: RawConfig, origin: string): ConfigResult {
  const errors: string[] = [];
  const config: ProjectConfig = { ...base, perFileIgnores: { ...base.perFileIgnores } };
  const select = codeList(raw.select, 'select', errors);
  if (select) config.select = select;
  const ignore = codeList(raw.ignore, 'ignore', errors);
  if (ignore) config.ignore = ignore;
  const min = raw['min-iterations'] ?? raw.minIterations;
  if (min !== undefined && min !== null) {
    if (typeof min === 'number' && Number.isInteger(min) && min >= 0) config.minIterations = min;
    else errors.push('`min-iterations` must be a whole number ≥ 0');
  }
  const speedup = raw['min-speedup'] ?? raw.minSpeedup;
  if (speedup !== undefined && speedup !== null) {
    if (typeof speedup === 'number' && Number.isFinite(speedup) && speedup >= 0) config.minSpeedup = speedup;
    else errors.push('`min-speedup` must be a number ≥ 0 (e.g. 1.3)');
  }
  const cores = raw['target-cores'] ?? raw.targetCores;
  if (cores !== undefined && cores !== null) {
    if (typeof cores === 'number' && Number.isInteger(cores) && cores >= 1 && cores <= 1024) config.targetCores = cores;
    else errors.push('`target-cores` must be a whole number from 1 to 1024');
  }
  const target = raw['target-version'] ?? raw.targetVersion;
  if (target !== undefined && target !== null && target !== '') {
    const parsed = typeof target === 'string' ? parseTargetVersion(target) : undefined;
    if (parsed) config.targetVersion = parsed;
    else errors.push('`target-version` must look like "py311" or "3.11"');
  }
  if (raw.exclude !== undefined && raw.exclude !== null) {
    if (Array.isArray(raw.exclude) && raw.exclude.every((g) => typeof g === 'string')) config.exclude = raw.exclude as string[];
    else errors.push('`exclude` must be a list of globs');
  }
  const tests = raw['include-tests'] ?? raw.includeTests;
  if (tests !== undefined && tests !== null) {
    if (typeof tests === 'boolean') config.includeTests = tests;
    else errors.push('`include-tests` must be true or false');
  }
  const pfi = raw['per-file-ignores'];
  if (pfi !== undefined && pfi !== null) {
    if (typeof pfi !== 'object' || Array.isArray(pfi)) errors.push('`per-file-ignores` must be a table of glob = [codes]');
    else {
      for (const [glob, codes] of Object.entries(pfi as Record<string, unknown>)) {
        const list = codeList(codes, `per-file-ignores."${glob}"`, errors);
        if (list) config.perFileIgnores[glob] = list;
      }
    }
  }
  return { config, errors: errors.map((e) => `${origin}: ${e}`) };
}

/** The nearest folder at or above `start` (a file or directory) for which `holds` is true, or null. */
function nearestFolder(start: string, holds: (dir: string) => boolean): string | null {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    if (holds(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The nearest pyproject.toml at or above `start` (a file or directory), or null. */
export function findPyproject(start: string): string | null {
  const dir = nearestFolder(start, (d) => fs.existsSync(path.join(d, 'pyproject.toml')));
  return dir ? path.join(dir, 'pyproject.toml') : null;
}

/** Reads `[tool.parallelize]`; a broken file gives one clear error and the defaults. */
export function loadPyproject(file: string, base: ProjectConfig = DEFAULT_CONFIG): ConfigResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { config: base, errors: [`${file}: cannot read: ${(e as Error).message}`] };
  }
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0];
    return { config: base, errors: [`${file}: invalid TOML (${first}); using the default settings`] };
  }
  // the oldest Python the project supports (`[project] requires-python = ">=3.8"`) is the target unless
  // `[tool.parallelize]` says otherwise, as Ruff infers its own: a fix must run on every version the project runs on
  const declared =
    requiresPython((data.project as Record<string, unknown> | undefined)?.['requires-python']) ?? setupPythonFloor(path.dirname(file));
  const projectBase: ProjectConfig = declared ? { ...base, targetVersion: declared } : base;
  const tool = (data.tool as Record<string, unknown> | undefined)?.parallelize;
  if (tool === undefined) return { config: { ...projectBase, source: file }, errors: [] };
  if (typeof tool !== 'object' || tool === null) return { config: base, errors: [`${file}: [tool.parallelize] must be a table`] };
  const result = mergeConfig(projectBase, tool as RawConfig, `${file} [tool.parallelize]`);
  result.config.source = file;
  return result;
}

/**
 * `python_requires` as a setuptools project declares it beside its pyproject (or without one): `[options]` of
 * setup.cfg, or a literal `python_requires=">=3.6"` in setup.py (read as text, never run).
 */
export function setupPythonFloor(dir: string): [number, number] | undefined {
  const read = (name: string): string | undefined => {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const cfg = read('setup.cfg');
  const fromCfg = cfg && /^\s*python_requires\s*=\s*(.+)$/m.exec(cfg);
  if (fromCfg) return requiresPython(fromCfg[1]);
  const setup = read('setup.py');
  const fromSetup = setup && /\bpython_requires\s*=\s*(?:[rRuU]?)(["'])([^"'\n]*)\1/.exec(setup);
  return fromSetup ? requiresPython(fromSetup[2]) : undefined;
}

/**
 * The project's configuration for `start` (a file or folder): the nearest pyproject.toml, or, where there is none,
 * the defaults with the target version a setup.py or setup.cfg in the nearest folder holding one declares.
 */
export function loadProjectConfig(start: string): ConfigResult & { pyproject: string | null } {
  const pyproject = findPyproject(start);
  if (pyproject) return { ...loadPyproject(pyproject), pyproject };
  const setup = nearestFolder(start, (d) => fs.existsSync(path.join(d, 'setup.py')) || fs.existsSync(path.join(d, 'setup.cfg')));
  const floor = setup ? setupPythonFloor(setup) : undefined;
  return { config: floor ? { ...DEFAULT_CONFIG, targetVersion: floor } : DEFAULT_CONFIG, errors: [], pyproject: null };
}

/**
 * The lowest Python 3 version a `requires-python` specifier allows (`>=3.8`, `~=3.10`, `>=3.7,<4`, `==3.11.*`,
 * `>3.8` as 3.9), or undefined when it gives no lower bound.
 */
export function requiresPython(spec: unknown): [number, number] | undefined {
  if (typeof spec !== 'string') return undefined;
  let lowest: number | undefined;
  for (const clause of spec.split(',')) {
    const m = /^\s*(>=|~=|==|>)\s*3\.(\d+)/.exec(clause);
    if (!m) continue;
    const minor = Number(m[2]) + (m[1] === '>' && !/^\s*>\s*3\.\d+\.\d/.test(clause) ? 1 : 0);
    lowest = lowest === undefined ? minor : Math.max(lowest, minor);
  }
  return lowest === undefined ? undefined : [3, lowest];
}

/** Converts a glob (`*`, `**`, `?`) to a regular expression over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        // `**/` is any number of whole folders, none included (`**/.*` is a dotfile in any folder, not every name
        // with a dot: round 34 skipped a project's every file); `**` elsewhere is anything
        if (glob[i + 1] === '/') {
          re += '(?:.*/)?';
          i++;
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The rules not run in test files unless `include-tests` is set: all but the risks of code already parallel (PAR4xx)
 * that are bugs there too (a lambda sent to processes, a missing guard, a race, a pool never closed, a lost error).
 * Threads on CPU-bound work (PAR401) and an unbounded pool (PAR406) are about speed: a test that starts threads
 * does so to test concurrency (a `Barrier` of 16 threads surfacing races), not to be fast.
 */
const NOT_IN_TESTS = RULES.map((r) => r.code).filter((code) => !code.startsWith('PAR4') || code === 'PAR401' || code === 'PAR406');

/**
 * File names of tests and their fixtures (pytest's `test_*.py` / `*_test.py`, `conftest.py`, Django's `tests.py`)
 * and of benchmarks (`bench_*.py`, `benchmark_*.py`, `*_benchmark.py`).
 */
const TEST_FILE_NAME = /^(test_.*|.*_test|conftest|tests|bench|benchmarks?|bench_.*|benchmarks?_.*|.*_bench|.*_benchmarks?)\.pyi?$/;
/** Folders that hold a test suite or benchmarks. */
const TEST_FOLDER = /^(tests?|testing|bench|benchmarks?)$/;

/**
 * A test or benchmark file: named as pytest, Django or benchmark suites name them, or inside a `test`/`tests`/
 * `testing`/`benchmarks` folder below the project root. A test runs over the few items it sets up, in an order it
 * may rely on, and a suite is parallelised by its runner (pytest-xdist), not loop by loop; a benchmark measures the
 * sequential code, and running its cases at once changes what it measures. The loop rules are not reported there by
 * default.
 */
export function isTestFile(relative: string): boolean {
  const parts = relative.split('/').filter((p) => p !== '' && p !== '.');
  const start = parts.lastIndexOf('..') + 1;
  const name = parts[parts.length - 1] ?? '';
  return TEST_FILE_NAME.test(name) || parts.slice(start, -1).some((p) => TEST_FOLDER.test(p));
}

/**
 * The config for one file: per-file-ignores (relative to the pyproject's folder) added to `ignore`, and in a test
 * file every rule but the risk rules (unless `include-tests`).
 */
export function configForFile(config: ProjectConfig, file: string): LintConfig {
  if (Object.keys(config.perFileIgnores).length === 0 && config.includeTests) return config;
  const root = config.source ? path.dirname(config.source) : process.cwd();
  const relative = path.relative(root, path.resolve(file)).split(path.sep).join('/');
  const extra = Object.entries(config.perFileIgnores)
    .filter(([glob]) => globToRegExp(glob).test(relative) || globToRegExp(glob).test(path.basename(file)))
    .flatMap(([, codes]) => codes);
  if (!config.includeTests && isTestFile(relative)) extra.push(...NOT_IN_TESTS);
  return extra.length > 0 ? { ...config, ignore: [...config.ignore, ...extra] } : config;
}
