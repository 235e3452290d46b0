// Code that is already parallel: where executors, pools and threads are built, how they are bound, what
// they run (`map`/`submit`/`apply_async`/`target=`) and whether they are shut down.
import type { SyntaxNode } from '../parser';
import { ancestor, dottedName, enclosingFunction, isAncestorOf, isMainGuard, namedChildren, tokensSpelled, walk } from '../syntax';
import { importedName, isInTargetPosition, type ModuleInfo, withItemPattern } from './scope';

export type PoolKind = 'process' | 'thread';
export type PoolApi = 'ProcessPoolExecutor' | 'ThreadPoolExecutor' | 'Pool' | 'ThreadPool' | 'Thread' | 'Process';

export type PoolBinding =
  | { kind: 'with'; name: string }
  | { kind: 'name'; name: string; statement: SyntaxNode }
  | { kind: 'attribute'; text: string }
  | { kind: 'other' };

export interface PoolUse {
  call: SyntaxNode;
  method: string;
  /** The callable shipped to the workers. */
  callable: SyntaxNode | null;
  /** The iterables / arguments after the callable. */
  args: SyntaxNode[];
  /** Whether the call's value is kept (assigned, returned, passed on) rather than dropped. */
  resultUsed: boolean;
  /** The helper of this file the pool is handed to, when the use is in its body (its names are the helper's). */
  through?: SyntaxNode;
}

export interface PoolConstruction {
  call: SyntaxNode;
  kind: PoolKind;
  api: PoolApi;
  binding: PoolBinding;
  function: SyntaxNode | null;
  uses: PoolUse[];
  /** `max_workers=` / `processes=` / first positional argument. */
  workers: SyntaxNode | null;
  shutDown: boolean;
  /** Inside a loop or comprehension over the items (one thread / process per item). */
  inLoop: SyntaxNode | null;
  /** Built from an explicit `get_context("fork")`: children are forked, nothing is re-imported. */
  forked: boolean;
  /**
   * A `Thread` / `Process` bound to a name in a loop where every binding of that name comes right after a join of
   * it (`if t is not None: t.join()`): the one started before has finished, so one runs at a time.
   */
  joinedBeforeNext: boolean;
}

const QUALIFIED: Record<string, [PoolKind, PoolApi]> = {
  'concurrent.futures.ProcessPoolExecutor': ['process', 'ProcessPoolExecutor'],
  'concurrent.futures.ThreadPoolExecutor': ['thread', 'ThreadPoolExecutor'],
  'concurrent.futures.process.ProcessPoolExecutor': ['process', 'ProcessPoolExecutor'],
  'concurrent.futures.thread.ThreadPoolExecutor': ['thread', 'ThreadPoolExecutor'],
  'multiprocessing.Pool': ['process', 'Pool'],
  'multiprocessing.pool.Pool': ['process', 'Pool'],
  'multiprocessing.pool.ThreadPool': ['thread', 'ThreadPool'],
  'multiprocessing.dummy.Pool': ['thread', 'ThreadPool'],
  'multiprocessing.Process': ['process', 'Process'],
  'threading.Thread': ['thread', 'Thread'],
};

const USE_METHODS = new Set(['map', 'submit', 'imap', 'imap_unordered', 'starmap', 'apply_async', 'apply', 'map_async', 'starmap_async']);

/** What a constructor call builds, resolved through the imports. */
export function poolKindOf(call: SyntaxNode, module: ModuleInfo): [PoolKind, PoolApi] | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  // multiprocessing.get_context("spawn").Pool(...)
  if (fn.type === 'attribute' && fn.childForFieldName('object')?.type === 'call') {
    const inner = fn.childForFieldName('object')!.childForFieldName('function');
    const attr = fn.childForFieldName('attribute')!.text;
    if (inner && /get_context$/.test(inner.text) && (attr === 'Pool' || attr === 'Process')) return ['process', attr];
    return null;
  }
  const qualified = importedName(dottedName(fn), module);
  return qualified ? (QUALIFIED[qualified] ?? null) : null;
}

