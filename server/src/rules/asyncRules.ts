// PAR203, PAR204: calls that hold the event loop inside an `async def` — blocking I/O (awaited as
// `asyncio.sleep` or in a thread) and CPU-bound work (sent to a process pool with `run_in_executor`).
import { boundAtImport, describeStale, runTimeChanges } from '../analysis/globalState';
import { plainArgumentFor } from '../analysis/effects';
import { bytesOf } from '../analysis/cost';
import { importedName, valuesBound } from '../analysis/scope';
import { asyncioDoubt, FILE_BLOCKING_METHODS, lookupCall } from '../analysis/knowledge';
import { findStallingCalls, PAGE_CACHE_CHUNK, qualifiedCallee, type StallingCall } from '../analysis/asyncCalls';
import { confinedTo, usableFromOtherThreads } from '../analysis/httpClients';
import type { PoolConstruction } from '../analysis/executors';
import type { ModuleAnalysis } from '../analysis/loops';
import { SHUTDOWN_DECORATOR, STARTUP_DECORATOR } from '../analysis/reach';
import type { SyntaxNode } from '../parser';
import { ancestor, enclosingFunction, isAncestorOf, isAsyncFunction, isMainGuard, lineOf, namedChildren, REPEATING_TYPES, spanOf, tokensSpelled, walk } from '../syntax';
import { PicklingProver } from './pickling';
import { checkReturnPickling } from './resultPickling';
import { checkStallingLoops } from './asyncLoopRules';
import { type CallFacts, type Finding, fixTitle } from './types';

/** Library calls whose cost grows with the bytes they are given: compression and hashing. */
const SIZED_WORK = /^(zlib|gzip|bz2|lzma)\.(compress|decompress)$|^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512|blake2b|blake2s|sha3_\w+|new)$/;

/** Below this many bytes, compressing or hashing takes less than a thread hand-off and back (≈ 60 µs measured). */

export interface AsyncContext {
  analysis: ModuleAnalysis;
  pools: PoolConstruction[];
  targetVersion: [number, number];
}

/** The findings on calls that stall an event loop, in the whole module or in the coroutines inside `within`. */
export function checkStallingCalls(ctx: AsyncContext, within?: SyntaxNode[]): Finding[] {
  // a coroutine that is the only task of its event loop (started by `asyncio.run`, in a module that starts no
  // other work beside it) holds up nobody while it blocks or computes: moving the call to a thread gains nothing
  const stalls = findStallingCalls(ctx.analysis, within);
  // the coroutines whose SQLite work is more than a few statements: repeated by a loop, or a bulk statement
  const bulkDatabase = new Set(stalls.filter((s) => s.client === 'sqlite3' && (repeatedInCoroutine(s) || BULK_STATEMENTS.test(s.callee.text))).map((s) => s.coroutine.id));
  const calls = stalls
    .filter((stall) => !(stall.client === 'sqlite3' && !bulkDatabase.has(stall.coroutine.id)))
    .filter((stall) => !soleTask(stall.coroutine, ctx.analysis) && !beforeOtherTasks(stall, ctx.analysis) && !smallFileWork(stall, ctx.analysis) && !whileStarting(stall))
    .map((stall) => (stall.kind === 'blocking' ? blockingFinding(stall, ctx) : cpuFinding(stall, ctx)))
    .filter((f): f is Finding => f !== null);
  return [...oneFindingPerSession(calls), ...checkStallingLoops(ctx, within)];
}

/**
 * The sqlite3 calls of one coroutine that no thread may run alone (the connection checks its thread) share one remedy:
 * move the whole database work off the event loop — as the commands of one SMTP session share moving the mail
 * exchange. One finding on the first, naming the others, instead of one per statement (round 40: ten findings for the
 * four endpoints of one small service).
 */
function oneFindingPerSession(findings: Finding[]): Finding[] {
  const first = new Map<number, Finding>();
  const more = new Map<Finding, number[]>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const stall = f.call?.stall;
    if (f.code !== 'PAR203' || (stall?.client !== 'sqlite3' && stall?.client !== 'smtp') || f.blockers.length === 0) {
      kept.push(f);
      continue;
    }
    const head = first.get(stall.coroutine.id);
    if (head) {
      more.get(head)!.push(lineOf(stall.call));
      continue;
    }
    first.set(stall.coroutine.id, f);
    more.set(f, []);
    kept.push(f);
  }
  for (const [f, lines] of more) {
    const what = f.call?.stall.client === 'smtp' ? 'SMTP' : 'sqlite3';
    if (lines.length > 0) f.message += ` (${lines.length === 1 ? `also the ${what} call at line` : `also the ${lines.length} ${what} calls at lines`} ${lines.join(', ')})`;
  }
  return kept;
}

function callSpan(node: SyntaxNode) {
  const span = spanOf(node);
  if (span.endLine !== span.startLine) {
    span.endLine = span.startLine;
    span.endColumn = span.startColumn + node.text.split('\n')[0].length;
  }
  return span;
}

function coroutineName(stall: StallingCall): string {
  return stall.coroutine.childForFieldName('name')?.text ?? '<coroutine>';
}

function finding(code: 'PAR203' | 'PAR204', stall: StallingCall, message: string, call: CallFacts, title: string, given: string[], blockers: string[]): Finding {
  const foreign = asyncioDoubt(stall.call.tree.text);
  const doubts = foreign ? [...given, foreign] : given;
  const applicability = doubts.length > 0 ? 'unsafe' : 'safe';
  return {
    code,
    name: code === 'PAR203' ? 'blocking-call-in-async' : 'cpu-bound-call-in-async',
    span: callSpan(stall.call),
    message,
    call,
    fixes: blockers.length > 0 ? [] : [{ title: fixTitle(title, applicability), pattern: call.strategy === 'process-executor' ? 'process-executor' : 'await-off-loop', applicability }],
    doubts,
    blockers,
  };
}

