// The "why" behind every loop, in Markdown: the verdict, the evidence, the pattern and the risks that
// apply — or, for a rejected loop, the reason, the variable, the lines and a remedy (like Clang's remarks).
import { describeEvidence, heaviestFirst, waitsOnlyOnPrograms } from '../analysis/effects';
import { BATCH_FORMS } from '../analysis/knowledge';
import type { LoopFacts, Rejection, RejectionKind } from '../analysis/model';
import type { PoolConstruction } from '../analysis/executors';
import type { ModuleAnalysis } from '../analysis/loops';
import { lineOf } from '../syntax';
import { ruleDocsUrl } from './catalog';
import { unpicklableCallable } from './riskRules';
import type { CallFacts, Finding, FixPattern } from './types';
import { explainVector } from './vectorRules';
import { explainStallingLoop } from './asyncLoopRules';
import { doubtLines } from './doubts';

export const REASON_TITLE: Record<RejectionKind, string> = {
  'loop-carried': 'loop-carried dependency',
  'shared-state': 'shared state',
  'early-exit': 'early exit',
  'ordered-effect': 'order-dependent side effect',
  'live-out': 'value used after the loop',
  trivial: 'too few items',
  'not-worth-it': 'not worth a pool',
  'no-heavy-work': 'no expensive work found',
  'rate-limit': 'rate limit',
  'endless-source': 'endless asynchronous source',
  recursion: 'a pool per level of recursion',
  'no-result': 'nothing collected, no effect known',
  unsupported: 'shape the rewrite cannot express',
  unreached: 'never runs',
  'already-concurrent': 'already runs concurrently',
};

function workloadWord(loop: LoopFacts): string {
  if (loop.awaits) return 'I/O-bound (awaits)';
  // a body that both blocks and computes (`sha256(path.read_bytes())`) is not purely I/O-bound: say both
  const mixed = loop.evidence.some((e) => e.kind === 'cpu') && loop.evidence.some((e) => e.kind === 'io');
  if (!mixed && loop.workload === 'io' && waitsOnlyOnPrograms(loop.evidence)) return 'waiting on other programs';
  return mixed ? 'I/O- and CPU-bound' : loop.workload === 'cpu' ? 'CPU-bound' : loop.workload === 'io' ? 'I/O-bound' : 'of unknown cost';
}

function loopNoun(loop: LoopFacts): string {
  return loop.kind === 'for' ? 'loop' : loop.kind === 'map-call' ? '`list(map(...))`' : 'comprehension';
}

/** The fix in a few words, for the hover's one fix line (the rule page has the details). */
const PATTERN_SHORT: Record<string, string> = {
  'process-pool': '`ProcessPoolExecutor` + `executor.map(…, chunksize=…)`, results in input order',
  'thread-pool': '`ThreadPoolExecutor` + `executor.map`, results in input order',
  'asyncio-gather': '`asyncio.gather(*(…))`, results in input order',
  'process-pool-comprehension': '`ProcessPoolExecutor.map(f, xs, chunksize=…)` around the statement',
  'thread-pool-comprehension': '`ThreadPoolExecutor.map(f, xs)` around the statement, results in input order',
  'aiohttp-comprehension': 'a new `async def` sharing one `aiohttp.ClientSession`, one fetch per item gathered under `asyncio.run`',
  'multiprocessing-pool': '`multiprocessing.Pool` + `pool.map(f, xs, chunksize=…)`',
  'asyncio-taskgroup': '`asyncio.TaskGroup`, one task per item',
  'asyncio-to-thread': '`asyncio.to_thread` calls gathered under `asyncio.run`',
  'aiohttp-gather': 'one `aiohttp.ClientSession`, the requests gathered under `asyncio.run`',
};

/** An alternative fix's caveat beyond the preferred one, in one line (the rule page has the details). */
const ALTERNATIVE_SHORT: Partial<Record<FixPattern, string>> = {
  'multiprocessing-pool': 'holds every result at once; daemonic workers cannot start processes',
  'asyncio-taskgroup': 'Python ≥ 3.11; the first failure cancels the other tasks',
  'asyncio-to-thread': "Python ≥ 3.9; at most min(32, CPUs + 4) threads (the loop's default executor)",
  'aiohttp-gather': 'needs `aiohttp`; every request starts at once; cookies are not shared between requests',
  'aiohttp-comprehension': 'needs `aiohttp`; every request starts at once; cookies are not shared between requests',
};

