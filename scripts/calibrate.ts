// `npm run calibrate [-- --python PATH] [--only GROUP,GROUP] [--boost]`: measures the cost model's constants on this
// machine and writes them, with where each came from, to server/src/analysis/costTable.ts (a generated file).
// The measurements are Python programs in scripts/calibrate/, each run as its own child process:
// benchmarks.py (one group of micro-benchmarks per process, each repeated; it reports one sample per
// repetition), pool_startup.py (one process pool start-up per process, run as __main__ so spawned workers
// re-import it) and pool_overhead.py (per-task, per-item and per-byte costs of a started pool). Every value is
// the median of its samples. Takes about a minute on 2 cores; run it on an otherwise idle machine.
// `--only` runs the named groups and prints their figures without writing the table. On a shared machine whose
// cores are never idle, `--boost` (root or CAP_SYS_NICE) runs the wall-clock, start-up and file groups at the highest
// priority instead of waiting for quiet cores: CPU-bound work is timed in CPU time, pool start-ups in wall time.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const BENCHMARKS = path.join(REPO, 'scripts', 'calibrate');
const TABLE = path.join(REPO, 'server', 'src', 'analysis', 'costTable.ts');
const IMPORTS_PYTHON = '/usr/bin/python3'; // the interpreter that has numpy and pandas (see benchmarks.py)
/** The import groups' keys and the modules they import (benchmarks.py, IMPORTS). */
const IMPORTED: Record<string, string> = {
  importNumpy: 'numpy',
  importPandas: 'pandas',
  importScipy: 'scipy',
  importSklearn: 'sklearn',
  importPyplot: 'matplotlib.pyplot',
  importCv2: 'cv2',
  importPillow: 'PIL.Image',
  importBs4: 'bs4',
  importRequests: 'requests',
  importOpenpyxl: 'openpyxl',
};
const POOL_STARTUPS = { spawn: 9, fork: 7 };
const POOL_OVERHEAD_RUNS = 7; // one fresh pool each

interface Measurement {
  samples: number[];
  unit: string;
  how: string;
}
type Measurements = Record<string, Measurement>;

interface Group {
  name: string;
  keys: string[];
  /**
   * Timed on the wall clock, so other processes' load inflates it: wait for quiet cores before the group, or
   * before each of its runs (the group's measure calls awaitQuietCores).
   */
  wall?: 'group' | 'run';
  /**
   * Timed in CPU time but inflated by a busy machine all the same (start-ups of other programs by cache misses,
   * file creation by file-system locks held by descheduled processes): --boost it too.
   */
  contended?: boolean;
  measure: (python: string, cores: number) => Measurements;
}

// ------------------------------------------------------------------------------------------- python

