// A process pool whose workers start with the parent's values of the globals the program changed since import:
// a worker started with `spawn` imports the module afresh, so without this it would see their import-time values.
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import { canPassToWorkers, staleInSpawnedWorkers } from '../analysis/globalState';
import { freshName } from './text';

export interface GlobalsRestorer {
  /** The module-level initializer function. */
  definition: string;
  /** The pool constructor's arguments that run it in every worker: `initializer=…, initargs=(…,)`. */
  poolArguments: string;
}

/** The initializer handing the workers the globals they read that the program changed, or null when there are none. */
export function globalsRestorer(facts: LoopFacts, analysis: ModuleAnalysis, used: Set<string>, unit: string): GlobalsRestorer | null {
  const names = [...new Set(staleInSpawnedWorkers(facts, analysis.module, analysis.summaries).filter((s) => canPassToWorkers(s, facts)).map((s) => s.name))];
  if (names.length === 0) return null;
  const name = freshName('_restore_globals', used);
  const values = freshName('values', used);
  const definition = [
    `def ${name}(${values}):`,
    `${unit}# a worker process may import this module afresh: give it the values the program changed since`,
    `${unit}globals().update(${values})`,
  ].join('\n');
  return { definition, poolArguments: `initializer=${name}, initargs=({${names.map((n) => `"${n}": ${n}`).join(', ')}},)` };
}
