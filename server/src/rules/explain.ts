// The "why" behind every loop, in Markdown: the verdict, the evidence, the pattern and the risks that
// apply — or, for a rejected loop, the reason, the variable, the lines and a remedy (like Clang's remarks).
import { describeEvidence } from '../analysis/effects';
import type { LoopFacts, Rejection, RejectionKind } from '../analysis/model';
import type { PoolConstruction } from '../analysis/executors';
import type { ModuleAnalysis } from '../analysis/loops';
import { lineOf } from '../syntax';
import { ruleDocsUrl } from './catalog';
import { unpicklableCallable } from './riskRules';
import type { CallFacts, Finding, FixPattern } from './types';
import { explainVector } from './vectorRules';

const REASON_TITLE: Record<RejectionKind, string> = {
  'loop-carried': 'loop-carried dependency',
  'shared-state': 'shared state',
  'early-exit': 'early exit',
  'ordered-effect': 'order-dependent side effect',
  'live-out': 'value used after the loop',
  trivial: 'too few items',
  'not-worth-it': 'not worth a pool',
  'no-heavy-work': 'no expensive work found',
  'rate-limit': 'rate limit',
  unsupported: 'shape the rewrite cannot express',
};

const PATTERN_TEXT: Record<string, string> = {
  'process-pool': '`concurrent.futures.ProcessPoolExecutor` + `executor.map(…, chunksize=…)`, about four batches per worker (results in input order)',
  'thread-pool': '`concurrent.futures.ThreadPoolExecutor` + `executor.map` (results in input order; one thread per item up to 32 when the work waits on the network, a process or a timer)',
  'asyncio-gather': '`asyncio.gather(*(…))` (results in input order)',
  'process-pool-comprehension': '`ProcessPoolExecutor.map(f, xs, chunksize=…)` around the statement',
  'multiprocessing-pool': '`multiprocessing.Pool` + `pool.map(f, xs, chunksize=…)` (results in input order)',
  'asyncio-taskgroup': '`asyncio.TaskGroup` creating one task per item, results read in input order',
  'asyncio-to-thread': 'a new `async def` gathering `asyncio.to_thread(…)` calls, run with `asyncio.run` (results in input order)',
  'aiohttp-gather': 'a new `async def` sharing one `aiohttp.ClientSession` and gathering the requests, run with `asyncio.run` (results in input order)',
};

/** What an alternative fix risks beyond the preferred one: shown next to it in the hover. */
const ALTERNATIVE_RISKS: Partial<Record<FixPattern, string>> = {
  'multiprocessing-pool':
    "`Pool.map` lists every item and holds every result at once; with several failing items it raises the first to fail in time, not in input order; the pool's workers are daemonic and cannot start processes of their own.",
  'asyncio-taskgroup': 'needs Python ≥ 3.11; the first failure cancels the other tasks (unlike `gather`, which lets them run on).',
  'asyncio-to-thread':
    "needs Python ≥ 3.9; the threads come from the event loop's default executor (at most min(32, CPUs + 4)); with several failures `gather` raises the first to fail in time.",
  'aiohttp-gather':
    'needs the `aiohttp` package; every request starts at once (the session opens at most 100 connections); cookies are not shared between the requests and proxy settings come from the environment, as with `requests.get`.',
};

function workloadWord(loop: LoopFacts): string {
  if (loop.awaits) return 'I/O-bound (awaits)';
  // a body that both blocks and computes (`sha256(path.read_bytes())`) is not purely I/O-bound: say both
  const mixed = loop.evidence.some((e) => e.kind === 'cpu') && loop.evidence.some((e) => e.kind === 'io');
  return mixed ? 'I/O- and CPU-bound' : loop.workload === 'cpu' ? 'CPU-bound' : loop.workload === 'io' ? 'I/O-bound' : 'of unknown cost';
}

function loopNoun(loop: LoopFacts): string {
  return loop.kind === 'for' ? 'loop' : loop.kind === 'map-call' ? '`list(map(...))`' : 'comprehension';
}

