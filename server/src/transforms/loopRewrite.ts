// Rewrites an independent `for` loop into a pool map (processes or threads), awaits gathered in an async def
// (`asyncio.gather`, `asyncio.TaskGroup`), or — from sync code — a new event loop (`asyncio.run`) gathering
// `asyncio.to_thread` calls or aiohttp requests: the per-item work moves into a worker (the callable itself,
// or an extracted module-level function whose free variables become parameters), and the statements that
// fold results stay in the parent, in order.
import type { SyntaxNode } from '../parser';
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts, ParentStatement, RecordedFolds } from '../analysis/model';
import { latencyClass } from '../analysis/latency';
import { importedName, scopeOf } from '../analysis/scope';
import { children, descendantsNamed, enclosingFunction, isAsyncFunction, lineIndent, namedChildren, operandText, statementsOf, walk } from '../syntax';
import { requestsContext, toAiohttpWorker } from './aiohttpRewrite';
import { rewriteCounted } from './counterRewrite';
import { guardedFold, guardedReturn, lateFilterWorker, reindentEdited, rewritePrefiltered } from './filterRewrite';
import { manglePrivateNames } from './mangling';
import { globalsRestorer } from './workerGlobals';
import { ensureImports, ensureMainGuard, guardDoubt, type ImportNeed, type Parse } from './module';
import { combineInitializers, countOf, isCheapToRepeat, parentScopeNames, poolSizing, programText, rateLimitedRequests, rateLimitedWorkers, workerFreeValues } from './poolSetup';
import { applySplices, freshName, indentedUnder, indentUnit, lineEnd, lineStart, reindent, type Splice, stringContinuationRows } from './text';

export type LoopPattern = 'process-pool' | 'thread-pool' | 'multiprocessing-pool' | 'asyncio-gather' | 'asyncio-taskgroup' | 'asyncio-to-thread' | 'aiohttp-gather';

export const LOOP_PATTERNS = new Set<string>(['process-pool', 'thread-pool', 'multiprocessing-pool', 'asyncio-gather', 'asyncio-taskgroup', 'asyncio-to-thread', 'aiohttp-gather']);

export type RewriteResult = { ok: true; text: string; doubts: string[] } | { ok: false; reason: string };

export interface RewriteInput {
  text: string;
  analysis: ModuleAnalysis;
  loop: LoopFacts;
  parse: Parse;
}

type PoolPattern = 'process-pool' | 'thread-pool' | 'multiprocessing-pool';

/** The `with` block the pool patterns open, and the import it needs. */
const POOL: Record<PoolPattern, { cls: string; from: string; name: string }> = {
  'process-pool': { cls: 'ProcessPoolExecutor', from: 'concurrent.futures', name: 'executor' },
  'thread-pool': { cls: 'ThreadPoolExecutor', from: 'concurrent.futures', name: 'executor' },
  'multiprocessing-pool': { cls: 'Pool', from: 'multiprocessing', name: 'pool' },
};

function isPoolPattern(pattern: LoopPattern): pattern is PoolPattern {
  return pattern in POOL;
}

/** The top-level statement (child of the module) containing `node`. */
export function topLevelStatement(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** Where a new module-level definition goes: before the top-level statement, above its leading comments. */
export function definitionInsertPoint(text: string, node: SyntaxNode): number {
  let anchor = topLevelStatement(node);
  for (let prev = anchor.previousSibling; prev && prev.type === 'comment' && prev.endPosition.row + 1 === anchor.startPosition.row; prev = prev.previousSibling) {
    anchor = prev;
  }
  return lineStart(text, anchor.startIndex);
}

/** Text to insert a module-level definition at `at` with PEP 8 spacing (two blank lines around). */
export function definitionBlock(text: string, at: number, definition: string): string {
  const before = text.slice(0, at);
  const blankLinesBefore = at === 0 ? 2 : (/\n*$/.exec(before)?.[0].length ?? 0) - 1;
  const lead = '\n'.repeat(Math.max(0, 2 - Math.max(0, blankLinesBefore)));
  return `${at === 0 ? '' : lead}${definition}\n\n\n`;
}

/** Whether an expression can be iterated twice with the same items (a list, a range, a dict view…). */
export function isReiterable(expr: SyntaxNode, analysis: ModuleAnalysis, fn: SyntaxNode | null, depth = 0, sized = false): boolean {
  if (depth > 4) return false;
  switch (expr.type) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary':
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'string':
      return true;
    case 'call': {
      const f = expr.childForFieldName('function');
      const args = namedChildren(expr.childForFieldName('arguments')!);
      if (f?.type === 'identifier' && ['range', 'list', 'tuple', 'sorted', 'dict', 'set', 'frozenset'].includes(f.text)) return !analysis.module.bindings.has(f.text);
      if (f?.type === 'identifier' && ['enumerate', 'zip', 'reversed'].includes(f.text)) return !sized && args.every((a) => isReiterable(a, analysis, fn, depth + 1));
      if (f?.type === 'attribute' && ['items', 'keys', 'values'].includes(f.childForFieldName('attribute')!.text)) return true;
      return false;
    }
    case 'identifier': {
      const assignments = bindingValues(expr.text, analysis, fn);
      return assignments !== null && assignments.length > 0 && assignments.every((v) => isReiterable(v, analysis, fn, depth + 1, sized));
    }
    default:
      return false;
  }
}

