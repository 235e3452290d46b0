// `npm run bench [-- PATH] [--limit N] [--jobs N] [--edits N] [--open N] [--edit-budget S] [--server-only]`:
// prints figures, asserts nothing. Over one file list (the files `check PATH` visits; default: the stdlib of
// the python3 on PATH, else examples/): parse-only time and lint time (parse + analysis) on one thread in
// process, interleaved file by file, wall and CPU time; `dist/cli.js check` end to end with --jobs 1 and
// --jobs N (--no-cache); ruff-wasm's PERF rules over the same files (passes until its time is steady before the
// N-thread check, one more after it), the ratios, and the bound parsing alone puts on the comparison; ruff-wasm
// once more in a fresh process of its own; `check --jobs N` through the result cache, cold (an empty cache
// folder) then warm over the unchanged files, with their ratio. Then, through
// the real server over stdio (`node dist/server.js --stdio`): time to answer initialize (several spawns),
// didChange → publishDiagnostics latency for one-character edits in a generated 5,000-line file (at most
// --edit-budget seconds of edits, default 40), bursts of keystrokes, the server's CPU time, and its RSS after
// opening --open files (default 200) from the list and after closing them.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as v8 from 'node:v8';
import { readSource } from '../server/src/checkFiles';
import { DocumentStore } from '../server/src/documents';
import { collectPythonFiles } from '../server/src/files';
import { applyFinding, DEFAULT_LINT_CONFIG, lint, MAX_ANALYSED_CHARS } from '../server/src/linter';
import { createParser, type Parser, parseSyntax, parseText } from '../server/src/parser';

// Wasm in this process (web-tree-sitter, ruff-wasm) compiled by the optimising tier as each function is first
// used, rather than first by the baseline tier and later, in the background, when it gets hot: ruff's large
// module otherwise needs several passes over the stdlib to reach its speed, and how many depends on how much
// CPU the background compiler gets (measured: a first pass 8–15× a warm one). `check` and the server run in
// their own processes, as users run them.
v8.setFlagsFromString('--no-liftoff');

const REPO = path.resolve(__dirname, '..', '..');
const SERVER = path.join(REPO, 'dist', 'server.js');
const CLI = path.join(REPO, 'dist', 'cli.js');
const WARMUP_EVERY = 20; // warm the JIT / wasm tiers on every 20th file before each timed in-process pass
const READY_SPAWNS = 5;

// ---------------------------------------------------------------------------------------------- options

interface Options {
  root: string;
  rootOrigin: string;
  limit: number | null;
  jobs: number;
  edits: number;
  open: number;
  editBudgetMs: number;
  serverOnly: boolean;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: node out/scripts/bench.js [PATH] [--limit N] [--jobs N] [--edits N] [--open N] [--edit-budget SECONDS] [--server-only]\n`);
  process.exit(2);
}

function parseOptions(argv: string[]): Options {
  let root: string | undefined;
  let serverOnly = false;
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--server-only') {
      serverOnly = true;
      continue;
    }
    const m = /^--(limit|jobs|edits|open|edit-budget)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined || !/^\d+$/.test(value)) usage(`--${m[1]} takes a number`);
      numbers[m[1]] = Number(value);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (root === undefined) root = a;
    else usage('only one PATH');
  }
  let rootOrigin = 'argument';
  if (root === undefined) {
    root = defaultRoot();
    rootOrigin = root === path.join(REPO, 'examples') ? 'examples/ (no python3 stdlib found)' : 'stdlib of python3 on PATH';
  }
  if (!fs.existsSync(root)) usage(`${root}: no such file or directory`);
  return {
    root: path.resolve(root),
    rootOrigin,
    limit: numbers.limit ?? null,
    jobs: Math.max(1, numbers.jobs ?? os.availableParallelism()),
    edits: numbers.edits ?? 300,
    open: numbers.open ?? 200,
    editBudgetMs: (numbers['edit-budget'] ?? 40) * 1000,
    serverOnly,
  };
}

function defaultRoot(): string {
  try {
    const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (stdlib && fs.statSync(stdlib).isDirectory()) return stdlib;
  } catch {
    // no python3, or it has no stdlib directory
  }
  return path.join(REPO, 'examples');
}

/** `limit` files spread evenly over the sorted list (deterministic), so a capped run stays representative. */
function spread<T>(items: T[], limit: number | null): T[] {
  if (limit === null || limit >= items.length) return items;
  const out: T[] = [];
  for (let i = 0; i < limit; i++) out.push(items[Math.floor((i * items.length) / limit)]);
  return out;
}

// ---------------------------------------------------------------------------------------------- helpers

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** CPU time (user + system, all threads of this process) spent while `run` runs, next to its wall time. */
async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await run();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const load = () => os.loadavg()[0].toFixed(2);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function stats(samples: number[]): { p50: number; p95: number; min: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

type Row = [string, string, string?];

function table(title: string, rows: Row[]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${title}`);
  console.log(`${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(20)}`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c ?? ''}`);
}

function verdict(ok: boolean, target: string): string {
  return `${ok ? 'meets' : 'MISSES'} target ${target}`;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message} (load ${load()})\n`);
}

// ---------------------------------------------------------------------------------------------- engine

interface Corpus {
  /** The directory the files were collected from (for display). */
  root: string;
  files: string[];
  texts: string[];
  lines: number;
  bytes: number;
  /** Unreadable, or over the size `check` analyses: left out of every figure. */
  skipped: number;
}

function loadCorpus(root: string, candidates: string[]): Corpus {
  const corpus: Corpus = { root, files: [], texts: [], lines: 0, bytes: 0, skipped: 0 };
  for (const f of candidates) {
    let text: string;
    try {
      text = readSource(f).replace(/\r\n/g, '\n');
    } catch {
      text = '';
    }
    if (text.length === 0 && fs.statSync(f, { throwIfNoEntry: false })?.size !== 0) corpus.skipped++;
    else if (text.length > MAX_ANALYSED_CHARS) corpus.skipped++;
    else {
      corpus.files.push(f);
      corpus.texts.push(text);
      corpus.bytes += Buffer.byteLength(text);
      corpus.lines += text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    }
  }
  return corpus;
}

interface Pass {
  wallMs: number;
  cpuMs: number;
}

interface LintTiming {
  parseMs: number;
  analysisMs: number;
  findings: number;
  error?: string;
}