export function explainFinding(finding: Finding, minIterations: number): string {
  if (finding.vector) return explainVector(finding);
  if (finding.call) return explainStallingCall(finding);
  if (finding.risk || !finding.loop) return explainRisk(finding);
  const loop = finding.loop;
  const lines: string[] = [];
  lines.push(`**${finding.code}** · parallelizable, ${workloadWord(loop)} — [${finding.name}](${ruleDocsUrl(finding.code)})`);
  if (loop.estimate) lines.push('', `**Estimate:** ${loop.estimate.summary}.`);
  lines.push('');
  lines.push(finding.message + '.');
  lines.push('');
  lines.push(`**Why it is safe to split:** ${independenceText(loop)}`);
  if (loop.evidence.length > 0) {
    lines.push('');
    lines.push('**Evidence**');
    for (const e of loop.evidence.slice(0, 4)) lines.push(`- ${e.kind === 'cpu' ? 'CPU' : 'I/O'}: \`${describeEvidence(e)}\` (line ${e.line}${e.defined ? `; \`${e.what}\` is defined in \`${e.defined}\`` : ''})`);
  }
  const fix = finding.fixes[0];
  lines.push('');
  if (fix) {
    lines.push(`**Fix** (${fix.applicability}): ${PATTERN_TEXT[fix.pattern]}${loop.kind === 'for' && loop.workerStatements.length > 0 ? `; the body moves into a module-level function taking ${['the item', ...loop.freeVariables.map((v) => `\`${v}\``)].join(', ')}` : ''}.`);
  } else {
    lines.push(`**Fix:** none offered — ${finding.blockers.join('; ') || 'the rewrite cannot express this loop'}.`);
  }
  if (finding.doubts.length > 0) {
    lines.push('');
    lines.push(fix ? '**Not proven** (why the fix is marked unsafe)' : '**Not proven** (a fix would be unsafe for these too)');
    for (const d of finding.doubts) lines.push(`- ${d}`);
  }
  lines.push(...otherFixes(finding));
  const risks = risksFor(finding, minIterations);
  if (risks.length > 0) {
    lines.push('');
    lines.push('**Risks**');
    for (const r of risks) lines.push(`- ${r}`);
  }
  return lines.join('\n');
}

function otherFixes(finding: Finding): string[] {
  const others = finding.fixes.slice(1);
  const declined = finding.declined ?? [];
  if (others.length === 0 && declined.length === 0) return [];
  const lines = ['', '**Other fixes**'];
  for (const fix of others) {
    lines.push(`- ${fix.title.replace(/ \(unsafe\)$/, '')} (${fix.applicability}): ${PATTERN_TEXT[fix.pattern]}. ${ALTERNATIVE_RISKS[fix.pattern] ?? ''}`.trimEnd());
    for (const d of fix.doubts ?? []) lines.push(`  - not proven: ${d}`);
  }
  for (const d of declined) lines.push(`- not offered — ${d}`);
  return lines;
}

const CALL_FIX_TEXT: Record<CallFacts['strategy'], (callee: string, pool?: string, newPool?: CallFacts['newPool']) => string> = {
  sleep: () => '`await asyncio.sleep(…)`: the coroutine yields while it waits, and the other tasks run',
  'to-thread': (callee) => `\`await asyncio.to_thread(${callee}, …)\`: the call runs in the loop's default thread pool while the loop serves other tasks`,
  'thread-executor': (callee) => `\`await asyncio.get_running_loop().run_in_executor(None, ${callee}, …)\` (\`asyncio.to_thread\` needs Python 3.9): the call runs in the loop's default thread pool`,
  'process-executor': (callee, pool, newPool) =>
    `\`await asyncio.get_running_loop().run_in_executor(${pool ?? (newPool?.scope === 'module' ? '_process_pool()' : 'pool')}, ${callee}, …)\`${
      pool
        ? ` with the \`ProcessPoolExecutor\` \`${pool}\` already in scope`
        : newPool?.scope === 'module'
          ? ' with one `ProcessPoolExecutor` for the whole program, made on first use by a module-level `_process_pool()` (the coroutine runs many times: a pool per call would start processes each time)'
          : ' with a new `ProcessPoolExecutor` opened in a `with` block around the statement (around the loop, when the call is in one): the coroutine runs once per program'
    }: the computation runs in another process (keyword arguments go through \`functools.partial\`)`,
};

