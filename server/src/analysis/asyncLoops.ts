// A CPU-bound pure-Python loop written directly in an `async def` (the guide's Pattern 4): while it runs, the
// event loop runs nothing else. The whole loop can move into a module-level function run in a process pool with
// `run_in_executor` when it only computes: no `await`/`yield`/`return`, no I/O, no change to objects from outside
// except accumulators the coroutine made just for it. What it reads from the coroutine becomes the function's
// parameters, what the coroutine reads after it becomes the function's results.
import type { SyntaxNode } from '../parser';
import { isAsyncFunction, lineOf, SCOPE_TYPES, tokensSpelled, walk } from '../syntax';
import { COST_TABLE } from './costTable';
import { formatSeconds, type Work, WorkEstimator } from './cost';
import { readsIn } from './dependence';
import { describeEvidence, type Evidence, type NameRole, scanRegion } from './effects';
import { foreignEventLoop } from './knowledge';
import { liveAfter, type ModuleAnalysis } from './loops';
import { namesBoundBy, scopeOf } from './scope';

/** Holding the event loop this long is a stall worth a process: asyncio's debug mode reports callbacks over 100 ms. */
export const STALL_SECONDS = 0.05;

/**
 * Whether Python code (a call, a loop) computes long enough to be worth a process: the cost model counts at least
 * STALL_SECONDS; or the part it cannot count is heavy by nature (key stretching, hashing a buffer), a recursion
 * that branches, a walk of a directory tree, or loops whose count the code does not show and that reach
 * STALL_SECONDS at a common size (MANY_ITEMS trips each). A few dozen trips of object building, or a lookup
 * through a method whose cost is unknown, is not evidence of a stall.
 */
export function stallsLongEnough(work: Work): boolean {
  if (!work.open) return work.cpu >= STALL_SECONDS;
  if (work.heavy || work.recursive || work.tree) return true;
  return (work.common?.cpu ?? 0) >= STALL_SECONDS;
}

export interface StallingLoop {
  loop: SyntaxNode;
  coroutine: SyntaxNode;
  /** Names of the coroutine the loop reads (passed in, in this order). */
  inputs: string[];
  /** Names the loop binds or fills that the coroutine reads after it (returned, in this order). */
  outputs: string[];
  /** Containers made empty just before the loop and filled by it (passed in and returned: the copy replaces them). */
  accumulators: string[];
  evidence: Evidence;
  /** The loop's estimated CPU time; `open` when a bound could not be found. */
  work: Work;
  /** What could not be proven (the fix is unsafe). */
  doubts: string[];
}

const EMPTY_CONTAINER = /^(\[\s*\]|\{\s*\}|set\(\s*\)|dict\(\s*\)|list\(\s*\))$/;
const FORBIDDEN = new Set(['await', 'yield', 'return_statement', 'global_statement', 'nonlocal_statement', 'function_definition', 'class_definition']);

/** Every offloadable CPU-bound loop at the top of a coroutine's own frame, in the module or in `within`. */
export function findStallingLoops(analysis: ModuleAnalysis, within: SyntaxNode[] = [analysis.module.root]): StallingLoop[] {
  if (foreignEventLoop(analysis.module.root.tree.text)) return [];
  const found: StallingLoop[] = [];
  const estimator = new WorkEstimator(analysis.module);
  for (const unit of within) {
    for (const keyword of tokensSpelled(unit, 'async')) {
      const fn = keyword.parent;
      if (fn?.type !== 'function_definition' || !isAsyncFunction(fn)) continue;
      const body = fn.childForFieldName('body');
      if (!body) continue;
      walk(body, (n) => {
        if (n.id !== body.id && SCOPE_TYPES.has(n.type)) return false;
        if (n.type === 'for_statement' || n.type === 'while_statement') {
          const stall = stallingLoop(n, fn, analysis, estimator);
          if (stall) found.push(stall);
          return false; // the outermost loop moves whole, or none of it
        }
        return true;
      });
    }
  }
  return found;
}