/** Wall and CPU time (user + system, all threads of this process: V8's GC and compiler threads too) of `run`. */
function clocked<T>(run: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = run();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** Parse then lint one text, timing the two parts separately; never throws. */
function lintOne(parser: Parser, text: string): LintTiming {
  const t0 = performance.now();
  const tree = parseText(parser, text);
  const t1 = performance.now();
  try {
    const { findings } = lint(tree, text, DEFAULT_LINT_CONFIG);
    return { parseMs: t1 - t0, analysisMs: performance.now() - t1, findings: findings.length };
  } catch (e) {
    return { parseMs: t1 - t0, analysisMs: performance.now() - t1, findings: 0, error: (e as Error).message };
  } finally {
    tree.delete();
  }
}

interface EngineFigures {
  parseOnly: Pass;
  lint: Pass;
  inLintParseMs: number;
  inLintAnalysisMs: number;
  findings: number;
  errors: string[];
  slowest: Array<{ file: string; analysisMs: number; parseMs: number }>;
}

/**
 * Parse-only and lint of every file, interleaved file by file (parse-only of file i then its lint, the other
 * way round for the next file), so that a change of machine load while the passes run weighs on both alike;
 * each file's wall and CPU time are added up per pass.
 */
async function measureEngine(corpus: Corpus): Promise<EngineFigures> {
  const parser = await createParser();
  for (let i = 0; i < corpus.texts.length; i += WARMUP_EVERY) lintOne(parser, corpus.texts[i]);

  const parseOnly: Pass = { wallMs: 0, cpuMs: 0 };
  const lintPass: Pass = { wallMs: 0, cpuMs: 0 };
  const add = (pass: Pass, t: { wallMs: number; cpuMs: number }) => {
    pass.wallMs += t.wallMs;
    pass.cpuMs += t.cpuMs;
  };
  let inLintParseMs = 0;
  let inLintAnalysisMs = 0;
  let findings = 0;
  const errors: string[] = [];
  const perFile: Array<{ file: string; analysisMs: number; parseMs: number }> = [];
  for (let i = 0; i < corpus.texts.length; i++) {
    const text = corpus.texts[i];
    const parseFile = () => add(parseOnly, clocked(() => parseText(parser, text).delete()));
    const lintFile = () => {
      const t = clocked(() => lintOne(parser, text));
      add(lintPass, t);
      const r = t.value;
      inLintParseMs += r.parseMs;
      inLintAnalysisMs += r.analysisMs;
      findings += r.findings;
      if (r.error) errors.push(`${corpus.files[i]}: ${r.error}`);
      perFile.push({ file: corpus.files[i], analysisMs: r.analysisMs, parseMs: r.parseMs });
    };
    if (i % 2 === 0) {
      parseFile();
      lintFile();
    } else {
      lintFile();
      parseFile();
    }
  }
  parser.delete();
  const slowest = perFile.sort((a, b) => b.analysisMs - a.analysisMs).slice(0, 5);
  return { parseOnly, lint: lintPass, inLintParseMs, inLintAnalysisMs, findings, errors, slowest };
}

interface CheckRun {
  jobs: number;
  wallMs: number;
  /** User + system time of the whole process, all threads. */
  cpuMs: number | null;
  status: number | null;
  summary: string;
  load: string;
}

/** `dist/cli.js check` end to end (node start-up, reading, workers, printing) over the same file list. */
function measureCheck(opts: Options, corpus: Corpus, jobs: number): CheckRun {
  // the directory itself when the list is all of it (what a user types), else the explicit file list
  const targets = opts.limit === null && corpus.skipped === 0 ? [opts.root] : corpus.files;
  const cpuBefore = childrenCpuMs();
  const t0 = performance.now();
  // --no-cache: the analysis end to end, whatever a previous run left (the cache has its own figures, measureCache)
  const r = spawnSync(process.execPath, [CLI, 'check', ...targets, '--exit-zero', '--no-cache', '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t0;
  const lines = (r.stdout ?? '').trimEnd().split('\n');
  return {
    jobs,
    wallMs,
    cpuMs: cpuBefore === null ? null : childrenCpuMs()! - cpuBefore,
    status: r.status,
    summary: lines.find((l) => /^(Found|All checks)/.test(l)) ?? lines[lines.length - 1] ?? '',
    load: load(),
  };
}

interface CacheFigures {
  cold: CheckRun;
  warm: CheckRun[];
  /** Whether every warm run printed exactly what the cold one did. */
  identical: boolean;
}

const WARM_RUNS = 3;

/**
 * The result cache: `check --jobs N` into an empty cache folder (PARALLELIZE_CACHE_DIR, a temporary one), then
 * WARM_RUNS more over the unchanged files, each in a fresh process; all must print the same.
 */
function measureCache(opts: Options, corpus: Corpus): CacheFigures {
  const targets = opts.limit === null && corpus.skipped === 0 ? [opts.root] : corpus.files;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallelize-bench-cache-'));
  const env = { ...process.env, PARALLELIZE_CACHE_DIR: dir };
  const run = (): { figures: CheckRun; stdout: string } => {
    const cpuBefore = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'check', ...targets, '--exit-zero', '--jobs', String(opts.jobs)], { encoding: 'utf8', maxBuffer: 1 << 28, env });
    const wallMs = performance.now() - t0;
    const lines = (r.stdout ?? '').trimEnd().split('\n');
    const summary = lines.find((l) => /^(Found|All checks)/.test(l)) ?? lines[lines.length - 1] ?? '';
    return { figures: { jobs: opts.jobs, wallMs, cpuMs: cpuBefore === null ? null : childrenCpuMs()! - cpuBefore, status: r.status, summary, load: load() }, stdout: r.stdout ?? '' };
  };
  try {
    const cold = run();
    const warm = Array.from({ length: WARM_RUNS }, run);
    return { cold: cold.figures, warm: warm.map((w) => w.figures), identical: warm.every((w) => w.stdout === cold.stdout) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * ruff-wasm's PERF rules as a user would meet them: a fresh node process that loads ruff-wasm, reads and checks
 * every file once and exits (cold: V8 compiles ruff as it goes), timed end to end like `check`.
 */
function measureRuffProcess(corpus: Corpus): { wallMs: number; cpuMs: number | null; load: string; ok: boolean } {
  const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parallelize-bench-ruff-')), 'files.json');
  fs.writeFileSync(list, JSON.stringify(corpus.files));
  const script = `
    const fs = require('fs');
    const ruff = require(${JSON.stringify(require.resolve('@astral-sh/ruff-wasm-nodejs'))});
    const ws = new ruff.Workspace({ lint: { select: ['PERF'] } }, ruff.PositionEncoding.Utf16);
    let n = 0;
    for (const f of JSON.parse(fs.readFileSync(process.argv[1], 'utf8'))) {
      try { n += ws.check(fs.readFileSync(f).toString('utf8')).length; } catch {}
    }
    process.stdout.write(String(n));`;
  const cpuBefore = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script, list], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallMs = performance.now() - t0;
  fs.rmSync(path.dirname(list), { recursive: true, force: true });
  return { wallMs, cpuMs: cpuBefore === null ? null : childrenCpuMs()! - cpuBefore, load: load(), ok: r.status === 0 };
}

function cacheSection(opts: Options, cache: CacheFigures, ruffProcess: ReturnType<typeof measureRuffProcess>, coldNoCache: CheckRun | undefined): void {
  const cpu = (c: { cpuMs: number | null }) => (c.cpuMs === null ? '' : ` (cpu ${ms(c.cpuMs)})`);
  const warmWall = cache.warm.map((w) => w.wallMs).sort((a, b) => a - b);
  const median = warmWall[Math.floor(warmWall.length / 2)];
  const warmCpu = cache.warm.map((w) => w.cpuMs).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const medianCpu = warmCpu.length ? warmCpu[Math.floor(warmCpu.length / 2)] : null;
  const rows: Row[] = [
    [`check --jobs ${opts.jobs}, empty cache (cold, writes it)`, `${ms(cache.cold.wallMs)}${cpu(cache.cold)}`, `load ${cache.cold.load}; ${cache.cold.summary}`],
    ...cache.warm.map((w, i): Row => [`  warm run ${i + 1}, files unchanged`, `${ms(w.wallMs)}${cpu(w)}`, `load ${w.load}`]),
    ['warm (median)', ms(median), `${verdict(median <= 300, '≤ 300 ms')}${medianCpu !== null ? `; cpu ${ms(medianCpu)}` : ''}`],
    ['cold / warm (median)', `×${(cache.cold.wallMs / median).toFixed(1)}`, `${verdict(cache.cold.wallMs / median >= 20, '≥ 20×')}${medianCpu !== null && cache.cold.cpuMs !== null ? `; by cpu ×${(cache.cold.cpuMs / medianCpu).toFixed(1)}` : ''}`],
    ['warm output identical to cold', cache.identical ? 'yes' : 'NO', ''],
    ['ruff-wasm PERF in its own process (fresh node, reading every file once)', `${ms(ruffProcess.wallMs)}${cpu(ruffProcess)}`, `load ${ruffProcess.load}${ruffProcess.ok ? '' : '; FAILED'}`],
  ];
  if (coldNoCache) rows.push([`ratio check --jobs ${coldNoCache.jobs} --no-cache / ruff-wasm own process`, (coldNoCache.wallMs / ruffProcess.wallMs).toFixed(2), `${verdict(coldNoCache.wallMs <= 1.5 * ruffProcess.wallMs, '≤ 1.5')} (both fresh processes, cold)`]);
  table(`Result cache (PARALLELIZE_CACHE_DIR in a temporary folder) and the cold comparison with ruff-wasm as a process`, rows);
}

// ---------------------------------------------------------------------------------------------- fix confirmation

/**
 * `check` confirms each safe fix by performing it (checkFiles.lintSource): measured on fixtures with several
 * safe fixes, each repeated 1, 2, 4 and 8 times in one module (its functions renamed per copy). With a
 * confirmation that costs the size of the module per fix, the cost per copy grows with the copies.
 */
const CONFIRMATION_FIXTURES = ['examples/pipeline.py', 'test/fixtures/run/24_filters.py', 'test/fixtures/run/30_async_blocking_main.py'];
const CONFIRMATION_COPIES = [1, 2, 4, 8];
const CONFIRMATION_PASSES = 5;

interface ConfirmationRow {
  copies: number;
  lines: number;
  safeFixes: number;
  /** Parse + lint, CPU ms (median of CONFIRMATION_PASSES). */
  lintMs: number;
  /** Confirming every safe fix as checkFiles.lintSource does (the analysis done), CPU ms (median). */
  confirmMs: number;
}

/** `text` repeated `copies` times, the functions it defines at top level renamed in each copy. */
function repeatedModule(text: string, copies: number): string {
  const names = [...text.matchAll(/^(?:async )?def (\w+)/gm)].map((m) => m[1]);
  const copy = (k: number) => names.reduce((t, n) => t.replace(new RegExp(`\\b${n}\\b`, 'g'), `${n}_${k}`), text);
  return Array.from({ length: copies }, (_, k) => copy(k)).join('\n\n');
}

async function measureConfirmation(): Promise<Array<{ fixture: string; rows: ConfirmationRow[] }>> {
  const parser = await createParser();
  const cpuOf = (run: () => void): number => {
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    return CONFIRMATION_FIXTURES.map((fixture) => {
      const original = fs.readFileSync(path.join(REPO, fixture), 'utf8');
      const rows = CONFIRMATION_COPIES.map((copies): ConfirmationRow => {
        const text = repeatedModule(original, copies);
        const tree = parseSyntax(parser, text);
        try {
          const result = lint(tree, text, DEFAULT_LINT_CONFIG);
          const safe = result.findings.flatMap((finding) => finding.fixes.flatMap((fix, index) => (fix.applicability === 'safe' ? [{ finding, index }] : [])));
          // what checkFiles.lintSource does for each safe fix (the verdict only)
          const confirm = () => {
            for (const { finding, index } of safe) applyFinding(text, parser, result.analysis, finding, index, tree, true);
          };
          const lintOnly = () => {
            const again = parseSyntax(parser, text);
            lint(again, text, DEFAULT_LINT_CONFIG);
            again.delete();
          };
          confirm(); // warm-up
          const lints: number[] = [];
          const confirmed: number[] = [];
          for (let i = 0; i < CONFIRMATION_PASSES; i++) {
            lints.push(cpuOf(lintOnly));
            confirmed.push(cpuOf(confirm));
          }
          return { copies, lines: text.split('\n').length, safeFixes: safe.length, lintMs: median(lints), confirmMs: median(confirmed) };
        } finally {
          tree.delete();
        }
      });
      return { fixture, rows };
    });
  } finally {
    parser.delete();
  }
}

function confirmationSection(figures: Array<{ fixture: string; rows: ConfirmationRow[] }>, loadAt: string): void {
  const rows: Row[] = [];
  for (const { fixture, rows: byCopies } of figures) {
    const one = byCopies[0];
    for (const r of byCopies) {
      const perCopy = `×${(r.confirmMs / r.copies / one.confirmMs).toFixed(2)}`;
      rows.push([`${fixture} ×${r.copies} (${r.lines} lines, ${r.safeFixes} safe fixes)`, `${ms(r.confirmMs)}`, `per copy ${perCopy} of one copy's; parse + lint ${ms(r.lintMs)}`]);
    }
  }
  table(`Fix confirmation (each safe fix performed for its verdict while linting), cpu, median of ${CONFIRMATION_PASSES}, load ${loadAt} → ${load()}; per copy ×1.00 at every size: linear`, rows);
}

/** User + system time of the waited-for children of this process so far (Linux /proc; null elsewhere). */
function childrenCpuMs(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime (fields 16 and 17 of proc(5)) in clock ticks, 100 per second on Linux
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface RuffFigures extends Pass {
  version: string;
  diagnostics: number;
  errors: number;
  load: string;
  /** The first timed pass, when more followed (this one's figures are the last pass). */
  first: Pass | null;
  passes: number;
}

/** Passes of ruff-wasm until one costs within this fraction of the CPU time of the one before. */
const RUFF_STEADY = 0.1;
const RUFF_MAX_PASSES = 6;

/**
 * ruff-wasm with the PERF rules, one thread, reading each file as the CLI does. Even compiled by the
 * optimising tier only (--no-liftoff above), its first pass costs more (functions compiled on first use):
 * with `untilSteady`, passes repeat until one costs within 10 % of the CPU of the one before, and that warm
 * figure is the one compared; the first pass is printed too.
 */
async function measureRuff(corpus: Corpus, untilSteady: boolean): Promise<RuffFigures> {
  const ruff = require('@astral-sh/ruff-wasm-nodejs') as typeof import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ lint: { select: ['PERF'] } }, ruff.PositionEncoding.Utf16);
  const check = (text: string): number => {
    try {
      return (workspace.check(text) as Array<{ code: string | null }>).filter((d) => d.code?.startsWith('PERF')).length;
    } catch {
      return -1;
    }
  };
  for (let i = 0; i < corpus.texts.length; i += WARMUP_EVERY) check(corpus.texts[i]);
  let diagnostics = 0;
  let errors = 0;
  const pass = () =>
    timed(() => {
      diagnostics = 0;
      errors = 0;
      for (const file of corpus.files) {
        const n = check(readSource(file));
        if (n < 0) errors++;
        else diagnostics += n;
      }
    });
  const first = await pass();
  let run = first;
  let passes = 1;
  while (untilSteady && passes < RUFF_MAX_PASSES) {
    const next = await pass();
    passes++;
    const steady = next.cpuMs >= run.cpuMs * (1 - RUFF_STEADY);
    run = next;
    if (steady) break;
  }
  workspace.free();
  return {
    version: ruff.Workspace.version(),
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    diagnostics,
    errors,
    load: load(),
    first: passes > 1 ? { wallMs: first.wallMs, cpuMs: first.cpuMs } : null,
    passes,
  };
}

// ---------------------------------------------------------------------------------------------- LSP client

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

/** What the bench reads of a published diagnostic (and sends back in a code-action request). */
interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  data?: unknown;
}

class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly waiters = new Map<string, Array<{ version: number; resolve: (at: number) => void }>>();
  /** How many publishDiagnostics each document got (analyses run, for the burst figure). */
  readonly publishes = new Map<string, number>();
  readonly logErrors: string[] = [];
  readonly child: ChildProcess;

  /** The diagnostics last published for each document. */
  readonly latest = new Map<string, Diagnostic[]>();

  constructor(server: string) {
    this.child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.logErrors.push(chunk.toString()));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message, performance.now());
    }
  }

  private dispatch(m: Message, at: number): void {
    if (m.method !== undefined && m.id !== undefined) {
      this.write({ id: m.id, result: null }); // workspace/configuration, registerCapability, …
    } else if (m.method === 'textDocument/publishDiagnostics') {
      const { uri, version, diagnostics } = m.params as { uri: string; version?: number; diagnostics: Diagnostic[] };
      this.latest.set(uri, diagnostics);
      this.publishes.set(uri, (this.publishes.get(uri) ?? 0) + 1);
      const list = this.waiters.get(uri) ?? [];
      const still = list.filter((w) => {
        if (version === undefined || version >= w.version) {
          w.resolve(at);
          return false;
        }
        return true;
      });
      this.waiters.set(uri, still);
    } else if (m.method === 'window/logMessage' || m.method === 'window/showMessage') {
      const { type, message } = m.params as { type: number; message: string };
      if (type === 1) this.logErrors.push(message);
    } else if (m.id !== undefined) {
      this.pending.get(Number(m.id))?.(m);
      this.pending.delete(Number(m.id));
    }
  }

  private write(m: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    this.child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin!.write(body);
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  /** Resolves with the arrival time of the first publishDiagnostics for `uri` at `version` or later. */
  diagnostics(uri: string, version: number, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push({
        version,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
      this.waiters.set(uri, list);
    });
  }

  /** User + system time of the server process so far (Linux /proc; null elsewhere), 10 ms resolution. */
  cpuMs(): number | null {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime (fields 14 and 15 of proc(5)) in clock ticks, 100 per second on Linux
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return null;
    }
  }

  memory(): { rss: number; hwm: number } | null {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
    this.notify('exit', null);
    const timer = setTimeout(() => this.child.kill(), 3000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------- generated file

interface EditSite {
  line: number;
  character: number;
}

/** A module of many small functions with loops (some parallelizable, some not), about `targetLines` long. */
function generateModule(targetLines: number): { text: string; sites: EditSite[] } {
  const lines = [
    '"""Generated by scripts/bench.ts: many functions with loops, some parallelizable."""',
    'import hashlib',
    'import time',
    '',
    '',
    'def slow_hash(data):',
    '    return hashlib.sha256(data.encode()).hexdigest()',
    '',
  ];
  const sites: EditSite[] = [];
  // an edit site: the column just after the literal 3 or 2 (the edits type a digit there and delete it)
  const site = (code: string, character = code.length) => {
    sites.push({ line: lines.length, character });
    lines.push(code);
  };
  for (let k = 0; lines.length < targetLines - 60; k++) {
    // a counted loop (work the cost model can see): an uncounted `while` shows no work, and the file had no finding
    // for the hover and code-action figures to measure
    lines.push('', '', `def steps_${k}(n):`, '    steps = 0', '    for _ in range(20_000):', '        n = n // 2 if n % 2 == 0 else 3 * n + 1', '        steps += n % 7', '    return steps');
    lines.push('', '', `def derive_${k}(items):`, '    keys = []', '    for item in items:  # PAR101');
    site('        x = item * 3');
    lines.push(`        keys.append(steps_${k}(x))`, '    return keys');
    lines.push('', '', `def longest_${k}(numbers):`, '    total = 0', '    best = 0', '    for n in numbers:  # PAR102', `        s = steps_${k}(n)`, '        total += s', '        best = max(best, s)', '    return total, best');
    lines.push('', '', `def table_${k}(numbers):`, `    return [steps_${k}(n) for n in numbers]  # PAR103`);
    lines.push('', '', `def read_${k}(paths):`, '    out = []', '    for p in paths:  # PAR201', '        with open(p) as f:', '            out.append(f.read())', '    return out');
    lines.push('', '', `def balance_${k}(amounts):`, '    balance = 0', '    history = []', '    for amount in amounts:  # carried: not parallel');
    site('        balance += amount * 3');
    lines.push('        history.append(balance)', '    return history');
    lines.push('', '', `def digests_${k}(words):`, '    seen = {}', '    for w in words:');
    site('        seen[w] = slow_hash(w * 2)', '        seen[w] = slow_hash(w * 2'.length);
    lines.push('    time.sleep(0)', '    return seen');
  }
  while (lines.length < targetLines) lines.push('# padding');
  return { text: lines.join('\n') + '\n', sites };
}

interface Edit {
  line: number;
  character: number;
  insert: boolean;
}

/** Pairs of (insert '7', delete it) at sites taken in a stride across the file, so consecutive pairs are far apart. */
function planEdits(sites: EditSite[], count: number): Edit[] {
  const edits: Edit[] = [];
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  let stride = Math.max(1, Math.floor(sites.length / 7));
  while (sites.length > 1 && gcd(stride, sites.length) !== 1) stride++; // coprime: every site (and kind) is visited
  for (let i = 0; i < count; i++) {
    const s = sites[(Math.floor(i / 2) * stride) % sites.length];
    edits.push({ line: s.line, character: s.character, insert: i % 2 === 0 });
  }
  return edits;
}

function changeOf(e: Edit) {
  return e.insert
    ? { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character } }, text: '7' }
    : { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character + 1 } }, text: '' };
}

