// A worker thread of `check` (see checkFiles.ts): one parser, loaded once; each message names a file, each
// answer carries its outcome. Messages posted before the grammar is loaded wait in the port.
import { parentPort, workerData } from 'node:worker_threads';
import { type CheckJob, type CheckReply, type CheckWorkerData, checkFile } from './checkFiles';
import { createParser } from './parser';
import { SummaryStore } from './workspace/summaryStore';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const parser = await createParser();
  // each worker summarises the modules its files import (summaries are small; trees are freed)
  const store = new SummaryStore(parser, undefined, (workerData as CheckWorkerData | undefined)?.files);
  port.on('message', ({ index, file, config, tally }: CheckJob) => {
    const reply: CheckReply = { index, outcome: checkFile(parser, file, config, store, tally) };
    port.postMessage(reply);
  });
}

void serve();