/** The last line of a long hover: the rule page, where every risk, alternative and caveat is written out. */
function detailsLink(finding: Finding): string {
  return `[${finding.code}: every risk, alternative and caveat](${ruleDocsUrl(finding.code)})`;
}

/**
 * A flagged loop's hover, for a person: the verdict and the estimate, the fix in one line, then short
 * bullets (independence, evidence, what was not proven, risks, alternatives) and the rule page for the rest.
 * The diagnostic's message is not repeated: the editor shows it above the hover.
 */
export function explainFinding(finding: Finding, minIterations: number): string {
  if (finding.vector) return explainVector(finding);
  if (finding.call?.stall.loop) return explainStallingLoop(finding);
  if (finding.call) return explainStallingCall(finding);
  if (finding.risk || !finding.loop) return explainRisk(finding);
  const loop = finding.loop;
  const lines: string[] = [];
  lines.push(`**${finding.code}** · parallelizable, ${workloadWord(loop)} — [${finding.name}](${ruleDocsUrl(finding.code)})`);
  if (loop.estimate) lines.push('', `**Estimate:** ${loop.estimate.summary}${/[.!]$/.test(loop.estimate.summary) ? '' : '.'}`);
  const fix = finding.fixes[0];
  lines.push('');
  if (fix) {
    const moves = loop.kind === 'for' && loop.workerStatements.length > 0 ? `; the body becomes a module-level function of ${['the item', ...loop.freeVariables.map((v) => `\`${v}\``)].join(', ')}` : '';
    lines.push(`**Fix** (${fix.applicability}): ${PATTERN_SHORT[fix.pattern]}${moves}.`);
  } else {
    lines.push(`**Fix:** none offered — ${finding.blockers.join('; ') || 'the rewrite cannot express this loop'}.`);
  }
  lines.push('');
  lines.push(`- **Independent:** ${independenceText(loop)}`);
  if (loop.evidence.length > 0) {
    const shown = heaviestFirst(loop.evidence).slice(0, 3).map((e) => `${e.kind === 'cpu' ? 'CPU' : 'I/O'} \`${describeEvidence(e)}\` (line ${e.line}${e.defined ? `; \`${e.what}\` is defined in \`${e.defined}\`` : ''})`);
    lines.push(`- **Evidence:** ${shown.join(', ')}${loop.evidence.length > 3 ? `, and ${loop.evidence.length - 3} more` : ''}`);
  }
  lines.push(...doubtLines(finding.doubts, !!fix));
  for (const r of risksFor(finding, minIterations)) lines.push(`- ${r}`);
  const batch = loop.evidence.map((e) => ({ e, form: BATCH_FORMS.find((b) => b.what.test(describeEvidence(e))) })).find((b) => b.form);
  if (batch) lines.push(`- **Batching:** ${batch.form!.hint}: fewer requests can beat more threads (line ${batch.e.line})`);
  lines.push(...otherFixes(finding));
  lines.push('', detailsLink(finding));
  return lines.join('\n');
}

function otherFixes(finding: Finding): string[] {
  const lines: string[] = [];
  for (const fix of finding.fixes.slice(1)) {
    const caveat = ALTERNATIVE_SHORT[fix.pattern];
    lines.push(`- **Also:** ${PATTERN_SHORT[fix.pattern]} (${fix.applicability})${caveat ? ` — ${caveat}` : ''}`);
    for (const d of fix.doubts ?? []) lines.push(`  - not proven: ${d}`);
  }
  for (const d of finding.declined ?? []) lines.push(`- **Not offered:** ${d}`);
  return lines;
}

const CALL_FIX_TEXT: Record<CallFacts['strategy'], (callee: string, pool?: string, newPool?: CallFacts['newPool']) => string> = {
  sleep: () => '`await asyncio.sleep(…)`: the coroutine yields while it waits',
  'to-thread': (callee) => `\`await asyncio.to_thread(${callee}, …)\`: the call runs in the loop's default thread pool`,
  'thread-executor': (callee) => `\`await asyncio.get_running_loop().run_in_executor(None, ${callee}, …)\` (\`asyncio.to_thread\` needs Python 3.9)`,
  'process-executor': (callee, pool, newPool) =>
    `\`await asyncio.get_running_loop().run_in_executor(${pool ?? (newPool?.scope === 'module' ? '_process_pool()' : 'pool')}, ${callee}, …)\`${
      pool
        ? ` with the \`ProcessPoolExecutor\` \`${pool}\` already in scope`
        : newPool?.scope === 'module'
          ? ', one `ProcessPoolExecutor` for the program made on first use by a module-level `_process_pool()`'
          : ', a new `ProcessPoolExecutor` in a `with` block around the statement (the coroutine runs once per program)'
    }`,
};

/** Hover on a PAR203/PAR204 call: the fix in one line, then the evidence, what was not proven and the risks. */
function explainStallingCall(finding: Finding): string {
  const { stall, strategy, pool, newPool, alone } = finding.call!;
  const cpu = stall.kind === 'cpu';
  const coroutine = stall.coroutine.childForFieldName('name')?.text ?? 'the coroutine';
  const lines = [`**${finding.code}** · ${cpu ? 'CPU-bound' : 'blocking'} call in \`async def ${coroutine}\` — [${finding.name}](${ruleDocsUrl(finding.code)})`];
  const fix = finding.fixes[0];
  lines.push('', fix ? `**Fix** (${fix.applicability}): ${CALL_FIX_TEXT[strategy](stall.callee.text, pool, newPool)}.` : `**Fix:** none offered — ${finding.blockers.join('; ')}.`);
  lines.push('', `- **Evidence:** ${stall.evidence} (line ${lineOf(stall.call)}); the event loop runs every task on one thread, so while this call ${cpu ? 'computes' : 'waits'} no other task runs.`);
  lines.push(...doubtLines(finding.doubts, !!fix));
  const risks: string[] = [];
  if (!alone) risks.push("**Interleaving:** the coroutine now yields at the call: other tasks may run, and change shared state, in between.");
  if (strategy === 'to-thread' || strategy === 'thread-executor') {
    risks.push('**Thread pool size:** at most `min(32, os.cpu_count() + 4)` threads; more concurrent calls queue.');
    risks.push('**Cancellation:** cancelling the coroutine does not stop a call already running in a thread.');
  }
  if (cpu && strategy !== 'process-executor') {
    risks.push(`**GIL:** \`${stall.what}\` ${stall.definition ? 'does its work in library calls that release' : 'releases'} the GIL, so the thread computes in parallel; nothing is pickled.`);
  } else if (cpu) {
    const args = stall.call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment').map((a) => `\`${a.text.split('\n')[0].slice(0, 30)}\``) ?? [];
    risks.push(`**Pickling:** \`${stall.callee.text}\` travels by reference (importable at module level)${args.length ? `; ${args.join(', ')}` : ''} and the result are pickled and copied on every call.`);
    if (newPool?.scope === 'statement') risks.push('**Pool start-up:** the `with` block starts workers (≈ 0.1 s under spawn) and joins them on the event-loop thread, once.');
    if (newPool?.scope === 'module') risks.push('**One pool per program:** `_process_pool()` keeps its workers until exit; an application that owns an executor should pass it in.');
    risks.push('**`__main__` guard:** under spawn workers re-import the module; the fix guards a top-level `asyncio.run(main())`.');
  }
  lines.push(...risks.map((r) => `- ${r}`));
  lines.push('', detailsLink(finding));
  return lines.join('\n');
}

