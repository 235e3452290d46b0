// Which kind of work decides how a loop (or a function run by a pool) should be parallelised, when it both
// waits and computes. Kept in one place so that the cost model can replace the rule with numbers.
import type { Evidence } from './effects';
import type { Workload } from './model';

/**
 * The work that dominates, from the evidence of one iteration (or one call):
 * - only computation: `cpu`; only waiting: `io`; neither: `unknown`;
 * - both: `cpu` when every wait is on the local file system (opening, reading, listing: short next to what is
 *   done with the data) and some of the computation is pure Python or holds the GIL (a loop doing arithmetic,
 *   regular expressions, `ast.parse`). Threads would run that part one at a time, so processes are the right
 *   pool; `io` otherwise (a network or process wait, a sleep, or computation that releases the GIL such as
 *   hashing and compression, which threads overlap).
 */
export function dominantWorkload(cpu: readonly Evidence[], io: readonly Evidence[]): Workload {
  if (io.length === 0) return cpu.length > 0 ? 'cpu' : 'unknown';
  if (cpu.length === 0) return 'io';
  const onlyLocalFiles = io.every((e) => e.waits === 'file');
  const holdsGil = cpu.some((e) => !e.releasesGil);
  return onlyLocalFiles && holdsGil ? 'cpu' : 'io';
}
