// How fast the language server's V8 heap may grow. The server allocates in bursts (opening many files, a
// re-analysis after each edit) and keeps little: about 25 MB live with 200 files open. By default V8 lets the
// old generation grow up to 4× what survived the last full collection before collecting again (on a machine
// with more than 16 GB), and what "survived" includes everything allocated while an incremental marking ran:
// measured, RSS 224–354 MB after opening 200 stdlib files and transient peaks of 300–980 MB. A fixed growth
// factor of 1.5 kept RSS at 164–193 MB (peak ≈ 210–240 MB) for 5–8 % more CPU in the server (the garbage is
// collected more often). Set at start-up, so it applies however the server is spawned (the editor client,
// the `parallelize-lsp` bin, another editor); a flag given on node's command line or in NODE_OPTIONS wins.
import * as v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
