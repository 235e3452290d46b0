// The lines a pool rewrite writes before its `with` block, sized for the work: the worker count and a
// `chunksize` for process pools (one task per item costs a round trip each), a bounded thread count for work
// that waits on others, and read-only values sent once per worker through the pool's initializer.
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import { RATE_LIMITED_REQUEST, RATE_LIMITED_THREADS } from '../analysis/effects';
import { type LatencyClass, namesOf } from '../analysis/latency';
import { annotationOf, localImportOf, scopeOf } from '../analysis/scope';
import type { SyntaxNode } from '../parser';
import { enclosingFunction, namedChildren, walk } from '../syntax';
import { bindingValues } from './loopRewrite';
import { freshName } from './text';

/**
 * The names a new local of the parent may not take: every name spelled in the function that holds the loop
 * (its nested functions included, as they may read the function's locals). At module level, every name of the
 * module's own scope: spelled outside functions, or read by a function that does not bind it (a global).
 * A name spelled nowhere there can neither shadow nor be shadowed by the new variable.
 */
export function parentScopeNames(analysis: ModuleAnalysis, fn: SyntaxNode | null, taken: Iterable<string> = []): Set<string> {
  const names = fn ? new Set(fn.descendantTexts('identifier')) : moduleScopeNames(analysis.module.root);
  for (const name of taken) names.add(name);
  return names;
}

function moduleScopeNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const localTo = (name: string, fn: SyntaxNode | null): boolean => {
    for (let f = fn; f; f = enclosingFunction(f)) if (scopeOf(f).params.has(name) || scopeOf(f).locals.has(name)) return true;
    return false;
  };
  walk(root, (n) => {
    if (n.type === 'identifier' && !localTo(n.text, enclosingFunction(n))) names.add(n.text);
    return true;
  });
  return names;
}

/** Threads for work that waits on others: enough to overlap the waits, never more than PAR406 allows. */
export const MAX_WAITING_THREADS = 32;

/** Whether a loop's doubts say its requests go to a rate-limited API (effects.ts, rateLimited). */
export function rateLimitedRequests(doubts: ReadonlyArray<{ message: string }>): boolean {
  return doubts.some((d) => d.message.includes(RATE_LIMITED_REQUEST));
}

/** The thread pool's `max_workers=…` for requests to a rate-limited API, or '' for any other loop. */
export function rateLimitedWorkers(doubts: ReadonlyArray<{ message: string }>): string {
  return rateLimitedRequests(doubts) ? `max_workers=${RATE_LIMITED_THREADS}` : '';
}

const SMALL_BUILTIN_RESULTS = new Set(['len', 'int', 'float', 'bool', 'round', 'abs', 'ord', 'hash']);
const SMALL_ANNOTATIONS = new Set(['int', 'float', 'bool', 'complex']);
const SHORT_STRING = 64;

/**
 * Whether the value bound to `name` where the loop runs is provably small: a number, a bool, None or a short
 * literal string (pickling it with every chunk costs nothing). Parameters count only when annotated as numbers.
 */
export function isSmallValue(name: string, analysis: ModuleAnalysis, fn: SyntaxNode | null, depth = 0): boolean {
  if (depth > 4) return false;
  if (fn && scopeOf(fn).params.has(name)) return SMALL_ANNOTATIONS.has(parameterAnnotation(fn, name) ?? '');
  const values = bindingValues(name, analysis, fn);
  return values !== null && values.length > 0 && values.every((v) => isSmallExpression(v, analysis, fn, depth + 1));
}

function isSmallExpression(expr: SyntaxNode, analysis: ModuleAnalysis, fn: SyntaxNode | null, depth: number): boolean {
  switch (expr.type) {
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'string':
      return expr.text.length <= SHORT_STRING && !namedChildren(expr).some((c) => c.type === 'interpolation');
    case 'unary_operator':
    case 'parenthesized_expression':
      return namedChildren(expr).every((c) => isSmallExpression(c, analysis, fn, depth));
    case 'binary_operator':
      // numbers only: `"ab" * n` is not small
      return namedChildren(expr).every((c) => c.type !== 'string' && isSmallExpression(c, analysis, fn, depth));
    case 'identifier':
      return isSmallValue(expr.text, analysis, fn, depth);
    case 'call': {
      const f = expr.childForFieldName('function');
      return f?.type === 'identifier' && SMALL_BUILTIN_RESULTS.has(f.text) && !analysis.module.bindings.has(f.text) && !(fn && (scopeOf(fn).locals.has(f.text) || scopeOf(fn).params.has(f.text)));
    }
    default:
      return false;
  }
}

