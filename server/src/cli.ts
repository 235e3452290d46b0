// parallelize check|fix|rule — the same engine as the language server, without an editor.
// This file is the front: arguments, configuration, the files to check, the result cache and the output. The
// analysis (cliEngine.ts, its own bundle) is loaded only when something must be analysed, so that a `check`
// answered from the cache costs little more than node's start-up.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configForFile, DEFAULT_CONFIG, findPyproject, loadProjectConfig, mergeConfig, type ProjectConfig } from './config';
import type { FixedSource } from './checkFiles';
import type * as Engine from './cliEngine';
import type { FixAllOptions } from './fixAll';
import type { LintConfig } from './lintConfig';
import { RULES, RULES_BY_CODE } from './rules/catalog';
import { collectPythonFiles } from './files';
import type { LoopTally } from './loopStatistics';
import { checkFilesCached } from './workspace/cachedCheck';
import { cacheDirFor, ResultCache } from './workspace/resultCache';
import { formatAppliedFixes, formatJson, formatSarif, formatStatistics, formatText, formatWouldFix, type ReportedFinding, summaryLines, TOOL_VERSION } from './report';

let loadedEngine: typeof Engine | undefined;
/** The analysis, loaded on first use (next to this file: dist/cliEngine.js, or the compiled module). */
function engine(): typeof Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedEngine ??= require('./cliEngine') as typeof Engine;
  return loadedEngine;
}

class UsageError extends Error {}

const USAGE = `usage:
  parallelize check [PATH...|-] [--fix] [--unsafe-fixes] [--diff] [--show-fixes] [--quiet]
                    [--select CODES] [--ignore CODES] [--exclude GLOBS] [--format text|json|sarif] [--statistics [--why-not]] [--exit-zero]
                    [--min-iterations N] [--min-speedup X] [--target-cores N] [--target-version pyXY] [--stdin-filename NAME] [--jobs N]
                    [--include-tests] [--no-cache]
      --fix           apply every safe fix, in passes, then report what remains ("Found N findings (M fixed, K remaining).")
      --unsafe-fixes  with --fix or --diff: apply unsafe fixes too (review them: \`parallelize explain FILE:LINE\`)
      --diff          print the unified diff of the fixes instead of writing them (exit 1 when there are any)
      --show-fixes    list the fixes applied, per file
      --quiet, -q     print the findings only (no summary)
      --include-tests report the loop rules in test and benchmark files too (test_*.py, conftest.py, tests/…,
                      benchmark*.py, benchmarks/…); by default only the risk rules (PAR4xx) run there
      --statistics    counts per rule; with --why-not also the loops, those that show work, and why each is not reported
      --no-cache      analyse every file, neither reading nor writing the cache (.parallelize_cache/ beside
                      pyproject.toml, else at the common root of the paths; PARALLELIZE_CACHE_DIR to move it)
      exit status: 0 no findings (left), 1 findings (left), 2 errors
  parallelize fix PATH --rule CODE --line N [--fix K] [--target-version pyXY] [--diff|--write]
                    (--fix K: apply the finding's K-th fix, 1-based, as listed by check --format json; default 1)
  parallelize explain FILE:LINE       (why the loop, comprehension or call starting on LINE is or is not reported)
  parallelize rule [CODE]
  parallelize --version`;

interface Args {
  command: string;
  positional: string[];
  options: Map<string, string | true>;
}

const VALUE_OPTIONS = new Set(['--select', '--ignore', '--format', '--rule', '--line', '--fix', '--min-iterations', '--min-speedup', '--target-cores', '--target-version', '--exclude', '--stdin-filename', '--jobs']);
const FLAG_OPTIONS = new Set(['--no-cache', '--exit-zero', '--diff', '--write', '--help', '--statistics', '--why-not', '--unsafe-fixes', '--show-fixes', '--quiet', '--include-tests']);
/** `--fix` is a flag of `check` (apply every fix) and takes a value in `fix` (which of the finding's fixes). */
const CHECK_FLAGS = new Set(['--fix']);

function parseArgs(argv: string[]): Args {
  const [command = '', ...rest] = argv;
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (command === 'check' && CHECK_FLAGS.has(arg)) options.set(arg, true);
    else if (arg === '-q') options.set('--quiet', true);
    else if (VALUE_OPTIONS.has(name) && !(command === 'check' && CHECK_FLAGS.has(name))) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      options.set(name, value);
    } else if (FLAG_OPTIONS.has(arg)) options.set(arg, true);
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { command, positional, options };
}

