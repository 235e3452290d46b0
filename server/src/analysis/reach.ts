// Whether the function holding a loop runs at all, and whether it already runs on a pool: a loop in a function
// nothing calls never runs, and one in a function every caller hands to an executor (or gathers as tasks) runs
// inside the author's own concurrency, where a pool per call multiplies the workers. The workspace answers where
// a name is written (workspace/callSites.ts); this module decides what that means for the loop.
import type { SyntaxNode } from '../parser';
import { ancestor, isAsyncFunction, isMainGuard, tokensSpelled } from '../syntax';
import type { Rejection } from './model';
import type { PoolConstruction } from './executors';

/** One place a name is written outside its definitions. */
export interface ReferenceSite {
  file: string;
  /** 1-based. */
  line: number;
  /** The line sits under `if False:`: it never runs. */
  dead?: boolean;
  /** The line imports the name (no call: neither concurrent nor not). */
  imported?: boolean;
  /** What hands the function to a pool or a task there (`submit`, a thread's `target`, `asyncio.gather`…). */
  concurrent?: string;
  /** The function whose body holds the reference, when one does (other than the name itself). */
  within?: string;
  /** That function is a coroutine (`async def`). */
  withinAsync?: boolean;
  /** That function's body starts other tasks on its event loop (`gather`, `create_task`, `as_completed`…). */
  withinStartsTasks?: boolean;
  /** That function sits undecorated at a module's top level (so that a name nothing writes is a dead caller). */
  plainCaller?: boolean;
  /** A call (`name(…)`) made in a `for` or `while` of its function (or of the module's top level): the loop's line. */
  inLoop?: number;
  /** The function holding it is a web route or an event handler (runs once per request or event). */
  inHandler?: boolean;
  /** A coroutine call made the one task of a new event loop there (`asyncio.run(name(…))`, `run_until_complete`). */
  runAlone?: boolean;
  /** A coroutine call awaited where it is made (`await name(…)`). */
  awaited?: boolean;
  /**
   * Made while a server starts, before it serves: in an `@asynccontextmanager` lifespan before its `yield`, or in an
   * `on_event("startup")` hook, with no task started above it there.
   */
  startup?: boolean;
  /** Under an `if __name__ == "__main__":` at the top level of its file. */
  guarded?: boolean;
  /** Called as a method (`obj.name(…)`): the file need not import the name. */
  attribute?: boolean;
  /** Called as a function of a standard-library module (`asyncio.run(…)`): not the project's function of that name. */
  ofModule?: boolean;
  /** On a line binding the name again (`fetch = fetch if fast else other`): the name's own calls are its other sites. */
  rebinding?: boolean;
  /** The name spelled as a string (`phase == "after_sample"`, `getattr(m, "run")`): a mention, not a call made there. */
  quoted?: boolean;
  /** A word of a string's text (`f"Failed to migrate {v}"`), with no call after it: prose, not a reference. */
  prose?: boolean;
  /** A string of an `__all__` list: the module exports the name, and calls nothing there. */
  exported?: boolean;
}

export interface NameSites {
  sites: ReferenceSite[];
  /** How many `def name` the project holds. */
  definitions: number;
  /** How many files were searched. */
  files: number;
  /** How many `def name` each file holds (files holding none are absent). */
  definedIn?: ReadonlyMap<string, number>;
}

/** Where names are written in the project of the file analysed. */
export interface CallSiteIndex {
  /** The directory searched (its files' paths are shown relative to it). */
  root: string;
  /** The file analysed (absolute), when known. */
  file?: string;
  /** The file sits in a package (`__init__.py`) of a project packaged for others (setup.py, `[project]`): its public names are an API. */
  publicApi: boolean;
  /** The references to `name`, or null when they cannot be known (the project is too large to search). */
  sitesOf(name: string): NameSites | null;
  /** The statements setting `object.attribute` in the project's Python files, or null when they cannot be known. */
  storesTo?(object: string, attribute: string): AttributeStore[] | null;
  /** The classes of the project's Python files defining a method of this name, or null when they cannot be known. */
  definersOf?(name: string): MethodDefiner[] | null;
}