/** The same edits in-process (PythonDocument: incremental re-parse, then the incremental lint the server publishes), to split server latency. */
async function inProcessEdits(text: string, edits: Edit[], budgetMs: number): Promise<{ reparse: number[]; lint: number[]; fullLintMs: number; findings: number; units: number[]; totalUnits: number }> {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const doc = store.open('file:///bench/generated.py', 1, text);
  for (let i = 0; i < Math.min(20, edits.length); i++) {
    doc.update([changeOf(edits[i])], 2 + i);
    doc.publish(DEFAULT_LINT_CONFIG);
  }
  // re-open (the warm-up may have left an edit applied), then time a full lint and the edits
  const t = performance.now();
  const fresh = store.open('file:///bench/generated.py', 1, text);
  const findings = fresh.publish(DEFAULT_LINT_CONFIG).findings.length;
  const fullLintMs = performance.now() - t;
  const reparse: number[] = [];
  const lint: number[] = [];
  const units: number[] = [];
  let totalUnits = 0;
  const started = performance.now();
  for (let i = 0; i < edits.length && performance.now() - started < budgetMs; i++) {
    const t0 = performance.now();
    fresh.update([changeOf(edits[i])], 2 + i);
    void fresh.syntaxTree; // the incremental parse, otherwise done inside the first lint of the version
    const t1 = performance.now();
    const published = fresh.publish(DEFAULT_LINT_CONFIG); // what the server publishes: the incremental lint
    units.push(published.analysedUnits);
    totalUnits = published.totalUnits;
    reparse.push(t1 - t0);
    lint.push(performance.now() - t1);
  }
  store.close('file:///bench/generated.py');
  parser.delete();
  return { reparse, lint, fullLintMs, findings, units, totalUnits };
}

