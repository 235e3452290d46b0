// PAR101, PAR102, PAR103, PAR201, PAR202: loops whose iterations are independent, by the pattern that
// parallelises them. Each rule only reads LoopFacts; the rewrite itself lives in transforms/.
import type { Evidence } from '../analysis/effects';
import { describeEvidence, heaviestFirst, waitsOnlyOnPrograms } from '../analysis/effects';
import { asyncioDoubt, foreignEventLoop } from '../analysis/knowledge';
import type { LoopFacts } from '../analysis/model';
import type { ModuleAnalysis } from '../analysis/loops';
import { planRequests } from '../analysis/requests';
import { siteWhere } from '../analysis/reach';
import type { SyntaxNode } from '../parser';
import { type ModuleInfo, scopeOf } from '../analysis/scope';
import { ancestor, isAsyncFunction, tokensSpelled, walk } from '../syntax';
import { requestsContext } from '../transforms/aiohttpRewrite';
import { progressWrapper } from '../transforms/loopRewrite';
import { checkPickling, checkRestoredGlobals, type PicklingReport } from './pickling';
import { attributesSetElsewhere } from '../analysis/globalState';
import { checkResultPickling } from './resultPickling';
import { VECTOR_RULES } from './vectorRules';
import { type Applicability, type Finding, type FixOption, fixTitle, type LoopRule, type RuleContext } from './types';

function isReported(loop: LoopFacts): boolean {
  return loop.independence !== 'dependent' && loop.rejections.length === 0;
}

function firstEvidence(loop: LoopFacts, kind: Evidence['kind']): string {
  const e = heaviestFirst(loop.evidence).find((x) => x.kind === kind);
  return e ? `\`${e.what}\`` : 'its body';
}

/** File checks that only look a path up (`os.path.isfile`, `Path.exists`): microseconds, no wait worth naming. */
const PATH_CHECKS = /(^|\.)(isfile|isdir|exists|getsize|getmtime|stat|is_file|is_dir|lstat)$/;

/**
 * Whether a thread-pool loop's work is library computation that releases the GIL (`cv2.imread`, `Image.resize`) and
 * its only waits are path checks: the headline then names the computing, not a `stat` (round 37: 4K frames
 * converted with OpenCV, headlined "block on I/O (`os.path.isfile`)").
 */
function gilFreeComputing(loop: LoopFacts): boolean {
  const io = loop.evidence.filter((e) => e.kind === 'io');
  const cpu = loop.evidence.filter((e) => e.kind === 'cpu');
  return io.length > 0 && cpu.length > 0 && io.every((e) => PATH_CHECKS.test(e.what) && !e.via) && cpu.every((e) => !!e.releasesGil);
}

/** `, besides computing (…)` where the loop also computes; `and compute` where the same call does both. */
function besidesComputing(loop: LoopFacts): string {
  if (!loop.evidence.some((e) => e.kind === 'cpu')) return '';
  const cpu = firstEvidence(loop, 'cpu');
  return cpu === firstEvidence(loop, 'io') ? ' and compute' : `, besides computing (${cpu})`;
}

/**
 * Why a comprehension's rewrite cannot be made: it sits in a compound statement's header (`if all(… for x in xs):`,
 * `while any(…):`), where no pool can be opened around the statement (round 31: a fix counted but refused by `fix`).
 */
