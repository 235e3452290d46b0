// Where a function's name is written in its project: the text of every Python file (and of the notebooks,
// configuration and scripts that may call it) searched for the word, without parsing. The loop rules ask it
// whether anything calls the function holding a loop, and whether every caller already hands it to a pool.
// A word in a string counts as a reference (a name looked up with getattr, an entry point); one in a comment does
// not (a commented-out call is no call). The answer errs towards "called, not concurrently".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { isTestFile } from '../config';
import { isStdlibModule } from '../analysis/knowledge';
import { type AttributeStore, type CallSiteIndex, type MethodDefiner, HANDLER_DECORATOR, type ReferenceSite, STARTS_TASKS, STARTUP_DECORATOR } from '../analysis/reach';

/** What is read to find a project's files and their text (the language server reads open documents' text). */
export interface SourceView {
  readText(file: string): string | undefined;
}

/** A project larger than this is not searched (the answer is then unknown, and no loop is turned away for it). */
const MAX_FILES = 3000;
const MAX_BYTES = 60 * 1024 * 1024;
/** How far up from a file its project's root is looked for. */
const MAX_LEVELS = 6;

/** Files that say "this is the top of a project" (a repository, a package). */
const STRONG_MARKERS = ['.git', '.hg', 'pyproject.toml', 'setup.py', 'setup.cfg'];
const WEAK_MARKERS = /^(readme(\.\w+)?|license(\.\w+)?|licence(\.\w+)?|\.gitignore|requirements[\w.-]*\.txt|pipfile)$/i;

/** Files searched besides Python modules: where a function may be named for a caller we cannot parse. */
const SEARCHED = /\.(py|pyw|pyi|ipynb|toml|cfg|ini|ya?ml|sh|bash)$|^(makefile|dockerfile|procfile|justfile)$/i;
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '.mypy_cache', '.ruff_cache', '.pytest_cache', 'site-packages', '.parallelize_cache', 'build', 'dist', '_build']);

function entriesOf(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * The directory a file's callers are looked for under: the nearest ancestor holding a repository or a package's
 * metadata; else the highest one (a few levels up) holding a README, a licence or a requirements file; else the
 * file's directory and the parents that hold Python files themselves.
 */
export function projectRoot(file: string): string {
  const start = path.dirname(path.resolve(file));
  let dir = start;
  let weak: string | null = null;
  for (let level = 0; level <= MAX_LEVELS; level++) {
    const names = entriesOf(dir).map((e) => e.name);
    if (names.some((n) => STRONG_MARKERS.includes(n))) return dir;
    if (names.some((n) => WEAK_MARKERS.test(n))) weak = dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (weak) return weak;
  dir = start;
  for (let level = 0; level < MAX_LEVELS; level++) {
    const parent = path.dirname(dir);
    if (parent === dir || !entriesOf(parent).some((e) => e.isFile() && /\.py$/.test(e.name))) break;
    dir = parent;
  }
  return dir;
}

/** The files searched under `root`, or null when there are too many (hidden and tool directories skipped). */
function listFiles(root: string): string[] | null {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const e of entriesOf(dir)) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) pending.push(full);
      } else if (e.isFile() && SEARCHED.test(e.name)) {
        found.push(full);
        if (found.length > MAX_FILES) return null;
      }
    }
  }
  return found.sort();
}

/** What may stand before the name called: nothing, a dotted receiver (`self.client.`), or one made there (`Migrator().`). */
const RECEIVER = String.raw`\s*(?:[\w.]+(?:\([^()]*\))?\.)?$`;
/** A coroutine made to be the one task of a new event loop (`asyncio.run(main())`, `loop.run_until_complete(job())`). */
const RUN_ALONE = new RegExp(String.raw`\b(?:asyncio\.run|\.run_until_complete)\(` + RECEIVER);
/** A coroutine awaited where it is called (`await fetch(…)`): it runs as part of the awaiting task. */
const AWAITED = new RegExp(String.raw`\bawait\s+` + RECEIVER.replace(String.raw`\s*`, ''));

