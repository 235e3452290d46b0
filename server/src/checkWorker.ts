// A worker thread of `check` (see checkFiles.ts): one parser, loaded once; each message names a file, each
// answer carries its outcome. Messages posted before the grammar is loaded wait in the port. The outlines and
// summaries it computes go to the other workers (through the main thread), which take them instead of computing them again.
import { parentPort, workerData } from 'node:worker_threads';
import { type CheckJob, type CheckReply, type CheckWorkerData, checkFile, type SharedSummary } from './checkFiles';
import { createParser } from './parser';
import { CHECK_RECENT_TREES, SummaryStore } from './workspace/summaryStore';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const parser = await createParser();
  // each worker summarises the modules its files import (summaries are small; trees are freed, but for the last CHECK_RECENT_TREES parsed for imports)
  const store = new SummaryStore(parser, undefined, (workerData as CheckWorkerData | undefined)?.files, CHECK_RECENT_TREES);
  store.onComputed = (entry) => port.postMessage(entry satisfies SharedSummary);
  port.on('message', (message: CheckJob | SharedSummary) => {
    if ('stored' in message) return store.adopt(message);
    const { index, file, config, tally } = message;
    const reply: CheckReply = { index, outcome: checkFile(parser, file, config, store, tally) };
    port.postMessage(reply);
  });
}

void serve();