/**
 * The fix makes the coroutine yield where it did not: other tasks can then run in between. Harmless unless
 * the coroutine shares state (globals, `self`, mutable arguments) or output with them, and it can only
 * matter when other tasks exist: not for a coroutine only ever started by `asyncio.run(...)` that starts
 * no background task of its own.
 */
export function interleavingDoubts(stall: StallingCall, analysis: ModuleAnalysis, alone: boolean): string[] {
  if (alone) return [];
  const summary = analysis.summaries.get(stall.coroutine);
  const problem = summary.problems.find((p) => p.kind === 'shared-state' || p.kind === 'ordered-effect');
  const param = [...summary.mutatedParams][0];
  let what: string;
  if (problem?.kind === 'ordered-effect') what = `writes output (${problem.name ? `\`${problem.name}\`, ` : ''}line ${problem.line}) that other tasks' output may now interleave with`;
  else if (problem) what = `changes state other tasks may share (${problem.name ? `\`${problem.name}\`, ` : ''}line ${problem.line})`;
  else if (param) what = `changes its argument \`${param}\``;
  else return [];
  return [`\`${coroutineName(stall)}\` now yields at line ${lineOf(stall.call)}, so other tasks can run before it continues, and it ${what}`];
}

/** APIs that leave work running beside the coroutine that called them: tasks, callbacks, servers. */
const BACKGROUND_WORK = /\b(create_task|ensure_future|TaskGroup|run_coroutine_threadsafe|call_soon|call_soon_threadsafe|call_later|call_at|add_reader|add_writer|start_server|create_server|wait|as_completed|shield)\b/;

/**
 * Started only as `asyncio.run(name(...))`, or awaited in place only by coroutines that are, in a module that never
 * leaves background work running (no task, callback or server; no `asyncio.wait`/`as_completed`, which can return
 * with work pending): while it runs its own code, no other task exists.
 */
export function soleTask(coroutine: SyntaxNode, analysis: ModuleAnalysis, visiting = new Set<number>()): boolean {
  if (BACKGROUND_WORK.test(analysis.module.root.text)) return false;
  // `asyncio.run` starts a new event loop whose only task is the coroutine, also in a plain function (`def main():`)
  const runs = asyncioRunsOf(coroutine, analysis, true);
  if (runs !== null && runs.length > 0) return true;
  // awaited in place (`await fetch(url)`), and only by coroutines that are sole tasks themselves: it runs inside
  // their task, with nothing beside it
  const name = coroutine.childForFieldName('name')?.text;
  if (!name || analysis.module.functions.get(name)?.id !== coroutine.id || visiting.has(coroutine.id)) return false;
  visiting.add(coroutine.id);
  const uses = tokensSpelled(analysis.module.root, name, 'identifier').filter((id) => id.parent?.type !== 'function_definition');
  return (
    uses.length > 0 &&
    uses.every((id) => {
      const call = id.parent;
      if (call?.type !== 'call' || call.childForFieldName('function')?.id !== id.id || call.parent?.type !== 'await') return false;
      const caller = enclosingFunction(call);
      return !!caller && isAsyncFunction(caller) && !enclosingFunction(caller) && soleTask(caller, analysis, visiting);
    })
  );
}

/**
 * A call of the coroutine `asyncio.run` starts (and nothing else uses) made before its first `await` and before it
 * starts any other work (a task, a gather, an executor's future): no other task exists yet, so blocking holds up
 * nobody (round 42: a script listing a dataset's files page by page, then downloading them in threads).
 */
function beforeOtherTasks(stall: StallingCall, analysis: ModuleAnalysis): boolean {
  const runs = asyncioRunsOf(stall.coroutine, analysis, true);
  if (!runs || runs.length === 0) return false;
  const body = stall.coroutine.childForFieldName('body');
  if (!body) return false;
  const at = stall.call.startIndex;
  let first = body.endIndex;
  walk(body, (n) => {
    if (n.startIndex >= first) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    // an `await` (an `async for`/`async with` awaits too), or a name that starts work beside it (`create_task`, …)
    const starts = n.type === 'await' || n.type === 'async' || (n.type === 'identifier' && BACKGROUND_WORK.test(n.text));
    if (starts) first = Math.min(first, n.startIndex);
    return true;
  });
  return at < first;
}

/** Runs once per program: started by one top-level `asyncio.run(name(...))` that no loop repeats. */
export function runsOnce(coroutine: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const runs = asyncioRunsOf(coroutine, analysis);
  return runs !== null && runs.length === 1 && !ancestor(runs[0], (n) => n.type === 'for_statement' || n.type === 'while_statement');
}

/**
 * The top-level `asyncio.run(name(...))` calls of a module-level coroutine (with `inFunctions`, also those in plain
 * functions), or null if it is used any other way. A name that is only a part of a dotted module path
 * (`from pkg.main import x`) or an attribute's name (`obj.main`) is not a use.
 */
