// Rewrites a CPU-bound comprehension or `list(map(f, xs))` into `executor.map(f, xs, chunksize=…)` inside a
// process pool opened around the statement that contains it.
import type { SyntaxNode } from '../parser';
import { latencyClass } from '../analysis/latency';
import { scopeOf } from '../analysis/scope';
import { lineIndent, namedChildren } from '../syntax';
import { definitionBlock, definitionInsertPoint, globalsNeededByWorker, isReiterable, namesInScope, standalone, type RewriteInput, type RewriteResult } from './loopRewrite';
import { manglePrivateNames } from './mangling';
import { globalsRestorer } from './workerGlobals';
import { ensureImports, ensureMainGuard, guardDoubt, type ImportNeed } from './module';
import { combineInitializers, countOf, isCheapToRepeat, parentScopeNames, poolSizing, programText, rateLimitedRequests, rateLimitedWorkers, workerFreeValues } from './poolSetup';
import { applySplices, freshName, indentedUnder, indentUnit, lineStart, reindent, type Splice, stringContinuationRows } from './text';

const SIMPLE_STATEMENTS = new Set(['expression_statement', 'return_statement']);

/**
 * `processes`: a `ProcessPoolExecutor` (CPU-bound elements, PAR103); `threads`: a `ThreadPoolExecutor` for
 * elements that block on I/O (PAR201), sized like the loop rewrites' thread pools (one thread per item up to 32
 * when the waits are on the network, a process or a timer), with nothing pickled and no `__main__` guard.
 */
