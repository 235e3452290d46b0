// The language server's memory after indexing a whole workspace (default: the stdlib of python3 on PATH):
// starts dist/server.js, opens the folder, waits for the indexing's `$/progress` end, opens one document that
// imports across the workspace, and prints the server's resident set size. Prints figures, asserts nothing.
//   node out/scripts/workspaceMemory.js [FOLDER] [FILE-TO-OPEN]
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const REPO = path.resolve(__dirname, '..', '..');

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  const folder = process.argv[2] ?? execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  const open = process.argv[3] ?? path.join(folder, 'concurrent', 'futures', 'process.py');
  const server = spawn(process.execPath, [path.join(REPO, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  let ended: () => void = () => {};
  const indexed = new Promise<void>((resolve) => (ended = resolve));
  let total = '';
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => {
    if (p.value.kind === 'begin') total = p.value.message ?? '';
    if (p.value.kind === 'end') ended();
  });
  connection.onNotification('window/logMessage', (p: { message: string }) => process.stderr.write(`server: ${p.message}\n`));
  connection.listen();
  const started = performance.now();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { window: { workDoneProgress: true } }, workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'ws' }] });
  await connection.sendNotification('initialized', {});
  const afterInit = rssMb(server.pid!);
  await indexed;
  const seconds = (performance.now() - started) / 1000;
  // the server collects its garbage once idle for a second after work (heap.ts)
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const afterIndex = rssMb(server.pid!);
  let diagnostics = -1;
  const published = new Promise<void>((resolve) =>
    connection.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: unknown[] }) => {
      diagnostics = p.diagnostics.length;
      resolve();
    }),
  );
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(open).toString(), languageId: 'python', version: 1, text: fs.readFileSync(open, 'utf8') } });
  await published;
  const afterOpen = rssMb(server.pid!);
  console.log(`workspace: ${folder}`);
  console.log(`${total}: indexed in ${seconds.toFixed(1)} s`);
  console.log(`server RSS: ${afterInit.toFixed(0)} MB after initialize, ${afterIndex.toFixed(0)} MB after indexing (and 2.5 s idle), ${afterOpen.toFixed(0)} MB after opening ${path.relative(folder, open)} (${diagnostics} diagnostics)`);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  server.kill();
}

void main();
