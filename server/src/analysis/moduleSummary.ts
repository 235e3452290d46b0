// What other modules need to know about one module, computed from its tree alone (plus the summaries of the
// modules it imports, when handed some): per top-level function, class and method its effects, workload and
// cost; the names it exports and re-exports. Plain JSON, so that it can be stored, hashed and sent to a worker.
import { createHash } from 'node:crypto';
import type { CallSiteIndex } from './reach';
import type { SyntaxNode, SyntaxTree } from '../parser';
import { ancestor, isMainGuard, lineOf, namedChildren, textIncludes, tokensSpelled } from '../syntax';
import type { Work } from './cost';
import { moduleConstantSizes, WorkEstimator } from './cost';
import type { DeferredRace, Evidence, FunctionSummary, Pace, Problem } from './effects';
import { FunctionSummaries } from './effects';
import { analyzeModule, definitionOf, importBindings, type ModuleInfo, parameterNames } from './scope';
import { heldKindOfClass } from './singleOwner';
import { type ClientKind, returnedClient } from './httpClients';

/** Bumped whenever what a summary holds, or how it is computed, changes: older stored summaries are then ignored. */
export const SUMMARY_FORMAT = 2;

/** One function or method, as a caller in another module sees it. */
export interface FunctionSummaryData {
  line: number;
  params: string[];
  isAsync: boolean;
  isGenerator: boolean;
  /**
   * Whether a worker process can find it by importing its module (pickling by reference): defined at module level
   * (not under `if __name__ == "__main__":`) and not rebound by a decorator the analysis does not know.
   */
  importable: boolean;
  cpu?: Evidence;
  io?: Evidence;
  inputSizedCpu?: Evidence;
  pace?: Pace;
  problems: Problem[];
  /** Parameters it mutates (a caller passing a shared object to one of these shares a mutation). */
  mutatedParams: string[];
  deferredRaces: DeferredRace[];
  fixedWrite?: { path: string; line: number };
  /** A file it writes whose path is one of its parameters, as handed in. */
  writesParam?: { param: string; line: number };
  /** The task framework's decorator making each call a launch that returns at once (`@python_app`). */
  launches?: Evidence;
  /** A `POST` to the URL in one of its parameters, its answer dropped or returned. */
  postsToParam?: { param: string; what: string; line: number };
  /** A session with a service that serves one at a time per account (a mail server's login), opened on every call. */
  singleSlot?: Evidence;
  /** A call that serialises its callers (a lock held around the work). */
  serialised?: Evidence;
  /** A method of an object it did not make whose class is not seen: it may wait on a service. */
  unseenMethod?: Evidence;
  /** The cost of one call with arguments the function's own code does not fix (a lower bound when `work.open`). */
  work: Work;
  /** Module-level variables of its module it reads, directly or through same-file callees. */
  globalsRead: string[];
  /** The kind of client (a boto3 client, a requests session…) every `return` of it hands back, when it does. */
  returnsClient?: ClientKind;
  /** Whether what it returns pickles whatever its arguments (a worker process sends it back), when established. */
  returns?: { verdict: 'yes' | 'no' | 'unknown'; what?: string };
  /** When `cpu` or `io` is behind a flag (their `guard`): the evidence of the same kind outside every flag, if any. */
  unguarded?: { cpu?: Evidence; io?: Evidence };
  /** Parameters whose default is a false constant: a call leaving them out switches their flags off. */
  falseDefaults?: string[];
}

export interface ClassSummaryData {
  line: number;
  methods: Record<string, FunctionSummaryData>;
}

export interface ModuleSummary {
  format: number;
  functions: Record<string, FunctionSummaryData>;
  classes: Record<string, ClassSummaryData>;
  /** Names bound by its imports, as the module spells their origin (`.features.fib`, `numpy`): what it re-exports. */
  reexports: Record<string, string>;
  /** Its public names: `__all__` when it is a literal list, else the module-level names not starting with `_`. */
  exports: string[];
  /** Module-level names some function of it declares `global` (it may rebind them at run time). */
  globalsRebound: string[];
}

/** A name another module's import resolves to, with the summary to analyse its calls by. */
export type ImportedSymbol =
  | {
      kind: 'function';
      name: string;
      summary: FunctionSummaryData;
      /** Where it is defined, for messages: `pkg/features.py:12`. */
      where: string;
      /** Its module's summary depends on the importing module (an import cycle): it may call back into it. */
      cyclic?: boolean;
      /** Globals of its module it reads that a function of that module rebinds: a spawned worker may see other values. */
      rebound?: string[];
      /** A method (`Client.fetch`) that changes the object it is called on. */
      mutatesReceiver?: boolean;
    }
  | {
      kind: 'class';
      name: string;
      where: string;
      /** Its instances hold an object of one owner on `self` (`browser`: `self.driver = webdriver.Chrome()`). */
      owns?: string;
    }
  /** A module-level collection bound once to a literal and never changed in its module: its size. */
  | { kind: 'constant'; name: string; size: number; where: string; entry?: number };