/** A class that defines a method of a given name (`def fetch(self, …)` in `class Client:`). */
export interface MethodDefiner {
  file: string;
  className: string;
  /** 1-based: the `def` line. */
  line: number;
}

/** A statement that sets an attribute of a name (`shared.pv = ValueStorage()`). */
export interface AttributeStore {
  file: string;
  /** 1-based. */
  line: number;
  text: string;
  /** At a module's top level, outside any function or block: it runs when the module is imported. */
  atImport: boolean;
}

/** The function that holds a loop as its callers see it: a module's function, or a method of a module's class. */
interface Holder {
  name: string;
  /** Why a caller may exist that no text names (a decorator registers it, a base class calls it). */
  implicit?: string;
}

/** The outermost function holding `node` (a module's function, or a class's method), or null at the top level. */
function outermostFunction(node: SyntaxNode): SyntaxNode | null {
  let outermost: SyntaxNode | null = null;
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') outermost = p;
  return outermost;
}

function holderOf(loop: SyntaxNode, publicApi: boolean): Holder | null {
  const outermost = outermostFunction(loop);
  if (!outermost) return null;
  const name = outermost.childForFieldName('name')?.text;
  if (!name) return null;
  const decorated = outermost.parent?.type === 'decorated_definition';
  const site = decorated ? outermost.parent! : outermost;
  const api = publicApi && !name.startsWith('_') ? 'other projects may call a public name of a packaged module' : undefined;
  const implicit = decorated ? 'a decorator may register it' : /^__\w+__$/.test(name) ? 'Python calls it by protocol' : api;
  if (site.parent?.type === 'module') return { name, ...(implicit ? { implicit } : {}) };
  const cls = site.parent?.type === 'block' ? site.parent.parent : null;
  if (cls?.type !== 'class_definition') return null;
  const clsSite = cls.parent?.type === 'decorated_definition' ? cls.parent : cls;
  if (clsSite.parent?.type !== 'module') return null;
  const bases = cls.childForFieldName('superclasses');
  const based = !!bases && bases.namedChildren.some((b) => b.text !== 'object');
  const privateClass = cls.childForFieldName('name')?.text.startsWith('_');
  const why = (implicit === api && privateClass ? undefined : implicit) ?? (clsSite !== cls ? 'a decorator may register its class' : based ? 'a base class may call it' : undefined);
  return { name, ...(why ? { implicit: why } : {}) };
}

/** A loop in the body of an `if False:` (or `if 0:`): switched off for good, it never runs. */
function deadBranchRejection(loop: SyntaxNode, line: number): Rejection | null {
  for (let n: SyntaxNode | null = loop; n?.parent; n = n.parent) {
    const p = n.parent;
    if (p.type === 'if_statement' && p.childForFieldName('consequence')?.id === n.id && /^\(?\s*(False|0)\s*\)?$/.test(p.childForFieldName('condition')?.text ?? '')) {
      return {
        kind: 'unreached',
        line,
        message: `the loop sits under \`if ${p.childForFieldName('condition')!.text}:\` (line ${p.startPosition.row + 1}), code switched off: it never runs`,
        remedy: 'remove the switched-off code, or switch it on (the loop is checked again then)',
      };
    }
  }
  return null;
}

/**
 * A loop in a top-level function the module defines again further down before anything uses the name (a notebook
 * saved as a script, a cell run twice): the later definition replaces this one as the module is loaded, and every
 * call made afterwards runs the later one, so this loop never runs (round 53: eight loops in first copies).
 */
function replacedDefinition(loop: SyntaxNode, line: number): Rejection | null {
  const fn = outermostFunction(loop);
  const site = fn?.parent?.type === 'decorated_definition' ? null : fn;
  const name = site?.childForFieldName('name')?.text;
  if (!site || !name || site.parent?.type !== 'module') return null;
  const statements = site.parent.namedChildren.filter((s): s is SyntaxNode => !!s);
  const at = statements.findIndex((s) => s.id === site.id);
  for (const later of statements.slice(at + 1)) {
    const def = later.type === 'decorated_definition' ? later.namedChildren.find((c) => c?.type === 'function_definition') : later;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name && later.type === 'function_definition') {
      return {
        kind: 'unreached',
        name,
        line,
        message: `\`${name}\` is defined again at line ${later.startPosition.row + 1} before anything uses the name: as the module is loaded, that definition replaces this one, so this loop never runs`,
        remedy: 'remove the replaced copy (the later definition is checked on its own)',
      };
    }
    // a statement using the name before it is replaced (a call, a registration) may run this copy
    if (tokensSpelled(later, name, 'identifier').length > 0) return null;
  }
  return null;
}