function stallingLoop(loop: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis, estimator: WorkEstimator): StallingLoop | null {
  const module = analysis.module;
  if (loop.hasError || loop.childForFieldName('alternative')) return null;
  if (loop.children.some((c) => c.type === 'async')) return null;
  let forbidden = false;
  walk(loop, (n) => {
    if (FORBIDDEN.has(n.type) || (n.type === 'async' && n.id !== loop.id)) forbidden = true;
    return !forbidden && n.type !== 'lambda';
  });
  if (forbidden) return null;
  const scope = scopeOf(fn);
  const coroutineLocal = (name: string) => scope.locals.has(name) || scope.params.has(name);
  // names the loop binds, and containers the coroutine made empty for it
  const bound = new Set<string>();
  walk(loop, (n) => {
    for (const name of namesBoundBy(n)) bound.add(name);
    return n.type !== 'lambda' && !(n.id !== loop.id && SCOPE_TYPES.has(n.type));
  });
  const reads = readsIn(loop);
  const readNames = [...new Set(reads.map((r) => r.text))];
  const accumulators = readNames.filter((name) => !bound.has(name) && coroutineLocal(name) && madeEmptyJustBefore(name, loop, fn));
  const role = (name: string): NameRole => (bound.has(name) || accumulators.includes(name) ? 'fresh' : module.bindings.get(name) === 'import' && !coroutineLocal(name) ? 'module' : 'shared');
  const enclosing: SyntaxNode[] = [];
  for (let p: SyntaxNode | null = loop.parent; p; p = p.parent) if (p.type === 'function_definition') enclosing.push(p);
  const effects = scanRegion([loop], { module, summaries: analysis.summaries, enclosing, effectsMatter: true, role });
  if (effects.io.length > 0 || effects.awaits.length > 0 || effects.lazyCalls.length > 0) return null;
  // a change the worker process would make to its copy only, or output it would print out of turn
  if (effects.problems.some((p) => p.kind !== 'unknown')) return null;
  const evidence: Evidence | undefined = effects.cpu[0] ?? (effects.loopsWithArithmetic ? { kind: 'cpu', what: `the loop at line ${lineOf(effects.loopsWithArithmetic)} doing arithmetic`, line: lineOf(effects.loopsWithArithmetic) } : undefined);
  if (!evidence) return null;
  // a nested function of the coroutine cannot be imported by a worker
  if (readNames.some((name) => coroutineLocal(name) && scope.locals.has(name) && definesFunction(fn, name))) return null;
  const work = estimator.of([loop], enclosing);
  if (!work.open && work.cpu < STALL_SECONDS) return null;
  // a trip count the code does not show: reported only when each trip is heavy itself — a nested loop doing
  // arithmetic (here or in a callee), a recursion, a directory tree walked, a call heavy by nature (hashing a
  // buffer of bytes, key stretching) — not for a plain loop over items of unknown number, nor for one whose trips
  // make a quick library call (a digest of an encoded string, a small `json.loads`): the evidence process pools
  // need when the count is not shown (cost.ts, FEW_ITEMS_FOR_PROCESSES); an inner `while` loop whose trips are not
  // counted either (stepping a value to a bound, a search) is not shown to be heavy
  const heavyTrips =
    work.heavy ||
    work.recursive ||
    work.tree ||
    effects.cpu.some((e) => REPEATED_WORK.test(describeEvidence(e))) ||
    innerLoops(loop).some((inner) => !(inner.type === 'while_statement' && estimator.of([inner], enclosing).open) && !overPartsOfItem(inner, bound) && scanRegion([inner], { module, summaries: analysis.summaries, enclosing, role }).loopsWithArithmetic !== null);
  if (work.open && !heavyTrips) return null;
  // and the work must be shown: a regex over text of unknown length, or a `while` loop of unknown trips, on each
  // of a few items is where time may go, not evidence that it does
  if (work.open && !stallsLongEnough(work)) return null;
  const doubts = effects.problems.filter((p) => p.kind === 'unknown').map((p) => `${p.message} (line ${p.line})`);
  if (work.open) {
    doubts.push(`that the loop runs long enough to be worth a process: ≥ ${formatSeconds(work.cpu)} of work, and ${work.open.what} (line ${work.open.line}); moving it costs about ${formatSeconds(COST_TABLE.processPerItem.value + COST_TABLE.processPerChunk.value)} of pickling, plus a pool's start-up when the fix makes one`);
  }
  // inputs: the coroutine's names (and module variables) read in the loop that may hold a value when it starts
  const before = (name: string) => scope.params.has(name) || boundBefore(name, loop, fn);
  const inputs = readNames.filter((name) => (coroutineLocal(name) ? before(name) : module.bindings.get(name) === 'assign'));
  const live = liveAfter(loop, new Set([...bound, ...accumulators].filter(coroutineLocal)), module);
  const outputs = [...live.keys()].sort((a, b) => readNames.indexOf(a) - readNames.indexOf(b) || a.localeCompare(b));
  return { loop, coroutine: fn, inputs, outputs, accumulators, evidence, work, doubts };
}

