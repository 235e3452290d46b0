// Every rule code the product defines, with its name and one-line summary (rule pages live in docs/rules/).
export interface RuleInfo {
  code: string;
  name: string;
  summary: string;
  /** Loop rules are informational; risks in code that is already parallel are warnings. */
  severity: 'information' | 'warning';
  implemented: boolean;
}

export const RULES: RuleInfo[] = [
  { code: 'PAR101', name: 'process-pool-map', summary: 'CPU-bound loop with independent iterations collecting results', severity: 'information', implemented: true },
  { code: 'PAR102', name: 'parallel-map-reduce', summary: 'independent CPU-bound iterations feeding a reduction', severity: 'information', implemented: true },
  { code: 'PAR103', name: 'parallel-comprehension', summary: 'comprehension or list(map(...)) over a CPU-bound function', severity: 'information', implemented: true },
  { code: 'PAR201', name: 'thread-pool-io', summary: 'loop with independent iterations doing blocking I/O', severity: 'information', implemented: true },
  { code: 'PAR202', name: 'sequential-await', summary: 'await inside a loop with independent iterations', severity: 'information', implemented: true },
  { code: 'PAR203', name: 'blocking-call-in-async', summary: 'blocking call inside async def', severity: 'information', implemented: true },
  { code: 'PAR204', name: 'cpu-bound-call-in-async', summary: 'CPU-bound call inside async def', severity: 'information', implemented: true },
  { code: 'PAR301', name: 'nested-loop-vectorize', summary: 'nested index loops over arrays computing a product', severity: 'information', implemented: true },
  { code: 'PAR302', name: 'elementwise-loop-vectorize', summary: 'element-wise arithmetic loop over a NumPy array or numeric list', severity: 'information', implemented: true },
  { code: 'PAR303', name: 'pandas-row-loop', summary: 'pandas row loop computing a column', severity: 'information', implemented: true },
  { code: 'PAR401', name: 'gil-bound-threads', summary: 'threads running CPU-bound Python code', severity: 'warning', implemented: true },
  { code: 'PAR402', name: 'unpicklable-callable', summary: 'unpicklable callable sent to a process pool', severity: 'warning', implemented: true },
  { code: 'PAR403', name: 'missing-main-guard', summary: 'process pool started at import time without a __main__ guard', severity: 'warning', implemented: true },
  { code: 'PAR404', name: 'shared-state-in-worker', summary: 'worker function mutates shared state', severity: 'warning', implemented: true },
  { code: 'PAR405', name: 'pool-not-shut-down', summary: 'executor or pool never shut down', severity: 'warning', implemented: true },
  { code: 'PAR406', name: 'unbounded-workers', summary: 'unbounded worker count', severity: 'warning', implemented: true },
  { code: 'PAR407', name: 'unobserved-future-exception', summary: 'futures whose exceptions are never observed', severity: 'warning', implemented: true },
];

export const RULES_BY_CODE = new Map(RULES.map((r) => [r.code, r]));

/** Where a rule's page is published (the href of each diagnostic's codeDescription). */
export const DOCS_BASE_URL = 'https://github.com/python-parallelize/python-parallelize/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${DOCS_BASE_URL}${code}.md`;
}
