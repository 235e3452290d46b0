// PAR401–PAR407: risks in code that is already parallel — the GIL trap, unpicklable callables, missing
// `__main__` guards, shared state in workers, pools never shut down, unbounded workers, lost exceptions.
import { functionsCalledAtImport, futuresObserved, type PoolConstruction, type PoolUse, runsAtImport } from '../analysis/executors';
import { type ModuleAnalysis, rootName } from '../analysis/loops';
import { largestEntrySize, listBound, singleValue, sizeOf, sizeOfEveryBinding } from '../analysis/cost';
import { modelRun } from '../analysis/models';
import { classDefining, ownMethods, sameFileCallees } from '../analysis/methods';
import { describeEvidence, type Evidence, falseConstant, falseDefaultOf, type FunctionSummary, plainArgumentFor, plainlyRebound } from '../analysis/effects';
import { BUILTIN_NAMES, lookupCall, METHOD_WAITS, MUTATING_METHODS, READ_ONLY_METHODS } from '../analysis/knowledge';
import { callSitesOf, globalReader, importedName, isInTargetPosition, type ModuleInfo, parameterNames, scopeOf, valuesBound } from '../analysis/scope';
import { latencyClass } from '../analysis/latency';
import { dominantWorkload } from '../analysis/workload';
import type { SyntaxNode } from '../parser';
import { signalsBefore, taskWaits } from '../analysis/synchronisation';
import { ancestor, descendantsNamed, dottedName, enclosingFunction, isAncestorOf, isAsyncFunction, JUMP_STATEMENTS, lineOf, namedChildren, spanOf, tokensSpelled, walk } from '../syntax';
import { withBlockPlan } from '../transforms/riskRewrite';
import { processWorkerConditions } from './asyncRules';
import { PicklingProver } from './pickling';
import { type Applicability, type Finding, fixTitle, type FixOption } from './types';

export interface RiskContext {
  analysis: ModuleAnalysis;
  pools: PoolConstruction[];
}

function make(code: string, name: string, node: SyntaxNode, message: string, pool: PoolConstruction, explanation: string, fix?: { title: string; pattern: FixOption['pattern'] }, doubts: string[] = [], use?: PoolUse, blockers: string[] = []): Finding {
  const applicability: Applicability = doubts.length ? 'unsafe' : 'safe';
  const firstLine = node.text.split('\n')[0];
  const span = spanOf(node);
  if (span.endLine !== span.startLine) {
    span.endLine = span.startLine;
    span.endColumn = span.startColumn + firstLine.length;
  }
  return {
    code,
    name,
    span,
    message,
    risk: { pool, use, node, explanation },
    fixes: fix ? [{ title: fixTitle(fix.title, applicability), pattern: fix.pattern, applicability }] : [],
    doubts,
    blockers,
  };
}

/** The same-file module-level function a callable expression names, if any. */
function moduleFunction(callable: SyntaxNode | null, analysis: ModuleAnalysis): SyntaxNode | null {
  if (callable?.type !== 'identifier') return null;
  const fn = enclosingFunction(callable);
  if (fn && (scopeOf(fn).locals.has(callable.text) || scopeOf(fn).params.has(callable.text))) return null;
  return analysis.module.functions.get(callable.text) ?? null;
}

/** The summaries of the tasks that are functions of other workspace modules (`checks.probe`, `from checks import probe`). */
function importedWorkers(pool: PoolConstruction, analysis: ModuleAnalysis): Array<{ io?: Evidence; cpu?: Evidence }> {
  const workspace = analysis.module.workspace;
  if (!workspace) return [];
  return pool.uses.flatMap((use) => {
    const callable = use.callable;
    if (callable?.type !== 'identifier' && callable?.type !== 'attribute') return [];
    const qualified = importedName(dottedName(callable), analysis.module);
    const symbol = qualified ? workspace.resolve(qualified) : null;
    return symbol?.kind === 'function' ? [symbol.summary] : [];
  });
}

/** A nested `def` (inside the function holding the pool) that the callable names. */
function nestedFunction(callable: SyntaxNode, pool: PoolConstruction): SyntaxNode | null {
  if (callable.type !== 'identifier' || !pool.function) return null;
  let found: SyntaxNode | null = null;
  walk(pool.function.childForFieldName('body')!, (n) => {
    if (found) return false;
    if (n.type === 'function_definition' && n.childForFieldName('name')?.text === callable.text) found = n;
    return n.type !== 'function_definition' || n.id === pool.function!.id;
  });
  return found;
}

/** Why a callable cannot be pickled, or null when it can (module-level function, builtin, import). */
export function unpicklableCallable(callable: SyntaxNode, pool: PoolConstruction, analysis: ModuleAnalysis): string | null {
  if (callable.type === 'lambda') return 'a `lambda`';
  if (callable.type === 'call' && /(^|\.)partial$/.test(callable.childForFieldName('function')?.text ?? '')) {
    const inner = namedChildren(callable.childForFieldName('arguments')!)[0];
    const why = inner ? unpicklableCallable(inner, pool, analysis) : null;
    return why ? `\`functools.partial\` of ${why}` : null;
  }
  if (callable.type === 'attribute') {
    const local = boundMethod(callable, pool, analysis).localClass;
    if (local) return `a method of an instance of the local class \`${local}\``;
  }
  if (callable.type === 'identifier') {
    if (nestedFunction(callable, pool)) return `the nested function \`${callable.text}\``;
    const fn = enclosingFunction(callable);
    if (fn) {
      let local: SyntaxNode | null = null;
      walk(fn.childForFieldName('body')!, (n) => {
        if (n.type === 'assignment' && n.childForFieldName('left')?.text === callable.text && n.childForFieldName('right')?.type === 'lambda') local = n;
        if (n.type === 'class_definition' && n.childForFieldName('name')?.text === callable.text) local = n;
        return n.type !== 'function_definition' || n.id === fn.id;
      });
      if (local) return (local as SyntaxNode).type === 'class_definition' ? `the local class \`${callable.text}\`` : `\`${callable.text}\`, a lambda`;
    }
  }
  return null;
}

/** `obj.method` where `obj = SomeClass(...)` in the same scope and the class is defined in the file. */
function boundMethod(callable: SyntaxNode | null, pool: PoolConstruction, analysis: ModuleAnalysis): { method: SyntaxNode | null; localClass: string | null } {
  const none = { method: null, localClass: null };
  if (callable?.type !== 'attribute') return none;
  const object = callable.childForFieldName('object');
  const methodName = callable.childForFieldName('attribute')!.text;
  if (object?.type !== 'identifier') return none;
  const scope = pool.function ? pool.function.childForFieldName('body')! : analysis.module.root;
  let className: string | null = null;
  walk(scope, (n) => {
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === object.text) {
      const right = n.childForFieldName('right');
      if (right?.type === 'call' && right.childForFieldName('function')?.type === 'identifier') className = right.childForFieldName('function')!.text;
    }
    return true;
  });
  if (!className) return none;
  let classNode: SyntaxNode | null = null;
  walk(analysis.module.root, (n) => {
    if (!classNode && n.type === 'class_definition' && n.childForFieldName('name')?.text === className) classNode = n;
    return !classNode;
  });
  if (!classNode) return none;
  const cls = classNode as SyntaxNode;
  const local = !!enclosingFunction(cls);
  let method: SyntaxNode | null = null;
  for (const stmt of namedChildren(cls.childForFieldName('body')!)) {
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === methodName) method = def;
  }
  return { method, localClass: local ? className : null };
}

export function workerFunctions(pool: PoolConstruction, analysis: ModuleAnalysis): Array<{ use: PoolUse; fn: SyntaxNode }> {
  return pool.uses.flatMap((use) => {
    // in a helper the pool is handed to, names are the helper's: only a module-level function is resolved there
    if (use.through) {
      const fn = moduleFunction(use.callable, analysis);
      return fn ? [{ use, fn }] : [];
    }
    const fn = moduleFunction(use.callable, analysis) ?? (use.callable ? nestedFunction(use.callable, pool) : null) ?? boundMethod(use.callable, pool, analysis).method;
    return fn ? [{ use, fn }] : [];
  });
}

/**
 * Whether CPU work keeps the GIL: Python-level loops, recursion and regular expressions do; one hashlib,
 * zlib, bz2 or lzma call on a large buffer releases it, so threads do overlap those (many small calls in
 * a Python loop do not: the caller checks for loops).
 */
function holdsGil(evidence: string): boolean {
  if (/\b(hashlib|zlib|bz2|lzma|gzip)\./.test(evidence)) return false;
  return /loop doing arithmetic|recursive arithmetic|\bre\.|nested loop/.test(evidence);
}

/**
 * Whether the evidence of computation is a loop of the worker itself whose passes also call code the analysis cannot
 * see, or walk what such code returns (`for page in client.get_paginator(…).paginate(…)`, `obj = client.get_object(…)`
 * beside `end - start`): each pass may wait on a service, and its bit of arithmetic proves nothing about where the
 * time goes. Threads are then no trap.
 */
function arithmeticBesideUnseenCalls(evidence: Evidence, fn: SyntaxNode, analysis: ModuleAnalysis, depth = 0): boolean {
  if (evidence.via) {
    // the loop is in a function of this file the task calls (`_dload` → `download_s3_file`): judged there
    const callee = analysis.module.functions.get(evidence.what);
    const inner = callee && depth < 3 ? analysis.summaries.get(callee).cpu : undefined;
    return !!inner && arithmeticBesideUnseenCalls(inner, callee!, analysis, depth + 1);
  }
  if (!/loop doing arithmetic/.test(evidence.what)) return false;
  const loop = fn.descendantsOfType(['for_statement', 'while_statement']).find((l) => l && lineOf(l) === evidence.line);
  if (!loop) return false;
  const module = analysis.module;
  // a library call the knowledge tables know, and which does not wait
  const knownNotWaiting = (qualified: string) => {
    const work = lookupCall(qualified)?.work;
    return work !== undefined && work !== 'io';
  };
  const seen = (call: SyntaxNode): boolean => {
    const callee = call.childForFieldName('function');
    if (!callee) return false;
    if (callee.type === 'identifier') {
      if (module.bindings.get(callee.text) === 'def' || module.bindings.get(callee.text) === 'class') return true;
      const qualified = importedName(callee.text, module);
      if (qualified) return knownNotWaiting(qualified);
      return BUILTIN_NAMES.has(callee.text) && !module.bindings.has(callee.text);
    }
    if (callee.type !== 'attribute') return false;
    const qualified = importedName(dottedName(callee), module);
    if (qualified) return knownNotWaiting(qualified);
    const method = callee.childForFieldName('attribute')?.text ?? '';
    // a method of a container or a string, or a local file's read (`data = handle.read()`: its bytes are here)
    return READ_ONLY_METHODS.has(method) || MUTATING_METHODS.has(method) || method === 'format' || METHOD_WAITS[method] === 'file';
  };
  // the iterable: a call, or a name bound to one in the function
  let iterable = loop.type === 'for_statement' ? loop.childForFieldName('right') : null;
  if (iterable?.type === 'identifier') {
    const values = valuesBound(fn, iterable.text);
    iterable = values.length === 1 ? values[0] : iterable;
  }
  if (iterable?.type === 'call' && !seen(iterable)) return true;
  return descendantsNamed(loop.childForFieldName('body')!, 'call').some((c) => !!c && !seen(c));
}

/**
 * A lone background thread: the one `threading.Thread` its function starts, outside any loop, beside no other thread
 * or pool of that function, and never joined there — `threading.Thread(target=work, daemon=True).start()` from a
 * window's handler, so that the window's event loop stays free. No second thread computes beside it for the GIL to
 * serialise, and nothing waits for it where it starts: it exists to keep the caller responsive, not to run work in
 * parallel, and processes would not finish it sooner.
 */