function keywordArgument(call: SyntaxNode, name: string): SyntaxNode | null {
  const args = call.childForFieldName('arguments');
  for (const a of args ? namedChildren(args) : []) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value');
  }
  return null;
}

function positional(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  return args ? namedChildren(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment') : [];
}

function bindingOf(call: SyntaxNode): PoolBinding {
  const parent = call.parent;
  const item = parent?.parent?.type === 'parenthesized_expression' ? parent.parent.parent : parent?.parent;
  if (parent?.type === 'as_pattern' && item?.type === 'with_item' && withItemPattern(item)?.id === parent.id) {
    const alias = parent.childForFieldName('alias');
    const name = alias?.namedChildren[0];
    if (name?.type === 'identifier') return { kind: 'with', name: name.text };
  }
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier' && parent.parent?.type === 'expression_statement') return { kind: 'name', name: left.text, statement: parent.parent };
    if (left?.type === 'attribute') return { kind: 'attribute', text: left.text };
  }
  return { kind: 'other' };
}

function isUsed(call: SyntaxNode): boolean {
  let n = call;
  if (n.parent?.type === 'await') n = n.parent;
  return n.parent?.type !== 'expression_statement';
}

/**
 * Whether the futures / async results a call produces are ever checked: the call's value is dropped, or it
 * lands in a list (comprehension or append) that nothing later passes to `as_completed`/`wait` or iterates
 * calling `result()` / `exception()` / `get()`.
 */
export function futuresObserved(use: PoolUse, scope: SyntaxNode): boolean {
  if (!use.resultUsed) return false;
  let holder: SyntaxNode | null = use.call.parent;
  while (holder && (holder.type === 'list_comprehension' || holder.type === 'for_in_clause' || holder.type === 'parenthesized_expression')) holder = holder.parent;
  if (holder?.type === 'argument_list' && holder.parent?.type === 'call') {
    const f = holder.parent.childForFieldName('function');
    if (f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'append') holder = holder.parent.parent;
    else return true; // passed on to someone else
  }
  let name: string | null = null;
  if (holder?.type === 'assignment' && holder.childForFieldName('left')?.type === 'identifier') name = holder.childForFieldName('left')!.text;
  if (holder?.type === 'expression_statement') {
    const f = use.call.parent?.parent?.childForFieldName('function');
    name = f?.type === 'attribute' ? (f.childForFieldName('object')?.text ?? null) : null;
  }
  if (!name || use.call.parent?.type === 'assignment' && use.call.parent.childForFieldName('left')?.type === 'identifier' && !use.call.parent.parent?.parent?.type.includes('comprehension') && holder?.childForFieldName('right')?.id === use.call.id) {
    // `future = ex.submit(...)`: observed if `future.result()` etc. appears
    if (!name) return true;
  }
  if (escapesLater(name, use.call, scope)) return true;
  // `current = ex.submit(…)` in a loop whose body, above it, calls `current.result()`: the next iteration looks at
  // each future (prefetching one step ahead), the name bound nowhere else in the loop
  const loop = holder?.type === 'assignment' && holder.childForFieldName('right')?.id === use.call.id ? ancestor(use.call, (a) => a.type === 'for_statement' || a.type === 'while_statement' || a.type === 'function_definition' || a.type === 'class_definition') : null;
  const carried = loop && (loop.type === 'for_statement' || loop.type === 'while_statement') && isAncestorOf(scope, loop) ? loop.childForFieldName('body') : null;
  const onlyBinding = !!carried && tokensSpelled(carried, name, 'identifier').every((t) => !isInTargetPosition(t) || t.id === holder!.childForFieldName('left')?.id);
  const before = (n: SyntaxNode) => onlyBinding && n.startIndex >= carried!.startIndex && n.endIndex <= use.call.startIndex;
  let observed = false;
  walk(scope, (n) => {
    if (observed) return false;
    if (n.type === 'call' && (n.startIndex > use.call.endIndex || before(n))) {
      const text = n.text;
      const f = n.childForFieldName('function');
      const fname = f?.type === 'identifier' ? f.text : f?.type === 'attribute' ? f.childForFieldName('attribute')!.text : '';
      // `wait(futures)` only waits: its value (the done and pending sets) is where outcomes may be looked at
      const waitDropped = fname === 'wait' && n.parent?.type === 'expression_statement';
      if (['as_completed', 'wait', 'gather'].includes(fname) && !waitDropped && new RegExp(`\\b${name}\\b`).test(text)) observed = true;
      // (an async result's `.wait()` returns nothing and raises nothing: round 45, a worker's exception lost)
      if (['result', 'exception', 'get'].includes(fname)) {
        const object = f?.type === 'attribute' ? f.childForFieldName('object')! : null;
        if (object && new RegExp(`\\b${name}\\b`).test(object.text)) observed = true;
        // `for f in futures: f.result()` / `[f.result() for f in futures]`
        const loop = ancestor(n, (a) => a.type === 'for_statement' || a.type === 'list_comprehension' || a.type === 'generator_expression' || a.type === 'set_comprehension');
        if (loop && new RegExp(`\\bin\\s+${name}\\b`).test(loop.text)) observed = true;
      }
    }
    return true;
  });
  return observed;
}