export function rewriteComprehension(input: RewriteInput, pool: 'processes' | 'threads' = 'processes'): RewriteResult {
  const { text, analysis, loop: facts, parse } = input;
  const threads = pool === 'threads';
  const node = facts.node;
  let statement: SyntaxNode | null = node;
  while (statement && statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') statement = statement.parent;
  if (!statement || !SIMPLE_STATEMENTS.has(statement.type)) return { ok: false, reason: 'the comprehension is not part of a simple statement' };
  if (statement.startPosition.row !== lineStartRow(text, statement)) return { ok: false, reason: 'the statement shares its line with another' };
  const iterable = facts.kind === 'map-call' ? null : facts.iterable;
  if (facts.kind !== 'map-call' && !iterable) return { ok: false, reason: 'no iterable' };

  // the worker is module-level (fresh against the file); `executor` and `items` are bound in the statement's scope
  const used = new Set(analysis.module.identifiers);
  const scopeUsed = namesInScope(statement, analysis);
  const ind = lineIndent(text, statement);
  const unit = indentUnit(text, statement);
  const frozen = stringContinuationRows(analysis.module.root);
  const poolClass = threads ? 'ThreadPoolExecutor' : 'ProcessPoolExecutor';
  const imports: ImportNeed[] = threads ? [{ from: 'concurrent.futures', name: poolClass }] : [{ from: 'concurrent.futures', name: poolClass }, { module: 'os' }];
  const splices: Splice[] = [];
  const fnScope = facts.function ? scopeOf(facts.function) : null;
  const isModuleCallable = (name: string) =>
    !(fnScope && (fnScope.locals.has(name) || fnScope.params.has(name))) &&
    (analysis.module.bindings.get(name) === 'def' || analysis.module.bindings.get(name) === 'import');

  // the callable shipped to the workers
  const definitions: string[] = []; // module-level functions the rewrite adds, in order
  let callable: string;
  let poolArguments = ''; // `initializer=…, initargs=(…)`
  let iterables: string[];
  let pairs = false; // dict comprehension whose worker returns (key, value)
  if (facts.kind === 'map-call') {
    const f = facts.mapCallable!;
    const root = f.type === 'attribute' ? f.text.split('.')[0] : f.text;
    if (!(f.type === 'identifier' || f.type === 'attribute') || !isModuleCallable(root)) return { ok: false, reason: 'the mapped callable is not a module-level function' };
    callable = f.text;
    iterables = facts.mapIterables!.map((i) => i.text);
  } else {
    const target = facts.target!;
    const element = facts.element!;
    const key = facts.elementKey;
    const keyIsTarget = key ? key.text === target.text && target.type === 'identifier' : true;
    const f = element.type === 'call' ? element.childForFieldName('function') : null;
    const args = element.type === 'call' ? namedChildren(element.childForFieldName('arguments')!) : [];
    if (f?.type === 'identifier' && isModuleCallable(f.text) && args.length === 1 && args[0].text === target.text && target.type === 'identifier' && keyIsTarget) {
      callable = f.text;
    } else {
      const name = freshName(`_compute_${assignedName(statement) ?? 'item'}`, used);
      const item = target.type === 'identifier' ? target.text : freshName('item', new Set([...scopeUsed, name]));
      const unpack = target.type === 'identifier' ? '' : `${unit}${target.text} = ${item}\n`;
      pairs = !keyIsTarget;
      const value = pairs ? `${standalone(key!)}, ${standalone(element)}` : standalone(element);
      const returned = reindent(`return ${value}`, '', unit, -1, new Set());
      // small free values travel with each chunk (`partial`), large ones once per worker (the initializer);
      // threads share memory: every free value is bound with `partial`
      const { small, definitions: shipping, poolArguments: shipped, prologue } = threads ? { small: facts.freeVariables, definitions: [], poolArguments: '', prologue: '' } : workerFreeValues(facts.freeVariables, analysis, facts.function, used, unit);
      definitions.push(...shipping);
      poolArguments = shipped;
      definitions.push(manglePrivateNames(`def ${name}(${[item, ...small].join(', ')}):\n${prologue}${unpack}${returned}`, node, parse));
      callable = name;
      if (small.length > 0) {
        imports.push({ from: 'functools', name: 'partial' });
        callable = `partial(${name}, ${small.map((v) => `${v}=${v}`).join(', ')})`;
      }
    }
    iterables = [iterable!.text];
  }
  const filters = facts.kind === 'comprehension' ? namedChildren(node).filter((c) => c.type === 'if_clause') : [];

  // the parent's new names: fresh in the scope holding the statement and against the new definitions
  const parentUsed = parentScopeNames(analysis, facts.function, [...used].filter((n) => !analysis.module.identifiers.has(n)));
  // chunks: about four per worker, so that small items do not pay one round trip each
  let prelude = '';
  const sized = facts.kind === 'map-call' ? facts.mapIterables! : [iterable!];
  const countable = (n: SyntaxNode) => isReiterable(n, analysis, facts.function, 0, true) && isCheapToRepeat(n);
  if (filters.length > 0) {
    // the filter stays in the parent: it selects the items, the workers compute the elements
    const items = freshName('items', parentUsed);
    const t = facts.target!;
    const element = t.type === 'identifier' ? t.text : `(${t.text})`;
    prelude = `${ind}${items} = [${element} for ${t.text} in ${iterable!.text} ${filters.map((f) => f.text).join(' ')}]\n`;
    iterables = [items];
  } else if (!countable(sized[0])) {
    // `len()` below needs a sized iterable, named: `zip(…)`, `enumerate(…)`, iterators and calls are listed first
    const items = freshName('items', parentUsed);
    prelude = `${ind}${items} = list(${iterables[0]})\n`;
    iterables = [items, ...iterables.slice(1)];
  }
  const latency = latencyClass(facts.evidence, programText(facts, analysis));
  // a thread pool of the default size needs no count: the items are not listed for it
  if (threads && latency !== 'waiting' && filters.length === 0 && prelude) {
    prelude = '';
    iterables = facts.kind === 'map-call' ? facts.mapIterables!.map((i) => i.text) : [iterable!.text];
  }
  // `any`/`all` stop at the deciding element: one task per item, so that an exception of a later item in the
  // same batch cannot reach the reduction before the deciding result does (it never did sequentially)
  const oneByOne = !threads && facts.reduction?.shortCircuit === true;
  const sizing = oneByOne ? { lines: [], workers: '', chunksize: '' } : poolSizing(threads ? 'thread' : 'process', latency, prelude ? `len(${iterables[0]})` : countOf(sized[0]), parentUsed, rateLimitedRequests(facts.doubts));
  if (oneByOne) {
    const os = imports.findIndex((i) => 'module' in i && i.module === 'os');
    if (os >= 0) imports.splice(os, 1);
    if (filters.length === 0) {
      prelude = '';
      iterables = [iterable!.text];
    }
  }
  prelude += sizing.lines.map((line) => `${ind}${line}\n`).join('');
  const executor = freshName('executor', parentUsed);
  const mapped = `${executor}.map(${callable}, ${iterables.join(', ')}${sizing.chunksize})`;
  let replacement: string;
  switch (node.type) {
    case 'generator_expression':
      // the reduction consumes the mapped results in input order, as it consumed the generator
      replacement = facts.reduction?.bare ? `(${mapped})` : mapped;
      break;
    case 'set_comprehension':
      replacement = `set(${mapped})`;
      break;
    case 'dictionary_comprehension':
      replacement = pairs ? `dict(${mapped})` : `dict(zip(${iterables[0]}, ${mapped}))`;
      break;
    default:
      replacement = `list(${mapped})`;
  }
  if (!indentedUnder(text.slice(lineStart(text, statement.startIndex), statement.endIndex), ind, statement.startPosition.row, frozen)) {
    return { ok: false, reason: 'the statement mixes tabs and spaces inconsistently' };
  }
  const newStatement = statement.text.slice(0, node.startIndex - statement.startIndex) + replacement + statement.text.slice(node.endIndex - statement.startIndex);
  const body = reindent(newStatement, ind, `${ind}${unit}`, statement.startPosition.row, frozen);
  // the workers start with the parent's values of the globals the program changed
  const restorer = threads ? null : globalsRestorer(facts, analysis, used, unit);
  const initializers = combineInitializers(restorer, poolArguments, used, unit);
  definitions.unshift(...initializers.definitions);
  if (definitions.length > 0) {
    const at = definitionInsertPoint(text, node);
    splices.push({ start: at, end: at, text: definitionBlock(text, at, definitions.join('\n\n\n')) });
  }
  poolArguments = initializers.poolArguments;
  // a rate-limited API: a few threads, not the default min(32, cores + 4)
  const capped = threads && !sizing.workers ? rateLimitedWorkers(facts.doubts) : '';
  const header = [sizing.workers || capped, poolArguments].filter((a) => a !== '').join(', ');
  const wrapped = `${prelude}${ind}with ${poolClass}(${header}) as ${executor}:\n${body.startsWith(ind + unit) ? body : ind + unit + body.trimStart()}`;
  splices.push({ start: statement.startIndex, end: statement.endIndex, text: wrapped.slice(ind.length) });
  let rewritten = applySplices(text, splices);
  const doubts: string[] = [];
  if (threads) return { ok: true, text: ensureImports(rewritten, imports, parse), doubts };
  // the lines sizing the pool belong with it under the guard (at module level)
  const sizingAt = prelude === '' ? -1 : rewritten.indexOf(prelude, lineStart(text, statement.startIndex));
  const guard = ensureMainGuard(rewritten, parse, unit, sizingAt < 0 ? undefined : { from: sizingAt, to: sizingAt + prelude.length });
  rewritten = guard.text;
  const missing = [...globalsNeededByWorker(facts, analysis)].filter((g) => guard.guardedNames.has(g));
  if (missing.length > 0) doubts.push(`\`${missing.join('`, `')}\` is assigned under the new \`__main__\` guard but read by the worker: a spawned worker process will not have it`);
  const moved = guardDoubt(guard, analysis.module.bindings);
  if (moved) doubts.push(moved);
  rewritten = ensureImports(rewritten, imports, parse);
  return { ok: true, text: rewritten, doubts };
}

function lineStartRow(text: string, node: SyntaxNode): number {
  const start = lineStart(text, node.startIndex);
  return /^[ \t]*$/.test(text.slice(start, node.startIndex)) ? node.startPosition.row : -1;
}

function assignedName(statement: SyntaxNode): string | null {
  const e = statement.namedChildren[0];
  if (e?.type === 'assignment') {
    const left = e.childForFieldName('left');
    if (left?.type === 'identifier') return left.text.replace(/^_+/, '');
  }
  return null;
}