/** Whether two nodes lie in different arms of one `if`/`elif`/`else` chain: at most one of them runs. */
function exclusiveArms(a: SyntaxNode, b: SyntaxNode): boolean {
  for (let p = a.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return false;
    if (p.type !== 'if_statement' || !isAncestorOf(p, b)) continue;
    const arms = [p.childForFieldName('consequence'), ...namedChildren(p).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause')];
    const armOf = (n: SyntaxNode) => arms.findIndex((arm) => !!arm && arm.startIndex <= n.startIndex && n.endIndex <= arm.endIndex);
    const [x, y] = [armOf(a), armOf(b)];
    return x >= 0 && y >= 0 && x !== y;
  }
  return false;
}

/** The nearest `for`/`while` around a node inside a function body, if any. */
function enclosingLoop(n: SyntaxNode, scope: SyntaxNode): SyntaxNode | null {
  for (let p = n.parent; p && p.id !== scope.id; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') return p;
    if (p.type === 'function_definition' || p.type === 'lambda') return null;
  }
  return null;
}

function loneBackgroundThread(pool: PoolConstruction, pools: readonly PoolConstruction[]): boolean {
  if (pool.api !== 'Thread' || pool.inLoop) return false;
  if (pools.some((p) => p !== pool && p.kind === 'thread' && (p.function?.id ?? null) === (pool.function?.id ?? null) && !exclusiveArms(p.call, pool.call))) return false;
  const scope = pool.function?.childForFieldName('body');
  if (!scope) return false;
  const handle = pool.binding.kind === 'name' ? pool.binding.name : pool.binding.kind === 'attribute' ? pool.binding.text : null;
  if (!handle) return pool.call.parent?.type === 'attribute' && pool.call.parent.childForFieldName('attribute')?.text === 'start';
  // every use of the thread where it starts: `.start()`, or setting `.daemon` / `.name`. A read of the name before
  // the new thread is bound, in the function's own code (`if worker and worker.is_alive(): return`), reads the thread
  // started before, not this one: the construction is in no loop, so nothing after it runs before it.
  const ownFunction = (n: SyntaxNode): boolean => {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p.id === pool.function?.id;
    return !pool.function;
  };
  let kept = true;
  walk(scope, (n) => {
    if (!kept) return false;
    if (n.text !== handle || (n.type !== 'identifier' && n.type !== 'attribute')) return true;
    if (n.endIndex <= pool.call.startIndex && ownFunction(n)) return false;
    const parent = n.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === n.id) return false;
    const use = parent?.type === 'attribute' && parent.childForFieldName('object')?.id === n.id ? parent.childForFieldName('attribute')?.text : undefined;
    if (use === 'start' || ((use === 'daemon' || use === 'name') && parent?.parent?.type === 'assignment')) return false;
    // `worker.is_alive()` once, for a log line: a look at its state that waits for nothing (polled in a loop it is a wait)
    if (use === 'is_alive' && parent?.parent?.type === 'call' && !enclosingLoop(n, scope)) return false;
    kept = false;
    return false;
  });
  return kept;
}

/** Pool methods that pickle the items of their iterables rather than the arguments themselves. */
const MAP_METHODS = new Set(['map', 'imap', 'imap_unordered', 'starmap', 'map_async', 'starmap_async']);

/**
 * The keyword arguments a pool use pickles for its task: all of `submit`'s (they go to the callable), and the
 * `args` / `kwds` of `apply` and `apply_async` (not their callbacks, which run in the parent).
 */
function pickledKeywords(use: PoolUse): SyntaxNode[] {
  const args = use.call.childForFieldName('arguments');
  const out: SyntaxNode[] = [];
  for (const a of args ? namedChildren(args) : []) {
    if (a.type !== 'keyword_argument') continue;
    const name = a.childForFieldName('name')?.text ?? '';
    const value = a.childForFieldName('value');
    if (!value || value.id === use.callable?.id) continue;
    if (use.method === 'submit' ? name !== 'fn' : (use.method === 'apply' || use.method === 'apply_async') && (name === 'args' || name === 'kwds')) out.push(value);
  }
  return out;
}

/**
 * Whether a thread's task spends its time waiting rather than computing, so the GIL costs it nothing: it waits on
 * the network, another program or a pause (`download_s3_file` running `s5cmd`), paces a loop on an event or a
 * condition (`while not stop.wait(0.05): redraw()`), or its only computing loop prints a line per pass (the
 * terminal's speed, not Python's). Round 35: three PAR401 on a downloader, a UI ticker and a 30-line report.
 */
function waitsBesides(fn: SyntaxNode, summary: FunctionSummary, analysis: ModuleAnalysis): boolean {
  if (summary.io?.waits && summary.io.waits !== 'file') return true;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const calls = body.descendantsOfType('call').filter((c): c is SyntaxNode => !!c);
  const inLoop = (n: SyntaxNode) => {
    const loop = ancestor(n, (p) => p.type === 'for_statement' || p.type === 'while_statement');
    return !!loop && isAncestorOf(body, loop);
  };
  if (calls.some((c) => /\.wait$/.test(c.childForFieldName('function')?.text ?? '') && c.childForFieldName('arguments')?.namedChildren.length && inLoop(c))) return true;
  if (summary.cpu?.what === 'a loop doing arithmetic') {
    const loop = body.descendantsOfType(['for_statement', 'while_statement']).find((l) => l && lineOf(l) === summary.cpu!.line);
    if (loop && loop.descendantsOfType('call').some((c) => c?.childForFieldName('function')?.text === 'print') && !scopeOf(fn).locals.has('print')) return true;
  }
  return false;
}

/** Whether a thread's task computes in Python, holding the GIL, for most of its time (PAR401's test of a task). */
function computingTask(fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const s = analysis.summaries.get(fn);
  // the same rule that sends a loop to processes rather than threads (a file read, then Python computation)
  const computes = !!s.cpu && dominantWorkload([s.cpu], s.io ? [s.io] : []) === 'cpu';
  // not a GIL trap: a task sending a request to a model provider (`client.chat.completions.create(…)` on a
  // client made elsewhere) waits seconds on it, beside a helper's bit of Python (round 28: four pools of LLM
  // requests called CPU-bound); a task whose every computation lets other threads run (`summary.cpu` is one
  // holding the GIL if any does; hashing or compressing releases it only for large buffers, so a loop of small
  // digests still holds it); a task running a neural-network model, whose framework computes outside the GIL; a
  // task calling a method of an object it did not make whose class is not seen (`client.chat(…)` on the project's
  // own client, round 52: five pools of LLM requests), which may wait on a service
  return computes && !waitsBesides(fn, s, analysis) && !requestsModel(fn, analysis) && !s.unseenMethod && !(s.cpu!.releasesGil && !/\b(hashlib|zlib|bz2|lzma|gzip)\./.test(s.cpu!.what)) && !arithmeticBesideUnseenCalls(s.cpu!, fn, analysis) && (holdsGil(describeEvidence(s.cpu!)) || fn.descendantsOfType(['for_statement', 'while_statement']).length > 0) && !modelRun([fn], analysis.module);
}