/** Methods of a future (or of an async result) through which its outcome, exception included, is seen. */
const OBSERVING_METHODS = new Set(['result', 'exception', 'get', 'add_done_callback']);

/** Builtins that take futures without looking at their outcome. */
const BLIND_BUILTINS = new Set(['len', 'print', 'repr', 'str', 'id', 'type', 'isinstance', 'bool']);

/**
 * Whether the variable holding the futures is read after `call` in a way that hands them on: passed to a call
 * (`asyncio.wrap_future(f)`, `wait(fs)`), returned, stored, iterated (`for i, r in enumerate(results)`), or
 * asked for its outcome. Then whoever gets them may look; only `f.done()`-like reads and rebinding do not count.
 */
function escapesLater(name: string, call: SyntaxNode, scope: SyntaxNode): boolean {
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) return false;
  for (const token of tokensSpelled(scope, name, 'identifier')) {
    if (token.startIndex <= call.endIndex) continue;
    const parent = token.parent;
    if (!parent) continue;
    if (parent.type === 'attribute') {
      if (parent.childForFieldName('object')?.id !== token.id) continue; // `x.name`: another name
      if (OBSERVING_METHODS.has(parent.childForFieldName('attribute')?.text ?? '')) return true;
      continue;
    }
    if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === token.id) continue;
    // `len(futures)`, `print(futures)`: measured or shown, never asked for an outcome
    const callee = parent.type === 'argument_list' ? parent.parent?.childForFieldName('function') : null;
    if (callee?.type === 'identifier' && BLIND_BUILTINS.has(callee.text)) continue;
    // `wait(futures)` whose value (the done and pending sets) is dropped: it only waits (round 45)
    if (callee && /(^|\.)wait$/.test(callee.text) && parent.parent?.parent?.type === 'expression_statement') continue;
    // `for job in jobs: job.wait()`: each one only waited for, never asked for its outcome
    if (parent.type === 'for_statement' && parent.childForFieldName('right')?.id === token.id && onlyWaitedFor(parent)) continue;
    if (isInTargetPosition(token)) continue; // rebound
    return true;
  }
  return false;
}

/** A `for` over futures whose body uses the loop's variable only to wait for it (`job.wait()`, `f.done()`): no outcome is seen. */
function onlyWaitedFor(loop: SyntaxNode): boolean {
  const target = loop.childForFieldName('left');
  const body = loop.childForFieldName('body');
  if (target?.type !== 'identifier' || !body) return false;
  const uses = tokensSpelled(body, target.text, 'identifier');
  return uses.length > 0 && uses.every((u) => u.parent?.type === 'attribute' && u.parent.childForFieldName('object')?.id === u.id && /^(wait|done|running|ready|cancelled|cancel)$/.test(u.parent.childForFieldName('attribute')?.text ?? ''));
}

/** Module names an import can bind so that a dotted call through it reaches a pool (`concurrent`, `threading`, …). */
const POOL_IMPORT_PREFIXES = new Set(Object.keys(QUALIFIED).flatMap((q) => q.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));

