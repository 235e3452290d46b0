// Calls that hold an event loop: blocking I/O and CPU-bound work made directly in the body of an
// `async def` — not in a nested `def`, lambda or generator expression, which run elsewhere or later.
import type { SyntaxNode } from '../parser';
import { children, dottedName, isAsyncFunction, lineOf, namedChildren, SCOPE_TYPES, tokensSpelled, walk } from '../syntax';
import { stallsLongEnough } from './asyncLoops';
import { WorkEstimator } from './cost';
import { describeEvidence, type Evidence, inExceptHandler } from './effects';
import { type ClientKind, clientCall, constructedClient } from './httpClients';
import type { StallingLoop } from './asyncLoops';
import { BLOCKING_IN_ASYNC, BUILTIN_NAMES, FILE_BLOCKING_METHODS, foreignEventLoop, HEAVY_CPU_CALLS, lookupCall, PASSWORD_HASHER_METHODS, PASSWORD_HASHERS, PATH_BLOCKING_METHODS, type WaitKind } from './knowledge';
import type { ModuleAnalysis } from './loops';
import { importBindings, namesBoundBy, scopeOf, valuesBound } from './scope';

export interface StallingCall {
  kind: 'blocking' | 'cpu';
  call: SyntaxNode;
  /** The `async def` whose event loop the call holds. */
  coroutine: SyntaxNode;
  /** The callable as written (`time.sleep`, `f.read`, `count_primes`): what the fix hands to the executor. */
  callee: SyntaxNode;
  /** What the call is, for messages: `time.sleep`, `requests.get`, `f.read()`, `count_primes`. */
  what: string;
  /** Why it stalls the loop, for the hover: `a loop doing arithmetic (line 5)`, `file opened at line 7`. */
  evidence: string;
  /** `time.sleep`: `asyncio.sleep` is its awaitable twin. */
  sleep: boolean;
  /** A known library call that releases the GIL while it computes. */
  releasesGil: boolean;
  /** A same-file function the call runs (PAR204). */
  definition?: SyntaxNode;
  /** A method of a synchronous client object: a `requests.Session`, a sqlite3 connection or cursor (PAR203). */
  client?: ClientKind;
  /** Local file work (a read, a write, a removal): milliseconds on a local disk. */
  disk?: true;
  /** PAR204 on a whole loop of the coroutine (`call` and `callee` are then the loop): what moves out with it. */
  loop?: StallingLoop;
}

/** Nodes whose code does not run in the coroutine's own frame, or not at that point. */
const ELSEWHERE = new Set(['function_definition', 'class_definition', 'lambda', 'generator_expression']);

/**
 * Bytes below which data comes from the page cache or a socket's buffer in microseconds: a chunk read or written that
 * small is not worth a thread; a buffer at least that large is.
 */
export const PAGE_CACHE_CHUNK = 64 * 1024;