/** What hands a function named next on the line to a pool or a task, by how the line reads before the name. */
const HANDED: Array<{ before: RegExp; what: string; needsPool?: true }> = [
  { before: new RegExp(String.raw`\.submit\(` + RECEIVER), what: '`submit`' },
  { before: new RegExp(String.raw`\.(map|imap|imap_unordered|starmap|map_async|starmap_async|apply_async)\(` + RECEIVER), what: "a pool's `map`", needsPool: true },
  { before: new RegExp(String.raw`\btarget\s*=` + RECEIVER), what: 'a thread or process `target`' },
  { before: new RegExp(String.raw`run_in_executor\([^()]*,` + RECEIVER), what: '`run_in_executor`' },
  { before: new RegExp(String.raw`\bto_thread\(` + RECEIVER), what: '`asyncio.to_thread`' },
  { before: new RegExp(String.raw`\b(create_task|ensure_future)\(` + RECEIVER), what: '`create_task`' },
  // tqdm's `process_map(fn, xs)` / `thread_map(fn, xs)`, `pqdm(xs, fn, n_jobs=…)`, joblib's `delayed(fn)(x)`
  { before: new RegExp(String.raw`\bprocess_map\(` + RECEIVER), what: "tqdm's `process_map`" },
  { before: new RegExp(String.raw`\bthread_map\(` + RECEIVER), what: "tqdm's `thread_map`" },
  { before: new RegExp(String.raw`\bpqdm\(.*,` + RECEIVER), what: '`pqdm`' },
  { before: new RegExp(String.raw`\bdelayed\(` + RECEIVER), what: "joblib's `delayed`" },
];