function parameterAnnotation(fn: SyntaxNode, name: string): string | null {
  return annotationOf(fn, name)?.text ?? null;
}

/** Free variables of a process-pool worker: small ones bound with `partial`, the rest sent once per worker. */
export function splitFreeVariables(free: string[], analysis: ModuleAnalysis, fn: SyntaxNode | null): { small: string[]; shared: string[] } {
  const small = free.filter((v) => isSmallValue(v, analysis, fn));
  return { small, shared: free.filter((v) => !small.includes(v)) };
}

/**
 * The worker module's side of the values sent once per worker: a module-level dict the pool's initializer
 * fills in each worker process (under spawn too: both are module-level, imported by the worker), and the lines
 * that open the worker function by reading them back under their own names.
 */
export interface SharedValues {
  /** Module-level definitions: the dict and the initializer. */
  definitions: string[];
  /** `initializer=_init_worker, initargs=(index, documents)`. */
  poolArguments: string;
  /** The first lines of the worker's body, one per value. */
  prologue: string;
}

export function sharedValues(names: string[], moduleNames: Set<string>, unit: string): SharedValues {
  const state = freshName('_worker_state', moduleNames);
  const init = freshName('_init_worker', moduleNames);
  const params = names.join(', ');
  return {
    definitions: [`${state} = {}`, `def ${init}(${params}):\n${unit}${state}.update(${names.map((n) => `${n}=${n}`).join(', ')})`],
    poolArguments: `initializer=${init}, initargs=(${params}${names.length === 1 ? ',' : ''})`,
    prologue: names.map((n) => `${unit}${n} = ${state}["${n}"]\n`).join(''),
  };
}

/** The parent's lines before a pool's `with` block, and what the block's header and `map` call need from them. */
export interface PoolSizing {
  lines: string[];
  /** Constructor arguments: `max_workers=workers` (empty for the default). */
  workers: string;
  /** `, chunksize=chunksize` for the `map` call (empty when not batched). */
  chunksize: string;
}

/**
 * The code that spells the commands a loop may run (latencyClass): the loop's own text and that of the functions of
 * this file its evidence goes through (`ping_host → subprocess.run`).
 */
export function programText(facts: LoopFacts, analysis: ModuleAnalysis): string {
  const through = facts.evidence.flatMap(namesOf).map((n) => analysis.module.functions.get(n)?.text ?? '');
  return [facts.node.text, ...through].join('\n');
}

/**
 * Process pools: about four chunks per worker (one per core). Threads for waiting work: one per item up
 * to MAX_WAITING_THREADS. Other thread pools keep the default size. `count` is an expression with `len`.
 */
export function poolSizing(kind: 'process' | 'multiprocessing' | 'thread', latency: LatencyClass, count: string, scopeNames: Set<string>, rateLimited = false): PoolSizing {
  if (kind === 'thread') {
    if (latency !== 'waiting') return { lines: [], workers: '', chunksize: '' };
    const workers = freshName('workers', scopeNames);
    // `or 1`: a pool of zero threads is an error, and an empty input is not
    if (rateLimited) return { lines: [`${workers} = min(${RATE_LIMITED_THREADS}, ${count}) or 1  # a rate-limited API: raise within your account's limit`], workers: `max_workers=${workers}`, chunksize: '' };
    return { lines: [`${workers} = min(${MAX_WAITING_THREADS}, ${count}) or 1`], workers: `max_workers=${workers}`, chunksize: '' };
  }
  // the pool keeps its default size (the cores; on Windows at most 61, which an explicit count could exceed)
  const workers = freshName('workers', scopeNames);
  const chunksize = freshName('chunksize', scopeNames);
  return { lines: [`${workers} = os.cpu_count() or 1`, `${chunksize} = max(1, ${count} // (4 * ${workers}))`], workers: '', chunksize: `, chunksize=${chunksize}` };
}

