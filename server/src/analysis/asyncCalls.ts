// Calls that hold an event loop: blocking I/O and CPU-bound work made directly in the body of an
// `async def` — not in a nested `def`, lambda or generator expression, which run elsewhere or later.
import type { SyntaxNode } from '../parser';
import { ancestor, descendantsNamed, dottedName, isAsyncFunction, lineOf, tokensSpelled, walk } from '../syntax';
import { readsIn } from './dependence';
import { describeEvidence } from './effects';
import { WorkEstimator } from './cost';
import { type ClientKind, clientCall } from './httpClients';
import { STALL_SECONDS, type StallingLoop } from './asyncLoops';
import { BLOCKING_IN_ASYNC, BUILTIN_NAMES, FILE_BLOCKING_METHODS, foreignEventLoop, HEAVY_CPU_CALLS, PATH_BLOCKING_METHODS } from './knowledge';
import type { ModuleAnalysis } from './loops';
import { parameterNames, scopeOf } from './scope';

export interface StallingCall {
  kind: 'blocking' | 'cpu';
  call: SyntaxNode;
  /** The `async def` whose event loop the call holds. */
  coroutine: SyntaxNode;
  /** The callable as written (`time.sleep`, `f.read`, `count_primes`): what the fix hands to the executor. */
  callee: SyntaxNode;
  /** What the call is, for messages: `time.sleep`, `requests.get`, `f.read()`, `count_primes`. */
  what: string;
  /** Why it stalls the loop, for the hover: `a loop doing arithmetic (line 5)`, `file opened at line 7`. */
  evidence: string;
  /** `time.sleep`: `asyncio.sleep` is its awaitable twin. */
  sleep: boolean;
  /** A known library call that releases the GIL while it computes. */
  releasesGil: boolean;
  /** A same-file function the call runs (PAR204). */
  definition?: SyntaxNode;
  /** A method of a synchronous client object: a `requests.Session`, a sqlite3 connection or cursor (PAR203). */
  client?: ClientKind;
  /** PAR204 on a whole loop of the coroutine (`call` and `callee` are then the loop): what moves out with it. */
  loop?: StallingLoop;
}

/** Nodes whose code does not run in the coroutine's own frame, or not at that point. */
const ELSEWHERE = new Set(['function_definition', 'class_definition', 'lambda', 'generator_expression']);

/** Every blocking or CPU-bound call made directly by an `async def` of the module (or of the `within` nodes). */
export function findStallingCalls(analysis: ModuleAnalysis, within: SyntaxNode[] = [analysis.module.root]): StallingCall[] {
  const found: StallingCall[] = [];
  // coroutines of trio or anyio: the asyncio remedies do not apply
  if (foreignEventLoop(analysis.module.root.tree.text)) return found;
  for (const fn of within.flatMap(coroutines)) {
    const body = fn.childForFieldName('body');
    if (!body) continue;
    for (const call of body.descendantsOfType('call')) {
      if (!call || call.parent?.type === 'await' || !runsInFrame(call, body)) continue;
      const stall = classifyCall(call, fn, analysis);
      // the coroutine already moves this function off the event loop in another branch: this one is kept inline
      if (stall?.definition && offloadedInOtherBranch(call, body, stall.callee.text)) continue;
      if (stall) found.push(stall);
    }
  }
  return found;
}

/**
 * The `async def`s of a module: the `async` keywords found from the text whose statement is a `def` (not
 * `async for` / `async with`). Most modules have none, and a search of the text costs far less than a
 * traversal of the whole tree.
 */
function coroutines(root: SyntaxNode): SyntaxNode[] {
  return tokensSpelled(root, 'async')
    .map((keyword) => keyword.parent)
    .filter((statement): statement is SyntaxNode => statement?.type === 'function_definition');
}

/** Whether a node under `body` runs in the coroutine's own frame (no nested def, lambda, generator between). */
function runsInFrame(node: SyntaxNode, body: SyntaxNode): boolean {
  for (let p = node.parent; p && p.id !== body.id; p = p.parent) if (ELSEWHERE.has(p.type)) return false;
  return true;
}

/** Functions (innermost first) whose local names are visible at `fn`'s body. */
function enclosingScopes(fn: SyntaxNode): SyntaxNode[] {
  const scopes = [fn];
  for (let p = fn.parent; p; p = p.parent) if (p.type === 'function_definition') scopes.push(p);
  return scopes;
}