function notInSimpleStatement(loop: LoopFacts): string[] {
  if (loop.kind !== 'comprehension') return [];
  let statement: SyntaxNode | null = loop.node;
  while (statement?.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') statement = statement.parent;
  return statement && (statement.type === 'expression_statement' || statement.type === 'return_statement') ? [] : [`the comprehension sits in the header of a compound statement (\`${statement?.text.split('\n')[0].slice(0, 40) ?? '…'}\`), where no pool can be opened around it: assign its value to a name on the line before`];
}

interface FixCandidate {
  title: string;
  pattern: FixOption['pattern'];
  blockers?: string[];
  /** What this fix alone could not prove. */
  doubts?: string[];
}

/** Builtins the rewrites call in the loop's scope (`list(executor.map(…))`, `min(32, len(items))`, `zip(…)`, `iter`). */
const REWRITE_BUILTINS = new Set(['list', 'min', 'len', 'zip', 'iter', 'next', 'enumerate', 'range', 'tuple', 'dict', 'set', 'sorted', 'print', 'isinstance']);

/**
 * A builtin the rewrite calls that the loop's function (or, for a module-level loop, the module) rebinds: the
 * rewritten code would call the local value (`list = []` then `list(executor.map(…))`: TypeError).
 */
function shadowedBuiltin(loop: LoopFacts, module: ModuleInfo): string | null {
  const scope = loop.function ? scopeOf(loop.function) : null;
  const bound = (name: string) => module.bindings.has(name) || !!scope?.locals.has(name) || !!scope?.params.has(name);
  return [...REWRITE_BUILTINS].find(bound) ?? null;
}

function finding(rule: LoopRule, loop: LoopFacts, ctx: RuleContext, message: string, fixes: FixCandidate[], doubts: string[], declined: string[] = []): Finding {
  const shadowed = shadowedBuiltin(loop, ctx.analysis.module);
  if (shadowed) fixes = fixes.map((f) => ({ ...f, blockers: [`\`${shadowed}\` is rebound ${loop.function ? 'in the function' : 'in the module'}, and the rewrite calls the builtin \`${shadowed}()\`: rename the variable first`, ...(f.blockers ?? [])] }));
  const blockers = fixes[0].blockers ?? [];
  return {
    blockers,
    code: rule.code,
    name: rule.name,
    span: loop.header,
    message,
    loop,
    doubts,
    declined,
    fixes: fixes
      .filter((f) => !f.blockers || f.blockers.length === 0)
      .map((f) => {
        const own = f.doubts ?? [];
        const applicability: Applicability = doubts.length + own.length === 0 ? 'safe' : 'unsafe';
        return { title: fixTitle(f.title, applicability), pattern: f.pattern, applicability, ...(own.length > 0 ? { doubts: own } : {}) };
      }),
  };
}

/** What crossing into worker processes and back could break: the arguments and results pickled, globals the parent changed. */
function processBoundary(loop: LoopFacts, analysis: ModuleAnalysis): PicklingReport {
  const sent = checkPickling(loop, analysis);
  const returned = checkResultPickling(loop, analysis);
  const restored = checkRestoredGlobals(loop, analysis);
  const elsewhere = attributesSetElsewhere(loop, analysis.module);
  return { blockers: [...sent.blockers, ...returned.blockers, ...restored.blockers], doubts: [...sent.doubts, ...returned.doubts, ...restored.doubts, ...elsewhere] };
}

/** Doubts that apply to every pattern: purity the analysis could not see. */
function analysisDoubts(loop: LoopFacts): string[] {
  return loop.doubts.map((d) => `${d.message} (line ${d.line})`);
}

export const PAR101: LoopRule = {
  code: 'PAR101',
  name: 'process-pool-map',
  summary: 'CPU-bound loop with independent iterations collecting one result per item',
  check(loop, ctx) {
    if (loop.kind !== 'for' || loop.workload !== 'cpu' || loop.awaits || !isReported(loop)) return null;
    if (loop.parentStatements.some((p) => p.kind === 'reduce' || p.kind === 'select')) return null;
    const pickling = processBoundary(loop, ctx.analysis);
    return finding(
      this,
      loop,
      ctx,
      `Iterations are independent and CPU-bound (${firstEvidence(loop, 'cpu')}): map them over a ProcessPoolExecutor`,
      [
        { title: 'Run the loop in a ProcessPoolExecutor', pattern: 'process-pool', blockers: pickling.blockers },
        { title: 'Run the loop in a multiprocessing.Pool (map with chunksize)', pattern: 'multiprocessing-pool', blockers: pickling.blockers },
      ],
      [...analysisDoubts(loop), ...pickling.doubts],
    );
  },
};

export const PAR102: LoopRule = {
  code: 'PAR102',
  name: 'parallel-map-reduce',
  summary: 'independent CPU-bound iterations feeding an associative reduction',
  check(loop, ctx) {
    if (loop.kind !== 'for' || loop.workload !== 'cpu' || loop.awaits || !isReported(loop)) return null;
    const reduction = loop.parentStatements.find((p) => p.kind === 'reduce' || p.kind === 'select');
    if (!reduction) return null;
    const pickling = processBoundary(loop, ctx.analysis);
    const into = reduction.kind === 'select' ? `the comparison keeping ${reduction.kept!.map((k) => `\`${k}\``).join(', ')}` : `the reduction into \`${reduction.target}\``;
    return finding(
      this,
      loop,
      ctx,
      `Independent CPU-bound iterations (${firstEvidence(loop, 'cpu')}) feed ${into}: map them over a ProcessPoolExecutor and reduce in order`,
      [
        { title: 'Map in a ProcessPoolExecutor, reduce in order', pattern: 'process-pool', blockers: pickling.blockers },
        { title: 'Map in a multiprocessing.Pool (chunksize), reduce in order', pattern: 'multiprocessing-pool', blockers: pickling.blockers },
      ],
      [...analysisDoubts(loop), ...pickling.doubts],
    );
  },
};