/**
 * The names a new binding made next to `node` could clash with: inside a function, the names its text spells
 * (its locals, the globals and free names it reads, its nested functions' names); at module level, every name in
 * the file, since any function may read a global. Names elsewhere cannot be shadowed by it.
 */
export function namesInScope(node: SyntaxNode, analysis: ModuleAnalysis): Set<string> {
  const fn = enclosingFunction(node);
  const names = new Set<string>();
  walk(fn ?? analysis.module.root, (n) => {
    if (n.type === 'identifier' && !onlyAnAttributeName(n)) names.add(n.text);
    return true;
  });
  return names;
}

/**
 * An identifier that names no variable: an attribute (`futures` in `concurrent.futures`, `self.value`), a keyword
 * argument's name, or a later part of a dotted module name in an import. A new local cannot clash with it.
 */
function onlyAnAttributeName(id: SyntaxNode): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (parent.type === 'attribute') return parent.childForFieldName('attribute')?.id === id.id;
  if (parent.type === 'keyword_argument') return parent.childForFieldName('name')?.id === id.id;
  if (parent.type === 'dotted_name') {
    const statement = parent.parent;
    // `import a.b` binds `a`; `from a.b import c` binds `c` only (its own dotted_name)
    if (statement?.type === 'import_from_statement' && statement.childForFieldName('module_name')?.id === parent.id) return true;
    return parent.namedChildren[0]?.id !== id.id;
  }
  return false;
}

/** Identifiers spelled in `node`: what a new function made of its text can see of its own. */
function namesSpelledIn(node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  walk(node, (n) => {
    if (n.type === 'identifier') names.add(n.text);
    return true;
  });
  return names;
}

/** The right-hand sides of every plain assignment to `name` in the scope (null if bound some other way). */
export function bindingValues(name: string, analysis: ModuleAnalysis, fn: SyntaxNode | null): SyntaxNode[] | null {
  const scopeNode = fn ? fn.childForFieldName('body') : analysis.module.root;
  if (!scopeNode) return null;
  if (fn && !scopeOf(fn).locals.has(name)) return null;
  const values: SyntaxNode[] = [];
  let other = false;
  walk(scopeNode, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      if (n.childForFieldName('name')?.text === name) other = true;
      return false;
    }
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'identifier' && left.text === name && right) values.push(right);
      else if (left && left.type !== 'identifier' && descendantsNamed(left, 'identifier').some((i) => i?.text === name && i.parent?.type !== 'attribute' && i.parent?.type !== 'subscript')) other = true;
    } else if ((n.type === 'for_statement' || n.type === 'augmented_assignment' || n.type === 'named_expression' || n.type === 'as_pattern') && n.text.includes(name)) {
      const target = n.childForFieldName('left') ?? n.childForFieldName('name') ?? n.childForFieldName('alias');
      if ((target ? descendantsNamed(target, 'identifier') : []).some((i) => i?.text === name) || target?.text === name) other = true;
    }
    return true;
  });
  return other ? null : values;
}

const BRACKETED = new Set(['parenthesized_expression', 'list', 'tuple', 'dictionary', 'set', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'string', 'identifier', 'integer', 'float']);

/** An expression's text that stays valid on its own line: a value spanning lines gets parentheses. */
export function standalone(node: SyntaxNode): string {
  if (!node.text.includes('\n') || BRACKETED.has(node.type)) return node.text;
  if (node.type === 'call' && !node.childForFieldName('function')?.text.includes('\n')) return node.text;
  return `(${node.text})`;
}

function replaceRange(whole: SyntaxNode, part: SyntaxNode, replacement: string): string {
  return whole.text.slice(0, part.startIndex - whole.startIndex) + replacement + whole.text.slice(part.endIndex - whole.startIndex);
}

/** The comment that ends a statement's line, with the spaces before it (`  # note`), or null. */
function trailingComment(text: string, end: number): string | null {
  const m = /^[ \t]*#[^\r\n]*/.exec(text.slice(end, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end)));
  return m ? m[0] : null;
}

/** Comments on the loop's header line (`for x in xs:  # note`), kept on the replacement's first line. */
function headerComment(loop: SyntaxNode): string {
  const found: string[] = [];
  walk(loop, (n) => {
    if (n.type === 'comment' && n.startPosition.row === loop.startPosition.row) found.push(n.text);
    return n.startPosition.row <= loop.startPosition.row;
  });
  return found.length ? `  ${found.join(' ')}` : '';
}

