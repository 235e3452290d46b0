// A byte-level LSP client for abuse tests: spawns `node dist/server.js --stdio`, writes whatever bytes a
// test asks for (lying Content-Length headers, broken JSON, binary), and parses what the server writes
// back with a strict framer that records anything on stdout which is not a well-formed LSP message.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO } from './harness';

export interface JsonRpcMessage {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string; data?: unknown };
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RawServerOptions {
  args?: string[];
  /** Extra `node` flags before the script (e.g. `--require hook.js`). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** `Content-Length: N\r\n\r\n` + body, N counted in bytes. */
export function frame(body: string | Buffer | object): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

export class RawLspServer {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every message the server sent, in order. */
  readonly messages: JsonRpcMessage[] = [];
  /** Bytes on stdout that were not part of a well-formed `Content-Length` frame holding a JSON-RPC message. */
  readonly stdoutViolations: string[] = [];
  stderr = '';
  exit: ServerExit | undefined;
  readonly exited: Promise<ServerExit>;
  private buffer = Buffer.alloc(0);
  private readonly waiters: Array<{ match: (m: JsonRpcMessage) => boolean; resolve: (m: JsonRpcMessage) => void }> = [];
  private nextId = 1;

  constructor(options: RawServerOptions = {}) {
    this.process = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(REPO, 'dist', 'server.js'), ...(options.args ?? ['--stdio'])], {
      stdio: 'pipe',
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    this.process.stdout.on('data', (d: Buffer) => this.onStdout(d));
    this.process.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // writes after the server died must not crash the test process
    this.process.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.process.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  get alive(): boolean {
    return this.exit === undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Leftover bytes on stdout that do not (yet) form a complete frame. */
  get pendingStdout(): number {
    return this.buffer.length;
  }

  /** Writes raw bytes; resolves once they were handed to the pipe. */
  write(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve) => {
      if (!this.alive || this.process.stdin.destroyed) return resolve();
      this.process.stdin.write(bytes, () => resolve());
    });
  }

  send(message: object): Promise<void> {
    return this.write(frame({ jsonrpc: '2.0', ...message }));
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.send(params === undefined ? { method } : { method, params });
  }

  /** A fresh request id (counting up from 1). */
  id(): number {
    return this.nextId++;
  }

  /** Sends a request without waiting; returns its id. */
  post(method: string, params?: unknown, id = this.id()): number {
    void this.send(params === undefined ? { id, method } : { id, method, params });
    return id;
  }

  /** Sends a request and resolves with the whole response message (result or error). */
  async request(method: string, params?: unknown, timeoutMs = 10_000): Promise<JsonRpcMessage> {
    const id = this.post(method, params);
    return this.response(id, timeoutMs);
  }

  /** The response to request `id` (already received or the next to come). */
  response(id: number | string, timeoutMs = 10_000): Promise<JsonRpcMessage> {
    return this.waitFor((m) => m.id === id && m.method === undefined, timeoutMs, `response to request ${id}`);
  }

  /** Resolves with the first message (already received or to come) matching `match`. */
  waitFor(match: (m: JsonRpcMessage) => boolean, timeoutMs: number, what: string): Promise<JsonRpcMessage> {
    const already = this.messages.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: JsonRpcMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${this.alive ? '' : ` (server exited: ${JSON.stringify(this.exit)})`}\nstderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The most recent (or next) diagnostics published for `uri`, at `version` when given. */
  diagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<JsonRpcMessage> {
    const match = (m: JsonRpcMessage) => m.method === 'textDocument/publishDiagnostics' && m.params?.uri === uri && (version === undefined || m.params?.version === version);
    const latest = [...this.messages].reverse().find(match);
    if (latest) return Promise.resolve(latest);
    return this.waitFor(match, timeoutMs, `diagnostics for ${uri}${version === undefined ? '' : ` v${version}`}`);
  }

  published(uri: string): JsonRpcMessage[] {
    return this.messages.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params?.uri === uri);
  }

  logs(): string[] {
    return this.messages.filter((m) => m.method === 'window/logMessage' || m.method === 'window/showMessage').map((m) => String(m.params?.message));
  }

  async initialize(params: Record<string, unknown> = {}): Promise<JsonRpcMessage> {
    const response = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, ...params });
    await this.notify('initialized', {});
    return response;
  }

  async shutdownAndExit(timeoutMs = 10_000): Promise<ServerExit> {
    if (!this.alive) return this.exited;
    await this.request('shutdown', undefined, timeoutMs);
    await this.notify('exit');
    return this.waitExit(timeoutMs);
  }

  /** The exit status, or an error when the process is still running after `timeoutMs`. */
  waitExit(timeoutMs: number): Promise<ServerExit> {
    return Promise.race([
      this.exited,
      new Promise<ServerExit>((_, reject) => setTimeout(() => reject(new Error(`server still running after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  }

  /** Kills the process (SIGKILL) if it still runs; resolves when it is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.process.kill('SIGKILL');
    await this.exited;
  }

  private onStdout(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    while (this.buffer.length > 0) {
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) {
        // a header is short: anything long without the blank line, or not starting like a header, is garbage
        const head = this.buffer.toString('latin1');
        if (this.buffer.length > 1024 || !/^C(o(n(t(e(n(t(-(L(e(n(g(t(h(:.*)?)?)?)?)?)?)?)?)?)?)?)?)?)?$/is.test(head.split('\r\n')[0])) {
          this.violation(head);
        }
        return;
      }
      const headerText = this.buffer.subarray(0, end).toString('latin1');
      const headers = new Map<string, string>();
      let wellFormed = true;
      for (const line of headerText.split('\r\n')) {
        const m = /^([A-Za-z-]+): *(.*)$/.exec(line);
        if (!m) wellFormed = false;
        else headers.set(m[1].toLowerCase(), m[2].trim());
      }
      const length = Number(headers.get('content-length'));
      if (!wellFormed || !/^\d+$/.test(headers.get('content-length') ?? '') || [...headers.keys()].some((k) => k !== 'content-length' && k !== 'content-type')) {
        this.violation(headerText);
        return;
      }
      if (this.buffer.length < end + 4 + length) return; // body not complete yet
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      let message: JsonRpcMessage;
      try {
        message = JSON.parse(body) as JsonRpcMessage;
      } catch {
        this.stdoutViolations.push(`body is not JSON: ${body.slice(0, 200)}`);
        continue;
      }
      if (typeof message !== 'object' || message === null || message.jsonrpc !== '2.0') {
        this.stdoutViolations.push(`not a JSON-RPC 2.0 message: ${body.slice(0, 200)}`);
        continue;
      }
      this.messages.push(message);
      if (message.method !== undefined && message.id !== undefined) this.answerServerRequest(message);
      for (const w of [...this.waiters]) {
        if (w.match(message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
    }
  }

  /** Records garbage and drops everything up to the next plausible header, so later frames still parse. */
  private violation(text: string): void {
    this.stdoutViolations.push(text.slice(0, 200));
    const next = this.buffer.indexOf('Content-Length:', 1);
    this.buffer = next < 0 ? Buffer.alloc(0) : this.buffer.subarray(next);
  }

  private answerServerRequest(message: JsonRpcMessage): void {
    let result: unknown = null;
    if (message.method === 'workspace/configuration') result = (message.params?.items ?? []).map(() => null);
    else if (message.method === 'window/showDocument') result = { success: true };
    void this.send({ id: message.id, result });
  }
}
