// PAR204 on a loop: a CPU-bound pure-Python loop written directly in an `async def` holds the event loop for
// as long as it computes. The fix moves the loop into a module-level function run in a process pool with
// `run_in_executor`, under the same pool policy as PAR204 on a call (a pool in scope, else one per statement in a
// coroutine that runs once, else one per program).
import { findStallingLoops, STALL_SECONDS, type StallingLoop, valuesBefore } from '../analysis/asyncLoops';
import { scopeOf } from '../analysis/scope';
import type { StallingCall } from '../analysis/asyncCalls';
import { formatSeconds } from '../analysis/cost';
import { describeEvidence } from '../analysis/effects';
import { asyncioDoubt } from '../analysis/knowledge';
import type { SyntaxNode } from '../parser';
import { children, lineOf } from '../syntax';
import { type AsyncContext, interleavingDoubts, newProcessPool, poolInScope, soleTask } from './asyncRules';
import { ruleDocsUrl } from './catalog';
import { PicklingProver } from './pickling';
import { type Finding, fixTitle } from './types';

export function checkStallingLoops(ctx: AsyncContext, within?: SyntaxNode[]): Finding[] {
  const findings: Finding[] = [];
  for (const loop of findStallingLoops(ctx.analysis, within)) {
    // a loop whose iterations are independent is PAR101/PAR102's (a pool mapping the iterations)
    const facts = ctx.analysis.loops.find((l) => l.node.id === loop.loop.id);
    if (facts && facts.rejections.length === 0 && facts.independence !== 'dependent' && facts.workload === 'cpu') continue;
    findings.push(loopFinding(loop, ctx));
  }
  return findings;
}

function workText(loop: StallingLoop): string {
  return loop.work.open ? `a time the code does not show (${loop.work.open.what}; at least ${formatSeconds(loop.work.cpu)})` : `about ${formatSeconds(loop.work.cpu)}`;
}

function loopFinding(loop: StallingLoop, ctx: AsyncContext): Finding {
  const { analysis } = ctx;
  const coroutine = loop.coroutine.childForFieldName('name')?.text ?? '<coroutine>';
  const stall: StallingCall = {
    kind: 'cpu',
    call: loop.loop,
    coroutine: loop.coroutine,
    callee: loop.loop,
    what: `the loop at line ${lineOf(loop.loop)}`,
    evidence: `\`${describeEvidence(loop.evidence)}\` — the loop computes for ${workText(loop)} in all`,
    sleep: false,
    releasesGil: false,
    loop,
  };
  const alone = soleTask(loop.coroutine, analysis);
  const doubts = [...loop.doubts, ...interleavingDoubts(stall, analysis, alone)];
  const blockers: string[] = [];
  const prover = new PicklingProver(analysis);
  for (const name of loop.inputs) {
    // a local's value at the loop comes from the assignments before it (the loop's own ones stay in the worker)
    const before = scopeOf(loop.coroutine).params.has(name) || !scopeOf(loop.coroutine).locals.has(name) ? null : valuesBefore(name, loop.loop, loop.coroutine);
    const verdicts = before && before.length > 0 ? before.map((v) => prover.value(v, loop.coroutine)) : [prover.name(name, loop.coroutine)];
    const verdict = verdicts.includes('no') ? 'no' : verdicts.every((v) => v === 'yes') ? 'yes' : 'unknown';
    if (verdict === 'no') blockers.push(`\`${name}\`, which the loop reads, cannot be pickled to reach a worker process`);
    else if (verdict === 'unknown') doubts.push(`cannot prove that \`${name}\` (read by the loop) can be pickled: it is sent to the worker process`);
  }
  for (const name of loop.outputs) {
    if (loop.accumulators.includes(name) || loop.inputs.includes(name)) continue;
    if (prover.name(name, loop.coroutine) !== 'yes') doubts.push(`cannot prove that \`${name}\` (set by the loop, read after it) can be pickled back from the worker process`);
  }
  const foreign = asyncioDoubt(loop.loop.tree.text);
  if (foreign) doubts.push(foreign);
  const pool = poolInScope(stall, ctx.pools);
  const newPool = pool ? undefined : newProcessPool(loop.coroutine, analysis, ctx.targetVersion);
  const applicability = doubts.length > 0 ? 'unsafe' : 'safe';
  const colon = children(loop.loop).find((c) => c.type === ':');
  const header = loop.loop;
  return {
    code: 'PAR204',
    name: 'cpu-bound-call-in-async',
    span: {
      startLine: header.startPosition.row,
      startColumn: header.startPosition.column,
      endLine: colon ? colon.endPosition.row : header.startPosition.row,
      endColumn: colon ? colon.endPosition.column : header.startPosition.column + header.text.split('\n')[0].length,
    },
    message: `This loop computes for ${workText(loop)} (${'`'}${describeEvidence(loop.evidence)}${'`'}) inside \`async def ${coroutine}\`, holding the event loop: move it into a function run in a process pool with \`run_in_executor\``,
    call: { stall, strategy: 'process-executor', pool, newPool, alone },
    fixes: blockers.length > 0 ? [] : [{ title: fixTitle(pool ? `Move the loop into a function run in \`${pool}\` with run_in_executor` : 'Move the loop into a function run in a ProcessPoolExecutor with run_in_executor', applicability), pattern: 'process-executor', applicability }],
    doubts,
    blockers,
  };
}

