// How fast the language server's V8 heap may grow. The server allocates in bursts (opening many files, a
// re-analysis after each edit) and keeps little: about 25 MB live with 200 files open. By default V8 lets the
// old generation grow up to 4× what survived the last full collection before collecting again (on a machine
// with more than 16 GB), and what "survived" includes everything allocated while an incremental marking ran:
// measured, RSS 224–354 MB after opening 200 stdlib files and transient peaks of 300–980 MB. A fixed growth
// factor of 1.5 kept RSS at 164–193 MB (peak ≈ 210–240 MB) for 5–8 % more CPU in the server (the garbage is
// collected more often). Set at start-up, so it applies however the server is spawned (the editor client,
// the `parallelize-lsp` bin, another editor); a flag given on node's command line or in NODE_OPTIONS wins.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * Once the server has been idle for a second after work (analyses, closed documents), one full collection if
 * the heap grew by more than 32 MB since the last one: what a burst left (opening 200 files: ~90 MB of heap,
 * 25 MB of it live) is returned at rest instead of whenever V8's next limit is reached. A collection of the
 * ~25–40 MB that stays live costs 10–30 ms of CPU, paid in a pause of the client, never while answering it.
 */
const IDLE_MS = 1000;
const GROWTH_BYTES = 32 * 1024 * 1024;

let idleTimer: NodeJS.Timeout | undefined;
let usedAfterCollection = 0;
let collect: (() => void) | null | undefined;

export function collectWhenIdle(): void {
  if (idleTimer) {
    idleTimer.refresh();
    return;
  }
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    if (v8.getHeapStatistics().used_heap_size - usedAfterCollection < GROWTH_BYTES) return;
    collect ??= garbageCollector();
    collect?.();
    usedAfterCollection = v8.getHeapStatistics().used_heap_size;
  }, IDLE_MS);
  idleTimer.unref();
}

/** `gc()` without --expose-gc on the command line: the flag set at run time exposes it to new contexts. */
function garbageCollector(): (() => void) | null {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