export const PAR103: LoopRule = {
  code: 'PAR103',
  name: 'parallel-comprehension',
  summary: 'comprehension or list(map(...)) over a CPU-bound function',
  check(loop, ctx) {
    if ((loop.kind !== 'comprehension' && loop.kind !== 'map-call') || loop.workload !== 'cpu' || !isReported(loop)) return null;
    if (loop.inAsyncFunction) return null;
    const pickling = processBoundary(loop, ctx.analysis);
    const what = loop.kind === 'map-call' ? '`list(map(...))`' : loop.reduction ? `\`${loop.reduction.reducer}(…)\` of a generator` : 'Comprehension';
    const how = loop.reduction ? `compute the elements in a ProcessPoolExecutor (in chunks) and let \`${loop.reduction.reducer}\` consume them in order` : 'map it over a ProcessPoolExecutor in chunks';
    return finding(
      this,
      loop,
      ctx,
      `${what} over CPU-bound ${firstEvidence(loop, 'cpu')}: ${how}`,
      [{ title: 'Map with ProcessPoolExecutor.map(chunksize=…)', pattern: 'process-pool-comprehension', blockers: [...pickling.blockers, ...notInSimpleStatement(loop)] }],
      [...analysisDoubts(loop), ...pickling.doubts],
    );
  },
};

export const PAR201: LoopRule = {
  code: 'PAR201',
  name: 'thread-pool-io',
  summary: 'loop with independent iterations doing blocking I/O',
  check(loop, ctx) {
    if (loop.workload !== 'io' || loop.inAsyncFunction || !isReported(loop)) return null;
    if (loop.kind !== 'for') return comprehensionIo(this, loop, ctx);
    const fixes: FixCandidate[] = [{ title: 'Run the loop in a ThreadPoolExecutor', pattern: 'thread-pool' }];
    const declined: string[] = [];
    const usesRequests = loop.evidence.some((e) => e.kind === 'io' && e.what.startsWith('requests.'));
    const caller = asyncCaller(loop, ctx);
    if (caller) {
      declined.push(`asyncio.to_thread${usesRequests ? ' and aiohttp' : ''}: ${caller}, so \`asyncio.run\` would be called inside a running event loop`);
    } else if (loop.iterable && progressWrapper(loop.iterable, ctx.analysis)) {
      // gathered results arrive all at once: a bar around them would jump from empty to full
      declined.push(`asyncio.to_thread${usesRequests ? ' and aiohttp' : ''}: the progress bar (\`${loop.iterable.text.split('(')[0]}\`) can advance only around an executor's results, which a gather returns all at once`);
    } else {
      const runDoubts = asyncRunDoubts(loop, ctx.analysis);
      if (atLeast(ctx.targetVersion, [3, 9])) fixes.push({ title: 'Run the iterations with asyncio.to_thread and asyncio.gather', pattern: 'asyncio-to-thread', doubts: runDoubts });
      else declined.push('asyncio.to_thread: needs Python 3.9 (target-version is lower)');
      if (usesRequests) {
        const http = aiohttpDoubts(loop, ctx.analysis);
        if ('reason' in http) declined.push(`aiohttp: ${http.reason}`);
        else fixes.push({ title: 'Fetch concurrently with aiohttp and asyncio.gather', pattern: 'aiohttp-gather', doubts: [...http.doubts, ...runDoubts] });
      }
    }
    return finding(
      this,
      loop,
      ctx,
      gilFreeComputing(loop)
        ? `Iterations are independent and compute in library code that lets other threads run (${firstEvidence(loop, 'cpu')}), besides checking files (${firstEvidence(loop, 'io')}): run them in a ThreadPoolExecutor`
        : `Iterations are independent and ${waitsOnlyOnPrograms(loop.evidence) ? 'wait on other programs' : 'block on I/O'} (${firstEvidence(loop, 'io')})${besidesComputing(loop)}: run them in a ThreadPoolExecutor`,
      fixes,
      analysisDoubts(loop),
      declined,
    );
  },
};