/**
 * Whether an inner `for` runs over parts of what the outer loop bound (`for b in g["books"]`, `for x in ids[i + 1:]`):
 * its trips add up to the size of the input, not a product of two sizes, so they are no evidence of heavy trips
 * when that size is not shown (round 67: pairs within small groups of duplicate books, in a request handler).
 */
function overPartsOfItem(inner: SyntaxNode, bound: Set<string>): boolean {
  const iterable = inner.type === 'for_statement' ? inner.childForFieldName('right') : null;
  return !!iterable && readsIn(iterable).some((r) => bound.has(r.text));
}

/** Evidence of work repeated inside one trip: a loop doing arithmetic or a recursion (of a callee, `f → a loop …`). */
const REPEATED_WORK = /loop doing arithmetic|recursive arithmetic/;

/** Whether `fn` defines a nested function or class called `name`. */
function definesFunction(fn: SyntaxNode, name: string): boolean {
  let found = false;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if ((n.type === 'function_definition' || n.type === 'class_definition') && n.childForFieldName('name')?.text === name) found = true;
    return !found;
  });
  return found;
}

/** Whether some binding of `name` in `fn` comes before the loop (its value may reach the loop). */
function boundBefore(name: string, loop: SyntaxNode, fn: SyntaxNode): boolean {
  for (const token of tokensSpelled(fn, name, 'identifier')) {
    if (token.startIndex >= loop.startIndex) break;
    if (token.parent && namesBoundBy(token.parent).includes(name)) return true;
    for (let p = token.parent; p && p.id !== fn.id; p = p.parent) if (namesBoundBy(p).includes(name)) return true;
  }
  return false;
}

/**
 * `out = []` as the statement right before the loop, in the same block: nothing else can refer to that list yet,
 * so a copy filled in a worker and bound to `out` afterwards is indistinguishable from it. Names a nested
 * function of the coroutine mentions are excluded (a closure would keep the old object).
 */
function madeEmptyJustBefore(name: string, loop: SyntaxNode, fn: SyntaxNode): boolean {
  let prev = loop.previousNamedSibling;
  while (prev?.type === 'comment') prev = prev.previousNamedSibling;
  const assignment = prev?.type === 'expression_statement' ? prev.namedChildren[0] : null;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== name) return false;
  if (!EMPTY_CONTAINER.test(assignment.childForFieldName('right')?.text ?? '')) return false;
  let captured = false;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if ((n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') && readsIn(n).some((r) => r.text === name)) captured = true;
    return !captured;
  });
  return !captured;
}

export function describeStallingLoop(stall: StallingLoop): string {
  return describeEvidence(stall.evidence);
}

/** The values a coroutine's local gets from plain assignments before the loop (null: bound some other way too). */
export function valuesBefore(name: string, loop: SyntaxNode, fn: SyntaxNode): SyntaxNode[] | null {
  const values: SyntaxNode[] = [];
  for (const token of tokensSpelled(fn, name, 'identifier')) {
    if (token.startIndex >= loop.startIndex) break;
    const parent = token.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === token.id) {
      const right = parent.childForFieldName('right');
      if (!right) return null;
      values.push(right);
    } else if (parent && namesBoundBy(parent).includes(name)) return null;
  }
  return values;
}

/** The loops nested in a loop's body (not in nested scopes), outermost first. */
function innerLoops(loop: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const body = loop.childForFieldName('body');
  if (!body) return found;
  walk(body, (n) => {
    if (SCOPE_TYPES.has(n.type)) return false;
    if (n.type === 'for_statement' || n.type === 'while_statement') {
      found.push(n);
      return false;
    }
    return true;
  });
  return found;
}