/** Why the loop never runs, as its own file shows: switched off under `if False:`, or its function replaced before any use. */
export function offInItsFile(loop: SyntaxNode, line: number): Rejection | null {
  return deadBranchRejection(loop, line) ?? replacedDefinition(loop, line);
}

/** Where a reference (or any place with a file and a line) is, as `path/relative/to/the/root.py:line`. */
export function siteWhere(index: CallSiteIndex, site: Pick<ReferenceSite, 'file' | 'line'>): string {
  const rel = site.file.startsWith(index.root) ? site.file.slice(index.root.length).replace(/^[\\/]/, '').split('\\').join('/') : site.file;
  return `${rel}:${site.line}`;
}

/** Whether every reference to `name` hands it to a pool or a task (directly, or in a caller that is so handed). */
function concurrentThrough(index: CallSiteIndex, name: string, depth: number): ReferenceSite | null {
  const found = index.sitesOf(name);
  if (!found || found.definitions !== 1 || found.sites.length === 0) return null;
  let first: ReferenceSite | null = null;
  for (const site of found.sites) {
    if (site.imported || site.exported) continue;
    if (site.concurrent) {
      first ??= site;
      continue;
    }
    if (depth > 0 && site.within && site.within !== name && concurrentThrough(index, site.within, depth - 1)) {
      first ??= site;
      continue;
    }
    return null;
  }
  return first;
}

/** Whether nothing writes `name` but its own definition (an undecorated top-level function). */
function deadCaller(index: CallSiteIndex, name: string): boolean {
  const found = index.sitesOf(name);
  return !!found && found.definitions === 1 && found.sites.length === 0;
}

/**
 * Why a loop that a rule would report should not be, judged by its function's callers in the project: nothing
 * calls the function, or nothing makes its class or imports its module (the loop never runs), or every caller
 * already runs it concurrently. Null when none is known (a caller may be implicit, the project is too large, the
 * loop is at the module's top level).
 */
export function reachRejection(loop: SyntaxNode, line: number, index: CallSiteIndex): Rejection | null {
  return unnamedClass(loop, line, index) ?? callerRejection(loop, line, index) ?? unimportedModule(loop, line, index);
}

/** reachRejection judged by the callers of the loop's function: none, or all of them on a pool already. */
function callerRejection(loop: SyntaxNode, line: number, index: CallSiteIndex): Rejection | null {
  const holder = holderOf(loop, index.publicApi);
  if (!holder) return null;
  const known = index.sitesOf(holder.name);
  if (!known) return null;
  const found = { ...known, sites: known.sites.filter((s) => !s.dead) };
  const calls = found.sites.filter((s) => !s.imported && !s.exported);
  const { name } = holder;
  if (!holder.implicit) {
    if (found.sites.length === 0 && known.sites.length > 0) {
      const off = known.sites[0];
      return {
        kind: 'unreached',
        name,
        line,
        message: `\`${name}\` is called only under \`if False:\` (${siteWhere(index, off)}), code switched off: as the code stands, this loop never runs`,
        remedy: `call \`${name}\` where the program needs it (the loop is checked again then), or remove it`,
      };
    }
    if (found.sites.length === 0) {
      return {
        kind: 'unreached',
        name,
        line,
        message: `nothing in the project calls \`${name}\` (its name is written nowhere else in the ${found.files} files searched under ${index.root}): as the code stands, this loop never runs`,
        remedy: `call \`${name}\` where the program needs it (the loop is checked again then), or remove it`,
      };
    }
    const callers = [...new Set(calls.map((s) => s.within))];
    if (calls.length > 0 && calls.every((s) => s.within && s.plainCaller) && callers.every((c) => c && c !== name && deadCaller(index, c))) {
      return {
        kind: 'unreached',
        name,
        line,
        message: `\`${name}\` is called only from ${callers.map((c) => `\`${c}\``).join(', ')}, which nothing in the project calls (${found.files} files searched): as the code stands, this loop never runs`,
        remedy: `call the caller where the program needs it (the loop is checked again then), or remove both`,
      };
    }
  }
  const handed = concurrentThrough(index, name, 1);
  if (handed) {
    const direct = handed.concurrent;
    const how = direct ? `it is handed to ${direct} at ${siteWhere(index, handed)}` : `its caller \`${handed.within}\` (${siteWhere(index, handed)}) is itself handed to a pool or gathered as a task`;
    return {
      kind: 'already-concurrent',
      name,
      line,
      message: `\`${name}\` already runs concurrently: ${how}${calls.length > 1 ? `, as at its ${calls.length - 1} other call site${calls.length > 2 ? 's' : ''}` : ''}. A pool inside each task multiplies the workers (and connections) the author bounded`,
      remedy: 'tune the outer pool or the number of tasks gathered instead; parallelize this loop only if the outer level has too few tasks to keep the cores busy',
    };
  }
  return null;
}

