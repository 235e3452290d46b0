// parallelize check|fix|rule — the same engine as the language server, without an editor.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { configForFile, DEFAULT_CONFIG, findPyproject, loadPyproject, mergeConfig, type ProjectConfig } from './config';
import { checkFiles, chooseJobs, lintSource, readSource } from './checkFiles';
import { explainLine, fixText, lint, type LintConfig } from './linter';
import { createParser, parseSyntax } from './parser';
import { RULES, RULES_BY_CODE } from './rules/catalog';
import { collectPythonFiles } from './files';
import { formatJson, formatSarif, formatStatistics, formatText, type ReportedFinding } from './report';

class UsageError extends Error {}

const USAGE = `usage:
  parallelize check [PATH...|-] [--select CODES] [--ignore CODES] [--exclude GLOBS] [--format text|json|sarif]
                    [--statistics] [--exit-zero] [--min-iterations N] [--min-speedup X] [--target-cores N] [--target-version pyXY] [--stdin-filename NAME] [--jobs N]
  parallelize fix PATH --rule CODE --line N [--fix K] [--target-version pyXY] [--diff|--write]
                    (--fix K: apply the finding's K-th fix, 1-based, as listed by check --format json; default 1)
  parallelize explain FILE:LINE       (why the loop, comprehension or call starting on LINE is or is not reported)
  parallelize rule CODE`;

interface Args {
  command: string;
  positional: string[];
  options: Map<string, string | true>;
}

const VALUE_OPTIONS = new Set(['--select', '--ignore', '--format', '--rule', '--line', '--fix', '--min-iterations', '--min-speedup', '--target-cores', '--target-version', '--exclude', '--stdin-filename', '--jobs']);
const FLAG_OPTIONS = new Set(['--exit-zero', '--diff', '--write', '--help', '--statistics']);

function parseArgs(argv: string[]): Args {
  const [command = '', ...rest] = argv;
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.has(name)) {
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
  const pyproject = findPyproject(paths[0] && paths[0] !== '-' ? paths[0] : '.');
  let config: ProjectConfig = DEFAULT_CONFIG;
  if (pyproject) {
    const loaded = loadPyproject(pyproject);
    errors.push(...loaded.errors);
    config = loaded.config;
  }
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
    exclude: typeof exclude === 'string' ? [...config.exclude, ...exclude.split(',').map((g) => g.trim()).filter(Boolean)] : config.exclude,
  };
}

async function check(args: Args): Promise<number> {
  const paths = args.positional.length ? args.positional : ['.'];
  const format = (args.options.get('--format') as string | undefined) ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format ${format} (text, json, sarif)`);
  const requestedJobs = jobsFrom(args.options);
  const errors: string[] = [];
  const config = projectConfig(args, paths, errors);
  const root = config.source ? path.dirname(config.source) : process.cwd();
  const all: ReportedFinding[] = [];
  let fileCount = 0;
  if (paths.includes('-')) {
    const name = (args.options.get('--stdin-filename') as string | undefined) ?? '-';
    const findings = lintSource(await createParser(), fs.readFileSync(0, 'utf8'), configForFile(config, name));
    all.push(...findings.map((finding) => ({ file: name, finding })));
    fileCount++;
  }
  const collected = collectPythonFiles(paths.filter((p) => p !== '-'), config.exclude, root);
  errors.push(...collected.errors);
  const files = collected.files;
  const outcomes = await checkFiles(files, (file) => configForFile(config, file), chooseJobs(files, requestedJobs));
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) return void errors.push(outcome.error);
    all.push(...outcome.findings.map((finding) => ({ file: files[i], finding })));
    fileCount++;
  });
  for (const e of errors) process.stderr.write(`parallelize: error: ${e}\n`);
  if (format === 'json') process.stdout.write(formatJson(all));
  else if (format === 'sarif') process.stdout.write(formatSarif(all));
  else if (args.options.has('--statistics')) process.stdout.write(formatStatistics(all));
  else process.stdout.write(formatText(all, fileCount));
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
  let text: string;
  try {
    text = readSource(file);
  } catch (e) {
    process.stderr.write(`parallelize: error: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const parser = await createParser();
  const outcome = fixText(text, parser, configForFile(projectConfig(args, [file], []), file), Number(line), rule.toUpperCase(), Number(which) - 1);
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
    process.stdout.write(createTwoFilesPatch(file, file, text, outcome.text, undefined, undefined, { context: 3 }));
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
  let text: string;
  try {
    text = readSource(file).replace(/\r\n/g, '\n');
  } catch (e) {
    process.stderr.write(`parallelize: error: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const config = configForFile(projectConfig(args, [file], []), file);
  const parser = await createParser();
  const tree = parseSyntax(parser, text);
  try {
    const explained = explainLine(lint(tree, text, config), Number(lineText) - 1, config.minIterations);
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
    switch (args.command) {
      case 'check':
        return await check(args);
      case 'fix':
        return await fix(args);
      case 'rule':
        return ruleDocs(args);
      case 'explain':
        return await explain(args);
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
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