export function rewriteLoop(input: RewriteInput, pattern: LoopPattern): RewriteResult {
  const { text, analysis, loop: facts, parse } = input;
  const loop = facts.node;
  const body = loop.childForFieldName('body');
  const target = facts.target;
  // `for x in tqdm(items, desc=…)`: the pool maps over the items, and the bar goes around the results, advancing
  // as each one arrives in order (taking the items through the bar would fill it before any work)
  const progress = facts.iterable ? progressWrapper(facts.iterable, analysis) : null;
  if (progress && pattern !== 'thread-pool' && pattern !== 'process-pool') return { ok: false, reason: 'a progress bar is kept only around an executor\'s results' };
  const iterable = progress?.inner ?? facts.iterable;
  if (facts.kind !== 'for' || !body || !target || !iterable) return { ok: false, reason: 'not a for loop' };
  if (facts.counter) return rewriteCounted(input, pattern, rewriteLoop);
  if (facts.prefilters) return rewritePrefiltered(input, pattern, rewriteLoop);
  const guard = facts.resultGuard;
  const late = facts.lateFilter;
  const recording = facts.recordedFolds;
  // nothing collected: effects (I/O), or CPU work whose values are dropped (the analysis proved it has no effect)
  if (facts.parentStatements.length === 0 && facts.workload === 'unknown') return { ok: false, reason: 'the loop collects no result' };
  const statements = statementsOf(body);
  const firstStatement = statements[0];
  if (!firstStatement || firstStatement.startPosition.row === loop.startPosition.row) return { ok: false, reason: 'one-line loops are not rewritten' };
  if (lineIndent(text, firstStatement).length <= lineIndent(text, loop).length || text.slice(lineStart(text, firstStatement.startIndex), firstStatement.startIndex).trim() !== '') {
    return { ok: false, reason: 'the loop body is not indented under its header' };
  }

  // module-level names (the worker, the gathering helper) are fresh against the whole file; the worker's locals
  // against what the loop body spells and those module-level names
  const used = new Set(analysis.module.identifiers);
  const workerUsed = namesSpelledIn(loop);
  const ind = lineIndent(text, loop);
  const bodyIndent = lineIndent(text, firstStatement);
  const unit = indentUnit(text, loop);
  const frozen = stringContinuationRows(analysis.module.root);
  // awaited in place inside the async def (the others make a pool, or a new event loop from sync code)
  const awaiting = pattern === 'asyncio-gather' || pattern === 'asyncio-taskgroup';
  const parents = facts.parentStatements;
  const needsTarget = parents.some((p) => p.kind === 'store' || p.kind === 'group' || p.kind === 'select' || ((p.kind === 'emit' || p.kind === 'reduce') && p.key)) || !!guard || !!late;
  const targetIsName = target.type === 'identifier';
  const imports: ImportNeed[] = isPoolPattern(pattern) ? [{ from: POOL[pattern].from, name: POOL[pattern].cls }] : [{ module: 'asyncio' }];
  if (pattern === 'aiohttp-gather') imports.push({ module: 'aiohttp' });
  const splices: Splice[] = [];
  const fnScope = facts.function ? scopeOf(facts.function) : null;
  const isModuleCallable = (name: string) =>
    !(fnScope && (fnScope.locals.has(name) || fnScope.params.has(name))) &&
    (analysis.module.bindings.get(name) === 'def' || analysis.module.bindings.get(name) === 'import');
  // `tg.create_task` takes coroutines only: a call of one of this module's `async def`s is one
  const isCoroutineCall = (node: SyntaxNode) => {
    const f = node.type === 'call' ? node.childForFieldName('function') : null;
    const def = f?.type === 'identifier' && isModuleCallable(f.text) ? analysis.module.functions.get(f.text) : undefined;
    return !!def && isAsyncFunction(def);
  };

  // process pools batch the items (chunksize) and threads that wait are counted by them: both need their number
  const processes = pattern === 'process-pool' || pattern === 'multiprocessing-pool';
  const latency = latencyClass(facts.evidence, programText(facts, analysis));
  const counted = processes || (pattern === 'thread-pool' && latency === 'waiting');
  const countable = (n: SyntaxNode) => isReiterable(n, analysis, facts.function, 0, true) && isCheapToRepeat(n);
  const zipArguments = isZipOfNames(iterable, target) ? namedChildren(iterable.childForFieldName('arguments')!) : null;
  const spreadZipCounted = pattern !== 'multiprocessing-pool' && !!zipArguments && zipArguments.every(countable);
  const needsLen = counted && !countable(iterable) && !spreadZipCounted;
  // the items are listed first when they are needed twice (zip with the keys) or their number is needed, and
  // an asynchronous iterator's always: its items are collected (`[x async for x in source]`) before the gather
  if (facts.isAsync && !awaiting) return { ok: false, reason: 'an `async for` is rewritten only by gathering its awaits' };
  const listed = facts.isAsync || needsLen || (needsTarget && !isReiterable(iterable, analysis, facts.function));

  // ---- the worker
  const only = parents.length === 1 && facts.workerStatements.length === 0 ? parents[0] : null;
  const definitions: string[] = []; // extracted module-level functions, in order
  let directCallable: string | null = null; // executor.map(f, xs)
  let directAwaitable: string | null = null; // gather(*(f(x) for x in xs))
  if (only && !recording && !awaiting && pattern !== 'aiohttp-gather' && targetIsName && only.value.type === 'call') {
    const f = only.value.childForFieldName('function');
    const args = namedChildren(only.value.childForFieldName('arguments')!);
    if (f?.type === 'identifier' && args.length === 1 && args[0].type === 'identifier' && args[0].text === target.text && isModuleCallable(f.text)) directCallable = f.text;
  }
  const awaited = only && awaiting && only.value.type === 'await' ? only.value.namedChildren[0] : null;
  if (awaited && !recording && (pattern === 'asyncio-gather' || isCoroutineCall(awaited))) directAwaitable = awaited.text;

  // named after the first collection it fills (a printed line when it only prints)
  const named = parents.find((p) => p.kind !== 'emit') ?? parents[0];
  const base = (named ? (named.kind === 'emit' ? 'line' : named.target.replace(/^_+/, '')) : (facts.targetNames[facts.targetNames.length - 1] ?? 'item').replace(/^_+/, '')) || 'item';
  const free = facts.freeVariables;
  const keywords = free.map((v) => `${v}=${v}`);
  let perItem: string; // for the gathering patterns: the awaitable made for one item
  let mapCall: (items: string) => string = () => ''; // for the pool patterns: `executor.map(…)`
  let executor = '';
  let chunkArgument = ''; // `, chunksize=chunksize`, once the parent's names are chosen
  let poolArguments = ''; // the initializer sending the worker's large free variables once per worker
  if (directCallable) {
    perItem = `asyncio.to_thread(${directCallable}, ${target.text})`;
    mapCall = (items) => `${executor}.map(${directCallable}, ${items}${chunkArgument})`;
  } else if (directAwaitable) {
    perItem = directAwaitable;
  } else {
    const workerName = freshName(parents.length > 0 ? `_compute_${base}` : `_process_${base}`, used);
    workerUsed.add(workerName);
    // the worker body: the loop body with each parent statement replaced by the value it folds in
    const lastStatement = statements[statements.length - 1];
    const singleReturn = !late && !recording && parents.length === 1 && parents[0].statement.id === lastStatement.id;
    const valueNames = singleReturn ? [] : parents.map((_, i) => freshName(parents.length === 1 ? '_value' : `_value_${i + 1}`, workerUsed));
    // comment lines between the header and the first statement belong to the body: they move with it
    let bodyStart = lineStart(text, firstStatement.startIndex);
    for (let above = lineStart(text, bodyStart - 1); bodyStart > 0 && above > loop.startIndex; above = lineStart(text, above - 1)) {
      const line = text.slice(above, bodyStart - 1).replace(/\r$/, '');
      if (!line.startsWith(`${bodyIndent}#`)) break;
      bodyStart = above;
    }
    const bodyText = text.slice(bodyStart, body.endIndex);
    // a parent statement's own comment (`total += y  # running total`) stays with it in the parent
    const foldedInParent = parents.length > 0 && !(parents.length === 1 && parents[0].kind === 'append' && !needsTarget);
    const commentEnd = (p: ParentStatement) => (foldedInParent && !singleReturn ? p.statement.endIndex + (trailingComment(text, p.statement.endIndex)?.length ?? 0) : p.statement.endIndex);
    const bodyRow = firstStatement.startPosition.row - (text.slice(bodyStart, firstStatement.startIndex).match(/\n/g)?.length ?? 0);
    if (!indentedUnder(bodyText, bodyIndent, bodyRow, frozen)) return { ok: false, reason: 'the body mixes tabs and spaces inconsistently' };
    const bodySplices: Splice[] = guard ? [{ start: guard.statement.startIndex - bodyStart, end: guard.statement.endIndex - bodyStart, text: guardedReturn(guard, parents, bodyIndent, unit) }] : parents.map((p, i) => ({
      start: p.statement.startIndex - bodyStart,
      end: commentEnd(p) - bodyStart,
      text: singleReturn ? `return ${standalone(p.value)}` : `${valueNames[i]} = ${standalone(p.value)}`,
    }));
    // (a loop whose folds are recorded and replayed runs every `continue` through the record, the late filter's
    // among them: one protocol for the worker and the parent's fold — round 51's mix left a `continue` in the worker)
    const skipping = late && !recording ? lateFilterWorker(text, late, parents, valueNames, bodyStart, commentEnd, (p) => standalone(p.value)) : null;
    // a collecting statement's own comment goes with it to the parent's replay
    const withComment = (p: ParentStatement) => p.statement.endIndex + (trailingComment(text, p.statement.endIndex)?.length ?? 0);
    const record = recording ? recordingWorker(recording, parents, bodyStart, withComment, freshName('_folds', workerUsed), text) : null;
    let workerBody = applySplices(bodyText, skipping ? skipping.splices : record ? record.splices : bodySplices);
    if (skipping) workerBody += `\n${bodyIndent}${skipping.tail}`;
    else if (record?.head) workerBody = `${bodyIndent}${record.head}\n${workerBody}\n${bodyIndent}${record.tail}`;
    else if (!singleReturn && !guard && valueNames.length > 0) workerBody += `\n${bodyIndent}return ${valueNames.join(', ')}`;
    // the filters' edits change the number of lines: the rows continuing strings are found again in the edited body
    workerBody = guard || late || record ? reindentEdited(workerBody, bodyIndent, unit, parse) : reindent(workerBody, bodyIndent, unit, bodyRow, frozen);
    let itemParams: string[];
    let unpack = '';
    let mapIterables: string[] = [operandText(iterable)];
    if (targetIsName) itemParams = [target.text];
    else if (!isPoolPattern(pattern)) itemParams = facts.targetNames;
    else if (isZipOfNames(iterable, target) && (pattern === 'multiprocessing-pool' || !listed)) {
      // one parameter per zipped iterable (a listed zip is a list of tuples: `starmap` spreads them)
      itemParams = facts.targetNames;
      mapIterables = namedChildren(iterable.childForFieldName('arguments')!).map((a) => a.text);
    } else {
      const item = freshName('item', workerUsed);
      itemParams = [item];
      unpack = `${unit}${target.text} = ${item}\n`;
    }
    // a process pool's worker gets small values with each chunk (`partial`), large ones once (the initializer)
    const { small, definitions: shipping, poolArguments: shipped, prologue } = processes ? workerFreeValues(free, analysis, facts.function, used, unit) : { small: free, definitions: [], poolArguments: '', prologue: '' };
    definitions.push(...shipping);
    poolArguments = shipped;
    let definition = `${awaiting ? 'async ' : ''}def ${workerName}(${[...itemParams, ...small].join(', ')}):\n${prologue}${unpack}${workerBody}`;
    const args = [...itemParams, ...keywords].join(', ');
    if (pattern === 'aiohttp-gather') {
      const session = freshName('session', workerUsed);
      const translated = toAiohttpWorker(definition, parse, requestsContext(analysis), { session, response: freshName('response', workerUsed), unit });
      if (!translated.ok) return translated;
      definition = translated.text;
      perItem = `${workerName}(${session}, ${args})`;
    } else perItem = awaiting ? `${workerName}(${args})` : `asyncio.to_thread(${workerName}, ${args})`;
    // taken out of a class: the private names the compiler mangled there must be spelled mangled
    definitions.push(manglePrivateNames(definition, loop, parse));
    let callable = workerName;
    if (small.length > 0 && isPoolPattern(pattern)) {
      imports.push({ from: 'functools', name: 'partial' });
      callable = `partial(${workerName}, ${small.map((v) => `${v}=${v}`).join(', ')})`;
    }
    const zipped = mapIterables.length > 1;
    if (zipped && pattern === 'multiprocessing-pool') mapCall = (items) => `${executor}.starmap(${callable}, ${items}${chunkArgument})`;
    else mapCall = (items) => `${executor}.map(${callable}, ${zipped && items === operandText(iterable) ? mapIterables.join(', ') : items}${chunkArgument})`;
  }

  // ---- the parent
  // the parent's names live in the enclosing scope: fresh against it and the new module-level definitions
  const parentUsed = parentScopeNames(analysis, facts.function, [...used].filter((n) => !analysis.module.identifiers.has(n)));
  const comment = headerComment(loop);
  const inner = isPoolPattern(pattern) ? ind + unit : ind;
  let replaceStart = loop.startIndex;
  let items = operandText(iterable);
  let materialise = '';
  if (listed) {
    items = freshName('items', parentUsed);
    const element = targetIsName ? target.text : freshName('item', new Set([...parentUsed, items]));
    const listing = facts.isAsync ? `[${element} async for ${element} in ${operandText(iterable)}]` : isListValued(iterable, analysis) ? iterable.text : `list(${operandText(iterable)})`;
    materialise = `${ind}${items} = ${listing}\n`;
  }
  // process pools: the workers start with the parent's values of the globals the program changed (one
  // initializer with the large values sent once per worker, when there are some)
  const restorer = pattern === 'process-pool' || pattern === 'multiprocessing-pool' ? globalsRestorer(facts, analysis, used, unit) : null;
  const initializers = combineInitializers(restorer, poolArguments, used, unit);
  definitions.unshift(...initializers.definitions);
  poolArguments = initializers.poolArguments;
  let poolHeaderArguments = poolArguments;
  if (counted && isPoolPattern(pattern)) {
    const count = listed ? `len(${items})` : countOf(spreadZipCounted && zipArguments ? zipArguments[0] : iterable);
    const sizing = poolSizing(pattern === 'thread-pool' ? 'thread' : pattern === 'process-pool' ? 'process' : 'multiprocessing', latency, count, parentUsed, rateLimitedRequests(facts.doubts));
    materialise += sizing.lines.map((line) => `${ind}${line}\n`).join('');
    chunkArgument = sizing.chunksize;
    poolHeaderArguments = [sizing.workers, poolArguments].filter((a) => a !== '').join(', ');
  } else if (pattern === 'thread-pool') {
    // a rate-limited API: a few threads, not the default min(32, cores + 4)
    poolHeaderArguments = [rateLimitedWorkers(facts.doubts), poolArguments].filter((a) => a !== '').join(', ');
  }
  if (isPoolPattern(pattern)) executor = freshName(POOL[pattern].name, parentUsed);
  const names = pattern === 'asyncio-taskgroup' ? { tg: freshName('tg', parentUsed), tasks: freshName('tasks', parentUsed), task: freshName('task', parentUsed) } : null;
  let setup = ''; // for the TaskGroup: the block creating the tasks
  let results: string; // the expression giving the per-item results in input order
  let isList = false; // whether `results` is a list already
  switch (pattern) {
    case 'asyncio-gather':
      results = `await asyncio.gather(*(${perItem} for ${target.text} in ${items}))`;
      isList = true;
      break;
    case 'asyncio-taskgroup':
      setup = `${ind}async with asyncio.TaskGroup() as ${names!.tg}:${comment}\n${ind}${unit}`;
      setup += parents.length === 0 ? `for ${target.text} in ${items}:\n${ind}${unit}${unit}${names!.tg}.create_task(${perItem})` : `${names!.tasks} = [${names!.tg}.create_task(${perItem}) for ${target.text} in ${items}]`;
      results = `[${names!.task}.result() for ${names!.task} in ${names!.tasks}]`;
      isList = true;
      break;
    case 'asyncio-to-thread':
    case 'aiohttp-gather': {
      const helper = freshName(pattern === 'aiohttp-gather' ? `_fetch_${base}` : `_gather_${base}`, used);
      const itemsParam = freshName('items', new Set([...workerUsed, ...free, ...facts.targetNames, helper]));
      const gather = `await asyncio.gather(*(${perItem} for ${target.text} in ${itemsParam}))`;
      const session = /^\w+\((\w+), /.exec(perItem)?.[1];
      const helperBody =
        pattern === 'aiohttp-gather'
          ? `${unit}async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), trust_env=True) as ${session}:\n${unit}${unit}return ${gather}`
          : `${unit}return ${gather}`;
      definitions.push(`async def ${helper}(${[itemsParam, ...free].join(', ')}):\n${helperBody}`);
      results = `asyncio.run(${helper}(${[items, ...free].join(', ')}))`;
      isList = true;
      break;
    }
    default:
      if (processes) imports.push({ module: 'os' });
      results = mapCall(items);
      isList = pattern === 'multiprocessing-pool';
      if (progress) {
        const total = progress.hasTotal ? null : listed ? `len(${items})` : isReiterable(iterable, analysis, facts.function, 0, true) && isCheapToRepeat(iterable) ? countOf(iterable) : null;
        results = `${progress.callee}(${[results, ...progress.rest, ...(total ? [`total=${total}`] : [])].join(', ')})`;
      }
  }
  const asList = (expr: string) => (isList ? expr : `list(${expr})`);
  let core: string;
  const prev = loop.previousNamedSibling;
  const single = parents.length === 1 && parents[0].kind === 'append' ? parents[0] : null;
  if (parents.length === 0) {
    // effects only (writing files, uploading): run them all, re-raising the first failure
    core = pattern === 'asyncio-taskgroup' ? '' : `${inner}${isList ? results : asList(results)}`;
  } else if (recording) {
    core = replayedFolds(parents, results, inner, unit, parentUsed, text, needsTarget ? { target: targetIsName ? target.text : `(${target.text})`, items } : null);
  } else if (guard || late) {
    core = guardedFold({ guard: (guard ?? late)!, parents, target, items, results, indent: inner, unit, used: parentUsed, text });
  } else if (single && !needsTarget) {
    const initialisedEmpty =
      prev?.type === 'expression_statement' &&
      prev.namedChildren[0]?.type === 'assignment' &&
      prev.namedChildren[0].childForFieldName('left')?.text === single.target &&
      /^\[\s*\]$/.test(prev.namedChildren[0].childForFieldName('right')?.text ?? '') &&
      text.slice(prev.endIndex, loop.startIndex).trim() === '';
    if (initialisedEmpty && prev) {
      replaceStart = prev.startIndex;
      core = `${single.target} = ${asList(results)}`;
    } else {
      core = `${single.target}.extend(${results})`;
    }
    core = `${inner}${core}`;
  } else {
    // a selection's `if` replays as written, on the value under the name the body gave it (selectionTail)
    const vars = parents.map((p) => (p.kind === 'select' ? p.value.text : parents.length === 1 ? freshName('value', parentUsed) : freshName(`${p.target.replace(/^_+/, '')}_value`, parentUsed)));
    const foldLines = parents.map((p: ParentStatement, i) => {
      if (p.kind === 'select') return reindent(text.slice(lineStart(text, p.statement.startIndex), p.statement.endIndex), bodyIndent, `${inner}${unit}`, p.statement.startPosition.row, frozen);
      const statement = replaceRange(p.statement, p.value, vars[i]) + (trailingComment(text, p.statement.endIndex) ?? '');
      return reindent(statement, '', `${inner}${unit}`, -1, new Set());
    });
    const folded = vars.length > 1 ? `(${vars.join(', ')})` : vars[0];
    const header = needsTarget ? `for ${targetIsName ? target.text : `(${target.text})`}, ${folded} in zip(${items}, ${results}):` : `for ${vars.join(', ')} in ${results}:`;
    core = `${inner}${header}\n${foldLines.join('\n')}`;
  }
  let replacement: string;
  if (isPoolPattern(pattern)) replacement = `with ${POOL[pattern].cls}(${poolHeaderArguments}) as ${executor}:${comment}\n${core}`;
  else if (setup) replacement = (core ? `${setup}\n${core}` : setup).slice(ind.length);
  else replacement = `${core.slice(ind.length)}${comment}`;
  if (directCallable || directAwaitable) {
    // no worker keeps the body's text: its comments go above the replacement rather than being lost
    // a folding statement's own comment stays on it in the parent's loop
    const keptOnFold = (c: SyntaxNode) => !(single && !needsTarget) && parents.some((p) => c.startIndex >= p.statement.endIndex && c.startPosition.row === p.statement.endPosition.row);
    // (those of an `else:` block stay with it, after the pool)
    const inElse = (c: SyntaxNode) => !!loop.childForFieldName('alternative') && c.startIndex > body.endIndex;
    const bodyComments = descendantsNamed(loop, 'comment').filter((c) => c.startPosition.row > loop.startPosition.row && !keptOnFold(c) && !inElse(c));
    if (bodyComments.length > 0) replacement = `${bodyComments.map((c) => c.text).join(`\n${ind}`)}\n${ind}${replacement}`;
  }
  if (materialise) {
    const lineBegin = lineStart(text, replaceStart);
    splices.push({ start: lineBegin, end: lineBegin, text: materialise });
  }
  // `for … else:` (no `break`): the `else:` block runs once after the loop, so after the replacement
  const elseClause = loop.childForFieldName('alternative');
  const elseBlock = elseClause?.childForFieldName('body');
  const elseColon = elseClause ? children(elseClause).find((c) => c.type === ':') : undefined;
  if (elseClause && (!elseBlock || !elseColon)) return { ok: false, reason: 'the `else:` clause has no block' };
  let afterLoop = '';
  if (elseBlock && elseColon) {
    if (elseBlock.startPosition.row === elseColon.startPosition.row) afterLoop = `\n${ind}${elseBlock.text}`;
    else {
      const blockStart = lineEnd(text, elseColon.endIndex);
      const blockIndent = /^[ \t]*/.exec(text.slice(lineStart(text, elseBlock.startIndex)))![0];
      afterLoop = `\n${reindent(text.slice(blockStart, elseBlock.endIndex), blockIndent, ind, elseColon.startPosition.row + 1, frozen)}`;
    }
  }
  splices.push({ start: replaceStart, end: elseClause ? body.endIndex : loop.endIndex, text: replacement });
  if (elseClause) splices.push({ start: body.endIndex, end: loop.endIndex, text: afterLoop });
  if (definitions.length > 0) {
    // before the top-level statement holding the loop (or the folded `out = []` above it)
    const folded = replaceStart < loop.startIndex && prev ? prev : loop;
    const at = Math.min(definitionInsertPoint(text, folded), definitionInsertPoint(text, loop));
    splices.push({ start: at, end: at, text: definitionBlock(text, at, definitions.join('\n\n\n')) });
  }
  let rewritten = applySplices(text, splices);

  const doubts: string[] = [];
  if (pattern === 'process-pool' || pattern === 'multiprocessing-pool') {
    // the lines sizing the pool belong with it under the guard (at module level)
    const sizingAt = materialise ? rewritten.indexOf(materialise, lineStart(text, replaceStart)) : -1;
    const guard = ensureMainGuard(rewritten, parse, unit, sizingAt < 0 ? undefined : { from: sizingAt, to: sizingAt + materialise.length });
    rewritten = guard.text;
    const needed = globalsNeededByWorker(facts, analysis);
    const missing = [...needed].filter((g) => guard.guardedNames.has(g));
    if (missing.length > 0) doubts.push(`\`${missing.join('`, `')}\` is assigned under the new \`__main__\` guard but read by the worker: a spawned worker process will not have it`);
    const moved = guardDoubt(guard, analysis.module.bindings);
    if (moved) doubts.push(moved);
  }
  rewritten = ensureImports(rewritten, imports, parse);
  return { ok: true, text: rewritten, doubts };
}

/**
 * The worker's edits when it records the results (offsets relative to `offset`): each collecting statement appends
 * its value to the record (tagged with the statement's index when there are several), each of the loop's
 * `continue`s returns the record so far; the worker starts with an empty record and ends returning it.
 */
function recordingWorker(recording: RecordedFolds, parents: ParentStatement[], offset: number, end: (p: ParentStatement) => number, record: string, text: string): { splices: Splice[]; head: string; tail: string } {
  const fold = foldIndexes(parents, text);
  const single = fold.every((f) => f === 0);
  const splices: Splice[] = parents.map((p, i) => ({
    start: p.statement.startIndex - offset,
    end: end(p) - offset,
    text: `${record}.append(${single ? standalone(p.value) : `(${fold[i]}, ${standalone(p.value)})`})`,
  }));
  // nothing collected (effects only): a `continue` ends the call, and there is no record to keep
  if (parents.length === 0) return { splices: recording.continues.map((c) => ({ start: c.startIndex - offset, end: c.endIndex - offset, text: 'return' })), head: '', tail: '' };
  for (const c of recording.continues) splices.push({ start: c.startIndex - offset, end: c.endIndex - offset, text: `return ${record}` });
  return { splices: splices.sort((a, b) => a.start - b.start), head: `${record} = []`, tail: `return ${record}` };
}

/**
 * For each collecting statement, the number of the replay it goes through: statements that replay the same way
 * (`results.append(value)` in the `if`, the `else` and the `except` alike, with the same comment) share one, so
 * the parent does not test for three folds that do the same thing.
 */
function foldIndexes(parents: ParentStatement[], text: string): number[] {
  const distinct: string[] = [];
  return parents.map((p) => {
    const key = replaceRange(p.statement, p.value, '\u0000') + (trailingComment(text, p.statement.endIndex) ?? '');
    const known = distinct.indexOf(key);
    return known >= 0 ? known : distinct.push(key) - 1;
  });
}

/**
 * The parent's loop replaying each item's record in input order: every recorded value goes through the collecting
 * statement that recorded it (`for folds in results:` / `for fold, value in folds:` / `if fold == 0: …`); with
 * keyed stores, beside its item (`for doc, folds in zip(docs, results):`).
 */
function replayedFolds(
  parents: ParentStatement[],
  results: string,
  indent: string,
  unit: string,
  used: Set<string>,
  text: string,
  keyed: { target: string; items: string } | null,
): string {
  const folds = freshName('folds', used);
  const value = freshName('value', new Set([...used, folds]));
  const fold = freshName('fold', new Set([...used, folds, value]));
  const statementAt = (p: ParentStatement, at: string) => {
    const statement = replaceRange(p.statement, p.value, value) + (trailingComment(text, p.statement.endIndex) ?? '');
    return reindent(statement, '', at, -1, new Set());
  };
  // keyed stores compute their key from the parent's own item as they replay: the items go along with the records
  const lines = [keyed ? `${indent}for ${keyed.target}, ${folds} in zip(${keyed.items}, ${results}):` : `${indent}for ${folds} in ${results}:`];
  // one statement per distinct replay, the first of those that replay alike
  const index = foldIndexes(parents, text);
  const replays = parents.filter((_, i) => index.indexOf(index[i]) === i);
  if (replays.length === 1) {
    lines.push(`${indent}${unit}for ${value} in ${folds}:`, statementAt(replays[0], `${indent}${unit}${unit}`));
  } else {
    lines.push(`${indent}${unit}for ${fold}, ${value} in ${folds}:`);
    replays.forEach((p, i) => {
      lines.push(`${indent}${unit}${unit}${i === 0 ? 'if' : 'elif'} ${fold} == ${i}:`, statementAt(p, `${indent}${unit}${unit}${unit}`));
    });
  }
  return lines.join('\n');
}

/** `tqdm(items, desc=…)` (from the `tqdm` package): the items it wraps, and the rest of its arguments. */
export function progressWrapper(iterable: SyntaxNode, analysis: ModuleAnalysis): { inner: SyntaxNode; callee: string; rest: string[]; hasTotal: boolean } | null {
  if (iterable.type !== 'call') return null;
  const callee = iterable.childForFieldName('function');
  const imported = callee ? importedName(callee.text, analysis.module) : null;
  if (!imported || !/^tqdm(\.(auto|notebook|std))?\.tqdm$|^tqdm$/.test(imported)) return null;
  const args = namedChildren(iterable.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const first = args[0];
  if (!first || first.type === 'keyword_argument' || first.type.endsWith('splat')) return null;
  return { inner: first, callee: callee!.text, rest: args.slice(1).map((a) => a.text), hasTotal: args.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'total') };
}

/** Whether an expression evaluates to a fresh list (`sorted(xs)`, `[…]`): listing it again would copy it for nothing. */
function isListValued(expr: SyntaxNode, analysis: ModuleAnalysis): boolean {
  if (expr.type === 'list' || expr.type === 'list_comprehension') return true;
  const f = expr.type === 'call' ? expr.childForFieldName('function') : null;
  return f?.type === 'identifier' && (f.text === 'list' || f.text === 'sorted') && !analysis.module.bindings.has(f.text);
}

function isZipOfNames(iterable: SyntaxNode, target: SyntaxNode): boolean {
  if (iterable.type !== 'call' || iterable.childForFieldName('function')?.text !== 'zip') return false;
  const args = namedChildren(iterable.childForFieldName('arguments')!);
  const names = namedChildren(target);
  return (target.type === 'pattern_list' || target.type === 'tuple_pattern') && names.length === args.length && names.every((n) => n.type === 'identifier') && args.every((a) => !a.type.endsWith('splat') && a.type !== 'keyword_argument');
}

/** Module-level variables that the functions called by the worker read as globals. */
export function globalsNeededByWorker(facts: LoopFacts, analysis: ModuleAnalysis): Set<string> {
  const needed = new Set<string>();
  const nodes = [...facts.workerStatements, ...facts.parentStatements.map((p) => p.value)];
  if (facts.element) nodes.push(facts.element);
  if (facts.mapCallable) nodes.push(facts.mapCallable);
  for (const n of nodes) {
    walk(n, (m) => {
      if (m.type === 'identifier' && analysis.module.bindings.get(m.text) === 'def') {
        for (const g of analysis.summaries.get(analysis.module.functions.get(m.text)!).globalsRead) needed.add(g);
      }
      return true;
    });
  }
  return needed;
}