/** Hover on a PAR203/PAR204 call: which call holds the loop and why, the fix, and the risks that apply. */
function explainStallingCall(finding: Finding): string {
  const { stall, strategy, pool, newPool, alone } = finding.call!;
  const cpu = stall.kind === 'cpu';
  const coroutine = stall.coroutine.childForFieldName('name')?.text ?? 'the coroutine';
  const lines = [`**${finding.code}** · ${cpu ? 'CPU-bound' : 'blocking'} call in \`async def ${coroutine}\` — [${finding.name}](${ruleDocsUrl(finding.code)})`, '', `${finding.message}.`];
  lines.push(
    '',
    `**Evidence:** ${stall.evidence} (line ${lineOf(stall.call)}). An event loop runs every task of the program on one thread: while this call ${cpu ? 'computes' : 'waits'}, no other task makes progress — requests queue, timers and timeouts fire late.`,
  );
  const fix = finding.fixes[0];
  lines.push('', fix ? `**Fix** (${fix.applicability}): ${CALL_FIX_TEXT[strategy](stall.callee.text, pool, newPool)}.` : `**Fix:** none offered — ${finding.blockers.join('; ')}.`);
  if (finding.doubts.length > 0) lines.push('', '**Not proven** (why the fix is marked unsafe)', ...finding.doubts.map((d) => `- ${d}`));
  const risks: string[] = [];
  if (!alone) risks.push('**Interleaving:** the coroutine now yields at the call; code that relied on running uninterrupted between two `await`s can see other tasks\' changes in between.');
  if (strategy === 'to-thread' || strategy === 'thread-executor') {
    risks.push('**Thread pool size:** the default executor has `min(32, os.cpu_count() + 4)` threads; more concurrent calls queue behind them.');
    risks.push('**Cancellation:** cancelling the coroutine does not stop a call already running in a thread; it finishes in the background.');
  }
  if (cpu && strategy !== 'process-executor') {
    risks.push(`**GIL:** \`${stall.what}\` releases the GIL while it computes, so the thread runs in parallel with the event loop and with other threads; nothing is pickled and no process starts.`);
  } else if (cpu) {
    const args = stall.call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment').map((a) => `\`${a.text.split('\n')[0].slice(0, 30)}\``) ?? [];
    risks.push(`**Pickling:** \`${stall.callee.text}\` travels by reference (it must be importable at module level)${args.length ? `; ${args.join(', ')}` : ''} and the result are pickled on every call. Lambdas, nested functions and open handles cannot be.`);
    risks.push('**Memory:** the arguments are copied into the worker process on every call.');
    if (newPool?.scope === 'statement') risks.push('**Pool start-up:** the new `with` block starts worker processes (about 0.1 s under spawn) and joins them on the event-loop thread when it ends; it runs once, because the coroutine runs once per program.');
    if (newPool?.scope === 'module') risks.push('**One pool per program:** `_process_pool()` starts the workers on the first call and keeps them until the program exits (idle, they hold memory); an application that already owns an executor should pass it in, and the fix then uses it.');
    risks.push('**`__main__` guard:** under spawn and forkserver each worker re-imports the module; the fix guards a top-level `asyncio.run(main())` if it is not guarded yet.');
  }
  risks.push('**Exceptions:** an exception raised by the call propagates through the `await` unchanged.');
  lines.push('', '**Risks**', ...risks.map((r) => `- ${r}`));
  return lines.join('\n');
}

function independenceText(loop: LoopFacts): string {
  const parts: string[] = [];
  if (loop.kind === 'for') {
    const folds = loop.parentStatements.map((p) => `\`${p.statement.text.split('\n')[0]}\` (line ${p.statement.startPosition.row + 1})`);
    parts.push('no iteration reads a value another one wrote');
    if (folds.length > 0) parts.push(`the only shared updates fold each result into ${folds.join(', ')}, and they stay in the parent, in the original order`);
    else parts.push('no result is collected: only the per-item effects run');
  } else {
    parts.push('each element is computed from its own item only');
  }
  return parts.join('; ') + '.';
}