/** The literal byte count of a sized read (`f.read(1024)`, `sock.recv(4096)`, `loop.sock_recv(s, 1024)`) when at most PAGE_CACHE_CHUNK, else null. */
function smallChunkRead(call: SyntaxNode | null): number | null {
  const f = call?.type === 'call' ? call.childForFieldName('function') : null;
  const method = f?.type === 'attribute' ? f.childForFieldName('attribute')!.text : '';
  if (!/^(read|readline|read1|readinto|recv|recv_into|sock_recv)$/.test(method)) return null;
  const args = namedChildren(call!.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const size = args.length === (method === 'sock_recv' ? 2 : 1) ? args[args.length - 1] : null;
  const n = size?.type === 'integer' ? Number(size.text.replace(/_/g, '')) : Number.NaN;
  return Number.isFinite(n) && n > 0 && n <= PAGE_CACHE_CHUNK ? n : null;
}

/**
 * A record's field or a loop's item ended with a newline (`f.write(p["proxy"] + "\n")`, `f.write(url + "\n")` in
 * `for url in urls`): one line into the file's buffer per call, microseconds (round 61: a proxy list written line by
 * line at the end of `main`, 2,000 lines 0.002 s as written, 0.6–0.9 s with each line handed to a thread).
 */
function fieldLine(arg: SyntaxNode | null, at: SyntaxNode): boolean {
  if (arg?.type !== 'binary_operator' || arg.childForFieldName('operator')?.text !== '+') return false;
  const right = arg.childForFieldName('right');
  const left = arg.childForFieldName('left');
  if (!right || !left || right.type !== 'string' || !/\\n['"]$/.test(right.text)) return false;
  if (left.type === 'subscript' || left.type === 'attribute') return true;
  if (left.type !== 'identifier') return false;
  for (let p = at.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type !== 'for_statement') continue;
    const item = p.childForFieldName('left')?.text;
    if (item === left.text) return true;
    // a field of the item named first (`uri = r.get("config_uri", "")` … `f.write(uri + "\n")`)
    const bindings = p.childForFieldName('body')?.descendantsOfType('assignment').filter((a) => a?.childForFieldName('left')?.text === left.text) ?? [];
    if (bindings.length > 0 && bindings.every((a) => fieldOf(a!.childForFieldName('right'), item))) return true;
  }
  return false;
}

/** `item["k"]`, `item.k` or `item.get("k", …)` of the loop's item `item`. */
function fieldOf(n: SyntaxNode | null, item: string | undefined): boolean {
  if (!n || !item) return false;
  const object = n.type === 'subscript' ? n.childForFieldName('value') : n.type === 'attribute' ? n.childForFieldName('object') : n.type === 'call' && n.childForFieldName('function')?.type === 'attribute' && n.childForFieldName('function')!.childForFieldName('attribute')?.text === 'get' ? n.childForFieldName('function')!.childForFieldName('object') : null;
  return object?.type === 'identifier' && object.text === item;
}

/**
 * A chunk the coroutine awaited piece by piece, spelled alone: the target of an `async for` around `at`, or a name a
 * loop around it binds to an awaited sized read (`chunk = await field.read_chunk()`, `await resp.content.read(65536)`).
 */
function streamedChunk(arg: SyntaxNode | null, at: SyntaxNode): boolean {
  if (arg?.type !== 'identifier') return false;
  for (let p = at.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type === 'for_statement' && children(p).some((c) => c.type === 'async') && p.childForFieldName('left')?.text === arg.text) return true;
    if (p.type !== 'for_statement' && p.type !== 'while_statement') continue;
    const sizedRead = p.childForFieldName('body')?.descendantsOfType('assignment').some((a) => {
      const right = a?.childForFieldName('right');
      const call = right?.type === 'await' ? right.namedChildren[0] : null;
      const f = call?.type === 'call' ? call.childForFieldName('function') : null;
      const method = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : undefined;
      const sized = method === 'read_chunk' || method === 'readchunk' || method === 'readany' || (method === 'read' && (call!.childForFieldName('arguments')?.namedChildren.length ?? 0) > 0);
      // or a small chunk read without an await (`data = conn.recv(1024)`, `data = src.read(4096)`)
      return a?.childForFieldName('left')?.text === arg.text && (sized || smallChunkRead(call ?? right ?? null) !== null);
    });
    if (sizedRead) return true;
  }
  return false;
}

/** Every blocking or CPU-bound call made directly by an `async def` of the module (or of the `within` nodes). */
export function findStallingCalls(analysis: ModuleAnalysis, within: SyntaxNode[] = [analysis.module.root]): StallingCall[] {
  const found: StallingCall[] = [];
  // coroutines of trio or anyio: the asyncio remedies do not apply
  if (foreignEventLoop(analysis.module.root.tree.text)) return found;
  const estimator = new WorkEstimator(analysis.module);
  for (const fn of within.flatMap(coroutines)) {
    const body = fn.childForFieldName('body');
    if (!body) continue;
    for (const call of body.descendantsOfType('call')) {
      if (!call || call.parent?.type === 'await' || !runsInFrame(call, body)) continue;
      const stall = classifyCall(call, fn, analysis, estimator);
      // the coroutine already moves this function off the event loop in another branch: this one is kept inline
      if (stall?.definition && offloadedInOtherBranch(call, body, stall.callee.text)) continue;
      // a clean-up on the way out of a failure (`except …: shutil.rmtree(tmp); raise`): local file work on a path
      // the coroutine rarely takes (round 38: upload handlers' rollbacks)
      if (stall?.disk && onErrorPath(call, body)) continue;
      if (stall) found.push(stall);
    }
  }
  return found;
}

/**
 * The `async def`s of a module: the `async` keywords found from the text whose statement is a `def` (not
 * `async for` / `async with`). Most modules have none, and a search of the text costs far less than a
 * traversal of the whole tree.
 */
function coroutines(root: SyntaxNode): SyntaxNode[] {
  return tokensSpelled(root, 'async')
    .map((keyword) => keyword.parent)
    .filter((statement): statement is SyntaxNode => statement?.type === 'function_definition');
}

/** Whether a node under `body` runs in the coroutine's own frame (no nested def, lambda, generator between). */
function runsInFrame(node: SyntaxNode, body: SyntaxNode): boolean {
  for (let p = node.parent; p && p.id !== body.id; p = p.parent) if (ELSEWHERE.has(p.type)) return false;
  return true;
}

/**
 * Whether `call` runs only on the way out of a failure: in an `except` handler, or in a block of the coroutine that
 * ends by raising (`if not meta: …; raise api_error(…)`).
 */
function onErrorPath(call: SyntaxNode, body: SyntaxNode): boolean {
  if (inExceptHandler(call)) return true;
  for (let p = call.parent; p && p.id !== body.id; p = p.parent) {
    if (p.type !== 'block') continue;
    const last = namedChildren(p).filter((c) => c.type !== 'comment').pop();
    if (last?.type === 'raise_statement') return true;
  }
  return false;
}

/** Functions (innermost first) whose local names are visible at `fn`'s body. */
function enclosingScopes(fn: SyntaxNode): SyntaxNode[] {
  const scopes = [fn];
  for (let p = fn.parent; p; p = p.parent) if (p.type === 'function_definition') scopes.push(p);
  return scopes;
}

/** The qualified name a callable expression refers to (`sleep` → `time.sleep`), or null if local or unknown. */
export function qualifiedCallee(expr: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): string | null {
  const dotted = dottedName(expr);
  if (!dotted) return null;
  const [root] = dotted.split('.');
  const imported = analysis.module.imports.get(root);
  if (!imported && (analysis.module.bindings.has(root) || !BUILTIN_NAMES.has(root))) return null;
  // a name the function binds itself hides the module's — unless it binds it only by importing the module the
  // module-level table names for it (`def poll(): import time`)
  const scopes = enclosingScopes(fn);
  const inner = scopes.find((s) => scopeOf(s).locals.has(root) || scopeOf(s).params.has(root));
  if (inner && !(imported && !scopeOf(inner).params.has(root) && importsOnly(inner, root, imported))) return null;
  return imported ? imported + dotted.slice(root.length) : dotted;
}

/** Whether every binding of `name` in `fn`'s own body is an import of `qualified`. */
function importsOnly(fn: SyntaxNode, name: string, qualified: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  let only = true;
  walk(body, (n) => {
    if (!only || SCOPE_TYPES.has(n.type)) return false;
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      for (const [local, q] of importBindings(n)) if (local === name && q !== qualified) only = false;
      return false;
    }
    if (namesBoundBy(n).includes(name)) only = false;
    return true;
  });
  return only;
}

