// Which files `check` reads: Python files under the given paths, honouring .gitignore files and the
// configured `exclude` globs; unreadable entries and symlink loops are reported, not fatal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globToRegExp } from './config';

interface IgnoreRule {
  /** Directory of the .gitignore (absolute). */
  base: string;
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
  anchored: boolean;
}

/** Parses one .gitignore (the common subset: globs, `**`, leading `/`, trailing `/`, `!`, comments). */
export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    rules.push({ base, regex: globToRegExp(line), negated, directoryOnly, anchored });
  }
  return rules;
}

function ignoredBy(rules: IgnoreRule[], absolute: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    const relative = path.relative(rule.base, absolute).split(path.sep).join('/');
    if (relative.startsWith('..')) continue;
    const matches = rule.anchored ? rule.regex.test(relative) : rule.regex.test(path.basename(absolute)) || rule.regex.test(relative);
    if (matches) ignored = !rule.negated;
  }
  return ignored;
}

/**
 * Directories never walked into (a path given explicitly is still checked): version control, environments, caches,
 * and, as Ruff's default exclusions, build output (`build`, `dist`, `_build`), whose Python files are copies of the
 * project's (round 44: one loop reported four times, from `src/` and three packaged builds).
 */
const ALWAYS_SKIPPED = new Set([
  ...['.git', '.hg', '.svn', '.bzr', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.direnv', '.eggs'],
  ...['.mypy_cache', '.ruff_cache', '.pytest_cache', '.pytype', '.ipynb_checkpoints', 'site-packages', '__pypackages__'],
  ...['build', 'dist', '_build', 'buck-out'],
]);

/** A macOS application bundle (`Tool.app/Contents/…`): a packaged copy of a program, as build output is. */
function appBundle(name: string, full: string): boolean {
  return name.endsWith('.app') && fs.existsSync(path.join(full, 'Contents'));
}

export interface Collected {
  files: string[];
  errors: string[];
}

/**
 * The system's realpath (one call, where node's own walks every component); when it fails, node's, whose error
 * messages the reports have always carried.
 */
function realPath(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return fs.realpathSync(dir);
  }
}

/** Python files under `paths` (explicit files are always taken). `exclude` globs are relative to `root`. */
export function collectPythonFiles(paths: string[], exclude: string[] = [], root = process.cwd()): Collected {
  const files: string[] = [];
  const errors: string[] = [];
  const excludeRes = exclude.map((g) => globToRegExp(g.replace(/\/$/, '')));
  const excluded = (p: string) => {
    if (excludeRes.length === 0) return false;
    const relative = path.relative(root, path.resolve(p)).split(path.sep).join('/');
    return excludeRes.some((re) => re.test(relative) || re.test(path.basename(p)));
  };
  const seenDirs = new Set<string>();
  // the order String.localeCompare gives, with one collator rather than one per comparison
  const byName = new Intl.Collator();

  const visitDir = (dir: string, rules: IgnoreRule[]) => {
    let real: string;
    try {
      real = realPath(dir);
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    if (seenDirs.has(real)) return; // a symlink cycle, or a directory reached twice
    seenDirs.add(real);
    let ownRules = rules;
    const gitignore = path.join(dir, '.gitignore');
    // (a folder named `.gitignore` is no ignore file: git reads none from it, round 62)
    if (isFile(gitignore)) {
      try {
        ownRules = [...rules, ...parseGitignore(fs.readFileSync(gitignore, 'utf8'), path.resolve(dir))];
      } catch (e) {
        errors.push(`${gitignore}: ${(e as Error).message}`);
      }
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => byName.compare(a.name, b.name));
    } catch (e) {
      errors.push(`${dir}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
      return;
    }
    // path.join(dir, name) for every name: a name read from a folder is one plain segment (never `..`, never a separator)
    const prefix = path.join(dir, '_').slice(0, -1);
    for (const entry of entries) {
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      const python = entry.name.endsWith('.py') || entry.name.endsWith('.pyw');
      // most entries of a source tree are neither folders nor Python files: nothing more to know of them
      if (isFile && !python) continue;
      const full = prefix + entry.name;
      if (entry.isSymbolicLink()) {
        try {
          const stat = fs.statSync(full);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (entry.name.endsWith('.py')) errors.push(`${full}: ${code === 'ELOOP' ? 'symbolic link loop' : code === 'ENOENT' ? 'broken symbolic link' : (e as Error).message}`);
          continue;
        }
      }
      if (isDirectory) {
        if (ALWAYS_SKIPPED.has(entry.name) || appBundle(entry.name, full) || excluded(full) || (ownRules.length > 0 && ignoredBy(ownRules, path.resolve(full), true))) continue;
        visitDir(full, ownRules);
      } else if (isFile && python) {
        if (excluded(full) || (ownRules.length > 0 && ignoredBy(ownRules, path.resolve(full), false))) continue;
        files.push(full);
      }
    }
  };

  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'ELOOP' ? 'symbolic link loop' : (e as Error).message}`);
      continue;
    }
    if (stat.isDirectory()) visitDir(p, []);
    else files.push(p);
  }
  return { files, errors };
}

/** Whether `file` exists and is a regular file (or a link to one). */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