function asyncioRunsOf(coroutine: SyntaxNode, analysis: ModuleAnalysis, inFunctions = false): SyntaxNode[] | null {
  const name = coroutine.childForFieldName('name')?.text;
  if (!name || analysis.module.functions.get(name)?.id !== coroutine.id) return null;
  const runs: SyntaxNode[] = [];
  const uses = analysis.module.root
    .descendantsOfType('identifier')
    .filter((id) => id?.text === name && id.parent?.type !== 'function_definition' && id.parent?.type !== 'dotted_name' && !(id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id));
  for (const id of uses) {
    const call = id!.parent;
    const outer = call?.type === 'call' && call.parent?.type === 'argument_list' ? call.parent.parent : null;
    const f = outer?.childForFieldName('function');
    const holder = outer ? enclosingFunction(outer) : null;
    if (!f || !outer || (holder && (!inFunctions || isAsyncFunction(holder)))) return null;
    // `asyncio.run(main())`, or the older `asyncio.get_event_loop().run_until_complete(main())`
    if (qualifiedCallee(f, coroutine, analysis) !== 'asyncio.run' && !(f.type === 'attribute' && f.childForFieldName('attribute')?.text === 'run_until_complete')) return null;
    runs.push(outer);
  }
  return runs;
}


/**
 * A call made while a server starts or stops, when it serves nothing: in a start-up hook, or in a lifespan before
 * its `yield`, with no task started above it there — no request waits behind it (round 46: a webhook registered by
 * two `requests` calls in `@app.on_event("startup")`); in a shutdown hook, or in a lifespan after its `yield`, the
 * server has stopped taking requests (round 44: worker processes cleaned up in `@app.on_event("shutdown")`).
 */
function whileStarting(stall: StallingCall): boolean {
  const decorated = stall.coroutine.parent?.type === 'decorated_definition' ? stall.coroutine.parent : null;
  const decorators = decorated ? namedChildren(decorated).filter((d) => d.type === 'decorator') : [];
  if (decorators.some((d) => SHUTDOWN_DECORATOR.test(d.text))) return true;
  if (!decorators.some((d) => STARTUP_DECORATOR.test(d.text)) || !isLifespan(stall.coroutine, decorators)) return false;
  const body = stall.coroutine.childForFieldName('body');
  if (!body) return false;
  let before = true;
  let afterYield = false;
  walk(body, (n) => {
    if (afterYield || n.startIndex >= stall.call.startIndex) return false;
    if (n.type === 'function_definition' || n.type === 'lambda') return false;
    // a lifespan's `yield` statement at the top of its body (or of a `try`) hands the server over: what follows
    // runs once it stops
    if (n.type === 'yield' && n.endIndex <= stall.call.startIndex && yieldsToServer(n, body)) afterYield = true;
    if (n.type === 'yield' || (n.type === 'identifier' && BACKGROUND_WORK.test(n.text))) before = false;
    return true;
  });
  return before || afterYield;
}

/**
 * A start-up hook, or an async context manager the server runs around its life: named `lifespan`, or handed to the
 * app as `lifespan=` in the file. Another one (`async with session() as db` in a route) runs per request.
 */