export function checkRisks(ctx: RiskContext): Finding[] {
  const { analysis, pools } = ctx;
  const findings: Finding[] = [];
  let atImport: Set<string> | undefined; // only process pools need it
  const prover = new PicklingProver(analysis);

  for (const pool of pools) {
    // a `Thread` / `Process` made and never started runs nothing: no risk of any kind
    if (neverStarted(pool, analysis)) continue;
    // PAR401: threads running CPU-bound Python
    if (pool.kind === 'thread' && !loneBackgroundThread(pool, pools) && !(pool.uses.length > 0 && pool.uses.every(awaitedAtOnce))) {
      const cpu = workerFunctions(pool, analysis).find(({ fn }) => computingTask(fn, analysis));
      if (cpu) {
        const summary = analysis.summaries.get(cpu.fn);
        const swappable = pool.api === 'ThreadPoolExecutor' || pool.api === 'ThreadPool';
        const doubts: string[] = [];
        const blockers: string[] = [];
        // what a task needs to run in a worker process rather than a thread: importable by name, no output or shared
        // state changed in a copy, no argument changed in place (the caller's object would not change), globals as
        // a spawned worker sees them, a result that pickles back
        const worker = processWorkerConditions(cpu.fn, summary.name, analysis, () => true);
        blockers.push(...worker.blockers);
        doubts.push(...worker.doubts);
        // the task also waits (a file read, a request), which threads already overlap: that its computation is what
        // takes the time — so that processes pay for their start-up and pickling — is not proven
        if (summary.io) doubts.push(`\`${summary.name}\` also waits on I/O (\`${summary.io.what}\`, line ${summary.io.line}), which threads already overlap: that its computation outweighs the waits, so that processes pay off, is not proven`);
        // `map` pickles each item of its iterables; `submit` and `apply_async` pickle each argument itself, and
        // `submit` also every keyword argument (`submit(fn, tree=self.tree)`)
        const perItem = MAP_METHODS.has(cpu.use.method);
        // names in a helper the pool is handed to are the helper's
        const scope = cpu.use.through ?? pool.function;
        for (const arg of [...cpu.use.args, ...pickledKeywords(cpu.use)]) {
          const v = perItem ? prover.items(arg, scope) : prover.value(arg, scope);
          // a keyword argument is named with its keyword (`records=chunk`)
          const what = perItem ? `the items of \`${arg.text}\`` : `\`${arg.parent?.type === 'keyword_argument' ? arg.parent.text : arg.text}\``;
          if (v === 'unknown') doubts.push(`cannot prove that ${what} can be pickled`);
          if (v === 'no') blockers.push(`${what} cannot be pickled`);
        }
        const target = pool.api === 'ThreadPool' ? 'multiprocessing.Pool' : 'ProcessPoolExecutor';
        findings.push(
          make(
            'PAR401',
            'gil-bound-threads',
            pool.call,
            `\`${pool.api}\` runs CPU-bound Python (\`${summary.name}\`: ${summary.cpu!.what}, line ${summary.cpu!.line}); the GIL lets one thread compute at a time`,
            pool,
            `Threads share one interpreter lock: pure-Python computation in several threads runs one thread at a time, plus switching overhead. Processes each have their own interpreter. ${swappable ? `The fix switches to \`${target}\`: the callable and its arguments are then pickled, so they must be module-level functions and plain data.` : 'A `threading.Thread` has no drop-in process equivalent that returns results: use a `ProcessPoolExecutor` and `map`.'}`,
            swappable && blockers.length === 0 ? { title: `Switch to ${target}`, pattern: 'swap-to-processes' } : undefined,
            doubts,
            cpu.use,
            blockers,
          ),
        );
      }
    }

    // PAR402: unpicklable callable sent to processes
    if (pool.kind === 'process') {
      for (const use of pool.uses) {
        if (!use.callable) continue;
        // in a helper the pool is handed to, only a lambda is known for what it is (its names are the helper's)
        if (use.through && use.callable.type !== 'lambda') continue;
        const why = unpicklableCallable(use.callable, pool, analysis);
        if (!why) continue;
        const extractable = !use.through && (use.callable.type === 'lambda' || !!nestedFunction(use.callable, pool));
        findings.push(
          make(
            'PAR402',
            'unpicklable-callable',
            use.call,
            pool.api === 'Process'
              ? `${why[0].toUpperCase()}${why.slice(1)} is the target of a \`Process\`, but under spawn and forkserver only module-level functions can be pickled`
              : `${why[0].toUpperCase()}${why.slice(1)} is sent to a process pool, but only module-level functions can be pickled`,
            pool,
            pool.api === 'Process'
              ? 'Under the spawn and forkserver start methods — the default on Windows and macOS, and on Linux from Python 3.14 — the child receives its target by pickling it, which stores a reference to a module-level name (under fork it is inherited, not pickled). A lambda, a nested function or a local class has no such name: `start()` fails with `Can\'t pickle local object`. The fix moves the code to a module-level function and passes the values it captured as arguments.'
              : 'Worker processes receive the callable by pickling it, which stores a reference to a module-level name. A lambda, a nested function or a local class has no such name: the pool fails with `Can\'t pickle local object` (or hangs on some versions). The fix moves the code to a module-level function and passes the values it captured as arguments.',
            extractable ? { title: 'Extract to a module-level function', pattern: 'extract-callable' } : undefined,
            [],
            use,
          ),
        );
      }
    }

    // PAR403: process pool started while the module is imported
    if (pool.kind === 'process') {
      const fnName = pool.function?.childForFieldName('name')?.text;
      const unguarded = !pool.forked && (pool.function ? !!fnName && !enclosingFunction(pool.function) && (atImport ??= functionsCalledAtImport(analysis.module)).has(fnName) : runsAtImport(pool.call));
      if (unguarded && !neverSwitchedOn(pool, analysis)) {
        findings.push(
          make(
            'PAR403',
            'missing-main-guard',
            pool.call,
            pool.function ? `\`${fnName}()\` starts a process pool and module-level code calls it without an \`if __name__ == "__main__":\` guard` : 'A process pool starts at module level without an `if __name__ == "__main__":` guard',
            pool,
            'Under the spawn and forkserver start methods — the default on Windows and macOS, and on Linux from Python 3.14 — each worker starts a fresh interpreter that imports your module. Unguarded module-level code then runs again in every worker: it starts pools of its own (`RuntimeError: An attempt has been made to start a new process before the current process has finished its bootstrapping phase`) or repeats its side effects. The fix moves the module-level actions under the guard; definitions, imports and plain assignments stay where workers can import them.',
            { title: 'Wrap the module-level code in `if __name__ == "__main__":`', pattern: 'main-guard' },
          ),
        );
      }
    }

    // PAR404: workers mutating shared state
    for (const { fn } of workerFunctions(pool, analysis)) {
      // one thread running the function (a timer, a background worker) is the only writer of what no one else
      // writes: its read-modify-writes interleave with nothing
      // so is a thread started in a loop that joins the one before first: one runs at a time
      const alone = pool.api === 'Thread' && (!pool.inLoop || pool.joinedBeforeNext) && !runsTwice(fn, analysis, pools);
      for (const statement of sharedMutations(fn, analysis, pool.kind)) {
        if (alone && statement.name && !writtenElsewhere(statement.name, fn, pool.call, analysis)) continue;
        findings.push(
          make(
            'PAR404',
            'shared-state-in-worker',
            statement.node,
            `Worker \`${fn.childForFieldName('name')?.text}\` ${statement.what}`,
            pool,
            pool.kind === 'process'
              ? 'Each worker process has its own copy of module globals and captured objects: the update happens in the copy and is lost when the worker exits; the parent never sees it. Return the value from the worker and combine the results in the parent instead.'
              : 'Threads share the object, but `+=`, `append` on shared state and read-modify-write sequences interleave: updates can be lost or observed half-done. Return values from the workers and combine them in the caller, or use a `queue.Queue` / a lock.',
          ),
        );
      }
    }

    // PAR405: never shut down (an executor that lives as long as its class or its module is not a leak)
    if (!pool.shutDown && pool.api !== 'Thread' && pool.api !== 'Process' && !livesWithProgram(pool) && !handedOffWithCallback(pool)) {
      const plan = pool.binding.kind === 'name' ? withBlockPlan(pool, analysis) : null;
      // the `with` block waits for the tasks where it ends, which the program did not do before
      const waitCheck = plan && !('reason' in plan) ? withBlockWait(pool, plan.siblings[plan.last], analysis) : { blockers: [], doubts: [] };
      const local = !!plan && !('reason' in plan) && waitCheck.blockers.length === 0;
      findings.push(
        make(
          'PAR405',
          'pool-not-shut-down',
          pool.call,
          `\`${pool.api}\` is never shut down: no \`with\` block, no \`shutdown()\`${pool.api.endsWith('Pool') ? ' / `close()` + `join()`' : ''}`,
          pool,
          pool.api === 'Pool' || pool.api === 'ThreadPool'
            ? 'A pool that is never closed keeps its worker processes or threads until it is garbage-collected (held by a module global or a long-lived object: until the interpreter exits), and the collector terminates them whether or not tasks still run. A `with` block calls `terminate()` when it ends — it does not wait for work still running — so it fits where every result is collected inside the block (`map`, or `.get()` on each async result); otherwise call `close()` and `join()`.'
            : 'An executor that is never shut down keeps its worker threads or processes until it is garbage-collected (held by a module global or a long-lived object: until the interpreter exits); where the code does not wait for its tasks, their exceptions and the workers still running go unnoticed. A `with` block shuts it down (waiting for pending work) where the block ends, so the workers\' lifetime is plain in the code.',
          local ? { title: 'Use the pool in a `with` block', pattern: 'with-block' } : undefined,
          local ? waitCheck.doubts : [],
          undefined,
          local ? [] : waitCheck.blockers.length > 0 ? waitCheck.blockers : [plan && 'reason' in plan ? plan.reason : 'the pool is stored on an object, so its lifetime is not local: call `shutdown()` / `close()` where its owner is done with it'],
        ),
      );
    }

    // PAR406: unbounded workers
    const lenArg = pool.workers && /^len\(.*\)$/s.test(pool.workers.text) ? pool.workers : null;
    // processes whose tasks mostly wait (on a child process, the network): bounded to the cores, fewer of the waits
    // overlap than before, and the program can get slower (a stub of rsync: 0.5–0.8 s → 1.4 s on 2 cores)
    // threads whose tasks wait on the network: bounded to 32, fewer waits overlap once the items are more (round 55:
    // 503 hosts' certificate checks, 2.5 % slower with the cap)
    const waiting = lenArg
      ? [...workerFunctions(pool, analysis).map(({ fn }) => analysis.summaries.get(fn) as { io?: Evidence; cpu?: Evidence }), ...importedWorkers(pool, analysis)]
          .find((sum) => sum.io && !(sum.cpu && dominantWorkload([sum.cpu], [sum.io]) === 'cpu') && (pool.kind === 'process' || (sum.io.waits !== 'file' && latencyClass([sum.io]) === 'waiting')))
      : undefined;
    if (lenArg && !fixedSmallLength(lenArg, analysis)) {
      findings.push(
        make(
          'PAR406',
          'unbounded-workers',
          pool.call,
          `One worker per item (\`${lenArg.text}\`): the number of ${pool.kind === 'process' ? 'processes' : 'threads'} grows with the input`,
          pool,
          pool.kind === 'process'
            ? 'More processes than cores add memory (each one is a full interpreter) and context switches without computing any faster, and a large input can exhaust memory or the process limit. Tasks that mostly wait (on the network, or on a child process that itself needs little CPU) overlap as well in threads, at a fraction of the memory.'
            : 'Thousands of threads cost memory for their stacks and scheduling time, and can overwhelm the service they call. A bounded pool queues the rest.',
          { title: `Bound the workers with ${pool.kind === 'process' ? '`min(…, os.cpu_count() or 1)`' : '`min(32, …)`'}`, pattern: 'bound-workers' },
          waiting?.io
            ? [
                pool.kind === 'process'
                  ? `the tasks mostly wait (\`${describeEvidence(waiting.io)}\`, line ${waiting.io.line}): bounded to the cores, fewer of those waits overlap than before, so the program may get slower — a thread pool runs many waits at once for less memory`
                  : `the tasks mostly wait on the network (\`${describeEvidence(waiting.io)}\`, line ${waiting.io.line}): bounded to 32 threads, fewer of those waits overlap than before once the items are more, so the program may get slower — choose the bound from what the service allows`,
              ]
            : [],
        ),
      );
    } else if ((pool.api === 'Thread' || pool.api === 'Process') && pool.inLoop && !pool.joinedBeforeNext && !fixedCount(pool.inLoop) && !smallBoundedCount(pool.inLoop, analysis) && !cappedByCounter(pool.call, pool.inLoop) && !gatedByLiveCount(pool.inLoop) && !perWorkerCount(pool.inLoop) && !joinsAtCap(pool.call, pool.inLoop) && !joinedInItsIteration(pool.call) && !leavesAfterStart(pool.call, pool.inLoop) && !machineLayout(pool.inLoop, analysis.module) && !concurrentByDesign(pool, analysis)) {
      const processes = pool.api === 'Process';
      findings.push(
        make(
          'PAR406',
          'unbounded-workers',
          pool.call,
          `A ${processes ? 'process' : 'thread'} is started for every item: their number grows with the input`,
          pool,
          processes
            ? 'Every process is a full interpreter: more of them than cores only add memory and context switches, and a large input can exhaust memory or the process limit. Use a `ProcessPoolExecutor(max_workers=…)` (or a `multiprocessing.Pool`) and `map` or `submit` over the items.'
            : 'Thousands of threads cost memory and scheduling time, and can overwhelm the service they call. Use a `ThreadPoolExecutor(max_workers=…)` and `map` or `submit` over the items.',
        ),
      );
    }

    // PAR407: futures whose exceptions are never observed
    const scope = pool.function ? pool.function.childForFieldName('body')! : analysis.module.root;
    for (const use of pool.uses) {
      const lazy = ['map', 'imap', 'imap_unordered', 'map_async', 'starmap_async'].includes(use.method);
      if (lazy) {
        // a dropped `executor.map(...)` iterator or `map_async` result: the tasks' exceptions vanish; so does one kept
        // in a name nothing reads (`results = ex.map(run, feeds)`, round 42)
        if ((use.resultUsed && !keptUnread(use.call, scope)) || (use.method === 'map' && pool.api !== 'ProcessPoolExecutor' && pool.api !== 'ThreadPoolExecutor')) continue;
      } else if (use.method !== 'submit' && use.method !== 'apply_async') continue;
      // a use in a helper the pool is handed to: its futures are the helper's to keep or return
      else if (futuresObserved(use, use.through?.childForFieldName('body') ?? scope)) continue;
      if (use.call.childForFieldName('arguments')?.namedChildren.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'error_callback')) continue;
      // a task whose whole body is a `try` catching every `Exception` (and not raising it again) raises nothing for
      // the future to keep: the task handles its own failures (it logs or records them)
      const taskFn = workerFunctions(pool, analysis).find((w) => w.use === use)?.fn ?? null;
      if (taskFn && catchesEverything(taskFn)) continue;
      // one of several tasks picked from a table (`pool.map(checkers[kind], proxies)`), each catching everything
      const picked = taskFn ? null : tableOfTasks(use.callable, pool, analysis);
      if (picked && picked.every((fn) => catchesEverything(fn))) continue;
      const loop = use.call.parent?.parent?.type === 'block' ? use.call.parent.parent.parent : null;
      // (not in a helper: the wait the fix adds would move into it, away from where the program waited)
      const shape = !use.through && !use.resultUsed && use.method === 'submit' && loop?.type === 'for_statement' && namedChildren(loop.childForFieldName('body')!).filter((c) => c.type !== 'comment').length === 1;
      // the fix waits for the tasks right after the loop: nothing they wait for may run between there and where
      // the program waited before (the end of the pool's `with` block, else the end of the scope)
      const waitBlockers: string[] = [];
      const waitDoubts: string[] = [];
      if (shape && loop) {
        // inside another loop that the pool outlives, waiting after each inner loop lets one round of tasks run at
        // a time where all rounds ran together before: the program would get slower
        const outer = ancestor(loop, (n) => n.type === 'function_definition' || ((n.type === 'for_statement' || n.type === 'while_statement') && !isAncestorOf(n, pool.call)));
        if (outer && outer.type !== 'function_definition') {
          waitBlockers.push(`the loop runs inside another loop (line ${lineOf(outer)}) that the pool outlives: waiting for each round's tasks where the inner loop ends would let one round run at a time instead of all of them together; collect the futures across the outer loop and check them after it`);
        }
        // more tasks handed to the same pool after the loop ran alongside the loop's: waiting first would start them
        // only when the loop's tasks end (two phases where there was one; a test of concurrent use tests no longer)
        const later = laterUse(loop, pool);
        if (later) waitBlockers.push(`\`${later.call.text.split('\n')[0].slice(0, 60)}\` at line ${lineOf(later.call)}, after the loop, gives the pool more tasks, which ran alongside these: waiting for these first would start those only when these end`);
        // output the program printed while the tasks ran would now come after them (a progress line)
        const output = outputAfter(loop, pool);
        if (output) waitDoubts.push(`\`${output.text.split('\n')[0].slice(0, 50)}\` at line ${lineOf(output)} ran while the tasks worked; the fix waits for them first, so its output now comes after their work`);
        const task = workerFunctions(pool, analysis).find((w) => w.use === use)?.fn ?? null;
        const waits = taskWaits(use.callable, task, analysis.module);
        if (waits.kind !== 'none') {
          const withBody = pool.binding.kind === 'with' ? ancestor(pool.call, (n) => n.type === 'with_statement')?.childForFieldName('body') : null;
          const check = signalsBefore(loop, withBody && isAncestorOf(withBody, loop) ? withBody : scope, analysis.module);
          const why = waits.kind === 'waits' ? `the tasks can block (\`${waits.what}\`, line ${waits.line})` : `the analysis cannot see whether \`${waits.what}\` blocks`;
          if (check.kind === 'signal') waitBlockers.push(`${why} and \`${check.what}\` at line ${check.line}, after the loop, may be what releases them: waiting for the tasks before it could deadlock`);
          else if (check.kind === 'unknown') waitDoubts.push(`${why} and \`${check.what}\` at line ${check.line} runs after the loop: cannot prove that it does not release them, so waiting for the tasks before it may deadlock`);
        }
      }
      const fixable = shape && waitBlockers.length === 0;
      findings.push(
        make(
          'PAR407',
          'unobserved-future-exception',
          use.call,
          `${returnedBy(use.method)} \`${use.method}\` ${use.resultUsed ? (lazy ? 'is kept but never read' : 'is never checked') : 'is dropped'}: an exception raised by ${lazy ? 'a task' : 'the task'} is never seen`,
          pool,
          'A task that raises stores the exception in its future; nobody calls `result()` or `exception()`, so the failure disappears silently and the program carries on with missing work. The fix keeps the futures and checks each one as it completes, logging failures with their traceback.',
          fixable ? { title: 'Collect the futures and check them with `as_completed`', pattern: 'observe-futures' } : undefined,
          fixable ? waitDoubts : [],
          use,
          waitBlockers,
        ),
      );
    }
  }
  // one finding per code and place (a worker shared by two pools is reported once)
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}:${f.span.startLine}:${f.span.startColumn}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A `Thread` / `Process` bound to a name that nothing reads afterwards in its scope: never started, never handed on
 * (round 57: an emulator's experiment making two threads it never starts, reported as racing and GIL-bound).
 */
function neverStarted(pool: PoolConstruction, analysis: ModuleAnalysis): boolean {
  if ((pool.api !== 'Thread' && pool.api !== 'Process') || pool.binding.kind !== 'name') return false;
  const { name, statement } = pool.binding;
  const scope = pool.function ? pool.function.childForFieldName('body')! : analysis.module.root;
  // (a module-level name may be read by any function of the module, before or after the binding)
  const from = pool.function ? statement.endIndex : 0;
  return !tokensSpelled(scope, name, 'identifier').some((t) => t.startIndex >= from && !isAncestorOf(statement, t));
}

/**
 * Whether the pool is made only when a parameter of its function is true (`ThreadPool(n) if not processes else
 * Pool(n)`, `if processes: pool = Pool(n)`) and every call of the function in the module leaves it false (passes a
 * false constant, or nothing where the default is false): the process pool is never made (round 62: a Moodle
 * downloader's helper, always called for threads, reported twice as PAR403).
 */
function neverSwitchedOn(pool: PoolConstruction, analysis: ModuleAnalysis): boolean {
  const fn = pool.function;
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !name) return false;
  const params = new Set(parameterNames(fn));
  const flagNamed = (cond: SyntaxNode | null | undefined, negated: boolean): string | null => {
    if (!cond) return null;
    if (!negated && cond.type === 'identifier' && params.has(cond.text)) return cond.text;
    const inner = cond.type === 'not_operator' ? cond.childForFieldName('argument') : null;
    return negated && inner?.type === 'identifier' && params.has(inner.text) ? inner.text : null;
  };
  let flag: string | null = null;
  for (let child = pool.call, p = pool.call.parent; p && p.id !== fn.id && !flag; child = p, p = p.parent) {
    if (p.type === 'conditional_expression') {
      const [whenTrue, cond, whenFalse] = p.namedChildren;
      if (child.id === whenTrue?.id) flag = flagNamed(cond, false);
      else if (child.id === whenFalse?.id) flag = flagNamed(cond, true);
    } else if (p.type === 'if_statement' && child.id === p.childForFieldName('consequence')?.id) flag = flagNamed(p.childForFieldName('condition'), false);
    else if (p.type === 'else_clause' && p.parent?.type === 'if_statement' && !p.parent.namedChildren.some((c) => c.type === 'elif_clause')) flag = flagNamed(p.parent.childForFieldName('condition'), true);
  }
  if (!flag || plainlyRebound(fn.childForFieldName('body')!, flag)) return false;
  const calls = callSitesOf(analysis.module, name).filter((c) => !isAncestorOf(fn, c));
  return calls.length > 0 && calls.every((call) => {
    const passed = plainArgumentFor(call, fn, flag!);
    if (passed) return falseConstant(passed);
    // (a call spreading `*args` or `**kwargs` may pass anything)
    return !namedChildren(call.childForFieldName('arguments')!).some((a) => a.type.endsWith('splat')) && falseDefaultOf(fn, flag!);
  });
}