/**
 * PAR201 on a comprehension, `list(map(…))` or generator reduction doing blocking I/O (the guide's Pattern 2,
 * `[requests.get(u).json() for u in urls]`): a ThreadPoolExecutor map in place of the expression, and for one
 * `requests` call per element the aiohttp `ClientSession` + `gather` rewrite the guide shows.
 */
function comprehensionIo(rule: LoopRule, loop: LoopFacts, ctx: RuleContext): Finding {
  const fixes: FixCandidate[] = [{ title: 'Map with ThreadPoolExecutor.map', pattern: 'thread-pool-comprehension', blockers: notInSimpleStatement(loop) }];
  const declined: string[] = [];
  const doubts = analysisDoubts(loop);
  const session = loop.evidence.find((e) => e.kind === 'io' && e.what.startsWith('requests.Session.'));
  if (session) doubts.push(...sessionDoubts(session.line));
  const usesRequests = loop.evidence.some((e) => e.kind === 'io' && e.what.startsWith('requests.'));
  if (usesRequests) {
    const caller = asyncCaller(loop, ctx);
    const http = session ? { reason: `the requests go through a \`requests.Session\` (line ${session.line}), whose settings (headers, auth, cookies, mounted adapters) a new aiohttp session would not have` } : comprehensionAiohttpDoubts(loop, ctx.analysis);
    if (caller) declined.push(`aiohttp: ${caller}, so \`asyncio.run\` would be called inside a running event loop`);
    else if ('reason' in http) declined.push(`aiohttp: ${http.reason}`);
    else fixes.push({ title: 'Fetch concurrently with aiohttp and asyncio.gather', pattern: 'aiohttp-comprehension', blockers: notInSimpleStatement(loop), doubts: [...http.doubts, ...asyncRunDoubts(loop, ctx.analysis)] });
  }
  const what = loop.kind === 'map-call' ? '`list(map(...))`' : loop.reduction ? `\`${loop.reduction.reducer}(…)\` of a generator` : 'Comprehension';
  return finding(rule, loop, ctx, `${what} blocking on I/O (${firstEvidence(loop, 'io')}), one item at a time: map it over a ThreadPoolExecutor`, fixes, doubts, declined);
}

/** What sharing one `requests.Session` between threads cannot be proven not to change. */
function sessionDoubts(line: number): string[] {
  return [
    `the threads share the \`requests.Session\` (line ${line}): cookies a response sets reach the requests sent after it, and which requests those are is no longer fixed; requests does not document \`Session\` as thread-safe (its connection pool is, and concurrent GETs work in practice)`,
  ];
}

/** The aiohttp translation of a comprehension's element: its doubts, or why it is not offered. */
function comprehensionAiohttpDoubts(loop: LoopFacts, analysis: ModuleAnalysis): { doubts: string[] } | { reason: string } {
  if (loop.kind !== 'comprehension' || !loop.element) return { reason: 'only a comprehension or generator reduction over one request per item is translated' };
  if (loop.node.type === 'dictionary_comprehension') return { reason: 'a dict comprehension is not translated' };
  if (loop.node.namedChildren.some((c) => c.type === 'if_clause')) return { reason: 'the comprehension filters its items (`if`)' };
  if (loop.target?.type !== 'identifier') return { reason: 'the comprehension unpacks its items' };
  return aiohttpTranslation(loop, loop.element, analysis);
}

export const PAR202: LoopRule = {
  code: 'PAR202',
  name: 'sequential-await',
  summary: '`await` inside a loop whose iterations are independent',
  check(loop, ctx) {
    if (loop.kind !== 'for' || !loop.inAsyncFunction || !loop.awaits || !isReported(loop)) return null;
    const awaited = loop.evidence.find((e) => e.what.startsWith('await'));
    // a module that never imports asyncio may run its coroutines under another event loop
    const foreign = asyncioDoubt(loop.node.tree.text);
    const fixes: FixCandidate[] = [{ title: 'Gather the awaits with asyncio.gather', pattern: 'asyncio-gather', ...(foreign ? { doubts: [foreign] } : {}) }];
    const declined: string[] = [];
    if (atLeast(ctx.targetVersion, [3, 11])) fixes.push({ title: 'Run the awaits in an asyncio.TaskGroup', pattern: 'asyncio-taskgroup', doubts: foreign ? [TASKGROUP_DOUBT, foreign] : [TASKGROUP_DOUBT] });
    else declined.push('asyncio.TaskGroup: needs Python 3.11 (target-version is lower)');
    return finding(
      this,
      loop,
      ctx,
      `Each iteration waits for \`${awaited?.what ?? 'await'}\` before the next starts, yet they are independent: gather them with asyncio.gather`,
      fixes,
      analysisDoubts(loop),
      declined,
    );
  },
};

