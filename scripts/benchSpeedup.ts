// `npm run bench:speedup [-- --only NAME] [--runs N] [--unsafe] [--timeout SECONDS]`: does a rewrite pay off?
// For each program of bench/speedup/ (its name says its kind: cpu_, io_, trap_, mixed_): the findings of
// `dist/cli.js check` with the tool's estimate when it gives one; every safe fix of a loop rule (PAR1xx–PAR3xx)
// applied to a copy, one at a time with `fix --write`, re-checking after each (lines move); then the original and
// the rewritten program run alternately, --runs times each, under the spawn start method
// (test/support/run_spawn.py), wall time and CPU time (the program and every process it waited for) measured,
// stdout compared. Prints figures and asserts nothing about time: a rewritten run that exceeds the timeout (default
// 30 s, or 30 times the original's first run when that is longer) is stopped and printed as a bound. Exits 1 only
// when a program crashed or printed something else once rewritten.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const PROGRAMS = path.join(REPO, 'bench', 'speedup');
const RUN_SPAWN = path.join(REPO, 'test', 'support', 'run_spawn.py');
const PYTHON = process.env.PYTHON ?? 'python3';
/** More fixes than this in one program means a fix keeps producing a new finding: stop there. */
const MAX_FIXES = 12;

/**
 * Runs the command after `--`, reports on fd 3 its wall time, and the user + system time of it and of every process
 * it waited for (pool workers included), as JSON. Kills the command's whole process group after the timeout.
 */
const MEASURE = `
import json, os, resource, signal, subprocess, sys, time
timeout = float(sys.argv[1])
start = time.perf_counter()
child = subprocess.Popen(sys.argv[3:], start_new_session=True)
try:
    status = child.wait(timeout=timeout)
except subprocess.TimeoutExpired:
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    status = "timeout"
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with os.fdopen(3, "w") as report:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "status": status}, report)
`;

// ---------------------------------------------------------------------------------------------- options

interface Options {
  only: string[];
  runs: number;
  unsafe: boolean;
  /** Unset: 120 s for the original, max(30 s, 30 × its first run) for the rewritten program. */
  timeoutSeconds: number | null;
}

function usage(message: string): never {
  process.stderr.write(`bench:speedup: ${message}\nusage: node out/scripts/benchSpeedup.js [--only NAME[,NAME…]] [--runs N] [--unsafe] [--timeout SECONDS]\n`);
  process.exit(2);
}