/**
 * The functions a task picked from a dict spelled in the pool's scope can be (`apis = {WEB: self.check_web, SOCKET:
 * self.check_socket}` then `executor.map(apis[kind], items)`), when the dict is bound once and every value is a
 * function or method of this file; null otherwise.
 */
function tableOfTasks(callable: SyntaxNode | null, pool: PoolConstruction, analysis: ModuleAnalysis): SyntaxNode[] | null {
  const table = callable?.type === 'subscript' ? callable.childForFieldName('value') : null;
  if (table?.type !== 'identifier') return null;
  const values = valuesBound(pool.function ?? analysis.module.root, table.text);
  if (values.length !== 1 || values[0]?.type !== 'dictionary') return null;
  const pairs = namedChildren(values[0]).filter((c) => c.type !== 'comment');
  if (pairs.length === 0 || !pairs.every((p) => p.type === 'pair')) return null;
  const fns = pairs.map((p) => {
    const value = p.childForFieldName('value');
    return moduleFunction(value, analysis) ?? boundMethod(value, pool, analysis).method ?? ownMethod(value, pool);
  });
  return fns.every((fn) => !!fn) ? (fns as SyntaxNode[]) : null;
}

/** Handler types that catch every exception a task's code raises (`except Exception:`, `except BaseException`, a bare `except:`). */
const CATCH_ALL = /^(Exception|BaseException|builtins\.Exception)$/;

/**
 * Whether every statement of `fn` (a docstring aside, and a `return` of a name or a constant after it) is inside one
 * `try` whose handlers include one catching every exception and none of whose handlers raises again.
 */
function catchesEverything(fn: SyntaxNode, depth = 0): boolean {
  const body = fn.childForFieldName('body');
  if (!body || depth > 2) return false;
  const statements = namedChildren(body).filter((c) => c.type !== 'comment' && !(c.type === 'expression_statement' && c.namedChildren[0]?.type === 'string'));
  // `with app.app_context(): try: …` — the `try` inside one `with` around the whole body (round 55: a Flask task)
  if (statements.length === 1 && statements[0].type === 'with_statement') return catchesEverything(statements[0], depth + 1);
  const tries = statements.filter((s) => s.type === 'try_statement');
  if (tries.length !== 1) return false;
  const rest = statements.filter((s) => s.type !== 'try_statement');
  if (!rest.every((s) => s.type === 'return_statement' && (s.namedChildren.length === 0 || ['identifier', 'true', 'false', 'none', 'integer', 'string'].includes(s.namedChildren[0]!.type)))) return false;
  if (rest.some((s) => s.startIndex < tries[0].startIndex)) return false;
  const handlers = namedChildren(tries[0]).filter((c) => c.type === 'except_clause');
  if (handlers.some((h) => descendantsNamed(h, 'raise_statement').length > 0)) return false;
  // a `finally` that only releases or closes (`slots.release()`) raises nothing of the task's (round 54: a bounded writer)
  const releasesOnly = (c: SyntaxNode) => namedChildren(c.namedChildren.find((b) => b.type === 'block') ?? c).every((st) => st.type === 'comment' || (st.type === 'expression_statement' && st.namedChildren[0]?.type === 'call' && /\.(release|close|set|task_done|unlink|shutdown)$/.test(st.namedChildren[0].childForFieldName('function')?.text ?? '')));
  if (namedChildren(tries[0]).some((c) => c.type === 'else_clause' || (c.type === 'finally_clause' && !releasesOnly(c)))) return false;
  return handlers.some((h) => {
    const caught = namedChildren(h).find((c) => c.type !== 'block' && c.type !== 'comment');
    if (!caught) return true;
    const type = caught.type === 'as_pattern' ? caught.namedChildren[0] : caught;
    return !!type && CATCH_ALL.test(type.text);
  });
}

/**
 * An executor bound in a class body (`executor = ThreadPoolExecutor(4)` for tornado's `run_on_executor`), or at
 * module level with no later use in the module's own statements: it is meant to serve callers for the whole life
 * of the program, so a `with` block would shut it down before they submit.
 */
/**
 * A `concurrent.futures` executor in a function that hands its tasks off with a done-callback
 * (`future = pool.submit(job); future.add_done_callback(done)`) and returns without waiting: the callback is how
 * the program learns the outcome, and the executor, unreferenced once the function returns, lets its workers exit
 * when the tasks end — no leak. A `with` block would make the function wait for the tasks (round 44: a Qt button
 * handler starting a report in the background froze the window until the report was done).
 */
function handedOffWithCallback(pool: PoolConstruction): boolean {
  if ((pool.api !== 'ThreadPoolExecutor' && pool.api !== 'ProcessPoolExecutor') || !pool.function || pool.binding.kind !== 'name') return false;
  const body = pool.function.childForFieldName('body');
  return !!body && pool.uses.some((use) => {
    if (use.method !== 'submit') return false;
    const holder = use.call.parent;
    // `pool.submit(job).add_done_callback(done)`, or `future = pool.submit(job)` then `future.add_done_callback(done)`
    if (holder?.type === 'attribute' && holder.childForFieldName('attribute')?.text === 'add_done_callback') return true;
    const name = holder?.type === 'assignment' && holder.childForFieldName('left')?.type === 'identifier' ? holder.childForFieldName('left')!.text : null;
    return !!name && tokensSpelled(body, name, 'identifier').some((t) => t.startIndex > use.call.endIndex && t.parent?.type === 'attribute' && t.parent.childForFieldName('object')?.id === t.id && t.parent.childForFieldName('attribute')?.text === 'add_done_callback');
  });
}

function livesWithProgram(pool: PoolConstruction): boolean {
  if (pool.binding.kind !== 'name') return singletonOwned(pool);
  const { name, statement } = pool.binding;
  if (pool.function) {
    // a function that declares the name `global` stores the pool in the module (a lazily created singleton): when
    // code outside that function reads the global, the pool serves it later and lives as long as the module does
    const fn = pool.function;
    if (!scopeOf(fn).globals.has(name)) return false;
    return tokensSpelled(fn.tree.rootNode, name, 'identifier').some((id) => {
      if (isInTargetPosition(id) || id.parent?.type === 'global_statement') return false;
      if (isAncestorOf(fn, id)) return false;
      const owner = enclosingFunction(id);
      return !owner || (!scopeOf(owner).locals.has(name) && !scopeOf(owner).params.has(name));
    });
  }
  const block = statement.parent;
  if (block?.type === 'block' && block.parent?.type === 'class_definition') return true;
  // bound in module code under an `if __name__ == "__main__":` (or any `if`, `try`, `with`): a global all the same,
  // and a function reading it may submit to it whenever it is called
  if (block?.type !== 'module') return !ancestor(statement, (a) => a.type === 'class_definition') && !!globalReader(statement.tree.rootNode, name);
  // a function of the module reads the global: callers may submit at any time
  return !!globalReader(block, name) || !namedChildren(block).some((s) => s.startIndex > statement.endIndex && s.descendantsOfType('identifier').some((id) => id.text === name));
}

/**
 * Whether a pool stored on `self` belongs to a class that keeps its one instance on itself (`_instance = None` in its
 * body, and a method storing `cls._instance = cls()` or `Name._instance = Name(…)`): a singleton made once, whose pool
 * lives as long as the program (round 60: a job manager's thread pool, reported as never shut down).
 */
function singletonOwned(pool: PoolConstruction): boolean {
  if (pool.binding.kind !== 'attribute' || !pool.binding.text.startsWith('self.')) return false;
  const cls = ancestor(pool.call, (n) => n.type === 'class_definition');
  const name = cls?.childForFieldName('name')?.text;
  const body = cls?.childForFieldName('body');
  if (!cls || !name || !body) return false;
  const slots = new Set(
    namedChildren(body)
      .filter((s) => s.type === 'expression_statement' && namedChildren(s)[0]?.type === 'assignment')
      .map((s) => namedChildren(s)[0])
      .filter((a) => a.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('right')?.text === 'None')
      .map((a) => a.childForFieldName('left')!.text),
  );
  return (
    slots.size > 0 &&
    body.descendantsOfType('assignment').some((a) => {
      const left = a?.childForFieldName('left');
      const right = a?.childForFieldName('right');
      if (left?.type !== 'attribute' || right?.type !== 'call') return false;
      const owner = left.childForFieldName('object')?.text;
      const made = right.childForFieldName('function')?.text;
      return slots.has(left.childForFieldName('attribute')?.text ?? '') && (owner === 'cls' || owner === name) && owner === made;
    })
  );
}