/** A workspace file whose summary an analysis used, and the hash of that summary (a cache entry depends on both). */
export interface SummaryDependency {
  path: string;
  summaryHash: string;
}

/**
 * The summaries of the workspace modules a file imports. `resolve` takes a name as the importing module spells
 * it after its imports (`.features.fib` for `from .features import fib`, `pkg.mod.f` for `m.f` after
 * `import pkg.mod as m`); the standard library and third-party packages are answered by the knowledge table first.
 */
export interface ImportResolver {
  resolve(qualified: string): ImportedSymbol | undefined;
  /** The files whose summaries the answers so far came from. */
  dependencies(): SummaryDependency[];
  /** Where names are written in the file's project (absent: not known, as when the file is analysed alone). */
  callSites?(): CallSiteIndex | undefined;
  /** The libraries importing a workspace module imports in turn (through its own imports and its packages' `__init__`). */
  librariesImported?(qualified: string): string[];
  /**
   * The method `name` of the one class of the project (in another module) that defines a method of that name, as
   * the summary of `Class.name`; undefined when none does, or several classes do, or the project is not known.
   */
  soleMethod?(name: string): (ImportedSymbol & { kind: 'function' }) | undefined;
}

/** Decorators that leave a function importable under its own name (they return it, or wrap it keeping its name). */
const TRANSPARENT_DECORATORS = /^@\s*(functools\.)?(lru_cache|cache|wraps)\b|^@\s*(staticmethod|classmethod|property|typing\.overload|overload)\s*$/;

function functionData(fn: SyntaxNode, summary: FunctionSummary, work: Work, importable: boolean, module: ModuleInfo): FunctionSummaryData {
  const data: FunctionSummaryData = {
    line: lineOf(fn),
    params: parameterNames(fn),
    isAsync: summary.isAsync,
    isGenerator: !!summary.isGenerator,
    importable,
    problems: summary.problems,
    mutatedParams: [...summary.mutatedParams],
    deferredRaces: summary.deferredRaces,
    globalsRead: [...summary.globalsRead],
    work,
  };
  if (summary.cpu) data.cpu = summary.cpu;
  if (summary.io) data.io = summary.io;
  if (summary.inputSizedCpu) data.inputSizedCpu = summary.inputSizedCpu;
  if (summary.launches) data.launches = summary.launches;
  if (summary.pace) data.pace = summary.pace;
  if (summary.fixedWrite) data.fixedWrite = summary.fixedWrite;
  if (summary.writesParam) data.writesParam = summary.writesParam;
  if (summary.postsToParam) data.postsToParam = summary.postsToParam;
  if (summary.singleSlot) data.singleSlot = summary.singleSlot;
  if (summary.serialised) data.serialised = summary.serialised;
  const client = returnedClient(fn, module);
  if (client) data.returnsClient = client.kind;
  if (summary.unseenMethod) data.unseenMethod = summary.unseenMethod;
  if (summary.unguarded) data.unguarded = summary.unguarded;
  if (summary.falseDefaults) data.falseDefaults = summary.falseDefaults;
  return data;
}

function isImportable(statement: SyntaxNode): boolean {
  if (ancestor(statement, isMainGuard)) return false;
  if (statement.type !== 'decorated_definition') return true;
  return namedChildren(statement)
    .filter((c) => c.type === 'decorator')
    .every((d) => TRANSPARENT_DECORATORS.test(d.text));
}