function independenceText(loop: LoopFacts): string {
  // a callee the analysis cannot see may print, prompt or keep state: independence holds only for the code shown
  const unseen = [...new Set(loop.doubts.map((d) => /^cannot see what (`[^`]+`) does/.exec(d.message)?.[1]).filter((x): x is string => !!x))];
  const caveat = unseen.length > 0 ? ` — as far as the code shows: what ${unseen.slice(0, 2).join(' and ')}${unseen.length > 2 ? ' and others' : ''} do${unseen.length === 1 ? 'es' : ''} is not seen` : '';
  if (loop.kind !== 'for') return `each element is computed from its own item only${caveat}.`;
  const folds = loop.parentStatements.map((p) => `\`${shorten(p.statement.text.split('\n')[0], 40)}\` (line ${p.statement.startPosition.row + 1})`);
  const counted = loop.counter ? `; \`${loop.counter.name}\` only counts the iterations (\`${shorten(loop.counter.step.text, 30)}\`, line ${loop.counter.step.startPosition.row + 1}): each item gets its number from \`enumerate\` instead` : '';
  return `no iteration reads a value another one wrote; ${folds.length > 0 ? `results fold into ${folds.join(', ')} in the parent, in order` : 'no result is collected: only the per-item effects run'}${counted}${caveat}.`;
}

function explainRisk(finding: Finding): string {
  // the message is the diagnostic's, shown above the hover: the explanation and the fix follow it
  const lines = [`**${finding.code}** · ${finding.name} — [rule page](${ruleDocsUrl(finding.code)})`];
  if (finding.risk?.explanation) lines.push('', finding.risk.explanation);
  else lines.push('', `${finding.message}.`);
  const fix = finding.fixes[0];
  if (fix) lines.push('', `**Fix** (${fix.applicability}): ${fix.title.replace(/ \(unsafe\)$/, '')}.`);
  lines.push(...doubtLines(finding.doubts, !!fix));
  if (finding.blockers.length > 0) lines.push('', `**No fix:** ${finding.blockers.join('; ')}.`);
  return lines.join('\n');
}

/** The risks of the rewrite, one short bullet each (the rule page explains them). */
function risksFor(finding: Finding, minIterations: number): string[] {
  const loop = finding.loop!;
  // with no fix offered, the risks are those of the rewrite the rule names
  const pattern = finding.fixes[0]?.pattern ?? (finding.code === 'PAR202' ? 'asyncio-gather' : finding.code === 'PAR201' ? 'thread-pool' : 'process-pool');
  const risks: string[] = [];
  const processes = pattern === 'process-pool' || pattern === 'process-pool-comprehension';
  const shipped = loop.freeVariables.map((v) => `\`${v}\``);
  if (processes) {
    const gil = loop.evidence.some((e) => e.kind === 'cpu') ? 'processes, each with its own GIL: ' : '';
    risks.push(`**Pickling:** ${gil}the worker function${shipped.length ? `, ${shipped.join(', ')}` : ''} and every item are pickled and copied to them (no lambdas, nested functions, open handles).`);
    risks.push(`**\`__main__\` guard:** under spawn each worker re-imports the module${finding.fixes.length > 0 ? '; the fix adds the guard where it is missing' : ': module-level work must sit under `if __name__ == "__main__":`'}.`);
  }
  if (pattern === 'thread-pool' && loop.evidence.some((e) => e.kind === 'cpu')) {
    // hashing and compression in C release the GIL: threads overlap that computing too
    const cpu = loop.evidence.filter((e) => e.kind === 'cpu');
    risks.push(cpu.every((e) => e.releasesGil)
      ? `**GIL:** the computing (${cpu.map((e) => `\`${describeEvidence(e)}\``).join(', ')}) is in C library calls that release the GIL on buffers of a few KiB and more (hashing, compression, decoding and resampling images): on such data threads overlap it as well as the waiting.`
      : '**GIL:** part of the work is CPU-bound Python; threads overlap only the waiting.');
  }
  if (loop.reduction) {
    risks.push(`**Ordering:** \`map\` yields the elements in input order, so \`${loop.reduction.reducer}\` consumes them exactly as it consumed the generator (float sums and \`max\`/\`min\` ties come out as before).`);
  } else if (loop.parentStatements.some((p) => p.kind === 'reduce')) {
    // what input order keeps depends on the fold: float rounding, ties, which value of a key is kept
    const folds = loop.parentStatements.filter((p) => p.kind === 'reduce').map((p) => p.operator ?? '');
    const keeps = [
      ...(folds.some((o) => /^(\+=|-=|\*=|@=|= \S+ [-+*@])$/.test(o)) ? ['values combine in the same order (float sums round exactly as before, unlike `sum()` or `math.fsum`; lists and strings join in the same order)'] : []),
      ...(folds.some((o) => o === 'max' || o === 'min') ? ['`max`/`min` ties keep the same element'] : []),
      ...(folds.some((o) => o === '.update' || o === '|=') ? ['a key given by several items keeps the last value, as before'] : []),
      ...(folds.some((o) => o === '.extend' || o === '.appendleft') ? ['the parts are added in input order'] : []),
    ];
    risks.push(`**Ordering:** the reduction stays in the parent in input order${keeps.length ? `: ${keeps.join('; ')}` : ', so its result is the same as before'}.`);
  } else if (loop.parentStatements.some((p) => p.kind === 'select')) {
    risks.push('**Ordering:** the comparison stays in the parent and sees the values in input order: among equal values it keeps the same item as before.');
  } else if (loop.kind === 'for' && loop.parentStatements.length === 0) {
    risks.push('**Ordering:** the per-item effects now happen concurrently, in no fixed order.');
  } else if (pattern === 'asyncio-gather' || pattern === 'asyncio-taskgroup' || pattern === 'asyncio-to-thread' || pattern === 'aiohttp-gather') {
    risks.push(`**Ordering:** ${pattern === 'asyncio-taskgroup' ? 'the tasks\' results are read in input order' : '`gather` returns the results in input order'}: the collection is built as before.`);
  }
  if (loop.isAsync) {
    risks.push('**Read to the end first:** every item of the `async for` source is collected before the first await starts: all of them are held in memory, no result exists until the source has ended, and an error the source raises now comes before any item is handled.');
  }
  if (loop.reduction?.shortCircuit) {
    risks.push(`**Short-circuit:** \`${loop.reduction.reducer}\` still stops consuming at the element that decides; the elements computed past it are discarded, and an exception raised by one of them is never seen, as before.`);
  }
  risks.push(
    pattern === 'asyncio-gather'
      ? '**Exceptions:** the first one propagates from `gather` while the other awaits run on; all awaits start at once (bound them with an `asyncio.Semaphore`).'
      : '**Exceptions:** a worker\'s exception is raised when its result is reached; later items may already have run.',
  );
  const estimate = loop.estimate;
  if (estimate?.repeated) {
    risks.push(`**Over-parallelisation:** a pool here starts again on ${estimate.repeated.what}; hoist the executor out so it starts once.`);
  } else if (estimate && estimate.verdict !== 'pays' && processes) {
    risks.push(`**Over-parallelisation:** ${estimate.items === undefined ? 'the number of items is not known here' : 'the cost of each item is not known'}; with few or cheap items, start-up and pickling cost more than they save.`);
  } else if (!estimate && loop.knownIterations === undefined && processes) {
    risks.push(`**Over-parallelisation:** the number of items is unknown; below ~${minIterations} small items, start-up and pickling cost more than they save.`);
  }
  return risks;
}