/**
 * A `with` block around a pool waits for its tasks where the block ends. When a task can block until another
 * thread acts, whatever runs after that point (in the scope, or in a caller once the function returns) may be
 * what releases it: waiting first would deadlock.
 */
function withBlockWait(pool: PoolConstruction, last: SyntaxNode, analysis: ModuleAnalysis): { blockers: string[]; doubts: string[] } {
  const none = { blockers: [], doubts: [] };
  // `multiprocessing` pools terminate (not join) when their `with` block ends: asynchronous tasks still running die
  const started = (pool.api === 'Pool' || pool.api === 'ThreadPool') && pool.uses.find((u) => ['apply_async', 'map_async', 'starmap_async', 'imap', 'imap_unordered'].includes(u.method));
  if (started) {
    return { blockers: [`a \`with\` block around a \`${pool.api}\` calls \`terminate()\` when it ends, killing the tasks \`${started.method}\` (line ${lineOf(started.call)}) started that are still running: call \`close()\` and \`join()\` once their results are no longer needed`], doubts: [] };
  }
  // and the synchronous calls (`map`, `starmap`, `apply`) have waited for their tasks already: the block's end
  // waits for nothing, so nothing after it can be what the tasks wait for (round 57: an indexer's `Pool.map`)
  if (pool.api === 'Pool' || pool.api === 'ThreadPool') return none;
  const tasks = pool.uses.filter((u) => u.callable);
  if (tasks.length === 0) return none;
  // in a coroutine the block's end is a blocking `shutdown(wait=True)` on the event loop (in an async generator it
  // may come long after the first results were handed out)
  if (pool.function && isAsyncFunction(pool.function)) {
    return { blockers: [], doubts: [`the \`with\` block would end inside the coroutine \`${pool.function.childForFieldName('name')?.text}\`: its \`shutdown(wait=True)\` blocks the event loop until the pool's last task ends, stalling every other coroutine meanwhile; cannot prove the tasks are done by then`] };
  }
  const fns = workerFunctions(pool, analysis);
  for (const use of tasks) {
    const waits = taskWaits(use.callable, fns.find((w) => w.use === use)?.fn ?? null, analysis.module);
    if (waits.kind === 'none') continue;
    const why = waits.kind === 'waits' ? `the tasks can block (\`${waits.what}\`, line ${waits.line})` : `the analysis cannot see whether \`${waits.what}\` blocks`;
    const scope = pool.function ? pool.function.childForFieldName('body')! : analysis.module.root;
    const check = signalsBefore(last, scope, analysis.module);
    if (check.kind === 'signal') return { blockers: [`${why} and \`${check.what}\` at line ${check.line}, after the pool's last use, may be what releases them: a \`with\` block ending before it could deadlock`], doubts: [] };
    if (check.kind === 'unknown') return { blockers: [], doubts: [`${why} and \`${check.what}\` at line ${check.line} runs after the pool's last use: cannot prove that it does not release them, so waiting for the tasks before it may deadlock`] };
    if (pool.function) return { blockers: [], doubts: [`${why}, and the \`with\` block waits for them before \`${pool.function.childForFieldName('name')?.text}\` returns: cannot prove that its callers do not release them afterwards`] };
  }
  return none;
}

// a logger also when reached through an object (`self.log.info`, `self._logger.warning`, `LOGGER.info`)
const OUTPUT_CALL = /^(print|sys\.std(out|err)\.(write|flush)|logging\.\w+|(\w+\.)*\w*(log|LOG)(ger|GER)?\.(debug|info|warning|error|exception|critical|log))$/;

/**
 * The first call producing output that runs after `loop` and before the program used to wait for the tasks (the
 * end of the pool's `with` block, else the end of the loop's block), or null.
 */
/** The statements after `loop` up to where the program waited for the pool: the rest of its `with` body, else of the loop's block. */
function statementsAfter(loop: SyntaxNode, pool: PoolConstruction): SyntaxNode[] {
  const withStatement = pool.binding.kind === 'with' ? ancestor(pool.call, (n) => n.type === 'with_statement') : null;
  const block = withStatement && isAncestorOf(withStatement, loop) ? withStatement.childForFieldName('body') : loop.parent;
  return block ? namedChildren(block).filter((s) => s.startIndex > loop.startIndex) : [];
}

/** A use of the same pool (`submit`, `map` …) after `loop`, before the program waited for the pool. */
function laterUse(loop: SyntaxNode, pool: PoolConstruction): PoolUse | null {
  const after = statementsAfter(loop, pool);
  return pool.uses.find((u) => after.some((s) => isAncestorOf(s, u.call) || s.id === u.call.id) && !ancestor(u.call, (a) => (a.type === 'function_definition' || a.type === 'lambda') && after.some((s) => isAncestorOf(s, a)))) ?? null;
}

function outputAfter(loop: SyntaxNode, pool: PoolConstruction): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (const statement of statementsAfter(loop, pool)) {
    if (found) continue;
    walk(statement, (n) => {
      if (found) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'call' && OUTPUT_CALL.test(n.childForFieldName('function')?.text ?? '')) found = n;
      return true;
    });
  }
  return found;
}

/** What a pool method returns, for messages: `submit` a future, `map` an iterator, `apply_async` an `AsyncResult`. */
function returnedBy(method: string): string {
  if (method === 'submit') return 'The future returned by';
  if (method === 'map' || method === 'imap' || method === 'imap_unordered') return 'The iterator returned by';
  return 'The `AsyncResult` returned by';
}

