// `npm run bench [-- PATH] [--limit N] [--workers N] [--edits N] [--open N] [--edit-budget S] [--cli]`:
// prints figures, asserts nothing. Over one file list (default: the stdlib of the python3 on PATH without
// site-packages, else examples/): parse-only time, lint time (parse + analysis) on one thread and on N worker
// threads (scripts/benchWorker.ts), ruff-wasm's PERF rules over the same texts, and the ratios; with --cli
// also `dist/cli.js check` end to end. Then, through the real server over stdio (`node dist/server.js
// --stdio`): time to answer initialize, didChange → publishDiagnostics latency for one-character edits in a
// generated 5,000-line file (at most --edit-budget seconds of edits, default 40), and the server's RSS after
// opening --open files (default 200) from the list.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DocumentStore } from '../server/src/documents';
import { DEFAULT_LINT_CONFIG } from '../server/src/linter';
import { createParser, parseText } from '../server/src/parser';
import { lintOne, readPython, type WorkerJob, type WorkerMessage } from './benchWorker';

const REPO = path.resolve(__dirname, '..', '..');
const SERVER = path.join(REPO, 'dist', 'server.js');
const CLI = path.join(REPO, 'dist', 'cli.js');
const WARMUP_EVERY = 20; // warm the JIT / wasm tiers on every 20th file before each timed pass

// ---------------------------------------------------------------------------------------------- options