function parseOptions(argv: string[]): Options {
  const options: Options = { only: [], runs: 3, unsafe: false, timeoutSeconds: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--unsafe') {
      options.unsafe = true;
      continue;
    }
    const m = /^--(only|runs|timeout)(?:=(.*))?$/.exec(a);
    if (!m) usage(`unknown argument ${a}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) usage(`--${m[1]} needs a value`);
    if (m[1] === 'only') options.only.push(...value.split(',').map((s) => s.trim().replace(/\.py$/, '')).filter(Boolean));
    else if (!/^[1-9]\d*$/.test(value)) usage(`--${m[1]} takes a whole number ≥ 1`);
    else if (m[1] === 'runs') options.runs = Number(value);
    else options.timeoutSeconds = Number(value);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------- the tool

interface Estimate {
  speedup?: number;
  localSpeedup?: number;
  speedupMax?: number;
  localSpeedupMax?: number;
  summary: string;
  cores: number;
}

interface JsonFinding {
  line: number;
  code: string;
  message: string;
  fixes: Array<{ title: string; applicability: string }>;
  estimate?: Estimate;
}

class Crash extends Error {}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Crash(`node ${CLI} ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function check(file: string): JsonFinding[] {
  const r = cli(['check', file, '--format', 'json', '--exit-zero']);
  if (r.status !== 0) throw new Crash(`check ${file} exited with ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as JsonFinding[];
}

const isLoopRule = (code: string) => /^PAR[123]\d\d$/.test(code);

interface AppliedFix {
  code: string;
  /** The line of the finding in the copy when the fix was applied. */
  line: number;
  title: string;
  applicability: string;
}

interface Rewrite {
  applied: AppliedFix[];
  /** Fixes `fix --write` refused, with its reason. */
  refused: string[];
  /** The findings of the rewritten copy (the tool's view of its own output). */
  after: JsonFinding[];
}

/**
 * Applies, one at a time, the first safe fix (with `unsafe`: else the first fix) of each loop finding of `file`,
 * checking again after each because the lines move. A finding is attempted once, known by its rule and the text
 * of its line.
 */
function applyFixes(file: string, unsafe: boolean): Rewrite {
  const attempted = new Set<string>();
  const applied: AppliedFix[] = [];
  const refused: string[] = [];
  let findings = check(file);
  while (applied.length + refused.length < MAX_FIXES) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const key = (f: JsonFinding) => `${f.code} ${lines[f.line - 1]?.trim()}`;
    const next = findings.find((f) => isLoopRule(f.code) && !attempted.has(key(f)) && chosenFix(f, unsafe) >= 0);
    if (!next) break;
    attempted.add(key(next));
    const k = chosenFix(next, unsafe);
    const r = cli(['fix', file, '--rule', next.code, '--line', String(next.line), '--fix', String(k + 1), '--write']);
    if (r.status === 0) applied.push({ code: next.code, line: next.line, title: next.fixes[k].title, applicability: next.fixes[k].applicability });
    else if (r.status === 1) refused.push(`${next.code} line ${next.line}: ${r.stderr.trim()}`);
    else throw new Crash(`fix ${file} --rule ${next.code} --line ${next.line} exited with ${r.status}: ${r.stderr.trim()}`);
    findings = check(file);
  }
  return { applied, refused, after: findings };
}

/** Index of the fix to apply: the first safe one; with `unsafe`, else the first one; -1 for none. */
function chosenFix(f: JsonFinding, unsafe: boolean): number {
  const safe = f.fixes.findIndex((x) => x.applicability === 'safe');
  return safe >= 0 || !unsafe ? safe : f.fixes.length > 0 ? 0 : -1;
}

// ---------------------------------------------------------------------------------------------- running

interface Run {
  wallMs: number;
  cpuMs: number;
  stdout: string;
  /** Set when the program did not exit with 0. */
  failure?: string;
  /** Set when the program was stopped after this many seconds (then wallMs is about that, stdout partial). */
  timedOutAfter?: number;
}

/** One run of `program` under the spawn start method, from `cwd`, measured by the MEASURE wrapper. */
function runProgram(program: string, cwd: string, timeoutSeconds: number): Run {
  const r = spawnSync(PYTHON, ['-c', MEASURE, String(timeoutSeconds), '--', PYTHON, RUN_SPAWN, program], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  if (r.error) throw new Crash(`${PYTHON}: ${r.error.message}`);
  const report = JSON.parse(String(r.output[3] ?? '{}') || '{}') as { wall?: number; cpu?: number; status?: number | string };
  const run: Run = { wallMs: (report.wall ?? NaN) * 1000, cpuMs: (report.cpu ?? NaN) * 1000, stdout: r.stdout };
  if (report.status === 'timeout') run.timedOutAfter = timeoutSeconds;
  else if (report.status !== 0) run.failure = `exited with ${report.status ?? r.status}: ${lastLines(r.stderr, 6)}`;
  return run;
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n    ');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------------- one program

type Kind = 'cpu' | 'io' | 'trap' | 'mixed';

interface Result {
  name: string;
  kind: Kind;
  findings: JsonFinding[];
  rewrite: Rewrite | null;
  original: Run[];
  rewritten: Run[];
  /** Every rewritten run printed what the first original run printed (null: nothing was rewritten). */
  sameOutput: boolean | null;
  problems: string[];
  /** A rewritten run was stopped after the timeout: its wall time is a lower bound. */
  timedOut: boolean;
  /** The 1-minute load average after the program's last run. */
  load: number;
}

function kindOf(name: string): Kind {
  const prefix = name.split('_')[0];
  if (prefix === 'cpu' || prefix === 'io' || prefix === 'trap' || prefix === 'mixed') return prefix;
  throw new Crash(`${name}: the name of a speedup program starts with cpu_, io_, trap_ or mixed_`);
}

function benchProgram(name: string, options: Options, scratch: string): Result {
  const original = path.join(PROGRAMS, `${name}.py`);
  const result: Result = { name, kind: kindOf(name), findings: check(original), rewrite: null, original: [], rewritten: [], sameOutput: null, problems: [], timedOut: false, load: 0 };
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  const copy = path.join(dir, `${name}.py`);
  fs.copyFileSync(original, copy);
  result.rewrite = applyFixes(copy, options.unsafe);
  const rewritten = result.rewrite.applied.length > 0;
  progress(`${name}: ${result.rewrite.applied.length} fix(es) applied; running${rewritten ? ' original and rewritten alternately' : ' the original'}, ${options.runs}×`);
  for (let i = 0; i < options.runs; i++) {
    const seq = runProgram(original, dir, options.timeoutSeconds ?? 120);
    result.original.push(seq);
    if (seq.failure || seq.timedOutAfter) {
      result.problems.push(`original ${seq.failure ?? `timed out after ${seq.timedOutAfter} s`}`);
      break;
    }
    if (!rewritten) continue;
    const par = runProgram(copy, dir, options.timeoutSeconds ?? Math.max(30, Math.ceil((30 * result.original[0].wallMs) / 1000)));
    result.rewritten.push(par);
    if (par.failure) {
      result.problems.push(`rewritten ${par.failure}`);
      break;
    }
    if (par.timedOutAfter) {
      result.timedOut = true;
      break; // one stopped run is figure enough, and the next would take as long
    }
  }
  result.load = os.loadavg()[0];
  const expected = result.original[0]?.stdout;
  if (result.original.some((r) => r.stdout !== expected)) result.problems.push('the original printed different output from one run to the next');
  const finished = result.rewritten.filter((r) => !r.timedOutAfter);
  if (finished.length > 0) {
    result.sameOutput = finished.every((r) => !r.failure && r.stdout === expected);
    if (!result.sameOutput && !finished.some((r) => r.failure)) result.problems.push(`OUTPUT DIFFERS once rewritten:\n${outputDiff(expected ?? '', finished.find((r) => r.stdout !== expected)!.stdout)}`);
  }
  return result;
}

/** The first differing line of two outputs. */
function outputDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `    line ${i + 1}: original  ${JSON.stringify(x[i] ?? '<none>').slice(0, 200)}\n    line ${i + 1}: rewritten ${JSON.stringify(y[i] ?? '<none>').slice(0, 200)}`;
  }
  return '    (same lines)';
}

// ---------------------------------------------------------------------------------------------- report

const seconds = (ms: number) => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`);
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '-');

function estimateText(findings: JsonFinding[]): string {
  const parts = findings
    .filter((f) => f.estimate)
    .map((f) => {
      const e = f.estimate!;
      const local = e.localSpeedup !== undefined ? ` local ${times(e.localSpeedup)}` : e.localSpeedupMax !== undefined ? ` local ≤${times(e.localSpeedupMax)}` : '';
      const at = e.speedup !== undefined ? times(e.speedup) : e.speedupMax !== undefined ? `≤${times(e.speedupMax)}` : '?';
      return `${at}@${e.cores}${local}`;
    });
  return parts.length ? parts.join('; ') : '-';
}

function printReport(results: Result[], options: Options): void {
  const header = ['program', 'kind', 'findings', 'fixes applied', 'estimate (cores, local)', 'seq wall', 'par wall', 'speedup', 'CPU ratio', 'same output?'];
  const rows = results.map((r) => {
    const applied = r.rewrite?.applied ?? [];
    const seqRuns = r.original.filter((x) => !x.failure && !x.timedOutAfter);
    const seqWall = median(seqRuns.map((x) => x.wallMs));
    const seqCpu = median(seqRuns.map((x) => x.cpuMs));
    // a stopped run counts with its wall time so far: the speedup is then an upper bound
    const parRuns = r.rewritten.filter((x) => !x.failure);
    const parWall = median(parRuns.map((x) => x.wallMs));
    const parCpu = median(parRuns.map((x) => x.cpuMs));
    const bound = r.timedOut ? '< ' : '';
    return [
      r.name,
      r.kind,
      r.findings.map((f) => `${f.code}:${f.line}${f.fixes.some((x) => x.applicability === 'safe') ? '' : '(unsafe)'}`).join(' ') || '-',
      applied.length ? `${applied.length} ${applied.map((a) => a.code + (a.applicability === 'safe' ? '' : '(unsafe)')).join(' ')}` : '0',
      estimateText(r.findings),
      seconds(seqWall),
      parRuns.length ? (r.timedOut ? '> ' : '') + seconds(parWall) : '-',
      parRuns.length ? bound + times(seqWall / parWall) : '-',
      parRuns.length ? (r.timedOut ? '> ' : '') + times(parCpu / seqCpu) : '-',
      r.sameOutput === null ? (r.problems.length ? 'FAILED' : r.timedOut ? 'timed out' : '-') : r.sameOutput ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\nSpeedup corpus: ${results.length} programs, ${options.runs} alternate runs each under the spawn start method, ${os.availableParallelism()} cores here (load ${os.loadavg()[0].toFixed(2)}).`);
  console.log(`Fixes applied: ${options.unsafe ? 'the first safe fix of each loop finding, else its first (unsafe) fix' : 'the first safe fix of each loop finding (PAR1xx–PAR3xx); findings with only unsafe fixes are left alone'}.`);
  console.log('speedup = median wall seq / median wall par; CPU ratio = median CPU par / median CPU seq (processes waited for included).');
  const busiest = Math.max(...results.map((r) => r.load));
  if (busiest > os.availableParallelism()) console.log(`WARNING: load average up to ${busiest.toFixed(1)} on ${os.availableParallelism()} cores while measuring: other processes took CPU, wall times and speedups are distorted.`);
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));

  console.log('\nTraps (a rewrite would not pay; the tool should report nothing):');
  for (const r of results.filter((x) => x.kind === 'trap')) {
    const loops = r.findings.filter((f) => isLoopRule(f.code));
    console.log(`  ${r.name.padEnd(widths[0])}  ${loops.length ? `TRAP REPORTED! ${loops.map((f) => `${f.code} line ${f.line}`).join(', ')}` : 'no finding (ok)'}`);
  }

  console.log('\nDetails:');
  for (const r of results) {
    console.log(`  ${r.name}`);
    for (const f of r.findings) console.log(`    ${f.code} line ${f.line}: ${f.message}${f.estimate ? `\n      estimate: ${f.estimate.summary}` : ''}`);
    for (const a of r.rewrite?.applied ?? []) console.log(`    applied ${a.code} (line ${a.line} then): ${a.title}`);
    for (const x of r.rewrite?.refused ?? []) console.log(`    refused ${x}`);
    const after = (r.rewrite?.applied.length ? r.rewrite.after : []).map((f) => `${f.code}:${f.line}`);
    if (after.length) console.log(`    findings in the rewritten program: ${after.join(' ')}`);
    const fmt = (runs: Run[]) => runs.map((x) => `${seconds(x.wallMs)}/${seconds(x.cpuMs)}${x.timedOutAfter ? ' (stopped: timeout)' : ''}`).join(', ');
    console.log(`    runs (wall/CPU): original ${fmt(r.original)}${r.rewritten.length ? `; rewritten ${fmt(r.rewritten)}` : ''}; load ${r.load.toFixed(2)}`);
    for (const p of r.problems) console.log(`    PROBLEM: ${p}`);
  }
}

function progress(message: string): void {
  process.stderr.write(`bench:speedup: ${message} (load ${os.loadavg()[0].toFixed(2)})\n`);
}

// ---------------------------------------------------------------------------------------------- main

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(CLI)) usage(`${CLI} is missing: run npm run build`);
  const all = fs
    .readdirSync(PROGRAMS)
    .filter((f) => f.endsWith('.py'))
    .map((f) => f.slice(0, -3))
    .sort();
  const unknown = options.only.filter((n) => !all.includes(n));
  if (unknown.length) usage(`no program ${unknown.join(', ')} in bench/speedup (there are: ${all.join(', ')})`);
  const names = options.only.length ? all.filter((n) => options.only.includes(n)) : all;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-speedup-'));
  const results: Result[] = [];
  let crashed = false;
  try {
    for (const name of names) {
      try {
        results.push(benchProgram(name, options, scratch));
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
        crashed = true;
        console.error(`bench:speedup: ${name}: ${e.message}`);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  printReport(results, options);
  const failed = results.filter((r) => r.problems.length > 0);
  if (failed.length) console.log(`\n${failed.length} program(s) crashed or changed output: ${failed.map((r) => r.name).join(', ')}`);
  return crashed || failed.length > 0 ? 1 : 0;
}

process.exitCode = main();
