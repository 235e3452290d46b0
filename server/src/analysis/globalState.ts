// Module state that a worker process does not share with the parent: under the `spawn` start method a worker
// imports the module afresh, so a global the running program changed (under the `__main__` guard, through
// `global`, by mutation in a function) has its import-time value there.
import type { SyntaxNode } from '../parser';
import { ancestor, flattenTargets, isMainGuard, lineOf, namedChildren, walk } from '../syntax';
import type { FunctionSummaries } from './effects';
import { isStdlibModule, lookupCall, MUTATING_METHODS } from './knowledge';
import type { LoopFacts } from './model';
import { sameFileCallees } from './methods';
import { siteWhere } from './reach';
import { importedName, type ModuleInfo, namesBoundBy, scopeOf } from './scope';

/** A change to a module-level name made while the program runs, not when the module is imported. */
export interface RunTimeChange {
  name: string;
  /** The first change: its line, and how, as a clause (`is rebound under \`if __name__ == "__main__":\``). */
  line: number;
  how: string;
  /**
   * What every change of the name puts into it, and the function it is evaluated in (null: module level); a null
   * value: a binding whose value cannot be told (`for NAME in …`, `import`).
   */
  values: Array<{ value: SyntaxNode | null; scope: SyntaxNode | null }>;
}

const changesCache = new WeakMap<ModuleInfo, Map<string, RunTimeChange>>();

/**
 * The run-time changes of each module-level name: bindings and mutations under the `__main__` guard, and in
 * functions (rebinding after `global name`, or mutating `name[k] = v`, `name.append(v)`, `name.attr = v`).
 */
export function runTimeChanges(module: ModuleInfo): Map<string, RunTimeChange> {
  let changes = changesCache.get(module);
  if (changes) return changes;
  const found = new Map<string, RunTimeChange>();
  changes = found;
  const note = (name: string, node: SyntaxNode, how: string, scope: SyntaxNode | null, values: Array<SyntaxNode | null>) => {
    if (module.bindings.get(name) !== 'assign') return;
    let change = found.get(name);
    if (!change) found.set(name, (change = { name, line: lineOf(node), how, values: [] }));
    for (const value of values) change.values.push({ value, scope });
  };
  // the value a binding statement puts into a name (`X = v`, `X += v`), or null
  const boundValue = (n: SyntaxNode, name: string): SyntaxNode | null =>
    (n.type === 'assignment' || n.type === 'augmented_assignment') && n.childForFieldName('left')?.text === name ? n.childForFieldName('right') : null;
  const GUARD = 'under `if __name__ == "__main__":`';
  // mutations through a name (`CONFIG["k"] = v`, `LIMITS.append(v)`, `state.count = 1`) anywhere in `root`
  const mutations = (root: SyntaxNode, where: string, scope: SyntaxNode | null, isOwn: (name: string) => boolean) => {
    walk(root, (n) => {
      if (n.id !== root.id && (n.type === 'function_definition' || n.type === 'class_definition')) return false;
      if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'delete_statement') {
        const targets = n.type === 'delete_statement' ? flattenTargets(n) : flattenTargets(n.childForFieldName('left')!);
        const right = n.type === 'delete_statement' ? [] : [n.childForFieldName('right')];
        for (const t of targets) {
          const base = rootName(t);
          if (base && (t.type === 'subscript' || t.type === 'attribute') && !isOwn(base)) note(base, n, `is changed ${where} (\`${firstLine(n.text)}\`)`, scope, right);
        }
      } else if (n.type === 'call') {
        const f = n.childForFieldName('function');
        if (f?.type === 'attribute' && MUTATING_METHODS.has(f.childForFieldName('attribute')!.text)) {
          const base = rootName(f.childForFieldName('object')!);
          const args = namedChildren(n.childForFieldName('arguments')!).map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') : a.type.endsWith('splat') ? null : a));
          if (base && !isOwn(base)) note(base, n, `is changed ${where} (\`${firstLine(n.text)}\`)`, scope, args);
        }
      }
      return true;
    });
  };
  for (const statement of namedChildren(module.root)) {
    if (!isMainGuard(statement)) continue;
    const body = statement.childForFieldName('consequence');
    if (!body) continue;
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition') return false;
      for (const name of namesBoundBy(n)) note(name, n, `is rebound ${GUARD}`, null, [boundValue(n, name)]);
      return true;
    });
    mutations(body, GUARD, null, () => false);
  }
  walk(module.root, (n) => {
    if (n.type !== 'function_definition') return true;
    const fnName = n.childForFieldName('name')?.text ?? 'a function';
    const scope = scopeOf(n);
    const declared = new Set<string>();
    walk(n, (m) => {
      if (m.id !== n.id && m.type === 'function_definition') return false;
      if (m.type === 'global_statement') for (const id of namedChildren(m)) declared.add(id.text);
      return true;
    });
    const body = n.childForFieldName('body');
    if (!body) return true;
    if (declared.size > 0) {
      walk(body, (m) => {
        if (m.type === 'function_definition' || m.type === 'class_definition') return false;
        for (const name of namesBoundBy(m)) if (declared.has(name)) note(name, m, `is rebound by \`${fnName}()\` (\`global ${name}\`)`, n, [boundValue(m, name)]);
        return true;
      });
    }
    mutations(body, `by \`${fnName}()\``, n, (name) => (scope.locals.has(name) && !declared.has(name)) || scope.params.has(name));
    return true;
  });
  changesCache.set(module, changes);
  return changes;
}

