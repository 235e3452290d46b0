// Moves a call off the event loop, in place: `await asyncio.sleep(…)` for `time.sleep`,
// `await asyncio.to_thread(fn, …)` (`run_in_executor(None, …)` before 3.9) for other blocking calls and for
// library computations that release the GIL, and `await asyncio.get_running_loop().run_in_executor(pool, fn, …)`
// with a ProcessPoolExecutor for pure-Python CPU work — the pool in scope, else a `with` block around the
// statement (or the loop holding it) in a coroutine that runs once, else one module-level pool made on first use.
import type { ModuleAnalysis } from '../analysis/loops';
import type { SyntaxNode } from '../parser';
import type { CallFacts, Finding } from '../rules/types';
import { enclosingFunction, lineIndent, namedChildren } from '../syntax';
import { definitionBlock, definitionInsertPoint, type RewriteResult } from './loopRewrite';
import { ensureImports, ensureMainGuard, guardDoubt, type ImportNeed, type Parse } from './module';
import { applySplices, freshName, indentUnit, lineEnd, lineStart, reindent, stringContinuationRows } from './text';

export interface CallRewriteInput {
  text: string;
  analysis: ModuleAnalysis;
  finding: Finding;
  parse: Parse;
}

/** `fn, a, b=c` — the callable followed by the call's own arguments, kept as written. */
function withArguments(callable: string, args: SyntaxNode): string {
  // `f(x for x in xs)`: the generator expression is the argument list, parentheses included
  const inner = args.type === 'generator_expression' ? args.text : args.text.slice(1, -1);
  if (inner.trim() === '') return callable;
  return /^[ \t]*\n/.test(inner) ? `${callable},${inner}` : `${callable}, ${inner}`;
}

function hasKeywords(args: SyntaxNode): boolean {
  return args.type === 'argument_list' && namedChildren(args).some((a) => a.type === 'keyword_argument' || a.type === 'dictionary_splat');
}

/** `await X` where the call stood, parenthesised where the call was the object of `.attr`, `[…]` or `(…)`. */
function awaited(call: SyntaxNode, expression: string): string {
  const parent = call.parent;
  const operand = parent && ['attribute', 'subscript', 'call'].includes(parent.type) && parent.namedChildren[0]?.id === call.id;
  return operand ? `(await ${expression})` : `await ${expression}`;
}

export function rewriteStallingCall({ text, analysis, finding, parse }: CallRewriteInput): RewriteResult {
  const facts = finding.call;
  if (!facts) return { ok: false, reason: 'not a call finding' };
  const { stall, strategy } = facts;
  const { call, callee } = stall;
  const args = call.childForFieldName('arguments');
  if (!args) return { ok: false, reason: 'the call has no argument list' };
  const imports: ImportNeed[] = [{ module: 'asyncio' }];
  const executorCall = (executor: string) => {
    if (!hasKeywords(args)) return `asyncio.get_running_loop().run_in_executor(${withArguments(`${executor}, ${callee.text}`, args)})`;
    imports.push({ from: 'functools', name: 'partial' });
    return `asyncio.get_running_loop().run_in_executor(${executor}, partial(${withArguments(callee.text, args)}))`;
  };
  const used = new Set(analysis.module.identifiers);
  const newPool = facts.newPool;
  // one pool per program: a module-level function makes it on the first call and returns it ever after
  const factory = newPool?.scope === 'module' ? freshName('_process_pool', used) : null;
  const pool = facts.pool ?? (factory ? `${factory}()` : freshName('pool', used));
  let expression: string;
  if (strategy === 'sleep') expression = `asyncio.sleep${args.text}`;
  else if (strategy === 'to-thread') expression = `asyncio.to_thread(${withArguments(callee.text, args)})`;
  else expression = executorCall(strategy === 'thread-executor' ? 'None' : pool);
  const replacement = awaited(call, expression);

  if (strategy !== 'process-executor' || facts.pool) {
    const out = applySplices(text, [{ start: call.startIndex, end: call.endIndex, text: replacement }]);
    return { ok: true, text: ensureImports(out, imports, parse), doubts: [] };
  }
  imports.push({ from: 'concurrent.futures', name: 'ProcessPoolExecutor' });
  const unit = indentUnit(text, stall.coroutine);
  const doubts: string[] = [];
  if (factory && newPool?.scope === 'module') {
    imports.push({ module: 'functools' });
    const definition = `@${newPool.decorator}\ndef ${factory}():\n${unit}return ProcessPoolExecutor()`;
    const at = definitionInsertPoint(text, stall.coroutine);
    let out = applySplices(text, [
      { start: call.startIndex, end: call.endIndex, text: replacement },
      { start: at, end: at, text: definitionBlock(text, at, definition) },
    ]);
    out = guarded(out, parse, unit, analysis, stall, doubts);
    return { ok: true, text: ensureImports(out, imports, parse), doubts };
  }

  // a new pool: a `with` block around the statement, or around the outermost loop of the coroutine holding it
  const wrapped = statementToWrap(call, stall.coroutine);
  if (!wrapped) return { ok: false, reason: 'the call is not in a statement of its own line' };
  const start = lineStart(text, wrapped.startIndex);
  if (text.slice(start, wrapped.startIndex).trim() !== '' || text.slice(wrapped.endIndex, lineEnd(text, wrapped.endIndex)).replace(/#.*/, '').trim() !== '') {
    return { ok: false, reason: 'the statement shares its line with other code' };
  }
  const ind = lineIndent(text, wrapped);
  const statement = applySplices(text.slice(start, wrapped.endIndex), [{ start: call.startIndex - start, end: call.endIndex - start, text: replacement }]);
  const body = reindent(statement, ind, ind + unit, wrapped.startPosition.row, stringContinuationRows(analysis.module.root));
  let out = applySplices(text, [{ start, end: wrapped.endIndex, text: `${ind}with ProcessPoolExecutor() as ${pool}:\n${body}` }]);
  out = guarded(out, parse, unit, analysis, stall, doubts);
  return { ok: true, text: ensureImports(out, imports, parse), doubts };
}

/** `out` with the `__main__` guard a spawned worker needs; what the guard moves is added to `doubts`. */
function guarded(out: string, parse: Parse, unit: string, analysis: ModuleAnalysis, stall: CallFacts['stall'], doubts: string[]): string {
  const guard = ensureMainGuard(out, parse, unit);
  const definition = stall.definition;
  const missing = definition ? [...analysis.summaries.get(definition).globalsRead].filter((g) => guard.guardedNames.has(g)) : [];
  if (missing.length > 0) doubts.push(`\`${missing.join('`, `')}\` is assigned under the new \`__main__\` guard but read by \`${stall.what}\`: a spawned worker process will not have it`);
  const moved = guardDoubt(guard, analysis.module.bindings);
  if (moved) doubts.push(moved);
  return guard.text;
}

/** The statement holding the call, widened to the outermost `for`/`while` of the coroutine around it. */
function statementToWrap(call: SyntaxNode, coroutine: SyntaxNode): SyntaxNode | null {
  let statement: SyntaxNode | null = null;
  for (let n: SyntaxNode | null = call; n && n.id !== coroutine.id; n = n.parent) {
    if (n.parent?.type === 'block' && !statement) statement = n;
    if ((n.type === 'for_statement' || n.type === 'while_statement') && enclosingFunction(n)?.id === coroutine.id) statement = n;
  }
  return statement;
}