/** The qualified name a callable expression refers to (`sleep` → `time.sleep`), or null if local or unknown. */
export function qualifiedCallee(expr: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): string | null {
  const dotted = dottedName(expr);
  if (!dotted) return null;
  const [root] = dotted.split('.');
  const imported = analysis.module.imports.get(root);
  if (!imported && (analysis.module.bindings.has(root) || !BUILTIN_NAMES.has(root))) return null;
  if (enclosingScopes(fn).some((s) => scopeOf(s).locals.has(root) || scopeOf(s).params.has(root))) return null;
  return imported ? imported + dotted.slice(root.length) : dotted;
}

function classifyCall(call: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): StallingCall | null {
  const callee = call.childForFieldName('function');
  if (!callee) return null;
  const base = { call, coroutine: fn, callee, sleep: false, releasesGil: false };
  const qualified = qualifiedCallee(callee, fn, analysis);
  if (qualified && BLOCKING_IN_ASYNC.has(qualified)) {
    const sleep = qualified === 'time.sleep';
    return { ...base, kind: 'blocking', what: qualified, sleep, evidence: sleep ? `\`${qualified}\` suspends the whole thread` : `\`${qualified}\` waits on the network, a process or the disk` };
  }
  if (qualified && HEAVY_CPU_CALLS.has(qualified)) {
    // compressing a literal is constant, small work
    const first = call.childForFieldName('arguments')?.namedChildren[0];
    if (!qualified.startsWith('hashlib.') && (first?.type === 'string' || first?.type === 'concatenated_string')) return null;
    return { ...base, kind: 'cpu', what: qualified, releasesGil: true, evidence: `\`${qualified}\` is a CPU-heavy library call` };
  }
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')!.text;
    const receiver = callee.childForFieldName('object')!;
    const client = clientCall(call, analysis.module);
    if (client) {
      const evidence =
        client.kind === 'requests-session'
          ? `\`.${method}()\` on a \`requests.Session\` sends a request and waits for the response`
          : `\`.${method}()\` on a sqlite3 ${receiver.type === 'identifier' ? `connection or cursor (\`${receiver.text}\`)` : 'connection'} runs SQL and waits on the database file`;
      return { ...base, kind: 'blocking', what: `${callee.text.split('\n')[0]}()`, evidence, client: client.kind };
    }
    if (FILE_BLOCKING_METHODS.has(method)) {
      const opened = openedFile(receiver, fn, analysis);
      if (opened) return { ...base, kind: 'blocking', what: `${callee.text}()`, evidence: `\`.${method}()\` on the file opened at line ${lineOf(opened)} waits on the disk` };
    }
    if (PATH_BLOCKING_METHODS.has(method) && isPath(receiver, fn, analysis)) {
      return { ...base, kind: 'blocking', what: `${callee.text}()`, evidence: `\`Path.${method}()\` opens, ${method.startsWith('read') ? 'reads' : 'writes'} and closes a file, waiting on the disk` };
    }
    return null;
  }
  if (callee.type !== 'identifier') return null;
  const definition = sameFileFunction(callee.text, fn, analysis);
  if (!definition || isAsyncFunction(definition)) return null;
  const summary = analysis.summaries.get(definition);
  // a generator function runs nothing when called: its work happens where the generator is consumed
  if (!summary.cpu || summary.io || summary.isGenerator) return null;
  const why = describeEvidence(summary.cpu);
  // a single regex or digest is quick: only loops, recursion and the heavy library calls stall a loop
  const heavy = /loop doing arithmetic|recursive arithmetic/.test(why) || [...HEAVY_CPU_CALLS].some((h) => why.includes(h));
  if (!heavy) return null;
  if (/loop doing arithmetic/.test(why) && !summary.cpu.releasesGil) {
    const loop = loopAt(definition, summary.cpu.line);
    if (!loop) return null;
    // the loop that makes it CPU-bound, with what the call passes (`history(num_points=30)`, `range(30)` inside):
    // counted in full, it decides by its length, whatever else the callee calls; not counted, a `while` loop or
    // one pass over a parameter is not shown to be long
    const work = estimatorOf(analysis).ofPartAtCall(call, definition, loop);
    if (work.open ? loop.type === 'while_statement' || onePassOverInput(loop, definition) : work.cpu < STALL_SECONDS) return null;
  }
  return { ...base, kind: 'cpu', what: callee.text, definition, evidence: `\`${callee.text}\` is CPU-bound: ${why} (line ${summary.cpu.line})` };
}