interface Options {
  root: string;
  rootOrigin: string;
  limit: number | null;
  workers: number;
  edits: number;
  open: number;
  editBudgetMs: number;
  cli: boolean;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: node out/scripts/bench.js [PATH] [--limit N] [--workers N] [--edits N] [--open N] [--edit-budget SECONDS] [--cli]\n`);
  process.exit(2);
}

function parseOptions(argv: string[]): Options {
  let root: string | undefined;
  let cli = false;
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cli') {
      cli = true;
      continue;
    }
    const m = /^--(limit|workers|edits|open|edit-budget)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (value === undefined || !/^\d+$/.test(value)) usage(`--${m[1]} takes a number`);
      numbers[m[1]] = Number(value);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (root === undefined) root = a;
    else usage('only one PATH');
  }
  let rootOrigin = 'argument';
  if (root === undefined) {
    root = defaultRoot();
    rootOrigin = root === path.join(REPO, 'examples') ? 'examples/ (no python3 stdlib found)' : 'stdlib of python3 on PATH';
  }
  if (!fs.existsSync(root)) usage(`${root}: no such file or directory`);
  return {
    root: path.resolve(root),
    rootOrigin,
    limit: numbers.limit ?? null,
    workers: Math.max(1, numbers.workers ?? os.availableParallelism()),
    edits: numbers.edits ?? 300,
    open: numbers.open ?? 200,
    editBudgetMs: (numbers['edit-budget'] ?? 40) * 1000,
    cli,
  };
}

function defaultRoot(): string {
  try {
    const stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (stdlib && fs.statSync(stdlib).isDirectory()) return stdlib;
  } catch {
    // no python3, or it has no stdlib directory
  }
  return path.join(REPO, 'examples');
}

/** The files `dist/cli.js check ROOT` would visit (same directory exclusions), sorted. */
function pythonFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      const base = path.basename(p);
      if (!explicit && (base.startsWith('.') || ['node_modules', '__pycache__', 'venv', '.venv', 'site-packages'].includes(base))) return;
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch {
        return;
      }
      for (const e of entries) visit(path.join(p, e), false);
    } else if (explicit || p.endsWith('.py')) out.push(p);
  };
  visit(root, true);
  return out;
}

/** `limit` files spread evenly over the sorted list (deterministic), so a capped run stays representative. */
function spread<T>(items: T[], limit: number | null): T[] {
  if (limit === null || limit >= items.length) return items;
  const out: T[] = [];
  for (let i = 0; i < limit; i++) out.push(items[Math.floor((i * items.length) / limit)]);
  return out;
}

// ---------------------------------------------------------------------------------------------- helpers

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** CPU time (user + system, all threads of this process) spent while `run` runs, next to its wall time. */
async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await run();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function stats(samples: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

type Row = [string, string, string?];

function table(title: string, rows: Row[]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${title}`);
  console.log(`${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(20)}`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c ?? ''}`);
}

function verdict(ok: boolean, target: string): string {
  return `${ok ? 'meets' : 'MISSES'} target ${target}`;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// ---------------------------------------------------------------------------------------------- engine

interface Corpus {
  files: string[];
  texts: string[];
  lines: number;
  bytes: number;
  skipped: number;
}

function loadCorpus(candidates: string[]): Corpus {
  const files: string[] = [];
  const texts: string[] = [];
  let lines = 0;
  let bytes = 0;
  let skipped = 0;
  for (const f of candidates) {
    const text = readPython(f);
    if (text === null) {
      skipped++;
      continue;
    }
    files.push(f);
    texts.push(text);
    bytes += Buffer.byteLength(text);
    lines += text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  return { files, texts, lines, bytes, skipped };
}

interface Pass {
  wallMs: number;
  cpuMs: number;
}

interface EngineFigures {
  parseOnly: Pass;
  lint: Pass;
  inLintParseMs: number;
  inLintAnalysisMs: number;
  findings: number;
  errors: string[];
  slowest: Array<{ file: string; analysisMs: number; parseMs: number }>;
}

async function measureEngine(corpus: Corpus): Promise<EngineFigures> {
  const parser = await createParser();
  for (let i = 0; i < corpus.texts.length; i += WARMUP_EVERY) lintOne(parser, corpus.texts[i]);

  const parseOnly = await timed(() => {
    for (const text of corpus.texts) parseText(parser, text).delete();
  });

  let inLintParseMs = 0;
  let inLintAnalysisMs = 0;
  let findings = 0;
  const errors: string[] = [];
  const perFile: Array<{ file: string; analysisMs: number; parseMs: number }> = [];
  const lint = await timed(() => {
    for (let i = 0; i < corpus.texts.length; i++) {
      const r = lintOne(parser, corpus.texts[i]);
      inLintParseMs += r.parseMs;
      inLintAnalysisMs += r.analysisMs;
      findings += r.findings;
      if (r.error) errors.push(`${corpus.files[i]}: ${r.error}`);
      perFile.push({ file: corpus.files[i], analysisMs: r.analysisMs, parseMs: r.parseMs });
    }
  });
  parser.delete();
  const slowest = perFile.sort((a, b) => b.analysisMs - a.analysisMs).slice(0, 5);
  return { parseOnly, lint, inLintParseMs, inLintAnalysisMs, findings, errors, slowest };
}

interface WorkerFigures extends Pass {
  workers: number;
  startupMs: number;
  busyMs: number[];
  findings: number;
}

/** Files split round-robin over `n` worker threads, one parser each (the CLI itself does not use workers yet). */
async function measureWorkers(corpus: Corpus, n: number): Promise<WorkerFigures> {
  const shares: string[][] = Array.from({ length: n }, () => []);
  corpus.files.forEach((f, i) => shares[i % n].push(f));
  const started = performance.now();
  const workers = shares.map((files) => new Worker(path.join(__dirname, 'benchWorker.js'), { workerData: { files, warmupEvery: WARMUP_EVERY } satisfies WorkerJob }));
  const next = (w: Worker) =>
    new Promise<WorkerMessage>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  await Promise.all(workers.map(next));
  const startupMs = performance.now() - started;
  const run = await timed(async () => {
    const done = workers.map(next);
    for (const w of workers) w.postMessage('go');
    return Promise.all(done);
  });
  await Promise.all(workers.map((w) => w.terminate()));
  let findings = 0;
  const busyMs: number[] = [];
  for (const r of run.value) if (r.type === 'done') (findings += r.findings), busyMs.push(r.busyMs);
  return { workers: n, wallMs: run.wallMs, cpuMs: run.cpuMs, startupMs, busyMs, findings };
}

function measureCli(opts: Options, corpus: Corpus): { wallMs: number; status: number | null; lastLine: string } {
  // the directory itself when uncapped (what a user types), else the explicit file list
  const targets = opts.limit === null ? [opts.root] : corpus.files;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'check', ...targets, '--exit-zero'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t0;
  const lines = (r.stdout ?? '').trimEnd().split('\n');
  return { wallMs, status: r.status, lastLine: lines.find((l) => /^(Found|All checks)/.test(l)) ?? lines[lines.length - 1] ?? '' };
}

interface RuffFigures extends Pass {
  version: string;
  diagnostics: number;
  errors: number;
}

async function measureRuff(corpus: Corpus): Promise<RuffFigures> {
  const ruff = require('@astral-sh/ruff-wasm-nodejs') as typeof import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ lint: { select: ['PERF'] } }, ruff.PositionEncoding.Utf16);
  const check = (text: string): number => {
    try {
      return (workspace.check(text) as Array<{ code: string | null }>).filter((d) => d.code?.startsWith('PERF')).length;
    } catch {
      return -1;
    }
  };
  for (let i = 0; i < corpus.texts.length; i += WARMUP_EVERY) check(corpus.texts[i]);
  let diagnostics = 0;
  let errors = 0;
  const run = await timed(() => {
    for (const text of corpus.texts) {
      const n = check(text);
      if (n < 0) errors++;
      else diagnostics += n;
    }
  });
  workspace.free();
  return { version: ruff.Workspace.version(), wallMs: run.wallMs, cpuMs: run.cpuMs, diagnostics, errors };
}

// ---------------------------------------------------------------------------------------------- LSP client

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly waiters = new Map<string, Array<{ version: number; resolve: (at: number) => void }>>();
  readonly logErrors: string[] = [];
  readonly child: ChildProcess;

  constructor(server: string) {
    this.child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.logErrors.push(chunk.toString()));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message, performance.now());
    }
  }

  private dispatch(m: Message, at: number): void {
    if (m.method !== undefined && m.id !== undefined) {
      this.write({ id: m.id, result: null }); // workspace/configuration, registerCapability, …
    } else if (m.method === 'textDocument/publishDiagnostics') {
      const { uri, version } = m.params as { uri: string; version?: number };
      const list = this.waiters.get(uri) ?? [];
      const still = list.filter((w) => {
        if (version === undefined || version >= w.version) {
          w.resolve(at);
          return false;
        }
        return true;
      });
      this.waiters.set(uri, still);
    } else if (m.method === 'window/logMessage' || m.method === 'window/showMessage') {
      const { type, message } = m.params as { type: number; message: string };
      if (type === 1) this.logErrors.push(message);
    } else if (m.id !== undefined) {
      this.pending.get(Number(m.id))?.(m);
      this.pending.delete(Number(m.id));
    }
  }

  private write(m: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    this.child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin!.write(body);
  }

  request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  /** Resolves with the arrival time of the first publishDiagnostics for `uri` at `version` or later. */
  diagnostics(uri: string, version: number, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push({
        version,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
      this.waiters.set(uri, list);
    });
  }

  memory(): { rss: number; hwm: number } | null {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
    this.notify('exit', null);
    const timer = setTimeout(() => this.child.kill(), 3000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------- generated file

interface EditSite {
  line: number;
  character: number;
}

/** A module of many small functions with loops (some parallelizable, some not), about `targetLines` long. */
function generateModule(targetLines: number): { text: string; sites: EditSite[] } {
  const lines = [
    '"""Generated by scripts/bench.ts: many functions with loops, some parallelizable."""',
    'import hashlib',
    'import time',
    '',
    '',
    'def slow_hash(data):',
    '    return hashlib.sha256(data.encode()).hexdigest()',
    '',
  ];
  const sites: EditSite[] = [];
  // an edit site: the column just after the literal 3 or 2 (the edits type a digit there and delete it)
  const site = (code: string, character = code.length) => {
    sites.push({ line: lines.length, character });
    lines.push(code);
  };
  for (let k = 0; lines.length < targetLines - 60; k++) {
    lines.push('', '', `def steps_${k}(n):`, '    steps = 0', '    while n != 1:', '        n = n // 2 if n % 2 == 0 else 3 * n + 1', '        steps += 1', '    return steps');
    lines.push('', '', `def derive_${k}(items):`, '    keys = []', '    for item in items:  # PAR101');
    site('        x = item * 3');
    lines.push(`        keys.append(steps_${k}(x))`, '    return keys');
    lines.push('', '', `def longest_${k}(numbers):`, '    total = 0', '    best = 0', '    for n in numbers:  # PAR102', `        s = steps_${k}(n)`, '        total += s', '        best = max(best, s)', '    return total, best');
    lines.push('', '', `def table_${k}(numbers):`, `    return [steps_${k}(n) for n in numbers]  # PAR103`);
    lines.push('', '', `def read_${k}(paths):`, '    out = []', '    for p in paths:  # PAR201', '        with open(p) as f:', '            out.append(f.read())', '    return out');
    lines.push('', '', `def balance_${k}(amounts):`, '    balance = 0', '    history = []', '    for amount in amounts:  # carried: not parallel');
    site('        balance += amount * 3');
    lines.push('        history.append(balance)', '    return history');
    lines.push('', '', `def digests_${k}(words):`, '    seen = {}', '    for w in words:');
    site('        seen[w] = slow_hash(w * 2)', '        seen[w] = slow_hash(w * 2'.length);
    lines.push('    time.sleep(0)', '    return seen');
  }
  while (lines.length < targetLines) lines.push('# padding');
  return { text: lines.join('\n') + '\n', sites };
}

