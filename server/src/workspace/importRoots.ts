// Where absolute imports are looked up for a file, as Python's sys.path would have them: the folder above the
// outermost package holding the file (the script's folder when it is in none), then the roots its nearest
// pyproject.toml names (`[tool.setuptools] package-dir`, `[tool.setuptools.packages.find] where`, a `src` folder,
// the project folder itself). Also turns an import into the file it loads.
import * as path from 'node:path';
import { findPyproject } from '../config';

// smol-toml ships only as an ES module; Node 20 loads it with require() and esbuild bundles it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml } = require('smol-toml') as typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });

/** What the resolution reads of the file system (the server answers for open documents too). */
export interface FileSystemView {
  isFile(file: string): boolean;
  isDirectory(dir: string): boolean;
  readText(file: string): string | undefined;
}

/** A module found for an import: its file, and the names of the dotted path left to look up inside it. */
export interface LocatedModule {
  file: string;
  rest: string[];
  /** The import root it was found under (for names relative to it: `pkg/features.py`). */
  root: string;
}

export class ImportRoots {
  private readonly rootsByDir = new Map<string, string[]>();
  private readonly pyprojectRoots = new Map<string, string[]>();
  /** Per file: the folders its own `sys.path.append(…)`/`insert(…)` lines add, where they can be read. */
  private readonly scriptRoots = new Map<string, string[]>();
  /** Module files found (or not) by path: the same few modules are looked up for every call into them. */
  private readonly modules = new Map<string, string | null>();

  constructor(private readonly fs: FileSystemView) {}

  /** Forgets what it learnt of the file system (files created or deleted, a pyproject.toml edited). */
  clear(): void {
    this.rootsByDir.clear();
    this.pyprojectRoots.clear();
    this.scriptRoots.clear();
    this.modules.clear();
  }

  /** Forgets the folders `file` adds to `sys.path` itself (its text changed). */
  forget(file: string): void {
    this.scriptRoots.delete(path.resolve(file));
  }

  /** The roots absolute imports of `file` are looked up in, in order. */
  rootsOf(file: string): string[] {
    const dir = path.dirname(path.resolve(file));
    let roots = this.rootsByDir.get(dir);
    if (roots) return roots;
    let top = dir;
    while (this.fs.isFile(path.join(top, '__init__.py')) && path.dirname(top) !== top) top = path.dirname(top);
    roots = [top];
    const pyproject = findPyproject(dir);
    if (pyproject) for (const r of this.projectRoots(pyproject)) if (!roots.includes(r)) roots.push(r);
    // a module of a package run as a script (`python vireo/app.py`) has its own folder first on `sys.path`: its
    // flat imports of siblings (`from image_loader import load_image`) resolve there, after the package's roots
    if (!roots.includes(dir)) roots.push(dir);
    this.rootsByDir.set(dir, roots);
    return roots;
  }

  private projectRoots(pyproject: string): string[] {
    let roots = this.pyprojectRoots.get(pyproject);
    if (roots) return roots;
    const base = path.dirname(pyproject);
    roots = [];
    try {
      const toml = parseToml(this.fs.readText(pyproject) ?? '') as Record<string, unknown>;
      const setuptools = ((toml.tool as Record<string, unknown> | undefined)?.setuptools ?? {}) as Record<string, unknown>;
      const packageDir = setuptools['package-dir'] as Record<string, unknown> | undefined;
      if (packageDir && typeof packageDir[''] === 'string') roots.push(path.resolve(base, packageDir[''] as string));
      const find = (setuptools.packages as Record<string, unknown> | undefined)?.find as Record<string, unknown> | undefined;
      const where = find?.where;
      if (Array.isArray(where)) for (const w of where) if (typeof w === 'string') roots.push(path.resolve(base, w));
    } catch {
      // a broken pyproject.toml is reported by the configuration; its folders still serve
    }
    if (this.fs.isDirectory(path.join(base, 'src'))) roots.push(path.join(base, 'src'));
    roots.push(base);
    this.pyprojectRoots.set(pyproject, roots);
    return roots;
  }

  /** The file of module `parts` under `dir` (`a/b.py` or `a/b/__init__.py`), or null. */
  private moduleFile(dir: string, parts: string[]): string | null {
    const base = path.join(dir, ...parts);
    const key = parts.length > 0 ? base : `${base}${path.sep}`;
    let found = this.modules.get(key);
    if (found === undefined) {
      const init = path.join(base, '__init__.py');
      found = parts.length > 0 && this.fs.isFile(`${base}.py`) ? `${base}.py` : this.fs.isFile(init) ? init : null;
      this.modules.set(key, found);
    }
    return found;
  }

