// The facts the analysis establishes about one loop; rules and features read these, nothing else.
import type { SyntaxNode } from '../parser';
import type { Span } from '../syntax';
import type { CostEstimate } from './cost';
import type { Evidence, Problem } from './effects';
import type { GeneratorReduction } from './reductions';

export type Workload = 'cpu' | 'io' | 'unknown';

/** Three outcomes, as a compiler's dependence test: proven independent, cannot determine, proven dependent. */
export type Independence = 'independent' | 'unknown' | 'dependent';

export type RejectionKind =
  | 'loop-carried'
  | 'shared-state'
  | 'early-exit'
  | 'ordered-effect'
  | 'live-out'
  | 'trivial'
  | 'not-worth-it'
  | 'no-heavy-work'
  | 'rate-limit'
  | 'endless-source'
  | 'recursion'
  | 'no-result'
  | 'unsupported'
  | 'unreached'
  | 'already-concurrent';

/** Why a loop is not reported: the reason, the variable, the lines, and what to do about it. */
export interface Rejection {
  kind: RejectionKind;
  message: string;
  remedy: string;
  name?: string;
  line: number;
  /** What holds instead where the workers are threads (see Problem.inThreads): a doubt for a thread pool. */
  inThreads?: string;
}

/** Something the analysis could not prove: the fix is then unsafe. */
export interface Doubt {
  message: string;
  line: number;
}

/**
 * A statement of the body that stays in the parent after the rewrite, in iteration order: it only folds the
 * iteration's value into a result (`out.append(v)`, `out[x] = v`, `total += v`, `best = max(best, v)`).
 */
export interface ParentStatement {
  /** `emit`: a `print(value)` of the item's value, which the parent prints in input order. */
  /** `group`: `groups.setdefault(key, []).append(item)`, one of key and item computed by the worker, the other cheap on the item. */
  /** `select`: a final `if` keeping the best item so far (`if score > best: best = score; arg = x`), replayed whole. */
  kind: 'append' | 'store' | 'reduce' | 'emit' | 'group' | 'select';
  statement: SyntaxNode;
  /** The name of the list / dict / accumulator. */
  target: string;
  /** The expression computed per item (moves to the worker). */
  value: SyntaxNode;
  /** For `store`, `group` and a tally (`reduce` under a key): the part evaluated in the parent (it only uses the loop variables). */
  key?: SyntaxNode;
  /** For `reduce`: how the value is folded, e.g. `+=`, `max`, `update`. */
  operator?: string;
  /** For `select`: the names the `if` keeps across iterations (`value` is the one name the worker computes). */
  kept?: string[];
}

/** A test of the item at the top of a loop body that the parent applies before the map (`if p.name.startswith("."): continue`). */
export interface Prefilter {
  /** The `if` statement. */
  statement: SyntaxNode;
  condition: SyntaxNode;
  /** Whether the item is kept when the condition holds (a body under one `if`) or when it does not (`continue`). */
  keepWhen: boolean;
}

/** A final `if` around the statements collecting results: the worker computes its test, the parent folds when it held. */
export interface ResultGuard {
  statement: SyntaxNode;
  condition: SyntaxNode;
  /** The parent statements (by id) whose value is cheap on the item: the parent computes it, not the worker. */
  cheapValues: Set<number>;
}

/** `if <test>: continue` after some of the work: the worker returns whether the item got past every such test. */
export interface LateFilter {
  /** The `continue` statements, each alone in its `if` at the top level of the body, before every collecting statement. */
  continues: SyntaxNode[];
  /** The parent statements (by id) whose value is cheap on the item: the parent computes it, not the worker. */
  cheapValues: Set<number>;
}

/**
 * Results collected anywhere in the body (under an `if`, in an inner loop, after a `continue`): the worker records
 * each collecting statement's value as it runs, in order, and the parent replays the statements with them.
 */
export interface RecordedFolds {
  /** The loop's own `continue` statements: in the worker they return what was recorded so far. */
  continues: SyntaxNode[];
}

export interface LoopFacts {
  kind: 'for' | 'comprehension' | 'map-call';
  node: SyntaxNode;
  /** Where the diagnostic goes: the loop header (or the comprehension / `map(` call's first line). */
  header: Span;
  line: number;
  isAsync: boolean;
  /** The enclosing `def` (null at module level). */
  function: SyntaxNode | null;
  inAsyncFunction: boolean;
  target: SyntaxNode | null;
  targetNames: string[];
  iterable: SyntaxNode | null;
  /** Number of iterations when it is a literal range or display. */
  knownIterations?: number;
  parentStatements: ParentStatement[];
  /** Body statements that move to the worker (the parent statements excluded). */
  workerStatements: SyntaxNode[];
  workload: Workload;
  evidence: Evidence[];
  independence: Independence;
  rejections: Rejection[];
  doubts: Doubt[];
  /** Problems found in the worker part, kept for the hover. */
  problems: Problem[];
  /** Names the worker reads from outside the iteration (become parameters of an extracted function). */
  freeVariables: string[];
  /** The cost model's estimate (loops that do real work). */
  estimate?: CostEstimate;
  /** Whether the body awaits (PAR202). */
  awaits: boolean;
  /** Filters on the item applied in the parent before the map (the body analysed is what follows them). */
  prefilters?: Prefilter[];
  /**
   * A counter of the iterations (`i += 1` once per pass, read in the body): the rewrite numbers the items with
   * `enumerate(…, start=i)` instead (`start=i + 1` when every read follows the step) and drops the step.
   */
  counter?: { name: string; step: SyntaxNode; afterStep: boolean };
  /** A test of each item's result applied in the parent after the map. */
  resultGuard?: ResultGuard;
  /** Filters after (part of) the work, applied in the worker; the parent folds the items that passed, in order. */
  lateFilter?: LateFilter;
  /** Collecting statements nested in the body (or filters anywhere): recorded by the worker, replayed by the parent. */
  recordedFolds?: RecordedFolds;
  /** For comprehensions: the element expression (and key for dict comprehensions). */
  element?: SyntaxNode;
  elementKey?: SyntaxNode;
  /** For `list(map(f, xs))`: the mapped callable and the iterables. */
  mapCallable?: SyntaxNode;
  mapIterables?: SyntaxNode[];
  /** For a generator expression consumed by a reduction (`sum(f(x) for x in xs)`): that reduction. */
  reduction?: GeneratorReduction;
}