function explainRisk(finding: Finding): string {
  const lines = [`**${finding.code}** · ${finding.name} — [rule page](${ruleDocsUrl(finding.code)})`, '', `${finding.message}.`];
  if (finding.risk?.explanation) lines.push('', finding.risk.explanation);
  const fix = finding.fixes[0];
  if (fix) lines.push('', `**Fix** (${fix.applicability}): ${fix.title.replace(/ \(unsafe\)$/, '')}.`);
  if (finding.doubts.length > 0) lines.push('', '**Not proven** (why the fix is marked unsafe)', ...finding.doubts.map((d) => `- ${d}`));
  if (finding.blockers.length > 0) lines.push('', `**No fix:** ${finding.blockers.join('; ')}.`);
  return lines.join('\n');
}

function risksFor(finding: Finding, minIterations: number): string[] {
  const loop = finding.loop!;
  // with no fix offered, the risks are those of the rewrite the rule names
  const pattern = finding.fixes[0]?.pattern ?? (finding.code === 'PAR202' ? 'asyncio-gather' : finding.code === 'PAR201' ? 'thread-pool' : 'process-pool');
  const risks: string[] = [];
  const processes = pattern === 'process-pool' || pattern === 'process-pool-comprehension';
  const shipped = [...loop.freeVariables.map((v) => `\`${v}\``)];
  if (processes && loop.evidence.some((e) => e.kind === 'cpu')) {
    risks.push('**GIL:** CPU-bound Python holds the GIL, so threads would take turns on one core; worker processes each have their own interpreter, at the price of pickling.');
  }
  if (processes) {
    risks.push(
      `**Pickling:** the worker function${shipped.length ? `, ${shipped.join(', ')}` : ''} and every item are pickled to reach the worker processes; lambdas, nested functions and open handles cannot be.`,
    );
    risks.push(`**Memory:** each item${shipped.length ? ` and ${shipped.join(', ')}` : ''} is copied into a worker; large arguments cost copies (consider shared memory).`);
    risks.push(
      `**\`__main__\` guard:** under the spawn and forkserver start methods (Windows, macOS, Linux from Python 3.14) workers re-import the module; module-level code that starts work must sit under \`if __name__ == "__main__":\`${finding.fixes.length > 0 ? ', and the fix adds that guard where it is missing' : ''}.`,
    );
  }
  if (pattern === 'thread-pool' && loop.evidence.some((e) => e.kind === 'cpu')) {
    risks.push('**GIL:** part of the work is CPU-bound Python; threads only overlap the waiting, not the computing.');
  }
  if (loop.parentStatements.some((p) => p.kind === 'reduce')) {
    risks.push('**Ordering:** the reduction stays in the parent in input order, so float sums and `max`/`min` ties come out exactly as before (unlike `sum()` or `math.fsum`).');
  } else if (loop.kind === 'for' && loop.parentStatements.length === 0) {
    risks.push('**Ordering:** the per-item effects now happen concurrently, in no fixed order.');
  } else if (pattern === 'asyncio-gather' || pattern === 'asyncio-taskgroup' || pattern === 'asyncio-to-thread' || pattern === 'aiohttp-gather') {
    risks.push(`**Ordering:** ${pattern === 'asyncio-taskgroup' ? 'the tasks are awaited and their results read in input order' : '`gather` returns the results in input order'}, so the collection is built exactly as before.`);
  } else {
    risks.push('**Ordering:** `map` yields results in input order, so the collection is built exactly as before.');
  }
  risks.push(
    pattern === 'asyncio-gather'
      ? '**Exceptions:** the first exception propagates from `gather`; the other awaits keep running (pass `return_exceptions=True` to collect them).'
      : '**Exceptions:** a worker exception is re-raised when its result is reached; items after it may already have been processed.',
  );
  if (pattern === 'asyncio-gather') risks.push('**Concurrency:** all awaits start at once; bound them with an `asyncio.Semaphore` if the server limits connections.');
  const estimate = loop.estimate;
  if (estimate?.repeated) {
    risks.push(`**Over-parallelisation:** a pool here starts again on ${estimate.repeated.what}; hoist the executor out of that loop so it starts once.`);
  } else if (estimate && estimate.verdict !== 'pays' && processes) {
    risks.push(`**Over-parallelisation:** ${estimate.items === undefined ? 'the number of items is not known here' : 'the cost of each item is not known'}: with few or cheap items, starting workers and pickling cost more than they save (see the estimate).`);
  } else if (!estimate && loop.knownIterations === undefined && processes) {
    risks.push(`**Over-parallelisation:** the number of items is unknown; below ~${minIterations} small items, starting workers and pickling cost more than they save.`);
  }

  return risks;
}