interface Edit {
  line: number;
  character: number;
  insert: boolean;
}

/** Pairs of (insert '7', delete it) at sites taken in a stride across the file, so consecutive pairs are far apart. */
function planEdits(sites: EditSite[], count: number): Edit[] {
  const edits: Edit[] = [];
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  let stride = Math.max(1, Math.floor(sites.length / 7));
  while (sites.length > 1 && gcd(stride, sites.length) !== 1) stride++; // coprime: every site (and kind) is visited
  for (let i = 0; i < count; i++) {
    const s = sites[(Math.floor(i / 2) * stride) % sites.length];
    edits.push({ line: s.line, character: s.character, insert: i % 2 === 0 });
  }
  return edits;
}

function changeOf(e: Edit) {
  return e.insert
    ? { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character } }, text: '7' }
    : { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character + 1 } }, text: '' };
}

/** The same edits in-process (PythonDocument: incremental re-parse, then lint), to split server latency. */
async function inProcessEdits(text: string, edits: Edit[], budgetMs: number): Promise<{ reparse: number[]; lint: number[]; fullLintMs: number; findings: number }> {
  const parser = await createParser();
  const store = new DocumentStore(parser);
  const doc = store.open('file:///bench/generated.py', 1, text);
  for (let i = 0; i < Math.min(20, edits.length); i++) {
    doc.update([changeOf(edits[i])], 2 + i);
    doc.lint(DEFAULT_LINT_CONFIG);
  }
  // re-open (the warm-up may have left an edit applied), then time a full lint and the edits
  const t = performance.now();
  const fresh = store.open('file:///bench/generated.py', 1, text);
  const findings = fresh.lint(DEFAULT_LINT_CONFIG).findings.length;
  const fullLintMs = performance.now() - t;
  const reparse: number[] = [];
  const lint: number[] = [];
  const started = performance.now();
  for (let i = 0; i < edits.length && performance.now() - started < budgetMs; i++) {
    const t0 = performance.now();
    fresh.update([changeOf(edits[i])], 2 + i);
    const t1 = performance.now();
    fresh.lint(DEFAULT_LINT_CONFIG);
    reparse.push(t1 - t0);
    lint.push(performance.now() - t1);
  }
  store.close('file:///bench/generated.py');
  parser.delete();
  return { reparse, lint, fullLintMs, findings };
}