/** The literal `__all__ = [...]` of a module, or null. */
function literalAll(root: SyntaxNode): string[] | null {
  for (const statement of namedChildren(root)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== '__all__') continue;
    const right = assignment.childForFieldName('right');
    if (!right || (right.type !== 'list' && right.type !== 'tuple')) return null;
    const names = namedChildren(right).map((s) => (s.type === 'string' ? s.text.replace(/^['"]|['"]$/g, '') : null));
    return names.every((n): n is string => n !== null && /^\w+$/.test(n)) ? names : null;
  }
  return null;
}

/** Adds what the rules establish about a function (e.g. whether its results pickle) to its summary. */
export type FunctionDescriber = (def: SyntaxNode, analysis: { module: ModuleInfo; summaries: FunctionSummaries; loops: [] }, data: FunctionSummaryData) => void;

/** What the top-level statements of a module define, in the order a summary visits them (later definitions of a name win). */
interface DefinitionVisitor {
  function(def: SyntaxNode, statement: SyntaxNode, name: string): void;
  class(def: SyntaxNode, statement: SyntaxNode, name: string): void;
  imports(def: SyntaxNode): void;
}

function visitDefinitions(root: SyntaxNode, visitor: DefinitionVisitor): void {
  const visit = (statements: readonly SyntaxNode[]) => {
    for (const statement of statements) {
      const type = statement.type;
      if (type === 'function_definition' || type === 'class_definition' || type === 'decorated_definition') {
        const def = definitionOf(statement);
        const name = def.childForFieldName('name')?.text;
        if (def.type === 'function_definition' && name) visitor.function(def, statement, name);
        else if (def.type === 'class_definition' && name) visitor.class(def, statement, name);
      } else if (type === 'import_statement' || type === 'import_from_statement') visitor.imports(statement);
      else if (type === 'if_statement' || type === 'try_statement') {
        // `try: from ._speedups import f / except ImportError: def f(…)`: the module-level blocks bind names too
        if (isMainGuard(statement)) continue;
        // its blocks: its own, and those of its clauses (`elif`, `else`, `except`, `finally`), in order
        for (const part of namedChildren(statement)) {
          if (part.type === 'block') visit(namedChildren(part));
          else for (const inner of namedChildren(part)) if (inner.type === 'block') visit(namedChildren(inner));
        }
      }
    }
  };
  visit(namedChildren(root));
}

/** Module-level names some function of the module declares `global` (it may rebind them at run time). */
function globalsReboundIn(root: SyntaxNode): string[] {
  if (!textIncludes(root, 'global')) return [];
  const rebound = new Set<string>();
  // each statement starts with its keyword: found from the text, not by a walk of the whole tree in wasm
  for (const keyword of tokensSpelled(root, 'global')) {
    const statement = keyword.parent;
    if (statement?.type === 'global_statement') for (const name of namedChildren(statement)) rebound.add(name.text);
  }
  return [...rebound];
}

/**
 * The summary of a module from its tree. `imports`, when given, resolves the calls its functions make into other
 * workspace modules (their summaries are then part of this one's).
 */
export function summarizeModule(tree: SyntaxTree, imports?: ImportResolver, describe?: FunctionDescriber): ModuleSummary {
  return JSON.parse(summarizeModuleJson(tree, imports, describe)) as ModuleSummary;
}

/** The summary as summarizeModule gives it, as JSON (what a store hashes and keeps, without parsing it back first). */
export function summarizeModuleJson(tree: SyntaxTree, imports?: ImportResolver, describe?: FunctionDescriber): string {
  const { module, result } = summarizeInOrder(tree, imports, describe);
  result.exports = literalAll(tree.rootNode) ?? [...module.bindings.keys()].filter((n) => !n.startsWith('_'));
  result.globalsRebound = globalsReboundIn(tree.rootNode);
  // exactly what a store or another thread reads back (no undefined fields; a non-finite bound is null)
  return JSON.stringify(result);
}

/**
 * The functions and classes of a module summarised in file order, as summarizeModule does (the summaries of a cycle
 * of calls depend on that order); `until`: stop after the function whose statement starts there.
 */
function summarizeInOrder(tree: SyntaxTree, imports: ImportResolver | undefined, describe: FunctionDescriber | undefined, until?: number): { module: ModuleInfo; result: ModuleSummary } {
  const module = analyzeModule(tree.rootNode);
  if (imports) module.workspace = imports;
  const summaries = new FunctionSummaries(module);
  const estimator = new WorkEstimator(module);
  const result: ModuleSummary = { format: SUMMARY_FORMAT, functions: {}, classes: {}, reexports: {}, exports: [], globalsRebound: [] };
  let done = false;
  visitDefinitions(tree.rootNode, {
    function(def, statement, name) {
      if (done) return;
      const data = functionData(def, summaries.get(def), estimator.ofFunction(def), isImportable(statement), module);
      describe?.(def, { module, summaries, loops: [] }, data);
      result.functions[name] = data;
      if (statement.startIndex === until) done = true;
    },
    class(def, statement, name) {
      if (done) return;
      const methods: Record<string, FunctionSummaryData> = {};
      for (const member of namedChildren(def.childForFieldName('body') ?? def)) {
        const method = definitionOf(member);
        const methodName = method.childForFieldName('name')?.text;
        if (method.type === 'function_definition' && methodName) methods[methodName] = functionData(method, summaries.get(method), estimator.ofFunction(method), isImportable(statement), module);
      }
      result.classes[name] = { line: lineOf(def), methods };
    },
    imports(def) {
      if (done) return;
      for (const [local, qualified] of importBindings(def)) result.reexports[local] = qualified;
    },
  });
  return { module, result };
}

/**
 * What an importer can learn of a module without analysing any of its functions: the lines of the functions and
 * classes it defines, what it re-exports, the globals its functions rebind. The same whatever the module imports.
 */
export interface ModuleOutline {
  functions: Record<string, number>;
  classes: Record<string, number>;
  reexports: Record<string, string>;
  globalsRebound: string[];
  /** Module-level collections of a size the literal fixes, never changed in the module: [size, line]. */
  /** Module constants of known size: size, line, and for a table of collections the size of its largest entry. */
  constants?: Record<string, [number, number] | [number, number, number]>;
  /** Classes whose instances hold an object of one owner on `self` (a browser, a connection), with its kind. */
  owners?: Record<string, string>;
}

export function outlineModule(tree: SyntaxTree): ModuleOutline {
  const module = analyzeModule(tree.rootNode);
  const outline: ModuleOutline = { functions: {}, classes: {}, reexports: {}, globalsRebound: globalsReboundIn(tree.rootNode), constants: moduleConstantSizes(module) };
  visitDefinitions(tree.rootNode, {
    function: (def, _statement, name) => void (outline.functions[name] = lineOf(def)),
    class(def, _statement, name) {
      outline.classes[name] = lineOf(def);
      const held = heldKindOfClass(def, module);
      if (held) (outline.owners ??= {})[name] = held;
    },
    imports(def) {
      for (const [local, qualified] of importBindings(def)) outline.reexports[local] = qualified;
    },
  });
  return outline;
}

/** Where each top-level function's statement is in the text (its decorators included), by name: [start, end). */
export type FunctionSpans = Record<string, [number, number]>;

/** The spans of the functions summarizeModule lists (a later definition of a name wins), for summarizeFunctionJson. */
export function functionSpans(tree: SyntaxTree): FunctionSpans {
  const spans: FunctionSpans = {};
  visitDefinitions(tree.rootNode, {
    function: (_def, statement, name) => void (spans[name] = [statement.startIndex, statement.endIndex]),
    class() {},
    imports() {},
  });
  return spans;
}

/**
 * One top-level function's entry of summarizeModule, computed alone (only what it calls is analysed), as JSON;
 * null when the module defines no function of that name. `reentered`: its analysis met a cycle of calls between
 * functions of the module, whose summaries depend on the order they are computed in: the whole module's summary
 * then gives the entry (summarizeModule computes them in the order of the file). `spans`: functionSpans of a tree
 * of the same text, when known.
 */
export function summarizeFunctionJson(tree: SyntaxTree, name: string, imports: ImportResolver, describe?: FunctionDescriber, spans?: FunctionSpans): { json: string; reentered: boolean } | null {
  const all = spans ?? functionSpans(tree);
  if (!Object.hasOwn(all, name)) return null;
  const span = all[name];
  const statement = tree.rootNode.descendantForIndex(span[0], span[1]);
  const def = statement && definitionOf(statement);
  if (!statement || statement.startIndex !== span[0] || statement.endIndex !== span[1] || def?.type !== 'function_definition') return null;
  const module = analyzeModule(tree.rootNode);
  module.workspace = imports;
  const summaries = new FunctionSummaries(module);
  const estimator = new WorkEstimator(module);
  const data = functionData(def, summaries.get(def), estimator.ofFunction(def), isImportable(statement), module);
  describe?.(def, { module, summaries, loops: [] }, data);
  return { json: JSON.stringify(data), reentered: summaries.reentered || estimator.reentered };
}

/**
 * One top-level function's entry of summarizeModule when summarizeFunctionJson met a cycle: the module's definitions
 * summarised in file order up to that function's (the last of its name), not past it. Null when there is no such function.
 */
export function summarizeFunctionInOrderJson(tree: SyntaxTree, name: string, imports: ImportResolver, describe?: FunctionDescriber, spans?: FunctionSpans): string | null {
  const all = spans ?? functionSpans(tree);
  if (!Object.hasOwn(all, name)) return null;
  const { result } = summarizeInOrder(tree, imports, describe, all[name][0]);
  return Object.hasOwn(result.functions, name) ? JSON.stringify(result.functions[name]) : null;
}

/** A stable hash of a summary (its JSON, keys in the order they were made: the same code gives the same order). */
export function summaryHash(summary: ModuleSummary | string): string {
  return createHash('sha256').update(typeof summary === 'string' ? summary : JSON.stringify(summary)).digest('hex').slice(0, 16);
}
