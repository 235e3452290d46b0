// PAR101, PAR102, PAR103, PAR201, PAR202: loops whose iterations are independent, by the pattern that
// parallelises them. Each rule only reads LoopFacts; the rewrite itself lives in transforms/.
import type { Evidence } from '../analysis/effects';
import { describeEvidence } from '../analysis/effects';
import type { LoopFacts } from '../analysis/model';
import { checkPickling } from './pickling';
import { VECTOR_RULES } from './vectorRules';
import { type Applicability, type Finding, type FixOption, fixTitle, type LoopRule, type RuleContext } from './types';

function isReported(loop: LoopFacts): boolean {
  return loop.independence !== 'dependent' && loop.rejections.length === 0;
}

function firstEvidence(loop: LoopFacts, kind: Evidence['kind']): string {
  const e = loop.evidence.find((x) => x.kind === kind);
  return e ? `\`${e.what}\`` : 'its body';
}

function finding(rule: LoopRule, loop: LoopFacts, message: string, fixes: Array<{ title: string; pattern: FixOption['pattern']; blockers?: string[] }>, doubts: string[]): Finding {
  const applicability: Applicability = doubts.length === 0 ? 'safe' : 'unsafe';
  const blockers = fixes.flatMap((f) => f.blockers ?? []);
  return {
    blockers,
    code: rule.code,
    name: rule.name,
    span: loop.header,
    message,
    loop,
    doubts,
    fixes: fixes
      .filter((f) => !f.blockers || f.blockers.length === 0)
      .map((f) => ({ title: fixTitle(f.title, applicability), pattern: f.pattern, applicability })),
  };
}

/** Doubts that apply to every pattern: purity the analysis could not see. */
function analysisDoubts(loop: LoopFacts): string[] {
  return loop.doubts.map((d) => `${d.message} (line ${d.line})`);
}

export const PAR101: LoopRule = {
  code: 'PAR101',
  name: 'process-pool-map',
  summary: 'CPU-bound loop with independent iterations collecting one result per item',
  check(loop, ctx) {
    if (loop.kind !== 'for' || loop.workload !== 'cpu' || loop.awaits || !isReported(loop)) return null;
    if (loop.parentStatements.some((p) => p.kind === 'reduce')) return null;
    const pickling = checkPickling(loop, ctx.analysis);
    return finding(
      this,
      loop,
      `Iterations are independent and CPU-bound (${firstEvidence(loop, 'cpu')}): map them over a ProcessPoolExecutor`,
      [{ title: 'Run the loop in a ProcessPoolExecutor', pattern: 'process-pool', blockers: pickling.blockers }],
      [...analysisDoubts(loop), ...pickling.doubts],
    );
  },
};

export const PAR102: LoopRule = {
  code: 'PAR102',
  name: 'parallel-map-reduce',
  summary: 'independent CPU-bound iterations feeding an associative reduction',
  check(loop, ctx) {
    if (loop.kind !== 'for' || loop.workload !== 'cpu' || loop.awaits || !isReported(loop)) return null;
    const reduction = loop.parentStatements.find((p) => p.kind === 'reduce');
    if (!reduction) return null;
    const pickling = checkPickling(loop, ctx.analysis);
    return finding(
      this,
      loop,
      `Independent CPU-bound iterations (${firstEvidence(loop, 'cpu')}) feed the reduction into \`${reduction.target}\`: map them over a ProcessPoolExecutor and reduce in order`,
      [{ title: 'Map in a ProcessPoolExecutor, reduce in order', pattern: 'process-pool', blockers: pickling.blockers }],
      [...analysisDoubts(loop), ...pickling.doubts],
    );
  },
};

export const PAR103: LoopRule = {
  code: 'PAR103',
  name: 'parallel-comprehension',
  summary: 'comprehension or list(map(...)) over a CPU-bound function',
  check(loop, ctx) {
    if ((loop.kind !== 'comprehension' && loop.kind !== 'map-call') || loop.workload !== 'cpu' || !isReported(loop)) return null;
    if (loop.inAsyncFunction) return null;
    const pickling = checkPickling(loop, ctx.analysis);
    const what = loop.kind === 'map-call' ? '`list(map(...))`' : 'Comprehension';
    return finding(
      this,
      loop,
      `${what} over CPU-bound ${firstEvidence(loop, 'cpu')}: map it over a ProcessPoolExecutor in chunks`,
      [{ title: 'Map with ProcessPoolExecutor.map(chunksize=…)', pattern: 'process-pool-comprehension', blockers: pickling.blockers }],
      [...analysisDoubts(loop), ...pickling.doubts],
    );
  },
};

export const PAR201: LoopRule = {
  code: 'PAR201',
  name: 'thread-pool-io',
  summary: 'loop with independent iterations doing blocking I/O',
  check(loop) {
    if (loop.kind !== 'for' || loop.workload !== 'io' || loop.inAsyncFunction || !isReported(loop)) return null;
    return finding(
      this,
      loop,
      `Iterations are independent and block on I/O (${firstEvidence(loop, 'io')}): run them in a ThreadPoolExecutor`,
      [{ title: 'Run the loop in a ThreadPoolExecutor', pattern: 'thread-pool' }],
      analysisDoubts(loop),
    );
  },
};

export const PAR202: LoopRule = {
  code: 'PAR202',
  name: 'sequential-await',
  summary: '`await` inside a loop whose iterations are independent',
  check(loop) {
    if (loop.kind !== 'for' || !loop.inAsyncFunction || !loop.awaits || !isReported(loop)) return null;
    const awaited = loop.evidence.find((e) => e.what.startsWith('await'));
    return finding(
      this,
      loop,
      `Each iteration waits for \`${awaited?.what ?? 'await'}\` before the next starts, yet they are independent: gather them with asyncio.gather`,
      [{ title: 'Gather the awaits with asyncio.gather', pattern: 'asyncio-gather' }],
      analysisDoubts(loop),
    );
  },
};

// vectorising beats a pool for array arithmetic: the PAR3xx shapes are tried first
export const LOOP_RULES: LoopRule[] = [...VECTOR_RULES, PAR101, PAR102, PAR103, PAR201, PAR202];

export function evidenceSummary(loop: LoopFacts): string[] {
  return loop.evidence.map((e) => `${e.kind === 'cpu' ? 'CPU' : 'I/O'}: \`${describeEvidence(e)}\` (line ${e.line})`);
}

export type { RuleContext };