const TASKGROUP_DOUBT =
  'a failing iteration cancels the others and its exception arrives wrapped in an `ExceptionGroup`: an `except SomeError` around this loop (here or in a caller) no longer catches it (`except*` does)';

function atLeast(version: [number, number], wanted: [number, number]): boolean {
  return version[0] > wanted[0] || (version[0] === wanted[0] && version[1] >= wanted[1]);
}

/**
 * Whether the loop's code can run inside an event loop that this module starts: an enclosing `async def`,
 * or an `async def` of the module calling (directly or through sync functions) the function holding the loop.
 * The reason, or null.
 */
function asyncCaller(loop: LoopFacts, ctx: RuleContext): string | null {
  const analysis = ctx.analysis;
  const here = asyncCallerInModule(loop, analysis);
  if (here || !loop.function) return here;
  // a coroutine of another module calling the function (by name: an import, or a method of the same name)
  const name = loop.function.childForFieldName('name')!.text;
  const index = ctx.callSites?.();
  const found = index?.sitesOf(name);
  // (a file of the project that does not import the name calls its own function of that name: stand-alone
  // scripts each defining `main`, round 50)
  const importers = new Set(found?.sites.filter((s) => s.imported).map((s) => s.file));
  const site = found?.sites.find((s) => s.withinAsync && !s.imported && (s.file === index?.file || importers.has(s.file) || s.attribute));
  if (!index || !site) return null;
  return `\`${name}\` is called from \`async def ${site.within}\` (${siteWhere(index, site)})`;
}

function asyncCallerInModule(loop: LoopFacts, analysis: ModuleAnalysis): string | null {
  // without an `async def` in the module there is neither an enclosing coroutine nor one calling the loop; the
  // coroutines of trio or anyio are not asyncio's (no `asyncio.to_thread` for them)
  if (!hasAsyncDef(analysis) || foreignEventLoop(analysis.module.root.tree.text)) return null;
  const outerAsync = ancestor(loop.node, (n) => n.type === 'function_definition' && isAsyncFunction(n));
  if (outerAsync) return `the loop is nested in \`async def ${outerAsync.childForFieldName('name')?.text}\``;
  if (!loop.function) return null;
  const reached = new Set([loop.function.childForFieldName('name')!.text]);
  const { defs, calledBy } = callGraph(analysis);
  // callers of callers, until nothing new: a call by name or as a method (`self.name(…)`)
  for (let changed = true; changed; ) {
    changed = false;
    for (const def of defs) {
      const name = def.childForFieldName('name')!.text;
      if (reached.has(name) && !isAsyncFunction(def)) continue;
      const called = calledBy(def);
      if (![...reached].some((r) => called.has(r))) continue;
      if (isAsyncFunction(def)) return `\`${[...reached][0]}\` is reached from \`async def ${name}\``;
      reached.add(name);
      changed = true;
    }
  }
  return null;
}

const asyncDefs = new WeakMap<ModuleAnalysis, boolean>();

/** Whether the module defines a coroutine: an `async` keyword (found from the text) opening a `def`. */
function hasAsyncDef(analysis: ModuleAnalysis): boolean {
  let found = asyncDefs.get(analysis);
  if (found === undefined) {
    const root = analysis.module.root;
    found = root.tree.text.includes('async') && tokensSpelled(root, 'async').some((t) => t.parent?.type === 'function_definition');
    asyncDefs.set(analysis, found);
  }
  return found;
}

const callGraphs = new WeakMap<ModuleAnalysis, { defs: SyntaxNode[]; calledBy: (def: SyntaxNode) => Set<string> }>();

/**
 * Every `def` of the module in document order, and the names each one's body calls (by name or as a method):
 * built once per analysis, not once per reported loop.
 */