/** Statements in a worker that change globals, nonlocals or module-level / captured mutable objects. */
const THREAD_SAFE = /(^|\.)(Queue|SimpleQueue|JoinableQueue|LifoQueue|PriorityQueue|Lock|Event|Semaphore)\(/;
const THREAD_SAFE_CALLS = /(Queue|SimpleQueue|JoinableQueue|LifoQueue|PriorityQueue|Lock|Event|Semaphore)\(/g;

/**
 * Names bound outside functions to queues, locks and events. The assignments are found from where the
 * constructors are spelled in the text, going up from there: no walk of the module (once per tree).
 */
function threadSafeNames(root: SyntaxNode): Set<string> {
  let names = threadSafeCache.get(root);
  if (names) return names;
  names = new Set<string>();
  const text = root.tree.text;
  for (const m of text.slice(root.startIndex, root.endIndex).matchAll(THREAD_SAFE_CALLS)) {
    const at = root.startIndex + m.index!;
    const assignments: SyntaxNode[] = [];
    let inFunction = false;
    const token = root.descendantForIndex(at, at + 1);
    // the constructor's name, not words in a string or a comment
    if (token?.type !== 'identifier') continue;
    for (let n: SyntaxNode | null = token; n && n !== root; n = n.parent) {
      if (n.type === 'function_definition') inFunction = true;
      else if (n.type === 'assignment') assignments.push(n);
    }
    if (inFunction) continue;
    for (const a of assignments) {
      const right = a.childForFieldName('right');
      if (right && right.startIndex <= at && at < right.endIndex && THREAD_SAFE.test(right.text)) names.add(a.childForFieldName('left')!.text);
    }
  }
  threadSafeCache.set(root, names);
  return names;
}

/**
 * Whether the statements after the one starting the worker, in its block, leave the loop (`return` or `break` at
 * that level): at most one worker starts per run of the loop (round 55: a target updated, a reload thread started,
 * and the request answered at once).
 */
function leavesAfterStart(call: SyntaxNode, loop: SyntaxNode): boolean {
  let statement: SyntaxNode | null = call;
  while (statement && statement.parent?.type !== 'block') statement = statement.parent;
  const block = statement?.parent;
  if (!statement || !block || !isAncestorOf(loop, block)) return false;
  const siblings = namedChildren(block);
  // a `break` leaves this loop only: a loop around it would start one worker per pass of its own
  const outer = ancestor(loop, (a) => a.type === 'for_statement' || a.type === 'while_statement' || a.type === 'function_definition');
  const breakLeaves = !outer || outer.type === 'function_definition';
  return siblings.slice(siblings.findIndex((s) => s.id === statement!.id) + 1).some((s) => s.type === 'return_statement' || (breakLeaves && s.type === 'break_statement'));
}

/**
 * Whether the thread or process made by `call` is joined in the iteration that starts it: `t = Thread(…)`, then,
 * in the same block, `t.join()` with no timeout, and no `continue`, `break`, `return` or `raise` in the statements
 * between that could skip the join. The iteration waits for its own worker before the loop goes on, so at most one
 * runs at a time, however many items there are.
 */
function joinedInItsIteration(call: SyntaxNode): boolean {
  const assignment = call.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== call.id) return false;
  const name = assignment.childForFieldName('left');
  const statement = assignment.parent;
  if (name?.type !== 'identifier' || statement?.type !== 'expression_statement' || !statement.parent) return false;
  const siblings = namedChildren(statement.parent);
  for (const next of siblings.slice(siblings.findIndex((s) => s.id === statement.id) + 1)) {
    const expression = next.type === 'expression_statement' ? next.namedChildren[0] : null;
    const callee = expression?.type === 'call' ? expression.childForFieldName('function') : null;
    if (
      callee?.type === 'attribute' &&
      callee.childForFieldName('object')?.text === name.text &&
      callee.childForFieldName('attribute')?.text === 'join' &&
      namedChildren(expression!.childForFieldName('arguments')!).length === 0
    ) {
      return true;
    }
    if (descendantsNamed(next, JUMP_STATEMENTS).some((n) => !ancestorWithin(n, next, 'function_definition'))) return false;
    // the name bound to another worker before the join: that join waits for the other one
    if (descendantsNamed(next, 'assignment').some((n) => n.childForFieldName('left')?.text === name.text)) return false;
  }
  return false;
}

/** Whether a node of `type` lies between `node` and `top` (a jump inside a nested function does not leave the block). */
function ancestorWithin(node: SyntaxNode, top: SyntaxNode, type: string): boolean {
  for (let n: SyntaxNode | null = node.parent; n && n.id !== top.id; n = n.parent) if (n.type === type) return true;
  return false;
}

/** Whether a loop's iterables are all literal (`range(20)`, `("a", "b")`): its count does not grow with any input. */
function fixedCount(loop: SyntaxNode): boolean {
  const iterables = loop.type === 'for_statement' ? [loop.childForFieldName('right')] : loop.namedChildren.filter((c) => c.type === 'for_in_clause').map((c) => c.childForFieldName('right'));
  const literal = (n: SyntaxNode | null): boolean => {
    if (!n) return false;
    if (['tuple', 'list', 'set', 'expression_list'].includes(n.type)) return n.namedChildren.every((c) => c.type === 'comment' || ['integer', 'float', 'string', 'true', 'false', 'none'].includes(c.type));
    if (n.type === 'string') return true;
    if (n.type === 'call' && n.childForFieldName('function')?.text === 'range') return namedChildren(n.childForFieldName('arguments')!).every((a) => a.type === 'integer');
    return false;
  };
  return iterables.length > 0 && iterables.every(literal);
}

/** Words naming a part of the machine or of a fixed worker layout: a GPU, a device, a core, a worker, a rank, a shard. */
const MACHINE_WORD = /^(gpus?|cuda|devices?|cores?|cpus?|workers?|ranks?|shards?|procs?|nprocs?|processes|threads)$/i;

/**
 * Whether a loop walks the machine's layout rather than the input: its target or the names its iterable reads are
 * spelled with a word of a GPU, a device, a core, a worker, a rank or a shard (`for gpu_id in available_gpus`,
 * `for rank, device_id in enumerate(assignments)`). One process per GPU or per configured worker is as many as the
 * hardware or the settings say, however large the input.
 */
function machineLayout(loop: SyntaxNode, module: ModuleInfo): boolean {
  const clauses = loop.type === 'for_statement' ? [loop] : loop.namedChildren.filter((c) => c.type === 'for_in_clause');
  const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').split(/[_\d]+/).filter(Boolean);
  const identifiers = (n: SyntaxNode | null): SyntaxNode[] => (n ? [n, ...descendantsNamed(n, 'identifier')].filter((m) => m.type === 'identifier') : []);
  return clauses.some((c) => {
    const names = [c.childForFieldName('left'), c.childForFieldName('right')].flatMap(identifiers);
    // `slices = slice_generator(n, n_processes)` then `for i, (a, b) in enumerate(slices)`: the value the iterable's
    // names are bound to once (a chunking by the worker count runs once per worker)
    const bound = identifiers(c.childForFieldName('right')).flatMap((n) => identifiers(singleValue(n, module)));
    return [...names, ...bound].some((n) => words(n.text).some((w) => MACHINE_WORD.test(w)));
  });
}

/**
 * Whether a thread or process started per item is meant to run beside the others for as long as they all do: its
 * function loops until stopped (`while True:`, `while not stop.is_set():`, `while self.running:`) or first sleeps
 * for a time its item gives it (`time.sleep(call.waiting_time)`: started on a schedule). A bounded pool would hold
 * some of them back, which changes the program (round 49: Mininet experiments with a thread per flow, per host,
 * per attacker, a queue monitor per interface).
 */
function concurrentByDesign(pool: PoolConstruction, analysis: ModuleAnalysis): boolean {
  // `Thread(target=self.player_loop, …)` in a method: the method of that class (round 54: a thread per player of a
  // text game, each looping until the game ends)
  const own = pool.uses.map((use) => ownMethod(use.callable, pool)).filter((fn): fn is SyntaxNode => fn !== null);
  return [...workerFunctions(pool, analysis).map(({ fn }) => fn), ...own].some((fn) => {
    const body = fn.childForFieldName('body');
    if (!body) return false;
    const params = new Set(parameterNames(fn));
    let found = false;
    walk(body, (n) => {
      if (found || (n.id !== body.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda'))) return false;
      if (n.type === 'while_statement') {
        const condition = n.childForFieldName('condition');
        const test = condition?.type === 'not_operator' ? condition.childForFieldName('argument') : condition;
        // `while True` / `while 1`, or a flag: a name, an attribute, or an event's `is_set()`
        if (test && (/^(True|1)$/.test(test.text) || test.type === 'identifier' || test.type === 'attribute' || (test.type === 'call' && /\.is_set$/.test(test.childForFieldName('function')?.text ?? '')))) found = true;
      }
      if (n.type === 'call' && /^(time\.)?sleep$/.test(n.childForFieldName('function')?.text ?? '')) {
        const arg = namedChildren(n.childForFieldName('arguments')!)[0];
        const root = arg ? dottedRoot(arg) : null;
        if (root && params.has(root)) found = true;
      }
      return true;
    });
    return found;
  });
}

/** The method `self.name` names when the pool is made in a method of the class defining it. */
function ownMethod(callable: SyntaxNode | null, pool: PoolConstruction): SyntaxNode | null {
  if (callable?.type !== 'attribute' || callable.childForFieldName('object')?.text !== 'self' || !pool.function) return null;
  const cls = classDefining(pool.function);
  const name = callable.childForFieldName('attribute')?.text;
  return cls && name ? ownMethods(cls).get(name) ?? null : null;
}

/** The name an attribute or item chain starts from (`call` of `call.waiting_time`, `change` of `change["delay"]`). */
function dottedRoot(n: SyntaxNode): string | null {
  let o: SyntaxNode | null = n;
  while (o?.type === 'attribute' || o?.type === 'subscript') o = o.childForFieldName(o.type === 'attribute' ? 'object' : 'value');
  return o?.type === 'identifier' ? o.text : null;
}

/**
 * Whether `len(x)` is a small number the code fixes: `x` a literal, or a name every binding of which (one per arm
 * of an `if`, say) is a collection of known size, at most SMALL_WORKER_COUNT (`Pool(len(drugs))` with thirteen
 * drugs listed). Such a pool does not grow with any input.
 */
function fixedSmallLength(lenCall: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const args = lenCall.type === 'call' ? namedChildren(lenCall.childForFieldName('arguments')!) : [];
  if (args.length !== 1) return false;
  const size = args[0].type === 'identifier' ? sizeOfEveryBinding(args[0], analysis.module) : sizeOf(args[0], analysis.module);
  return (size?.n ?? atMost(args[0], analysis.module) ?? ownListLength(args[0], analysis.module) ?? Infinity) <= SMALL_WORKER_COUNT;
}

/**
 * The length of `self.attr` when its class sets it only to lists the code spells out (`self.scan_rules = [A(),
 * B(), …]` in `__init__`) and nothing of the class adds to it: a fixed count, not one that grows with the input
 * (round 64: 49 scan rules, one thread each, called unbounded).
 */
function ownListLength(n: SyntaxNode, module: ModuleInfo): number | undefined {
  if (n.type !== 'attribute' || n.childForFieldName('object')?.text !== 'self') return undefined;
  const attribute = n.childForFieldName('attribute')!.text;
  const cls = ancestor(n, (p) => p.type === 'class_definition');
  if (!cls) return undefined;
  let most = -1;
  let other = false;
  walk(cls, (m) => {
    if (other) return false;
    const target = m.type === 'assignment' || m.type === 'augmented_assignment' ? m.childForFieldName('left') : null;
    if (target?.type === 'attribute' && target.text.replace(/\s/g, '') === `self.${attribute}`) {
      const size = m.type === 'assignment' && m.childForFieldName('right')?.type === 'list' ? sizeOf(m.childForFieldName('right')!, module) : null;
      if (size) most = Math.max(most, size.n);
      else other = true;
    }
    // `self.scan_rules.append(rule)`, `.extend(…)`, `.insert(…)`: the list grows
    const f = m.type === 'call' ? m.childForFieldName('function') : null;
    if (f?.type === 'attribute' && f.childForFieldName('object')?.text.replace(/\s/g, '') === `self.${attribute}` && MUTATING_METHODS.has(f.childForFieldName('attribute')!.text)) other = true;
    return true;
  });
  return !other && most >= 0 ? most : undefined;
}

/** `list(x)`, `sorted(x)`, `set(x)`…: a call making a collection of the items of its one argument. */
function copiesOne(n: SyntaxNode): boolean {
  return n.type === 'call' && /^(list|sorted|set|tuple|reversed|frozenset)$/.test(n.childForFieldName('function')?.text ?? '');
}

/**
 * At most how many items `n` holds, when a known-size collection bounds it: a comprehension filtering one
 * (`[p for p in POSITIONS if p not in done]`), `sorted`/`list`/`set` of one, a name bound once to such a value.
 */
function atMost(n: SyntaxNode | null, module: ModuleInfo, depth = 0): number | undefined {
  if (!n || depth > 4) return undefined;
  // a parameter holds what its callers pass, however many (the callers in this file are not all of them): what
  // reads one is not sized by them; a comprehension is bounded by its iterable alone (its filter may read one)
  const fn = enclosingFunction(n);
  const params = fn ? scopeOf(fn).params : new Set<string>();
  const readsParameter = (m: SyntaxNode) => [m, ...descendantsNamed(m, 'identifier')].some((id) => id.type === 'identifier' && params.has(id.text));
  const comprehension = n.type === 'list_comprehension' || n.type === 'set_comprehension' || n.type === 'generator_expression';
  if (!comprehension && readsParameter(n)) {
    if (!copiesOne(n)) return undefined;
  } else if (!comprehension) {
    const size = sizeOf(n, module);
    if (size) return size.n;
  }
  if (comprehension) {
    const clauses = namedChildren(n).filter((c) => c.type === 'for_in_clause');
    return clauses.length === 1 ? atMost(clauses[0].childForFieldName('right'), module, depth + 1) : undefined;
  }
  if (copiesOne(n)) {
    // `sorted(p for p in …)`: the generator is the call's whole argument list
    const given = n.childForFieldName('arguments')!;
    if (given.type === 'generator_expression') return atMost(given, module, depth + 1);
    const args = namedChildren(given).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
    return args.length === 1 ? atMost(args[0], module, depth + 1) : undefined;
  }
  if (n.type === 'identifier') {
    const value = singleValue(n, module);
    return value ? atMost(value, module, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * Whether the start sits under a guard `if running < limit:` (or `limit > running`) whose block counts the start
 * (`running += 1`): the code caps how many it starts, whatever the number of items.
 */
function cappedByCounter(call: SyntaxNode, loop: SyntaxNode): boolean {
  for (let n = call.parent; n && n.id !== loop.id; n = n.parent) {
    if (n.type !== 'block' || n.parent?.type !== 'if_statement' || n.parent.childForFieldName('consequence')?.id !== n.id) continue;
    const test = n.parent.childForFieldName('condition');
    if (test?.type !== 'comparison_operator' || test.namedChildren.length !== 2) continue;
    const op = test.children.find((c) => !c.isNamed)?.type;
    const counter = op === '<' || op === '<=' ? test.namedChildren[0] : op === '>' || op === '>=' ? test.namedChildren[1] : null;
    if (!counter || !['identifier', 'attribute'].includes(counter.type)) continue;
    const counted = n.descendantsOfType('augmented_assignment').some((a) => a.childForFieldName('left')?.text === counter.text && a.children.some((c) => c.type === '+='));
    if (counted) return true;
  }
  return false;
}

/** A name for a number of workers (`n_jobs`, `num_workers`, `os.cpu_count()`). */
const WORKER_COUNT = /\b(n_?jobs|n_?workers|num_?workers|max_?workers|workers|n_?procs|num_?procs|n_?processes|num_?processes|n_?threads|num_?threads|n_?cpus?|cpu_count\(\))\b/i;

/**
 * Whether the loop runs over one part per worker: its iterable splits the work into as many parts as a worker count
 * names (`chunks = split(blocks, n_jobs)`, `range(n_workers)`, `np.array_split(rows, os.cpu_count())`): one process
 * per worker, the count the caller chose (round 69: a stablecoin analysis starting `n_jobs` processes).
 */
function perWorkerCount(loop: SyntaxNode): boolean {
  if (loop.type !== 'for_statement') return false;
  let iterable = loop.childForFieldName('right');
  const fn = enclosingFunction(loop);
  if (iterable?.type === 'identifier' && fn) {
    const values = valuesBound(fn, iterable.text);
    if (values.length === 1 && values[0]) iterable = values[0];
  }
  if (iterable?.type !== 'call') return false;
  const args = namedChildren(iterable.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  return args.some((a) => WORKER_COUNT.test(a.type === 'keyword_argument' ? (a.childForFieldName('value')?.text ?? '') : a.text));
}

/**
 * Whether the loop waits before each start while too many threads live (`while threading.active_count() > 8:
 * time.sleep(0.5)`) or takes a slot of a semaphore first (`slots.acquire()`): never more alive than that cap
 * (round 69: a training-data preparer's eight threads at most).
 */
function gatedByLiveCount(loop: SyntaxNode): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  return /\b(threading\.)?active_count\(\)\s*[>]=?\s*\w+|\w+\s*<=?\s*(threading\.)?active_count\(\)/.test(body.text) || /\b\w+\.acquire\(\)/.test(body.text) && /Semaphore\(/.test(loop.tree.text);
}

/**
 * Whether the loop waits for its oldest threads once a list of them reaches a size (`if len(threads) >= 16:
 * threads[0].join(); threads = threads[1:]`, or `for t in threads: t.join()` then `threads = []`) before it starts
 * the next: a sliding window, as many live at once as the test allows (round 57: a grid search, sixteen at a time).
 */
function joinsAtCap(call: SyntaxNode, loop: SyntaxNode): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  // before the start (the oldest joined once the cap is reached) or after it (the batch joined once it is full,
  // round 59's formula converter): never more alive than the cap
  return body.descendantsOfType('if_statement').some((test) => {
    if (!test) return false;
    let condition = test.childForFieldName('condition');
    while (condition?.type === 'parenthesized_expression') condition = condition.namedChildren[0] ?? null;
    const sized = condition?.type === 'comparison_operator' ? condition.namedChildren.find((c) => c.type === 'call' && c.childForFieldName('function')?.text === 'len') : undefined;
    const list = sized ? namedChildren(sized.childForFieldName('arguments')!)[0] : undefined;
    if (list?.type !== 'identifier') return false;
    const appended = body.descendantsOfType('call').some((c) => c?.childForFieldName('function')?.text === `${list.text}.append`);
    const joins = test.childForFieldName('consequence')?.descendantsOfType('call').some((c) => {
      const f = c?.childForFieldName('function');
      return f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'join' && new RegExp(String.raw`\b${list.text}\b`).test(f.childForFieldName('object')!.text + (ancestor(c!, (a) => a.type === 'for_statement')?.childForFieldName('right')?.text ?? ''));
    });
    return appended && !!joins;
  });
}

/**
 * A `submit` whose future is waited for at once, outside any loop (`ex.submit(f, x).result()`, or `fut = ex.submit(…)`
 * with `fut.result()` in the next statement): one task at a time, so no two threads ever compute (round 31: three
 * data loaders run that way, called GIL-bound).
 */
function awaitedAtOnce(use: PoolUse): boolean {
  if (use.method !== 'submit' || ancestor(use.call, (a) => a.type === 'for_statement' || a.type === 'while_statement' || a.type === 'list_comprehension' || a.type === 'generator_expression')) return false;
  const parent = use.call.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'result' && parent.parent?.type === 'call') return true;
  const target = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === use.call.id ? parent.childForFieldName('left') : null;
  const statement = parent?.parent;
  if (target?.type !== 'identifier' || statement?.type !== 'expression_statement') return false;
  const siblings = statement.parent ? namedChildren(statement.parent).filter((c) => c.type !== 'comment') : [];
  const next = siblings[siblings.findIndex((c) => c.id === statement.id) + 1];
  return !!next && new RegExp(String.raw`^[^\n]*\b${target.text}\.result\(`).test(next.text);
}

/** Request paths of model providers' clients, spelled below any receiver (`….chat.completions.create(…)`). */
const MODEL_REQUEST_PATH = /\.(chat\.completions\.(create|parse)|completions\.create|responses\.(create|parse)|messages\.create|embeddings\.create|generate_content)$/;

/** Whether `fn`, or a function of this file it calls (three deep), sends a request to a model provider's client. */
function requestsModel(fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  return sameFileCallees([fn], analysis.module, { limit: 30 }).some(({ node }) =>
    descendantsNamed(node, 'call').some((call) => {
      const f = call.childForFieldName('function');
      return f?.type === 'attribute' && MODEL_REQUEST_PATH.test(f.text.replace(/\s+/g, ''));
    }),
  );
}

/** Above this many items a loop starting one thread or process per item is unbounded for practical purposes. */
const SMALL_WORKER_COUNT = 64;

/**
 * Whether a loop's items are few and bounded by what the code shows: a constant (`range(N)` with `N = 4`, a
 * module-level tuple), or an entry of a constant table whose entries are all short (`MODES[key]` with
 * `MODES = {"a": ("x", "y"), …}`).
 */
function smallBoundedCount(loop: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const iterables = loop.type === 'for_statement' ? [loop.childForFieldName('right')] : loop.namedChildren.filter((c) => c.type === 'for_in_clause').map((c) => c.childForFieldName('right'));
  const fn = enclosingFunction(loop);
  const params = fn ? scopeOf(fn).params : new Set<string>();
  // a parameter's size is the caller's business: the function starts as many workers as it is given items, unless
  // every call of it in the file shows that size (`fit(['gini', 'entropy'])`, round 57's tree fitter; ten files
  // spelled out in `__main__`, round 59): the program never starts more
  const readsParameter = (n: SyntaxNode) => descendantsNamed(n, 'identifier').some((id) => params.has(id.text)) || (n.type === 'identifier' && params.has(n.text));
  const bound = (n: SyntaxNode | null, depth = 0): number | undefined => {
    if (!n || depth > 4) return undefined;
    // (a bound is enough: this refuses a finding, `('a',) if frozen else ('a', 'b', 'c')` starts at most three)
    const size = sizeOf(n, analysis.module, 0, undefined, true);
    if (size) return size.n;
    // a filtered or sorted copy of a known-size collection (`pending = [p for p in POSITIONS if …]`)
    const most = atMost(n, analysis.module);
    if (most !== undefined) return most;
    // `range(len(x))`, and a name bound once to an entry of a table (`chosen = SETS[key]`)
    const args = n.type === 'call' && n.childForFieldName('function')?.text === 'range' ? namedChildren(n.childForFieldName('arguments')!) : [];
    if (args.length === 1 && args[0].type === 'call' && args[0].childForFieldName('function')?.text === 'len') return bound(namedChildren(args[0].childForFieldName('arguments')!)[0] ?? null, depth + 1);
    if (n.type === 'identifier' && !readsParameter(n)) {
      // a list built by hand: its literal and its appends, those in a loop over a known count times that count
      const built = listBound(n, analysis.module);
      if (built) return built.n;
      const value = singleValue(n, analysis.module);
      return value?.type === 'subscript' ? bound(value, depth + 1) : undefined;
    }
    if (n.type !== 'subscript') return undefined;
    const table = n.childForFieldName('value');
    if (!table || readsParameter(table)) return undefined;
    const value = table.type === 'identifier' ? singleValue(table, analysis.module) : table;
    return value ? largestEntrySize(value, analysis.module) : undefined;
  };
  return iterables.length > 0 && iterables.every((n) => (bound(n) ?? Infinity) <= SMALL_WORKER_COUNT);
}

/** Whether `node`'s text spells the expression `expr` whole (`out` is not in `_run_output`, nor `d` in `d2` or `x.d`). */
function readsExpression(node: SyntaxNode | null, expr: string): boolean {
  if (!node || expr.length === 0) return false;
  const text = node.text;
  for (let at = text.indexOf(expr); at >= 0; at = text.indexOf(expr, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + expr.length] ?? ' ';
    if (!/[\p{L}\p{N}_.]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
  }
  return false;
}

const threadSafeCache = new WeakMap<SyntaxNode, Set<string>>();

/**
 * A read-modify-write of a shared place spread over statements (`cur = self.v`, `cur += 1`, `self.v = cur`): records
 * which locals carry a value read from a shared place, and returns the write that puts such a value back.
 */
function splitReadModifyWrite(statement: SyntaxNode, carried: Map<string, Map<string, number>>, sharedTarget: (target: SyntaxNode) => boolean): { target: string; local: string; readLine: number } | null {
  if (statement.type !== 'assignment' && statement.type !== 'augmented_assignment') return null;
  const left = statement.childForFieldName('left');
  const right = statement.childForFieldName('right');
  if (!left || !right) return null;
  /** The shared places (with the line read) a value depends on: read directly, or through a local carrying one. */
  const sources = new Map<string, number>();
  const visit = (e: SyntaxNode) => {
    if ((e.type === 'attribute' || e.type === 'subscript' || e.type === 'identifier') && sharedTarget(e) && !(e.parent?.type === 'call' && e.parent.childForFieldName('function')?.id === e.id)) {
      if (!sources.has(e.text)) sources.set(e.text, lineOf(e));
    }
    if (e.type === 'identifier') for (const [place, line] of carried.get(e.text) ?? []) if (!sources.has(place)) sources.set(place, line);
    for (const c of namedChildren(e)) visit(c);
  };
  visit(right);
  if (left.type === 'identifier' && !sharedTarget(left)) {
    const own = statement.type === 'augmented_assignment' ? new Map(carried.get(left.text) ?? []) : new Map<string, number>();
    for (const [place, line] of sources) own.set(place, line);
    if (own.size > 0) carried.set(left.text, own);
    else carried.delete(left.text);
    return null;
  }
  if (statement.type !== 'assignment' || !sharedTarget(left)) return null;
  // a direct read of the place in the same statement is the one-statement case, reported as such
  if (readsExpression(right, left.text)) return null;
  for (const r of descendantsNamed(right, 'identifier').concat(right.type === 'identifier' ? [right] : [])) {
    const line = carried.get(r.text)?.get(left.text);
    if (line !== undefined) return { target: left.text, local: r.text, readLine: line };
  }
  return null;
}

/** Whether the function is the target of more than one thread or task of this file, or of one started in a loop. */
function runsTwice(fn: SyntaxNode, analysis: ModuleAnalysis, pools: PoolConstruction[] = []): boolean {
  const uses = usesOf(fn, analysis);
  if (!uses) return true;
  let starts = 0;
  for (const t of uses) {
    const call = ancestor(t, (a) => a.type === 'call');
    if (!call) return true; // kept or passed on: it may be started anywhere
    // a thread started in a loop after the one before was joined runs once at a time
    const serial = pools.some((p) => p.call.id === call.id && p.joinedBeforeNext);
    if (!serial && inRepetition(call)) return true;
    starts++;
  }
  return starts > 1;
}

/**
 * The mentions of worker `fn`'s name outside it, in the module or, for a nested function, in the function around it
 * (its name is a variable there: another test's `writer` is another function); null when it has no name.
 */
function usesOf(fn: SyntaxNode, analysis: ModuleAnalysis): SyntaxNode[] | null {
  const name = fn.childForFieldName('name')?.text;
  if (!name) return null;
  return tokensSpelled(enclosingFunction(fn) ?? analysis.module.root, name, 'identifier').filter((t) => t.parent?.id !== fn.id && !isAncestorOf(fn, t));
}

/** Whether `node` sits in a loop or a comprehension, where it may run more than once. */
function inRepetition(node: SyntaxNode): boolean {
  return !!ancestor(node, (a) => a.type === 'for_statement' || a.type === 'while_statement' || a.type.endsWith('comprehension') || a.type === 'generator_expression');
}

/**
 * Whether `name` (a module global, or the root of a shared attribute) is written outside `fn`: by a function that
 * declares it `global`, by a method or attribute store, or by module-level code after the thread starts.
 */
function writtenElsewhere(name: string, fn: SyntaxNode, start: SyntaxNode, analysis: ModuleAnalysis): boolean {
  // a `nonlocal` of the worker is a variable of the function around it: the same name elsewhere is another variable
  const outer = nonlocalOwner(fn, name);
  const starter = enclosingFunction(start);
  for (const t of tokensSpelled(outer ?? analysis.module.root, name, 'identifier')) {
    if (isAncestorOf(fn, t)) continue;
    // set by the function that makes the thread before it does (`done = 0`, then `Thread(target=worker)`)
    if (starter && enclosingFunction(t)?.id === starter.id && t.startIndex < start.startIndex) continue;
    const parent = t.parent;
    if (!parent) continue;
    const assigned = (parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === t.id;
    const mutated = parent.type === 'attribute' && parent.childForFieldName('object')?.id === t.id && (parent.parent?.type === 'call' || isInTargetPosition(parent));
    const stored = parent.type === 'subscript' && parent.childForFieldName('value')?.id === t.id && isInTargetPosition(parent);
    if (!assigned && !mutated && !stored) continue;
    const owner = enclosingFunction(t);
    if (owner) return true;
    if (t.startIndex > start.startIndex) return true;
  }
  return false;
}

/**
 * Every start of worker `fn` is a thread made outside any loop that hands its parameter `param` a literal of its own
 * (`Thread(target=insert, args=(conn1, "conn1"))`, then `args=(conn2, "conn2")`): each thread has its own value, and
 * at least two threads are started.
 */
function distinctPerStart(fn: SyntaxNode, param: string, analysis: ModuleAnalysis): boolean {
  const uses = usesOf(fn, analysis);
  const index = parameterNames(fn).indexOf(param);
  if (!uses || index < 0) return false;
  const values = new Set<string>();
  for (const t of uses) {
    const keyword = t.parent;
    const call = keyword?.parent?.parent;
    if (keyword?.type !== 'keyword_argument' || keyword.childForFieldName('name')?.text !== 'target' || call?.type !== 'call') return false;
    if (inRepetition(call)) return false;
    const args = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'args')?.childForFieldName('value');
    const item = args?.type === 'tuple' ? namedChildren(args).filter((c) => c.type !== 'comment')[index] : undefined;
    if (!item || (item.type !== 'string' && item.type !== 'integer') || values.has(item.text)) return false;
    values.add(item.text);
  }
  return values.size >= 2;
}

/**
 * A nested worker's key made fresh for it: the function around it binds `name` once to a new unique id
 * (`render_id = uuid.uuid4().hex[:12]`) and starts the worker once per call, so each thread updates its own entry
 * (round 68: one render job per request, its status updated by its one thread).
 */
function freshIdPerStart(fn: SyntaxNode, name: string, analysis: ModuleAnalysis): boolean {
  const outer = enclosingFunction(fn);
  if (!outer || !scopeOf(outer).locals.has(name) || runsTwice(fn, analysis)) return false;
  const values = valuesBound(outer, name);
  return values.length === 1 && !!values[0] && /^(uuid\.)?uuid[14]\(\)|^(secrets\.)?token_(hex|urlsafe)\(|^str\((uuid\.)?uuid[14]\(\)\)/.test(values[0].text);
}

/**
 * A module global the process worker `fn` writes that only the worker reads: every other mention is the module's
 * own binding of it (`_started: dict = {}`) or sits in a function the worker calls. Each worker process keeps its
 * own copy, as the code intends (round 66: per-file timings kept by each GPU worker, never read by the parent).
 */
function workerOwnGlobal(name: string, fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const root = analysis.module.root;
  if (analysis.module.bindings.get(name) === 'import') return false;
  const reached = sameFileCallees([fn], analysis.module, { limit: 30 }).map(({ node }) => node);
  return tokensSpelled(root, name, 'identifier').every((t) => {
    if (reached.some((r) => isAncestorOf(r, t) || r.id === t.id)) return true;
    // bound at the module's top level, to a fresh empty container or a constant
    const statement = t.parent?.type === 'assignment' && t.parent.childForFieldName('left')?.id === t.id ? t.parent : null;
    return !!statement && statement.parent?.parent?.type === 'module' && !enclosingFunction(statement);
  });
}

/** The function whose variable `name` is, when worker `fn` declares it `nonlocal`. */
function nonlocalOwner(fn: SyntaxNode, name: string): SyntaxNode | null {
  if (!scopeOf(fn).nonlocals.has(name)) return null;
  for (let scope = enclosingFunction(fn); scope; scope = enclosingFunction(scope)) {
    if (scopeOf(scope).locals.has(name) || scopeOf(scope).params.has(name)) return scope;
  }
  return null;
}

const LOCK_WORDS = /lock|Lock|mutex|sem/i;

/**
 * Whether the item of a `with` is a local name for a lock: `with guard:` where `guard = self._batch_lock` (or
 * `threading.Lock()`) is the one assignment of `guard` in the worker or a function around it.
 */
function lockAlias(item: SyntaxNode | null, fn: SyntaxNode): boolean {
  const expression = item?.type === 'with_clause' ? item.namedChildren[0]?.namedChildren[0] : item?.type === 'with_item' ? item.namedChildren[0] : item;
  if (expression?.type !== 'identifier') return false;
  for (let scope: SyntaxNode | null = fn; scope; scope = enclosingFunction(scope)) {
    const values: SyntaxNode[] = [];
    walk(scope.childForFieldName('body')!, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'assignment' && n.childForFieldName('left')?.type === 'identifier' && n.childForFieldName('left')!.text === expression.text) {
        const right = n.childForFieldName('right');
        if (right) values.push(right);
      }
      return true;
    });
    if (values.length > 0) return values.length === 1 && values[0].text.length < 80 && LOCK_WORDS.test(values[0].text);
  }
  return false;
}

/** Whether a `with` statement in worker `fn` enters a lock, a semaphore or a condition (by its name, a local alias, a parameter). */
function entersLock(statement: SyntaxNode, fn: SyntaxNode): boolean {
  const item = statement.namedChildren[0] ?? null;
  return LOCK_WORDS.test(item?.text ?? '') || lockAlias(item, fn) || lockParameter(item, fn);
}

/**
 * Whether the item of a `with` is a parameter of the worker: what a thread's function enters with a value handed to
 * it is a lock, a semaphore or a condition (round 51: `def count(lk): with lk: number += 1`, started with
 * `args=(lock,)`).
 */
function lockParameter(item: SyntaxNode | null, fn: SyntaxNode): boolean {
  const expression = item?.type === 'with_clause' ? item.namedChildren[0]?.namedChildren[0] : item?.type === 'with_item' ? item.namedChildren[0] : item;
  return expression?.type === 'identifier' && scopeOf(fn).params.has(expression.text);
}

/**
 * Whether statement `n` runs after a `name.acquire()` statement of a block around it (in the worker) with no
 * `name.release()` between them: it holds that lock (round 51: `lk.acquire()`, a loop of `number += 1`,
 * `lk.release()`).
 */
function heldByAcquire(n: SyntaxNode, fn: SyntaxNode): boolean {
  const call = (s: SyntaxNode, method: string): string | null => {
    const c = s.type === 'expression_statement' ? s.namedChildren[0] : null;
    const f = c?.type === 'call' ? c.childForFieldName('function') : null;
    return f?.type === 'attribute' && f.childForFieldName('attribute')?.text === method ? f.childForFieldName('object')!.text : null;
  };
  for (let child: SyntaxNode = n, block = n.parent; block && block.id !== fn.id; child = block, block = block.parent) {
    if (block.type !== 'block') continue;
    const held = new Set<string>();
    for (const s of namedChildren(block)) {
      if (s.id === child.id) break;
      const acquired = call(s, 'acquire');
      if (acquired) held.add(acquired);
      const released = call(s, 'release');
      if (released) held.delete(released);
    }
    if (held.size > 0) return true;
  }
  return false;
}

function sharedMutations(fn: SyntaxNode, analysis: ModuleAnalysis, kind: 'process' | 'thread'): Array<{ node: SyntaxNode; what: string; name?: string }> {
  const scope = scopeOf(fn);
  const body = fn.childForFieldName('body');
  const found: Array<{ node: SyntaxNode; what: string; name?: string }> = [];
  if (!body) return found;
  // module-level queues, locks and events are made for sharing
  const threadSafe = threadSafeNames(analysis.module.root);
  const shared = (name: string) => !scope.locals.has(name) && !scope.params.has(name) && analysis.module.bindings.get(name) !== 'import' && !threadSafe.has(name);
  // a place every thread sees: `self.attr`, an attribute or item of a shared object, or a name declared `global`
  const sharedTarget = (target: SyntaxNode): boolean => {
    if (target.type === 'identifier') return scope.globals.has(target.text) || scope.nonlocals.has(target.text);
    if (target.type !== 'attribute' && target.type !== 'subscript') return false;
    const root = target.childForFieldName(target.type === 'subscript' ? 'value' : 'object');
    return root?.type === 'identifier' && (root.text === 'self' || shared(root.text)) && !/local\(\)/.test(root.text);
  };
  // `with counter.get_lock():` — `counter` is a `multiprocessing.Value` / `Array` (the synchronised wrappers of
  // `multiprocessing.sharedctypes` are what have `get_lock()`): shared memory every process sees, updated under
  // its own lock, so a write to it inside the block is neither made in a copy nor racing
  const sharedMemoryHeld = (n: SyntaxNode, root: string): boolean =>
    !!ancestor(n, (a) => {
      if (a.id === fn.id) return false;
      if (a.type !== 'with_statement') return false;
      return descendantsNamed(a.namedChildren[0] ?? a, 'call').some((c) => {
        const f = c.childForFieldName('function');
        return f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'get_lock' && f.childForFieldName('object')?.text === root && namedChildren(c.childForFieldName('arguments')!).length === 0;
      });
    });
  // locals of the worker holding a value read from a shared place: local → place → line of the read
  const carried = new Map<string, Map<string, number>>();
  // (a lock taken by `.acquire()` is looked for only in a worker that spells one)
  const acquires = body.text.includes('.acquire(');
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition') return n.id === fn.id;
    // under `with lock:` the update is serialised
    if (n.type === 'with_statement' && kind === 'thread' && entersLock(n, fn)) return false;
    // between `lk.acquire()` and `lk.release()` (or the end of the function) the update is serialised too
    if (kind === 'thread' && acquires && heldByAcquire(n, fn)) return false;
    const statement = n.type === 'expression_statement' ? n.namedChildren[0] : null;
    if (!statement) return true;
    // threads: only read-modify-write races (`x += 1`, `d[k] = d.get(k, 0) + 1`); single appends are atomic in CPython
    if (kind === 'thread') {
      const split = splitReadModifyWrite(statement, carried, sharedTarget);
      if (split) {
        found.push({ name: split.target.split(/[.[]/)[0], node: n, what: `writes \`${split.target}\` back from \`${split.local}\`, which holds the value it read at line ${split.readLine}: another thread can update \`${split.target}\` in between, and its update is lost (a read-modify-write split over statements, line ${lineOf(n)})` });
        return true;
      }
      const left = statement.childForFieldName('left');
      const rmw =
        statement.type === 'augmented_assignment' ||
        (statement.type === 'assignment' && !!left && (left.type === 'subscript' || left.type === 'attribute' || left.type === 'identifier') && readsExpression(statement.childForFieldName('right'), left.type === 'subscript' ? left.childForFieldName('value')!.text : left.text));
      if (!rmw || !left) return true;
      const root = left.type === 'identifier' ? left.text : (rootName(left) ?? '');
      const sharedRoot = left.type === 'identifier' ? scope.globals.has(root) || scope.nonlocals.has(root) : root === 'self' || shared(root);
      // `counts[key] += 1` where each thread is handed its own key: the threads update different entries
      const key = left.type === 'subscript' ? left.childForFieldName('subscript') : null;
      if (key?.type === 'identifier' && scope.params.has(key.text) && distinctPerStart(fn, key.text, analysis)) return true;
      if (key?.type === 'identifier' && !scope.params.has(key.text) && !scope.locals.has(key.text) && freshIdPerStart(fn, key.text, analysis)) return true;
      if (sharedRoot && !/local\(\)/.test(root)) found.push({ name: root, node: n, what: `updates \`${left.text}\` with a read-modify-write that other threads can interleave with (line ${lineOf(n)})` });
      return true;
    }
    if (statement.type === 'assignment' || statement.type === 'augmented_assignment') {
      const left = statement.childForFieldName('left')!;
      if (left.type === 'identifier' && (scope.globals.has(left.text) || scope.nonlocals.has(left.text))) {
        found.push({ node: n, what: `rebinds the ${scope.globals.has(left.text) ? 'global' : 'nonlocal'} \`${left.text}\` (line ${lineOf(n)})` });
      } else if ((left.type === 'subscript' || left.type === 'attribute') && left.childForFieldName(left.type === 'subscript' ? 'value' : 'object')?.type === 'identifier') {
        const root = left.childForFieldName(left.type === 'subscript' ? 'value' : 'object')!.text;
        // a `multiprocessing.Value` / `Array` is shared memory: written under a lock or a semaphore the process
        // holds (`sem.acquire()` … `sem.release()`, `with lock:`), its update is neither lost in a copy nor racing
        // (round 59: a course's two processes adding their sums to `somme.value` under `Semaphore(1)`)
        const guarded = () => heldByAcquire(n, fn) || !!ancestor(n, (a) => a.id !== fn.id && a.type === 'with_statement' && entersLock(a, fn));
        if (shared(root) && !sharedMemoryHeld(n, root) && !(sharedMemoryName(root, analysis.module.root) && guarded()) && !(kind === 'process' && workerOwnGlobal(root, fn, analysis))) found.push({ node: n, what: `writes \`${left.text}\`, shared with the caller (line ${lineOf(n)})` });
      }
    } else if (statement.type === 'call') {
      const f = statement.childForFieldName('function');
      const object = f?.type === 'attribute' ? f.childForFieldName('object') : null;
      const method = f?.type === 'attribute' ? f.childForFieldName('attribute')!.text : '';
      if (object?.type === 'identifier' && MUTATING_METHODS.has(method) && shared(object.text)) {
        found.push({ node: n, what: `calls \`${object.text}.${method}()\` on an object shared with the caller (line ${lineOf(n)})` });
      }
    }
    return true;
  });
  return found;
}

/** Whether a name is bound outside functions to shared memory (`multiprocessing.Value(…)`, `mp.Array(…)`, `RawValue`). */
function sharedMemoryName(name: string, root: SyntaxNode): boolean {
  return tokensSpelled(root, name, 'identifier').some((id) => {
    const a = id.parent;
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.id !== id.id || enclosingFunction(a)) return false;
    return /^([\w.]+\.)?(Value|Array|RawValue|RawArray)\(/.test(a.childForFieldName('right')?.text ?? '');
  });
}

/** `results = executor.map(f, xs)` with `results` spelled nowhere else in `scope`: the iterator is never consumed. */
function keptUnread(call: SyntaxNode, scope: SyntaxNode): boolean {
  const assignment = call.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id ? assignment.childForFieldName('left') : null;
  if (target?.type !== 'identifier') return false;
  return !tokensSpelled(scope, target.text, 'identifier').some((id) => !isAncestorOf(assignment!, id));
}