const estimators = new WeakMap<ModuleAnalysis, WorkEstimator>();

function estimatorOf(analysis: ModuleAnalysis): WorkEstimator {
  let e = estimators.get(analysis);
  if (!e) estimators.set(analysis, (e = new WorkEstimator(analysis.module)));
  return e;
}

/**
 * Whether the loop `found` of `fn` is one pass over its input: over a parameter's elements (`for ch in text`,
 * `for k, v in d.items()`, `sum(x * x for x in xs)`) or a `range` of a parameter, with no loop inside it. Its
 * length is the input's (a request body, a line, a record: small unless shown otherwise), and moving it to a
 * process costs a pickled copy and a round trip. A loop inside the loop or a recursion is shown work.
 */
function onePassOverInput(found: SyntaxNode, fn: SyntaxNode): boolean {
  const nested = (n: SyntaxNode): boolean => n.namedChildren.some((c) => c.type === 'for_statement' || c.type === 'while_statement' || /comprehension$|generator_expression/.test(c.type) || (c.type === 'for_in_clause' && c !== firstClause(found)) || nested(c));
  if (nested(found)) return false;
  const iterable = found.type === 'for_statement' ? found.childForFieldName('right') : firstClause(found)?.childForFieldName('right');
  if (!iterable) return false;
  // the iterable reads the input: parameters and the locals made from them alone (`pnls = [t.pnl for t in trades]`,
  // `values = to_floats(curve)`), besides functions and constants
  const input = inputDerived(fn);
  const locals = scopeOf(fn).locals;
  const names = readsIn(iterable).filter((r) => r.type === 'identifier').map((r) => r.text);
  return names.some((n) => input.has(n)) && names.every((n) => input.has(n) || !locals.has(n));
}

/** The parameters of `fn` and its locals every assignment of which reads only those (and functions, constants). */
function inputDerived(fn: SyntaxNode): Set<string> {
  const derived = new Set(parameterNames(fn));
  const locals = scopeOf(fn).locals;
  const assignments = new Map<string, SyntaxNode[]>();
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      // `a, b = f(xs)` as much as `a = f(xs)`: what the names get is made from the right side
      if (left && right) for (const t of left.type === 'identifier' ? [left] : descendantsNamed(left, 'identifier')) assignments.set(t.text, [...(assignments.get(t.text) ?? []), right]);
    }
    return true;
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, values] of assignments) {
      if (derived.has(name)) continue;
      const reads = values.map((v) => readsIn(v).filter((r) => r.type === 'identifier').map((r) => r.text));
      const ok = reads.every((names) => names.every((r) => derived.has(r) || !locals.has(r))) && reads.some((names) => names.some((r) => derived.has(r)));
      if (ok) {
        derived.add(name);
        changed = true;
      }
    }
  }
  return derived;
}

/** The loop or comprehension of `fn`'s own body (not of a nested def) that starts on `line`. */
function loopAt(fn: SyntaxNode, line: number): SyntaxNode | null {
  let loop: SyntaxNode | null = null;
  walk(fn, (n) => {
    if (loop) return false;
    if (n !== fn && (n.type === 'function_definition' || n.type === 'lambda')) return false;
    if (lineOf(n) === line && (n.type === 'for_statement' || n.type === 'while_statement' || n.type === 'list_comprehension' || n.type === 'generator_expression' || n.type === 'set_comprehension' || n.type === 'dictionary_comprehension')) loop = n;
    return true;
  });
  return loop;
}

function firstClause(n: SyntaxNode): SyntaxNode | undefined {
  return n.namedChildren.find((c) => c.type === 'for_in_clause');
}

/** Calls that run a function given as an argument off the event loop. */
const EXECUTOR_CALL = /(^|\.)(run_in_executor|to_thread)$/;

/**
 * Whether another branch of an `if` around the call (in the coroutine's body) runs the same function in an executor
 * (`loop.run_in_executor(pool, f, …)`, `asyncio.to_thread(f, …)`, either with `functools.partial(f, …)`): the
 * coroutine already chose where the call is worth moving off the loop (a size guard, a flag), and the branch that
 * calls it directly is the case it keeps inline.
 */