/** The hover on a PAR204 loop: what holds the event loop, what the fix moves, and the risks that apply. */
export function explainStallingLoop(finding: Finding): string {
  const { stall, pool, newPool, alone } = finding.call!;
  const loop = stall.loop!;
  const coroutine = loop.coroutine.childForFieldName('name')?.text ?? 'the coroutine';
  const lines = [`**${finding.code}** · CPU-bound loop in \`async def ${coroutine}\` — [${finding.name}](${ruleDocsUrl(finding.code)})`, '', `**Estimate:** the loop computes for ${workText(loop)} each time the coroutine runs it; ${formatSeconds(STALL_SECONDS)} or more holds the event loop noticeably (shorter loops are not reported).`, '', `${finding.message}.`];
  lines.push('', `**Evidence:** \`${describeEvidence(loop.evidence)}\` (line ${loop.evidence.line}), with no \`await\` in the loop. An event loop runs every task of the program on one thread: while this loop computes, no other task makes progress — requests queue, timers and timeouts fire late.`);
  const where = pool ? `the \`ProcessPoolExecutor\` \`${pool}\` already in scope` : newPool?.scope === 'module' ? 'one `ProcessPoolExecutor` for the whole program, made on first use by a module-level `_process_pool()`' : 'a new `ProcessPoolExecutor` opened in a `with` block around the call (the coroutine runs once per program)';
  const ins = loop.inputs.length > 0 ? `taking ${loop.inputs.map((n) => `\`${n}\``).join(', ')}` : 'taking nothing';
  const outs = loop.outputs.length > 0 ? `and returning ${loop.outputs.map((n) => `\`${n}\``).join(', ')} (read after the loop)` : 'and returning nothing (nothing the loop sets is read after it)';
  const fix = finding.fixes[0];
  lines.push('', fix ? `**Fix** (${fix.applicability}): the loop moves into a module-level function ${ins} ${outs}, awaited with \`asyncio.get_running_loop().run_in_executor(…)\` in ${where}.` : `**Fix:** none offered — ${finding.blockers.join('; ')}.`);
  if (loop.accumulators.length > 0) lines.push('', `${loop.accumulators.map((n) => `\`${n}\``).join(', ')} ${loop.accumulators.length === 1 ? 'is' : 'are'} made empty right before the loop and only filled by it: the worker fills a copy, which then takes ${loop.accumulators.length === 1 ? 'its' : 'their'} place.`);
  if (finding.doubts.length > 0) lines.push('', '**Not proven** (why the fix is marked unsafe)', ...finding.doubts.map((d) => `- ${d}`));
  const risks: string[] = [];
  if (!alone) risks.push("**Interleaving:** the coroutine now yields while the loop runs; other tasks can change shared state in between.");
  risks.push('**Pickling:** the values the loop reads are pickled to the worker process, and its results back; lambdas and open handles cannot be.');
  risks.push('**GIL:** a thread would not do: pure-Python computation holds the GIL, so the event loop would still get little time.');
  risks.push('**`__main__` guard:** under spawn and forkserver each worker re-imports the module; the fix guards a top-level `asyncio.run(main())` if it is not guarded yet.');
  risks.push('**Exceptions:** an exception raised in the loop propagates through the `await` unchanged.');
  lines.push('', '**Risks**', ...risks.map((r) => `- ${r}`));
  return lines.join('\n');
}