function rootName(target: SyntaxNode): string | null {
  let n: SyntaxNode | null = target;
  while (n && (n.type === 'attribute' || n.type === 'subscript')) n = n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
  return n?.type === 'identifier' ? n.text : null;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 50 ? line.slice(0, 47) + '…' : line;
}

/**
 * The module-level variables a worker reads through the same-file functions it calls (names it reads itself are
 * sent to it as arguments), with the function that reads each.
 */
export function globalsReadThroughCalls(facts: LoopFacts, module: ModuleInfo, summaries: FunctionSummaries): Map<string, string> {
  const needed = new Map<string, string>();
  const nodes = [...facts.workerStatements, ...facts.parentStatements.map((p) => p.value)];
  if (facts.element) nodes.push(facts.element);
  if (facts.elementKey) nodes.push(facts.elementKey);
  if (facts.mapCallable) nodes.push(facts.mapCallable);
  const local = facts.function ? scopeOf(facts.function) : null;
  for (const n of nodes) {
    walk(n, (m) => {
      if (m.type === 'identifier' && module.bindings.get(m.text) === 'def' && !(local && (local.locals.has(m.text) || local.params.has(m.text)))) {
        for (const g of summaries.get(module.functions.get(m.text)!).globalsRead) if (!needed.has(g)) needed.set(g, m.text);
      }
      return true;
    });
  }
  return needed;
}

/** Whether importing the module binds `name` (a module-level statement outside the `__main__` guard binds it). */
export function boundAtImport(name: string, module: ModuleInfo): boolean {
  let found = false;
  for (const statement of namedChildren(module.root)) {
    if (found) break;
    if (isMainGuard(statement)) continue;
    walk(statement, (n) => {
      if (found) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition') {
        if (n.childForFieldName('name')?.text === name) found = true;
        return false;
      }
      if (namesBoundBy(n).includes(name)) found = true;
      return true;
    });
  }
  return found;
}

/** A module-level variable a worker reads through a function it calls, changed by the running program. */
export interface StaleGlobal {
  name: string;
  /** The function reading it. */
  reader: string;
  change: RunTimeChange;
}

/**
 * What a worker process started with `spawn` would see differently: module-level variables read through the
 * functions it calls that the running program changes (the changes stay in the parent process).
 */
export function staleInSpawnedWorkers(facts: LoopFacts, module: ModuleInfo, summaries: FunctionSummaries): StaleGlobal[] {
  const changes = runTimeChanges(module);
  const stale: StaleGlobal[] = [];
  for (const [name, reader] of globalsReadThroughCalls(facts, module, summaries)) {
    const change = changes.get(name);
    if (change) stale.push({ name, reader, change });
  }
  return stale;
}

/**
 * Whether a pool made where the loop is can hand the parent's value of a stale global to its workers (an
 * initializer restoring it): the loop's code must see the module-level name, not a local of the same name.
 */