/**
 * A loop in a method of a module-level class that nothing in the project names but its own definition (no
 * instance made, no subclass, no import, not in a string), undecorated, in a project not packaged for others:
 * none of its methods runs (round 49: a Tailscale manager never instantiated, two PAR203 findings in it).
 */
function unnamedClass(loop: SyntaxNode, line: number, index: CallSiteIndex): Rejection | null {
  if (index.publicApi) return null;
  const method = ancestor(loop, (p) => p.type === 'function_definition');
  let cls: SyntaxNode | null = null;
  for (let p = method?.parent ?? null; p; p = p.parent) if (p.type === 'class_definition') cls = p;
  const name = cls?.childForFieldName('name')?.text;
  if (!cls || !name || cls.parent?.type !== 'module' || /^__\w+__$/.test(name)) return null;
  // a base class may find it without naming it (a framework's registry, a test runner, a plugin loader)
  const bases = cls.childForFieldName('superclasses');
  if (bases && bases.namedChildren.some((b) => b.text !== 'object')) return null;
  const found = index.sitesOf(name);
  if (!found) return null;
  const defined = cls.startPosition.row + 1;
  // its own definition line, and the names inside its own body (`return Manager(…)` in a classmethod)
  const others = found.sites.filter((s) => !(s.file === index.file && s.line >= defined && s.line <= cls!.endPosition.row + 1));
  if (others.length > 0) return null;
  return {
    kind: 'unreached',
    name,
    line,
    message: `nothing in the project names the class \`${name}\` (no instance is made, no subclass, no import, in the ${found.files} files searched under ${index.root}): none of its methods runs as the code stands`,
    remedy: `use \`${name}\` where the program needs it (the loop is checked again then), or remove it`,
  };
}

/**
 * A decorator registering a web route or an event handler (`@app.route(…)`, `@router.post(…)`, `@bot.command()`),
 * spelled from its `@`: the function runs once per request or event.
 */
