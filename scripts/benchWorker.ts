// One worker of the N-worker measurement in scripts/bench.ts (the CLI itself does not use workers yet).
// It reads its share of the files, creates its own parser, warms up, says `ready`, and on `go` lints every
// file (parse + analysis, as `check` does) and reports its own busy time. Also exports the per-file step
// the bench uses on the main thread, so both sides time exactly the same work.
import * as fs from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_LINT_CONFIG, lint } from '../server/src/linter';
import { createParser, type Parser, parseText } from '../server/src/parser';

export interface LintTiming {
  parseMs: number;
  analysisMs: number;
  findings: number;
  error?: string;
}

/** Parse then lint one text, timing the two parts separately; never throws. */
export function lintOne(parser: Parser, text: string): LintTiming {
  const t0 = performance.now();
  const tree = parseText(parser, text);
  const t1 = performance.now();
  try {
    const { findings } = lint(tree, text, DEFAULT_LINT_CONFIG);
    return { parseMs: t1 - t0, analysisMs: performance.now() - t1, findings: findings.length };
  } catch (e) {
    return { parseMs: t1 - t0, analysisMs: performance.now() - t1, findings: 0, error: (e as Error).message };
  } finally {
    tree.delete();
  }
}

export function readPython(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    return null;
  }
}

export interface WorkerJob {
  files: string[];
  warmupEvery: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; busyMs: number; files: number; findings: number; errors: number };

async function runWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const { files, warmupEvery } = workerData as WorkerJob;
  const texts = files.map(readPython).filter((t): t is string => t !== null);
  const parser = await createParser();
  for (let i = 0; i < texts.length; i += warmupEvery) lintOne(parser, texts[i]);
  port.once('message', () => {
    const t0 = performance.now();
    let findings = 0;
    let errors = 0;
    for (const text of texts) {
      const r = lintOne(parser, text);
      findings += r.findings;
      if (r.error) errors++;
    }
    const done: WorkerMessage = { type: 'done', busyMs: performance.now() - t0, files: texts.length, findings, errors };
    port.postMessage(done);
  });
  const ready: WorkerMessage = { type: 'ready' };
  port.postMessage(ready);
}

if (!isMainThread) void runWorker();