export function explainRejected(loop: LoopFacts): string {
  const lines: string[] = [];
  const [main, ...others] = orderRejections(loop.rejections);
  lines.push(`**Not parallelizable** — ${REASON_TITLE[main.kind]}`);
  lines.push('');
  lines.push(`${capitalise(main.message)}.`);
  lines.push('');
  lines.push(`**Remedy:** ${main.remedy}.`);
  if (others.length > 0) {
    lines.push('');
    lines.push('**Also**');
    for (const r of others.slice(0, 5)) lines.push(`- ${REASON_TITLE[r.kind]}: ${r.message} (line ${r.line})`);
  }
  if (loop.evidence.length > 0) {
    lines.push('');
    lines.push(`Work found: ${loop.evidence.slice(0, 3).map((e) => `\`${describeEvidence(e)}\` (line ${e.line}${e.defined ? `, defined in \`${e.defined}\`` : ''})`).join(', ')} — ${workloadWord(loop)}.`);
  }
  if (loop.doubts.length > 0 && main.kind !== 'no-heavy-work') {
    lines.push('');
    lines.push('**Could not prove:** ' + loop.doubts.slice(0, 3).map((d) => `${d.message} (line ${d.line})`).join('; '));
  }
  return lines.join('\n');
}

const SEVERITY: RejectionKind[] = ['loop-carried', 'shared-state', 'early-exit', 'ordered-effect', 'live-out', 'rate-limit', 'unsupported', 'not-worth-it', 'trivial', 'no-heavy-work'];

function orderRejections(rejections: Rejection[]): Rejection[] {
  return [...rejections].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function explainSuppressed(finding: Finding): string {
  return `**${finding.code}** is silenced on this line by \`# noqa\`.\n\n${finding.message}.`;
}

export function explainWhile(): string {
  return [
    '**Not parallelizable** — `while` loop',
    '',
    'A `while` loop runs until its condition changes, and the condition depends on what earlier iterations did: the number of iterations is not known up front, so they cannot be handed out to workers.',
    '',
    '**Remedy:** if each pass handles an independent item, collect the items first and loop over them with `for`.',
  ].join('\n');
}

export function explainUnreported(loop: LoopFacts, noun = loopNoun(loop)): string {
  if (loop.rejections.length > 0) return explainRejected(loop);
  return `**Not reported** — this ${noun} is independent but no rule applies to its shape (${workloadWord(loop)}).`;
}

/** Hover on an executor / pool / thread construction or one of its `map`/`submit` calls. */
export function explainPool(pool: PoolConstruction, analysis: ModuleAnalysis, findings: Finding[]): string {
  const lines = [`**${pool.api}** · ${pool.kind === 'process' ? 'worker processes' : 'threads'}`];
  if (pool.kind === 'process') {
    lines.push('', '**Crosses the process boundary** (pickled):');
    for (const use of pool.uses) {
      const callable = use.callable;
      if (!callable) continue;
      const why = unpicklableCallable(callable, pool, analysis);
      lines.push(`- \`${callable.text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(use.call)}): ${why ? `**cannot be pickled** — ${why}` : 'a module-level name, pickled by reference'}`);
      for (const arg of use.args) lines.push(`  - every item of \`${arg.text.split('\n')[0].slice(0, 60)}\`, and each result on the way back`);
    }
    lines.push(
      '',
      '**Start method:** `fork` on Linux up to Python 3.13; `spawn` on Windows and macOS and `forkserver` on Linux from 3.14 — there every worker imports this module, so the pool must be started under `if __name__ == "__main__":` and its callables must be importable.',
    );
  } else {
    lines.push('', 'Threads share memory (nothing is pickled) and the GIL: they overlap waiting on I/O, not pure-Python computation.');
  }
  const here = findings.filter((f) => f.risk?.pool === pool);
  if (here.length > 0) {
    lines.push('', '**Risks found**');
    for (const f of here) lines.push(`- ${f.code}: ${f.message} (line ${f.span.startLine + 1})`);
  } else lines.push('', 'No risk found: the workers are bounded, the pool is shut down and every future is observed.');
  return lines.join('\n');
}