function runPython(python: string, script: string, args: string[]): string {
  return execFileSync(python, [path.join(BENCHMARKS, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
    timeout: 120_000,
  });
}

/** One group of benchmarks.py in its own interpreter. */
const microGroup = (name: string, keys: string[], wall?: 'group'): Group => ({
  name,
  keys,
  wall,
  measure: (python) => JSON.parse(runPython(python, 'benchmarks.py', [name])) as Measurements,
});
const contendedGroup = (name: string, keys: string[]): Group => ({ ...microGroup(name, keys), contended: true });

function measurePoolStartups(python: string, cores: number): Measurements {
  type Run = { wall: number; childrenCpu: number; parentCpu: number; trackerCpu: number };
  const runs = (method: 'spawn' | 'fork'): Run[] =>
    Array.from({ length: POOL_STARTUPS[method] }, () => {
      awaitQuietCores();
      return JSON.parse(runPython(python, 'pool_startup.py', [String(cores), method])) as Run;
    });
  const spawn = runs('spawn');
  const fork = runs('fork');
  const block = (method: string) =>
    `\`with ProcessPoolExecutor(max_workers=${cores}, mp_context=get_context('${method}')) as ex: list(ex.map(f, range(${cores})))\` run from a script as __main__, wall time of the block (start, one task each, join)`;
  return {
    processPoolStartupSpawn: {
      samples: spawn.map((r) => r.wall),
      unit: 's',
      how: `${block('spawn')}, one fresh parent per run; ${cores} workers and the resource tracker start (processWorkerSpawnCpu, processResourceTrackerCpu)`,
    },
    processPoolStartupFork: { samples: fork.map((r) => r.wall), unit: 's', how: `${block('fork')}, one fresh parent per run (for information)` },
    processWorkerSpawnCpu: {
      samples: spawn.map((r) => r.childrenCpu / cores),
      unit: 's',
      how: `CPU time (user + system, getrusage of the joined workers) of the ${cores} spawned workers of processPoolStartupSpawn divided by ${cores}: interpreter start-up plus import of the main module, per worker`,
    },
    processResourceTrackerCpu: {
      samples: spawn.map((r) => r.trackerCpu),
      unit: 's',
      how: 'CPU time of the resource tracker a spawn pool starts beside its first worker (one more interpreter, once per program), stopped and reaped after processPoolStartupSpawn',
    },
  };
}

function measurePoolOverhead(python: string, cores: number): Measurements {
  const fit: Record<'perItem' | 'perChunk' | 'perByte', number[]> = { perItem: [], perChunk: [], perByte: [] };
  for (let i = 0; i < POOL_OVERHEAD_RUNS; i++) {
    awaitQuietCores();
    const run = JSON.parse(runPython(python, 'pool_overhead.py', [String(cores), '1'])) as typeof fit;
    for (const k of ['perItem', 'perChunk', 'perByte'] as const) fit[k].push(...run[k]);
  }
  const pool = `a started ${cores}-worker spawn ProcessPoolExecutor, parent wall time`;
  const solved = 'solved per repetition from t = items·processPerItem + tasks·processPerChunk over map(f, range(2,000), chunksize=1) and map(f, range(200,000), chunksize=10,000), f(x) = x';
  return {
    processPerChunk: { samples: fit.perChunk, unit: 's', how: `per task (chunk) of executor.map on ${pool}; ${solved}` },
    processPerItem: { samples: fit.perItem, unit: 's', how: `per item inside chunks (int argument, int result) of executor.map on ${pool}; ${solved}` },
    picklePerByte: {
      samples: fit.perByte,
      unit: 's/byte',
      how: `executor.map(size_of, 32 bytes objects of 1 MB, chunksize=1) with size_of(b) = len(b) on ${pool}, minus 32·processPerChunk, per argument byte (pickle, pipe, unpickle)`,
    },
  };
}

const GROUPS: Group[] = [
  microGroup('pyOp', ['pyOp']),
  microGroup('pyLoopTrip', ['pyLoopTrip', 'pyLoopTripList']),
  microGroup('pyCall', ['pyCall']),
  microGroup('builtinCall', ['builtinCall']),
  microGroup('stdlibPyCall', ['stdlibPyCall']),
  microGroup('strFormat', ['strFormat']),
  microGroup('hashes', ['sha256PerByte', 'md5PerByte', 'sha1PerByte', 'blake2bPerByte']),
  microGroup('hashCall', ['hashCall']),
  microGroup('compression', ['zlibCompressPerByte', 'zlibDecompressPerByte', 'bz2CompressPerByte', 'lzmaCompressPerByte']),
  microGroup('pbkdf2', ['pbkdf2Sha256PerIteration']),
  microGroup('regex', ['regexSearchPerChar', 'regexScanPerChar']),
  microGroup('json', ['jsonDumpsPerElement', 'jsonLoadsPerByte']),
  microGroup('sort', ['sortPerElementLog2']),
  { name: 'numpy', keys: ['numpyDrawPerElement', 'numpyUfuncPerElement'], measure: () => JSON.parse(runPython(IMPORTS_PYTHON, 'benchmarks.py', ['numpy'])) as Measurements },
  contendedGroup('files', ['fileOpenRead', 'fileWrite']),
  contendedGroup('subprocess', ['subprocessRun']),
  contendedGroup('interpreterStart', ['interpreterStart']),
  { name: 'poolStartup', wall: 'run', keys: ['processPoolStartupSpawn', 'processPoolStartupFork', 'processWorkerSpawnCpu', 'processResourceTrackerCpu'], measure: measurePoolStartups },
  { name: 'poolOverhead', wall: 'run', keys: ['processPerChunk', 'processPerItem', 'picklePerByte'], measure: measurePoolOverhead },
  contendedGroup('imports', Object.keys(IMPORTED)),
  microGroup('threads', ['threadPoolStartup', 'threadPerTask'], 'group'),
  microGroup('asyncio', ['asyncioPerTask']),
  microGroup('http', ['httpLoopback'], 'group'),
  microGroup('sleep', ['sleepOverhead'], 'group'),
];

/** Not measurable here; written into the table with a source that says so. */
const ASSUMPTIONS: Record<string, { value: number; unit: string; source: string }> = {
  networkRoundTrip: {
    value: 0.05,
    unit: 's',
    source: 'ASSUMPTION, not a measurement (this machine has no internet): a typical round trip to a remote HTTP API; httpLoopback is the measured local floor',
  },
};

// ------------------------------------------------------------------------------------------- quiet

const QUIET_IDLE = 0.75; // share of all cores idle over a window that counts as a quiet machine
const QUIET_WINDOW_MS = 1000;
let quietBudgetMs = 120_000; // waiting for quiet cores over the whole run, so a busy machine still gets calibrated
let boosted = false; // --boost: wall-clock groups run at the highest priority, without waiting
let idleShares: number[] = []; // of the windows before the current group's wall-clock runs

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Idle and total jiffies of all cores since boot (Linux); null elsewhere. */
function cpuJiffies(): { idle: number; total: number } | null {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: fields[3] + (fields[4] ?? 0), total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/**
 * Before a wall-clock run: waits until the cores were at least QUIET_IDLE idle over a QUIET_WINDOW_MS window
 * (or the run's waiting budget is spent) and records that window's idle share for the source line.
 */
function awaitQuietCores(): void {
  if (boosted) return;
  measureIdleShare();
}

/** One window's idle share, recorded; repeated while the cores are busy and the budget lasts (unless boosted). */
function measureIdleShare(): void {
  for (;;) {
    const t0 = performance.now();
    const before = cpuJiffies();
    sleepMs(QUIET_WINDOW_MS);
    const after = cpuJiffies();
    if (!before || !after || after.total === before.total) return;
    const idle = (after.idle - before.idle) / (after.total - before.total);
    quietBudgetMs -= performance.now() - t0;
    if (boosted || idle >= QUIET_IDLE || quietBudgetMs <= 0) {
      idleShares.push(idle);
      return;
    }
  }
}

/**
 * --boost: nice -20 for this process (inherited by the benchmarks and their workers) and, where the kernel
 * groups processes by session (Linux autogroup, under which nice only ranks a session's own processes), for
 * this session's group too. Returns what puts both back; null (with a warning) if not permitted.
 */
function raisePriority(): (() => void) | null {
  const autogroup = '/proc/self/autogroup';
  const niceBefore = os.getPriority();
  let groupNiceBefore: string | null = null;
  try {
    os.setPriority(-20);
    if (fs.existsSync(autogroup)) {
      groupNiceBefore = /nice (-?\d+)/.exec(fs.readFileSync(autogroup, 'utf8'))?.[1] ?? '0';
      fs.writeFileSync(autogroup, '-20');
    }
  } catch (error) {
    process.stderr.write(`calibrate: --boost: cannot raise the priority (${(error as Error).message}); measuring at the normal one\n`);
    os.setPriority(niceBefore);
    return null;
  }
  boosted = true;
  const restore = () => {
    process.removeListener('SIGINT', interrupted);
    if (groupNiceBefore !== null) fs.writeFileSync(autogroup, groupNiceBefore);
    os.setPriority(niceBefore);
  };
  // the session's group outlives this process: put it back on ^C too
  const interrupted = () => {
    restore();
    process.exit(130);
  };
  process.on('SIGINT', interrupted);
  return restore;
}

// ------------------------------------------------------------------------------------------- statistics

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

interface Row {
  key: string;
  value: number;
  unit: string;
  source: string;
}

function summarise(key: string, m: Measurement): Row {
  const sorted = [...m.samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  if (!(median > 0) || !Number.isFinite(median)) throw new Error(`${key}: median ${median} of ${m.samples.length} samples is not a positive number`);
  const halfIqr = (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2;
  const spread = `median of ${sorted.length}, IQR ±${((100 * halfIqr) / median).toFixed(halfIqr / median < 0.1 ? 1 : 0)}%`;
  return { key, value: Number(median.toPrecision(3)), unit: m.unit, source: `${m.how}; ${spread}` };
}

/** A key the machine could not measure (e.g. numpy missing): the last generated table's value, said so. */
function lastKnown(key: string, why: string): Row {
  const previous = fs.existsSync(TABLE) ? fs.readFileSync(TABLE, 'utf8') : '';
  const entry = new RegExp(`^  ${key}: \\{ value: ([0-9.e+-]+), unit: '([^']*)'`, 'm').exec(previous);
  const date = /date: '([^']*)'/.exec(previous)?.[1];
  if (!entry) throw new Error(`${key}: not measured (${why}) and no earlier table to take it from`);
  return { key, value: Number(entry[1]), unit: entry[2], source: `not measured: ${why}; value from the calibration of ${date ?? 'an earlier run'}` };
}

// ------------------------------------------------------------------------------------------- output

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function renderTable(rows: Row[], calibration: Record<string, string | number>, notes: string[]): string {
  const lines = [
    '// Generated by scripts/calibrate.ts: do not edit by hand, re-run `npm run calibrate` (see docs/cost-model.md).',
    ...notes.map((n) => `// ${n}`),
    '// Every value is in seconds, per the unit named by its key and `unit`; `source` says how it was obtained.',
    '',
    'export interface CostConstant {',
    '  value: number;',
    '  unit: string;',
    '  source: string;',
    '}',
    '',
    'export const CALIBRATION = {',
    ...Object.entries(calibration).map(([k, v]) => `  ${k}: ${typeof v === 'number' ? v : quote(v)},`),
    '} as const;',
    '',
    'export const COST_TABLE = {',
    ...rows.map((r) => `  ${r.key}: { value: ${r.value.toExponential()}, unit: ${quote(r.unit)}, source: ${quote(r.source)} },`),
    '} satisfies Record<string, CostConstant>;',
    '',
    'export type CostKey = keyof typeof COST_TABLE;',
    '',
  ];
  return lines.join('\n');
}

function parseOptions(argv: string[]): { python: string; only: string[] | null; boost: boolean } {
  let python = 'python3';
  let only: string[] | null = null;
  let boost = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--boost') boost = true;
    else if (argv[i] === '--python' && argv[i + 1]) python = argv[++i];
    else if (argv[i] === '--only' && argv[i + 1]) only = argv[++i].split(',');
    else {
      process.stderr.write('usage: node out/scripts/calibrate.js [--python PATH] [--only GROUP,GROUP] [--boost]\n');
      process.exit(2);
    }
  }
  return { python, only, boost };
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  // The real interpreter, not a launcher (pyenv's shim is a shell script that would add to every start-up).
  const [version, python] = execFileSync(options.python, ['-c', 'import platform, sys; print(platform.python_version()); print(sys.executable)'], { encoding: 'utf8' }).trim().split('\n');
  const cores = os.availableParallelism();
  const machine = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = os.loadavg()[0];
  if (load > cores / 2) process.stderr.write(`calibrate: load average ${load.toFixed(2)} on ${cores} cores: the figures will be pessimistic\n`);
  const unknown = options.only?.filter((name) => !GROUPS.some((g) => g.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown group(s) ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.name).join(', ')}`);

  if (options.boost) raisePriority()?.(); // permitted? (sets `boosted`)
  const started = performance.now();
  const measured: Measurements = {};
  for (const group of GROUPS) {
    if (options.only && !options.only.includes(group.name)) continue;
    idleShares = [];
    if (group.wall === 'group' || (group.wall && boosted)) measureIdleShare();
    const restorePriority = options.boost && (group.wall || group.contended) ? raisePriority() : null;
    const t0 = performance.now();
    let results: Measurements;
    try {
      results = group.measure(python, cores);
    } finally {
      restorePriority?.();
    }
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    const notes: string[] = [];
    if (idleShares.length > 0) {
      const least = `${(100 * Math.min(...idleShares)).toFixed(0)}%`;
      notes.push(idleShares.length === 1 ? `cores ${least} idle in the second before` : `cores ≥ ${least} idle in the second before each run`);
    }
    if (restorePriority) notes.push('measured at nice -20 (--boost)');
    const quiet = notes.join(', ');
    if (quiet) for (const m of Object.values(results)) m.how += `; ${quiet}`;
    Object.assign(measured, results);
    process.stderr.write(`calibrate: ${group.name.padEnd(16)} ${seconds} s${quiet ? `, ${quiet}` : ''}\n`);
  }

  const rows: Row[] = [];
  for (const group of GROUPS) {
    if (options.only && !options.only.includes(group.name)) continue;
    for (const key of group.keys) {
      if (measured[key]) rows.push(summarise(key, measured[key]));
      else if (group.name === 'imports') rows.push(lastKnown(key, `${IMPORTED[key]} cannot be imported by ${IMPORTS_PYTHON}`));
      else throw new Error(`group ${group.name} did not report ${key}`);
    }
  }
  if (!options.only) for (const [key, a] of Object.entries(ASSUMPTIONS)) rows.push({ key, ...a });

  const width = Math.max(...rows.map((r) => r.key.length));
  for (const r of rows) process.stdout.write(`${r.key.padEnd(width)}  ${r.value.toExponential(2).padStart(9)} ${r.unit}\n`);
  const elapsed = (performance.now() - started) / 1000;
  process.stderr.write(`calibrate: ${elapsed.toFixed(0)} s in all\n`);
  if (options.only) return;

  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let imports = 'missing';
  try {
    imports = execFileSync(IMPORTS_PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
  } catch {
    // no such interpreter: the import keys came from the last table (see lastKnown)
  }
  const notes = [
    `Calibrated ${date} on ${machine}, ${cores} cores (load average ${load.toFixed(2)} at the start), in ${elapsed.toFixed(0)} s;`,
    `python ${version} (${python}); the import* keys with ${IMPORTS_PYTHON} ${imports}.`,
    boosted
      ? 'Run with --boost: the wall-clock, start-up and file groups at nice -20 (and autogroup nice -20), ahead of the rest of a shared machine.'
      : 'Run at normal priority: wall-clock figures include whatever load the rest of the machine put on the cores.',
  ];
  fs.writeFileSync(TABLE, renderTable(rows, { machine, cores, python: version, date }, notes));
  process.stderr.write(`calibrate: wrote ${path.relative(REPO, TABLE)}\n`);
}

main();
