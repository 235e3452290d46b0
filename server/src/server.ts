// Wiring only: the language server's capabilities and handlers, each delegating to documents and features.
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  type CodeAction,
  type Connection,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  type Hover,
  type InitializeResult,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { ReframingStream } from './framing';
import { configForFile, DEFAULT_CONFIG, loadProjectConfig, mergeConfig, type ProjectConfig, type RawConfig } from './config';
import { DocumentStore } from './documents';
import { codeActions, SHOW_DOCUMENTATION_COMMAND } from './features/codeActions';
import { type DiagnosticOptions, diagnosticsFor } from './features/diagnostics';
import { hover } from './features/hover';
import { BudgetWatch } from './budget';
import { boundHeapGrowth, collectWhenIdle } from './heap';
import { type LintConfig, MAX_ANALYSED_CHARS } from './linter';
import { createParser, loadPython, type Parser } from './parser';
import { ruleDocsUrl } from './rules/catalog';
import { WorkspaceIndex } from './workspace/index';
import { DISK, type WorkspaceResolver } from './workspace/summaryStore';

/** Analysis slower than this is reported (output channel + `parallelize/slowAnalysis` for the status bar). */
const TIME_BUDGET_MS = 250;
const SERVER_VERSION = '0.1.0';

type Settings = RawConfig & DiagnosticOptions & { enable?: boolean };

export class ParallelizeServer {
  private documents!: DocumentStore;
  private parser!: Parser;
  /** The latest validation asked for each document (older asks are dropped when their turn comes). */
  private readonly pending = new Map<string, number>();
  private asks = 0;
  /** Settings without a scope (initializationOptions / didChangeConfiguration push). */
  private settings: Settings = {};
  /** Settings per document (`workspace/configuration` with its scopeUri), fetched when it opens. */
  private readonly scoped = new Map<string, Settings>();
  private supportsConfiguration = false;
  private supportsWatching = false;
  private shuttingDown = false;
  /** The workspace's Python files and their summaries: imports between them are resolved through it. */
  private workspace!: WorkspaceIndex;
  private folders: string[] = [];
  /** Open documents by file path (the workspace reads their text, not the disk's). */
  private readonly openFiles = new Map<string, string>();

  get hasShutDown(): boolean {
    return this.shuttingDown;
  }
  private readonly configs = new Map<string, LintConfig>();
  /** The configurations already written to the output (each once: a project's files share one). */
  private readonly loggedConfigs = new Set<string>();
  /** Over budget → `parallelize/slowAnalysis`; the next analysis of that document within it → `parallelize/withinBudget`. */
  private readonly budget = new BudgetWatch(TIME_BUDGET_MS);

  constructor(private readonly connection: Connection) {}

