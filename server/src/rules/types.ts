// What a rule produces: a finding on a loop with its fixes. No LSP types here.
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import type { Span } from '../syntax';

export type Applicability = 'safe' | 'unsafe' | 'display-only';

export type FixPattern = 'process-pool' | 'thread-pool' | 'asyncio-gather' | 'process-pool-comprehension';

export interface FixOption {
  title: string;
  pattern: FixPattern;
  applicability: Applicability;
}

export interface Finding {
  code: string;
  name: string;
  span: Span;
  message: string;
  loop: LoopFacts;
  fixes: FixOption[];
  /** What the analysis could not prove (makes the fixes unsafe; listed in the hover). */
  doubts: string[];
  /** Why no fix is offered at all (a value that cannot be pickled, …). */
  blockers: string[];
}

export interface RuleContext {
  analysis: ModuleAnalysis;
  targetVersion: [number, number];
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