function offloadedInOtherBranch(call: SyntaxNode, body: SyntaxNode, name: string): boolean {
  for (let p = call.parent; p && p.id !== body.id; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const clauses = p.namedChildren.filter((c) => c.type === 'block' || c.type === 'elif_clause' || c.type === 'else_clause');
    const own = clauses.find((c) => c.startIndex <= call.startIndex && call.endIndex <= c.endIndex);
    if (!own) continue;
    for (const other of clauses) {
      if (other.id === own.id) continue;
      for (const c of other.descendantsOfType('call')) {
        if (!c || !EXECUTOR_CALL.test(dottedName(c.childForFieldName('function')!) ?? '')) continue;
        const args = c.childForFieldName('arguments')?.namedChildren ?? [];
        if (args.some((a) => a.text === name || (a.type === 'call' && /(^|\.)partial$/.test(a.childForFieldName('function')?.text ?? '') && a.childForFieldName('arguments')?.namedChildren[0]?.text === name))) return true;
      }
    }
  }
  return false;
}

/** The `def` a plain name calls: a nested one of an enclosing function, else a module-level one. */
function sameFileFunction(name: string, fn: SyntaxNode, analysis: ModuleAnalysis): SyntaxNode | null {
  const scopes = enclosingScopes(fn);
  // most calls name neither a module-level def nor a nested one: decide that without computing scopes
  if (analysis.module.bindings.get(name) !== 'def' && !scopes.some((s) => s.text.includes(`def ${name}`))) return null;
  for (const scope of scopes) {
    if (scopeOf(scope).params.has(name)) return null;
    if (scopeOf(scope).locals.has(name)) {
      let def: SyntaxNode | null = null;
      const body = scope.childForFieldName('body');
      if (!body) return null;
      walk(body, (n) => {
        if (def) return false;
        if (n.type === 'function_definition' && n.childForFieldName('name')?.text === name) def = n;
        return n.type !== 'function_definition' && n.type !== 'class_definition';
      });
      return def;
    }
  }
  return analysis.module.bindings.get(name) === 'def' ? (analysis.module.functions.get(name) ?? null) : null;
}

const OPEN_FUNCTIONS = new Set(['open', 'io.open', 'codecs.open']);

function isOpenCall(node: SyntaxNode | null, fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const f = node?.type === 'call' ? node.childForFieldName('function') : null;
  return !!f && OPEN_FUNCTIONS.has(qualifiedCallee(f, fn, analysis) ?? '');
}

/**
 * The `open(...)` call behind a file receiver: the receiver itself, or the one name bound in the coroutine
 * only by `with open(...) as f` / `f = open(...)`.
 */
function openedFile(receiver: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): SyntaxNode | null {
  if (isOpenCall(receiver, fn, analysis)) return receiver;
  if (receiver.type !== 'identifier' || scopeOf(fn).params.has(receiver.text)) return null;
  const bindings = bindingsIn(fn, receiver.text);
  if (bindings.length === 0 || !bindings.every((b) => isOpenCall(b, fn, analysis))) return null;
  return bindings[0];
}

function isPath(receiver: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const isPathCall = (n: SyntaxNode | null) => {
    const f = n?.type === 'call' ? n.childForFieldName('function') : null;
    return !!f && qualifiedCallee(f, fn, analysis) === 'pathlib.Path';
  };
  if (isPathCall(receiver)) return true;
  if (receiver.type !== 'identifier' || scopeOf(fn).params.has(receiver.text)) return false;
  const bindings = bindingsIn(fn, receiver.text);
  return bindings.length > 0 && bindings.every(isPathCall);
}

/** The values bound to `name` in `fn` by `name = value` and `with value as name` (null: bound some other way). */
function bindingsIn(fn: SyntaxNode, name: string): Array<SyntaxNode | null> {
  const values: Array<SyntaxNode | null> = [];
  const body = fn.childForFieldName('body');
  if (!body) return [null];
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === name) values.push(n.childForFieldName('right'));
    else if (n.type === 'as_pattern' && n.childForFieldName('alias')?.text === name && ancestor(n, (a) => a.type === 'with_clause')) values.push(n.namedChildren[0] ?? null);
    else if (['for_statement', 'augmented_assignment', 'named_expression', 'as_pattern', 'for_in_clause'].includes(n.type)) {
      const target = n.childForFieldName('left') ?? n.childForFieldName('name') ?? n.childForFieldName('alias');
      if (target?.descendantsOfType('identifier').some((i) => i?.text === name) || target?.text === name) values.push(null);
    }
    return true;
  });
  return values;
}