export function canPassToWorkers(stale: StaleGlobal, facts: LoopFacts): boolean {
  for (let fn = facts.function; fn; fn = ancestor(fn, (a) => a.type === 'function_definition')) {
    const scope = scopeOf(fn);
    if ((scope.locals.has(stale.name) && !declaresGlobal(fn, stale.name)) || scope.params.has(stale.name)) return false;
  }
  return true;
}

function declaresGlobal(fn: SyntaxNode, name: string): boolean {
  let found = false;
  walk(fn, (m) => {
    if (found || (m.id !== fn.id && m.type === 'function_definition')) return false;
    if (m.type === 'global_statement' && namedChildren(m).some((id) => id.text === name)) found = true;
    return true;
  });
  return found;
}

/** Why a worker would see another value of a stale global: the first change, and what a spawned worker does. */
export function describeStale(stale: StaleGlobal): string {
  return `\`${stale.reader}()\` reads the module-level \`${stale.name}\`, which ${stale.change.how} at line ${stale.change.line}: a worker process started with \`spawn\` imports the module afresh and does not see that change`;
}

/** Whether `root` calls `name(…)` by that name. */
function calls(root: SyntaxNode, name: string): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (n.type === 'call' && n.childForFieldName('function')?.type === 'identifier' && n.childForFieldName('function')!.text === name) found = true;
    return true;
  });
  return found;
}

/** A same-file function the worker reaches whose results are cached for the whole process. */
export interface MemoisedCallee {
  name: string;
  /** How: `@functools.lru_cache`. */
  decorator: string;
  line: number;
}

const MEMO_DECORATOR = /^@\s*((?:functools\.)?(?:lru_cache|cache))\b/;

/**
 * The first function memoised with `functools.lru_cache` / `functools.cache` that the code in `nodes` calls,
 * directly or through the module's other functions (`mapped`: the function a `map` call applies): its cache
 * is one per process.
 */
export function memoisedCallee(nodes: SyntaxNode[], module: ModuleInfo, enclosing: SyntaxNode | null, mapped?: SyntaxNode): MemoisedCallee | null {
  const local = enclosing ? scopeOf(enclosing) : null;
  // `map(f, xs)` calls `f` without spelling a call
  const queue: string[] = mapped?.type === 'identifier' && module.functions.has(mapped.text) ? [mapped.text] : [];
  const called = (root: SyntaxNode) => {
    walk(root, (n) => {
      if (n.type === 'call') {
        const f = n.childForFieldName('function');
        if (f?.type === 'identifier' && module.functions.has(f.text)) queue.push(f.text);
      }
      return true;
    });
  };
  for (const n of nodes) called(n);
  // a memoised function defined in the enclosing function (`@functools.cache def term(i)` next to the loop)
  if (local && enclosing) {
    const body = enclosing.childForFieldName('body');
    for (const statement of body ? namedChildren(body) : []) {
      if (statement.type !== 'decorated_definition') continue;
      const def = statement.childForFieldName('definition');
      const name = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
      if (!name || !nodes.some((n) => calls(n, name))) continue;
      const memo = namedChildren(statement).filter((d) => d.type === 'decorator').map((d) => MEMO_DECORATOR.exec(d.text)).find((m) => !!m);
      if (memo) return { name, decorator: `@${memo[1]}`, line: lineOf(statement) };
    }
  }
  queue.reverse();
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < 200) {
    const name = queue.pop()!;
    if (seen.has(name) || (seen.size === 0 && local && (local.locals.has(name) || local.params.has(name)))) continue;
    seen.add(name);
    const def = module.functions.get(name)!;
    const decorated = def.parent?.type === 'decorated_definition' ? namedChildren(def.parent).filter((d) => d.type === 'decorator') : [];
    const memo = decorated.map((d) => MEMO_DECORATOR.exec(d.text)).find((m) => !!m);
    if (memo) return { name, decorator: `@${memo[1]}`, line: lineOf(def.parent!) };
    const body = def.childForFieldName('body');
    if (body) called(body);
  }
  return null;
}

