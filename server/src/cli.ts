// parallelize check|fix|rule — the same engine as the language server, without an editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { configForFile, DEFAULT_CONFIG, findPyproject, loadPyproject, type ProjectConfig } from './config';
import { DEFAULT_LINT_CONFIG, fixText, type LintConfig, lint } from './linter';
import { createParser, parseText, type Parser } from './parser';
import { RULES, RULES_BY_CODE } from './rules/catalog';
import type { Finding } from './rules/types';

class UsageError extends Error {}

const USAGE = `usage:
  parallelize check [PATH...] [--select CODES] [--ignore CODES] [--format text|json] [--exit-zero] [--min-iterations N]
  parallelize fix PATH --rule CODE --line N [--diff|--write]
  parallelize rule CODE`;

interface Args {
  command: string;
  positional: string[];
  options: Map<string, string | true>;
}

const VALUE_OPTIONS = new Set(['--select', '--ignore', '--format', '--rule', '--line', '--min-iterations', '--target-version']);
const FLAG_OPTIONS = new Set(['--exit-zero', '--diff', '--write', '--help']);

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
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { command, positional, options };
}

function configFrom(options: Map<string, string | true>): LintConfig {
  const list = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
  };
  const config: LintConfig = { ...DEFAULT_LINT_CONFIG, select: list('--select'), ignore: list('--ignore') };
  const min = options.get('--min-iterations');
  if (typeof min === 'string') {
    if (!/^\d+$/.test(min)) throw new UsageError('--min-iterations takes a whole number');
    config.minIterations = Number(min);
  }
  for (const code of [...config.select, ...config.ignore]) {
    if (code !== 'ALL' && !RULES.some((r) => r.code.startsWith(code.toUpperCase()))) throw new UsageError(`unknown rule code or prefix: ${code}`);
  }
  return config;
}

/** Python files under the given paths (directories walked recursively, hidden and virtualenv folders skipped). */
function collectFiles(paths: string[], errors: string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      errors.push(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      return;
    }
    if (stat.isDirectory()) {
      const base = path.basename(p);
      if (!explicit && (base.startsWith('.') || ['node_modules', '__pycache__', 'venv', '.venv', 'site-packages'].includes(base))) return;
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch (e) {
        errors.push(`${p}: ${(e as Error).message}`);
        return;
      }
      for (const entry of entries) visit(path.join(p, entry), false);
    } else if (explicit || p.endsWith('.py') || p.endsWith('.pyi')) {
      if (!p.endsWith('.pyi')) files.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return files;
}

interface FileReport {
  file: string;
  findings: Finding[];
}

function readText(file: string): string {
  const buffer = fs.readFileSync(file);
  return buffer.toString('utf8');
}

function checkFile(parser: Parser, file: string, config: LintConfig): FileReport {
  const raw = readText(file);
  const text = raw.replace(/\r\n/g, '\n');
  const tree = parseText(parser, text);
  try {
    const { findings } = lint(tree, text, config);
    // findings hold syntax nodes of this tree: keep only what the report needs
    return { file, findings: findings.map((f) => ({ ...f, loop: { ...f.loop } })) };
  } finally {
    tree.delete();
  }
}

function jsonRecord(file: string, f: Finding) {
  return {
    file,
    line: f.span.startLine + 1,
    column: f.span.startColumn + 1,
    endLine: f.span.endLine + 1,
    endColumn: f.span.endColumn + 1,
    code: f.code,
    message: f.message,
    fixes: f.fixes.map((x) => ({ title: x.title, applicability: x.applicability })),
  };
}

/** pyproject `[tool.parallelize]` (nearest to the first path) under the command-line options. */
function projectConfig(args: Args, paths: string[], errors: string[]): ProjectConfig {
  const cli = configFrom(args.options);
  const pyproject = findPyproject(paths[0] ?? '.');
  let config: ProjectConfig = DEFAULT_CONFIG;
  if (pyproject) {
    const loaded = loadPyproject(pyproject);
    errors.push(...loaded.errors);
    config = loaded.config;
  }
  return {
    ...config,
    select: args.options.has('--select') ? cli.select : config.select,
    ignore: args.options.has('--ignore') ? cli.ignore : config.ignore,
    minIterations: args.options.has('--min-iterations') ? cli.minIterations : config.minIterations,
  };
}

async function check(args: Args): Promise<number> {
  const paths = args.positional.length ? args.positional : ['.'];
  const configErrors: string[] = [];
  const config = projectConfig(args, paths, configErrors);
  for (const e of configErrors) process.stderr.write(`parallelize: error: ${e}\n`);
  const format = (args.options.get('--format') as string | undefined) ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`unknown format ${format} (text, json)`);
  const errors: string[] = [];
  const files = collectFiles(paths, errors);
  const parser = await createParser();
  const reports: FileReport[] = [];
  for (const file of files) {
    try {
      reports.push(checkFile(parser, file, configForFile(config, file)));
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message}`);
    }
  }
  for (const e of errors) process.stderr.write(`parallelize: error: ${e}\n`);
  const all = reports.flatMap((r) => r.findings.map((f) => ({ file: r.file, f })));
  if (format === 'json') {
    process.stdout.write(JSON.stringify(all.map(({ file, f }) => jsonRecord(file, f)), null, 2) + '\n');
  } else {
    for (const { file, f } of all) {
      const fix = f.fixes[0] ? (f.fixes[0].applicability === 'safe' ? ' [*]' : ' [unsafe fix]') : '';
      process.stdout.write(`${file}:${f.span.startLine + 1}:${f.span.startColumn + 1}: ${f.code}${fix} ${f.message}\n`);
    }
    const safe = all.filter(({ f }) => f.fixes.some((x) => x.applicability === 'safe')).length;
    const unsafe = all.filter(({ f }) => f.fixes.some((x) => x.applicability === 'unsafe')).length;
    if (all.length === 0) process.stdout.write(`All checks passed! (${files.length} file${files.length === 1 ? '' : 's'})\n`);
    else {
      process.stdout.write(`Found ${all.length} parallelizable loop${all.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}.\n`);
      if (safe) process.stdout.write(`[*] ${safe} fixable with \`parallelize fix FILE --rule CODE --line N\`.\n`);
      if (unsafe) process.stdout.write(`${unsafe} fix${unsafe === 1 ? '' : 'es'} marked unsafe: review them (see the hover or \`parallelize rule CODE\`).\n`);
    }
  }
  if (errors.length > 0 || configErrors.length > 0) return 2;
  if (args.options.has('--exit-zero')) return 0;
  return all.length > 0 ? 1 : 0;
}

async function fix(args: Args): Promise<number> {
  const file = args.positional[0];
  const rule = args.options.get('--rule');
  const line = args.options.get('--line');
  if (!file || typeof rule !== 'string' || typeof line !== 'string') throw new UsageError('fix needs PATH --rule CODE --line N');
  if (!/^\d+$/.test(line)) throw new UsageError('--line takes a line number');
  let text: string;
  try {
    text = readText(file);
  } catch (e) {
    process.stderr.write(`parallelize: error: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  const parser = await createParser();
  const outcome = fixText(text, parser, configForFile(projectConfig(args, [file], []), file), Number(line), rule.toUpperCase());
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