/**
 * The calls `poolKindOf` may accept, in document order: a dotted callee starts with an imported name on the
 * way to a pool, so its call starts at one of that name's tokens; `get_context(…).Pool(…)` ends its callee
 * with `Pool` or `Process`. Both are found in the text, not by visiting every call.
 */
function poolCallCandidates(module: ModuleInfo): SyntaxNode[] {
  const found = new Map<number, SyntaxNode>();
  for (const [local, qualified] of module.imports) {
    if (!POOL_IMPORT_PREFIXES.has(qualified)) continue;
    for (const name of tokensSpelled(module.root, local, 'identifier')) {
      for (let p = name.parent; p && p.startIndex === name.startIndex; p = p.parent) if (p.type === 'call') found.set(p.id, p);
    }
  }
  if (module.root.tree.text.includes('get_context')) {
    for (const attr of ['Pool', 'Process']) {
      for (const name of tokensSpelled(module.root, attr, 'identifier')) {
        const callee = name.parent;
        const call = callee?.type === 'attribute' && callee.endIndex === name.endIndex ? callee.parent : null;
        if (call?.type === 'call' && call.childForFieldName('function')?.id === callee!.id) found.set(call.id, call);
      }
    }
  }
  // pre-order: of two calls starting together, the outer one first
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/** The arms of each enclosing `if` other than the one holding `node`: code there does not run after `node` ran. */
function exclusiveArms(node: SyntaxNode): SyntaxNode[] {
  const arms: SyntaxNode[] = [];
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') break;
    if (p.type !== 'if_statement') continue;
    const all = [p.childForFieldName('consequence'), ...namedChildren(p).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause')].filter((a): a is SyntaxNode => !!a);
    const mine = all.find((a) => child.startIndex >= a.startIndex && child.endIndex <= a.endIndex);
    if (!mine) continue; // in the condition
    for (const a of all) if (a.id !== mine.id) arms.push(a);
  }
  return arms;
}

/**
 * What a helper of this file submits to a pool it receives as an argument: `submit_chunk(executor, chunk)` with
 * `def submit_chunk(executor, chunk): return executor.submit(work, chunk)` — a nested `def` of the function holding
 * the pool, or a module-level function. Only the helper's own body is read (one level), and only while the
 * parameter is not rebound there.
 */
function usesThroughHelper(call: SyntaxNode, argument: SyntaxNode, holder: SyntaxNode | null, module: ModuleInfo): PoolUse[] {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return [];
  let helper: SyntaxNode | null = null;
  if (holder) {
    walk(holder.childForFieldName('body')!, (n) => {
      if (helper) return false;
      if (n.type === 'function_definition') {
        if (n.childForFieldName('name')?.text === callee.text) helper = n;
        return false;
      }
      return true;
    });
  }
  helper ??= module.functions.get(callee.text) ?? null;
  if (!helper) return [];
  const def = helper as SyntaxNode;
  if (holder && def.id === holder.id) return [];
  const params = namedChildren(def.childForFieldName('parameters')!);
  let param: string | null = null;
  if (argument.type === 'keyword_argument') param = argument.childForFieldName('name')?.text ?? null;
  else {
    const index = positional(call).findIndex((a) => a.id === argument.id);
    const p = index >= 0 ? params[index] : undefined;
    if (p && (p.type === 'identifier' || p.type === 'typed_parameter' || p.type === 'default_parameter' || p.type === 'typed_default_parameter')) {
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? namedChildren(p).find((c) => c.type === 'identifier'));
      param = id?.type === 'identifier' ? id.text : null;
    }
  }
  if (!param) return [];
  const body = def.childForFieldName('body')!;
  const uses: PoolUse[] = [];
  let rebound = false;
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'identifier' && n.text === param && isInTargetPosition(n)) rebound = true;
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type === 'attribute' && f.childForFieldName('object')?.text === param && USE_METHODS.has(f.childForFieldName('attribute')!.text)) {
        const [first, ...rest] = positional(n);
        const callable = keywordArgument(n, 'fn') ?? keywordArgument(n, 'func') ?? first ?? null;
        uses.push({ call: n, method: f.childForFieldName('attribute')!.text, callable, args: rest, resultUsed: isUsed(n), through: def });
      }
    }
    return true;
  });
  return rebound ? [] : uses;
}