/**
 * Module-level functions of well-known libraries that act on state hidden in the library or the process, by
 * qualified name, with that state as the user knows it. Every iteration shares it, whatever its arguments are.
 */
const HIDDEN_STATE: Array<[RegExp, string]> = [
  // every pyplot function but those reading or writing an image file or looking up a colormap, and not its
  // classes (`plt.Circle(…)` makes a patch, drawn only once added to axes)
  [/^matplotlib\.pyplot\.(?!(imread|imsave|get_cmap|colormaps|color_sequences)$)[a-z_]\w*$/, "pyplot's global state (the current figure and axes)"],
  // every element Streamlit draws goes onto the page in the order of the calls, and only the script's own thread
  // has the page (elsewhere: "missing ScriptRunContext"); its caches and secrets are no drawing
  [/^streamlit\.(?!(cache|cache_data|cache_resource|secrets|session_state|experimental_memo|experimental_singleton)$)[a-z_]\w*$/, 'the Streamlit page being drawn (its elements appear in the order of the calls)'],
  // the session's state: one per browser session, and only the script's own thread can reach it (a worker thread
  // gets an empty one, so a cache kept there is empty in every worker: round 46)
  [/^streamlit\.session_state\.\w+$/, "the Streamlit session's state (only the thread running the script reaches it: a worker thread sees an empty one)"],
  [/^matplotlib\.(pyplot\.)?style\.use$/, "matplotlib's global settings (`rcParams`)"],
  [/^matplotlib\.(rc|rcdefaults|rc_file|use)$/, "matplotlib's global settings (`rcParams`)"],
  [/^os\.(chdir|fchdir)$/, "the process's current directory"],
  [/^os\.(putenv|unsetenv)$/, "the process's environment"],
  [/^os\.umask$/, "the process's file-creation mask"],
  [/^sys\.(setrecursionlimit|settrace|setprofile|setswitchinterval|setdefaultencoding)$/, 'interpreter-wide settings'],
  [/^warnings\.(filterwarnings|simplefilter|resetwarnings)$/, "the process's warning filters"],
  [/^logging\.(basicConfig|disable|setLoggerClass|captureWarnings|config\.\w+)$/, "the process's logging configuration"],
  [/^locale\.setlocale$/, "the process's locale"],
  [/^socket\.setdefaulttimeout$/, 'the default timeout of every new socket'],
  [/^signal\.(signal|alarm|setitimer)$/, "the process's signal handlers (which only the main thread may set)"],
  [/^random\.(seed|setstate)$/, "the `random` module's global generator"],
  [/^numpy\.random\.(seed|set_state)$/, "NumPy's global random generator"],
  [/^numpy\.(seterr|seterrcall|set_printoptions|setbufsize)$/, "NumPy's global settings"],
  [/^pandas\.(set_option|reset_option|options\.\w+)$/, "pandas' global options"],
  [/^torch\.(manual_seed|set_num_threads|set_default_dtype|set_default_device|set_grad_enabled)$/, "PyTorch's global state"],
  [/^tensorflow\.(random\.set_seed|config\.\w+)$/, "TensorFlow's global state"],
  [/^atexit\.register$/, 'the functions run at interpreter exit'],
];

/** Module attributes that are process-wide state when written to: `os.environ[k] = v`, `sys.path.append(p)`. */
const HIDDEN_OBJECTS: Record<string, string> = {
  'os.environ': "the process's environment",
  'sys.path': "the import path (`sys.path`)",
  'sys.modules': "the table of imported modules (`sys.modules`)",
  'sys.argv': "the command line (`sys.argv`)",
  'matplotlib.rcParams': "matplotlib's global settings (`rcParams`)",
  'matplotlib.pyplot.rcParams': "matplotlib's global settings (`rcParams`)",
  'pandas.options': "pandas' global options",
  'streamlit.session_state': "the Streamlit session's state (only the thread running the script reaches it: a worker thread sees an empty one)",
};