function configFrom(options: Map<string, string | true>): LintConfig {
  const list = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
  };
  const min = options.get('--min-iterations');
  if (typeof min === 'string' && !/^\d+$/.test(min)) throw new UsageError('--min-iterations takes a whole number');
  const speedup = options.get('--min-speedup');
  if (typeof speedup === 'string' && !/^\d+(\.\d+)?$/.test(speedup)) throw new UsageError('--min-speedup takes a number, e.g. 1.3');
  const cores = options.get('--target-cores');
  if (typeof cores === 'string' && !/^\d+$/.test(cores)) throw new UsageError('--target-cores takes a whole number');
  // the same schema as pyproject and editor settings: one place validates rule codes
  const { config, errors } = mergeConfig(
    DEFAULT_CONFIG,
    {
      select: list('--select'),
      ignore: list('--ignore'),
      'min-iterations': typeof min === 'string' ? Number(min) : undefined,
      'min-speedup': typeof speedup === 'string' ? Number(speedup) : undefined,
      'target-cores': typeof cores === 'string' ? Number(cores) : undefined,
      'target-version': options.get('--target-version') as string | undefined,
    },
    'command line',
  );
  if (errors.length > 0) throw new UsageError(errors[0]);
  return config;
}

/** --jobs N: threads for `check` (1: no worker threads); unset: one per core for inputs worth it. */
function jobsFrom(options: Map<string, string | true>): number | undefined {
  const jobs = options.get('--jobs');
  if (jobs === undefined) return undefined;
  if (typeof jobs !== 'string' || !/^\d+$/.test(jobs) || Number(jobs) < 1) throw new UsageError('--jobs takes a whole number ≥ 1');
  return Number(jobs);
}

/** pyproject `[tool.parallelize]` (nearest to the first path) under the command-line options. */
function projectConfig(args: Args, paths: string[], errors: string[]): ProjectConfig {
  const cli = configFrom(args.options);
  const loaded = loadProjectConfig(paths[0] && paths[0] !== '-' ? paths[0] : '.');
  errors.push(...loaded.errors);
  const config: ProjectConfig = loaded.config;
  const exclude = args.options.get('--exclude');
  return {
    ...config,
    select: args.options.has('--select') ? cli.select : config.select,
    ignore: args.options.has('--ignore') ? cli.ignore : config.ignore,
    minIterations: args.options.has('--min-iterations') ? cli.minIterations : config.minIterations,
    minSpeedup: args.options.has('--min-speedup') ? cli.minSpeedup : config.minSpeedup,
    targetCores: args.options.has('--target-cores') ? cli.targetCores : config.targetCores,
    localCores: os.availableParallelism(),
    targetVersion: args.options.has('--target-version') ? cli.targetVersion : config.targetVersion,
    includeTests: args.options.has('--include-tests') || config.includeTests,
    // files are checked as they are: a loop of a file Python cannot compile is not reported
    requireCompiles: true,
    exclude: typeof exclude === 'string' ? [...config.exclude, ...exclude.split(',').map((g) => g.trim()).filter(Boolean)] : config.exclude,
  };
}

/** Ruff's progress line: on stderr, only in a terminal and for inputs large enough to wait for. */
const PROGRESS_MIN_FILES = 300;

function progressLine(total: number): { tick: () => void; done: () => void } {
  if (total <= PROGRESS_MIN_FILES || !process.stderr.isTTY) return { tick: () => {}, done: () => {} };
  let checked = 0;
  let shownAt = 0;
  return {
    tick: () => {
      checked++;
      const now = Date.now();
      if (now - shownAt < 100 && checked < total) return;
      shownAt = now;
      process.stderr.write(`\rChecked ${checked}/${total} files`);
    },
    done: () => process.stderr.write('\r\x1b[K'),
  };
}

/** The findings a fix-all left in one file, marked when their code already runs in a pool. */
function remaining(file: string, outcome: FixedSource): ReportedFinding[] {
  const held = new Set(outcome.heldBack.map((h) => `${h.code}:${h.line}`));
  return outcome.findings.map((finding) => ({ file, finding, ...(held.has(`${finding.code}:${finding.span.startLine}`) ? { inPoolWorker: true } : {}) }));
}

/** One input of `check`: its findings, and with --fix or --diff what fixing it did. */
interface Checked {
  file: string;
  findings: ReportedFinding[];
  fix?: FixedSource;
  /** With --why-not: the file's loops counted (see loopStatistics.ts). */
  loops?: LoopTally;
  /** Why its loops were not checked (Python cannot compile it, or it is Python 2 code): said as a warning. */
  unchecked?: string;
}