export function findPools(module: ModuleInfo): PoolConstruction[] {
  const pools: PoolConstruction[] = [];
  for (const call of poolCallCandidates(module)) {
    const kind = poolKindOf(call, module);
    if (!kind) continue;
    const [poolKind, api] = kind;
    const fn = enclosingFunction(call);
    const binding = bindingOf(call);
    const scope = fn ? fn.childForFieldName('body')! : module.root;
    const uses: PoolUse[] = [];
    // calls of this file's functions that receive the pool: what they submit to it runs in it
    const helperCalls: Array<{ call: SyntaxNode; argument: SyntaxNode }> = [];
    let shutDown = binding.kind === 'with';
    let escapes = false;
    if (api === 'Thread' || api === 'Process') {
      const target = keywordArgument(call, 'target') ?? positional(call)[1] ?? null;
      const args = keywordArgument(call, 'args');
      uses.push({ call, method: 'target', callable: target, args: args ? [args] : [], resultUsed: true });
    } else if (binding.kind === 'with' || binding.kind === 'name') {
      const name = binding.name;
      // a with-bound pool is used in its block; a name-bound one from its assignment until the name is rebound
      const withStatement = binding.kind === 'with' ? ancestor(call, (n) => n.type === 'with_statement') : null;
      const region = withStatement?.childForFieldName('body') ?? scope;
      const from = binding.kind === 'name' ? binding.statement.endIndex : region.startIndex;
      let until = region.endIndex;
      // the other arms of an `if` that binds the pool in one arm never run after this binding: a binding there
      // (`pool = Pool(5)` in the `else` of `pool = Pool(40)`) is another pool, not a rebinding that ends this one's uses
      const otherArms = binding.kind === 'name' ? exclusiveArms(binding.statement) : [];
      const inOtherArm = (n: SyntaxNode) => otherArms.some((a) => n.startIndex >= a.startIndex && n.endIndex <= a.endIndex);
      // a rebinding inside a loop the binding is outside of runs on some passes only: on the others this pool is
      // still the one the name holds, all through the loop (round 57: a download manager's executor, remade in one
      // branch of its monitor loop, shut down further on)
      const onSomePasses = (n: SyntaxNode) => !!ancestor(n, (a) => (a.type === 'for_statement' || a.type === 'while_statement') && !isAncestorOf(a, call) && a.startIndex > from);
      walk(region, (n) => {
        if (inOtherArm(n)) return false;
        if (n.type === 'assignment' && n.startIndex > from && n.startIndex < until && n.childForFieldName('left')?.text === name && !onSomePasses(n)) until = n.startIndex;
        if (n.type === 'as_pattern' && n.startIndex > from && n.startIndex < until && n.childForFieldName('alias')?.text === name) until = n.startIndex;
        return true;
      });
      walk(region, (n) => {
        if (n.endIndex <= from || n.startIndex >= until) return false;
        if (inOtherArm(n)) return false;
        if (n.type === 'call') {
          const f = n.childForFieldName('function');
          if (f?.type === 'attribute' && f.childForFieldName('object')?.text === name) {
            const method = f.childForFieldName('attribute')!.text;
            if (USE_METHODS.has(method)) {
              const [first, ...rest] = positional(n);
              const callable = keywordArgument(n, 'fn') ?? keywordArgument(n, 'func') ?? first ?? null;
              uses.push({ call: n, method, callable, args: rest, resultUsed: isUsed(n) });
            }
            if (['shutdown', 'close', 'terminate'].includes(method)) shutDown = true;
          }
        }
        // `with executor:` (or `with executor as pool:`) later: the block shuts it down where it ends
        if (n.type === 'with_item' && n.startIndex > from && (n.childForFieldName('value')?.text === name || n.namedChildren[0]?.text === name || withItemPattern(n)?.namedChildren[0]?.text === name)) shutDown = true;
        // returned, or handed to another function: whoever receives it owns its shutdown
        if (n.type === 'identifier' && n.text === name && n.startIndex > from) {
          const p = n.parent;
          const handedTo = p?.type === 'argument_list' ? p.parent : p?.type === 'keyword_argument' && p.childForFieldName('value')?.id === n.id ? p.parent?.parent : null;
          if (handedTo?.type === 'call') helperCalls.push({ call: handedTo, argument: p?.type === 'keyword_argument' ? p : n });
          const aliased = p?.type === 'assignment' && p.childForFieldName('right')?.id === n.id;
          const inClosure = !!ancestor(n, (a) => a.type === 'lambda' || (a.type === 'function_definition' && a.startIndex > call.startIndex));
          if (p?.type === 'return_statement' || p?.type === 'argument_list' || p?.type === 'keyword_argument' || p?.type === 'yield' || aliased || inClosure) escapes = true;
        }
        return true;
      });
      if (escapes) shutDown = true;
      for (const { call: helperCall, argument } of helperCalls) uses.push(...usesThroughHelper(helperCall, argument, fn, module));
    } else if (binding.kind === 'attribute') {
      // self.pool = Pool(): shut down anywhere in the file through the same attribute counts
      const attr = binding.text.split('.').pop()!;
      const owner = ancestor(call, (n) => n.type === 'class_definition') ?? module.root;
      walk(owner, (n) => {
        if (n.type === 'call') {
          const f = n.childForFieldName('function');
          if (f?.type === 'attribute' && ['shutdown', 'close', 'terminate'].includes(f.childForFieldName('attribute')!.text) && f.childForFieldName('object')?.text.endsWith(`.${attr}`)) shutDown = true;
        }
        // `for pool in (self._pool, self._sweep_pool): pool.shutdown()` (or a list made from such a tuple first): the
        // attribute gathered into a collection in a function that shuts down what it holds (round 32)
        if (!shutDown && (n.type === 'tuple' || n.type === 'list') && namedChildren(n).some((e) => e.text.endsWith(`.${attr}`) && e.type === 'attribute')) {
          const holder = ancestor(n, (a) => a.type === 'function_definition');
          if (holder && /\.(shutdown|close|terminate)\(/.test(holder.text)) shutDown = true;
        }
        return true;
      });
    } else {
      // ProcessPoolExecutor().map(...) inline, or passed on: not ours to judge
      shutDown = true;
      const parent = call.parent;
      if (parent?.type === 'attribute' && parent.parent?.type === 'call') {
        const method = parent.childForFieldName('attribute')!.text;
        const useCall = parent.parent;
        if (USE_METHODS.has(method)) {
          const [first, ...rest] = positional(useCall);
          uses.push({ call: useCall, method, callable: first ?? null, args: rest, resultUsed: isUsed(useCall) });
        }
      }
    }
    const workers = api === 'ProcessPoolExecutor' || api === 'ThreadPoolExecutor'
      ? (keywordArgument(call, 'max_workers') ?? positional(call)[0] ?? null)
      : api === 'Pool' || api === 'ThreadPool'
        ? (keywordArgument(call, 'processes') ?? positional(call)[0] ?? null)
        : null;
    const inLoop = ancestor(call, (n) => n.type === 'for_statement' || n.type === 'list_comprehension' || n.type === 'function_definition');
    const forked = /get_context\(\s*["']fork["']\s*\)/.test(call.childForFieldName('function')?.text ?? '');
    pools.push({
      call,
      kind: poolKind,
      api,
      binding,
      function: fn,
      uses,
      workers,
      shutDown,
      inLoop: inLoop && inLoop.type !== 'function_definition' && overItems(inLoop) ? inLoop : null,
      forked,
      joinedBeforeNext: (api === 'Thread' || api === 'Process') && joinedBeforeNext(call),
    });
  }
  return pools;
}

/**
 * Whether `t = Thread(…)` sits in a loop whose every binding of `t` follows (as the statement before it) a join
 * of the thread `t` held: `t.join()`, or `if t is not None: t.join()` / `if t: t.join()` (nothing held, nothing
 * running). `join()` without a timeout returns when the thread has ended, so each new thread starts after the
 * last one ended.
 */
function joinedBeforeNext(call: SyntaxNode): boolean {
  const assignment = call.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id ? assignment.childForFieldName('left') : null;
  if (target?.type !== 'identifier') return false;
  const name = target.text;
  const loop = ancestor(call, (n) => n.type === 'for_statement' || n.type === 'while_statement' || n.type === 'function_definition' || n.type === 'lambda' || n.type.endsWith('comprehension') || n.type === 'generator_expression');
  if (!loop || (loop.type !== 'for_statement' && loop.type !== 'while_statement')) return false;
  const body = loop.childForFieldName('body');
  if (!body) return false;
  const joins = (s: SyntaxNode | null): boolean => {
    if (!s) return false;
    if (s.type === 'expression_statement') {
      const c = s.namedChildren.length === 1 ? s.namedChildren[0] : null;
      const f = c?.type === 'call' ? c.childForFieldName('function') : null;
      return f?.type === 'attribute' && f.childForFieldName('object')?.text === name && f.childForFieldName('attribute')?.text === 'join' && namedChildren(c!.childForFieldName('arguments')!).length === 0;
    }
    if (s.type !== 'if_statement' || namedChildren(s).some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return false;
    const cond = s.childForFieldName('condition')?.text.replace(/\s+/g, ' ').trim();
    if (cond !== name && cond !== `${name} is not None` && cond !== `${name} != None` && cond !== `not ${name} is None`) return false;
    const inner = namedChildren(s.childForFieldName('consequence')!).filter((c) => c.type !== 'comment');
    return inner.length === 1 && joins(inner[0]);
  };
  for (const t of tokensSpelled(body, name, 'identifier')) {
    if (!isInTargetPosition(t)) continue;
    const bound = t.parent;
    const statement = bound?.type === 'assignment' && bound.childForFieldName('left')?.id === t.id ? bound.parent : null;
    if (statement?.type !== 'expression_statement') return false; // `for t in …`, `with … as t`, `t += …`: not a thread made here
    let before = statement.previousNamedSibling;
    while (before?.type === 'comment') before = before.previousNamedSibling;
    if (!joins(before)) return false;
  }
  return true;
}

/**
 * A loop (or comprehension) over data rather than a fixed `range(N_WORKERS)` / `range(min(4, …))` — or Python 2's
 * `xrange`, the same count.
 */
function overItems(loop: SyntaxNode): boolean {
  const clause = loop.type === 'for_statement' ? loop : loop.namedChildren.find((c) => c.type === 'for_in_clause');
  const iterable = clause?.childForFieldName('right');
  if (!iterable) return false;
  if (iterable.type === 'call' && ['range', 'xrange'].includes(iterable.childForFieldName('function')?.text ?? '')) {
    const args = iterable.childForFieldName('arguments')?.text ?? '';
    return /\blen\(/.test(args) && !/\bmin\(/.test(args);
  }
  return true;
}

/** Whether code at `node` runs when the module is imported (module level, not under the main guard). */
export function runsAtImport(node: SyntaxNode): boolean {
  return !enclosingFunction(node) && !ancestor(node, isMainGuard);
}

/**
 * Module-level functions that module-level code calls while being imported (outside the main guard),
 * transitively: a pool built in one of them starts when a spawned worker re-imports the module.
 */
export function functionsCalledAtImport(module: ModuleInfo): Set<string> {
  const called = new Set<string>();
  const queue: SyntaxNode[] = [];
  for (const stmt of namedChildren(module.root)) {
    if (isMainGuard(stmt) || stmt.type === 'function_definition' || stmt.type === 'class_definition' || stmt.type === 'decorated_definition') continue;
    queue.push(stmt);
  }
  while (queue.length > 0) {
    const n = queue.pop()!;
    walk(n, (m) => {
      if (m.type === 'function_definition' && m.id !== n.id) return false;
      if (m.type === 'call') {
        const f = m.childForFieldName('function');
        if (f?.type === 'identifier' && module.functions.has(f.text) && !called.has(f.text)) {
          called.add(f.text);
          queue.push(module.functions.get(f.text)!.childForFieldName('body')!);
        }
      }
      return true;
    });
  }
  return called;
}