/** A function handed to a pool or a task on this line, before the name: what hands it (null: not handed). */
function handedBy(before: string, fileMentionsPool: boolean): string | null {
  const found = HANDED.find((h) => (!h.needsPool || fileMentionsPool) && h.before.test(before));
  if (found) return found.what;
  if (/\b(gather|TaskGroup)\(/.test(before) || /\bpartial\(\s*(?:[\w.]+\.)?$/.test(before) && /\.(submit|map|imap|imap_unordered|starmap)\(/.test(before)) return /gather/.test(before) ? '`asyncio.gather`' : '`submit`';
  return null;
}

const DEF = /^([ \t]*)(async[ \t]+)?def[ \t]+(\w+)/;
/** A line starting work beside the coroutine (a task, a gather, a server). */
const STARTS_TASK_TEXT = /\b(gather|create_task|ensure_future|TaskGroup|start_server|create_server|serve|run_in_executor)\s*\(/;
const SWITCHED_OFF = /^[ \t]*if[ \t(]+(False|0)[ \t)]*:/;

interface EnclosingDef {
  name: string;
  topLevel: boolean;
  decorated: boolean;
  isAsync: boolean;
  handler: boolean;
  startup: boolean;
  /** Its body starts other tasks on its event loop (`gather`, `create_task`…). */
  startsTasks: boolean;
}

/** Whether the body of the `def` opened at line `defIndex` (indented `own`) starts tasks, as runsAlone's STARTS_TASKS spells them. */
function bodyStartsTasks(lines: string[], defIndex: number, own: number): boolean {
  for (let i = defIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim() || /^[ \t]*#/.test(line)) continue;
    if (/^[ \t]*/.exec(line)![0].length <= own && !/^[ \t]*[)\]}]/.test(line)) break;
    if (STARTS_TASKS.test(line)) return true;
  }
  return false;
}

/**
 * What holds line `lineIndex`, read from the lines that open its blocks (each indented less than the one before):
 * the innermost function (with whether it sits undecorated at the module's top level, and is a coroutine), and
 * whether an `if False:` (or `if 0:`) switches the line off for good.
 */
function lineContext(lines: string[], lineIndex: number): { def?: EnclosingDef; dead: boolean; loop?: number; guarded?: boolean } {
  let indent = /^[ \t]*/.exec(lines[lineIndex])![0].length;
  let def: EnclosingDef | undefined;
  let dead = false;
  let loop: number | undefined;
  let guarded = false;
  for (let i = lineIndex - 1; i >= 0 && indent > 0; i--) {
    const line = lines[i];
    // a line closing brackets (`) -> Decimal:` of a signature split over lines) is no statement of its own
    if (!line.trim() || /^[ \t]*[#)\]}]/.test(line)) continue;
    const own = /^[ \t]*/.exec(line)![0].length;
    if (own >= indent) continue;
    if (SWITCHED_OFF.test(line)) dead = true;
    if (own === 0 && MAIN_GUARD_TEXT.test(line)) guarded = true;
    const opened = def ? null : DEF.exec(line);
    if (opened) {
      // the decorators above it: a route or an event handler runs once per request or event
      let j = i - 1;
      while (j >= 0 && !lines[j].trim()) j--;
      let handler = false;
      let hook = false;
      for (let k = j; k >= 0 && /^[ \t]*@/.test(lines[k]); k--) {
        if (STARTUP_DECORATOR.test(lines[k].trimStart())) hook = true;
        else if (HANDLER_DECORATOR.test(lines[k].trimStart())) handler = true;
      }
      // a lifespan's start-up is the part before its `yield`, with no task started there before the line
      const before = lines.slice(i + 1, lineIndex);
      const startup = !!opened[2] && hook && !before.some((l) => /\byield\b/.test(l) || STARTS_TASK_TEXT.test(l));
      def = { name: opened[3], topLevel: own === 0, decorated: j >= 0 && /^[ \t]*@/.test(lines[j]), isAsync: !!opened[2], handler, startup, startsTasks: bodyStartsTasks(lines, i, own) };
    } else if (!def && loop === undefined && LOOP_HEADER.test(line)) loop = i + 1;
    indent = own;
  }
  return { ...(def ? { def } : {}), dead, ...(loop !== undefined ? { loop } : {}), ...(guarded ? { guarded } : {}) };
}

/** `if __name__ == "__main__":` (either quotes, either order). */
const MAIN_GUARD_TEXT = /^if[ \t]+(__name__[ \t]*==[ \t]*['"]__main__['"]|['"]__main__['"][ \t]*==[ \t]*__name__)[ \t]*:/;

/**
 * Whether the text at `column` of line `lineIndex` lies inside the list or tuple of an `__all__` assignment (`__all__
 * = [\n "fetch",\n]`, `__all__ += ("run",)`): a name exported, not a call.
 */
function inAllList(lines: string[], lineIndex: number, column: number): boolean {
  for (let i = lineIndex; i >= 0 && i >= lineIndex - 60; i--) {
    const start = /^[ \t]*__all__[ \t]*(?:\+?=|\.extend\(|\.append\()/.exec(lines[i]);
    if (!start) continue;
    // from the `__all__` to the name: the assignment's own line after its start, the lines between, the name's line
    const text = i === lineIndex ? lines[i].slice(start[0].length, column) : [lines[i].slice(start[0].length), ...lines.slice(i + 1, lineIndex), lines[lineIndex].slice(0, column)].join('\n');
    let depth = start[0].endsWith('(') ? 1 : 0;
    for (const ch of text.replace(/(['"])(?:(?!\1).)*\1/g, '')) {
      if (ch === '[' || ch === '(') depth++;
      else if (ch === ']' || ch === ')') depth--;
    }
    return depth > 0;
  }
  return false;
}

/** Whether `before` ends inside a string with a dotted path (`'src.main.`) that the quote after the name closes. */
function dottedPathIn(before: string, after: string | undefined): boolean {
  const opened = /(['"])[A-Za-z_][\w.]*\.$/.exec(before);
  return !!opened && opened[1] === after;
}

/**
 * Whether a name stands in a string's words on its line (`print(f"Failed to migrate {v}")`), not called there: the
 * quotes before it on the line leave a string open (an f-string's `{…}` holds code, so a name inside braces counts).
 */
function inProse(before: string, after: string): boolean {
  if (/^\s*\(/.test(after)) return false;
  let open: string | null = null;
  let braces = 0;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (open) {
      if (c === '\\') i++;
      else if (c === '{') braces++;
      else if (c === '}') braces = Math.max(0, braces - 1);
      else if (c === open && braces === 0) open = null;
    } else if (c === '"' || c === "'") {
      open = c;
      braces = 0;
    } else if (c === '#') return false;
  }
  return !!open && braces === 0;
}

/** A `for` or `while` header. */
const LOOP_HEADER = /^[ \t]*(async[ \t]+)?(for|while)\b/;

/** Where one name is written: its references, and its definitions by file. */
interface Answer {
  sites: ReferenceSite[];
  definitions: number;
  definedIn: Map<string, number>;
}

/** Every file of one project, searched for names on demand (an answer is redone for the one file that changes). */
class ProjectText {
  private files: string[] | null | undefined;
  private readonly texts = new Map<string, string | null>();
  private readonly answers = new Map<string, Answer>();
  private readonly stores = new Map<string, AttributeStore[]>();
  private readonly definers = new Map<string, MethodDefiner[]>();

  constructor(
    readonly root: string,
    private readonly view: SourceView,
  ) {}

  /** The files searched, or null when the project is too large. */
  listed(): string[] | null {
    if (this.files === undefined) {
      this.files = listFiles(this.root);
      if (this.files) {
        let bytes = 0;
        for (const f of this.files) {
          try {
            bytes += fs.statSync(f).size;
          } catch {
            // gone since listed: read as empty
          }
          if (bytes > MAX_BYTES) {
            this.files = null;
            break;
          }
        }
      }
    }
    return this.files;
  }

  private textOf(file: string): string | null {
    let text = this.texts.get(file);
    if (text === undefined) {
      text = this.view.readText(file) ?? null;
      this.texts.set(file, text);
    }
    return text;
  }

  sitesOf(name: string): Answer | null {
    const files = this.listed();
    if (!files) return null;
    let known = this.answers.get(name);
    if (!known) {
      known = { sites: [], definitions: 0, definedIn: new Map() };
      for (const file of files) this.search(file, name, known);
      this.answers.set(name, known);
    }
    return known;
  }

  private search(file: string, name: string, into: Answer): void {
    const text = this.textOf(file);
    if (!text || !text.includes(name)) return;
    const word = new RegExp(String.raw`(?<![\w])` + name + String.raw`(?![\w])`, 'g');
    const lines = text.split('\n');
    const mentionsPool = /Pool\b|Executor\b|multiprocessing|concurrent\.futures/.test(text);
    // `fetch = fetch if fast else fetch_slow`: the name bound again, on its own line
    const rebound = new RegExp(String.raw`^[ \t]*` + name + String.raw`[ \t]*(?::[^=\n]*)?=(?!=)`);
    lines.forEach((line, index) => {
      if (!line.includes(name)) return;
      word.lastIndex = 0;
      for (let m = word.exec(line); m; m = word.exec(line)) {
        const before = line.slice(0, m.index);
        // a commented-out call (`# sanity()`) is no call: a `#` outside quotes before the name
        const hash = before.indexOf('#');
        if (hash >= 0 && (before.slice(0, hash).split('"').length - 1) % 2 === 0 && (before.slice(0, hash).split("'").length - 1) % 2 === 0) continue;
        if (/^[ \t]*(?:async[ \t]+)?def[ \t]+$/.test(before)) {
          into.definitions++;
          into.definedIn.set(file, (into.definedIn.get(file) ?? 0) + 1);
          continue;
        }
        // a call split over lines (`pool.submit(\n    work, x)`): the line before ends the call's opening
        let context = before;
        if (!before.trim() && index > 0) context = lines[index - 1].trimEnd() + ' ';
        const imported = /^[ \t]*(from[ \t]+\S+[ \t]+)?import\b/.test(line) || (/^[ \t]*[\w., \t]*\)?[ \t]*$/.test(line) && /\bimport[ \t]*\([^)]*$/.test(lines.slice(Math.max(0, index - 20), index).join(' ')));
        const concurrent = imported ? null : handedBy(context.trimEnd(), mentionsPool);
        const { def: within, dead, loop, guarded } = lineContext(lines, index);
        into.sites.push({
          file,
          line: index + 1,
          ...(imported ? { imported: true } : {}),
          ...(dead ? { dead: true } : {}),
          ...(concurrent ? { concurrent } : {}),
          ...(within && within.name !== name ? { within: within.name } : {}),
          ...(within && within.name !== name && within.isAsync ? { withinAsync: true } : {}),
          ...(within && within.name !== name && within.startsTasks ? { withinStartsTasks: true } : {}),
          ...(within && within.topLevel && !within.decorated ? { plainCaller: true } : {}),
          ...(loop !== undefined && /^\s*\(/.test(line.slice(m.index + name.length)) ? { inLoop: loop } : {}),
          ...(within?.handler ? { inHandler: true } : {}),
          ...(guarded ? { guarded: true } : {}),
          ...(within?.startup && within.name !== name ? { startup: true } : {}),
          ...(line[m.index - 1] === '.' ? { attribute: true } : {}),
          ...(rebound.test(line) ? { rebinding: true } : {}),
          // `asyncio.run(…)`, `uvicorn.run(app)`: a function of a module (a standard one, or one the file imports as
          // a module), not the project's `run`
          ...(line[m.index - 1] === '.' && moduleObject(/(?<![\w.])([A-Za-z_]\w*)\.$/.exec(before)?.[1] ?? '', text) ? { ofModule: true } : {}),
          ...(!imported && RUN_ALONE.test(context.trimEnd()) ? { runAlone: true } : {}),
          ...(!imported && AWAITED.test(context) ? { awaited: true } : {}),
          ...(/^['"]$/.test(line[m.index - 1] ?? '') && line[m.index + name.length] === line[m.index - 1] ? { quoted: true, ...(inAllList(lines, index, m.index) ? { exported: true } : {}) } : {}),
          // the end of a dotted path in a string (`patch("app.main.fetch")`, `monkeypatch.setattr("m.f", …)`): a mention
          ...(dottedPathIn(before, line[m.index + name.length]) ? { quoted: true } : {}),
          ...(inProse(before, line.slice(m.index + name.length)) ? { prose: true } : {}),
        });
      }
    });
  }

  /**
   * The statements that set `object.attribute` (`shared.pv = ValueStorage()`, `config.DEBUG = True`,
   * `shared.pv["k"] = v`) in the project's Python files, or null when the project is too large to search.
   */
  storesTo(object: string, attribute: string): AttributeStore[] | null {
    const files = this.listed();
    if (!files) return null;
    const key = `${object}.${attribute}`;
    let found = this.stores.get(key);
    if (!found) {
      found = [];
      const store = new RegExp(String.raw`^([ \t]*)(?:[\w.]+[ \t]*=[ \t]*)*` + object + String.raw`\.` + attribute + String.raw`[ \t]*(?:\[[^\]\n]*\][ \t]*)?(?:[-+*/|&]?=)(?!=)`);
      this.matchingLines(files, key, store, (file, lines, index, m) => {
        const { def, dead } = lineContext(lines, index);
        if (!dead) found!.push({ file, line: index + 1, text: lines[index].trim(), atImport: m[1].length === 0 && !def });
      });
      this.stores.set(key, found);
    }
    return found;
  }

  /**
   * The classes of the project's Python files that define a method `name` (`def name(self, …)` or `async def`, in
   * the body of a `class` statement), its tests left out, or null when the project is too large to search.
   */
  definersOf(name: string): MethodDefiner[] | null {
    const files = this.listed();
    if (!files) return null;
    let found = this.definers.get(name);
    if (!found) {
      found = [];
      const def = new RegExp(String.raw`^([ \t]+)(?:async[ \t]+)?def[ \t]+` + name + String.raw`[ \t]*\([ \t]*(?:self|cls)\b`);
      // (a test's stand-in, a fake client defining the same `get`, is not what the program runs)
      const programs = files.filter((file) => !isTestFile(path.relative(this.root, file).split(path.sep).join('/')));
      this.matchingLines(programs, name, def, (file, lines, index, m) => {
        // the statement it is in: the nearest line above indented less, which must be a class's
        for (let k = index - 1; k >= 0; k--) {
          const above = /^([ \t]*)(\S.*)$/.exec(lines[k]);
          if (!above || above[1].length >= m[1].length || above[2].startsWith('#') || above[2].startsWith('@')) continue;
          const cls = /^class[ \t]+([A-Za-z_]\w*)/.exec(above[2]);
          if (cls) found!.push({ file, className: cls[1], line: index + 1 });
          return;
        }
      });
      this.definers.set(name, found);
    }
    return found;
  }

  /** Each line of the Python files among `files` whose text holds `needle` that `pattern` matches, in order. */
  private matchingLines(files: readonly string[], needle: string, pattern: RegExp, visit: (file: string, lines: string[], index: number, match: RegExpExecArray) => void): void {
    for (const file of files) {
      if (!file.endsWith('.py')) continue;
      const text = this.textOf(file);
      if (!text || !text.includes(needle)) continue;
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        const m = pattern.exec(line);
        if (m) visit(file, lines, index, m);
      });
    }
  }

  /** `file` changed (or was created or deleted): its text is read again, and each answer is redone for that file. */
  changed(file: string): boolean {
    this.stores.clear();
    this.definers.clear();
    const listed = this.files;
    const exists = fs.existsSync(file);
    if (listed && listed.includes(file) !== exists && SEARCHED.test(path.basename(file))) {
      // a file created or deleted: the listing and every answer are made again when next asked
      this.files = undefined;
      this.answers.clear();
      this.texts.delete(file);
      return true;
    }
    this.texts.delete(file);
    if (!listed || !listed.includes(file)) return false;
    const order = new Map(listed.map((f, i) => [f, i]));
    for (const [name, answer] of this.answers) {
      answer.sites = answer.sites.filter((s) => s.file !== file);
      answer.definitions -= answer.definedIn.get(file) ?? 0;
      answer.definedIn.delete(file);
      this.search(file, name, answer);
      answer.sites.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line);
    }
    return this.answers.size > 0;
  }

  /** Whether the project is packaged for others to import (setup.py, `[project]` or Poetry in a pyproject.toml naming a `[build-system]`, setup.cfg's metadata). */
  private packagedCache: boolean | undefined;
  private packaged(): boolean {
    if (this.packagedCache === undefined) {
      const read = (name: string) => {
        try {
          return fs.readFileSync(path.join(this.root, name), 'utf8');
        } catch {
          return '';
        }
      };
      // `[project]` alone declares an application's dependencies (`uv init` writes no `[build-system]`): a package
      // built for others to install names its build back end
      const pyproject = read('pyproject.toml');
      this.packagedCache = fs.existsSync(path.join(this.root, 'setup.py')) || (/^\[(project|tool\.poetry|tool\.flit\.metadata)\]/m.test(pyproject) && /^\[build-system\]/m.test(pyproject)) || /^\[metadata\]/m.test(read('setup.cfg'));
    }
    return this.packagedCache;
  }

  /** The index `file` is analysed with, or undefined when the file is not among those searched (not saved, skipped). */
  index(file: string): CallSiteIndex | undefined {
    const files = this.listed();
    if (files && !files.includes(file)) return undefined;
    const publicApi = this.packaged() && fs.existsSync(path.join(path.dirname(file), '__init__.py'));
    return {
      root: this.root,
      file,
      publicApi,
      sitesOf: (name) => {
        const own = this.sitesOf(name);
        return own ? { sites: own.sites, definitions: own.definitions, files: this.files?.length ?? 0, definedIn: own.definedIn } : null;
      },
      storesTo: (object, attribute) => this.storesTo(object, attribute),
      definersOf: (name) => this.definersOf(name),
    };
  }
}

/** Whether `name` is a module where `text` uses it: a standard one, or one the file imports whole (`import uvicorn`). */
function moduleObject(name: string, text: string): boolean {
  if (!name) return false;
  if (isStdlibModule(name)) return true;
  return new RegExp(String.raw`^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*(?:` + name + String.raw`|[\w.]+[ \t]+as[ \t]+` + name + String.raw`)[ \t]*(?:,|$|#)`, 'm').test(text);
}

/** The projects of one run (or one server), each searched on demand. */
export class CallSiteIndexes {
  private readonly projects = new Map<string, ProjectText>();
  private readonly rootOf = new Map<string, string>();

  constructor(private readonly view: SourceView) {}

  /** The index of the project holding `file`. */
  forFile(file: string): CallSiteIndex | undefined {
    const absolute = path.resolve(file);
    const dir = path.dirname(absolute);
    let root = this.rootOf.get(dir);
    if (root === undefined) {
      root = projectRoot(file);
      this.rootOf.set(dir, root);
    }
    let project = this.projects.get(root);
    if (!project) {
      project = new ProjectText(root, this.view);
      this.projects.set(root, project);
    }
    return project.index(absolute);
  }

  /** A file changed: the projects holding it read it again. Returns whether an answer given before may differ. */
  changed(file: string): boolean {
    const absolute = path.resolve(file);
    let any = false;
    for (const project of this.projects.values()) {
      if (absolute.startsWith(project.root + path.sep) && project.changed(absolute)) any = true;
    }
    if (path.basename(file).match(/^(pyproject\.toml|setup\.(py|cfg)|readme|license|\.gitignore)/i)) this.rootOf.clear();
    return any;
  }

  /** Forgets every project (a configuration changed). */
  clear(): void {
    this.projects.clear();
    this.rootOf.clear();
  }
}

/** How a cached result's dependency on the project's call sites is named (then the project's root). */
export const REACH_PREFIX = 'reach:';

/** A digest of the files searched under `root` (names, sizes, times): a result that asked where names are written holds while it is unchanged. */
export function projectDigest(root: string): string {
  const files = listFiles(root);
  if (!files) return 'too-large';
  const hash = createHash('sha256');
  for (const f of files) {
    try {
      const st = fs.statSync(f);
      hash.update(`${f}\0${st.ino}:${st.size}:${st.mtimeMs}\0`);
    } catch {
      hash.update(`${f}\0gone\0`);
    }
  }
  return hash.digest('base64url').slice(0, 24);
}

/** projectDigest, each root's taken once (for one run: the files do not change under it). */
export function projectDigests(): (root: string) => string {
  const digests = new Map<string, string>();
  return (root) => digests.get(root) ?? digests.set(root, projectDigest(root)).get(root)!;
}