interface LspFigures {
  spawnToReadyMs: number;
  initializeRoundTripMs: number;
  openGeneratedMs: number;
  latencies: number[];
  rssAfterInit: { rss: number; hwm: number } | null;
  rssAfterEdits: { rss: number; hwm: number } | null;
  rssAfterOpen: { rss: number; hwm: number } | null;
  opened: number;
  openedBytes: number;
  openAllMs: number;
  errors: string[];
}

async function measureLsp(generated: string, edits: Edit[], corpus: Corpus, openCount: number, budgetMs: number): Promise<LspFigures> {
  const spawned = performance.now();
  const client = new LspClient(SERVER);
  const sent = performance.now();
  const init = await client.request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  const ready = performance.now();
  if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
  client.notify('initialized', {});
  await new Promise((r) => setTimeout(r, 100));
  const rssAfterInit = client.memory();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallelize-bench-'));
  const genFile = path.join(dir, 'generated.py');
  fs.writeFileSync(genFile, generated);
  const uri = pathToFileURL(genFile).toString();
  let t0 = performance.now();
  const opened = client.diagnostics(uri, 1);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: generated } });
  const openGeneratedMs = (await opened) - t0;

  const latencies: number[] = [];
  const editsStarted = performance.now();
  for (let i = 0; i < edits.length && performance.now() - editsStarted < budgetMs; i++) {
    const version = 2 + i;
    const published = client.diagnostics(uri, version);
    t0 = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [changeOf(edits[i])] });
    latencies.push((await published) - t0);
  }
  const rssAfterEdits = client.memory();

  const chosen = spread(
    corpus.files.map((f, i) => ({ f, text: corpus.texts[i] })),
    openCount,
  );
  t0 = performance.now();
  const all = chosen.map(({ f, text }) => {
    const u = pathToFileURL(f).toString();
    const p = client.diagnostics(u, 1, 120_000);
    client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'python', version: 1, text } });
    return p;
  });
  await Promise.all(all);
  const openAllMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  const rssAfterOpen = client.memory();
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    spawnToReadyMs: ready - spawned,
    initializeRoundTripMs: ready - sent,
    openGeneratedMs,
    latencies,
    rssAfterInit,
    rssAfterEdits,
    rssAfterOpen,
    opened: chosen.length,
    openedBytes: chosen.reduce((n, c) => n + Buffer.byteLength(c.text), 0),
    openAllMs,
    errors: client.logErrors,
  };
}