/** Standard input, checked (or fixed) like a file named by --stdin-filename. */
async function checkStdin(args: Args, config: ProjectConfig, fixOptions: FixAllOptions | null, errors: string[]): Promise<Checked | null> {
  const name = (args.options.get('--stdin-filename') as string | undefined) ?? '-';
  const raw = fs.readFileSync(0, 'utf8');
  const { createParser, fixSource, lintSource, SummaryStore, tallyLoops, withWorkspace } = engine();
  const parser = await createParser();
  try {
    // named by --stdin-filename, its imports are resolved from where it would be
    const own = withWorkspace(configForFile(config, name), name, name === '-' ? undefined : new SummaryStore(parser));
    if (!fixOptions) {
      let loops: LoopTally | undefined;
      let unchecked: string | undefined;
      const findings = lintSource(parser, raw, own, (result) => {
        unchecked = result.unchecked;
        if (args.options.has('--why-not')) loops = tallyLoops(result);
      });
      return { file: name, findings: findings.map((finding) => ({ file: name, finding })), ...(loops ? { loops } : {}), ...(unchecked ? { unchecked } : {}) };
    }
    const outcome = fixSource(parser, name, raw, own, fixOptions);
    if (!outcome.ok) {
      errors.push(outcome.error);
      return null;
    }
    return { file: name, findings: remaining(name, outcome), fix: outcome };
  } finally {
    parser.delete();
  }
}

/**
 * Each file's configuration: the run's, with the oldest Python the file's own project supports where that project
 * is nearer than the run's (a repository's `setup.py` under the folder checked), as `explain` and `fix` read it for
 * that file alone — so the fixes a check lists are the ones `fix --fix K` numbers. `--target-version` overrides.
 */
function perFileConfig(args: Args, config: ProjectConfig): (file: string) => LintConfig {
  if (args.options.has('--target-version')) return (file) => configForFile(config, file);
  const byFolder = new Map<string, ProjectConfig>();
  return (file) => {
    if (file === '-') return configForFile(config, file);
    const folder = path.dirname(path.resolve(file));
    let own = byFolder.get(folder);
    if (!own) {
      const near = loadProjectConfig(folder);
      const nearer = near.pyproject !== null ? near.pyproject !== config.source : near.config.targetVersion !== DEFAULT_CONFIG.targetVersion;
      own = nearer && near.config.targetVersion !== config.targetVersion ? { ...config, targetVersion: near.config.targetVersion } : config;
      byFolder.set(folder, own);
    }
    return configForFile(own, file);
  };
}

/** The files under `paths`, checked on worker threads, then (with --fix or --diff) fixed one by one. */
async function checkPaths(args: Args, paths: string[], config: ProjectConfig, fixOptions: FixAllOptions | null, errors: string[]): Promise<Checked[]> {
  const root = config.source ? path.dirname(config.source) : process.cwd();
  const collected = collectPythonFiles(paths.filter((p) => p !== '-'), config.exclude, root);
  errors.push(...collected.errors);
  const files = collected.files;
  const configOf = perFileConfig(args, config);
  const progress = progressLine(files.length);
  // --why-not counts every loop, which no cached result keeps: it analyses every file
  const tally = args.options.has('--why-not') && !fixOptions;
  const cache = args.options.has('--no-cache') || tally || files.length === 0 ? null : ResultCache.open(cacheDirFor(findPyproject(paths[0] && paths[0] !== '-' ? paths[0] : '.'), paths.filter((p) => p !== '-')), config);
  const outcomes = await checkFilesCached(files, configOf, cache, (...job) => engine().analyseFiles(...job), { jobs: jobsFrom(args.options), onChecked: progress.tick, tally });
  progress.done();
  const fixes = fixOptions ? await engine().fixCheckedFiles(files, outcomes, configOf, fixOptions) : [];
  // a file --fix rewrites is analysed again next time (its new text has no entry; this one is stale)
  if (cache && !diffOnly(args)) fixes.forEach((fix, i) => fix?.ok && fix.fixed !== fix.original && cache.forget(files[i]));
  cache?.save();
  const checked: Checked[] = [];
  outcomes.forEach((outcome, i) => {
    const file = files[i];
    const fix = fixes[i];
    if (!outcome.ok) return void errors.push(outcome.error);
    if (fix && !fix.ok) errors.push(fix.error);
    const unchecked = outcome.unchecked ? { unchecked: outcome.unchecked } : {};
    if (fix?.ok) checked.push({ file, findings: remaining(file, fix), fix, ...unchecked });
    else checked.push({ file, findings: outcome.findings.map((finding) => ({ file, finding })), ...(outcome.loops ? { loops: outcome.loops } : {}), ...unchecked });
  });
  return checked;
}

function diffOnly(args: Args): boolean {
  return args.options.has('--diff');
}