function isLifespan(coroutine: SyntaxNode, decorators: SyntaxNode[]): boolean {
  if (decorators.some((d) => /\.on_event\(/.test(d.text))) return true;
  const name = coroutine.childForFieldName('name')?.text ?? '';
  if (/lifespan/i.test(name)) return true;
  const root = ancestor(coroutine, (p) => p.type === 'module');
  return !!root && root.descendantsOfType('keyword_argument').some((k) => k.childForFieldName('name')?.text === 'lifespan' && k.childForFieldName('value')?.text === name);
}

/** A `yield` that is a statement of the lifespan's body or of a `try` in it (not inside a loop or a branch). */
function yieldsToServer(y: SyntaxNode, body: SyntaxNode): boolean {
  let statement = y.parent;
  if (statement?.type !== 'expression_statement') return false;
  for (let block = statement.parent; block; block = block.parent?.parent ?? null) {
    if (block.id === body.id) return true;
    if (block.type !== 'block' || block.parent?.type !== 'try_statement') return false;
  }
  return false;
}

/** Local file work on whole trees or archives: many files, or one file much larger than its parts. */
const TREE_FILE_CALLS = /^shutil\.(copytree|rmtree|make_archive|unpack_archive)$/;

/** A whole stream copied into another (`shutil.copyfileobj(segment, out)`): as much data as the source holds. */
const STREAM_COPY_CALLS = /^shutil\.copyfileobj$/;

/**
 * Local file work on one file whose size the code does not show (a copy, a read, a removal, a check it exists):
 * most such files come from the page cache in microseconds to a millisecond, about what handing the call to a
 * thread and back costs (≈ 60 µs); the event loop was held up for no longer than that (round 41: two thumbnail
 * reads 7× slower in a thread; round 44: copies of students' source files before each grading, judged no gain).
 * A write of a buffer shown to be large, and work on whole trees, still block it.
 */
function smallFileWork(stall: StallingCall, analysis: ModuleAnalysis): boolean {
  if (!stall.disk || (TREE_FILE_CALLS.test(stall.what) && !requestScratch(stall)) || STREAM_COPY_CALLS.test(stall.what) || largeWrite(stall.call, analysis)) return false;
  // a write to an open file lands in its buffer, then in the page cache: microseconds each, however often a loop
  // repeats it — what the loop computes between the writes is what holds the event loop (round 67: an EPUB's
  // chapters written out one by one after each was parsed)
  if (bufferedWrite(stall)) return true;
  return !repeatedInCoroutine(stall);
}

/** `f.write(text)` / `f.writelines(lines)` on a file object (not a `Path.write_text`, which opens, writes and closes). */
function bufferedWrite(stall: StallingCall): boolean {
  const f = stall.call.childForFieldName('function');
  if (f?.type !== 'attribute' || !/^(write|writelines)$/.test(f.childForFieldName('attribute')?.text ?? '') || /\bbuffering\s*=\s*0\b/.test(stall.coroutine.text)) return false;
  // a copy loop (`while chunk := source.read(CHUNK): target.write(chunk)`) moves a whole stream, an archive member
  // being decompressed: its reads and writes add up to the stream's size (round 57: tool archives of 100 MB)
  for (let p = stall.call.parent; p && p.id !== stall.coroutine.id; p = p.parent) {
    if ((p.type === 'while_statement' || p.type === 'for_statement') && /\.read\w*\(/.test(p.text)) return false;
  }
  return true;
}

/**
 * SQLite statements that work through many rows at once. A coroutine running only a few single statements on a
 * local SQLite file holds the event loop for microseconds to a millisecond — an application's tables — about what
 * the hand-off to a thread costs (judged too little to move in ten CRUD handlers of a book tracker and in a network
 * monitor's endpoints): its database work is reported when a loop repeats it or a bulk statement is among it.
 */
const BULK_STATEMENTS = /\.(executemany|executescript)$/;

/**
 * Whether a loop of the coroutine repeats the call (`for p in paths: Path(p).read_text()`), so that the waits add up —
 * unless the loop leaves right after it (`for p in candidates: if p.exists(): return p.read_text()`: one file is read),
 * or awaits beside it each time it runs (`await channel.send(…)`, then `c.execute(…)`): the event loop runs its other
 * tasks between two calls, so each holds it up once, not the sum (round 64: a price bot's one-row sqlite `UPDATE` per
 * changed price, after the message announcing it).
 */
function repeatedInCoroutine(stall: StallingCall): boolean {
  let leaves = false;
  let iterated: SyntaxNode | null = null; // a loop or comprehension whose iterable (evaluated once) holds the call
  for (let p: SyntaxNode | null = stall.call, child: SyntaxNode | null = null; p && p.id !== stall.coroutine.id; child = p, p = p.parent) {
    if (p.type === 'return_statement') leaves = true;
    if (p.type === 'block' && child && (endsByLeaving(p, child) || awaitsBeside(p, child))) leaves = true;
    // `for row in cur.fetchall():`, `[dict(r) for r in cur.fetchall()]`: the iterable is evaluated once
    if (p.type === 'for_statement' && p.childForFieldName('right')?.id === child?.id) iterated = p;
    if (p.type === 'for_in_clause' && p.childForFieldName('right')?.id === child?.id && p.parent?.namedChildren.find((c) => c?.type === 'for_in_clause')?.id === p.id) iterated = p.parent;
    // (`for header, path in [(a, x), (b, y)]:`: two or three passes spelled out are not a repetition that adds up)
    if (REPEATING_TYPES.has(p.type) && !leaves && p.id !== iterated?.id && !fewSpelledPasses(p)) return true;
  }
  return false;
}

/** A `for` over a list or tuple literal of at most three items: passes spelled out, not a repetition. */
function fewSpelledPasses(loop: SyntaxNode): boolean {
  const items = loop.type === 'for_statement' ? loop.childForFieldName('right') : null;
  return (items?.type === 'list' || items?.type === 'tuple') && namedChildren(items).filter((c) => c.type !== 'comment').length <= 3 && !namedChildren(items).some((c) => c.type === 'list_splat');
}

/** A directory spelled as temporary, or as a request's downloads (`/tmp/…`, `tmp_dir`, `mkdtemp()`, `downloads/{chat_id}`). */
const SCRATCH_PATH = /(^|[^a-z])(te?mp|temporary|mkdtemp|scratch|downloads?)([^a-z]|$)/i;

/**
 * A `shutil.rmtree` of the scratch directory a handler made for its own request (a temporary directory, a
 * per-request downloads folder: its argument, or the value it is bound to in the coroutine, says so): it holds the
 * few files that request wrote, removed in a millisecond or so (round 53: fourteen clean-ups of a bot's downloads
 * after each reply, judged too little to hand to a thread).
 */
function requestScratch(stall: StallingCall): boolean {
  if (stall.what !== 'shutil.rmtree') return false;
  const target = namedChildren(stall.call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
  if (!target) return false;
  const spelled = [target, ...(target.type === 'identifier' ? valuesBound(stall.coroutine, target.text).filter((v): v is SyntaxNode => v !== null) : [])];
  return spelled.some((v) => SCRATCH_PATH.test(v.text.replace(/\s+/g, ' ')));
}

/** A block with a statement other than `child` that awaits whenever it runs: `await f()`, `x = await f()`, at its top. */
function awaitsBeside(block: SyntaxNode, child: SyntaxNode): boolean {
  return namedChildren(block).some((s) => {
    if (s.id === child.id || s.type !== 'expression_statement') return false;
    const e = s.namedChildren[0];
    const value = e?.type === 'assignment' || e?.type === 'augmented_assignment' ? e.childForFieldName('right') : e;
    return value?.type === 'await';
  });
}

/** A block whose statement `child` (or one after it) leaves the loop around it: a `return` or a `break` at its top. */
function endsByLeaving(block: SyntaxNode, child: SyntaxNode): boolean {
  const statements = namedChildren(block).filter((s) => s.type !== 'comment');
  const at = statements.findIndex((s) => s.id === child.id);
  return at >= 0 && statements.slice(at).some((s) => s.type === 'return_statement' || s.type === 'break_statement');
}

/**
 * The first call in a blocking call's arguments that is not known to be light (`img2pdf.convert(pages)`, a function
 * of the file): work the fix leaves on the event loop. Null when the arguments are names, literals or light calls.
 */
function argumentWork(call: SyntaxNode, coroutine: SyntaxNode, analysis: ModuleAnalysis): string | null {
  const args = call.childForFieldName('arguments');
  if (!args) return null;
  for (const inner of args.descendantsOfType('call')) {
    if (!inner) continue;
    const fn = inner.childForFieldName('function');
    if (!fn) continue;
    const qualified = qualifiedCallee(fn, coroutine, analysis) ?? fn.text;
    const known = lookupCall(qualified);
    if (known && known.work === 'light') continue;
    // a method of a value (`data.encode()`, `json.dumps(x).encode()`): cheap string and bytes work
    if (!known && fn.type === 'attribute' && !analysis.module.bindings.has(fn.text.split('.')[0])) continue;
    return inner.text.split('\n')[0].slice(0, 40);
  }
  return null;
}

/** A `.write(data)` whose data is shown to be large (a buffer of at least PAGE_CACHE_CHUNK bytes). */
function largeWrite(call: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const f = call.childForFieldName('function');
  if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'write') return false;
  const data = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
  const bytes = data ? bytesOf(data, analysis.module) : undefined;
  return bytes !== undefined && bytes >= PAGE_CACHE_CHUNK;
}

function blockingFinding(stall: StallingCall, ctx: AsyncContext): Finding {
  const alone = soleTask(stall.coroutine, ctx.analysis);
  const strategy: CallFacts['strategy'] = stall.sleep ? 'sleep' : ctx.targetVersion[1] >= 9 ? 'to-thread' : 'thread-executor';
  const how = stall.sleep ? 'await `asyncio.sleep` instead' : strategy === 'to-thread' ? 'run it with `asyncio.to_thread`' : 'run it in the default executor';
  const title = stall.sleep ? 'Await asyncio.sleep instead' : strategy === 'to-thread' ? 'Run it in a thread with asyncio.to_thread' : 'Run it in a thread with loop.run_in_executor';
  const { doubts, blockers } = clientDoubts(stall, ctx.analysis, alone);
  doubts.push(...definitionDoubts(stall, ctx.analysis));
  // work on a tree of a size the code does not show (one file's work is not reported: smallFileWork): a folder of a
  // few files copied or removed takes microseconds to a few milliseconds, where the hop to a thread and back costs
  // ≈ 60 µs
  if (stall.disk && !largeWrite(stall.call, ctx.analysis)) {
    // a file object's read or write moves data, a path function or `shutil` works on a file or a tree
    const method = stall.callee.type === 'attribute' ? stall.callee.childForFieldName('attribute')!.text : '';
    const moved = FILE_BLOCKING_METHODS.has(method) || STREAM_COPY_CALLS.test(stall.what);
    const what = moved ? 'moves an amount of data the code does not show' : TREE_FILE_CALLS.test(stall.what) ? 'works on a folder tree whose size the code does not show' : 'works on a file whose size the code does not show';
    doubts.push(`that the thread pays off: \`${stall.what}\` ${what}; a small one takes less than handing the call to a thread and back (≈ 60 µs)`);
  }
  const pace = stall.sleep && !alone ? pacedAwait(stall.call, stall.coroutine) : null;
  if (pace) doubts.push(`that the pause is not a rate limit: \`${stall.what}\` comes before \`${pace.text.split('(')[0].split('\n')[0].slice(0, 40)}\` (line ${lineOf(pace)}), and blocking, it spaces the calls of every task running this coroutine; awaited, those tasks would sleep at the same time and then call at once — to keep one call at a time, a pause apart, hold an \`asyncio.Lock\` (or \`Semaphore(n)\`) around the \`await asyncio.sleep\` and the call`);
  // `f.write(img2pdf.convert(pages))`: the argument is computed before the thread starts, on the event loop
  const inner = stall.sleep ? null : argumentWork(stall.call, stall.coroutine, ctx.analysis);
  if (inner) doubts.push(`that the wait was the slow part: the argument \`${inner}\` is still computed on the event loop before the thread starts (run the whole expression in the thread, \`asyncio.to_thread(lambda: …)\`, if it is slow)`);
  return finding(
    'PAR203',
    stall,
    `\`${stall.what}\` blocks the event loop inside \`async def ${coroutineName(stall)}\`: ${blockers.length > 0 ? `move the ${stall.client === 'smtp' ? 'mail exchange' : 'database work'} off the event loop` : how}`,
    { stall, strategy, alone },
    title,
    [...interleavingDoubts(stall, ctx.analysis, alone), ...doubts],
    blockers,
  );
}

/**
 * The first `await` after a blocking sleep in the same coroutine (`time.sleep(2)` then `await page.goto(url)`), or
 * null: the blocking pause spaces the awaited calls of all the tasks running the coroutine, one pause each (round 64:
 * a LeetCode crawler pacing gathered page loads "the server does not permit short intervals").
 */
function pacedAwait(sleep: SyntaxNode, coroutine: SyntaxNode): SyntaxNode | null {
  // a pause of a few milliseconds (`time.sleep(0.001)`) yields, it paces nothing a service would limit
  const seconds = sleep.childForFieldName('arguments')?.namedChildren.find((a) => a.type !== 'comment');
  if (seconds && (seconds.type === 'float' || seconds.type === 'integer') && Number(seconds.text) < 0.1) return null;
  let found: SyntaxNode | null = null;
  walk(coroutine.childForFieldName('body') ?? coroutine, (n) => {
    if (found) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (n.type === 'await' && n.startIndex > sleep.endIndex) found = n.namedChildren[0] ?? n;
    return !found;
  });
  return found;
}

/** What a function of this file run in a thread does beside the other tasks: its effects, its arguments changed. */
function definitionDoubts(stall: StallingCall, analysis: ModuleAnalysis): string[] {
  if (!stall.definition) return [];
  const doubts: string[] = [];
  const summary = analysis.summaries.get(stall.definition);
  for (const p of summary.problems) {
    doubts.push(p.kind === 'unknown' ? `${p.message} (line ${p.line}), so \`${stall.what}\` is not proven pure` : `\`${stall.what}\` ${p.kind === 'ordered-effect' ? 'writes output' : 'changes shared state'} (${p.name ? `\`${p.name}\`, ` : ''}line ${p.line}): in a thread it does so while other tasks run`);
  }
  for (const param of summary.mutatedParams) {
    if (plainArgumentFor(stall.call, stall.definition, param)) doubts.push(`\`${stall.what}\` changes its argument \`${param}\` in place: in a thread it does so while other tasks may use it`);
  }
  return doubts;
}