// ---------------------------------------------------------------------------------------------- main

function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown revision';
  }
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const opts = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(SERVER) || !fs.existsSync(CLI)) usage('dist/ is missing: run `npm run build` first (npm run bench does)');
  const all = pythonFiles(opts.root);
  const corpus = loadCorpus(spread(all, opts.limit));
  if (corpus.files.length === 0) usage(`no Python files under ${opts.root}`);
  console.log(`python-parallelize bench — ${revision()}; node ${process.version}; ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'})`);
  console.log(`corpus: ${opts.root} (${opts.rootOrigin})${opts.limit !== null ? `, --limit ${opts.limit}: evenly spread over ${all.length} files` : ''}`);
  console.log(`load average at start: ${load()} (other processes on the machine slow every wall-clock figure; cpu figures are this process's own)`);

  progress(`engine: parse-only and lint over ${corpus.files.length} files on one thread…`);
  const engine = await measureEngine(corpus);
  progress(`engine: lint on ${opts.workers} worker threads…`);
  const workers = await measureWorkers(corpus, opts.workers);
  progress('ruff-wasm PERF over the same texts…');
  const ruff = await measureRuff(corpus);
  let cli: ReturnType<typeof measureCli> | null = null;
  if (opts.cli) {
    progress('dist/cli.js check end to end…');
    cli = measureCli(opts, corpus);
  }

  const lines = corpus.lines;
  const rate = (p: Pass) => `${Math.round(lines / (p.wallMs / 1000)).toLocaleString('en-US')} lines/s`;
  const both = (p: Pass) => `${ms(p.wallMs)} (cpu ${ms(p.cpuMs)})`;
  const analysis: Pass = { wallMs: engine.lint.wallMs - engine.parseOnly.wallMs, cpuMs: engine.lint.cpuMs - engine.parseOnly.cpuMs };
  const rows: Row[] = [
    ['files', `${corpus.files.length}`, corpus.skipped ? `${corpus.skipped} unreadable, skipped` : ''],
    ['lines', lines.toLocaleString('en-US'), mb(corpus.bytes)],
    ['parse only, 1 thread', both(engine.parseOnly), rate(engine.parseOnly)],
    ['lint = check (parse + analysis), 1 thread', both(engine.lint), `${rate(engine.lint)}; ${engine.findings} findings`],
    ['analysis = lint − parse only', both(analysis), `${((analysis.wallMs / engine.parseOnly.wallMs) * 100).toFixed(0)} % of parse — ${verdict(analysis.wallMs <= 0.3 * engine.parseOnly.wallMs, '≤ 30 %')}`],
    ['  split timed per file inside the lint pass', `${ms(engine.inLintParseMs)} + ${ms(engine.inLintAnalysisMs)}`, 'parse + analysis'],
    [`lint, ${workers.workers} worker threads`, both(workers), `×${(engine.lint.wallMs / workers.wallMs).toFixed(2)} vs 1 thread; busy ${workers.busyMs.map(ms).join(' / ')}; ${workers.findings} findings`],
    ['  worker start-up (spawn, wasm, read, warm-up)', ms(workers.startupMs), 'not included above; the CLI does not use workers yet'],
    [`ruff-wasm ${ruff.version} PERF, 1 thread`, both(ruff), `${rate(ruff)}; ${ruff.diagnostics} PERF diagnostics${ruff.errors ? `, ${ruff.errors} files threw` : ''}`],
    ['ratio lint 1 thread / ruff-wasm', `${(engine.lint.wallMs / ruff.wallMs).toFixed(2)} (cpu ${(engine.lint.cpuMs / ruff.cpuMs).toFixed(2)})`, verdict(engine.lint.wallMs <= ruff.wallMs, '≤ 1.00')],
    [`ratio lint ${workers.workers} workers / ruff-wasm`, `${(workers.wallMs / ruff.wallMs).toFixed(2)}`, 'wall clock'],
  ];
  if (cli) {
    rows.push(['dist/cli.js check, end to end', ms(cli.wallMs), `exit ${cli.status}: ${cli.lastLine}`]);
    rows.push(['ratio dist/cli.js check / ruff-wasm', `${(cli.wallMs / ruff.wallMs).toFixed(2)}`, 'includes node start-up, reading, config lookup, printing']);
  }
  table('Engine over the corpus (texts in memory; each timed pass preceded by a warm-up on every 20th file)', rows);
  if (engine.errors.length > 0) {
    console.log(`\nanalysis threw on ${engine.errors.length} file(s):`);
    for (const e of engine.errors.slice(0, 10)) console.log(`  ${e}`);
  }
  console.log('\nslowest analyses (1 thread):');
  for (const s of engine.slowest) console.log(`  ${ms(s.analysisMs).padStart(8)} analysis, ${ms(s.parseMs).padStart(8)} parse  ${path.relative(opts.root, s.file) || s.file}`);
  console.log(`load average after the engine passes: ${load()}`);

  const gen = generateModule(5000);
  const genLines = gen.text.split('\n').length - 1;
  const edits = planEdits(gen.sites, opts.edits);
  progress(`in-process replay of ${edits.length} edits on the generated ${genLines}-line file…`);
  const local = await inProcessEdits(gen.text, edits, opts.editBudgetMs);
  progress('language server over stdio…');
  const lsp = await measureLsp(gen.text, edits, corpus, opts.open, opts.editBudgetMs);

  const lat = stats(lsp.latencies);
  const reparse = stats(local.reparse);
  const relint = stats(local.lint);
  const budgetNote = (done: number) => (done < edits.length ? ` of ${edits.length} (--edit-budget ${opts.editBudgetMs / 1000} s reached)` : '');
  const mem = (m: { rss: number; hwm: number } | null) => (m ? `${mb(m.rss)} (peak ${mb(m.hwm)})` : 'n/a (no /proc)');
  table(`Language server (node dist/server.js --stdio), generated file of ${genLines} lines with ${local.findings} findings`, [
    ['ready: spawn → initialize answered', ms(lsp.spawnToReadyMs), verdict(lsp.spawnToReadyMs <= 300, '≤ 300 ms')],
    ['  initialize request → answer', ms(lsp.initializeRoundTripMs), ''],
    ['didOpen 5,000 lines → diagnostics', ms(lsp.openGeneratedMs), `in-process open (parse) + lint ${ms(local.fullLintMs)}`],
    [`didChange → publishDiagnostics, ${lsp.latencies.length}${budgetNote(lsp.latencies.length)} edits`, `p50 ${ms(lat.p50)}`, `p95 ${ms(lat.p95)}, max ${ms(lat.max)}, mean ${ms(lat.mean)} — ${verdict(lat.p95 <= 20, 'p95 ≤ 20 ms')}`],
    [`  in-process: incremental re-parse, ${local.reparse.length}${budgetNote(local.reparse.length)}`, `p50 ${ms(reparse.p50)}`, `p95 ${ms(reparse.p95)}, max ${ms(reparse.max)}`],
    [`  in-process: lint after the edit, ${local.lint.length}${budgetNote(local.lint.length)}`, `p50 ${ms(relint.p50)}`, `p95 ${ms(relint.p95)}, max ${ms(relint.max)}`],
    ['  server debounce before linting', '15 ms', 'VALIDATION_DELAY_MS in server/src/server.ts, part of every figure above'],
    ['RSS after initialize', mem(lsp.rssAfterInit), ''],
    ['RSS after the edits', mem(lsp.rssAfterEdits), ''],
    [`RSS after opening ${lsp.opened} more files`, mem(lsp.rssAfterOpen), `${mb(lsp.openedBytes)} of source; ${lsp.rssAfterOpen ? verdict(lsp.rssAfterOpen.rss <= 200 * 1024 * 1024, '≤ 200 MB') : ''}`],
    [`  didOpen ×${lsp.opened} → all diagnostics`, ms(lsp.openAllMs), ''],
  ]);
  if (lsp.errors.length > 0) {
    console.log(`\nserver reported ${lsp.errors.length} error(s):`);
    for (const e of lsp.errors.slice(0, 5)) console.log(`  ${e.trim().split('\n')[0]}`);
  }
  console.log(`\nload average at the end: ${load()}`);
  console.log(`bench: ${ms(performance.now() - benchStarted)} in all; bench process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}. Figures only: nothing is asserted.`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