/** The hidden global state a call acts on (`plt.bar(…)`: pyplot's current figure), as a message, or null. */
export function hiddenStateCall(call: SyntaxNode, module: ModuleInfo, enclosing: SyntaxNode[]): string | null {
  const f = call.childForFieldName('function');
  if (!f || (f.type !== 'attribute' && f.type !== 'identifier') || !/^[\w.]+$/.test(f.text)) return null;
  const root = f.text.split('.')[0];
  if (enclosing.some((fn) => scopeOf(fn).locals.has(root) || scopeOf(fn).params.has(root))) return null;
  const qualified = importedName(f.text, module);
  if (!qualified) return null;
  const state = HIDDEN_STATE.find(([pattern]) => pattern.test(qualified))?.[1];
  if (state) return `\`${f.text}()\` acts on ${state}, which every iteration shares`;
  // `sys.path.append(p)`, `os.environ.update(d)`
  if (f.type === 'attribute' && MUTATING_METHODS.has(f.childForFieldName('attribute')!.text)) {
    const object = HIDDEN_OBJECTS[qualified.slice(0, qualified.lastIndexOf('.'))];
    if (object) return `\`${f.text}()\` changes ${object}, which every iteration shares`;
  }
  return null;
}

/** The process-wide state an object written through is (`os.environ` in `os.environ["K"] = v`), or null. */
export function hiddenStateObject(object: SyntaxNode, module: ModuleInfo, enclosing: SyntaxNode[]): string | null {
  let n: SyntaxNode | null = object;
  while (n && n.type === 'subscript') n = n.childForFieldName('value');
  if (!n || !/^[\w.]+$/.test(n.text)) return null;
  const root = n.text.split('.')[0];
  if (enclosing.some((fn) => scopeOf(fn).locals.has(root) || scopeOf(fn).params.has(root))) return null;
  const qualified = importedName(n.text, module);
  return qualified ? (HIDDEN_OBJECTS[qualified] ?? null) : null;
}

const SQL_WRITE = /^\s*(insert|update|delete|replace|upsert|create|drop|alter)\b/i;
const DATABASE_METHODS = new Set('query execute executemany executescript commit flush merge scalars scalar rollback refresh'.split(' '));

/** A write to a SQLite database opened in the code examined, and the path the database was opened with. */
export interface SqliteWrite {
  write: SyntaxNode;
  /** The first argument of `sqlite3.connect(…)` (null: not given positionally or by name). */
  path: SyntaxNode | null;
}

/**
 * A write to a SQLite database opened in `nodes` (`sqlite3.connect(…)` there, then an `INSERT`/`UPDATE`/`DELETE`
 * … executed, or a commit), `:memory:` databases (private to their connection) left out.
 */