/**
 * A client object's method run in a thread: a sqlite3 connection refuses use from a thread other than its
 * creator's unless opened with `check_same_thread=False` (no fix then); a `requests.Session` other tasks may use
 * at the same time would be used by several threads at once, which requests does not document as safe.
 */
function clientDoubts(stall: StallingCall, analysis: ModuleAnalysis, alone: boolean): { doubts: string[]; blockers: string[] } {
  const receiver = stall.callee.type === 'attribute' ? stall.callee.childForFieldName('object') : null;
  if (!stall.client || !receiver) return { doubts: [], blockers: [] };
  if (stall.client === 'smtp') {
    // each command is a round trip of one conversation: handing them to threads one by one leaves the session's
    // order to the threads, and the loop still waits between them — the exchange moves as a whole
    return {
      doubts: [],
      blockers: ['an SMTP session is one conversation with the server (connect, log in, send, quit), each command a round trip: move the whole exchange into one function and run that with `asyncio.to_thread`, or use an async client (aiosmtplib)'],
    };
  }
  if (stall.client === 'sqlite3') {
    if (usableFromOtherThreads(receiver, analysis.module)) return { doubts: [], blockers: [] };
    return {
      doubts: [],
      blockers: [
        `the sqlite3 connection was opened without \`check_same_thread=False\`, so sqlite3 raises \`ProgrammingError\` when another thread uses it: move the whole database work (connect, queries, close) into one function and run that with \`asyncio.to_thread\`, or use an async driver (aiosqlite)`,
      ],
    };
  }
  // yt-dlp writes its progress and messages to the terminal as it goes unless told to be quiet: in a thread, they
  // reach the terminal while other tasks print
  if (stall.client === 'media-downloader' && !alone && !/["']quiet["']\s*:\s*True\b|\bquiet\s*=\s*True\b/.test(stall.coroutine.text)) {
    const shared = confinedTo(receiver, stall.coroutine, analysis.module) ? [] : [`other tasks may use the same \`YoutubeDL\` (\`${receiver.text.split('\n')[0].slice(0, 40)}\`) at the same time, from other threads: yt-dlp does not document it as safe to share`];
    return { doubts: [`yt-dlp prints its progress and messages as it works (\`quiet\` is not set in \`${stall.coroutine.childForFieldName('name')?.text}\`): in a thread, that output may interleave with other tasks' output`, ...shared], blockers: [] };
  }
  // boto3's clients are documented as safe to share between threads; the other clients are not shown to be
  if (stall.client === 'aws-client' || alone || confinedTo(receiver, stall.coroutine, analysis.module)) return { doubts: [], blockers: [] };
  if (stall.client !== 'requests-session') {
    return { doubts: [`other tasks may call the same client (\`${receiver.text.split('\n')[0].slice(0, 40)}\`) at the same time, from other threads: it is not documented as safe to share between threads`], blockers: [] };
  }
  return { doubts: ['other tasks may send requests through the same `requests.Session` at the same time, from other threads: requests does not document `Session` as thread-safe (its connection pool is; cookies set by one response may or may not reach a concurrent request)'], blockers: [] };
}

/** Evidence of a function's CPU work (`` `parse` is CPU-bound: gzip.decompress (line 198) ``) naming only compression and hashing calls. */
function sizedWorkOnly(evidence: string): boolean {
  const calls = evidence.replace(/^`[^`]*` is CPU-bound: /, '').split(', ').map((e) => e.replace(/\s*\(line \d+\)$/, '').trim());
  return calls.length > 0 && calls.every((c) => SIZED_WORK.test(c));
}

/** Whether an argument of `call` is a buffer shown to hold at least PAGE_CACHE_CHUNK bytes. */
function handsLargeData(call: SyntaxNode, analysis: ModuleAnalysis): boolean {
  const args = call.childForFieldName('arguments');
  return !!args && namedChildren(args).some((a) => {
    const value = a.type === 'keyword_argument' ? a.childForFieldName('value') : a.type === 'comment' ? null : a;
    const bytes = value ? bytesOf(value, analysis.module) : undefined;
    return bytes !== undefined && bytes >= PAGE_CACHE_CHUNK;
  });
}

/** The PAR204 finding on a CPU-bound call, or null when its data is not shown to be large enough to matter. */
function cpuFinding(stall: StallingCall, ctx: AsyncContext): Finding | null {
  const { analysis } = ctx;
  const alone = soleTask(stall.coroutine, analysis);
  const doubts = interleavingDoubts(stall, analysis, alone);
  if (stall.releasesGil) {
    // the library computes without the GIL: a thread frees the loop, with nothing pickled and no process started
    const strategy: CallFacts['strategy'] = ctx.targetVersion[1] >= 9 ? 'to-thread' : 'thread-executor';
    // a function of this file doing that work: in a thread it runs beside the other tasks, sharing what they share
    doubts.push(...definitionDoubts(stall, analysis));
    // compressing or hashing a buffer costs with its size: a few kilobytes take less than handing them to a thread
    // (round 26: gzip of 6 KB went from 27 to 78 µs a call once moved to a thread)
    const sized = SIZED_WORK.test(importedName(stall.callee.text, analysis.module) ?? stall.callee.text);
    const data = sized ? namedChildren(stall.call.childForFieldName('arguments')!).find((a) => a.type !== 'keyword_argument' && a.type !== 'comment') : undefined;
    const bytes = data ? bytesOf(data, analysis.module) : undefined;
    // a buffer of a size the code does not show is most often small (round 29: frames of an API's records, 0.6 µs to
    // 0.2 ms a call): the stall is shown only for data shown to be large
    if (sized && (bytes === undefined || bytes < PAGE_CACHE_CHUNK)) return null;
    // so for a function of the file whose only such work is compressing or hashing what it is handed (round 65: a
    // response body gunzipped, then parsed by `json.loads`, which holds the GIL: no gain measured in a thread)
    if (stall.definition && sizedWorkOnly(stall.evidence) && !handsLargeData(stall.call, analysis)) return null;
    return finding(
      'PAR204',
      stall,
      `\`${stall.what}\` is CPU-bound and stalls the event loop inside \`async def ${coroutineName(stall)}\`: ${stall.definition ? 'its work is in library calls that release' : 'it releases'} the GIL, so run it in a thread with \`${strategy === 'to-thread' ? 'asyncio.to_thread' : 'run_in_executor'}\``,
      { stall, strategy, alone },
      strategy === 'to-thread' ? 'Run it in a thread with asyncio.to_thread' : 'Run it in a thread with loop.run_in_executor',
      doubts,
      [],
    );
  }
  const blockers: string[] = [];
  const def = stall.definition;
  if (def) {
    const conditions = processWorkerConditions(def, stall.what, analysis, (param) => !!plainArgumentFor(stall.call, def, param));
    blockers.push(...conditions.blockers);
    doubts.push(...conditions.doubts);
  }
  const prover = new PicklingProver(analysis);
  const args = stall.call.childForFieldName('arguments');
  for (const arg of args ? namedChildren(args) : []) {
    if (arg.type === 'comment') continue;
    const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value')! : arg;
    if (arg.type.endsWith('splat')) {
      doubts.push(`cannot prove that the unpacked arguments \`${arg.text}\` can be pickled`);
      continue;
    }
    const verdict = prover.value(value, stall.coroutine);
    if (verdict === 'no') blockers.push(`the argument \`${value.text}\` cannot be pickled`);
    else if (verdict === 'unknown') doubts.push(`cannot prove that the argument \`${short(value.text)}\` can be pickled (it is sent to the worker process)`);
  }
  const pool = poolInScope(stall, ctx.pools);
  const newPool = pool ? undefined : newProcessPool(stall.coroutine, analysis, ctx.targetVersion);
  return finding(
    'PAR204',
    stall,
    `\`${stall.what}\` is CPU-bound and stalls the event loop inside \`async def ${coroutineName(stall)}\`: run it in a process pool with \`run_in_executor\``,
    { stall, strategy: 'process-executor', pool, newPool, alone },
    pool ? `Run it in \`${pool}\` with run_in_executor` : 'Run it in a ProcessPoolExecutor with run_in_executor',
    doubts,
    blockers,
  );
}