function classifyCall(call: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis, estimator: WorkEstimator): StallingCall | null {
  const callee = call.childForFieldName('function');
  if (!callee) return null;
  const base = { call, coroutine: fn, callee, sleep: false, releasesGil: false };
  const qualified = qualifiedCallee(callee, fn, analysis);
  if (qualified && BLOCKING_IN_ASYNC.has(qualified)) {
    // `system('clear')`: the terminal cleared by a program that exits at once, milliseconds (round 35: a bot's start-up)
    if (TERMINAL_CLEAR_CALLS.test(qualified) && clearsTheTerminal(call.childForFieldName('arguments')?.namedChildren[0] ?? null)) return null;
    const sleep = qualified === 'time.sleep';
    const disk = lookupCall(qualified)?.waits === 'file' ? { disk: true as const } : {};
    return { ...base, kind: 'blocking', what: qualified, sleep, ...disk, evidence: sleep ? `\`${qualified}\` suspends the whole thread` : `\`${qualified}\` waits on the network, a process or the disk` };
  }
  // `smtplib.SMTP_SSL("smtp.example.com", 465)`: made with a host, the session connects and greets the server
  if (qualified && constructedClient(qualified) === 'smtp' && namedChildren(call.childForFieldName('arguments')!).some((a) => a.type !== 'comment' && (a.type !== 'keyword_argument' || a.childForFieldName('name')?.text === 'host'))) {
    return { ...base, kind: 'blocking', what: qualified, evidence: `\`${qualified}(…)\` connects to the mail server and waits for its greeting`, client: 'smtp' };
  }
  if (qualified && HEAVY_CPU_CALLS.has(qualified)) {
    // compressing a literal is constant, small work
    const first = call.childForFieldName('arguments')?.namedChildren[0];
    if (/^(zlib|gzip|bz2|lzma)\./.test(qualified) && (first?.type === 'string' || first?.type === 'concatenated_string')) return null;
    return { ...base, kind: 'cpu', what: qualified, releasesGil: true, evidence: `\`${qualified}\` is a CPU-heavy library call` };
  }
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')!.text;
    const receiver = callee.childForFieldName('object')!;
    // `pwd_context.verify(…)` on a `CryptContext` (or an argon2 `PasswordHasher`): a password hashed, slow by design
    if (PASSWORD_HASHER_METHODS.has(method) && passwordHasher(receiver, fn, analysis)) {
      return { ...base, kind: 'cpu', what: `${callee.text}()`, releasesGil: true, evidence: `\`.${method}()\` on a password hasher (\`${receiver.text}\`) hashes a password, slow by design (tenths of a second)` };
    }
    const client = clientCall(call, analysis.module);
    // a socket in a coroutine may be non-blocking (`setblocking(False)`, driven by `loop.sock_*`): not said to block
    // (a speech engine's `runAndWait` blocks while it speaks, but the engine is not thread-safe: moved to a thread, the
    // other tasks' speech would drive it from two threads at once — round 49's judges on five such findings)
    if (client && client.kind !== 'socket' && client.kind !== 'speech-engine') {
      const evidence = clientWaitEvidence(client, receiver);
      return { ...base, kind: 'blocking', what: `${callee.text.split('\n')[0]}()`, evidence, client: client.kind };
    }
    // a line of text spelled at the call (`f.write(f"{name}: {n}\n")`) only lands in the file's buffer: no wait
    // nor does a chunk of a stream the coroutine awaits piece by piece (`async for chunk in request.content.
    // iter_chunked(8192): f.write(chunk)`): each write is a few KiB, microseconds, and the loop yields between them
    // (round 34: an upload handler measured 8–16 ms plain, 42–45 ms with a thread per chunk)
    const written = method === 'write' ? call.childForFieldName('arguments')?.namedChildren[0] ?? null : null;
    // `chunk = f.read(65536)` of a local file: a read that small comes from the page cache in microseconds, less than
    // handing it to a thread and back (round 28: a streamed export 1.5–2.2× slower with each chunk read in a thread;
    // round 57: a 20 MB download 19–26× slower with each 1 KiB read in a thread)
    if (FILE_BLOCKING_METHODS.has(method) && smallChunkRead(call) === null && !(method === 'write' && (spelledText(written) || streamedChunk(written, call) || fieldLine(written, call)))) {
      const opened = openedFile(receiver, fn, analysis);
      if (opened) return { ...base, kind: 'blocking', what: `${callee.text}()`, disk: true, evidence: `\`.${method}()\` on the file opened at line ${lineOf(opened)} waits on the disk` };
    }
    if (PATH_BLOCKING_METHODS.has(method) && isPath(receiver, fn, analysis)) {
      return { ...base, kind: 'blocking', what: `${callee.text}()`, disk: true, evidence: `\`Path.${method}()\` opens, ${method.startsWith('read') ? 'reads' : 'writes'} and closes a file, waiting on the disk` };
    }
    return null;
  }
  if (callee.type !== 'identifier') return null;
  const definition = sameFileFunction(callee.text, fn, analysis);
  if (!definition || isAsyncFunction(definition)) return null;
  const summary = analysis.summaries.get(definition);
  // a generator function runs nothing when called: its work happens where the generator is consumed
  if (summary.isGenerator) return null;
  // a function of this file that waits on the network, a program or a pause (`is_url_valid(url)` calling
  // `requests.head`): the call blocks the loop as the library call would (round 35: two bots' command handlers); a
  // local file's read or write is left alone, as for a file's own methods spelled in the coroutine
  if (summary.io && summary.io.waits && summary.io.waits !== 'file' && knownBlocking(summary.io)) {
    return { ...base, kind: 'blocking', what: `${callee.text}()`, definition, evidence: `\`${callee.text}\` waits on ${WAITS_ON[summary.io.waits]} (\`${describeEvidence(summary.io)}\` at line ${summary.io.line})` };
  }
  if (!summary.cpu || summary.io) return null;
  const why = describeEvidence(summary.cpu);
  // a single regex or digest is quick: only loops, recursion and the heavy library calls stall a loop
  const heavy = /loop doing arithmetic|recursive arithmetic/.test(why) || [...HEAVY_CPU_CALLS].some((h) => why.includes(h));
  if (!heavy) return null;
  // a loop or recursion is where the time may go, not evidence that it does: the call must be shown to hold
  // the event loop as long as the loops written in a coroutine must (STALL_SECONDS)
  if (!stallsLongEnough(estimator.ofFirstRun([call], enclosingScopes(fn)))) return null;
  // its CPU work is all in library calls that release the GIL (the evidence kept is a GIL-holding one if any): a
  // thread frees the event loop, as for the library call itself
  return { ...base, kind: 'cpu', what: callee.text, definition, releasesGil: !!summary.cpu.releasesGil, evidence: `\`${callee.text}\` is CPU-bound: ${why} (line ${summary.cpu.line})` };
}