async function check(args: Args): Promise<number> {
  const paths = args.positional.length ? args.positional : ['.'];
  const format = (args.options.get('--format') as string | undefined) ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format ${format} (text, json, sarif)`);
  if (args.options.has('--why-not') && (!args.options.has('--statistics') || format !== 'text' || args.options.has('--fix') || args.options.has('--diff'))) {
    throw new UsageError('--why-not goes with --statistics (text format, without --fix or --diff)');
  }
  const diffOnly = args.options.has('--diff');
  const fixOptions: FixAllOptions | null = args.options.has('--fix') || diffOnly ? { unsafe: args.options.has('--unsafe-fixes') } : null;
  const quiet = args.options.has('--quiet');
  const errors: string[] = [];
  const config = projectConfig(args, paths, errors);
  const configErrors = errors.length;
  const stdin = paths.includes('-') ? await checkStdin(args, config, fixOptions, errors) : null;
  const checked = [...(stdin ? [stdin] : []), ...(await checkPaths(args, paths, config, fixOptions, errors))];
  const failed = errors.length - configErrors;
  const fileCount = checked.length;
  // write the fixes (a fixed standard input goes to stdout, as Ruff does; the report then goes to stderr)
  const changed = checked.filter((c): c is Checked & { fix: FixedSource } => !!c.fix && c.fix.fixed !== c.fix.original);
  if (!diffOnly) {
    for (const c of changed) {
      if (c === stdin) continue;
      try {
        fs.writeFileSync(c.file, c.fix.fixed);
      } catch (e) {
        errors.push(`${c.file}: cannot write the fixes: ${(e as Error).message}`);
      }
    }
  }
  for (const e of errors) process.stderr.write(`parallelize: error: ${e}\n`);
  for (const c of checked) if (c.fix?.skipped) process.stderr.write(`parallelize: warning: ${c.file}: ${c.fix.skipped}\n`);
  // as Ruff reports a file it cannot parse: "All checks passed!" must not hide files whose loops were not looked at
  for (const c of checked) if (c.unchecked && !c.fix?.skipped) process.stderr.write(`parallelize: warning: ${c.file}: ${c.unchecked}\n`);
  const fixed = checked.filter((c) => c.fix).map((c) => ({ file: c.file, applied: c.fix!.applied }));
  const fixCount = fixed.reduce((n, f) => n + f.applied.length, 0);
  if (diffOnly) {
    for (const c of changed) process.stdout.write(engine().createTwoFilesPatch(c.file, c.file, c.fix.original, c.fix.fixed, undefined, undefined, { context: 3 }));
    if (!quiet) process.stderr.write(args.options.has('--show-fixes') ? formatAppliedFixes(fixed, true) : formatWouldFix(fixCount));
    if (errors.length > 0) return 2;
    return changed.length > 0 && !args.options.has('--exit-zero') ? 1 : 0;
  }
  const fixedStdin = stdin?.fix !== undefined;
  if (fixedStdin) process.stdout.write(stdin!.fix!.fixed);
  const report = fixedStdin ? process.stderr : process.stdout;
  const all = checked.flatMap((c) => c.findings);
  if (format === 'json') report.write(formatJson(all));
  else if (format === 'sarif') report.write(formatSarif(all));
  else if (args.options.has('--statistics')) {
    report.write(formatStatistics(all));
    if (args.options.has('--why-not')) {
      const { emptyTally, formatLoopTally, mergeTallies } = engine();
      report.write('\n' + formatLoopTally(checked.reduce((t, c) => (c.loops ? mergeTallies(t, c.loops) : t), emptyTally()), fileCount));
    }
  }
  else {
    const options = { fixed: fixOptions ? fixCount : undefined, unsafeFixes: args.options.has('--unsafe-fixes'), quiet, failed };
    report.write(formatText(all, fileCount, { ...options, quiet: true }));
    if (fixOptions && args.options.has('--show-fixes') && !quiet) report.write(formatAppliedFixes(fixed));
    if (!quiet) report.write(summaryLines(all, fileCount, options).map((line) => line + '\n').join(''));
  }
  if (errors.length > 0) return 2;
  if (args.options.has('--exit-zero')) return 0;
  return all.length > 0 ? 1 : 0;
}

async function fix(args: Args): Promise<number> {
  const file = args.positional[0];
  const rule = args.options.get('--rule');
  const line = args.options.get('--line');
  if (!file || typeof rule !== 'string' || typeof line !== 'string') throw new UsageError('fix needs PATH --rule CODE --line N');
  if (!/^\d+$/.test(line)) throw new UsageError('--line takes a line number');
  const which = args.options.get('--fix') ?? '1';
  if (typeof which !== 'string' || !/^[1-9]\d*$/.test(which)) throw new UsageError('--fix takes a fix number (1 for the first fix)');
  const { createParser, fixText, readSource, SummaryStore, withWorkspace } = engine();
  let text: string;
  try {
    text = readSource(file);
  } catch (e) {
    process.stderr.write(`parallelize: error: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const parser = await createParser();
  const outcome = fixText(text, parser, withWorkspace(configForFile(projectConfig(args, [file], []), file), file, new SummaryStore(parser)), Number(line), rule.toUpperCase(), Number(which) - 1);
  if (!outcome.ok && outcome.fixCount !== undefined) {
    process.stderr.write(`parallelize: ${file}:${line}: --fix ${which} is out of range: ${rule.toUpperCase()} offers ${outcome.fixCount} fix(es) here\n`);
    return 2;
  }
  if (!outcome.ok) {
    process.stderr.write(`parallelize: ${file}:${line}: ${outcome.reason}\n`);
    return 1;
  }
  if (outcome.applicability === 'unsafe') {
    process.stderr.write(`parallelize: the fix is unsafe: ${outcome.doubts.join('; ')}\n`);
  }
  if (args.options.has('--write')) {
    fs.writeFileSync(file, outcome.text);
    process.stderr.write(`parallelize: applied "${outcome.fix.title}" to ${file}\n`);
  } else if (args.options.has('--diff')) {
    process.stdout.write(engine().createTwoFilesPatch(file, file, text, outcome.text, undefined, undefined, { context: 3 }));
  } else {
    process.stdout.write(outcome.text);
  }
  return 0;
}