/**
 * What must hold for the same-file function `def` to run in a worker process instead of here (a thread, the event
 * loop): it can be imported there by name, it neither writes output nor changes shared state (both would happen in
 * the worker's copy), the arguments it changes in place are not the caller's (`mutatesArgument`), the globals it
 * reads have the same value in a spawned worker, and what it returns pickles back.
 */
export function processWorkerConditions(def: SyntaxNode, name: string, analysis: ModuleAnalysis, mutatesArgument: (param: string) => boolean): { blockers: string[]; doubts: string[] } {
  const blockers: string[] = [];
  const doubts: string[] = [];
  const summary = analysis.summaries.get(def);
  if (analysis.module.functions.get(name)?.id !== def.id) blockers.push(`\`${name}\` is a nested function, which a worker process cannot import`);
  else if (ancestor(def, isMainGuard)) blockers.push(`\`${name}\` is defined under \`if __name__ == "__main__":\`, so a spawned worker importing the module cannot find it`);
  if (def.descendantsOfType('yield').some((y) => y && enclosingDef(y)?.id === def.id)) blockers.push(`\`${name}\` is a generator: its result cannot be pickled back`);
  for (const p of summary.problems) {
    if (p.kind === 'unknown') doubts.push(`${p.message} (line ${p.line}), so \`${name}\` is not proven pure`);
    else if (p.kind === 'ordered-effect') blockers.push(`\`${name}\` writes output (line ${p.line}): from a worker process it is no longer ordered with the program's`);
    else blockers.push(`\`${name}\` changes shared state (${p.name ? `\`${p.name}\`, ` : ''}line ${p.line}): in a worker process the change happens in a copy and is lost`);
  }
  // `data[k] = v`, `items.append(x)` on a parameter: a worker process changes its own copy of the argument
  for (const param of summary.mutatedParams) {
    if (mutatesArgument(param)) blockers.push(`\`${name}\` changes its argument \`${param}\` in place: in a worker process it changes a copy, and the caller's object stays as it was`);
  }
  // only under the guard: missing in a spawned worker (also bound at import: stale there, doubted below)
  const guarded = [...summary.globalsRead].filter((g) => assignedUnderMainGuard(g, analysis) && !boundAtImport(g, analysis.module));
  if (guarded.length > 0) blockers.push(`\`${name}\` reads \`${guarded.join('`, `')}\`, assigned under \`if __name__ == "__main__":\`: a spawned worker does not have it`);
  const rebound = [...summary.globalsRead].filter((g) => reboundAtRunTime(g, analysis));
  if (rebound.length > 0) doubts.push(`\`${name}\` reads \`${rebound.join('`, `')}\`, which a function rebinds (\`global\`): a worker process sees the value the module had when it was imported`);
  // changed in place (`CONFIG["k"] = v` under the guard, `LIMITS.append(v)` in a function): the worker has the import-time value
  const changes = runTimeChanges(analysis.module);
  for (const g of summary.globalsRead) {
    const change = changes.get(g);
    if (change && !guarded.includes(g) && !rebound.includes(g)) doubts.push(describeStale({ name: g, reader: name, change }));
  }
  const decorators = def.parent?.type === 'decorated_definition' ? namedChildren(def.parent).filter((d) => d.type === 'decorator' && !/^@\s*(functools\.)?(lru_cache|cache)\b/.test(d.text)) : [];
  const returned = checkReturnPickling(def, analysis);
  blockers.push(...returned.blockers);
  doubts.push(...returned.doubts);
  if (decorators.length > 0) doubts.push(`\`${name}\` is decorated (\`${decorators[0].text}\`): whether the decorated object pickles by name is not proven`);
  return { blockers, doubts };
}