function callGraph(analysis: ModuleAnalysis): { defs: SyntaxNode[]; calledBy: (def: SyntaxNode) => Set<string> } {
  let graph = callGraphs.get(analysis);
  if (!graph) {
    const defs: SyntaxNode[] = [];
    walk(analysis.module.root, (n) => {
      if (n.type === 'function_definition') defs.push(n);
      return true;
    });
    const called = new Map<number, Set<string>>();
    const calledBy = (def: SyntaxNode) => {
      let names = called.get(def.id);
      if (!names) {
        const found = new Set<string>();
        walk(def.childForFieldName('body')!, (n) => {
          if (n.type === 'call') {
            const f = n.childForFieldName('function');
            const name = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : f?.text;
            if (name) found.add(name);
          }
          return true;
        });
        names = found;
        called.set(def.id, names);
      }
      return names;
    };
    graph = { defs, calledBy };
    callGraphs.set(analysis, graph);
  }
  return graph;
}

const getEventLoopCalls = new WeakMap<ModuleAnalysis, boolean>();

/** Whether the module spells the name `get_event_loop` (the text searched once per analysis, not per loop). */
function callsGetEventLoop(analysis: ModuleAnalysis): boolean {
  let found = getEventLoopCalls.get(analysis);
  if (found === undefined) {
    found = analysis.module.root.tree.text.includes('get_event_loop') && analysis.module.identifiers.has('get_event_loop');
    getEventLoopCalls.set(analysis, found);
  }
  return found;
}

/** What `asyncio.run` in place of the loop cannot be proven not to break. */
function asyncRunDoubts(loop: LoopFacts, analysis: ModuleAnalysis): string[] {
  const doubts: string[] = [];
  const fn = loop.function?.childForFieldName('name')?.text;
  if (fn) doubts.push(`\`asyncio.run\` raises RuntimeError when \`${fn}\` is called while an event loop runs (from async code in another module, or in a notebook); only this module's callers were checked`);
  if (callsGetEventLoop(analysis)) doubts.push('the module calls `asyncio.get_event_loop()`, which raises in the main thread once `asyncio.run` has set and closed its own loop');
  return doubts;
}

/** The one `requests` call of the body, if aiohttp can say the same: the doubts of that translation, or why not. */
function aiohttpDoubts(loop: LoopFacts, analysis: ModuleAnalysis): { doubts: string[] } | { reason: string } {
  return aiohttpTranslation(loop, loop.node.childForFieldName('body')!, analysis);
}

/** The one `requests` call of a loop body or a comprehension's element, if aiohttp can say the same. */
function aiohttpTranslation(loop: LoopFacts, region: SyntaxNode, analysis: ModuleAnalysis): { doubts: string[] } | { reason: string } {
  const planned = planRequests(region, requestsContext(analysis));
  if ('reason' in planned) return planned;
  const members = new Set(planned.plan.uses.map((u) => u.member));
  // the request and the reads of its response are translated; any other blocking call would stall the event loop
  const translated = (e: Evidence) => !e.via && (e.what.startsWith('requests.') || members.has(/^\.(\w+)/.exec(e.what)?.[1] ?? ''));
  const otherIo = loop.evidence.find((e) => e.kind === 'io' && !translated(e));
  if (otherIo) return { reason: `\`${otherIo.via ?? otherIo.what}\` also blocks, and would stall the event loop` };
  const doubts = [
    "errors are aiohttp's (`aiohttp.ClientError`, `asyncio.TimeoutError`), not requests' (`requests.RequestException`): an `except` for requests' errors around this code no longer catches them",
    'aiohttp sends its own default headers (`User-Agent`, `Accept-Encoding`), re-quotes URLs with yarl and follows at most 10 redirects (requests: 30)',
  ];
  if (members.has('text')) doubts.push('`.text` without a charset in `Content-Type`: requests decodes `text/*` as ISO-8859-1 and guesses otherwise, aiohttp guesses (chardet) — non-ASCII text may decode differently');
  if (members.has('json')) doubts.push('`.json()` on an empty body: aiohttp returns None where requests raises');
  return { doubts };
}

// vectorising beats a pool for array arithmetic: the PAR3xx shapes are tried first
export const LOOP_RULES: LoopRule[] = [...VECTOR_RULES, PAR101, PAR102, PAR103, PAR201, PAR202];

export function evidenceSummary(loop: LoopFacts): string[] {
  return heaviestFirst(loop.evidence).map((e) => `${e.kind === 'cpu' ? 'CPU' : 'I/O'}: \`${describeEvidence(e)}\` (line ${e.line})`);
}

export type { RuleContext };