export function explainRejected(loop: LoopFacts): string {
  const lines: string[] = [];
  const [main, ...rest] = orderRejections(loop.rejections);
  // each reason once: a callee reached by two calls (or printing twice) gives the same rejection twice
  const others = rest.filter((r, i) => r.message !== main.message && rest.findIndex((o) => o.kind === r.kind && o.message === r.message) === i);
  lines.push(`**Not parallelizable** — ${REASON_TITLE[main.kind]}`);
  lines.push('');
  lines.push(`${capitalise(main.message)}.`);
  lines.push('');
  lines.push(`**Remedy:** ${main.remedy}.`);
  if (others.length > 0) {
    lines.push('');
    lines.push('**Also**');
    // a message that opens with its own title (`not worth a pool: …`) is not titled again
    for (const r of others.slice(0, 3)) lines.push(`- ${r.message.startsWith(`${REASON_TITLE[r.kind]}:`) ? '' : `${REASON_TITLE[r.kind]}: `}${r.message} (line ${r.line})`);
  }
  if (loop.evidence.length > 0) {
    lines.push('');
    lines.push(`Work found: ${heaviestFirst(loop.evidence).slice(0, 3).map((e) => `\`${describeEvidence(e)}\` (line ${e.line}${e.defined ? `, defined in \`${e.defined}\`` : ''})`).join(', ')} — ${workloadWord(loop)}.`);
  }
  // a loop that cannot be split at all: what else could not be proven (cost, pickling) does not matter
  const hard = ['loop-carried', 'shared-state', 'early-exit', 'ordered-effect', 'live-out', 'endless-source', 'unreached', 'already-concurrent'].includes(main.kind);
  if (loop.doubts.length > 0 && main.kind !== 'no-heavy-work' && !hard) {
    lines.push('');
    // a callee's doubt reached by two calls on one line reads the same twice: say it once
    const said = [...new Set(loop.doubts.map((d) => `${d.message} (line ${d.line})`))];
    lines.push('**Could not prove:** ' + said.slice(0, 3).join('; '));
  }
  return lines.join('\n');
}

// a rate limit comes before an ordered effect or a value used after the loop: those a rewrite could handle (replay the
// prints, return the value), a service's terms it cannot
const SEVERITY: RejectionKind[] = ['loop-carried', 'shared-state', 'early-exit', 'rate-limit', 'ordered-effect', 'live-out', 'endless-source', 'recursion', 'no-result', 'unsupported', 'already-concurrent', 'unreached', 'not-worth-it', 'trivial', 'no-heavy-work'];

function orderRejections(rejections: Rejection[]): Rejection[] {
  return [...rejections].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind));
}

/** The reason the hover on a rejected loop leads with: the gravest one (a dependence before a shape), or undefined. */
export function mainRejection(rejections: Rejection[]): Rejection | undefined {
  return orderRejections(rejections)[0];
}

function shorten(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
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