function enclosingDef(node: SyntaxNode): SyntaxNode | null {
  return ancestor(node, (a) => a.type === 'function_definition' || a.type === 'lambda');
}

function reboundAtRunTime(name: string, analysis: ModuleAnalysis): boolean {
  return analysis.module.root.descendantsOfType('global_statement').some((g) => !!g && namedChildren(g).some((n) => n.text === name));
}

function assignedUnderMainGuard(name: string, analysis: ModuleAnalysis): boolean {
  return namedChildren(analysis.module.root).some((s) => {
    if (!isMainGuard(s)) return false;
    let found = false;
    walk(s, (n) => {
      if (n.type === 'assignment' && n.childForFieldName('left')?.text === name) found = true;
      return !found && n.type !== 'function_definition';
    });
    return found;
  });
}

/**
 * A `ProcessPoolExecutor` the call can use: a `with` block around it, a local assigned before it, a
 * parameter annotated as one, or `self.<attr>` assigned one in the coroutine's class.
 */
export function poolInScope(stall: StallingCall, pools: PoolConstruction[]): string | undefined {
  const { call, coroutine } = stall;
  for (const pool of pools) {
    if (pool.api !== 'ProcessPoolExecutor') continue;
    const binding = pool.binding;
    if (binding.kind === 'with' && pool.function?.id === coroutine.id) {
      const block = ancestor(pool.call, (n) => n.type === 'with_statement')?.childForFieldName('body');
      if (block && isAncestorOf(block, call)) return binding.name;
    }
    if (binding.kind === 'name' && pool.function?.id === coroutine.id && binding.statement.endIndex < call.startIndex && isAncestorOf(binding.statement.parent!, call)) return binding.name;
    if (binding.kind === 'attribute' && /^self\.\w+$/.test(binding.text) && firstParameter(coroutine) === 'self') {
      const cls = ancestor(coroutine, (n) => n.type === 'class_definition');
      if (cls && isAncestorOf(cls, pool.call)) return binding.text;
    }
  }
  const parameters = coroutine.childForFieldName('parameters');
  for (const p of parameters ? namedChildren(parameters) : []) {
    if ((p.type === 'typed_parameter' || p.type === 'typed_default_parameter') && /(^|\.)ProcessPoolExecutor$/.test(p.childForFieldName('type')?.text ?? '')) {
      const name = p.childForFieldName('name') ?? namedChildren(p).find((c) => c.type === 'identifier');
      if (name) return name.text;
    }
  }
  return undefined;
}

function firstParameter(fn: SyntaxNode): string | undefined {
  const parameters = fn.childForFieldName('parameters');
  return parameters ? namedChildren(parameters)[0]?.text : undefined;
}

function short(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

/**
 * Where a process pool the fix must create lives: around the statement when the coroutine runs once per
 * program; otherwise one per program, made on first use (a pool per call of a coroutine that runs many times
 * would cost a start-up each time).
 */
export function newProcessPool(coroutine: SyntaxNode, analysis: ModuleAnalysis, targetVersion: readonly [number, number]): NonNullable<CallFacts['newPool']> {
  return runsOnce(coroutine, analysis) ? { scope: 'statement' } : { scope: 'module', decorator: targetVersion[1] >= 9 ? 'functools.cache' : 'functools.lru_cache(maxsize=None)' };
}