/** A coroutine run as a server starts: a lifespan (`@asynccontextmanager`, `@contextlib.asynccontextmanager`) or a start-up hook. */
export const STARTUP_DECORATOR = /^@\s*(contextlib\.)?asynccontextmanager\b|^@[\w.]*\.on_event\(\s*["']startup["']/;

/** A coroutine run as a server stops, once it no longer takes requests: a shutdown hook (`@app.on_event("shutdown")`). */
export const SHUTDOWN_DECORATOR = /^@[\w.]*\.on_event\(\s*["']shutdown["']/;

export const HANDLER_DECORATOR = /^@[\w.]*\.(route|get|post|put|delete|patch|websocket|api_route|task|command|callback|on_event|event|message_handler)\b/;

/**
 * The import statements of other files of the project that name the analysed file's module (`from storage.classifier
 * import …`, `import classifier`), found by its name alone; empty for a package's `__init__` or `__main__`.
 */
export function importersOf(index: CallSiteIndex): ReferenceSite[] {
  const file = index.file;
  const base = file ? /([\w]+)\.py$/.exec(file)?.[1] : undefined;
  if (!file || !base || base === '__init__' || base === '__main__') return [];
  return (index.sitesOf(base)?.sites ?? []).filter((s) => s.imported && !s.dead && s.file !== file);
}

/**
 * The calls of the function holding `loop` made at the top level of another file of the project with no
 * `if __name__ == "__main__":` around them: under spawn every worker of a process pool started in that function
 * imports the program's main module again, which runs that call again (round 49: an entry script calling the
 * stain generator at its top level; the process-pool rewrite broke there with BrokenProcessPool).
 */
function unguardedCallers(loop: SyntaxNode, index: CallSiteIndex): ReferenceSite[] {
  const name = outermostFunction(loop)?.childForFieldName('name')?.text;
  if (!name) return [];
  const found = index.sitesOf(name);
  if (!found || found.definitions !== 1) return [];
  // (Python files only: a shell script or a CI file naming the function runs it as a program, under its own guard;
  // and files importing the name or its module: another file's function of the same name is not this one)
  const importing = new Set([...found.sites.filter((s) => s.imported).map((s) => s.file), ...importersOf(index).map((s) => s.file)]);
  return found.sites.filter((s) => s.file !== index.file && s.file.endsWith('.py') && importing.has(s.file) && !s.within && !s.imported && !s.dead && !s.quoted && !s.exported && !s.guarded);
}

/** The doubt a process pool in the function holding `loop` gets when another file calls it unguarded, or null. */
export function unguardedCallerDoubt(loop: SyntaxNode, index: CallSiteIndex): string | null {
  const first = unguardedCallers(loop, index)[0];
  return first ? `\`${siteWhere(index, first)}\` calls this function at its top level with no \`if __name__ == "__main__":\` guard: under spawn (Windows, macOS, Linux from Python 3.14) each worker process imports that file again and runs the call again, so the pool cannot start there until that file guards its code` : null;
}

/**
 * An executor stored on an object whose attribute nothing names again, in the file or in the project: it is never
 * used, starts no worker, and leaves nothing to shut down (round 48: `self.multi_part_executor =
 * ThreadPoolExecutor(8)`, never named again in the repository).
 */
export function unusedExecutor(pool: PoolConstruction, root: SyntaxNode, index: CallSiteIndex): boolean {
  if (pool.binding.kind !== 'attribute' || !/Executor$/.test(pool.api)) return false;
  const attribute = pool.binding.text.split('.').pop()!;
  const line = pool.call.startPosition.row + 1;
  if (root.descendantsOfType('identifier').some((id) => id.text === attribute && id.startPosition.row + 1 !== line)) return false;
  const found = index.sitesOf(attribute);
  return !!found && found.sites.every((s) => s.file === index.file && s.line === line);
}

/**
 * An executor on `self` of a module-level class that the project makes once, at the top level of a module (a
 * service built as the program starts): it lives as long as the program, as one bound to a module's global does
 * (round 48: a processing service).
 */
export function programLongExecutor(pool: PoolConstruction, index: CallSiteIndex): boolean {
  if (pool.binding.kind !== 'attribute' || !pool.binding.text.startsWith('self.')) return false;
  const cls = ancestor(pool.call, (n) => n.type === 'class_definition');
  const name = cls?.childForFieldName('name')?.text;
  if (!cls || !name || cls.parent?.type !== 'module') return false;
  const found = index.sitesOf(name);
  const defined = cls.startPosition.row + 1;
  const uses = found?.sites.filter((s) => !s.imported && !s.dead && !s.quoted && !(s.file === index.file && s.line === defined)) ?? [];
  return !!found && found.definitions === 0 && uses.length === 1 && !uses[0].within && uses[0].inLoop === undefined;
}

/**
 * Why a process pool cannot take a loop at the top level of a module the project imports: the loop runs on import,
 * and the pool needs an `if __name__ == "__main__":` guard, under which an imported module runs nothing (round 29:
 * a table of patterns compiled at import, whose guarded rewrite left every importer without it). Null otherwise.
 */
export function importedModuleLoop(loop: SyntaxNode, line: number, index: CallSiteIndex): Rejection | null {
  if (ancestor(loop, (p) => p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda')) return null;
  const importers = importersOf(index);
  if (importers.length === 0) return null;
  const first = importers[0];
  const files = new Set(importers.map((s) => s.file)).size;
  return {
    kind: 'unsupported',
    line,
    message: `the loop runs when the module is imported (\`${siteWhere(index, first)}\` imports it${files > 1 ? `, and ${files - 1} other file${files > 2 ? 's' : ''}` : ''}): a process pool there needs an \`if __name__ == "__main__":\` guard, and an imported module never runs what that guard holds, so its importers would lose what the loop builds`,
    remedy: 'move the loop into a function the program calls from its entry point (or build the table lazily), and parallelise it there if it is slow',
  };
}

/**
 * Words that show an event loop running more than one task somewhere in the project: tasks gathered, created or
 * waited for, servers and callbacks, and the frameworks whose loops serve requests or events concurrently.
 */
const CONCURRENT_WORDS = [
  ...'gather create_task ensure_future TaskGroup as_completed wait wait_for shield run_coroutine_threadsafe call_soon call_soon_threadsafe call_later call_at start_server create_server serve'.split(' '),
  ...'run_app AppRunner fastapi starlette sanic quart tornado uvicorn hypercorn websockets socketio discord aiogram telegram telebot pyrogram telethon slack_bolt nicegui gradio streamlit trio anyio'.split(' '),
];

/**
 * Where the project shows an event loop with more than one task (`asyncio.gather`, a web framework, a bot), or null
 * when no file of it does: then a coroutine's blocking call holds up nothing but the one pipeline it belongs to.
 */
export function concurrencyIn(index: CallSiteIndex): ReferenceSite | null | undefined {
  let fedOneUpdate: boolean | undefined;
  for (const word of CONCURRENT_WORDS) {
    if (BOT_WORDS.has(word) && (fedOneUpdate ??= oneUpdatePerInvocation(index))) continue;
    const found = index.sitesOf(word);
    if (!found) return undefined;
    const live = found.sites.find((s) => !s.dead);
    if (live) return live;
  }
  return null;
}

/** Chat-bot frameworks: their polling loops and webhook servers handle updates concurrently. */
const BOT_WORDS = new Set(['discord', 'aiogram', 'telegram', 'telebot', 'pyrogram', 'telethon', 'slack_bolt']);
/** What runs a bot framework's own loop over updates. */
const UPDATE_LOOPS = 'run_polling run_webhook start_polling start_webhook infinity_polling polling idle run_forever run_until_disconnected'.split(' ');

/**
 * Whether the project runs its bot as a serverless function (an AWS Lambda `lambda_handler`, a `Serverless` template)
 * that hands the framework one update per invocation (`process_update`, `feed_update`, `process_new_updates`) and
 * never runs the framework's own loop over updates: each invocation handles one update, so the bot's handlers run
 * one at a time (round 65: a BrickLink bot on Lambda).
 */
function oneUpdatePerInvocation(index: CallSiteIndex): boolean {
  const live = (word: string): boolean | undefined => {
    const found = index.sitesOf(word);
    return found ? found.sites.some((s) => !s.dead) : undefined;
  };
  // (the handler is defined, not called: the platform calls it)
  if (!((index.sitesOf('lambda_handler')?.definitions ?? 0) > 0 || live('Serverless'))) return false;
  if (!['process_update', 'feed_update', 'process_new_updates'].some((w) => live(w))) return false;
  return UPDATE_LOOPS.every((w) => live(w) === false);
}

/** Calls in a coroutine's own body that start other tasks on its event loop, which a blocking call would hold up. */
export const STARTS_TASKS = /\b(gather|create_task|ensure_future|TaskGroup|as_completed|wait|start_server|create_server|serve|call_soon|call_later|run_in_executor)\s*\(/;

/**
 * Whether the coroutine `fn` is, wherever the project calls it, the one task of its event loop: made so directly
 * (`asyncio.run(fn(…))`, in a thread of its own or not) or awaited by a coroutine of this file that is, and neither
 * starts other tasks. A blocking call in it then holds up only its own work (round 33: coroutines run each by
 * `threading.Thread(target=lambda: asyncio.run(…))`, fourteen false PAR203). False when it cannot be shown.
 */
export function runsAlone(fn: SyntaxNode, index: CallSiteIndex, depth = 0): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name || depth > 8 || STARTS_TASKS.test(fn.childForFieldName('body')?.text ?? '')) return false;
  const all = index.sitesOf(name)?.sites;
  // a site in another file calls this coroutine only if that file imports the name: elsewhere the same name is
  // that file's own function (round 35: benchmark venues each defining `build`, `serve`, `price`)
  const importers = new Set((all ?? []).filter((s) => s.imported).map((s) => s.file));
  // the name inside the coroutine itself (a recursive await, a string spelling it) leaves it as alone as it was
  const own = { from: fn.startPosition.row + 1, to: fn.endPosition.row + 1 };
  // (a method is called through an object, `loader.load()`, in files that import its class, not its name)
  const method = fn.parent?.parent?.type === 'class_definition';
  // (nor is another object's attribute of the same name in this file a call of a function: `asyncio.run(run())`)
  const sites = all?.filter((s) => !s.dead && !s.imported && !s.quoted && !s.prose && !s.ofModule && !s.rebinding && (s.file === index.file || importers.has(s.file) || (method && s.attribute)) && !(s.file === index.file && (s.line >= own.from && s.line <= own.to || (!method && s.attribute))));
  if (!sites || sites.length === 0) return false;
  const root = ancestor(fn, (p) => p.type === 'module');
  return sites.every((s) => {
    // awaited while the server starts (a lifespan before its `yield`): no request is served yet, nothing waits
    if (s.runAlone || (s.startup && s.awaited)) return true;
    if (!s.awaited || !s.withinAsync || !s.within) return false;
    // awaited in another file (`await get_filtered(…)` in main.py's `asyncio.run` pipeline): that file's caller, by name
    if (s.file !== index.file) return !s.withinStartsTasks && awaitedAlone(s.within, s.file, index, depth + 1);
    if (!root) return false;
    const callers = root.descendantsOfType('function_definition').filter((d) => d.childForFieldName('name')?.text === s.within && isAsyncFunction(d));
    return callers.length === 1 && runsAlone(callers[0], index, depth + 1);
  });
}

/**
 * Whether the coroutine `name`, defined once in `file`, is the one task of its event loop wherever it is called, as
 * the project's text shows it: run by `asyncio.run`, or awaited by a coroutine starting no task that is itself alone.
 */
function awaitedAlone(name: string, file: string, index: CallSiteIndex, depth: number): boolean {
  const found = depth > 8 ? null : index.sitesOf(name);
  if (!found || found.definedIn?.get(file) !== 1) return false;
  const importers = new Set(found.sites.filter((s) => s.imported).map((s) => s.file));
  const sites = found.sites.filter((s) => !s.dead && !s.imported && !s.quoted && !s.prose && !s.ofModule && !s.rebinding && (s.file === file || importers.has(s.file)));
  // a pytest coroutine nothing calls: pytest-asyncio runs each test as the one task of its loop
  if (sites.length === 0) return /^test_/.test(name) && /(^|[\\/])(test_[^\\/]*|[^\\/]*_test)\.py$/.test(file);
  return sites.every((s) => s.runAlone || (s.startup && s.awaited) || (!!s.awaited && !!s.withinAsync && !!s.within && !s.withinStartsTasks && awaitedAlone(s.within, s.file, index, depth + 1)));
}

/** Files a framework or a tool loads by their name or place, never through an import the project writes. */
const LOADED_BY_NAME = /^(__init__|__main__|conftest|setup|manage|wsgi|asgi|settings|local_settings|admin|apps|models|views|urls|forms|serializers|signals|tasks|receivers|handlers|hooks|plugin|plugins|fabfile|noxfile|dodo|celery|gunicorn\.conf|app|main)$|^test_|_test$|^tests?$/;
/** Folders whose files a framework loads by place (Django commands and migrations, Airflow DAGs, Streamlit pages, plugins). */
const LOADED_FOLDERS = /(^|[\\/])(management[\\/]commands|migrations|templatetags|dags|pages|plugins|extensions|cogs|commands|handlers|tests?|scripts)([\\/]|$)/;
/** Words naming a dynamic import: a project spelling one may load any of its modules without naming it. */
const DYNAMIC_IMPORTS = ['import_module', '__import__', 'iter_modules', 'walk_packages', 'spec_from_file_location', 'run_path', 'run_module', 'load_source', 'SourceFileLoader', 'entry_points', 'load_module'];

/** Calls a module's top level may make and still only set names up (a logger, a compiled pattern, a path, an env lookup). */
const SETUP_CALLS = /^(logging\.getLogger|getLogger|re\.compile|os\.(getenv|environ\.get)|(pathlib\.)?Path|os\.path\.\w+|namedtuple|collections\.namedtuple|TypeVar|typing\.TypeVar|object|dict|list|set|tuple|frozenset)$/;

/**
 * Whether the module's top level only imports and defines: undecorated functions, classes without bases, and names
 * bound to values that run nothing of the project's (no call but setting up a logger, a pattern, a path). A decorated
 * definition may be registered with a framework that runs it (`@app.route`), a class with bases found by its base
 * (a plugin, a model), and a top-level call is work the module does when run as a script.
 */
function definesOnly(root: SyntaxNode): boolean {
  const setupOnly = (n: SyntaxNode) => n.descendantsOfType('call').every((c) => !!c && SETUP_CALLS.test(c.childForFieldName('function')?.text ?? ''));
  return root.namedChildren.every((s) => {
    if (!s) return false;
    if (['import_statement', 'import_from_statement', 'future_import_statement', 'function_definition', 'comment'].includes(s.type)) return true;
    if (s.type === 'class_definition') return !s.childForFieldName('superclasses')?.namedChildren.some((b) => b && b.text !== 'object');
    if (s.type === 'expression_statement') {
      const e = s.namedChildren[0];
      return !!e && (e.type === 'string' || e.type === 'concatenated_string' || (e.type === 'assignment' && setupOnly(e)));
    }
    // `try: import x except ImportError: …` and `if TYPE_CHECKING:` around imports
    if (s.type === 'try_statement' || (s.type === 'if_statement' && !isMainGuard(s))) return setupOnly(s);
    return false;
  });
}

/**
 * A loop in a module that nothing in the project imports or runs: no other file writes its name (no import, no
 * `python -m`, no script or configuration naming it), it is not one a framework loads by name or place, it has no
 * `__main__` block and no top-level statement that runs anything, and the project imports nothing dynamically — its
 * functions never run (round 52: report sections no module imports; earlier rounds: a `not-implemented/` folder).
 */
function unimportedModule(loop: SyntaxNode, line: number, index: CallSiteIndex): Rejection | null {
  if (index.publicApi || !index.file) return null;
  const rel = index.file.startsWith(index.root) ? index.file.slice(index.root.length) : index.file;
  const base = rel.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.pyw?$/, '');
  if (stem === base || LOADED_BY_NAME.test(stem) || LOADED_FOLDERS.test(rel) || !/^[A-Za-z_]\w*$/.test(stem)) return null;
  if (!ancestor(loop, (p) => p.type === 'function_definition')) return null;
  const root = loop.tree.rootNode;
  if (root.hasError || !definesOnly(root)) return null;
  const found = index.sitesOf(stem);
  if (!found || found.sites.some((s) => s.file !== index.file)) return null;
  for (const word of DYNAMIC_IMPORTS) {
    const dynamic = index.sitesOf(word);
    if (!dynamic || dynamic.sites.length > 0) return null;
  }
  return {
    kind: 'unreached',
    line,
    message: `nothing in the project imports or runs this module: \`${stem}\` is written in no other of the ${found.files} files searched under ${index.root}, the module has no \`__main__\` block and runs nothing when loaded, so as the code stands this loop never runs`,
    remedy: `import the module where the program needs it (the loop is checked again then), or remove it`,
  };
}
