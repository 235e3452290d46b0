// A real LSP client for tests: spawns `node dist/server.js --stdio` and speaks JSON-RPC to it.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { REPO } from './harness';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; source: string; message: string; data?: unknown; codeDescription?: { href: string } }>;
}

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  private readonly published: PublishedDiagnostics[] = [];
  private readonly waiters: Array<{ match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }> = [];
  stderr = '';
  readonly logs: string[] = [];
  readonly shownDocuments: unknown[] = [];
  /** The values of the `$/progress` notifications received, in order. */
  readonly progress: Array<{ kind: string; message?: string; title?: string }> = [];

  constructor(args: string[] = ['--stdio']) {
    this.process = spawn(process.execPath, [path.join(REPO, 'dist', 'server.js'), ...args], { stdio: 'pipe' });
    this.process.stderr.on('data', (d) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.match(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.connection.onNotification('window/showMessage', (p: { message: string }) => this.logs.push(p.message));
    this.connection.onRequest('window/showDocument', (p: unknown) => {
      this.shownDocuments.push(p);
      return { success: true };
    });
    this.connection.onRequest('workspace/configuration', () => [{}]);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (p: { value: { kind: string; message?: string; title?: string } }) => this.progress.push(p.value));
    this.connection.onRequest('window/showMessageRequest', (p: { message: string }) => {
      this.logs.push(p.message);
      return null;
    });
    this.connection.listen();
  }

  /** `workspaceFolders`: folder URIs the server indexes (with work-done progress, which this client supports). */
  async initialize(workspaceFolders?: string[]): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: false }, window: { workDoneProgress: !!workspaceFolders } },
      ...(workspaceFolders ? { workspaceFolders: workspaceFolders.map((uri) => ({ uri, name: uri.split('/').pop() })) } : {}),
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the next diagnostics published for `uri` (at `version`, when given). */
  diagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishedDiagnostics> {
    const match = (p: PublishedDiagnostics) => p.uri === uri && (version === undefined || p.version === version);
    const already = [...this.published].reverse().find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), timeoutMs);
      this.waiters.push({ match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  /** Every publishDiagnostics for `uri` so far, oldest first. */
  publishedFor(uri: string): PublishedDiagnostics[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /** Resolves with the first diagnostics for `uri` published after this call. */
  nextDiagnostics(uri: string, timeoutMs = 10_000): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no new diagnostics for ${uri}`)), timeoutMs);
      this.waiters.push({ match: (p) => p.uri === uri, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, version = 1): void {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.on('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