/** `explain FILE:LINE`: the hover's text for what starts on that line, as Markdown in the terminal. */
async function explain(args: Args): Promise<number> {
  const m = /^(.*):(\d+)$/.exec(args.positional[0] ?? '');
  if (!m) throw new UsageError('explain needs FILE:LINE');
  const [, file, lineText] = m;
  const { confirmedFinding, createParser, explainLine, lint, parseSyntax, readSource, SummaryStore, withWorkspace } = engine();
  let text: string;
  try {
    text = readSource(file).replace(/\r\n/g, '\n');
  } catch (e) {
    process.stderr.write(`parallelize: error: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const parser = await createParser();
  const config = withWorkspace(configForFile(projectConfig(args, [file], []), file), file, new SummaryStore(parser));
  const tree = parseSyntax(parser, text);
  try {
    const result = lint(tree, text, config);
    const explained = explainLine(result, Number(lineText) - 1, config.minIterations, (f) => confirmedFinding(f, text, parser, result.analysis, tree));
    if (!explained) {
      process.stderr.write(`parallelize: ${file}:${lineText}: no loop, comprehension, pool or call finding starts on this line\n`);
      return 1;
    }
    process.stdout.write(explained + '\n');
    return 0;
  } finally {
    tree.delete();
  }
}

function ruleDocs(args: Args): number {
  const code = args.positional[0]?.toUpperCase();
  if (!code) {
    for (const r of RULES) process.stdout.write(`${r.code}  ${r.name.padEnd(30)} ${r.summary}${r.implemented ? '' : ' (not yet implemented)'}\n`);
    return 0;
  }
  const info = RULES_BY_CODE.get(code);
  if (!info) throw new UsageError(`unknown rule ${code}`);
  const candidates = [path.join(__dirname, 'docs', 'rules', `${code}.md`), path.join(__dirname, '..', 'docs', 'rules', `${code}.md`), path.join(__dirname, '..', '..', '..', 'docs', 'rules', `${code}.md`)];
  const page = candidates.find((p) => fs.existsSync(p));
  process.stdout.write(page ? fs.readFileSync(page, 'utf8') : `# ${info.code}: ${info.name}\n\n${info.summary}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    // `parallelize check --help`: the usage, as for `parallelize --help` (not a check of the current folder)
    if (args.options.has('--help') || args.options.has('-h')) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    switch (args.command) {
      case 'check':
        return await check(args);
      case 'fix':
        return await fix(args);
      case 'rule':
        return ruleDocs(args);
      case 'explain':
        return await explain(args);
      case '--version':
      case '-V':
      case 'version':
        process.stdout.write(`parallelize ${TOOL_VERSION}\n`);
        return 0;
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      default:
        throw new UsageError(args.command ? `unknown command ${args.command}` : 'missing command');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`parallelize: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`parallelize: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

if (require.main === module) {
  // a reader that stops early (`| head`) closes the pipe: stop quietly, as Ruff and grep do
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
