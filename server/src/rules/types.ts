// What a rule produces: a finding on a loop with its fixes. No LSP types here.
import type { CallSiteIndex } from '../analysis/reach';
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import type { PoolConstruction, PoolUse } from '../analysis/executors';
import type { StallingCall } from '../analysis/asyncCalls';
import type { SyntaxNode } from '../parser';
import type { Span } from '../syntax';
import type { VectorPlan } from '../analysis/vectorizable';

export interface RiskFacts {
  pool: PoolConstruction;
  use?: PoolUse;
  node: SyntaxNode;
  /** Markdown for the hover: what goes wrong, and why. */
  explanation: string;
}

export type Applicability = 'safe' | 'unsafe' | 'display-only';

export type FixPattern =
  | 'process-pool'
  | 'thread-pool'
  | 'asyncio-gather'
  | 'multiprocessing-pool'
  | 'asyncio-taskgroup'
  | 'asyncio-to-thread'
  | 'aiohttp-gather'
  | 'process-pool-comprehension'
  | 'thread-pool-comprehension'
  | 'aiohttp-comprehension'
  | 'swap-to-processes'
  | 'extract-callable'
  | 'main-guard'
  | 'with-block'
  | 'bound-workers'
  | 'observe-futures'
  | 'await-off-loop'
  | 'process-executor'
  | 'vectorize';

/** A PAR203/PAR204 call that holds the event loop, and how the fix moves it off the loop. */
export interface CallFacts {
  stall: StallingCall;
  /** `asyncio.sleep`, `asyncio.to_thread`, `run_in_executor(None, …)` (before 3.9), `run_in_executor(pool, …)`. */
  strategy: 'sleep' | 'to-thread' | 'thread-executor' | 'process-executor';
  /** PAR204: a ProcessPoolExecutor already in scope (its expression), else the fix opens one. */
  pool?: string;
  /**
   * PAR204 without a pool in scope: where the fix makes one. `statement`: a `with` block around the statement
   * (the coroutine runs once per program); `module`: one pool per program, made on first use by a module-level
   * function under `decorator` (a coroutine that runs many times must not start a pool each time).
   */
  newPool?: { scope: 'statement' } | { scope: 'module'; decorator: string };
  /** The coroutine is the program's only task (`asyncio.run(main())`): yielding cannot interleave it with others. */
  alone: boolean;
}

export interface FixOption {
  title: string;
  pattern: FixPattern;
  applicability: Applicability;
  /** What this fix alone could not prove (on top of the finding's doubts). */
  doubts?: string[];
}

export interface Finding {
  code: string;
  name: string;
  span: Span;
  message: string;
  /** The loop a PAR1xx/PAR2xx finding is about. */
  loop?: LoopFacts;
  /** The pool / executor a PAR4xx finding is about, and the node the diagnostic sits on. */
  risk?: RiskFacts;
  /** The vectorised rewrite a PAR3xx finding offers. */
  vector?: VectorPlan;
  /** The blocking / CPU-bound call a PAR203/PAR204 finding is about. */
  call?: CallFacts;
  fixes: FixOption[];
  /** What the analysis could not prove (makes the fixes unsafe; listed in the hover). */
  doubts: string[];
  /** Why no fix is offered at all (a value that cannot be pickled, …). */
  blockers: string[];
  /** Why an alternative fix is not offered for this finding (shown in the hover). */
  declined?: string[];
}

export interface RuleContext {
  analysis: ModuleAnalysis;
  targetVersion: [number, number];
  minIterations: number;
  /** Where names are written in the file's project, when known (asked only when a rule needs it). */
  callSites?: () => CallSiteIndex | undefined;
}

export interface LoopRule {
  code: string;
  name: string;
  /** One line: what the rule finds. */
  summary: string;
  check(loop: LoopFacts, ctx: RuleContext): Finding | null;
}

export function fixTitle(base: string, applicability: Applicability): string {
  return applicability === 'unsafe' ? `${base} (unsafe)` : base;
}