const REAL_FILES = 6;
const REAL_KEYSTROKES = 60;

interface RealFileEdits {
  file: string;
  lines: number;
  publish: number[];
  units: number[];
  totalUnits: number;
}

/**
 * Keystrokes in the largest files of the corpus, in process (incremental re-parse, then the incremental lint
 * the server publishes): a character typed at the start of a random indented line of code, then deleted.
 * Real modules link their units more than the generated one (helpers called from everywhere, pools and
 * their callables), so an edit re-analyses more.
 */
async function realFileEdits(corpus: Corpus): Promise<RealFileEdits[]> {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  // lines of code inside a block (a module that is one big literal, like pydoc's topics, has none)
  const sitesOf = (text: string) => text.split('\n').flatMap((line, i) => (/^ {4,}[A-Za-z_]/.test(line) ? [{ line: i, character: line.length - line.trimStart().length }] : []));
  const largest = corpus.texts
    .map((text, i) => ({ text, file: corpus.files[i], lines: text.split('\n').length }))
    .sort((a, b) => b.lines - a.lines)
    .slice(0, REAL_FILES * 4)
    .filter((f) => sitesOf(f.text).length >= 20)
    .slice(0, REAL_FILES);
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const results: RealFileEdits[] = [];
  for (const { text, file, lines } of largest) {
    const uri = 'file:///bench/real.py';
    const doc = store.open(uri, 1, text);
    doc.publish(DEFAULT_LINT_CONFIG);
    const sites = sitesOf(text);
    const result: RealFileEdits = { file: path.relative(corpus.root, file) || path.basename(file), lines, publish: [], units: [], totalUnits: 0 };
    let version = 1;
    for (let k = 0; k < REAL_KEYSTROKES; k++) {
      const { line, character } = sites[random(sites.length)];
      for (const change of [
        { range: { start: { line, character }, end: { line, character } }, text: 'x' },
        { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
      ]) {
        const t = performance.now();
        doc.update([change], ++version);
        const published = doc.publish(DEFAULT_LINT_CONFIG);
        result.publish.push(performance.now() - t);
        result.units.push(published.analysedUnits);
        result.totalUnits = published.totalUnits;
      }
    }
    store.close(uri);
    results.push(result);
  }
  parser.delete();
  return results;
}

interface Memory {
  rss: number;
  hwm: number;
}

interface LspFigures {
  ready: number[];
  /** Spawn → exit of `node -e 0`: the part of `ready` that is node's own start-up. */
  bareNode: number[];
  initializeRoundTripMs: number;
  openGeneratedMs: number;
  latencies: number[];
  bursts: { count: number; changes: number; publishes: number; lastToDiagnostics: number[] };
  /** Hover and code-action round trips right after an edit (AFTER_EDIT_REQUESTS of each). */
  hoverMs: number[];
  actionMs: number[];
  rssAfterInit: Memory | null;
  rssAfterEdits: Memory | null;
  rssAfterOpen: Memory | null;
  /** The same, after REST_MS without messages (the server collects garbage once idle: server/src/heap.ts). */
  rssAtRestOpen: Memory | null;
  rssAfterClose: Memory | null;
  rssAtRestClose: Memory | null;
  opened: number;
  openedBytes: number;
  openAllMs: number;
  /** Server CPU time spent on the edits (and bursts), and on opening the files. */
  editsCpuMs: number | null;
  openCpuMs: number | null;
  errors: string[];
}

/** Spawn → initialize answered (the grammar loaded: the server awaits it before answering). */
async function startServer(): Promise<{ client: LspClient; readyMs: number; roundTripMs: number }> {
  const spawned = performance.now();
  const client = new LspClient(SERVER);
  const sent = performance.now();
  const init = await client.request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  const answered = performance.now();
  if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
  client.notify('initialized', {});
  return { client, readyMs: answered - spawned, roundTripMs: answered - sent };
}

const BURSTS = 20;
const REST_MS = 2000;
const AFTER_EDIT_REQUESTS = 40;
const BURST_TEXT = 'abcde';

async function measureLsp(generated: string, edits: Edit[], sites: EditSite[], corpus: Corpus, openCount: number, budgetMs: number): Promise<LspFigures> {
  const bareNode: number[] = [];
  for (let i = 0; i < READY_SPAWNS; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bareNode.push(performance.now() - t);
  }
  const ready: number[] = [];
  for (let i = 0; i < READY_SPAWNS - 1; i++) {
    const s = await startServer();
    ready.push(s.readyMs);
    await s.client.stop();
  }
  const { client, readyMs, roundTripMs } = await startServer();
  ready.push(readyMs);
  await new Promise((r) => setTimeout(r, 100));
  const rssAfterInit = client.memory();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallelize-bench-'));
  const genFile = path.join(dir, 'generated.py');
  fs.writeFileSync(genFile, generated);
  const uri = pathToFileURL(genFile).toString();
  let t0 = performance.now();
  const opened = client.diagnostics(uri, 1);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: generated } });
  const openGeneratedMs = (await opened) - t0;

  let version = 1;
  const latencies: number[] = [];
  const cpuBeforeEdits = client.cpuMs();
  const editsStarted = performance.now();
  for (let i = 0; i < edits.length && performance.now() - editsStarted < budgetMs; i++) {
    version++;
    const published = client.diagnostics(uri, version);
    t0 = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [changeOf(edits[i])] });
    latencies.push((await published) - t0);
  }

  // bursts: a word typed then deleted, one character per didChange, all sent at once
  const publishesBefore = client.publishes.get(uri) ?? 0;
  const lastToDiagnostics: number[] = [];
  for (let b = 0; b < BURSTS; b++) {
    const site = sites[(b * 7) % sites.length];
    const at = (k: number) => ({ line: site.line, character: site.character + k });
    const changes = [
      ...[...BURST_TEXT].map((ch, k) => ({ range: { start: at(k), end: at(k) }, text: ch })),
      ...[...BURST_TEXT].map((_, k) => ({ range: { start: at(BURST_TEXT.length - k - 1), end: at(BURST_TEXT.length - k) }, text: '' })),
    ];
    for (const change of changes) client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
    t0 = performance.now();
    lastToDiagnostics.push((await client.diagnostics(uri, version)) - t0);
  }
  const bursts = { count: BURSTS, changes: BURSTS * BURST_TEXT.length * 2, publishes: (client.publishes.get(uri) ?? 0) - publishesBefore, lastToDiagnostics };
  const cpuAfterBursts = client.cpuMs();

  // after each edit, a hover and the code actions on a finding elsewhere in the file: they analyse its unit of
  // the latest version (the code actions also compute the rewrite of each fix, which parses the whole new text)
  const hoverMs: number[] = [];
  const actionMs: number[] = [];
  for (let i = 0; i < AFTER_EDIT_REQUESTS; i++) {
    version++;
    const published = client.diagnostics(uri, version);
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [changeOf(edits[i % edits.length])] });
    await published;
    const diagnostics = client.latest.get(uri) ?? [];
    if (diagnostics.length === 0) break;
    const d = diagnostics[(i * 37) % diagnostics.length];
    let t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position: d.range.start });
    hoverMs.push(performance.now() - t);
    t = performance.now();
    await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    actionMs.push(performance.now() - t);
  }
  const rssAfterEdits = client.memory();
  const cpuAfterEdits = client.cpuMs();

  const chosen = spread(
    corpus.files.map((f, i) => ({ f, text: corpus.texts[i] })),
    openCount,
  );
  t0 = performance.now();
  const all = chosen.map(({ f, text }) => {
    const u = pathToFileURL(f).toString();
    const p = client.diagnostics(u, 1, 120_000);
    client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'python', version: 1, text } });
    return p;
  });
  await Promise.all(all);
  const openAllMs = performance.now() - t0;
  const cpuAfterOpen = client.cpuMs();
  await new Promise((r) => setTimeout(r, 200));
  const rssAfterOpen = client.memory();
  await new Promise((r) => setTimeout(r, REST_MS - 200));
  const rssAtRestOpen = client.memory();
  for (const { f } of chosen) client.notify('textDocument/didClose', { textDocument: { uri: pathToFileURL(f).toString() } });
  await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }); // all closes handled
  await new Promise((r) => setTimeout(r, 200));
  const rssAfterClose = client.memory();
  await new Promise((r) => setTimeout(r, REST_MS - 200));
  const rssAtRestClose = client.memory();
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    ready,
    bareNode,
    initializeRoundTripMs: roundTripMs,
    openGeneratedMs,
    latencies,
    bursts,
    hoverMs,
    actionMs,
    rssAfterInit,
    rssAfterEdits,
    rssAfterOpen,
    rssAtRestOpen,
    rssAfterClose,
    rssAtRestClose,
    opened: chosen.length,
    openedBytes: chosen.reduce((n, c) => n + Buffer.byteLength(c.text), 0),
    openAllMs,
    editsCpuMs: cpuBeforeEdits === null || cpuAfterBursts === null ? null : cpuAfterBursts - cpuBeforeEdits,
    openCpuMs: cpuAfterEdits === null || cpuAfterOpen === null ? null : cpuAfterOpen - cpuAfterEdits,
    errors: client.logErrors,
  };
}