  register(): void {
    const c = this.connection;
    c.onInitialize(async (params) => {
      // the grammar started loading with the process (loadPython in startServer): usually ready by now
      this.parser = await createParser();
      this.documents = new DocumentStore(this.parser);
      this.workspace = new WorkspaceIndex(this.parser, {
        ...DISK,
        readText: (file) => {
          const uri = this.openFiles.get(file);
          return uri ? this.documents.get(uri)?.text : DISK.readText(file);
        },
      });
      const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
      this.folders = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
      this.supportsConfiguration = !!params.capabilities.workspace?.configuration;
      this.supportsWatching = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
      const init = params.initializationOptions as { settings?: Settings } | undefined;
      if (init?.settings) this.settings = init.settings;
      return this.capabilities();
    });
    c.onInitialized(() => {
      c.console.info(`python-parallelize ${SERVER_VERSION} ready (node ${process.version}, ${os.availableParallelism()} cores)`);
      if (this.supportsConfiguration) {
        void c.client.register(DidChangeConfigurationNotification.type, { section: 'parallelize' }).catch(() => undefined);
      }
      if (this.supportsWatching) {
        void c.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }, { globPattern: '**/pyproject.toml' }] }).catch(() => undefined);
      }
      void this.indexWorkspace();
    });
    c.onDidChangeConfiguration((change) => {
      const s = (change.settings as { parallelize?: Settings } | undefined)?.parallelize;
      if (s) this.settings = s;
      else if (this.supportsConfiguration) return void this.refreshSettings();
      this.configs.clear();
      this.revalidateAll();
    });
    c.onDidChangeWatchedFiles(({ changes }) =>
      this.guard('didChangeWatchedFiles', () => {
        const sources = changes.filter((ch) => ch.uri.startsWith('file:') && ch.uri.endsWith('.py'));
        if (sources.length < changes.length) {
          // a pyproject.toml (configuration, import roots): everything again
          this.workspace?.store.clear();
          this.configs.clear();
          this.revalidateAll();
          return;
        }
        for (const ch of sources) {
          const file = this.fileOf(ch.uri);
          // an open document's text is the editor's, not the disk's
          if (file && !this.openFiles.has(file)) this.workspace?.changed(file, ch.type !== FileChangeType.Changed);
        }
        this.refreshDependents();
      }),
    );
    c.onDidOpenTextDocument(({ textDocument }) =>
      this.guard('didOpen', () => {
        this.documents.open(textDocument.uri, textDocument.version, textDocument.text);
        this.trackOpen(textDocument.uri, true);
        this.schedule(textDocument.uri);
        // per-document settings arrive asynchronously (a client may never answer): re-validate when they do
        if (this.supportsConfiguration && !this.scoped.has(textDocument.uri)) {
          void this.fetchSettings(textDocument.uri).then(() => this.schedule(textDocument.uri));
        }
      }),
    );
    c.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
      this.guard('didChange', () => {
        const doc = this.documents.get(textDocument.uri);
        if (!doc) return;
        doc.update(contentChanges, textDocument.version);
        const file = this.fileOf(textDocument.uri);
        if (file) this.workspace.changed(file);
        this.schedule(textDocument.uri);
      }),
    );
    c.onDidCloseTextDocument(({ textDocument }) =>
      this.guard('didClose', () => {
        this.pending.delete(textDocument.uri);
        this.documents.close(textDocument.uri);
        this.trackOpen(textDocument.uri, false);
        collectWhenIdle();
        this.scoped.delete(textDocument.uri);
        this.configs.delete(textDocument.uri);
        if (this.budget.forget(textDocument.uri)) void c.sendNotification('parallelize/withinBudget', { uri: textDocument.uri, milliseconds: 0 });
        void c.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
      }),
    );
    c.onHover(({ textDocument, position }): Hover | null =>
      this.guard('hover', () => {
        const doc = this.documents?.get(textDocument.uri);
        return doc ? hover(doc, position, this.configFor(doc.uri), MAX_ANALYSED_CHARS, this.parser) : null;
      }) ?? null,
    );
    c.onCodeAction(({ textDocument, range, context }): CodeAction[] =>
      this.guard('codeAction', () => {
        const doc = this.documents?.get(textDocument.uri);
        return doc ? codeActions(doc, range, context.diagnostics, this.configFor(doc.uri), this.parser, MAX_ANALYSED_CHARS) : [];
      }) ?? [],
    );
    c.onExecuteCommand(async ({ command, arguments: args }) => {
      if (command !== SHOW_DOCUMENTATION_COMMAND) return;
      const code = String(args?.[0] ?? '').toUpperCase();
      if (!/^PAR\d{3}$/.test(code)) return;
      const bundled = [path.join(__dirname, 'docs', 'rules', `${code}.md`), path.join(__dirname, '..', 'docs', 'rules', `${code}.md`)].find((p) => fs.existsSync(p));
      const uri = bundled ? pathToFileURL(bundled).toString() : ruleDocsUrl(code);
      await c.window.showDocument({ uri, external: !bundled, takeFocus: true }).catch(() => undefined);
    });
    c.onShutdown(() => {
      this.shuttingDown = true;
      this.pending.clear();
      for (const d of this.documents?.all() ?? []) this.documents.close(d.uri);
    });
  }

  capabilities(): InitializeResult {
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        executeCommandProvider: { commands: [SHOW_DOCUMENTATION_COMMAND] },
      },
      serverInfo: { name: 'python-parallelize', version: SERVER_VERSION },
    };
  }

  private guard<T>(what: string, run: () => T): T | undefined {
    if (this.shuttingDown && (what === 'hover' || what === 'codeAction')) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
    try {
      return run();
    } catch (e) {
      this.connection.console.error(`${what} failed: ${(e as Error).stack ?? e}`);
      return undefined;
    }
  }

  private async refreshSettings(): Promise<void> {
    this.scoped.clear();
    this.configs.clear();
    await Promise.all((this.documents?.all() ?? []).map((d) => this.fetchSettings(d.uri)));
    this.revalidateAll();
  }

  /** Reads `parallelize.*` for one document (multi-root workspaces and folder settings differ per file). */
  private async fetchSettings(uri: string): Promise<void> {
    if (!this.supportsConfiguration) return;
    try {
      const s = (await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'parallelize' })) as Settings | null;
      this.scoped.set(uri, s ?? {});
    } catch {
      this.scoped.set(uri, {});
    }
    this.configs.delete(uri);
  }

  private settingsFor(uri: string): Settings {
    return this.scoped.get(uri) ?? this.settings;
  }

  /** pyproject `[tool.parallelize]` for the document's folder, with editor settings the user set on top. */
  private configFor(uri: string): LintConfig {
    const cached = this.configs.get(uri);
    if (cached) return cached;
    let config: ProjectConfig = DEFAULT_CONFIG;
    let file: string | null = null;
    if (uri.startsWith('file:')) {
      file = fileURLToPath(uri);
      const loaded = loadProjectConfig(file);
      const pyproject = loaded.pyproject;
      for (const e of loaded.errors) {
        void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Python Parallelize: ${e}` });
      }
      config = loaded.config;
      const described = `${pyproject ? `configuration: ${pyproject}` : 'configuration: no pyproject.toml above this file, defaults'} + editor settings ${JSON.stringify(this.settingsFor(uri))}`;
      if (!this.loggedConfigs.has(described)) {
        this.loggedConfigs.add(described);
        this.connection.console.info(`${described} (first used for ${file})`);
      }
    }
    const merged = mergeConfig(config, this.settingsFor(uri), 'settings');
    for (const e of merged.errors) this.connection.console.warn(e);
    // a new resolver with each config: it records the summaries this document's analyses use
    const workspace = file && this.workspace ? { workspace: this.workspace.store.resolverFor(file) } : {};
    const result = { ...(file ? configForFile(merged.config, file) : merged.config), localCores: os.availableParallelism(), ...workspace };
    this.configs.set(uri, result);
    return result;
  }

  /**
   * Validates `uri` once the messages already received are handled, so a burst of changes (typed faster
   * than the analysis runs, or sent at once) costs one analysis of its latest version. vscode-jsonrpc hands
   * over one queued message per event-loop turn (setImmediate), after the handler's own immediates: waiting
   * two turns lets the next queued change supersede this ask. A lone keystroke waits for nothing.
   */
  private schedule(uri: string): void {
    const ask = ++this.asks;
    this.pending.set(uri, ask);
    setImmediate(() =>
      setImmediate(() => {
        if (this.pending.get(uri) !== ask) return;
        this.pending.delete(uri);
        this.validate(uri);
      }),
    );
  }

  private revalidateAll(): void {
    for (const d of this.documents?.all() ?? []) this.schedule(d.uri);
  }

  private validate(uri: string): void {
    this.guard('validate', () => {
      const doc = this.documents.get(uri);
      if (!doc) return;
      const settings = this.settingsFor(uri);
      if (settings.enable === false) {
        void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: [] });
        return;
      }
      if (doc.text.length > MAX_ANALYSED_CHARS) {
        this.connection.console.warn(`${uri}: ${(doc.text.length / 1e6).toFixed(1)} MB is over the ${MAX_ANALYSED_CHARS / 1e6} MB limit: not analysed`);
        void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: [] });
        return;
      }
      const started = performance.now();
      const result = doc.publish(this.configFor(uri));
      collectWhenIdle();
      const elapsed = performance.now() - started;
      // every analysis at trace level (sent only while the client traces: `parallelize.trace.server`)
      this.connection.tracer.log(`analysed ${uri} (version ${doc.version}) in ${elapsed.toFixed(1)} ms: ${result.findings.length} findings`);
      const budget = this.budget.observe(uri, elapsed);
      if (budget?.kind === 'over') this.connection.console.warn(`analysing ${uri} took ${budget.milliseconds} ms (budget ${TIME_BUDGET_MS} ms)`);
      if (budget) void this.connection.sendNotification(budget.kind === 'over' ? 'parallelize/slowAnalysis' : 'parallelize/withinBudget', { uri, milliseconds: budget.milliseconds });
      const options: DiagnosticOptions = { severity: settings.severity, explainRejected: settings.explainRejected };
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnosticsFor(result, doc.version, options) });
      // what this document's text now says of its functions may change what its dependents import
      if (this.openFiles.size > 1) this.refreshDependents(uri);
    });
  }

  private fileOf(uri: string): string | null {
    if (!uri.startsWith('file:')) return null;
    try {
      return path.resolve(fileURLToPath(uri));
    } catch {
      return null;
    }
  }

  /** Opening or closing a document switches the workspace between its text and the disk's. */
  private trackOpen(uri: string, open: boolean): void {
    const file = this.fileOf(uri);
    if (!file) return;
    if (open) this.openFiles.set(file, uri);
    else this.openFiles.delete(file);
    this.workspace.changed(file);
    this.refreshDependents(uri);
  }

  /**
   * Analyses again the open documents (other than `except`) whose analysis used a summary that has changed
   * since: a function they import was edited, on disk or in the editor.
   */
  private refreshDependents(except?: string): void {
    for (const doc of this.documents?.all() ?? []) {
      if (doc.uri === except) continue;
      const resolver = this.configs.get(doc.uri)?.workspace as WorkspaceResolver | undefined;
      if (!WorkspaceIndex.isStale(resolver)) continue;
      this.configs.delete(doc.uri);
      this.schedule(doc.uri);
    }
  }

  /** Summarises the workspace's Python files in the background, reporting `$/progress` (open documents first). */
  private async indexWorkspace(): Promise<void> {
    if (this.folders.length === 0) return;
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => null);
    const started = performance.now();
    try {
      const indexed = await this.workspace.index(this.folders, [...this.openFiles.keys()], {
        begin: (total) => progress?.begin('Python Parallelize', 0, `Indexing ${total} Python files`, false),
        report: (done, total) => progress?.report(Math.floor((100 * done) / Math.max(1, total)), `Indexing ${total} Python files (${done} done)`),
        end: () => progress?.done(),
      });
      const memory = process.memoryUsage();
      const mb = (n: number) => Math.round(n / 1048576);
      this.connection.console.log(`indexed ${indexed} Python files in ${Math.round(performance.now() - started)} ms (${this.workspace.store.size} summaries; heap ${mb(memory.heapUsed)} MB, wasm and buffers ${mb(memory.external)} MB, RSS ${mb(memory.rss)} MB)`);
      this.refreshDependents();
    } catch (e) {
      progress?.done();
      this.connection.console.error(`indexing failed: ${(e as Error).stack ?? e}`);
    }
  }
}

export function startServer(): void {
  boundHeapGrowth(); // the server allocates in bursts and keeps little: see heap.ts
  // compile the grammar while node reads the client's first message; nothing is analysed before initialize
  void loadPython().catch(() => undefined);
  // over stdio, frames pass through a layer that recovers from lying Content-Length headers
  const connection = process.argv.includes('--stdio')
    ? createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin.pipe(new ReframingStream())), new StreamMessageWriter(process.stdout))
    : createConnection(ProposedFeatures.all);
  const server = new ParallelizeServer(connection);
  server.register();
  // our own stdin pipe: when the client goes away, so do we (exit code 0 only after a shutdown request)
  if (process.argv.includes('--stdio')) process.stdin.on('end', () => process.exit(server.hasShutDown ? 0 : 1));
  process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));
  connection.listen();
}

if (require.main === module) startServer();