export function sqliteWrite(nodes: SyntaxNode[], module: ModuleInfo): SqliteWrite | null {
  if (!nodes.some((n) => n.text.includes('connect'))) return null;
  let connect: SyntaxNode | null = null;
  let write: SyntaxNode | null = null;
  for (const root of nodes) {
    walk(root, (n) => {
      if (n.id !== root.id && (n.type === 'function_definition' || n.type === 'class_definition')) return false;
      if (n.type !== 'call') return true;
      const f = n.childForFieldName('function');
      if (!f) return true;
      const args = namedChildren(n.childForFieldName('arguments')!);
      if (!connect && importedName(f.text, module) === 'sqlite3.connect') {
        const path = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'database')?.childForFieldName('value') ?? (args[0]?.type !== 'keyword_argument' ? args[0] : undefined);
        if (!(path?.type === 'string' && /^[a-z]*["']{1,3}(:memory:)?["']/i.test(path.text))) connect = n;
      }
      if (f.type === 'attribute' && !write) {
        const method = f.childForFieldName('attribute')!.text;
        const sql = args[0];
        if (method === 'commit' || (/^execute(many|script)?$/.test(method) && sql?.type === 'string' && SQL_WRITE.test(sql.text.replace(/^[a-zA-Z]*("""|\'\'\'|"|')/, '')))) write = n;
      }
      return true;
    });
  }
  if (!connect || !write) return null;
  const args = namedChildren((connect as SyntaxNode).childForFieldName('arguments')!);
  const path = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'database')?.childForFieldName('value') ?? (args[0]?.type !== 'keyword_argument' ? args[0] : null) ?? null;
  return { write, path };
}

/** Whether `name` is used as a database session or connection in `nodes` (`session.query(…)`, `conn.execute(…)`). */
export function isDatabaseHandle(name: string, nodes: SyntaxNode[]): boolean {
  let found = false;
  for (const root of nodes) {
    walk(root, (n) => {
      if (found) return false;
      if (n.type === 'call') {
        const f = n.childForFieldName('function');
        if (f?.type === 'attribute' && f.childForFieldName('object')?.text === name && DATABASE_METHODS.has(f.childForFieldName('attribute')!.text)) found = true;
      }
      return true;
    });
  }
  return found;
}

/**
 * Attributes of objects imported from the program's own modules that a worker process reads and that the program
 * sets while it runs (`shared.pv = ValueStorage()` in another module, `config.DEBUG = True` in `main()`): a worker
 * started with `spawn` imports the modules afresh and sees the value they set on import, not the one the running
 * program set. One doubt per attribute, saying where it is set.
 */
export function attributesSetElsewhere(facts: LoopFacts, module: ModuleInfo): string[] {
  const index = module.workspace?.callSites?.();
  if (!index?.storesTo) return [];
  const nodes: SyntaxNode[] = [...facts.workerStatements, ...facts.parentStatements.map((p) => p.value)];
  if (facts.element) nodes.push(facts.element);
  if (facts.elementKey) nodes.push(facts.elementKey);
  if (facts.mapCallable) nodes.push(facts.mapCallable);
  const local = facts.function ? scopeOf(facts.function) : null;
  const follows = (name: string) => module.bindings.get(name) === 'def' && !(local && (local.locals.has(name) || local.params.has(name)));
  const doubts: string[] = [];
  const asked = new Set<string>();
  const ownLines = module.root.text.split('\n');
  for (const { node: root, calledAs: reader } of sameFileCallees(nodes, module, { limit: 50, follows })) {
    walk(root, (n) => {
      if (n.type !== 'attribute') return true;
      const object = n.childForFieldName('object');
      const attribute = n.childForFieldName('attribute')?.text;
      if (object?.type !== 'identifier' || !attribute || !importedFromProject(object.text, module)) return true;
      if (!reader && local && (local.locals.has(object.text) || local.params.has(object.text))) return true;
      const key = `${object.text}.${attribute}`;
      if (asked.has(key)) return true;
      asked.add(key);
      const stores = (index.storesTo!(object.text, attribute) ?? []).filter((s) => !(s.atImport && (ownLines[s.line - 1]?.trim() === s.text || importsFile(module, s.file))));
      if (stores.length === 0) return true;
      const first = stores[0];
      doubts.push(`${reader ? `\`${reader}()\` reads` : 'the loop reads'} \`${key}\`, which \`${siteWhere(index, first)}\` sets while the program runs (\`${first.text.slice(0, 60)}\`${stores.length > 1 ? `, and ${stores.length - 1} more place${stores.length > 2 ? 's' : ''}` : ''}): a worker process started with \`spawn\` imports the modules afresh and sees the value they give it on import, not the one the program set`);
      return true;
    });
  }
  return doubts;
}

/** A name a `from … import` or `import` of the program's own modules binds (not the standard library's). */
function importedFromProject(name: string, module: ModuleInfo): boolean {
  const qualified = importedName(name, module);
  if (!qualified || (module.bindings.has(name) && module.bindings.get(name) !== 'import')) return false;
  if (qualified.startsWith('.')) return true;
  return !isStdlibModule(qualified.split('.')[0]) && !lookupCall(qualified) && /^[\w.]+$/.test(qualified) && !THIRD_PARTY_ROOTS.test(qualified);
}

/** Packages whose module attributes a program sets as configuration (`np.random.seed`, `plt.rcParams`) without it being its own state. */
const THIRD_PARTY_ROOTS = /^(numpy|pandas|matplotlib|torch|tensorflow|scipy|sklearn|cv2|PIL|requests|django|flask|logging)(\.|$)/;

/** Whether the module imports (at its top level) the module `file` holds, by its name. */
function importsFile(module: ModuleInfo, file: string): boolean {
  const stem = file.split(/[\\/]/).pop()!.replace(/\.py$/, '');
  return [...module.imports.values()].some((q) => q.replace(/^\.+/, '').split('.').includes(stem));
}