// ---------------------------------------------------------------------------------------------- main

function revision(): string {
  try {
    const head = execFileSync('git', ['log', '-1', '--format=%h %cd', '--date=format:%Y-%m-%d %H:%M'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown revision';
  }
}

function engineSection(opts: Options, corpus: Corpus, engine: EngineFigures, checks: CheckRun[], ruffs: RuffFigures[]): void {
  const lines = corpus.lines;
  const rate = (p: Pass) => `${Math.round(lines / (p.wallMs / 1000)).toLocaleString('en-US')} lines/s`;
  const both = (p: Pass) => `${ms(p.wallMs)} (cpu ${ms(p.cpuMs)})`;
  const analysis: Pass = { wallMs: engine.lint.wallMs - engine.parseOnly.wallMs, cpuMs: engine.lint.cpuMs - engine.parseOnly.cpuMs };
  const ruffMs = ruffs.reduce((n, r) => n + r.wallMs, 0) / ruffs.length;
  const ruffCpuMs = ruffs.reduce((n, r) => n + r.cpuMs, 0) / ruffs.length;
  const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)} %`;
  const rows: Row[] = [
    ['files', `${corpus.files.length}`, corpus.skipped ? `${corpus.skipped} unreadable or over ${MAX_ANALYSED_CHARS / 1e6} MB, left out` : ''],
    ['lines', lines.toLocaleString('en-US'), mb(corpus.bytes)],
    ['parse only, 1 thread, in process', both(engine.parseOnly), `${rate(engine.parseOnly)}; interleaved with the lint pass, file by file`],
    ['lint (parse + analysis), 1 thread, in process', both(engine.lint), `${rate(engine.lint)}; ${engine.findings} findings`],
    [
      'analysis = lint − parse only',
      both(analysis),
      `${pct(analysis.cpuMs, engine.parseOnly.cpuMs)} of parse by cpu (${pct(analysis.wallMs, engine.parseOnly.wallMs)} by wall) — ${verdict(analysis.cpuMs <= 0.3 * engine.parseOnly.cpuMs, '≤ 30 % (cpu)')}`,
    ],
    ['  split timed per file inside the lint pass', `${ms(engine.inLintParseMs)} + ${ms(engine.inLintAnalysisMs)}`, 'parse + analysis'],
  ];
  ruffs.forEach((r, i) => {
    const what = `${r.diagnostics} PERF diagnostics${r.errors ? `, ${r.errors} files threw` : ''}`;
    if (r.first) rows.push([`ruff-wasm ${r.version} PERF, 1 thread, reading files: first pass`, both(r.first), `${rate(r.first)}; cold: V8 compiles ruff's functions as they are first used`]);
    const label = i === 0 ? `  warm: pass ${r.passes}${r.passes < RUFF_MAX_PASSES ? `, within ${RUFF_STEADY * 100} % of the one before` : ''}` : '  warm, again after check';
    rows.push([label, both(r), `load ${r.load}; ${rate(r)}; ${what}`]);
  });
  for (const c of checks) {
    const cpu = c.cpuMs === null ? '' : ` (cpu ${ms(c.cpuMs)})`;
    rows.push([`dist/cli.js check --jobs ${c.jobs}, end to end`, `${ms(c.wallMs)}${cpu}`, `load ${c.load}; exit ${c.status}: ${c.summary}`]);
  }
  const parallel = checks.find((c) => c.jobs === opts.jobs);
  const single = checks.find((c) => c.jobs === 1);
  if (parallel && single && parallel !== single) rows.push([`speed-up --jobs ${opts.jobs} / --jobs 1`, `×${(single.wallMs / parallel.wallMs).toFixed(2)}`, `${os.availableParallelism()} cores`]);
  const cold = ruffs.find((r) => r.first)?.first ?? null;
  if (parallel) {
    rows.push([
      `ratio check --jobs ${parallel.jobs} / ruff-wasm`,
      (parallel.wallMs / ruffMs).toFixed(2),
      `${verdict(parallel.wallMs <= ruffMs, '≤ 1.00')} (ruff: mean of its warm passes${cold ? `; against its first pass ${(parallel.wallMs / cold.wallMs).toFixed(2)}` : ''})`,
    ]);
  }
  // the floor under check --jobs N: parsing alone, shared perfectly by N workers, against ruff's whole run
  const floor = (ruffCpu: number) => engine.parseOnly.cpuMs / opts.jobs / ruffCpu;
  const floorWarm = floor(ruffCpuMs);
  rows.push([
    `bound: parse only ÷ ${opts.jobs} workers / ruff-wasm`,
    floorWarm.toFixed(2),
    `by cpu${cold ? ` (against its first pass ${floor(cold.cpuMs).toFixed(2)})` : ''}: ${
      floorWarm > 1
        ? `web-tree-sitter parsing alone, even split over ${opts.jobs} threads, costs more than ruff-wasm's whole PERF run (read, parse, lint) — check cannot reach ruff whatever the analysis costs`
        : `parsing split over ${opts.jobs} threads fits in ruff-wasm's time; what is over it is analysis, start-up and imperfect splitting`
    }`,
  ]);
  table('Whole corpus (in-process passes preceded by a warm-up on every 20th file; check includes node start-up)', rows);
  if (engine.errors.length > 0) {
    console.log(`\nanalysis threw on ${engine.errors.length} file(s):`);
    for (const e of engine.errors.slice(0, 10)) console.log(`  ${e}`);
  }
  console.log('\nslowest analyses (1 thread):');
  for (const s of engine.slowest) console.log(`  ${ms(s.analysisMs).padStart(8)} analysis, ${ms(s.parseMs).padStart(8)} parse  ${path.relative(opts.root, s.file) || s.file}`);
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const opts = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(SERVER) || !fs.existsSync(CLI)) usage('dist/ is missing: run `npm run build` first (npm run bench does)');
  const all = collectPythonFiles([opts.root]).files;
  const corpus = loadCorpus(opts.root, spread(all, opts.limit));
  if (corpus.files.length === 0) usage(`no Python files under ${opts.root}`);
  console.log(`python-parallelize bench — ${revision()}; node ${process.version}; ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${mb(os.totalmem())} RAM`);
  console.log(`corpus: ${opts.root} (${opts.rootOrigin})${opts.limit !== null ? `, --limit ${opts.limit}: evenly spread over ${all.length} files` : ''}`);
  console.log(`load average (1 min) at start: ${load()} — other processes slow every wall-clock figure; each figure shows the load when it was taken`);

  if (!opts.serverOnly) {
    progress(`engine: parse-only and lint over ${corpus.files.length} files on one thread…`);
    const engine = await measureEngine(corpus);
    const ruffs: RuffFigures[] = [];
    const checks: CheckRun[] = [];
    progress('ruff-wasm PERF over the same files…');
    ruffs.push(await measureRuff(corpus, true));
    progress(`dist/cli.js check --jobs ${opts.jobs}…`);
    checks.push(measureCheck(opts, corpus, opts.jobs));
    progress('ruff-wasm PERF again…');
    ruffs.push(await measureRuff(corpus, false));
    if (opts.jobs !== 1) {
      progress('dist/cli.js check --jobs 1…');
      checks.push(measureCheck(opts, corpus, 1));
    }
    engineSection(opts, corpus, engine, checks, ruffs);
    progress('ruff-wasm PERF in its own process…');
    const ruffProcess = measureRuffProcess(corpus);
    progress(`dist/cli.js check --jobs ${opts.jobs} through the result cache: cold, then ${WARM_RUNS} warm runs…`);
    const cache = measureCache(opts, corpus);
    cacheSection(opts, cache, ruffProcess, checks.find((c) => c.jobs === opts.jobs));
  }
  progress(`fix confirmation: ${CONFIRMATION_FIXTURES.length} fixtures repeated ${CONFIRMATION_COPIES.join(', ')} times…`);
  const confirmationLoad = load();
  confirmationSection(await measureConfirmation(), confirmationLoad);

  const gen = generateModule(5000);
  const genLines = gen.text.split('\n').length - 1;
  const edits = planEdits(gen.sites, opts.edits);
  progress(`in-process replay of ${edits.length} edits on the generated ${genLines}-line file…`);
  const local = await inProcessEdits(gen.text, edits, opts.editBudgetMs);
  progress(`in-process keystrokes in the ${REAL_FILES} largest files of the corpus…`);
  const real = await realFileEdits(corpus);
  progress('language server over stdio…');
  const serverLoad = load();
  const lsp = await measureLsp(gen.text, edits, gen.sites, corpus, opts.open, opts.editBudgetMs);

  const ready = stats(lsp.ready);
  const lat = stats(lsp.latencies);
  const reparse = stats(local.reparse);
  const relint = stats(local.lint);
  const burst = stats(lsp.bursts.lastToDiagnostics);
  const budgetNote = (done: number) => (done < edits.length ? ` of ${edits.length} (--edit-budget ${opts.editBudgetMs / 1000} s reached)` : '');
  const mem = (m: Memory | null) => (m ? `${mb(m.rss)} (peak ${mb(m.hwm)})` : 'n/a (no /proc)');
  table(`Language server (node dist/server.js --stdio), load ${serverLoad} → ${load()}; generated file of ${genLines} lines with ${local.findings} findings`, [
    [`ready: spawn → initialize answered, ${lsp.ready.length} spawns`, `p50 ${ms(ready.p50)}`, `min ${ms(ready.min)}, max ${ms(ready.max)} — ${verdict(ready.p50 <= 300, 'p50 ≤ 300 ms')}`],
    ['  of which node itself: spawn → exit of `node -e 0`', `p50 ${ms(stats(lsp.bareNode).p50)}`, 'the rest: loading dist/server.js, the grammar (concurrently), the round trip'],
    ['  initialize request → answer (last spawn)', ms(lsp.initializeRoundTripMs), 'the grammar loads while node reads the request'],
    ['didOpen 5,000 lines → diagnostics', ms(lsp.openGeneratedMs), `in-process parse + lint ${ms(local.fullLintMs)}`],
    [`didChange → publishDiagnostics, ${lsp.latencies.length}${budgetNote(lsp.latencies.length)} edits`, `p50 ${ms(lat.p50)}`, `p95 ${ms(lat.p95)}, max ${ms(lat.max)}, mean ${ms(lat.mean)} — ${verdict(lat.p95 <= 20, 'p95 ≤ 20 ms')}`],
    [`  in-process: incremental re-parse, ${local.reparse.length}${budgetNote(local.reparse.length)}`, `p50 ${ms(reparse.p50)}`, `p95 ${ms(reparse.p95)}, max ${ms(reparse.max)}`],
    [`  in-process: incremental lint after the edit, ${local.lint.length}${budgetNote(local.lint.length)}`, `p50 ${ms(relint.p50)}`, `p95 ${ms(relint.p95)}, max ${ms(relint.max)}; units analysed per edit: mean ${(local.units.reduce((a, b) => a + b, 0) / Math.max(1, local.units.length)).toFixed(1)}, max ${Math.max(0, ...local.units)} of ${local.totalUnits}`],
    ['  server cpu for the edits and the bursts', lsp.editsCpuMs === null ? 'n/a (no /proc)' : ms(lsp.editsCpuMs), lsp.editsCpuMs === null ? '' : `${ms(lsp.editsCpuMs / (lsp.latencies.length + lsp.bursts.changes))} per change`],
    ['  server: wait before analysing', '2 event-loop turns', 'changes already received first (schedule() in server/src/server.ts)'],
    [`bursts: ${lsp.bursts.count} × ${lsp.bursts.changes / lsp.bursts.count} keystrokes sent at once`, `${lsp.bursts.publishes} analyses`, `for ${lsp.bursts.changes} changes; last keystroke → diagnostics p50 ${ms(burst.p50)}, max ${ms(burst.max)}`],
    [`hover on a finding elsewhere, right after an edit, ${lsp.hoverMs.length}`, `p50 ${ms(stats(lsp.hoverMs).p50)}`, `p95 ${ms(stats(lsp.hoverMs).p95)}, max ${ms(stats(lsp.hoverMs).max)}`],
    [`code actions there (fixes computed), ${lsp.actionMs.length}`, `p50 ${ms(stats(lsp.actionMs).p50)}`, `p95 ${ms(stats(lsp.actionMs).p95)}, max ${ms(stats(lsp.actionMs).max)}`],
    ['RSS after initialize', mem(lsp.rssAfterInit), ''],
    ['RSS after the edits', mem(lsp.rssAfterEdits), ''],
    [`RSS after opening ${lsp.opened} more files`, mem(lsp.rssAfterOpen), `${mb(lsp.openedBytes)} of source; 200 ms after the last diagnostics; ${lsp.rssAfterOpen ? verdict(lsp.rssAfterOpen.rss <= 200 * 1024 * 1024, '≤ 200 MB') : ''}`],
    [`  at rest (${REST_MS / 1000} s after)`, mem(lsp.rssAtRestOpen), lsp.rssAtRestOpen ? verdict(lsp.rssAtRestOpen.rss <= 200 * 1024 * 1024, '≤ 200 MB') : ''],
    [`  didOpen ×${lsp.opened} → all diagnostics`, ms(lsp.openAllMs), lsp.openCpuMs === null ? '' : `server cpu ${ms(lsp.openCpuMs)}`],
    [`RSS after closing those ${lsp.opened}`, mem(lsp.rssAfterClose), '200 ms after'],
    [`  at rest (${REST_MS / 1000} s after)`, mem(lsp.rssAtRestClose), ''],
  ]);
  if (real.length > 0) {
    table(`Keystrokes in the ${real.length} largest files of the corpus, in process (re-parse + the lint the server publishes), ${REAL_KEYSTROKES} typed and deleted each`, [
      ...real.map((r): Row => {
        const p = stats(r.publish);
        const u = stats(r.units);
        return [`${r.file} (${r.lines.toLocaleString('en-US')} lines)`, `p50 ${ms(p.p50)}`, `p95 ${ms(p.p95)}, max ${ms(p.max)}; units analysed p50 ${u.p50}, p95 ${u.p95} of ${r.totalUnits}`];
      }),
    ]);
  }
  if (lsp.errors.length > 0) {
    console.log(`\nserver reported ${lsp.errors.length} error(s):`);
    for (const e of lsp.errors.slice(0, 5)) console.log(`  ${e.trim().split('\n')[0]}`);
  }
  console.log(`\nload average (1 min) at the end: ${load()}`);
  console.log(`bench: ${ms(performance.now() - benchStarted)} in all; bench process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}. Figures only: nothing is asserted.`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