  /**
   * The module a dotted name as `importer` spells it leads to, the longest module prefix first (`pkg.mod.f`: the
   * file of `pkg.mod`, rest `f`); relative names (`.mod.f`, `..f`) start from the importer's package. Null when
   * no file of the workspace is that module (the standard library, a third-party package, a typo).
   */
  locate(qualified: string, importer: string): LocatedModule | null {
    const dots = /^\.*/.exec(qualified)![0].length;
    const parts = qualified.slice(dots).split('.').filter(Boolean);
    if (dots > 0) {
      let dir = path.dirname(path.resolve(importer));
      for (let i = 1; i < dots; i++) dir = path.dirname(dir);
      return this.longestPrefix(dir, parts, this.rootsOf(importer)[0], 0);
    }
    if (parts.length === 0) return null;
    for (const root of [...this.rootsOf(importer), ...this.pathsAdded(importer)]) {
      const found = this.longestPrefix(root, parts, root, 1);
      if (found) return found;
    }
    // `from src.functions.IC import f` in `src/functions/CELF.py`, folders without `__init__.py` (namespace
    // packages): the import names a folder the file is in, so the program runs from the folder above it
    if (parts.length < 2) return null;
    for (let dir = path.dirname(path.resolve(importer)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      if (path.basename(dir) !== parts[0]) continue;
      const root = path.dirname(dir);
      const found = this.longestPrefix(root, parts, root, 2);
      if (found) return found;
    }
    return null;
  }

  /**
   * The folders `file` puts on `sys.path` itself, as scripts of a folder do to import their neighbours
   * (`sys.path.append(str(Path(__file__).resolve().parents[1]))`, `sys.path.insert(0, os.path.join(os.path.dirname(
   * __file__), ".."))`): those spelled from `__file__` or as a literal path, which is taken from the file's folder
   * (where such scripts are run from). A path computed otherwise is not guessed.
   */
  private pathsAdded(file: string): string[] {
    const key = path.resolve(file);
    let added = this.scriptRoots.get(key);
    if (added) return added;
    added = [];
    const text = this.fs.readText(key) ?? '';
    if (text.includes('sys.path')) {
      for (const m of text.matchAll(/^[ \t]*sys\.path\.(?:append|insert)\(\s*(?:\d+\s*,\s*)?(.+?)\s*\)[ \t]*(?:#.*)?$/gm)) {
        const dir = pathExpression(m[1], key);
        if (dir && !added.includes(dir) && this.fs.isDirectory(dir)) added.push(dir);
      }
    }
    this.scriptRoots.set(key, added);
    return added;
  }

  /** `shortest`: 0 when the folder is a package itself (a relative import), 1 for an import root. */
  private longestPrefix(dir: string, parts: string[], root: string, shortest: number): LocatedModule | null {
    for (let n = parts.length; n >= shortest; n--) {
      const file = this.moduleFile(dir, parts.slice(0, n));
      if (file) return { file, rest: parts.slice(n), root };
    }
    return null;
  }
}

/**
 * The folder a `sys.path` entry spelled in `file` names: `__file__`, `Path(__file__)` with `.resolve()`, `.parent`,
 * `.parents[N]` and `/ "name"`, `os.path.dirname/abspath/realpath/join`, `str(...)`, or a string literal (from the
 * file's folder); null for anything else.
 */
export function pathExpression(spelled: string, file: string): string | null {
  let rest = spelled.replace(/\s+/g, '');
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(m[0].length);
    return m;
  };
  const value = (): string | null => {
    let here: string | null;
    if (take(/^str\(/)) {
      here = value();
      if (!take(/^\)/)) return null;
    } else if (take(/^(?:pathlib\.)?Path\(/)) {
      here = value();
      if (!take(/^\)/)) return null;
    } else if (take(/^os\.path\.(?:abspath|realpath|normpath)\(/)) {
      here = value();
      if (!here || !take(/^\)/)) return null;
      here = path.resolve(here);
    } else if (take(/^os\.path\.dirname\(/)) {
      here = value();
      if (!here || !take(/^\)/)) return null;
      here = path.dirname(here);
    } else if (take(/^os\.path\.join\(/)) {
      here = value();
      while (here && take(/^,/)) {
        const part = value();
        here = part === null ? null : joined(here, part);
      }
      if (!here || !take(/^\)/)) return null;
    } else if (take(/^__file__/)) {
      here = file;
    } else {
      const literal = take(/^[rR]?(['"])([^'"\\]*)\1/);
      if (!literal) return null;
      here = literal[2];
    }
    // Path methods and operators after the value
    for (;;) {
      if (!here) return null;
      if (take(/^\.(?:resolve|absolute)\(\)/)) here = path.resolve(path.dirname(file), here);
      else if (take(/^\.parent(?![\w\[])/)) here = path.dirname(here);
      else {
        const up = take(/^\.parents\[(\d+)\]/);
        if (up) {
          for (let i = 0; i <= Number(up[1]); i++) here = path.dirname(here);
        } else if (take(/^\//)) {
          const part = value();
          here = part === null ? null : joined(here, part);
        } else return here;
      }
    }
  };
  // `a / b`, `os.path.join(a, b)`: an absolute `b` replaces `a`, as in Python
  const joined = (a: string, b: string): string => (path.isAbsolute(b) ? b : path.join(a, b));
  const found = value();
  if (found === null || rest !== '') return null;
  return path.resolve(path.dirname(file), found);
}