/** Calls running a shell command line. */
const TERMINAL_CLEAR_CALLS = /^(os\.system|subprocess\.(run|call|check_call))$/;

/** `"clear"`, `"cls"`, `'cls' if os.name == 'nt' else 'clear'`, `["clear"]`: a command that only clears the terminal. */
function clearsTheTerminal(arg: SyntaxNode | null): boolean {
  if (!arg) return false;
  if (arg.type === 'string') return /^[rbuRBU]?(['"])\s*(clear|cls|reset)\s*\1$/.test(arg.text);
  if (arg.type === 'conditional_expression') {
    const [a, , b] = arg.namedChildren;
    return clearsTheTerminal(a ?? null) && clearsTheTerminal(b ?? null);
  }
  if (arg.type === 'list' && arg.namedChildren.length === 1) return clearsTheTerminal(arg.namedChildren[0] ?? null);
  if (arg.type === 'parenthesized_expression') return clearsTheTerminal(arg.namedChildren[0] ?? null);
  return false;
}

/** Libraries whose calls are synchronous network, process or socket work. */
const SYNC_WAITING_LIBRARIES = /^(requests|urllib\.request|urllib3|http\.client|ftplib|smtplib|poplib|imaplib|telnetlib|subprocess|socket|paramiko|pysftp|pymysql|psycopg2|pymongo|redis|boto3|botocore)\./;

/**
 * Whether a function's wait ends in a call known to block the thread (`is_url_valid → requests.head`, `settle →
 * time.sleep`): a library of synchronous waits, not a constructor or an object whose methods may be coroutines
 * (`get_http_client → httpx.AsyncClient` makes a client and sends nothing; round 36).
 */
function knownBlocking(io: Evidence): boolean {
  const innermost = describeEvidence(io).split(' → ').pop() ?? '';
  return BLOCKING_IN_ASYNC.has(innermost) || SYNC_WAITING_LIBRARIES.test(innermost);
}

/** What a function's wait is on, for the evidence of a call of it. */
const WAITS_ON: Record<Exclude<WaitKind, 'file'>, string> = { network: 'the network', process: 'another program', sleep: 'a pause that suspends the whole thread' };

/** Calls that run a function given as an argument off the event loop. */
const EXECUTOR_CALL = /(^|\.)(run_in_executor|to_thread)$/;

/**
 * Whether another branch of an `if` around the call (in the coroutine's body) runs the same function in an executor
 * (`loop.run_in_executor(pool, f, …)`, `asyncio.to_thread(f, …)`, either with `functools.partial(f, …)`): the
 * coroutine already chose where the call is worth moving off the loop (a size guard, a flag), and the branch that
 * calls it directly is the case it keeps inline.
 */
function offloadedInOtherBranch(call: SyntaxNode, body: SyntaxNode, name: string): boolean {
  for (let p = call.parent; p && p.id !== body.id; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const clauses = p.namedChildren.filter((c) => c.type === 'block' || c.type === 'elif_clause' || c.type === 'else_clause');
    const own = clauses.find((c) => c.startIndex <= call.startIndex && call.endIndex <= c.endIndex);
    if (!own) continue;
    for (const other of clauses) {
      if (other.id === own.id) continue;
      for (const c of other.descendantsOfType('call')) {
        if (!c || !EXECUTOR_CALL.test(dottedName(c.childForFieldName('function')!) ?? '')) continue;
        const args = c.childForFieldName('arguments')?.namedChildren ?? [];
        if (args.some((a) => a.text === name || (a.type === 'call' && /(^|\.)partial$/.test(a.childForFieldName('function')?.text ?? '') && a.childForFieldName('arguments')?.namedChildren[0]?.text === name))) return true;
      }
    }
  }
  return false;
}

/**
 * A string literal, an f-string, a `+` of them, or one repeated a literal count (`"=" * 50`): text whose size the
 * call spells (an f-string's fields are the short values a line of a report is made of). A name or a call could
 * hold megabytes; these are one line.
 */
function spelledText(node: SyntaxNode | null): boolean {
  if (!node) return false;
  if (node.type === 'string' || node.type === 'concatenated_string') return true;
  if (node.type === 'parenthesized_expression') return spelledText(node.namedChildren[0] ?? null);
  if (node.type !== 'binary_operator') return false;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.text;
  if (operator === '+') return spelledText(left) && spelledText(right);
  // a rule drawn as `"=" * 50`: spelled text repeated a count the call spells, still one line
  return operator === '*' && ((spelledText(left) && shortCount(right)) || (shortCount(left) && spelledText(right)));
}

/** An integer literal of at most a line's width or so (`50`, `80`): a repeat count that keeps text one line. */
function shortCount(node: SyntaxNode | null): boolean {
  return node?.type === 'integer' && Number(node.text.replace(/_/g, '')) <= 1000;
}

/** The `def` a plain name calls: a nested one of an enclosing function, else a module-level one. */
function sameFileFunction(name: string, fn: SyntaxNode, analysis: ModuleAnalysis): SyntaxNode | null {
  const scopes = enclosingScopes(fn);
  // most calls name neither a module-level def nor a nested one: decide that without computing scopes
  if (analysis.module.bindings.get(name) !== 'def' && !scopes.some((s) => s.text.includes(`def ${name}`))) return null;
  for (const scope of scopes) {
    if (scopeOf(scope).params.has(name)) return null;
    if (scopeOf(scope).locals.has(name)) {
      let def: SyntaxNode | null = null;
      const body = scope.childForFieldName('body');
      if (!body) return null;
      walk(body, (n) => {
        if (def) return false;
        if (n.type === 'function_definition' && n.childForFieldName('name')?.text === name) def = n;
        return n.type !== 'function_definition' && n.type !== 'class_definition';
      });
      return def;
    }
  }
  return analysis.module.bindings.get(name) === 'def' ? (analysis.module.functions.get(name) ?? null) : null;
}

const OPEN_FUNCTIONS = new Set(['open', 'io.open', 'codecs.open']);

function isOpenCall(node: SyntaxNode | null, fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const f = node?.type === 'call' ? node.childForFieldName('function') : null;
  return !!f && OPEN_FUNCTIONS.has(qualifiedCallee(f, fn, analysis) ?? '');
}

/**
 * The `open(...)` call behind a file receiver: the receiver itself, or the one name bound in the coroutine
 * only by `with open(...) as f` / `f = open(...)`.
 */
function openedFile(receiver: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): SyntaxNode | null {
  if (isOpenCall(receiver, fn, analysis)) return receiver;
  if (receiver.type !== 'identifier' || scopeOf(fn).params.has(receiver.text)) return null;
  const bindings = valuesBound(fn, receiver.text);
  if (bindings.length === 0 || !bindings.every((b) => isOpenCall(b, fn, analysis))) return null;
  // the file opened last before the call (a coroutine reading one file as `f`, then writing another as `f`)
  return bindings.filter((b) => !!b && b.startIndex < receiver.startIndex).pop() ?? bindings[0];
}

function isPath(receiver: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const isPathCall = (n: SyntaxNode | null) => {
    const f = n?.type === 'call' ? n.childForFieldName('function') : null;
    return !!f && qualifiedCallee(f, fn, analysis) === 'pathlib.Path';
  };
  if (isPathCall(receiver)) return true;
  if (receiver.type !== 'identifier' || scopeOf(fn).params.has(receiver.text)) return false;
  const bindings = valuesBound(fn, receiver.text);
  return bindings.length > 0 && bindings.every(isPathCall);
}


/**
 * Whether `receiver` is a password hasher: a name bound (in the coroutine or the module) only to `CryptContext(…)`
 * or `PasswordHasher(…)`, or such a call itself.
 */
function passwordHasher(receiver: SyntaxNode, fn: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const made = (value: SyntaxNode | null): boolean => {
    const f = value?.type === 'call' ? value.childForFieldName('function') : null;
    return !!f && PASSWORD_HASHERS.has(qualifiedCallee(f, fn, analysis) ?? '');
  };
  if (receiver.type === 'call') return made(receiver);
  if (receiver.type !== 'identifier') return false;
  const own = valuesBound(fn, receiver.text);
  const values = own.length > 0 ? own : scopeOf(fn).params.has(receiver.text) ? [] : valuesBound(analysis.module.root, receiver.text);
  return values.length > 0 && values.every(made);
}

/**
 * What a client's call waits on, said for its kind: a `requests.Session`'s request, a boto3 call, a Google API
 * request, a sqlite3 statement… (a Google request's `.execute()` was once called SQL on a sqlite3 connection).
 */
function clientWaitEvidence(client: { kind: ClientKind; method: string; receiver: SyntaxNode }, receiver: SyntaxNode): string {
  const { kind, method } = client;
  const shown = client.receiver.text.split('\n')[0].slice(0, 30);
  switch (kind) {
    case 'requests-session':
      return `\`.${method}()\` on a \`requests.Session\` sends a request and waits for the response`;
    case 'aws-client':
      return `\`.${method}()\` on a boto3 client sends a request to AWS and waits for the response`;
    case 'market-client':
      return `\`.${method}()\` on a market-data client (\`${shown}\`) sends a request and waits for the answer`;
    case 'llm-client':
    case 'llm-chain':
      return `\`.${method}()\` on a synchronous LLM client (\`${client.receiver.text}\`) sends a request and waits seconds for the answer (the provider's async client, awaited, would not block)`;
    case 'google-api':
      return `\`.execute()\` sends the Google API request (\`${method}\` through \`${shown}\`) and waits for the response`;
    case 'api-client':
      return `\`.${method}()\` on a web API's SDK client (\`${shown}\`) sends a request and waits for the response`;
    case 'smtp':
      return `\`.${method}()\` on an SMTP session (\`${shown}\`) sends a command to the mail server and waits for its reply`;
    case 'media-downloader':
      return `\`.${method}()\` on a yt-dlp downloader (\`${shown}\`) fetches the page${method === 'download' || method === 'extract_info' ? ' (and, when it downloads, the media)' : ''} and waits for it`;
    case 'sqlite3':
      return `\`.${method}()\` on a sqlite3 ${receiver.type === 'identifier' ? `connection or cursor (\`${receiver.text}\`)` : 'connection'} runs SQL and waits on the database file`;
    case 'aws-session':
    case 'socket':
    case 'speech-engine':
      return `\`.${method}()\` on \`${shown}\` waits`;
  }
}