/** `len(expr)`, or the number itself for a `range` of integer literals. */
export function countOf(expr: SyntaxNode): string {
  const f = expr.type === 'call' ? expr.childForFieldName('function') : null;
  const args = f?.text === 'range' ? namedChildren(expr.childForFieldName('arguments')!) : [];
  if (args.length > 0 && args.every((a) => a.type === 'integer' && /^[\d_]+$/.test(a.text))) {
    const [start, stop, step] = args.length === 1 ? [0, Number(args[0].text.replace(/_/g, '')), 1] : args.map((a) => Number(a.text.replace(/_/g, '')));
    const n = Math.max(0, Math.ceil((stop - start) / (step ?? 1)));
    if (Number.isSafeInteger(n) && (step ?? 1) > 0) return String(n);
  }
  return `len(${expr.text})`;
}

/** Whether `len(expr)` may be written next to the pool's `map(…, expr)`: evaluating `expr` twice is cheap and the same. */
export function isCheapToRepeat(expr: SyntaxNode): boolean {
  if (expr.type === 'identifier') return true;
  if (expr.type === 'attribute') return expr.childForFieldName('object')?.type === 'identifier';
  if (expr.type === 'call') {
    const f = expr.childForFieldName('function');
    const args = namedChildren(expr.childForFieldName('arguments')!);
    const simple = args.every((a) => a.type === 'identifier' || a.type === 'integer' || (a.type === 'unary_operator' && a.text.replace(/\s/g, '').match(/^-\d+$/)));
    if (f?.type === 'identifier' && f.text === 'range') return simple;
    if (f?.type === 'attribute' && ['items', 'keys', 'values'].includes(f.childForFieldName('attribute')!.text)) return args.length === 0 && f.childForFieldName('object')?.type === 'identifier';
  }
  return false;
}

/**
 * One initializer for a pool that needs two (a pool takes one): the globals the program changed, restored
 * first, then the large values sent once per worker. Either may be missing.
 */
export function combineInitializers(restorer: { definition: string; poolArguments: string } | null, shared: string, moduleNames: Set<string>, unit: string): { definitions: string[]; poolArguments: string } {
  if (!restorer) return { definitions: [], poolArguments: shared };
  if (!shared) return { definitions: [restorer.definition], poolArguments: restorer.poolArguments };
  const first = /^initializer=(\w+), initargs=\((.*),\)$/s.exec(restorer.poolArguments);
  const second = /^initializer=(\w+), initargs=\((.*?),?\)$/s.exec(shared);
  if (!first || !second) return { definitions: [restorer.definition], poolArguments: restorer.poolArguments };
  const start = freshName('_start_worker', moduleNames);
  const definition = `def ${start}(restored, *shared):\n${unit}${first[1]}(restored)\n${unit}${second[1]}(*shared)`;
  return { definitions: [restorer.definition, definition], poolArguments: `initializer=${start}, initargs=(${first[2]}, ${second[2]})` };
}

/**
 * How a process pool's worker gets the values it reads from outside the iteration: small ones with each chunk
 * (bound with `partial` by the caller), large ones once per worker (the initializer's definitions, pool
 * arguments and the worker's opening lines).
 */
export function workerFreeValues(free: string[], analysis: ModuleAnalysis, fn: SyntaxNode | null, moduleNames: Set<string>, unit: string): { small: string[]; definitions: string[]; poolArguments: string; prologue: string } {
  // a module the function imports itself (`import cv2` in its body) is imported again by the worker: a module
  // cannot be pickled (round 27: `cv2` sent in `initargs`, the pool failed and an `except` hid it)
  const imports = [...new Set(free.map((v) => localImportOf(v, fn)).filter((s): s is SyntaxNode => s !== null).map((s) => s.text.replace(/\s*\n\s*/g, ' ').replace(/\(\s+/g, '(').replace(/,?\s*\)/g, ')')))];
  const imported = imports.map((line) => `${unit}${line}\n`).join('');
  const values = free.filter((v) => !localImportOf(v, fn));
  const { small, shared } = splitFreeVariables(values, analysis, fn);
  if (shared.length === 0) return { small, definitions: [], poolArguments: '', prologue: imported };
  const state = sharedValues(shared, moduleNames, unit);
  return { small, definitions: state.definitions, poolArguments: state.poolArguments, prologue: imported + state.prologue };
}
