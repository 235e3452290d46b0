// Finds the loops, comprehensions and `list(map(...))` calls of a module and establishes their LoopFacts:
// result collection, reductions, carried dependencies, shared state, early exits, liveness, workload.
import { disjointElementStore } from './elementStores';
import { sharedEngine } from './engines';
import type { SyntaxNode, SyntaxTree } from '../parser';
import {
  ancestor,
  boundNames,
  children,
  dottedName,
  enclosingFunction,
  isAncestorOf,
  isAsyncFunction,
  isNamePattern,
  lineOf,
  namedChildren,
  SCOPE_TYPES,
  type Span,
  statementsOf,
  walk,
  descendantsNamed,
  descendantsOfTypes,
  tokensSpelled,
  textIncludes,
} from '../syntax';
import { type Access, type BodyAccesses, bodyAccesses, programExit, readsIn } from './dependence';
import { authenticatingCommand, describeItemProgram, heavyProgramCommand, itemProgram, quickOperandCommand, quickProgramCommand, selfThreadedCommandDoubt, storeCommand } from './commands';
import { describeModelRun, modelRun, threadedTraining } from './models';
import { answerOnlyIdentifies, describeEvidence, type Evidence, fileWrite, recordWrite, RECORD_WRITE_REMEDY, plainlyRebound, WRITER_METHODS, plainArgumentFor, readsItem, sameEveryIteration, spelledAsFile, variesWithItem, FunctionSummaries, type NameRole, type Pace, type Problem, type RegionContext, type RegionEffects, scanRegion, waitsOnlyOnPrograms } from './effects';
import { isDatabaseHandle, memoisedCallee } from './globalState';
import { BUILTIN_NAMES, foreignEventLoop, isStdlibModule, lookupCall, SERIAL_SERVICES } from './knowledge';
import { type CostEstimate, estimateLoop, FEW_ITEMS_FOR_PROCESSES, formatSeconds, guessedWait, singleValue, WorkEstimator } from './cost';
import type { Independence, LoopFacts, ParentStatement, RejectionKind } from './model';
import type { ImportResolver } from './moduleSummary';
import { analyzeModule, definitionOf, importedName, isInTargetPosition, isPlainExpression, isReadOccurrence, type ModuleInfo, namesBoundBy, scopeOf, valuesBound, withItemPattern } from './scope';
import { singleOwnerUse } from './singleOwner';
import { workbookSheetsRejection } from './workbooks';
import { generatedImagesRejection } from './generatedImages';
import { decodedImage } from './images';
import { classDefining, methodArgumentFor, sameFileCallees, sameFileMethod } from './methods';
import { describeTyped, typedByHand } from './typedInput';
import { dominantWorkload } from './workload';
import { type CheapContext, costlyPart } from './cheapExpressions';
import { continueRejection, lateFilter, leadingFilters, namesChangedIn, nestedFolds, resultGuard, topLevelSkip } from './filters';
import { checkReduction, generatorReduction } from './reductions';
import { asyncSource } from './asyncSources';
import { awaitedItems, awaitsOnlyItems } from './awaitedItems';
import { idleAwaits } from './idleCoroutines';

export interface AnalysisOptions {
  /** Below this many known items, a loop whose work per item cannot be estimated is not reported. */
  minIterations: number;
  /** The estimated speedup a rewrite must reach to be reported. */
  minSpeedup: number;
  /** The cores decisions assume (not the machine's: CI and a laptop must agree). */
  targetCores: number;
  /** The cores of the machine the tool runs on: only for the figure the hover adds. */
  localCores?: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = { minIterations: 16, minSpeedup: 1.3, targetCores: 4 };

export interface ModuleAnalysis {
  module: ModuleInfo;
  summaries: FunctionSummaries;
  loops: LoopFacts[];
}

const DEPENDENCE_KINDS = new Set<RejectionKind>(['loop-carried', 'shared-state', 'early-exit', 'ordered-effect', 'live-out', 'endless-source']);

/**
 * The facts of every loop of the module, or only of the loops inside `units` (top-level statements, in
 * document order): a loop's facts depend on the rest of the module only through the names it uses.
 */
export function analyzeTree(tree: SyntaxTree, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS, units?: SyntaxNode[], workspace?: ImportResolver): ModuleAnalysis {
  const module = analyzeModule(tree.rootNode);
  // the functions of other workspace modules it imports are analysed through their summaries
  if (workspace) module.workspace = workspace;
  const summaries = new FunctionSummaries(module);
  const loops: LoopFacts[] = [];
  const candidates = units ? units.flatMap((unit) => loopCandidates(unit)) : loopCandidates(tree.rootNode);
  const estimator = new WorkEstimator(module);
  for (const n of candidates) {
    const facts = n.type === 'for_statement' ? analyzeFor(n, module, summaries, options) : n.type === 'call' ? analyzeMapCall(n, module, summaries, options) : analyzeComprehension(n, module, summaries, options);
    weighCost(facts, module, estimator, options);
    rejectProgramRuns(facts, module);
    rejectInsidePoolTask(facts, module);
    rejectPoolTwin(facts, module);
    rejectDecodedImagesBack(facts, module);
    rejectProgressBar(facts, module);
    rejectInterruptedRegion(facts);
    rejectGatherTwin(facts, module);
    rejectTimedIterations(facts, module);
    rejectAnsweredStream(facts, module);
    loops.push(facts);
  }
  return { module, summaries, loops };
}

const LOOP_TYPES = new Set(['for_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension']);

/**
 * `for` loops, comprehensions and `list(map(…))` calls, in document order: every loop and comprehension has
 * a `for` keyword and every `list(map(…))` spells `map`, so only the nodes at those words are fetched.
 */
function loopCandidates(root: SyntaxNode): SyntaxNode[] {
  const found = new Map<number, SyntaxNode>();
  for (const keyword of tokensSpelled(root, 'for')) {
    const parent = keyword.parent;
    const loop = parent?.type === 'for_in_clause' ? parent.parent : parent;
    if (loop && (LOOP_TYPES.has(loop.type) || generatorReduction(loop))) found.set(loop.id, loop);
  }
  for (const name of tokensSpelled(root, 'map', 'identifier')) {
    const mapCall = name.parent;
    const outer = mapCall?.type === 'call' && mapCall.parent?.type === 'argument_list' ? mapCall.parent.parent : null;
    if (outer?.type === 'call' && isListOfMap(outer)) found.set(outer.id, outer);
  }
  // no two candidates start at the same index, so document (pre-)order is start order
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
}

function headerSpan(node: SyntaxNode, endNode: SyntaxNode | null): Span {
  const end = endNode ?? node;
  let endLine = end.endPosition.row;
  let endColumn = end.endPosition.column;
  if (endLine !== node.startPosition.row && !endNode) {
    // multi-line comprehension: underline its first line only
    const firstLine = node.text.split('\n')[0];
    endLine = node.startPosition.row;
    endColumn = node.startPosition.column + firstLine.length;
  }
  return { startLine: node.startPosition.row, startColumn: node.startPosition.column, endLine, endColumn };
}

function knownIterations(iterable: SyntaxNode | null): number | undefined {
  if (!iterable) return undefined;
  if (['list', 'tuple', 'set'].includes(iterable.type)) {
    const items = namedChildren(iterable).filter((c) => c.type !== 'comment');
    return items.some((c) => c.type === 'list_splat') ? undefined : items.length;
  }
  if (iterable.type === 'call' && iterable.childForFieldName('function')?.text === 'range') {
    const args = namedChildren(iterable.childForFieldName('arguments')!);
    const ints = args.map((a) => (a.type === 'integer' ? Number(a.text.replace(/_/g, '')) : a.type === 'unary_operator' && /^-\s*\d+$/.test(a.text) ? Number(a.text.replace(/\s/g, '')) : NaN));
    if (ints.some(Number.isNaN) || ints.length === 0) return undefined;
    const [start, stop, step] = ints.length === 1 ? [0, ints[0], 1] : [ints[0], ints[1], ints[2] ?? 1];
    if (step === 0) return undefined;
    return Math.max(0, Math.ceil((stop - start) / step));
  }
  return undefined;
}

/** The facts every loop starts from, before its body is examined. */
function newFacts(kind: LoopFacts['kind'], node: SyntaxNode, header: Span, target: SyntaxNode | null, iterable: SyntaxNode | null): LoopFacts {
  const fn = enclosingFunction(node);
  return {
    kind,
    node,
    header,
    line: lineOf(node),
    isAsync: false,
    function: fn,
    inAsyncFunction: fn ? isAsyncFunction(fn) : false,
    target,
    targetNames: boundNames(target),
    iterable,
    knownIterations: knownIterations(iterable),
    parentStatements: [],
    workerStatements: [],
    workload: 'unknown',
    evidence: [],
    independence: 'independent',
    rejections: [],
    doubts: [],
    problems: [],
    freeVariables: [],
    awaits: false,
  };
}

function contextFor(node: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, roles: (name: string) => NameRole | undefined): RegionContext {
  const enclosing: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') enclosing.push(p);
  return {
    module,
    summaries,
    enclosing,
    effectsMatter: true,
    role: (name) => roles(name) ?? (module.bindings.get(name) === 'import' ? 'module' : 'shared'),
  };
}

// ------------------------------------------------------------------------------------------------ for loops

const AUGMENTED_REDUCTIONS = new Set(['+=', '*=', '|=', '&=', '^=', '-=', '@=']);
const METHOD_REDUCTIONS = new Set(['extend', 'add', 'update', 'appendleft']);

/** `print`'s keyword arguments the parent can evaluate as the loop did: constants, and the process's own streams. */
const PRINT_KEYWORDS = new Set(['sep', 'end', 'flush', 'file']);

/**
 * The one value `print(value, end="…", file=sys.stderr)` prints, when the parent can print it in the loop's place:
 * the builtin `print`, one positional argument, and keyword arguments that are constants or `sys.stdout`/`sys.stderr`.
 * The worker computes the value; the parent prints it, in input order, as the loop would have.
 */
function printedValue(call: SyntaxNode, module: ModuleInfo, cheap?: (n: SyntaxNode) => boolean): { value: SyntaxNode; key?: SyntaxNode } | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' || fn.text !== 'print' || module.bindings.has('print')) return null;
  const enclosing: SyntaxNode[] = [];
  for (let p = call.parent; p; p = p.parent) if (p.type === 'function_definition') enclosing.push(p);
  if (isBoundInFunctions('print', enclosing)) return null;
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  if (positional.length === 0 || positional.some((a) => a.type.endsWith('splat'))) return null;
  // several values (`print("compressing", path)`): all but one cheap on the item, which the parent computes from
  // its own item as it prints; the other is the worker's
  let printed: { value: SyntaxNode; key?: SyntaxNode } = { value: positional[0] };
  if (positional.length > 1) {
    if (!cheap) return null;
    const costly = positional.filter((a) => !cheap(a));
    if (costly.length > 1) return null;
    printed = { value: costly[0] ?? positional[0], key: positional.find((a) => a !== (costly[0] ?? positional[0]))! };
  }
  for (const k of args.filter((a) => a.type === 'keyword_argument')) {
    const name = k.childForFieldName('name')?.text ?? '';
    const value = k.childForFieldName('value');
    if (!PRINT_KEYWORDS.has(name) || !value) return null;
    const constant = ['string', 'true', 'false', 'none', 'integer'].includes(value.type);
    const stream = value.type === 'attribute' && /^sys\.(stdout|stderr)$/.test(value.text) && module.imports.get('sys') === 'sys';
    if (!constant && !stream) return null;
  }
  return printed;
}

/** Methods writing one value to an open file or a `csv` writer, in the order they are called. */
const STREAM_WRITES = new Set(['write', 'writelines', 'writerow', 'writerows']);

/**
 * `f.write(text)`, `f.writelines(lines)`, `writer.writerow(row)` on a handle opened before every loop around the
 * statement: the worker computes the value, the parent writes it, in input order, as the loop did (round 63: lyrics
 * scrapers writing each song to one file, rejected for the order of those writes). Only where every mention of the
 * handle in the loop analysed (`loop`) is such a write, and it does not bind the handle (a file opened per iteration
 * is the iteration's own; one opened per pass of a loop around it is the same file for all of this loop's items).
 */
function streamWrite(call: SyntaxNode, targetNames: Set<string>, loop: SyntaxNode): { handle: string; value: SyntaxNode } | null {
  const fn = call.childForFieldName('function');
  const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const handle = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (handle?.type !== 'identifier' || targetNames.has(handle.text) || !STREAM_WRITES.has(fn!.childForFieldName('attribute')!.text)) return null;
  if (args.length !== 1 || args[0].type === 'keyword_argument' || args[0].type.endsWith('splat')) return null;
  if (readsIn(args[0]).some((r) => r.text === handle.text)) return null;
  // bound anywhere in the loop analysed (`f = open(…)`, `with open(…) as f`, `for f in …`): a file of each pass
  if (descendantsNamed(loop, 'identifier').some((id) => id.text === handle.text && isInTargetPosition(id))) return null;
  const isWrite = (s: SyntaxNode) => {
    const c = s.type === 'expression_statement' && s.namedChildCount === 1 ? s.namedChildren[0] : null;
    const f = c?.type === 'call' ? c.childForFieldName('function') : null;
    return f?.type === 'attribute' && f.childForFieldName('object')?.text === handle.text && STREAM_WRITES.has(f.childForFieldName('attribute')!.text);
  };
  const mentions = descendantsNamed(loop, 'identifier').filter((id) => id.text === handle.text);
  return mentions.every((id) => id.parent?.type === 'attribute' && id.parent.parent?.type === 'call' && id.parent.parent.parent && isWrite(id.parent.parent.parent)) ? { handle: handle.text, value: args[0] } : null;
}

/**
 * `groups.setdefault(key, []).append(item)` (or `.setdefault(key, set()).add(item)`): the items gathered under their
 * keys, in the order the parent folds them. One of key and item may be the worker's (a hash of the file), the other
 * must be cheap on the item (the path), which the parent computes from its own item as it folds.
 */
function groupedInto(made: SyntaxNode, method: string, added: SyntaxNode, targetNames: Set<string>, cheap?: (n: SyntaxNode) => boolean): { target: string; value: SyntaxNode; key: SyntaxNode } | null {
  const f = made.childForFieldName('function');
  const args = namedChildren(made.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  const dict = f?.type === 'attribute' ? f.childForFieldName('object') : null;
  if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'setdefault' || dict?.type !== 'identifier' || targetNames.has(dict.text)) return null;
  if (args.length !== 2 || args.some((a) => a.type === 'keyword_argument' || a.type.endsWith('splat'))) return null;
  const [key, empty] = args;
  const fresh = method === 'append' ? /^(\[\s*\]|list\(\s*\))$/ : method === 'add' ? /^set\(\s*\)$/ : null;
  if (!fresh?.test(empty.text) || !cheap) return null;
  if (cheap(added) && !cheap(key)) return { target: dict.text, value: key, key: added };
  if (cheap(key)) return { target: dict.text, value: added, key };
  return null;
}

/**
 * `wins[winner] += 1`, `totals[row.kind] += cost(row)`: a value added to an entry under a key. One of key and amount
 * is the worker's (the winner a simulation returns), the other a literal or cheap on the item, which the parent
 * computes as it replays the statement in input order: a key several items give adds up as it did.
 */
function talliedUnderKey(statement: SyntaxNode, left: SyntaxNode, right: SyntaxNode, op: string, targetNames: Set<string>, cheap?: (n: SyntaxNode) => boolean): ParentStatement | null {
  const object = left.childForFieldName('value');
  const keys = left.childrenForFieldName('subscript').filter((k): k is SyntaxNode => k !== null);
  if (object?.type !== 'identifier' || targetNames.has(object.text) || keys.length !== 1 || keys[0].type === 'slice') return null;
  const key = keys[0];
  const parentSide = (n: SyntaxNode) => immutableLiteral(n) || (n.type === 'identifier' && targetNames.has(n.text)) || !!cheap?.(n);
  // a literal needs no item beside the result; a part read from the item does
  const alongside = (n: SyntaxNode) => (immutableLiteral(n) ? {} : { key: n });
  const operator = `[…] ${op}`;
  if (parentSide(key)) return { kind: 'reduce', statement, target: object.text, value: right, operator, ...alongside(key) };
  if (parentSide(right)) return { kind: 'reduce', statement, target: object.text, value: key, operator, ...alongside(right) };
  return null;
}

/** An immutable literal (`0`, `0.0`, `""`, `None`, `(0, 0)`), whose text says its value. */
function immutableLiteral(node: SyntaxNode | null): boolean {
  if (!node) return false;
  if (['integer', 'float', 'true', 'false', 'none'].includes(node.type)) return true;
  if (node.type === 'string') return !node.namedChildren.some((c) => c?.type === 'interpolation');
  if (node.type === 'unary_operator') return immutableLiteral(node.childForFieldName('argument'));
  if (node.type === 'tuple') return namedChildren(node).every((c) => immutableLiteral(c));
  return false;
}

/**
 * Names each iteration starts from the same value: set to an immutable literal just before the loop (the last
 * statement before it naming them) and to the same literal by a top-level statement of the body after every other
 * use (`entropy = 0` … `entropy += p * log2(1 / p)` … `entropy = 0`). The value one iteration leaves the next is the
 * one the first started from: no dependence, and none after the loop. (A `continue` would skip the reset: the caller
 * asks only for bodies without one.)
 */
function resetEachPass(loop: SyntaxNode, statements: readonly SyntaxNode[], accesses: BodyAccesses): Set<string> {
  const found = new Set<string>();
  for (const s of statements) {
    const a = s.type === 'expression_statement' && s.namedChildCount === 1 ? s.namedChildren[0] : null;
    const left = a?.type === 'assignment' ? a.childForFieldName('left') : null;
    const value = a?.childForFieldName('right') ?? null;
    if (left?.type !== 'identifier' || !immutableLiteral(value) || a!.childForFieldName('type')) continue;
    const name = left.text;
    if ([...accesses.reads, ...accesses.writes].some((x) => x.name === name && x.node.startIndex > s.endIndex)) continue;
    // the statement before the loop that last names it sets the same literal (before the `if`, `with` or `try` the
    // loop is in, when nothing in it before the loop names it)
    let at: SyntaxNode | null = loop;
    let prev: SyntaxNode | null = null;
    while (at && !prev) {
      prev = at.previousNamedSibling;
      while (prev && (prev.type === 'comment' || tokensSpelled(prev, name, 'identifier').length === 0)) prev = prev.previousNamedSibling;
      if (prev) break;
      const block: SyntaxNode | null = at.parent?.type === 'block' ? at.parent : null;
      let owner: SyntaxNode | null = block?.parent ?? null;
      if (owner && ['elif_clause', 'else_clause', 'except_clause', 'finally_clause'].includes(owner.type)) owner = owner.parent;
      at = owner && ['if_statement', 'with_statement', 'try_statement'].includes(owner.type) ? owner : null;
    }
    const start = prev?.type === 'expression_statement' && prev.namedChildCount === 1 ? prev.namedChildren[0] : null;
    if (start?.type === 'assignment' && start.childForFieldName('left')?.text === name && start.childForFieldName('right')?.text === value!.text) found.add(name);
  }
  return found;
}

/** What a selection's `if` may spell: tests and plain assignments of names, literals and operators, no call. */
const SELECTION_NODES = new Set([
  'if_statement', 'elif_clause', 'else_clause', 'block', 'expression_statement', 'assignment', 'comparison_operator', 'boolean_operator',
  'not_operator', 'binary_operator', 'unary_operator', 'parenthesized_expression', 'tuple', 'expression_list', 'pattern_list', 'list',
  'subscript', 'identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'string', 'string_start', 'string_content', 'string_end',
]);

/** Whether an expression spells only what a selection's `if` may (SELECTION_NODES): no call, no interpolation. */
function plainSelectionPart(node: SyntaxNode): boolean {
  let plain = true;
  walk(node, (n) => {
    if (!plain) return false;
    if (n.isNamed && (!SELECTION_NODES.has(n.type) || (n.type === 'string' && n.namedChildren.some((c) => c?.type === 'interpolation')))) plain = false;
    return plain;
  });
  return plain;
}

/** Methods adding one element to a list or set the selection keeps (`ties.append(word)`). */
const GROWING_METHODS = new Set(['append', 'add', 'appendleft']);

/**
 * `if score > best: best = score; best_word = word` as the body's last statement, after the work computing `score`:
 * a comparison keeping the best item so far (an argmax, a running minimum with its item). The test reads what the
 * earlier iterations kept, so it runs in the parent, in input order, on each item's value from the worker — the
 * sequential loop's choice among ties included. Only where the `if` calls nothing but adds to a list it keeps
 * (`ties.append(word)`), assigns only names that no other statement of the body touches (`best`, `best_word`), and
 * reads besides them only the loop's names and one name the body computes at its top level before it, in every
 * iteration (`score`). Other collecting statements before it (`total += score`, a printed line) replay beside it.
 */
function selectionTail(statements: readonly SyntaxNode[], targetNames: Set<string>): ParentStatement | null {
  const tail = statements[statements.length - 1];
  const before = statements.slice(0, -1);
  if (!tail || tail.type !== 'if_statement' || before.length === 0) return null;
  let plain = true;
  const kept = new Set<string>();
  const grown: SyntaxNode[] = [];
  walk(tail, (n) => {
    if (!plain) return false;
    if (!n.isNamed) return true;
    if (n.type === 'call') {
      // `worst_words.append(word)`: a list the `if` keeps, added to (checked below, once every kept name is known)
      const f = n.childForFieldName('function');
      const args = namedChildren(n.childForFieldName('arguments')!);
      if (f?.type !== 'attribute' || f.childForFieldName('object')?.type !== 'identifier' || !GROWING_METHODS.has(f.childForFieldName('attribute')!.text) || args.length !== 1) plain = false;
      else grown.push(f.childForFieldName('object')!);
      if (plain && !args.every(plainSelectionPart)) plain = false;
      return false;
    }
    if (n.type === 'string' || !SELECTION_NODES.has(n.type)) {
      plain = plainSelectionPart(n);
      return false;
    }
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const names = left?.type === 'identifier' ? [left] : left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? namedChildren(left) : [];
      if (names.length === 0 || names.some((x) => x.type !== 'identifier') || n.childForFieldName('type')) plain = false;
      for (const x of names) kept.add(x.text);
    }
    return plain;
  });
  if (grown.some((g) => !kept.has(g.text))) return null;
  if (!plain || kept.size === 0 || [...kept].some((k) => targetNames.has(k))) return null;
  // the names kept belong to the comparison alone
  if (before.some((s) => [...kept].some((k) => tokensSpelled(s, k, 'identifier').length > 0))) return null;
  // names each iteration computes at the top level of the body, before the `if`
  const computed = new Set(before.flatMap((s) => (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'assignment' ? namesBoundBy(s.namedChildren[0]) : [])));
  const bound = new Set(before.flatMap((s) => descendantsNamed(s, ['assignment', 'augmented_assignment', 'for_statement', 'with_statement', 'named_expression']).flatMap((n) => namesBoundBy(n))));
  const reads = readsIn(tail);
  const perItem = [...new Set(reads.map((r) => r.text).filter((name) => computed.has(name)))];
  // a name some statement before binds only on a path (in a branch), read by the test: not the item's own value
  if (reads.some((r) => bound.has(r.text) && !computed.has(r.text))) return null;
  if (perItem.length !== 1 || !reads.some((r) => kept.has(r.text))) return null;
  // a loop name the body rebinds no longer names the item the parent replays with
  if (reads.some((r) => targetNames.has(r.text) && bound.has(r.text))) return null;
  const value = reads.find((r) => r.text === perItem[0])!;
  return { kind: 'select', statement: tail, target: [...kept][0], value, kept: [...kept] };
}

/**
 * `ind.fitness = evaluate(ind)`: the item's own attribute set to a value computed from it. The parent sets it on
 * its own item as it replays the results in order (a worker process would set it on its copy). Only where no
 * other statement of the body reads or writes that attribute, and not a name-mangled one (`self.__x`).
 */
function itemAttributeStore(statement: SyntaxNode, statements: SyntaxNode[], targetNames: Set<string>): ParentStatement | null {
  if (targetNames.size !== 1 || statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return null;
  const e = statement.namedChildren[0]!;
  if (e.type !== 'assignment' || e.childForFieldName('type')) return null;
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  const object = left?.type === 'attribute' ? left.childForFieldName('object') : null;
  const attribute = left?.childForFieldName('attribute');
  if (!right || !attribute || object?.type !== 'identifier' || !targetNames.has(object.text) || attribute.text.startsWith('__')) return null;
  const spelled = new RegExp(String.raw`\b${object.text}\s*\.\s*${attribute.text}\b`);
  if (statements.some((other) => other.id !== statement.id && spelled.test(other.text))) return null;
  return { kind: 'store', statement, target: object.text, value: right, key: attribute };
}

/**
 * Recognises `out.append(v)`, `out[k] = v`, `acc += v`, `acc = max(acc, v)`, `acc.update(v)`, and with `module`
 * `print(v)` (see printedValue); a key other than the loop variables only when `derivedKey` accepts it (cheap on
 * the item: the parent computes it, in order).
 */
function parentStatementOf(statement: SyntaxNode, targetNames: Set<string>, derivedKey?: (key: SyntaxNode) => boolean, module?: ModuleInfo, loop?: SyntaxNode): ParentStatement | null {
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return null;
  const e = statement.namedChildren[0]!;
  // what the parent can compute from its own item as it folds: a loop variable, or a key cheap on the item
  const cheap = derivedKey && ((n: SyntaxNode) => (n.type === 'identifier' && targetNames.has(n.text)) || derivedKey(n));
  if (e.type === 'call' && module) {
    const printed = printedValue(e, module, cheap);
    if (printed) return { kind: 'emit', statement, target: 'print', value: printed.value, ...(printed.key ? { key: printed.key } : {}) };
    const written = loop ? streamWrite(e, targetNames, loop) : null;
    if (written) return { kind: 'emit', statement, target: written.handle, value: written.value };
  }
  if (e.type === 'call') {
    const fn = e.childForFieldName('function');
    const args = namedChildren(e.childForFieldName('arguments')!);
    if (fn?.type !== 'attribute' || args.length !== 1 || args[0].type === 'keyword_argument' || args[0].type.endsWith('splat')) return null;
    const object = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')!.text;
    const grouped = object?.type === 'call' ? groupedInto(object, method, args[0], targetNames, cheap) : null;
    if (grouped) return { kind: 'group', statement, ...grouped };
    if (object?.type !== 'identifier' || targetNames.has(object.text)) return null;
    if (method === 'append') return { kind: 'append', statement, target: object.text, value: args[0] };
    if (METHOD_REDUCTIONS.has(method)) return { kind: 'reduce', statement, target: object.text, value: args[0], operator: `.${method}` };
    return null;
  }
  if (e.type === 'augmented_assignment') {
    const left = e.childForFieldName('left');
    const op = e.childForFieldName('operator')?.text ?? '';
    const right = e.childForFieldName('right');
    if (left?.type === 'identifier' && right && AUGMENTED_REDUCTIONS.has(op) && !targetNames.has(left.text)) {
      return { kind: 'reduce', statement, target: left.text, value: right, operator: op };
    }
    const tally = left?.type === 'subscript' && right && AUGMENTED_REDUCTIONS.has(op) ? talliedUnderKey(statement, left, right, op, targetNames, cheap) : null;
    if (tally) return tally;
    return null;
  }
  if (e.type === 'assignment') {
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (!left || !right || e.childForFieldName('type')) return null;
    if (left.type === 'subscript') {
      const object = left.childForFieldName('value');
      const keys = left.childrenForFieldName('subscript').filter((k): k is SyntaxNode => k !== null);
      // `null[i, :] = row`: the trailing whole slices of an array's row say nothing more than `null[i] = row`
      const wholeSlice = (k: SyntaxNode) => k.type === 'slice' && k.namedChildren.length === 0;
      if (object?.type !== 'identifier' || targetNames.has(object.text) || keys.length === 0 || !keys.slice(1).every(wholeSlice)) return null;
      const key = keys[0];
      if (key.type === 'slice') return null;
      // the key must be a loop variable (or a tuple of them): distinct items write distinct slots
      const keyParts = key.type === 'identifier' ? [key] : key.type === 'tuple' || key.type === 'expression_list' ? namedChildren(key) : [];
      const byItem = keyParts.length > 0 && keyParts.every((k) => k.type === 'identifier' && targetNames.has(k.text));
      if (!byItem && !derivedKey?.(key)) return null;
      return { kind: 'store', statement, target: object.text, value: right, key };
    }
    if (left.type === 'identifier' && !targetNames.has(left.text)) {
      const name = left.text;
      if (right.type === 'call') {
        const fn = right.childForFieldName('function')?.text;
        const args = namedChildren(right.childForFieldName('arguments')!);
        if ((fn === 'max' || fn === 'min') && args.length === 2) {
          const [a, b] = args;
          // `best = max(best, v)`: ties keep the accumulator, as the sequential loop does
          if (a.type === 'identifier' && a.text === name && b.type !== 'keyword_argument') return { kind: 'reduce', statement, target: name, value: b, operator: fn };
        }
        // `frame = pd.concat([frame, part], ignore_index=True)`, `rows = np.vstack((rows, row))`: the accumulator
        // grown by the item's part at its end, in order — the parent replays it with each part as it arrives
        const qualified = module ? importedName(fn ?? null, module) : null;
        const pieces = args[0]?.type === 'list' || args[0]?.type === 'tuple' ? namedChildren(args[0]) : [];
        if (qualified && CONCATENATIONS.has(qualified) && pieces.length === 2 && pieces[0].type === 'identifier' && pieces[0].text === name && args.slice(1).every((a) => a.type === 'keyword_argument') && !new RegExp(String.raw`\b${name}\b`).test(pieces[1].text)) {
          return { kind: 'reduce', statement, target: name, value: pieces[1], operator: `= ${fn}(…)` };
        }
      }
      if (right.type === 'binary_operator') {
        const op = right.childForFieldName('operator')?.text ?? '';
        const l = right.childForFieldName('left');
        const r = right.childForFieldName('right');
        if (l?.type === 'identifier' && l.text === name && r && ['+', '*', '|', '&', '^', '-'].includes(op)) {
          return { kind: 'reduce', statement, target: name, value: r, operator: `= ${name} ${op}` };
        }
      }
    }
  }
  return null;
}

/** Calls joining two sequences end to end, whose repeated use on an accumulator keeps the items' order. */
const CONCATENATIONS = new Set(['pandas.concat', 'numpy.concatenate', 'numpy.vstack', 'numpy.hstack', 'numpy.row_stack']);

/** Every exit starts with its keyword: code whose text spells none of them has none. */
const EXIT_WORDS = ['break', 'continue', 'return', 'raise', 'yield', 'exit', 'quit'];

/** Handler types that catch whatever the code raises, by name. */
const CATCH_ANY = new Set(['Exception', 'BaseException']);

/** The classes an `except` clause names (`except (ValueError, KeyError) as e:` → both), or null for a bare `except:`. */
function caughtClasses(handler: SyntaxNode): string[] | null {
  const caught = namedChildren(handler).find((c) => c.type !== 'block' && c.type !== 'comment');
  if (!caught) return null;
  const types = caught.type === 'as_pattern' ? caught.namedChildren[0] : caught;
  return types?.type === 'tuple' || types?.type === 'parenthesized_expression' ? namedChildren(types).map((t) => t.text) : [types?.text ?? ''];
}

/**
 * Whether `raise X(…)` is caught inside `body` by a `try` around it: a bare `except:`, `except Exception`, or a handler
 * naming the raised class (`raise ValueError(…)` under `except (ValueError, KeyError):`). A bare `raise` re-raises.
 */
function caughtWithin(raise: SyntaxNode, body: SyntaxNode): boolean {
  const raised = raise.namedChildren[0];
  if (!raised) return false;
  const cls = (raised.type === 'call' ? raised.childForFieldName('function') : raised)?.text ?? '';
  for (let n: SyntaxNode = raise; n.parent && n.id !== body.id; n = n.parent) {
    const p = n.parent;
    if (p.type !== 'try_statement' || p.childForFieldName('body')?.id !== n.id) continue;
    for (const handler of namedChildren(p).filter((c) => c.type === 'except_clause')) {
      const names = caughtClasses(handler);
      if (!names || names.some((t) => CATCH_ANY.has(t) || t === cls)) return true;
    }
  }
  return false;
}

/**
 * Whether a fold of the body (`out.append(x)`, a print) may run in an iteration before that iteration's `raise`: it
 * comes first in the text (and does not hold the raise), or an inner loop holds both (an earlier pass folds).
 */
function foldsBefore(fold: SyntaxNode, raise: SyntaxNode, body: SyntaxNode): boolean {
  if (isAncestorOf(fold, raise)) return false;
  if (fold.endIndex <= raise.startIndex) return true;
  for (let n = raise.parent; n && n.id !== body.id; n = n.parent) {
    if ((n.type === 'for_statement' || n.type === 'while_statement') && isAncestorOf(n, fold)) return true;
  }
  return false;
}

/** Exception classes named for an error (`ValueError`, `HTTPError`, `SystemExit`, `ScrapeFailure`, `ConfigException`). */
const ERROR_CLASS = /(?:Error|Exception|Exit|Failure)$/;

/**
 * Whether a `raise` reports an error rather than ending a search: a bare `raise` or one in an `except` handler of the
 * body (re-raised, wrapped), or an exception of a class named for an error — unless a `try` around the loop, in
 * its own function, catches that very class (`raise Found` / `except Found:` is a search written with exceptions).
 */
function raisesError(raise: SyntaxNode, body: SyntaxNode): boolean {
  const raised = raise.namedChildren[0];
  const inHandler = (() => {
    for (let n = raise.parent; n && n.id !== body.id; n = n.parent) if (n.type === 'except_clause' || n.type === 'except_group_clause') return true;
    return false;
  })();
  const cls = raised ? ((raised.type === 'call' ? raised.childForFieldName('function') : raised)?.text ?? '') : '';
  if (!(!raised || inHandler || ERROR_CLASS.test(cls.split('.').pop() ?? ''))) return false;
  if (!cls) return true;
  // a handler around the loop naming the class: the exception carries the loop's answer out
  for (let n: SyntaxNode | null = body.parent; n && !SCOPE_TYPES.has(n.type); n = n.parent) {
    if (n.type !== 'try_statement') continue;
    for (const handler of namedChildren(n).filter((c) => c.type === 'except_clause')) {
      if (caughtClasses(handler)?.includes(cls)) return false;
    }
  }
  return true;
}

function earlyExits(body: SyntaxNode): Array<{ node: SyntaxNode; what: string; error?: boolean }> {
  const exits: Array<{ node: SyntaxNode; what: string; error?: boolean }> = [];
  const mayExit = (n: SyntaxNode) => EXIT_WORDS.some((word) => textIncludes(n, word));
  const visit = (n: SyntaxNode, inInnerLoop: boolean) => {
    for (const c of namedChildren(n)) {
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      if (!mayExit(c)) continue;
      switch (c.type) {
        case 'break_statement':
        case 'continue_statement':
          if (!inInnerLoop) exits.push({ node: c, what: c.type === 'break_statement' ? '`break`' : '`continue`' });
          break;
        case 'return_statement':
          exits.push({ node: c, what: '`return`' });
          break;
        case 'raise_statement':
          // a `raise` the iteration's own `try` catches does not leave the loop; one that reports an error is what
          // any failing call in the body does: the map raises it when the parent reaches that item's result, in
          // input order (the hover says later items may have run)
          if (!caughtWithin(c, body)) exits.push({ node: c, what: '`raise`', ...(raisesError(c, body) ? { error: true } : {}) });
          break;
        case 'yield':
          exits.push({ node: c, what: '`yield`' });
          break;
        case 'expression_statement': {
          // ending the program raises SystemExit, an error as far as the map is concerned (`os._exit` raises nothing)
          const f = programExit(c);
          if (f && f !== 'os._exit') exits.push({ node: c, what: `\`${f}()\``, error: true });
          break;
        }
      }
      visit(c, inInnerLoop || c.type === 'for_statement' || c.type === 'while_statement');
    }
  };
  visit(body, false);
  return exits;
}

/**
 * Whether the key `key` names, for every iteration, a different index or key of `collection` that exists before the
 * loop: `i` of `range(len(xs))` or `range(n)`, the index of `enumerate(xs)`, `k` of `d.keys()` or `d.items()`. Not a
 * value drawn from the collection (`for i in xs: xs[i] = …` may replace an entry a later iteration reads).
 */
function distinctIndex(target: SyntaxNode | null, iterable: SyntaxNode | null, key: string, collection: string): boolean {
  if (!target || iterable?.type !== 'call') return false;
  const f = iterable.childForFieldName('function');
  const args = namedChildren(iterable.childForFieldName('arguments')!);
  const first = target.type === 'identifier' ? target : ['pattern_list', 'tuple_pattern'].includes(target.type) ? namedChildren(target)[0] : null;
  if (f?.type === 'identifier' && f.text === 'range') return target.type === 'identifier' && target.text === key;
  if (f?.type === 'identifier' && f.text === 'enumerate') return first?.text === key && target.type !== 'identifier' && args[0]?.text === collection;
  if (f?.type === 'attribute' && ['keys', 'items'].includes(f.childForFieldName('attribute')!.text) && f.childForFieldName('object')?.text === collection) {
    return (f.childForFieldName('attribute')!.text === 'keys' ? target : first)?.text === key;
  }
  return false;
}

function analyzeFor(loop: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, options: AnalysisOptions): LoopFacts {
  const fn = enclosingFunction(loop);
  const target = loop.childForFieldName('left');
  const iterable = loop.childForFieldName('right');
  const body = loop.childForFieldName('body');
  const colon = children(loop).find((c) => c.type === ':') ?? null;
  const facts = newFacts('for', loop, headerSpan(loop, colon), target, iterable);
  facts.isAsync = children(loop).some((c) => c.type === 'async');
  const reject = (kind: RejectionKind, message: string, remedy: string, line: number, name?: string) =>
    facts.rejections.push({ kind, message, remedy, line, name });

  if (!target || !iterable || !body || loop.hasError || body.startPosition.row === loop.startPosition.row && statementsOf(body).length === 0) {
    reject('unsupported', 'the loop contains a syntax error', 'fix the syntax first', facts.line);
    return finish(facts);
  }
  const foreign = facts.inAsyncFunction ? foreignEventLoop(loop.tree.text) : null;
  if (foreign) reject('unsupported', `this module runs its coroutines on ${foreign}, not asyncio: the asyncio rewrites (\`gather\`, \`to_thread\`) do not apply`, `use ${foreign}'s own tools (a nursery / task group)`, facts.line);
  if (!isNamePattern(target)) reject('unsupported', `the loop assigns to \`${target.text}\`, not to plain names`, 'loop over plain names', facts.line);
  // `for … else:` without a `break` runs its `else:` block once after the loop, which the rewrite keeps there (a
  // `break` is an early exit, said below)
  if (target && /\b(await|yield)\b/.test(iterable.text) && descendantsNamed(iterable, ['await', 'yield']).length > 0) {
    reject('unsupported', 'the iterable awaits or yields', 'compute the iterable first', facts.line);
  }

  const targetNames = new Set(facts.targetNames);
  // what the parent may compute itself, in order (keys, filters): cheap on the item and on names the loop keeps
  const changed = namesChangedIn([body]);
  // a loop variable the body rebinds (`p = "".join(p)`) no longer names the item after that: what the parent
  // computes from its own item (a key, a value folded after a test) would not be what the body computed (round 33:
  // the parent summed the permutation tuples, TypeError)
  const rebound = new Set<string>();
  walk(body, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    for (const name of namesBoundBy(n)) rebound.add(name);
    return true;
  });
  const itemNames = new Set([...targetNames].filter((name) => !rebound.has(name)));
  const cheap: CheapContext = { module, fn, itemNames, invariant: (name) => !changed.has(name) };
  const filtering = leadingFilters(statementsOf(body), cheap);
  const statements = filtering.statements;
  if (filtering.prefilters.length > 0) facts.prefilters = filtering.prefilters;
  const derivedKey = (key: SyntaxNode) => !costlyPart(key, cheap);

  // Early exits
  const skips: SyntaxNode[] = []; // `if <test>: continue` after work: a filter in the worker, if the collecting comes after
  const continues: SyntaxNode[] = []; // the loop's own `continue`s the parent does not apply
  // why a `continue` is a filter no simpler form applies: said only if the worker cannot record the results either
  const shapeOnly: Array<() => void> = [];
  // `raise` reporting an error: the map raises it in the parent at that item, as any failing call in the body would
  const errorRaises: SyntaxNode[] = [];
  for (const exit of earlyExits(body)) {
    if (exit.what === '`continue`') {
      // a filter, not a dependence: one the parent applies to the items before the map, or said why not
      if (facts.prefilters?.some((f) => !f.keepWhen && isAncestorOf(f.statement, exit.node))) continue;
      continues.push(exit.node);
      const why = continueRejection(exit.node, changed, cheap);
      if (why.kind === 'unsupported' && topLevelSkip(exit.node, statements)) skips.push(exit.node);
      else if (why.kind === 'unsupported' && !/not the only statement/.test(why.message)) shapeOnly.push(() => reject(why.kind, `${why.message}, inside other statements of the body: only an \`if\` at the top level of the body is a filter the rewrite applies`, why.remedy, lineOf(exit.node), why.name));
      else if (why.kind === 'unsupported') shapeOnly.push(() => reject(why.kind, why.message, why.remedy, lineOf(exit.node), why.name));
      else reject(why.kind, why.message, why.remedy, lineOf(exit.node), why.name);
      continue;
    }
    // a `yield` does not end the loop: it hands one value to whoever consumes the generator, who may stop after any
    // of them (or act between them), so the iterations run one at a time, when asked
    if (exit.what === '`yield`') {
      reject(
        'early-exit',
        `\`yield\` at line ${lineOf(exit.node)} hands each value to the code consuming this generator as the loop makes it: the consumer may stop after any item and acts between them, so each iteration runs only when the one before has been taken`,
        'if every value is always consumed, compute them in a pool and yield from the results (`yield from executor.map(…)`); otherwise keep the generator',
        lineOf(exit.node),
      );
      continue;
    }
    if (exit.error) {
      errorRaises.push(exit.node);
      continue;
    }
    reject(
      'early-exit',
      `${exit.what} at line ${lineOf(exit.node)} ends the loop early, so later iterations depend on earlier ones`,
      'run every iteration and look for the first match in the results (`next(r for r in results if …)`), or keep the loop sequential',
      lineOf(exit.node),
    );
  }

  // a final `if` keeping the best item so far, in a body with no filter
  const selection = continues.length === 0 && !facts.prefilters ? selectionTail(statements, targetNames) : null;
  // Parent statements: only top-level statements of the body, folding a value into a result
  for (const s of statements) {
    const p = s.id === selection?.statement.id ? selection : (parentStatementOf(s, itemNames, derivedKey, module, loop) ?? itemAttributeStore(s, statements, itemNames));
    if (p) facts.parentStatements.push(p);
    else {
      facts.workerStatements.push(s);
      // `with open(p) as f: out.append(f.read())`: the with body runs exactly once per iteration
      for (let w = s; w.type === 'with_statement'; ) {
        const inner = statementsOf(w.childForFieldName('body'));
        for (const t of inner) {
          const q = parentStatementOf(t, itemNames, derivedKey, module, loop);
          if (q) facts.parentStatements.push(q);
        }
        const nested = inner.find((t) => t.type === 'with_statement');
        if (!nested) break;
        w = nested;
      }
    }
  }
  // `if score(x) > limit: kept.append(x)`: the parent folds in the results whose test held
  const guarded = facts.parentStatements.length === 0 ? resultGuard(statements, (s) => parentStatementOf(s, itemNames, derivedKey, module, loop), cheap) : null;
  // `if session.query(…).first() is None: session.add(…)`: a database session checked then written, not a filter
  if (guarded && !guarded.parents.some((p) => isDatabaseHandle(p.target, statements))) {
    facts.resultGuard = guarded.guard;
    facts.parentStatements.push(...guarded.parents);
  }
  const late = skips.length > 0 && !guarded ? lateFilter(skips, statements, facts.parentStatements, cheap) : null;
  if (late) facts.lateFilter = late;
  for (const skip of late ? [] : skips) {
    const why = continueRejection(skip, changed, cheap);
    shapeOnly.push(() => reject(why.kind, `${why.message}: a filter is applied in the worker only when every statement collecting results is a statement of its own after it, at the top level of the body`, why.remedy, lineOf(skip), why.name));
  }
  // results collected under an `if`, in an inner loop or after a `continue` no simpler form applies: the worker
  // records each collecting statement's value as it runs, the parent replays the statements in order
  const nestedIds = new Set<number>();
  const selecting = facts.parentStatements.some((p) => p.kind === 'select');
  if (!guarded && !late && !selecting) {
    const known = new Set(facts.parentStatements.map((p) => p.statement.id));
    for (const p of nestedFolds(facts.workerStatements, (s) => parentStatementOf(s, itemNames, derivedKey, module, loop))) {
      if (known.has(p.statement.id)) continue;
      nestedIds.add(p.statement.id);
      facts.parentStatements.push(p);
    }
  }
  // the body's reads and writes; a write does not depend on the flow state, so the writes of some of the
  // statements are the body's writes made inside them (in the same order), those folding results aside
  const accesses = bodyAccesses(statements, targetNames);
  const writesIn = (part: SyntaxNode[]) => {
    const ids = new Set(part.map((s) => s.id));
    const folds = new Set(facts.parentStatements.map((p) => p.statement.id));
    return accesses.writes.filter((w) => {
      for (let n: SyntaxNode | null = w.node; n && n.id !== body.id; n = n.parent) {
        if (folds.has(n.id)) return false;
        if (ids.has(n.id)) return true;
      }
      return false;
    });
  };
  // a "parent" target that the worker part also assigns is a per-iteration local, not a result
  let workerWrites = writesIn(facts.workerStatements);
  const locallyAssigned = new Set(workerWrites.map((w) => w.name));
  if (facts.parentStatements.some((p) => locallyAssigned.has(p.target))) {
    facts.parentStatements = facts.parentStatements.filter((p) => !locallyAssigned.has(p.target));
    facts.workerStatements = statements.filter((s) => !facts.parentStatements.some((p) => p.statement.id === s.id));
    workerWrites = writesIn(facts.workerStatements);
  }
  // recorded only when some collecting is left to record (not a local of the iteration); a keyed store's key is
  // one the parent computes from its own item as it replays (a loop variable, or cheap on the item), as the
  // unrecorded keyed shape does, so the worker records only the values
  const recorded = facts.parentStatements.some((p) => nestedIds.has(p.statement.id)) || (shapeOnly.length > 0 && facts.parentStatements.length > 0);
  // with nothing collected (effects only), a `continue` anywhere just ends the worker's call
  const effectsOnly = facts.parentStatements.length === 0 && shapeOnly.length > 0;
  if (recorded || effectsOnly) facts.recordedFolds = { continues };
  else {
    facts.parentStatements = facts.parentStatements.filter((p) => !nestedIds.has(p.statement.id));
    for (const say of shapeOnly) say();
  }
  // the failing item's own folds made before its `raise` (an append, a print the worker records or the parent makes
  // first) would be lost with the exception: that order the rewrite cannot keep
  const lastRaise = errorRaises.find((r) => facts.parentStatements.some((p) => foldsBefore(p.statement, r, body)));
  if (lastRaise) {
    reject(
      'early-exit',
      `\`${lastRaise.type === 'raise_statement' ? 'raise' : lastRaise.text.split('(')[0] + '()'}\` at line ${lineOf(lastRaise)} ends the loop at a failing item after that item has already collected or printed something, which the parallel form would lose with the exception`,
      'collect and print after the checks that raise, or keep the loop sequential',
      lineOf(lastRaise),
    );
  }
  const parentTargets = new Set(facts.parentStatements.flatMap((p) => p.kept ?? [p.target]));
  const iterableReads = new Set(readsIn(iterable).map((r) => r.text));
  // a copy taken before the loop starts (`items[-3:]`, `list(items)`, `sorted(items)`) is what is iterated: adding to
  // the original does not change it
  const copied = iteratesACopy(iterable);
  for (const p of facts.parentStatements) {
    // the item's own entry replaced (`for i in range(len(xs)): xs[i] = …`, `for k in d: d[k] = …`): the collection
    // keeps its size and the iteration its course
    const ownSlot = p.kind === 'store' && !!p.key && distinctIndex(target, iterable, p.key.text, p.target);
    if (iterableReads.has(p.target) && !copied && !ownSlot) {
      // a store under a key replaces an entry (`commits[i] = …`); an append or a fold adds
      const changes = p.kind === 'store' ? `replaces an entry of \`${p.target}\`` : `adds to \`${p.target}\``;
      reject('shared-state', `line ${lineOf(p.statement)} ${changes}, the collection being iterated`, p.kind === 'store' ? 'build the new entries in a collection of their own and write them back after the loop' : 'build a new collection and extend the original after the loop', lineOf(p.statement), p.target);
    }
  }

  // a name the function declares `global` or `nonlocal` is not the iteration's own: assigned in a worker, it would
  // be the worker's local (or its process's copy), and the value the last iteration leaves would not reach the caller
  const declared = fn ? new Set([...scopeOf(fn).globals, ...scopeOf(fn).nonlocals]) : new Set<string>();
  const outerWrite = accesses.writes.find((w) => declared.has(w.name) && !facts.parentStatements.some((p) => isAncestorOf(p.statement, w.node)));
  if (outerWrite) {
    reject(
      'shared-state',
      `\`${outerWrite.name}\` is declared \`${scopeOf(fn!).globals.has(outerWrite.name) ? 'global' : 'nonlocal'}\` and assigned at line ${outerWrite.line}: every iteration writes the same variable, and the one written last wins`,
      `return the value from each iteration and assign \`${outerWrite.name}\` once in the parent, from the results in order`,
      outerWrite.line,
      outerWrite.name,
    );
  }

  // Dependences between iterations
  const writtenNames = new Set(accesses.writes.map((w) => w.name));
  const reported = new Set<string>();
  // a counter stepped once per iteration: its value follows from the item's position (`enumerate`)
  const counters = inductionCounters(statements, targetNames, accesses, earlyExits(body).some((e) => e.what === '`continue`'));
  for (const [name, step] of counters) {
    reported.add(name);
    const readAfterStep = accesses.reads.some((r) => r.name === name && r.node.startIndex > step.endIndex);
    const readBeforeStep = accesses.reads.some((r) => r.name === name && r.node.endIndex < step.startIndex);
    // one counter, read on one side of its step only: the items are numbered instead (`enumerate(…, start=i)`)
    const after = liveAfter(loop, new Set([name]), module).get(name);
    if (after !== undefined) {
      reject(
        'live-out',
        `\`${name}\` counts the iterations (\`${step.text}\` at line ${lineOf(step)}) and is read after the loop at line ${after}: the parallel form would not leave the count behind`,
        `number the items with \`enumerate\` and set \`${name}\` after the loop from their number (\`${name} += len(items)\`)`,
        lineOf(step),
        name,
      );
      continue;
    }
    if (counters.size === 1 && !facts.isAsync && !(readAfterStep && readBeforeStep)) {
      facts.counter = { name, step, afterStep: readAfterStep };
      // the step is numbering, not a fold: the rewrite drops it, so no rule may call it a reduction
      facts.parentStatements = facts.parentStatements.filter((p) => !(p.target === name && (p.statement.id === step.id || isAncestorOf(p.statement, step) || isAncestorOf(step, p.statement))));
      continue;
    }
    const start = `enumerate(${iterable.text.split('\n')[0].slice(0, 40)}, start=${name})`;
    reject(
      'unsupported',
      `\`${name}\` counts the iterations (\`${step.text}\` at line ${lineOf(step)}, once per iteration): its value in each iteration follows from the item's position, but the rewrite does not renumber the items yet`,
      `number the items with \`enumerate\` instead: \`for ${name}, ${target.text} in ${start}:\` without \`${step.text}\`${readAfterStep ? ` (reads after the step see \`${name} + 1\`)` : ''}; the loop is then independent`,
      lineOf(step),
      name,
    );
  }
  // a reduction into a name from outside, made in an inner loop: a true dependence, but the reason is that shape
  const nested = nestedReductions(body, targetNames, accesses);
  // recorded by the worker and replayed in order, a reduction in an inner loop is folded as the loop folds it
  if (facts.recordedFolds) for (const name of parentTargets) nested.delete(name);
  for (const [name, r] of nested) {
    reported.add(name);
    reject(
      'unsupported',
      `\`${name}\` is accumulated inside the inner loop at line ${lineOf(r.innerLoop)} (\`${r.statement.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(r.statement)}): a reduction nested in an inner loop, which the rewrite cannot split yet`,
      `accumulate each item's part in a local of the iteration and fold it into \`${name}\` once per iteration (\`${r.operator === '.extend' || r.operator === '.update' ? `${name}${r.operator}(part)` : `${name}${r.operator?.startsWith('[…] ') ? `[key] ${r.operator.slice(4)}` : ` ${r.operator?.startsWith('=') ? `= ${name} ${r.operator.slice(-1)}` : (r.operator ?? '+=')}`} part`}\`): the loop is then a map-reduce`,
      lineOf(r.statement),
      name,
    );
  }
  // `entropy = 0` before the loop and again as the body's last word on it: every iteration starts from that value
  const restarted = continues.length === 0 ? resetEachPass(loop, statements, accesses) : new Set<string>();
  for (const r of accesses.exposedReads) {
    if (!writtenNames.has(r.name) || reported.has(r.name) || parentTargets.has(r.name) || targetNames.has(r.name) || restarted.has(r.name)) continue;
    const write = accesses.writes.find((w) => w.name === r.name && w.line >= r.line) ?? accesses.writes.find((w) => w.name === r.name)!;
    reported.add(r.name);
    reject(
      'loop-carried',
      write.line < r.line
        ? `\`${r.name}\` is read at line ${r.line}, where it still holds the previous iteration's value whenever the write at line ${write.line} (in a branch, loop or \`try\` that may not run) did not run`
        : `\`${r.name}\` is written at line ${write.line} and read at line ${r.line} of the next iteration`,
      `make each iteration compute \`${r.name}\` from its own item, or keep the loop sequential (prefix sums and recurrences need \`itertools.accumulate\` or a scan)`,
      r.line,
      r.name,
    );
  }
  for (const name of parentTargets) {
    // the item's own attribute (`ind.fitness = …`): the body reads the item, which no other iteration changes —
    // unless the value's code reads that attribute (of this item listed twice, or of another item)
    if (targetNames.has(name)) {
      for (const p of facts.parentStatements.filter((q) => q.target === name && q.kind === 'store')) {
        const attribute = p.key!.text;
        const reads = sameFileCallees([p.value], module, { limit: 20 }).some(({ node, calledAs }) => calledAs !== undefined && new RegExp(String.raw`\.\s*${attribute}\b`).test(node.text));
        const handed = descendantsNamed(p.value, 'call').some((c) => {
          const f = c.childForFieldName('function');
          const passes = namedChildren(c.childForFieldName('arguments')!).some((a) => a.text === name);
          return passes && !(f?.type === 'identifier' && module.functions.has(f.text));
        });
        // the value reads that attribute and can reach the other items (`relative(ind, population)`): what one
        // iteration sets, a later one reads
        const reachesOthers = readsIn(p.value).find((r) => iterableReads.has(r.text));
        if (reads && reachesOthers) {
          reject(
            'loop-carried',
            `\`${name}.${attribute}\` is set at line ${lineOf(p.statement)}, and the value computed there reads \`.${attribute}\` of the items of \`${reachesOthers.text}\`, which earlier iterations have set`,
            `compute every value from the attributes as they were before the loop (a copy taken first), then set them all after the parallel map`,
            lineOf(p.statement),
            name,
          );
          continue;
        }
        if (reads || handed) {
          facts.doubts.push({
            message: `the parent sets \`${name}.${attribute}\` (line ${lineOf(p.statement)}) only after every value is computed: the sequential loop lets a later item's computation see an earlier item's \`.${attribute}\` (an object listed twice, or one that reaches others), the parallel one does not`,
            line: lineOf(p.statement),
          });
        }
      }
      continue;
    }
    const own = facts.parentStatements.filter((p) => p.target === name);
    // the parent prints: any other `print` left in the worker is an effect in iteration order, said as such; a
    // selection's names are spelled in its `if` alone (selectionTail)
    if (own.every((p) => p.kind === 'emit' || p.kind === 'select')) continue;
    const inOwnStatement = (node: SyntaxNode) => own.some((p) => isAncestorOf(p.statement, node) && !(isAncestorOf(p.value, node) || p.value.id === node.id));
    const stray = [...accesses.reads, ...accesses.writes].find((a) => a.name === name && !inOwnStatement(a.node));
    if (stray && !reported.has(name)) {
      reported.add(name);
      // an entry every iteration writes under the same key (`days['02'] = '28'`), then reads back: no value
      // crosses iterations, but they all share that entry — in parallel one would read what another just wrote
      const fixedKey = own.find((p) => p.kind === 'store' && p.key && p.key.type !== 'identifier' && p.key.descendantsOfType('identifier').length === 0 && p.statement.endIndex <= stray.node.startIndex);
      if (fixedKey && !own.some((p) => p.statement.startIndex > stray.node.startIndex)) {
        reject(
          'shared-state',
          `every iteration writes the same entry \`${fixedKey.statement.text.split('=')[0].trim()}\` (line ${lineOf(fixedKey.statement)}) of \`${name}\`, a dict from outside the loop, and reads \`${name}\` at line ${stray.line}: in parallel one iteration could read what another just wrote`,
          `make the dict (or the value) local to the iteration, e.g. a copy per item, or compute the entry from the item without storing it in \`${name}\``,
          stray.line,
          name,
        );
        continue;
      }
      // the entry this iteration stored under its own key, then filled in place (`d[k] = {}`, `d[k]["id"] = k`): no
      // value crosses iterations, but the rewrite folds one finished value per item
      const entry = own.find((p) => p.kind === 'store' && p.key && readsIn(p.key).length > 0 && readsIn(p.key).every((r) => targetNames.has(r.text)));
      const strays = [...accesses.reads, ...accesses.writes].filter((a) => a.name === name && !inOwnStatement(a.node));
      // an access to the entry stored under the item's own key (`name[key]`, spelled as the store spells it)
      const atEntry = (a: Access) => a.node.parent?.type === 'subscript' && a.node.parent.childForFieldName('value')?.id === a.node.id && a.node.parent.childrenForFieldName('subscript').map((k) => k?.text).join(',') === entry!.key!.text;
      const ownEntry = (a: Access) => atEntry(a) && a.node.startIndex > entry!.statement.endIndex;
      // `commits[i] = commits[i].strip()`: each iteration reads the entry it then replaces, its own — no value
      // crosses iterations (round 34: "each iteration sees what the previous ones added")
      const readsOwnEntry = (a: Access) => !!entry && accesses.reads.includes(a) && atEntry(a) && a.node.startIndex < entry.statement.endIndex;
      if (entry && own.every((p) => p.kind === 'store' && p.key?.text === entry.key!.text) && distinctIndex(target, iterable, entry.key!.text, name) && strays.every(readsOwnEntry)) continue;
      if (entry && strays.every(ownEntry)) {
        const shown = `${name}[${entry.key!.text}]`;
        // read back only (`rho[i] = f1[i] + f2[i]` then `feq[i] = 0.5 * rho[i]`), or changed in place after the store
        const readBack = strays.every((a) => !changesEntry(a.node.parent!));
        reject(
          'unsupported',
          readBack
            ? `\`${shown}\` is stored at line ${lineOf(entry.statement)} and read back at line ${stray.line}: each iteration touches only its own entry, but the rewrite folds one finished value per item and cannot read it back before the fold`
            : `\`${shown}\` is stored at line ${lineOf(entry.statement)} and then filled in place (line ${stray.line}): each iteration touches only its own entry, but the rewrite folds one finished value per item`,
          readBack
            ? `keep the value in a local of the iteration, read the local, and store it once (\`value = …\` … \`${shown} = value\`): the loop is then a keyed map`
            : `build the entry in a local of the iteration and store it once at the end (\`entry = …\` … \`${shown} = entry\`): the loop is then a keyed map`,
          stray.line,
          name,
        );
        continue;
      }
      reject(
        'loop-carried',
        `\`${name}\` is updated at line ${lineOf(own[0].statement)} and read at line ${stray.line}, so each iteration sees what the previous ones added`,
        `compute each item's value without looking at \`${name}\`, then fold the values in after the parallel map`,
        stray.line,
        name,
      );
    }
  }

  // What the body does
  const aliasNames = new Set<string>();
  const freshNames = new Set<string>();
  // what an alias refers into, for messages: `chunk = data[i]` → `data[i]`, `for row in rows` → `rows`
  const aliasOrigins = new Map<string, string>();
  // and the name at the root of each binding's value: an alias into something made in this iteration is not shared
  const aliasRoots = new Map<string, Array<string | null>>();
  walk(body, (n) => {
    if (n.id !== body.id && SCOPE_TYPES.has(n.type)) return false;
    if (n.type === 'assignment') {
      const right = n.childForFieldName('right');
      const names = namesBoundBy(n);
      // `x = y`, `x = y.attr`, `x = y[k]` may alias an object from outside; `x = f().attr` is made here
      let root = right;
      while (root && (root.type === 'attribute' || root.type === 'subscript')) root = root.childForFieldName(root.type === 'attribute' ? 'object' : 'value');
      const aliasing = right && ['identifier', 'attribute', 'subscript'].includes(right.type) && root?.type === 'identifier';
      for (const name of names) (aliasing ? aliasNames : freshNames).add(name);
      if (aliasing && right.text.length <= 40) for (const name of names) aliasOrigins.set(name, right.text);
      if (aliasing) for (const name of names) aliasRoots.set(name, [...(aliasRoots.get(name) ?? []), rootName(right)]);
    } else if (n.type === 'for_statement' && n.id !== loop.id) {
      const inner = n.childForFieldName('right');
      for (const name of namesBoundBy(n)) {
        aliasNames.add(name);
        if (inner && inner.text.length <= 40) aliasOrigins.set(name, inner.text);
        aliasRoots.set(name, [...(aliasRoots.get(name) ?? []), inner ? rootName(inner) : null]);
      }
    } else {
      for (const name of namesBoundBy(n)) freshNames.add(name);
    }
    return true;
  });
  const workerNodes = workerNodesOf(facts);
  const parentIds = new Set(facts.parentStatements.map((p) => p.statement.id));
  for (const p of facts.parentStatements) {
    const closure = p.value.type === 'lambda' ? p.value : descendantsNamed(p.value, 'lambda').find((l) => l && l.parent?.type !== 'argument_list' && l.parent?.type !== 'keyword_argument');
    if (closure) {
      // `lambda x=x: …` binds the item's value when made: only a name read from outside, unbound, is late
      const bound = new Set(descendantsNamed(closure.childForFieldName('parameters') ?? closure, 'default_parameter').map((d) => d.childForFieldName('name')?.text));
      const late = readsIn(closure.childForFieldName('body') ?? closure).some((r) => (targetNames.has(r.text) || writtenNames.has(r.text)) && !bound.has(r.text));
      reject('unsupported', `line ${lineOf(p.statement)} collects a lambda: ${late ? "it sees the loop variable's latest value when called later (late binding), and " : 'it '}cannot be pickled back from a worker`, 'collect the values, not closures that compute them', lineOf(p.statement));
    }
  }
  const roleOf = (name: string, seen: Set<string>): NameRole | undefined => {
    if (targetNames.has(name)) return 'item';
    if (aliasNames.has(name)) {
      // `chunk = buf[i]` with `buf` made in this iteration (or the item) refers into that, not into shared state
      const roots = aliasRoots.get(name) ?? [null];
      seen.add(name);
      const rootRoles = roots.map((r) => (r && !seen.has(r) ? roleOf(r, seen) : undefined));
      if (rootRoles.every((r) => r === 'fresh')) return 'fresh';
      if (rootRoles.every((r) => r === 'fresh' || r === 'item')) return 'item';
      return 'shared';
    }
    if (freshNames.has(name)) return 'fresh';
    return undefined;
  };
  const ctx = contextFor(loop, module, summaries, (name) => roleOf(name, new Set()));
  ctx.origin = (name) => (aliasNames.has(name) && !freshNames.has(name) && roleOf(name, new Set()) === 'shared' ? aliasOrigins.get(name) : undefined);
  const effects = scanRegion(workerNodes, ctx, { skip: parentIds });
  facts.problems = effects.problems;
  for (const h of hazards(loop, iterable, [body], module, effects)) reject(h.kind, h.message, h.remedy, h.line);
  const dispatch = itemCall(workerNodes, targetNames);
  if (dispatch) {
    reject(
      'ordered-effect',
      `each iteration calls its item (\`${dispatch.text.split('\n')[0].slice(0, 40)}\`, line ${lineOf(dispatch)}): the loop runs callbacks the analysis cannot see, in the order they were registered, and hooks and handlers commonly rely on that order`,
      'keep the loop sequential, or gather the calls only where every callback is known to be independent of the others',
      lineOf(dispatch),
    );
  }
  const store = storeCommand(workerNodes, module, targetNames);
  if (store) {
    reject(
      'shared-state',
      `each iteration runs \`${store.command}\` (line ${lineOf(store.call)}${store.via ? ` through \`${store.via}()\`` : ''}), which changes ${store.store}: run at once, such commands wait for or fail on each other's lock, or, where the tool takes none (pip), race on the same files`,
      `keep the loop sequential, or pass all the items to one command (\`${store.command.startsWith('git ') ? 'git rm --cached -- a b c' : `${store.command} a b c`}\`)`,
      lineOf(store.call),
    );
  }
  const command = itemProgram(workerNodes, iterable, targetNames, module, fn);
  if (command?.readAt) {
    reject('ordered-effect', describeItemProgram(command), 'keep the loop sequential, or run the commands concurrently only where they are known not to touch the same files or services', lineOf(command.call));
  } else if (command) facts.doubts.push({ message: describeItemProgram(command), line: lineOf(command.call) });
  const selfThreaded = selfThreadedCommandDoubt(workerNodes, module);
  if (selfThreaded) facts.doubts.push(selfThreaded);
  // one chess engine handed to every iteration: it searches one position at a time
  const engine = sharedEngine(body, loop, module, ctx.role);
  if (engine) {
    reject(
      'shared-state',
      `\`${engine.name}\` is one chess engine (started at line ${engine.line}) that every iteration uses: an engine searches one position at a time, and python-chess cancels a running command when another is sent — run at once, the iterations would wait for each other or cancel each other's searches`,
      'start one engine per worker (each worker process or thread opens its own and reuses it), or keep the loop sequential',
      engine.line,
      engine.name,
    );
  }

  // `if test: out.append(x)` is a filter the rewrite cannot express yet: say so rather than "shared state"
  const conditional = conditionalCollections(facts.workerStatements, ctx.role);
  for (const name of iterableReads) conditional.delete(name);
  // `if session.query(…).first() is None: session.add(…)`: a database session checked then written, not a filter
  for (const name of conditional.keys()) if (isDatabaseHandle(name, facts.workerStatements)) conditional.delete(name);
  for (const p of effects.problems) {
    if (p.name && nested.has(p.name) && p.kind === 'shared-state') continue; // said above, truthfully
    const filtered = p.kind === 'shared-state' && p.name ? conditional.get(p.name) : undefined;
    const disjoint = p.kind === 'shared-state' && p.name && filtered === undefined ? disjointElementStore(loop, p.name, p.line, module) : null;
    if (disjoint) reject('unsupported', disjoint.message, disjoint.remedy, disjoint.line, p.name);
    else if (filtered !== undefined) {
      if (!facts.rejections.some((r) => r.kind === 'unsupported' && r.name === p.name)) {
        reject('unsupported', `\`${p.name}\` is only added to under a condition (line ${filtered}): the rewrite cannot express a filter yet`, `map the expensive test over a pool first, then filter in the parent: \`keep = list(executor.map(test, items))\``, filtered, p.name);
      }
    } else addProblem(facts, p);
  }
  const evidence: Evidence[] = [...effects.cpu, ...effects.io];
  if (effects.loopsWithArithmetic) evidence.push({ kind: 'cpu', what: `the nested loop at line ${lineOf(effects.loopsWithArithmetic)} doing arithmetic`, line: lineOf(effects.loopsWithArithmetic) });
  if (facts.inAsyncFunction && effects.awaits.length > 0) {
    facts.awaits = true;
    evidence.push({ kind: 'io', what: `await ${effects.awaits[0].namedChildren[0]?.text.split('(')[0] ?? ''}`.trim(), line: lineOf(effects.awaits[0]) });
  }
  const idleCoroutine = facts.awaits ? idleAwaits(effects.awaits, body, module.root) : null;
  if (idleCoroutine) {
    reject(
      'no-heavy-work',
      `nothing to overlap: \`${idleCoroutine.name}\` (line ${idleCoroutine.line}) never awaits anything, so each call runs to its end without giving the event loop a turn — gathered, the calls still run one after another${effects.io.length > 0 ? `, and what it waits on (\`${describeEvidence(effects.io[0])}\`) blocks the event loop meanwhile` : ''}`,
      `make \`${idleCoroutine.name}\` wait without blocking (\`await asyncio.to_thread(blocking_call, …)\`, or the library's async client), then gather the calls`,
      lineOf(effects.awaits[0]),
    );
  } else if (facts.awaits && uploadReadsOnly(effects.awaits, iterable, fn)) {
    reject(
      'no-heavy-work',
      `the loop awaits only reads of uploaded files (\`${effects.awaits[0].text.split('\n')[0].slice(0, 40)}\`, line ${lineOf(effects.awaits[0])}): the server has received them already (a framework spools an \`UploadFile\` in memory or a temporary file), so there is no network wait to overlap — what the loop does with them runs on the event loop either way`,
      'if handling the files is slow (parsing a PDF, an image), run that part in a thread (`await asyncio.to_thread(parse, content)`, or the framework\'s `run_in_threadpool`)',
      lineOf(effects.awaits[0]),
    );
  } else if (facts.awaits && !facts.isAsync && awaitsOnlyItems(effects.awaits, new Set(facts.targetNames))) rejectAwaitedItems(facts, iterable, fn, module);
  // (a request may sit in a coroutine of this file the loop awaits: `async with session.get(url) as r` there)
  else if (facts.awaits && !(body && (requestsSomething(body) || awaitedCallees(body, module).some(requestsSomething)))) rejectUnseenAwaits(facts, effects.io, effects.awaits);
  if (body && !facts.rejections.some((r) => r.kind === 'ordered-effect')) rejectRecordWrites(facts, body);
  rejectBatchedFanOut(facts, body, module);
  rejectSameFileRuns(facts, body, module);
  rejectOneItemSought(facts, body, evidence);
  rejectRepeatedRequests(facts, body, evidence);
  classify(facts, evidence);
  rejectQuickOperandRuns(facts, workerNodes, module, evidence);
  rejectModelRuns(facts, workerNodes, module);
  contextLeftBehind(facts, loop, module);
  threadSharedItems(facts);
  reseededPerItem(facts, body, loop, fn, (name) => targetNames.has(name) || counters.has(name), module);
  ownFigurePerItem(facts, body, module);
  if (facts.recordedFolds) rejectCheapReplays(facts, body, evidence, effects.inputSizedCpu);
  if (facts.isAsync) consumeFirst(facts, iterable, module, summaries, fn);
  if (facts.isAsync && !facts.awaits) {
    reject('unsupported', 'the body of this `async for` awaits nothing: there is no wait to gather, and its items come from an asynchronous iterator one at a time', 'collect the items first (`items = [x async for x in source]`), then loop over the list', facts.line);
  }
  rejectRateLimit(facts, effects.pace);
  rejectSerialised(facts, effects.serialised);
  rejectSingleSlot(facts, effects.singleSlot, effects.io);
  rejectTimedStandIn(facts, effects);
  const found = fileWrite(workerNodes, module);
  const write = found?.call ?? null;
  // a signal handler set around the loop: Python runs handlers in the main thread only, so blocking calls moved
  // to worker threads are no longer interrupted by it
  const handlerScope = fn ?? module.root;
  if (facts.workload === 'io' && /\bsignal\.(signal|alarm|setitimer|pthread_kill)\b/.test(handlerScope.text)) {
    facts.doubts.push({ message: 'a signal handler is set here: Python delivers signals to the main thread only, so the calls moved to worker threads are no longer interrupted by it', line: facts.line });
  }
  const variant = new Set([...targetNames, ...writtenNames]);
  const writePath = found?.path ?? null;
  if (write && writePath && (!readsIn(writePath).some((r) => variant.has(r.text)) || sameEveryIteration(writePath, loop)) && (!found?.mayBeDirectory || found.deletes || spelledAsFile(writePath, fn))) {
    // a name the body binds: show what it holds (`outfname = "p6_" + table + ".txt"`)
    const bound = writePath.type === 'identifier' ? descendantsNamed(body, 'assignment').find((a) => a.childForFieldName('left')?.text === writePath.text)?.childForFieldName('right') : undefined;
    const named = bound ? `\`${writePath.text}\` = \`${bound.text.split('\n')[0].slice(0, 60)}\`` : `\`${writePath.text}\``;
    if (found?.deletes) reject('shared-state', `every iteration deletes the same ${found.mayBeDirectory ? 'directory' : 'file'} (${named}, line ${lineOf(write)}): iterations running at once would delete what the others are still using`, 'give each iteration its own path (named after the item, or a `tempfile.mkdtemp()`)', lineOf(write));
    else reject('ordered-effect', `every iteration writes to the same file (${named}, line ${lineOf(write)}), so the order of the writes matters`, 'return the text from each iteration and write it in the parent, in order', lineOf(write));
  } else if (write && !(writePath && variesWithItem(writePath, (name) => targetNames.has(name) || counters.has(name), fn))) {
    facts.doubts.push({ message: `cannot prove that each iteration writes to a different file (\`${write.text.split('\n')[0].slice(0, 60)}\`)`, line: lineOf(write) });
  } else if (!write) {
    const inCallee = calleeFileWrite(workerNodes, module, (name) => targetNames.has(name) || counters.has(name), fn);
    if (inCallee?.same && inCallee.kind === 'shared-state') reject('shared-state', inCallee.message, 'give each call its own path (named after the item, or a `tempfile.mkdtemp()`)', inCallee.line);
    else if (inCallee?.same) reject('ordered-effect', inCallee.message, 'return what each iteration would write and write it in the parent, in order', inCallee.line);
    else if (inCallee) facts.doubts.push({ message: inCallee.message, line: inCallee.line });
  }

  // a file skipped when it exists, named after the item: a name two items share is written once in order (the
  // second finds it), twice at once (round 67: two image URLs with one file name, and a flag counting the writes)
  const skipped = write && writePath && !facts.doubts.some((d) => /different file/.test(d.message)) ? existenceGuard(workerNodes, writePath) : null;
  if (skipped && !distinctItems(iterable)) {
    facts.doubts.push({ message: `cannot prove that no two items name the same file \`${writePath!.text.slice(0, 40)}\`: the loop skips a file that exists (line ${lineOf(skipped)}), so in order a repeated name is written once and then skipped, where iterations running at once may both write it`, line: lineOf(skipped) });
  }
  const neighbour = write ? neighbouringItemPath(workerNodes, (name) => targetNames.has(name) || counters.has(name)) : null;
  if (neighbour) {
    facts.doubts.push({ message: `cannot prove that no iteration touches a file another one writes: a path here is named after a neighbouring item (\`${neighbour.text}\`), as when rotating numbered backups (n → n + 1)`, line: lineOf(neighbour) });
  }

  // Values computed in the body must not be needed after the loop
  // (a selection's parent binds the loop's names and the value again as it replays: they hold the last item's)
  const replayed = new Set(selecting ? [...facts.targetNames, ...facts.parentStatements.filter((p) => p.kind === 'select').map((p) => p.value.text)] : []);
  const bodyWritten = new Set([...facts.targetNames, ...workerWrites.map((w) => w.name).filter((name) => !nested.has(name))].filter((name) => !replayed.has(name) && !restarted.has(name)));
  const elseBody = loop.childForFieldName('alternative')?.childForFieldName('body');
  const readInElse = elseBody ? readsIn(elseBody).find((r) => bodyWritten.has(r.text)) : undefined;
  if (readInElse) {
    reject(
      'live-out',
      `\`${readInElse.text}\` is set in the loop and read in its \`else:\` block at line ${lineOf(readInElse)}; the parallel form would not leave the last iteration's value behind`,
      `compute \`${readInElse.text}\` from the results in the \`else:\` block, or rename the variable used there`,
      lineOf(readInElse),
      readInElse.text,
    );
  }
  for (const [name, line] of liveAfter(loop, bodyWritten, module)) {
    reject(
      'live-out',
      `\`${name}\` is set in the loop and read after it at line ${line}; the parallel form would not leave the last iteration's value behind`,
      `compute \`${name}\` after the loop from the results (e.g. \`results[-1]\`), or rename the variable used later`,
      line,
      name,
    );
  }

  // Names the worker needs from outside the iteration
  const free: string[] = [];
  const foldedAway = (r: SyntaxNode) => facts.parentStatements.some((p) => isAncestorOf(p.statement, r) && !(p.value.id === r.id || isAncestorOf(p.value, r)));
  for (const r of workerNodes.flatMap((n) => readsIn(n))) {
    const name = r.text;
    if (foldedAway(r)) continue;
    // (a name each pass starts from the same literal is handed in with it: resetEachPass)
    if (targetNames.has(name) || (writtenNames.has(name) && !restarted.has(name)) || free.includes(name)) continue;
    const binding = module.bindings.get(name);
    if (binding === 'def' || binding === 'class' || binding === 'import') {
      if (!fn || !(scopeOf(fn).locals.has(name) || scopeOf(fn).params.has(name))) continue;
    }
    if (!binding && BUILTIN_NAMES.has(name) && !isBoundInFunctions(name, ctx.enclosing)) continue;
    if (!binding && !isBoundInFunctions(name, ctx.enclosing)) continue; // undefined or builtin we do not list
    free.push(name);
  }
  facts.freeVariables = free;
  const unbound = fn ? free.find((name) => mayBeUnbound(name, loop, fn)) : undefined;
  if (unbound) {
    // first among the doubts: on that path the rewrite fails at once
    facts.doubts.unshift({
      message: `\`${unbound}\` may be unbound when the loop starts (every binding of it before the loop is under a condition): the rewrite hands it to the workers as the loop starts, which raises \`UnboundLocalError\` on a path where the body would not have read it`,
      line: facts.line,
    });
  }

  rejectTrivialOrIdle(facts, effects, module);
  rejectLostCache(facts, workerNodes, module);
  rejectSingleOwner(facts, workerNodes, module, new Set([...targetNames, ...writtenNames]));
  const sheets = workbookSheetsRejection(facts.node, facts.iterable, workerNodes, targetNames, module);
  if (sheets) facts.rejections.push(sheets);
  const images = generatedImagesRejection(facts.node, facts.iterable, module);
  if (images) facts.rejections.push(images);
  // nothing collected: CPU work whose values are dropped (a benchmark, `for _ in range(20): fib(35)`) runs in a pool
  // as it is when the body only calls this module's functions, whose effects the analysis follows; a method or
  // an object's function may change what it reaches, which the analysis does not follow that far
  if (facts.parentStatements.length === 0 && facts.rejections.length === 0 && facts.workload !== 'io') {
    const unfollowed = facts.doubts.length > 0 ? null : unfollowedCall(facts.workerStatements, module, fn);
    if (facts.doubts.length > 0 || unfollowed) {
      const through = unfollowed ? `it acts only through \`${unfollowed.text.split('(')[0].slice(0, 40)}()\` (line ${lineOf(unfollowed)}), whose effects on the objects it reaches the analysis does not follow` : `it acts only through calls whose effects the analysis cannot see (${briefDoubt(facts.doubts[0].message)})`;
      reject('no-result', `no result is collected: the body neither appends to a list, stores by the loop variable nor accumulates a reduction, and ${through}, so running the iterations apart is not known to keep what they do`, 'collect a value per item (`results.append(…)`) so the iterations can run in a pool, or keep the loop sequential', facts.line);
    } else if ((facts.workload !== 'cpu' || !facts.workerStatements.some((s) => descendantsNamed(s, 'call').some((c) => c?.childForFieldName('function')?.type === 'identifier' && module.bindings.get(c.childForFieldName('function')!.text) === 'def'))) && !knownEffect(facts.workerStatements, module)) {
      // no function of this module is called: the body only evaluates expressions and drops them (`r[i:j:k]`,
      // a test that slicing does not raise), nothing a user would run in a pool — unless it calls a library function
      // known to act (`cv2.imwrite(path, image)`: a file written per item)
      reject('no-result', 'no result is collected and no effect is known: what the body computes is dropped at the end of each iteration, and it calls none of this module\'s functions (a check that the expressions do not raise)', 'collect a value per item (`results.append(…)`), or drop the loop if nothing needs it', facts.line);
    }
  }
  return finish(facts);
}

/**
 * Names of calls that write what they are given somewhere (an image, a table, a figure, an array): the writers that
 * name their file first (effects.ts), and those writing to a handle or a store (`json.dump(x, f)`, `f.write(s)`).
 */
const WRITER_NAMES = new Set([...WRITER_METHODS, 'to_hdf', 'dump', 'write']);

/** Whether `nodes` call a library function the tool knows to act beyond computing (a write, a request, a print). */
function knownEffect(nodes: SyntaxNode[], module: ModuleInfo): boolean {
  if (fileWrite(nodes, module)) return true;
  return nodes.some((node) => descendantsNamed(node, 'call').some((call) => {
    const f = call?.childForFieldName('function');
    // a writer by its name (`cv.imwrite(path, img)`, `output.save(path)`, `df.to_csv(path)`, `fig.savefig(path)`)
    if (f && WRITER_NAMES.has(f.type === 'attribute' ? f.childForFieldName('attribute')!.text : f.text)) return true;
    const qualified = call ? qualifiedCallee(call, module) : null;
    const effect = qualified ? lookupCall(qualified)?.effect : undefined;
    return effect !== undefined && effect !== 'pure';
  }));
}

/** The first call in `nodes` of something other than this module's functions and plain builtins (a method, an object's function), or null. */
function unfollowedCall(nodes: SyntaxNode[], module: ModuleInfo, fn: SyntaxNode | null): SyntaxNode | null {
  for (const node of nodes) {
    for (const call of descendantsNamed(node, 'call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee) continue;
      // a library function whose effects the tool knows (`os.path.join`, `cv2.imwrite`) is followed
      const qualified = qualifiedCallee(call, module);
      if (qualified && lookupCall(qualified)) continue;
      if (callee.type !== 'identifier') return call;
      const local = fn && (scopeOf(fn).locals.has(callee.text) || scopeOf(fn).params.has(callee.text));
      if (local) return call;
      if (module.bindings.get(callee.text) === 'def') continue;
      if (!module.bindings.has(callee.text) && BUILTIN_NAMES.has(callee.text)) continue;
      return call;
    }
  }
  return null;
}

/**
 * A recorded fold in an inner loop sends the parent one value per pass of that loop, which the parent replays one
 * at a time: that pays only when each value carries expensive work of its own (`total += score(w)`), not when the
 * work is elsewhere and the values are cheap (`count += 1`, `s += a[i] * b[j]`).
 */
/**
 * Every wait of the loop is one run of a program that takes many operands and returns at once (`kill -9 PID` per
 * process): one run with all the items does the work, where a pool saves a few milliseconds (audit: 50 `kill`s
 * took 77–107 ms in a loop, 51–80 ms in threads, 4 ms as one call).
 */
/**
 * Context managers that set state for the thread that enters them (PyTorch's gradient and autocast modes, a decimal
 * context, NumPy's error handling, warning filters, display options): a worker thread or process does not run
 * under the one the loop is in.
 */
const STATE_CONTEXTS = /^(torch\.(no_grad|inference_mode|enable_grad|set_grad_enabled|autocast|amp\.autocast|cuda\.amp\.autocast|cpu\.amp\.autocast)|decimal\.localcontext|numpy\.(errstate|printoptions)|warnings\.catch_warnings|pandas\.option_context)$/;

/**
 * The loop runs inside `with torch.no_grad():` (or a function decorated `@torch.no_grad()`, or another context setting
 * state for the thread that enters it): the rewrite moves the body into workers, which do not run under it — PyTorch
 * would record gradients there, a decimal context would not apply (round 46: a U-Net's predictions moved out of
 * `no_grad`). A doubt: the body must enter it itself.
 */
function contextLeftBehind(facts: LoopFacts, loop: SyntaxNode, module: ModuleInfo): void {
  const stateContext = (call: SyntaxNode | null | undefined) => {
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    return !!fn && STATE_CONTEXTS.test(importedName(dottedName(fn), module) ?? '');
  };
  for (let p = loop.parent; p && p.type !== 'module'; p = p.parent) {
    let context: SyntaxNode | null = null;
    if (p.type === 'with_statement') {
      // (the with-items of this statement: `with torch.no_grad(), open(p) as f:`; an `as` pattern's value)
      const clause = namedChildren(p).find((c) => c.type === 'with_clause');
      const values = (clause ? namedChildren(clause).filter((c) => c.type === 'with_item') : []).map((item) => withItemPattern(item)?.namedChildren[0] ?? item.childForFieldName('value'));
      context = values.find((v) => stateContext(v)) ?? null;
    } else if (p.type === 'function_definition') {
      const decorated = p.parent?.type === 'decorated_definition' ? p.parent : null;
      context = decorated ? (namedChildren(decorated).filter((d) => d.type === 'decorator').map((d) => d.namedChildren[0] ?? null).find((d) => stateContext(d)) ?? null) : null;
    }
    if (context) {
      facts.doubts.unshift({ message: `the loop runs under \`${context.text.split('\n')[0].slice(0, 40)}\` (line ${lineOf(context)}), which sets state for the thread that enters it: the workers would not run under it — enter it again in the worker's body`, line: lineOf(context) });
      return;
    }
    if (p.type === 'function_definition') return;
  }
}

/**
 * Each iteration runs a neural-network model loaded once (round 27: a CLIP model in `self`, 1.7 GB, under
 * `torch.no_grad()`): the framework already uses the cores, a pool copies the model or contends for them; the
 * speed-up is a bigger batch.
 */
const WITH_STATEMENTS = new Set(['with_statement']);

function rejectModelRuns(facts: LoopFacts, workerNodes: readonly SyntaxNode[], module: ModuleInfo): void {
  const training = threadedTraining(workerNodes, module);
  if (training) {
    // round 30: cross-validation folds training LightGBM and XGBoost models, which use every core already
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `each iteration trains a model with \`${training.library}\` (\`${training.call.text.split('(')[0]}\`, line ${lineOf(training.call)}), which already spreads its work over every core: a pool would only make the iterations compete for them (and copy the training data into every worker)`,
      remedy: 'keep the loop sequential and let the library use the cores (tune its `n_jobs`/`nthread`), or run the iterations in a pool with the library set to one thread each',
      line: lineOf(training.call),
    });
    return;
  }
  const run = modelRun(workerNodes, module);
  if (!run) {
    // a forward pass spelled as one (`with torch.no_grad(): emb = manager.encode_image(t)`), the model held by an
    // object of the project the analysis does not follow (round 67: CLIP embeddings scored per hand-labelled image)
    const inference = workerNodes.flatMap((n) => descendantsOfTypes(n, WITH_STATEMENTS, true)).find((w) => /^with\s+(torch\.(no_grad|inference_mode)|torch\.cuda\.amp\.autocast|torch\.autocast)\s*\(/.test(w.text));
    if (!inference) return;
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `each iteration runs a model under \`${inference.text.split(':')[0].replace(/^with\s+/, '')}\` (line ${lineOf(inference)}): PyTorch already spreads each forward pass over the cores (or the GPU), so threads would contend for them, and a process pool would copy the model into every worker (and lose the settings made in this thread)`,
      remedy: 'give the model the items in batches (a stacked tensor: `model(torch.stack(batch))`), and let the framework use the cores',
      line: lineOf(inference),
    });
    return;
  }
  facts.rejections.push({
    kind: 'not-worth-it',
    message: describeModelRun(run),
    remedy: 'give the model the items in batches (most take a list or a stacked tensor: `model(batch)`, `model.predict(array)`, `nlp.pipe(texts)`), and let the framework use the cores',
    line: lineOf(run.call),
  });
}

function rejectQuickOperandRuns(facts: LoopFacts, workerNodes: readonly SyntaxNode[], module: ModuleInfo, evidence: Evidence[]): void {
  if (evidence.some((e) => e.kind === 'cpu') || !waitsOnlyOnPrograms(evidence)) return;
  const run = quickOperandCommand(workerNodes, module);
  if (!run) return;
  const shown = [...run.words.map((w) => JSON.stringify(w)), '*items'].join(', ');
  facts.rejections.push({
    kind: 'not-worth-it',
    message: `each iteration runs \`${run.words.join(' ')} …\` (line ${lineOf(run.call)}${run.via ? ` through \`${run.via}()\`` : ''}), a program that takes any number of operands and returns in about a millisecond: one run with every item does the loop's work at once, where a pool would save a few milliseconds`,
    remedy: `pass all the items to one command: \`subprocess.run([${shown}])\``,
    line: lineOf(run.call),
  });
}

/**
 * What a worker runs of an iteration: its statements and the values it hands the parent — but a lambda stored
 * (`handlers[x] = lambda: run(x)`), made here and run later, whose body is no work of the loop.
 */
function workerNodesOf(facts: LoopFacts): SyntaxNode[] {
  return [...facts.workerStatements, ...facts.parentStatements.flatMap((p) => (p.value.type === 'lambda' ? [] : [p.value]))];
}

/**
 * A loop whose waits are runs of programs: one that asks for a password on each run (`pkexec`) answers one person
 * at a time, in order; quick local programs (`msgfmt`, `objdump`, `taskset`: milliseconds, mostly starting) over a
 * count of items the code does not show (or shows to be small) save a few milliseconds in a pool (round 54: a
 * catalogue compile script, 13 × 12 ms; a build script's two binaries; an affinity change falling back to pkexec).
 */
function rejectProgramRuns(facts: LoopFacts, module: ModuleInfo): void {
  // (besides the programs, only local file work: `os.makedirs` of the output folder)
  const io = facts.evidence.filter((e) => e.kind === 'io');
  if (facts.workload !== 'io' || facts.evidence.some((e) => e.kind === 'cpu') || !io.some((e) => e.waits === 'process') || !io.every((e) => e.waits === 'process' || e.waits === 'file')) return;
  const nodes = workerNodesOf(facts);
  const asking = authenticatingCommand(nodes, module);
  if (asking) {
    facts.rejections.push({
      kind: 'ordered-effect',
      message: `each iteration may run \`${asking.words.join(' ').slice(0, 50)}\` (line ${lineOf(asking.call)}${asking.via ? ` through \`${asking.via}()\`` : ''}), which asks the person at the machine to authenticate on every run: run at once, the password dialogs pile up, and one person answers them in turn`,
      remedy: 'keep the loop sequential, or authenticate once for all the items (one privileged command taking them all)',
      line: lineOf(asking.call),
    });
    return;
  }
  if (facts.rejections.length > 0) return;
  const items = facts.estimate?.items;
  if (items !== undefined && items >= FEW_ITEMS_FOR_PROCESSES) return;
  const quick = quickProgramCommand(nodes, module);
  if (!quick) return;
  facts.rejections.push({
    kind: 'not-worth-it',
    message: `each iteration runs \`${quick.words.join(' ').slice(0, 50)}\` (line ${lineOf(quick.call)}${quick.via ? ` through \`${quick.via}()\`` : ''}), a local program that returns within milliseconds, most of them spent starting it; ${items !== undefined ? `over ${items} items` : 'with the number of items not shown'}, a pool would save a few milliseconds`,
    remedy: 'keep the loop sequential; if the items are many, pass several to one run where the program takes them',
    line: lineOf(quick.call),
  });
}

/** Whether the statement after `statement` in its block is a `break` of `inner` (no loop between them). */
function breaksRightAfter(statement: SyntaxNode, inner: SyntaxNode): boolean {
  const block = statement.parent;
  const siblings = block ? namedChildren(block).filter((c) => c.type !== 'comment') : [];
  const next = siblings[siblings.findIndex((c) => c.id === statement.id) + 1];
  if (next?.type !== 'break_statement') return false;
  const loop = ancestor(next, (a) => a.type === 'for_statement' || a.type === 'while_statement');
  return loop?.id === inner.id;
}

function rejectCheapReplays(facts: LoopFacts, body: SyntaxNode, evidence: Evidence[], inputSized: readonly Evidence[]): void {
  const innerOf = (p: ParentStatement) => ancestor(p.statement, (a) => a.id === body.id || a.type === 'for_statement' || a.type === 'while_statement');
  const carriesWork = (p: ParentStatement) => evidence.some((e) => e.line >= p.value.startPosition.row + 1 && e.line <= p.value.endPosition.row + 1);
  for (const p of facts.parentStatements) {
    const inner = innerOf(p);
    if (!inner || inner.id === body.id) continue;
    if (carriesWork(p)) continue;
    // `found.add(pkg); break`: the fold ends the inner loop, so it runs at most once per item
    if (breaksRightAfter(p.statement, inner)) continue;
    // a cheap value folded beside one that carries the work, in the same pass of the same inner loop
    // (`costs.append(cost(t))`, `tests.append(t)`): every pass does that work, and replaying the cheap value
    // beside it costs little
    if (facts.parentStatements.some((q) => q !== p && innerOf(q)?.id === inner.id && carriesWork(q))) continue;
    // a line printed beside the work of the same pass (`data = decode(f); print(f"done {f}")`): the pass does the work,
    // and printing its line in the parent costs what printing it in the loop did
    if (p.kind === 'emit' && evidence.some((e) => e.line >= inner.startPosition.row + 1 && e.line <= inner.endPosition.row + 1)) continue;
    // a library call doing the work in the pass itself (`csv = pd.read_csv(path)`, then `data.append(csv.iloc[120]…)`):
    // each pass reads or computes something, beside which replaying its cheap value costs little
    if ([...evidence, ...inputSized].some((e) => e.line > inner.startPosition.row + 1 && e.line <= inner.endPosition.row + 1 && !arithmeticLoop(e))) continue;
    // work the item does outside the inner loop (`r = requests.get(url)`, then `for e in r.json()["items"]: ids.append(e)`):
    // the values replayed are what that work returned, not a cost of their own next to it
    // (a loop enclosing the inner one, `the nested loop at line 59 doing arithmetic` around `for y …: ans = max(…)`, is
    // that same work, not work besides it: round 33's grid search replayed 9 M folds, 4.6–10× slower)
    const enclosingLoops = new Set<number>();
    for (let a = p.statement.parent; a && a.id !== body.id; a = a.parent) if (a.type === 'for_statement' || a.type === 'while_statement') enclosingLoops.add(a.startPosition.row + 1);
    if (evidence.some((e) => (e.line < inner.startPosition.row + 1 || e.line > inner.endPosition.row + 1) && !(arithmeticLoop(e) && enclosingLoops.has(e.line)))) continue;
    // a line printed per pass is output the parent prints again, in order (round 55: `print(…)` called a fold)
    const printed = p.kind === 'emit';
    facts.rejections.push({
      kind: 'not-worth-it',
      message: printed
        ? `\`${p.statement.text.split('\n')[0].slice(0, 50)}\` (line ${lineOf(p.statement)}) prints once per pass of the inner loop at line ${lineOf(inner)}, and no work the code shows in a pass costs more than that: the parent would print every one of those lines again, in order, for about what computing them costs`
        : `\`${p.statement.text.split('\n')[0].slice(0, 50)}\` (line ${lineOf(p.statement)}) folds a value once per pass of the inner loop at line ${lineOf(inner)}, and no work the code shows in a pass costs more than that: the parent would replay every one of them, one at a time, for about what computing them costs`,
      remedy: printed
        ? 'keep the loop sequential, or build each item\'s text in the iteration and print it once per item'
        : `fold each item's values in a local of the iteration and fold that into \`${p.target}\` once per item, then the loop is a map-reduce`,
      line: lineOf(p.statement),
      name: p.target,
    });
    return;
  }
}

/**
 * A loop whose every await awaits its item (`for task in tasks: await task`) waits for awaitables made before it:
 * tasks already run at once, so gathering gains nothing; coroutine objects run only when awaited, one at a time.
 */
function rejectAwaitedItems(facts: LoopFacts, iterable: SyntaxNode, fn: SyntaxNode | null, module: ModuleInfo): void {
  const kind = awaitedItems(iterable, fn, module);
  if (kind === 'coroutines') return;
  const shown = `\`${iterable.text.split('\n')[0].slice(0, 40)}\``;
  facts.rejections.push(
    kind === 'tasks'
      ? {
          kind: 'not-worth-it',
          message: `the loop only awaits its items, and ${shown} holds tasks that already run at once (scheduled when they were made): awaiting them in turn loses no time, and gathering them would gain none`,
          remedy: 'nothing to do: the work already overlaps',
          line: facts.line,
        }
      : {
          kind: 'no-heavy-work',
          message: `not shown to pay: the loop only awaits its items, made before it (${shown}); tasks or futures already run at once and gain nothing from gathering, and the code does not show that these are coroutines, which would run only when awaited`,
          remedy: 'if the items are coroutine objects, gather them where they are made (`await asyncio.gather(*coros)`)',
          line: facts.line,
        },
  );
}

/**
 * An `async for` is gathered by collecting its items first (`items = [x async for x in source]`): the same as the
 * loop only when the source ends by itself and need not be read at the pace the loop handles its items. A source
 * that never ends rejects the loop; one whose end the code does not show leaves the fix unsafe.
 */
function consumeFirst(facts: LoopFacts, iterable: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, fn: SyntaxNode | null): void {
  const source = asyncSource(iterable, module, summaries, fn);
  const shown = `\`${iterable.text.split('\n')[0].slice(0, 40)}\``;
  if (source.kind === 'endless') {
    facts.rejections.push({
      kind: 'endless-source',
      message: `${shown} never ends: \`${source.generator}\` runs \`${source.loop}\` (line ${source.line}) with no \`break\`, \`return\` or \`raise\`, so the loop handles each item as it arrives, and gathering would first wait for every item, forever`,
      remedy: 'keep the loop sequential, or hand each item to a bounded set of worker tasks as it arrives (N consumers of an `asyncio.Queue`, or `create_task` under an `asyncio.Semaphore`)',
      line: source.line,
      name: source.generator,
    });
  } else if (source.kind === 'paced' && facts.awaits) {
    facts.rejections.push({
      kind: 'rate-limit',
      message: `${shown} paces its items: \`${source.generator}\` pauses with \`${source.pause}\` (line ${source.line}) between them, so the loop's awaits start no faster than that; gathered, they would all start at once`,
      remedy: 'keep the loop sequential, or bound the concurrency with an `asyncio.Semaphore` if the pause only limits the rate',
      line: source.line,
      name: source.generator,
    });
  } else if (source.kind === 'unseen' && facts.awaits) {
    facts.doubts.push({
      message: `that ${shown} ends by itself, does not pace its items and may be read to its end before any item is handled (${source.why}): the fix collects every item first, then starts all the work at once — on an endless stream it never finishes, it holds back the work until the last item arrives, and it undoes any pacing of the items (a rate limit)`,
      line: facts.line,
    });
  }
}

/** The name an expression's value hangs from: `data[i].rows` → `data`, `f.read().split()` → `f`; null for a literal or a bare call. */
export function rootName(expr: SyntaxNode): string | null {
  let n: SyntaxNode | null = expr;
  while (n && n.type !== 'identifier') {
    if (n.type === 'attribute') n = n.childForFieldName('object');
    else if (n.type === 'subscript') n = n.childForFieldName('value');
    else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else if (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute') n = n.childForFieldName('function');
    else return null;
  }
  return n?.text ?? null;
}

/**
 * Counters of the iterations (induction variables): a name the body steps by one in a statement of its own
 * (`i += 1`), which runs in every iteration (no `continue`), writes nowhere else and reads elsewhere in the body
 * (to name or number things): name → that statement.
 */
function inductionCounters(statements: SyntaxNode[], targetNames: Set<string>, accesses: ReturnType<typeof bodyAccesses>, continues: boolean): Map<string, SyntaxNode> {
  const found = new Map<string, SyntaxNode>();
  if (continues) return found;
  for (const s of statements) {
    const e = s.type === 'expression_statement' && s.namedChildCount === 1 ? s.namedChildren[0]! : null;
    if (e?.type !== 'augmented_assignment' && e?.type !== 'assignment') continue;
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (left?.type !== 'identifier' || targetNames.has(left.text)) continue;
    if (e.type === 'augmented_assignment' && (e.childForFieldName('operator')?.text !== '+=' || right?.text !== '1')) continue;
    // `n = n + 1`, `n = 1 + n`
    if (e.type === 'assignment' && !(right?.type === 'binary_operator' && right.childForFieldName('operator')?.text === '+' && [right.childForFieldName('left')?.text, right.childForFieldName('right')?.text].sort().join(' ') === ['1', left.text].sort().join(' '))) continue;
    if (accesses.writes.filter((w) => w.name === left.text).length !== 1) continue;
    // only counted, never read in the body: a plain reduction (`count += 1`), which the parent can do
    if (!accesses.reads.some((r) => r.name === left.text && !isAncestorOf(e, r.node))) continue;
    found.set(left.text, e);
  }
  return found;
}

/**
 * Names the body only folds values into from an inner loop (`total += x` or `pixels.extend(v)` inside `for x in
 * row:`), defined outside the loop and not otherwise read or written in the body: name → the reduction.
 */
function nestedReductions(body: SyntaxNode, targetNames: Set<string>, accesses: ReturnType<typeof bodyAccesses>): Map<string, ParentStatement & { innerLoop: SyntaxNode }> {
  const found = new Map<string, ParentStatement & { innerLoop: SyntaxNode }>();
  const rejected = new Set<string>();
  walk(body, (n) => {
    if (n.id !== body.id && SCOPE_TYPES.has(n.type)) return false;
    if (n.type !== 'expression_statement') return true;
    const innerLoop = ancestor(n, (a) => a.id === body.id || a.type === 'for_statement' || a.type === 'while_statement');
    if (!innerLoop || innerLoop.id === body.id) return false;
    const innerTargets = new Set(innerLoop.type === 'for_statement' ? boundNames(innerLoop.childForFieldName('left')) : []);
    const reduction = parentStatementOf(n, new Set([...targetNames, ...innerTargets]));
    if (!reduction || reduction.kind !== 'reduce' || targetNames.has(reduction.target)) return false;
    if (found.has(reduction.target)) rejected.add(reduction.target);
    else found.set(reduction.target, { ...reduction, innerLoop });
    return false;
  });
  for (const [name, r] of found) {
    // any other read or write of the name in the body makes it more than a reduction
    const own = (a: { node: SyntaxNode }) => isAncestorOf(r.statement, a.node) && !isAncestorOf(r.value, a.node) && a.node.id !== r.value.id;
    if (rejected.has(name) || [...accesses.reads, ...accesses.writes].some((a) => a.name === name && !own(a)) || readsIn(r.value).some((v) => v.text === name)) found.delete(name);
  }
  return found;
}

/** Collections (defined outside the loop) appended to inside an `if`/`else` of the body: name → line. */
function conditionalCollections(statements: SyntaxNode[], role: (name: string) => NameRole): Map<string, number> {
  const found = new Map<string, number>();
  for (const s of statements) {
    if (s.type !== 'if_statement' && s.type !== 'match_statement') continue;
    walk(s, (n) => {
      if (SCOPE_TYPES.has(n.type)) return false;
      if (n.type === 'call') {
        const fn = n.childForFieldName('function');
        const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if (object?.type === 'identifier' && ['append', 'add', 'extend', 'update', 'insert'].includes(method ?? '') && role(object.text) === 'shared' && !found.has(object.text)) {
          found.set(object.text, lineOf(n));
        }
      }
      return true;
    });
  }
  return found;
}

/** Whether the iterable is a copy made when the loop starts: a slice, or `list`/`tuple`/`sorted`/`set` of it, `.copy()`. */
function iteratesACopy(iterable: SyntaxNode): boolean {
  let n = iterable;
  // `enumerate(copy)`, `reversed(copy)`: the wrapper walks the copy
  while (n.type === 'call' && ['enumerate', 'reversed'].includes(n.childForFieldName('function')?.text ?? '') && namedChildren(n.childForFieldName('arguments')!).length >= 1) {
    n = namedChildren(n.childForFieldName('arguments')!)[0];
  }
  if (n.type === 'subscript') return n.childForFieldName('subscript')?.type === 'slice';
  if (n.type !== 'call') return false;
  const f = n.childForFieldName('function');
  if (f?.type === 'identifier') return ['list', 'tuple', 'sorted', 'set', 'frozenset', 'dict'].includes(f.text) && namedChildren(n.childForFieldName('arguments')!).length === 1;
  return f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'copy' && namedChildren(n.childForFieldName('arguments')!).length === 0;
}

/**
 * A thread pool shares the items with the parent: a change an iteration makes to its own item, in place, is seen
 * as before (only a process works on a copy). For an I/O-bound loop that is a doubt — two items could be one object —
 * not a rejection.
 */
function threadSharedItems(facts: LoopFacts): void {
  if (facts.workload !== 'io' || facts.awaits || facts.isAsync) return;
  for (const r of facts.rejections.filter((x) => x.inThreads)) {
    facts.rejections.splice(facts.rejections.indexOf(r), 1);
    facts.doubts.push({ message: r.inThreads!, line: r.line });
  }
}

/** A module's global generator, as its seeding and drawing calls are spelled: `np.random.normal`, `random.seed`. */
function generatorFamily(name: string): 'numpy' | 'random' | null {
  return /^(np|numpy)\.random\.\w+$/.test(name) ? 'numpy' : /^random\.\w+$/.test(name) ? 'random' : null;
}

/**
 * A CPU-bound loop whose body starts by seeding a module's global generator from its item (`np.random.seed(seed)`
 * before any draw): every draw of the iteration then follows from the item alone, in the sequential loop and in a
 * worker process alike (each has its own generator, reseeded per item), so the draws are not state the iterations
 * share (round 33: 250 bootstraps, each reseeded, bit-identical under a spawn pool). Not for threads, which share one
 * generator. What is left: the parent's generator is not advanced by the items' draws, so code drawing from it after
 * the loop without seeding would see other numbers — a doubt where the loop's function (or what follows it) may do so.
 */
function reseededPerItem(facts: LoopFacts, body: SyntaxNode | null, loop: SyntaxNode, fn: SyntaxNode | null, varying: (name: string) => boolean, module: ModuleInfo): void {
  if (!body || facts.workload !== 'cpu' || facts.awaits) return;
  const statements = statementsOf(body).filter((st) => st.type !== 'comment');
  const index = statements.findIndex((st) => {
    const call = st.type === 'expression_statement' ? st.namedChildren[0] : null;
    const name = call?.type === 'call' ? call.childForFieldName('function')?.text ?? '' : '';
    return /^((np|numpy)\.random\.seed|random\.seed)$/.test(name);
  });
  if (index < 0) {
    reseededByCallee(facts, statements, fn, varying, module);
    return;
  }
  const seed = statements[index].namedChildren[0]!;
  const family = generatorFamily(seed.childForFieldName('function')!.text);
  const arg = namedChildren(seed.childForFieldName('arguments')!).find((a) => a.type !== 'comment');
  if (!family || !arg || arg.type === 'keyword_argument' || !variesWithItem(arg, varying, fn)) return;
  const seedLine = lineOf(seed);
  const ofFamily = (r: { kind: RejectionKind; name?: string }) => r.kind === 'shared-state' && !!r.name && generatorFamily(r.name) === family;
  // a draw before the seed (or a statement before it that draws through a callee) depends on the previous item's seed
  if (facts.rejections.some((r) => ofFamily(r) && r.line < seedLine)) return;
  if (statements.slice(0, index).some((st) => /\brandom\b/.test(st.text))) return;
  // a seed with no draw after it in the iteration only sets what the generator holds after the loop: shared state
  if (!facts.rejections.some((r) => ofFamily(r) && !/\.seed$/.test(r.name!))) return;
  facts.rejections = facts.rejections.filter((r) => !ofFamily(r));
  const what = family === 'numpy' ? "NumPy's global generator" : "the `random` module's global generator";
  const after = (fn ?? loop.parent)?.text.slice(loop.endIndex - (fn ?? loop.parent)!.startIndex) ?? '';
  if (fn || /\brandom\.\w+\(/.test(after)) {
    facts.doubts.push({ message: `each iteration reseeds ${what} from its item (line ${seedLine}), so its draws follow from the item in a worker too; but the parent's generator is no longer advanced by them: code drawing from it after the loop without seeding sees other numbers`, line: seedLine });
  }
}

/**
 * The same reseeding done by a function of this file the iteration calls first: its body starts by seeding the
 * global generators from its parameters (`def train_config(config, seed, n): random.seed(seed); np.random.seed(seed)
 * …`), and the iteration passes it a value from the item. Each call's draws then follow from its arguments alone, in
 * the loop and in a worker process alike (round 36: DQN configs × seeds rejected as sharing `random`).
 */
function reseededByCallee(facts: LoopFacts, statements: SyntaxNode[], fn: SyntaxNode | null, varying: (name: string) => boolean, module: ModuleInfo): void {
  for (const st of statements) {
    // a statement drawing before the call: the call's seeding comes too late for it
    if (/\brandom\b/.test(st.text) && descendantsOfTypes(st, CALL, true).some((c) => generatorFamily(c.childForFieldName('function')?.text ?? '') !== null)) return;
    const calls = descendantsOfTypes(st, CALL, true).filter((c) => c.childForFieldName('function')?.type === 'identifier' && module.functions.has(c.childForFieldName('function')!.text));
    for (const call of calls) {
      const callee = module.functions.get(call.childForFieldName('function')!.text)!;
      const seeded = seedsAtStart(callee, call, fn, varying);
      if (seeded.size === 0) continue;
      const callLine = lineOf(call);
      const before = facts.rejections.length;
      facts.rejections = facts.rejections.filter((r) => !(r.kind === 'shared-state' && r.line === callLine && !!r.name && seeded.has(seededFamily(r.name) ?? 'none')));
      if (facts.rejections.length < before) {
        facts.doubts.push({ message: `\`${callee.childForFieldName('name')!.text}()\` (called at line ${callLine}) reseeds the global generator from its argument before drawing, so each call's draws follow from its arguments in a worker too; but the parent's generator is no longer advanced by them`, line: callLine });
      }
      return;
    }
  }
}

/** A global generator's family as its calls are spelled, PyTorch's included (`torch.manual_seed`, `torch.randn`). */
function seededFamily(name: string): string | null {
  return generatorFamily(name) ?? (/^torch\.(manual_seed|rand\w*|normal|bernoulli|multinomial|poisson)$/.test(name) ? 'torch' : null);
}

/** The generator families `callee` seeds from a parameter in its first statements, given an argument varying with the item. */
function seedsAtStart(callee: SyntaxNode, call: SyntaxNode, loopFn: SyntaxNode | null, varying: (name: string) => boolean): Set<string> {
  const families = new Set<string>();
  const body = callee.childForFieldName('body');
  for (const st of body ? statementsOf(body).filter((x) => x.type !== 'comment' && !(x.type === 'expression_statement' && x.namedChildren[0]?.type === 'string')) : []) {
    const seed = st.type === 'expression_statement' ? st.namedChildren[0] : null;
    const name = seed?.type === 'call' ? seed.childForFieldName('function')?.text ?? '' : '';
    // other libraries' seeds (`torch.manual_seed(seed)`) may sit among them
    if (!/\.(seed|manual_seed|manual_seed_all|set_seed)$/.test(name)) break;
    const family = /^((np|numpy)\.random\.seed|random\.seed|torch\.manual_seed)$/.test(name) ? seededFamily(name) : null;
    if (!family) continue;
    const arg = namedChildren(seed!.childForFieldName('arguments')!).find((a) => a.type !== 'comment');
    if (arg?.type !== 'identifier' || !scopeOf(callee).params.has(arg.text)) continue;
    const passed = plainArgumentFor(call, callee, arg.text);
    if (passed && variesWithItem(passed, varying, loopFn)) families.add(family);
  }
  return families;
}

/** pyplot calls that make a new figure: `plt.figure()`, `plt.subplots(…)`, `plt.subplot_mosaic(…)`. */
const NEW_FIGURE = /^matplotlib\.pyplot\.(figure|subplots|subplot_mosaic)$/;

/**
 * A CPU-bound loop whose every iteration starts by making a new figure (`fig, ax = plt.subplots()`, no figure number
 * to reuse), draws it, and closes it (`plt.close(fig)`): pyplot's current figure is then the iteration's own, made
 * and closed within it, in the loop and in a worker process alike (each process has its own pyplot), so the calls on
 * it are not state the iterations share (round 37: figure generators, one figure per series). Not for threads:
 * pyplot is not thread-safe, and the loop's workload sends it to processes.
 */
function ownFigurePerItem(facts: LoopFacts, body: SyntaxNode | null, module: ModuleInfo): void {
  if (!body || facts.workload !== 'cpu' || facts.awaits || facts.kind !== 'for') return;
  const pyplot = (r: { kind: RejectionKind; name?: string }) => r.kind === 'shared-state' && !!r.name && /^matplotlib\.pyplot\./.test(importedName(r.name, module) ?? '');
  if (!facts.rejections.some(pyplot)) return;
  const calls = descendantsOfTypes(body, CALL, true);
  const qualifiedOf = (c: SyntaxNode) => importedName(c.childForFieldName('function')?.text ?? null, module) ?? '';
  const first = calls.filter((c) => /^matplotlib\.pyplot\./.test(qualifiedOf(c))).sort((a, b) => a.startIndex - b.startIndex)[0];
  if (!first || !NEW_FIGURE.test(qualifiedOf(first))) return;
  // a figure number (`plt.figure(1)`, `num="fig"`) reuses the figure of that number: shared again
  const args = namedChildren(first.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
  if (/figure$/.test(qualifiedOf(first)) && args.some((a) => a.type !== 'keyword_argument')) return;
  if (args.some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'num' && a.childForFieldName('value')?.text !== 'None')) return;
  // made in the body's own statements, not in a branch that may not run
  let statement: SyntaxNode | null = first;
  while (statement && statement.parent?.id !== body.id) statement = statement.parent;
  if (statement?.type !== 'expression_statement') return;
  // closed in the iteration: `plt.close(fig)`, `plt.close()`, `plt.close("all")`
  if (!calls.some((c) => qualifiedOf(c) === 'matplotlib.pyplot.close')) return;
  // nothing drew on pyplot before the figure was made (through a function of this file either)
  const made = lineOf(first);
  if (facts.rejections.some((r) => pyplot(r) && r.line < made)) return;
  facts.rejections = facts.rejections.filter((r) => !pyplot(r));
  facts.doubts.push({ message: `each iteration makes its own figure (\`${first.text.split('\n')[0].slice(0, 40)}\`, line ${made}) and closes it, so pyplot's calls act on the iteration's figure in a worker process too; the parent's pyplot no longer holds those figures after the loop (anything shown or saved there later would not include them)`, line: made });
}

function isBoundInFunctions(name: string, enclosing: SyntaxNode[]): boolean {
  return enclosing.some((fn) => scopeOf(fn).locals.has(name) || scopeOf(fn).params.has(name));
}

function addProblem(facts: LoopFacts, p: Problem): void {
  if (p.kind === 'unknown') {
    facts.doubts.push({ message: p.message, line: p.line });
    return;
  }
  // behind a flag the loop's function is handed (`digest(p, verbose)`): met only when the caller switches it on
  if (p.guard) {
    facts.doubts.push({ message: `${p.message}, when \`${p.guard}\` is true (cannot prove it is false here)`, line: p.line });
    return;
  }
  // a message printed or logged only when something fails (in an `except` handler): the normal run prints nothing
  // there, and the failures' messages may come out in another order (round 45: a backtest per ticker refused for
  // a `print` in an indicator's fallback)
  if (p.onError) {
    facts.doubts.push({ message: `${p.message} — only when something fails (it is in an \`except\` handler): run in a pool, the messages of failing items may come out in another order`, line: p.line });
    return;
  }
  // the generator advice only where the shared state is a random generator's: NumPy's, named by NumPy's names
  // (`numpy.random`, a Generator's `standard_normal`/`integers`), else `random`'s
  const said = `${p.message} ${p.name ?? ''}`;
  const random = /\brandom\b|\brng\b|draws from state|advances state/.test(said);
  const generator = /numpy\.random|np\.random|\.standard_normal\(|\.integers\(/.test(said) ? 'its own NumPy generator seeded from the item (`np.random.default_rng(seed_of(item))`)' : 'its own generator seeded from the item (`random.Random(seed_of(item))`)';
  const remedy =
    p.remedy ??
    (p.kind === 'ordered-effect'
      ? 'return the values and print them after the parallel map, in order'
      : random
        ? `give each iteration ${generator}, so the results no longer depend on the order`
        : 'return the new value from each iteration and combine the results in the parent');
  facts.rejections.push({ kind: p.kind, message: p.message, remedy, line: p.line, name: p.name, ...(p.inThreads ? { inThreads: p.inThreads } : {}) });
}

function classify(facts: LoopFacts, evidence: Evidence[]): void {
  facts.evidence = evidence;
  facts.workload = dominantWorkload(
    evidence.filter((e) => e.kind === 'cpu'),
    evidence.filter((e) => e.kind === 'io'),
  );
}

/**
 * A constant pause next to the calls to a service (or a program) that it spaces out is a rate limit: a pool
 * would send all the calls at once. A pause that is the only wait stands for work (a simulated request) and is
 * not one; nor is one next to file access only.
 */
function rejectRateLimit(facts: LoopFacts, pace: Pace | null): void {
  if (!pace) return;
  const { pause, paced } = pace;
  const where = pause.via ? `\`${pause.via}\` in \`${pause.what}()\` (called at line ${pause.line})` : `\`${pause.what}\` at line ${pause.line}`;
  const calls = paced.via ? `the calls \`${paced.what}()\` makes (\`${paced.via}\`)` : `the calls to \`${paced.what}\` (line ${paced.line})`;
  // the author's own statement that the calls must not go out faster: the reason that decides, said first (a counter
  // beside it is a change a user could make; the pace is the service's rule)
  facts.rejections.unshift({
    kind: 'rate-limit',
    message: `${where} paces ${calls}: it keeps them apart in time, as a rate limit does, and a pool would send them all at once`,
    remedy:
      'keep the loop sequential; to go faster within the limit, run a few workers that take turns through one shared limiter (a lock held for the pause, or a token bucket), so the calls still go out no faster than the pause allows',
    line: pause.line,
  });
}

/**
 * Requests to a service that answers them one at a time (an Ollama embedding model, an API whose terms ask for
 * requests in series) queue there or break its terms however many are sent at once: when they are all the loop
 * waits for, a pool is not the way to go faster.
 */
function rejectSingleSlot(facts: LoopFacts, slot: Evidence | null, io: readonly Evidence[]): void {
  const service = slot && SERIAL_SERVICES.find((s) => s.key === slot.service);
  // the other waits are the answer's read, local files, pauses or requests to the same service: no other service or
  // program threads could overlap (round 30: three helpers each calling GitHub's API made the loop "independent I/O")
  if (!slot || !service) return;
  // other waits beside them overlap in a pool, but a service limiting its clients' rate still gets its requests all
  // at once, and refuses some (round 50: Shodan and VirusTotal lookups beside a plain HTTP one per item)
  const others = io.some((e) => e.line !== slot.line && (e.waits === 'network' || e.waits === 'process') && e.service !== slot.service);
  if (others && service.kind !== 'rate-limit') return;
  facts.rejections.push({
    kind: service.kind,
    message: `\`${slot.what}()\` (line ${slot.line}, \`${slot.via}\`) ${service.why}${others ? ', whatever else the loop waits for' : ''}`,
    remedy: service.remedy,
    line: slot.line,
  });
}

/**
 * A loop whose only waits are constant pauses (`time.sleep(0.02)  # simulate work`), run inside a region the
 * program times — `with monitor.track(…)`, `with profile_block()`, between `start_profiler()` and its stop, or
 * between `t0 = time.perf_counter()` and a read of `t0` — is a benchmark's or a profiler's payload: the pauses stand
 * in for work, and the sequential time is what the program measures and reports. A pool changes the measurement.
 */
function rejectTimedStandIn(facts: LoopFacts, effects: RegionEffects): void {
  if (facts.awaits || effects.cpu.length > 0 || effects.io.length === 0 || !effects.io.every((e) => e.pause || e.waits === 'sleep')) return;
  const timed = timedRegion(facts.node);
  if (!timed) return;
  const pause = effects.io[0];
  facts.rejections.push({
    kind: 'no-heavy-work',
    message: `the only waits are pauses (\`${pause.what}\`, line ${pause.line}) and the loop runs inside a region the program times (${timed.what}, line ${timed.line}): the pauses stand in for work in a measurement, whose sequential time is what the program reports — run at once, they would change what it measures, not speed up real work`,
    remedy: 'nothing to do for a benchmark or a profiling demo; parallelise the real work the pauses stand for, where it is written',
    line: facts.line,
  });
}

const TIMING_NAME = /(^|[._])(timer?|timed|timing|track|tracker|profile|profiler|profiling|measure|benchmark|bench|stopwatch|start_profiler|profile_block)(\(|$|[._])/i;

/** The timing region around `node` in its function: a `with` of a timer or profiler, or a clock read before and after. */
function timedRegion(node: SyntaxNode): { what: string; line: number } | null {
  for (let p: SyntaxNode | null = node; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    const parent = p.parent;
    if (!parent) break;
    // the items of a `with` whose body holds the loop (not of `with` blocks beside it in that body)
    if (parent.type === 'block' && parent.parent?.type === 'with_statement') {
      const withStatement = parent.parent;
      const clause = namedChildren(withStatement).find((c) => c.type === 'with_clause');
      for (const item of clause ? descendantsOfTypes(clause, WITH_ITEMS, true) : []) {
        const call = item.namedChildren[0]?.type === 'as_pattern' ? item.namedChildren[0].namedChildren[0] : item.namedChildren[0];
        const f = call?.type === 'call' ? call.childForFieldName('function') : null;
        if (f && TIMING_NAME.test(f.text)) return { what: `\`with ${call!.text.split('\n')[0].slice(0, 40)}\``, line: lineOf(withStatement) };
      }
    }
    if (parent.type !== 'block' && parent.type !== 'module') continue;
    // a clock read (or a profiler started) before, in the same block, and its name read (or the profiler stopped) after
    const siblings = namedChildren(parent);
    const at = siblings.findIndex((c) => c.id === p!.id);
    for (let i = at - 1; i >= 0; i--) {
      const statement = siblings[i];
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
      const value = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : assignment;
      const f = value?.type === 'call' ? value.childForFieldName('function') : null;
      if (!f) continue;
      const clock = CLOCKS.test(f.text);
      if (!clock && !/(^|[._])start_?profil|profiler\.(start|enable)$|^(cProfile|profile)\./i.test(f.text)) continue;
      const name = assignment?.type === 'assignment' ? assignment.childForFieldName('left')?.text : undefined;
      const after = siblings.slice(at + 1);
      const used = clock ? !!name && after.some((s) => tokensSpelled(s, name, 'identifier').length > 0) : after.some((s) => /stop_?profil|profiler\.(stop|disable)|\.disable\(\)/i.test(s.text));
      if (used) return { what: `\`${statement.text.split('\n')[0].slice(0, 40)}\``, line: lineOf(statement) };
    }
  }
  return null;
}
const WITH_ITEMS = new Set(['with_item']);

/** Calls that each hold one shared lock for all they do take turns, however they are run. */
function rejectSerialised(facts: LoopFacts, held: Evidence | null): void {
  if (!held) return;
  facts.rejections.push({
    kind: 'not-worth-it',
    message: `\`${held.what}()\` (called at line ${held.line}) holds \`${held.via}\` for everything it does: run at once, the calls would still take turns on that lock`,
    remedy: 'keep the loop sequential, or hold the lock only around the part that needs it (the shared state), so the rest can overlap',
    line: held.line,
  });
}

/** Methods of plain data (strings, lists, dicts) and of loggers: what they do is known to be cheap. */
const DATA_METHOD_NAMES = /^(append|extend|insert|get|items|keys|values|format|join|split|rsplit|strip|lstrip|rstrip|lower|upper|title|replace|startswith|endswith|update|add|pop|copy|encode|decode|count|index|find|setdefault|sort|remove|discard|clear|debug|info|warning|error|exception|critical|log|isoformat|strftime|group|groups|match|search|sub|findall)$/;

/**
 * The first call in the loop's body of a method through an attribute chain whose object is not a module
 * (`self.conn.get_summary(i)`, `client.fetch(x)`): its class lives elsewhere, so whether it waits is not seen.
 */
function unseenMethodCall(loop: SyntaxNode): string | null {
  const body = loop.childForFieldName('body') ?? loop;
  let found: string | null = null;
  walk(body, (n) => {
    if (found) return false;
    if (n.type !== 'call') return true;
    const f = n.childForFieldName('function');
    if (f?.type === 'attribute') {
      const method = f.childForFieldName('attribute')?.text ?? '';
      const object = f.childForFieldName('object');
      if (object && !DATA_METHOD_NAMES.test(method) && object.type === 'attribute' && /^self\.\w+$/.test(object.text)) {
        // not when the attribute holds an instance of a class of this file (its methods are followed)
        const text = loop.tree.rootNode.text;
        const made = new RegExp(String.raw`\bself\.${object.text.slice(5)}\s*=\s*(\w+)\s*\(`).exec(text);
        if (!made || !new RegExp(String.raw`^\s*class\s+${made[1]}\b`, 'm').test(text)) found = f.text;
      }
    }
    return true;
  });
  return found;
}

/**
 * The first call in a loop's body of a library outside the standard one whose cost the tool does not know
 * (`KMeans(n_clusters=k)`, `ARIMA(series, order=o)`), spelled as written, with its library.
 */
function unsizedLibraryCall(loop: SyntaxNode, module: ModuleInfo): { call: string; library: string } | null {
  const body = loop.childForFieldName('body') ?? loop;
  let found: { call: string; library: string } | null = null;
  walk(body, (n) => {
    if (found) return false;
    if (n.type !== 'call') return true;
    const qualified = qualifiedCallee(n, module);
    // (a relative import, `from .last_message import LastMessage`, names a module of the project, not a library)
    if (qualified && qualified.includes('.') && !qualified.startsWith('.') && !isStdlibModule(qualified) && !lookupCall(qualified)) found = { call: n.childForFieldName('function')!.text, library: qualified.split('.')[0] };
    return true;
  });
  return found;
}

function rejectTrivialOrIdle(facts: LoopFacts, effects: RegionEffects, module: ModuleInfo): void {
  if (facts.workload === 'unknown' && !facts.awaits) {
    const sized = effects.inputSizedCpu[0];
    const pause = effects.conditionPauses?.[0];
    const unseen = unseenMethodCall(facts.node);
    const library = !sized && !pause && !unseen ? unsizedLibraryCall(facts.node, module) : null;
    facts.rejections.push({
      kind: 'no-heavy-work',
      message: sized
        ? `the only work is \`${describeEvidence(sized)}\` (line ${sized.line}), once per item on a text whose length the code does not show: on a line or a message it costs about as much as sending the text to a worker and back`
        : pause
          ? `the only wait, \`${pause.what}\` (line ${pause.line}), waits for a condition (a poll, a retry, a back-off after a failure), not for work of the item: the loop calls nothing else known to be CPU-heavy or to block on I/O, and pauses run at once would end the wait sooner, not do more`
          : unseen
            ? `the body calls nothing known to be CPU-heavy or to block on I/O: what \`${unseen}()\` does is not seen (a method of an object whose class is not in this file), so the analysis cannot tell whether it waits on the network or a disk`
            : library
              ? `the body calls nothing the tool knows to be CPU-heavy or to block on I/O; what \`${library.call}()\` costs (a function of \`${library.library}\` the tool has no summary of) is not known, so nothing shows that an item takes long enough to pay for a pool`
              : 'the body calls nothing known to be CPU-heavy or to block on I/O',
      remedy: unseen
        ? 'if that method sends requests or reads files, each iteration waits on it: run the calls in a `ThreadPoolExecutor` (one client per thread unless the client is thread-safe)'
        : library
          ? `if each \`${library.call}()\` takes milliseconds or more (a model fitted, a signal transformed) and nothing else stops it, map the items over a \`ProcessPoolExecutor\` yourself: without evidence of work the tool offers no rewrite`
          : 'nothing to do: a pool only pays off when each iteration does real work',
      line: facts.line,
    });
    return;
  }
  // `for i in range(5): print(i); time.sleep(1)`: the loop's only wait is a pause it makes itself between its items
  // (a countdown, an animation, a polite crawl), not work of an item: run at once, the pauses end together and no
  // item's work is done sooner
  const io = facts.evidence.filter((e) => e.kind === 'io');
  const cloudJobs = io.filter((e) => e.startsJob);
  if (cloudJobs.length > 0 && !facts.awaits && !facts.evidence.some((e) => e.kind === 'cpu') && io.every((e) => e.startsJob || (e.pause && !e.defined))) {
    const job = cloudJobs[0];
    facts.rejections.push({
      kind: 'no-heavy-work',
      message: `the loop's only waits are AWS API calls that change the account's resources (\`${describeEvidence(job)}\`, line ${job.line}): each one starts the work on the service (a snapshot, an image, a deletion) and returns in a fraction of a second, and the account's rate limit for such calls is low — a pool would overlap little and meet throttling errors`,
      remedy: 'pass many resources to one call where the API takes a list (`delete_objects`, `stop_instances(InstanceIds=[…])`, `create_tags(Resources=[…])`), and wait for the jobs with a waiter after the loop',
      line: facts.line,
    });
    return;
  }
  const own = io.length > 0 && !facts.evidence.some((e) => e.kind === 'cpu') && io.every((e) => e.pause && !e.via && !e.defined);
  if (own && !facts.awaits) {
    const pause = io[0];
    facts.rejections.push({
      kind: 'no-heavy-work',
      message: `the only wait is a pause the loop makes itself between its items (\`${pause.what}\`, line ${pause.line}): a countdown, an animation or a pace kept on purpose, not work of an item — run at once, the pauses would end together and no item's work would be done sooner`,
      remedy: 'nothing to do: a pool only pays off when each iteration does real work',
      line: facts.line,
    });
  }
}

/** The name of the test function (pytest's `test_*`, a `TestCase`'s `test*` method) the node is in, or null. */
function testFunctionOf(node: SyntaxNode, module: ModuleInfo): string | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'function_definition') continue;
    const name = p.childForFieldName('name')?.text ?? '';
    // a `test*` name is a test where a runner collects it: a module of a test framework, a `TestCase` method, or a
    // pytest function asserting — elsewhere it is the program's own check (round 55: a crawler's
    // `test_unknown_routes` and a DNS agent's `test_dns_resolution`, both called by the program)
    if (/^test/.test(name) && (testModule(module) !== null || testCaseMethod(p) || descendantsNamed(p, 'assert_statement').length > 0)) return name;
  }
  return null;
}

/** Whether `fn` is a method of a test class: one deriving from a `TestCase` (unittest's, Django's…), or pytest's `Test*`. */
function testCaseMethod(fn: SyntaxNode): boolean {
  const cls = classDefining(fn);
  return !!cls && (/TestCase\b/.test(cls.childForFieldName('superclasses')?.text ?? '') || /^Test/.test(cls.childForFieldName('name')?.text ?? ''));
}

/** A test function's name: pytest's `test_*`, a `TestCase`'s `test*` method. */
const TEST_NAME = /^test/;

/**
 * A test module: one that imports a test framework (pytest, unittest) and defines tests at its top level (a `test*`
 * function, or a class with a `test*` method). Its other functions are the tests' helpers and fixtures.
 */
export function testModule(module: ModuleInfo): string | null {
  const framework = [...module.imports.values()].some((q) => /^(pytest|unittest)(\.|$)/.test(q));
  if (!framework) return null;
  for (const statement of namedChildren(module.root)) {
    const def = definitionOf(statement);
    const name = def.childForFieldName('name')?.text ?? '';
    if (def.type === 'function_definition' && TEST_NAME.test(name)) return name;
    if (def.type === 'class_definition') {
      const body = def.childForFieldName('body');
      for (const member of body ? namedChildren(body) : []) {
        const method = definitionOf(member);
        const methodName = method.childForFieldName('name')?.text ?? '';
        if (method.type === 'function_definition' && TEST_NAME.test(methodName)) return `${name}.${methodName}`;
      }
    }
  }
  return null;
}

/** Where the loop runs for tests: in a test function, or in a helper of a test module (said as the hover says it). */
function testContextOf(node: SyntaxNode, module: ModuleInfo): string | null {
  const test = testFunctionOf(node, module);
  if (test) return `the loop is in a test (\`${test}\`), which runs over the few items it sets up`;
  let outer: SyntaxNode | null = null;
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') outer = p;
  if (!outer) return null;
  const helper = outer.childForFieldName('name')?.text ?? '';
  const example = testModule(module);
  return example ? `the loop is in \`${helper}\`, a helper of a test module (it imports a test framework and defines tests such as \`${example}\`): the tests call it on the few items they set up` : null;
}

/** CPU evidence that is a Python loop doing arithmetic (`the nested loop at line 9 doing arithmetic`, a callee's). */
const arithmeticLoop = (e: Evidence): boolean => e.kind === 'cpu' && /\bloop\b.* doing arithmetic$/.test(e.what);

/**
 * A loop that waits on the network or on programs, and whose computing is a Python loop over a few parts of what it
 * fetched (`for i, part in enumerate(spans)` building page URLs): even at a common size (every such loop run
 * MANY_ITEMS times) that computing is under a tenth of the wait, so it is not evidence of CPU-bound work, and the
 * hover does not call the loop CPU-bound or warn of the GIL for it (round 32: pagination links and an S3 listing
 * called "the nested loop … doing arithmetic").
 */
function dropMinorComputing(facts: LoopFacts, estimate: CostEstimate): void {
  if (facts.workload !== 'io' || !facts.evidence.some((e) => e.kind === 'io' && e.waits !== 'file' && e.waits !== 'sleep')) return;
  if (!facts.evidence.some(arithmeticLoop) || facts.evidence.some((e) => e.kind === 'cpu' && !arithmeticLoop(e))) return;
  const { work } = estimate;
  const cpu = work.open ? work.common?.cpu : work.cpu;
  if (cpu === undefined || work.io <= 0 || cpu >= 0.1 * work.io) return;
  facts.evidence = facts.evidence.filter((e) => !arithmeticLoop(e));
}

/** How many times a thread pool's start-up one item's work must take for a pool per pass of an outer loop to pay. */
const RESTART_SHARE = 20;

/**
 * The cost model's verdict on a loop that does real work: not reported when the rewrite would not pay off at
 * the sizes the code shows (or at any size), nor when few items are known and their work cannot be estimated.
 */
function weighCost(facts: LoopFacts, module: ModuleInfo, estimator: WorkEstimator, options: AnalysisOptions): void {
  if (facts.workload === 'unknown' && !facts.awaits) return;
  const estimate = estimateLoop(facts, module, estimator, options);
  facts.estimate = estimate;
  dropMinorComputing(facts, estimate);
  const fewKnown = estimate.items !== undefined && estimate.items < options.minIterations;
  let test: string | null = null;
  if (estimate.verdict === 'not-worth-it' && estimate.fewItems && estimate.repeated) {
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `a new pool would start on ${estimate.repeated.what} (≈ ${formatSeconds(estimate.startup)} each), and the work of one call is not shown to pay for it: ${estimate.summary}`,
      remedy: 'create one executor outside that loop and pass it in (or parallelise the outer loop if its iterations are independent)',
      line: facts.line,
    });
  } else if (estimate.verdict === 'not-worth-it' && estimate.fewItems && fewKnown) {
    facts.rejections.push({
      kind: 'trivial',
      message: `only ${estimate.items} items (${estimate.itemsFrom}), and the work per item cannot be estimated (${estimate.work.open?.what ?? 'unknown'}): it pays off only if each item takes more than ≈ ${formatSeconds(estimate.breakEvenWork ?? Infinity)}`,
      remedy: `below \`min-iterations\` (${options.minIterations}) known items a loop is reported only when its cost can be estimated; lower the setting if each item is known to be slow`,
      line: facts.line,
    });
  } else if (estimate.verdict === 'not-worth-it' && estimate.unshown) {
    facts.rejections.push({
      kind: 'no-heavy-work',
      message: estimate.summary,
      remedy: 'nothing to do unless the items are many or each is slow, which the code does not show; `min-speedup = 0` reports every independent loop',
      line: facts.line,
    });
  } else if (estimate.verdict === 'not-worth-it') {
    facts.rejections.push({
      kind: 'not-worth-it',
      message: estimate.summary,
      remedy: estimate.items !== undefined ? 'keep the loop sequential, or parallelise a loop further out that does more work per item' : 'keep the loop sequential: batch several items into one task if each is this cheap',
      line: facts.line,
    });
  } else if (estimate.verdict === 'pays' && fewKnown && estimate.work.open && !estimate.work.heavy && !estimate.work.recursive && !estimate.work.tree && options.minSpeedup > 0) {
    // a few items whose work is only bounded below (the start of a program, one request): the ratio holds at the
    // bound, but what it saves is not shown to be worth anyone's notice — a version probe, a `pkill`, one small file
    const total = estimate.items! * (estimate.work.cpu + estimate.work.io);
    facts.rejections.push({
      kind: 'trivial',
      message: `only ${estimate.itemsAtMost ? 'up to ' : ''}${estimate.items} items (${estimate.itemsFrom}), and the work per item is known only to be at least ${formatSeconds(estimate.work.cpu + estimate.work.io)} (not counted: ${estimate.work.open.what}): the ≈ ${formatSeconds(total)} the code shows in all is too little to notice, and what it does not count is not shown to be more`,
      remedy: `below \`min-iterations\` (${options.minIterations}) known items a loop is reported only when its cost can be estimated; lower the setting if each item is known to be slow (a download, a long command)`,
      line: facts.line,
    });
  } else if (estimate.verdict === 'pays' && fewKnown && guessedWait(estimate.work) && options.minSpeedup > 0) {
    // a few items whose wait is the model's usual figure for one request or one command (≈ 50 ms a request, a
    // command's start-up), not a time the code shows: three nodes, two recipients, four templates — what a pool would
    // save rests on that guess, and the audits found such loops too small to be worth one
    facts.rejections.push({
      kind: 'trivial',
      message: `only ${estimate.itemsAtMost ? 'up to ' : ''}${estimate.items} items (${estimate.itemsFrom}), and the wait per item is the usual figure for ${estimate.work.latency === 'network' ? 'a request' : estimate.work.latency === 'subprocess' ? 'a command' : 'such a call'} (≈ ${formatSeconds(estimate.work.io)}), not a time the code shows: all at once they would save at most ≈ ${formatSeconds((estimate.items! - 1) * estimate.work.io)} at that figure`,
      remedy: `below \`min-iterations\` (${options.minIterations}) known items a loop is reported only when its cost can be estimated; lower the setting if each item is known to be slow (a large download, a long command)`,
      line: facts.line,
    });
  } else if (estimate.verdict === 'depends' && estimate.items !== undefined && estimate.items < options.minIterations) {
    facts.rejections.push({
      kind: 'trivial',
      message: `only ${estimate.itemsAtMost ? 'up to ' : ''}${estimate.items} items (${estimate.itemsFrom}), and the work per item cannot be estimated (${estimate.work.open?.what ?? 'unknown'}): it pays off only if each item takes more than ≈ ${formatSeconds(estimate.breakEvenWork ?? Infinity)}`,
      remedy: `below \`min-iterations\` (${options.minIterations}) known items a loop is reported only when its cost can be estimated; lower the setting if each item is known to be slow`,
      line: facts.line,
    });
  } else if (estimate.verdict === 'depends' && estimate.items === undefined && (test = testContextOf(facts.node, module))) {
    // a test runs over the handful of items it sets up (fixtures, temporary files, a few requests to a stub), and so
    // do the helpers of a test module it calls: with no count shown, the work is not shown to pay for a pool
    facts.rejections.push({
      kind: 'no-heavy-work',
      message: `not shown to pay: ${test}, and the number of items is not shown here; ${estimate.summary}`,
      remedy: 'nothing to do for a test; if the code under test runs such a loop over many items, parallelise it there',
      line: facts.line,
    });
  } else if (estimate.verdict === 'pays' && fewKnown && options.minSpeedup > 0 && (test = testContextOf(facts.node, module))) {
    // the count is shown and small: a test's set-up of a few records, pages or files (against its own fixtures or
    // live server) is not where a pool is worth having, whatever the estimate puts on each item
    facts.rejections.push({
      kind: 'trivial',
      message: `not shown to pay: ${test}, here ${estimate.itemsAtMost ? 'up to ' : ''}${estimate.items} items (${estimate.itemsFrom}); ${estimate.summary}`,
      remedy: 'nothing to do for a test; if the code under test runs such a loop over many items, parallelise it there',
      line: facts.line,
    });
  } else if (estimate.verdict === 'pays' && estimate.dualCore !== undefined && estimate.dualCore < 1 && options.minSpeedup > 0) {
    // worth it on the target's cores, but slower on a 2-core laptop: not a fix to apply without looking
    facts.doubts.push({ message: `that the rewrite pays off on every machine: on 2 cores it would run at about ${estimate.dualCore.toFixed(2)}× the sequential speed`, line: facts.line });
    if (facts.independence === 'independent') facts.independence = 'unknown';
  } else if (estimate.verdict === 'depends' && estimate.items === undefined && !estimate.work.heavy && (estimate.pattern === 'process' ? !!estimate.work.open || (estimate.breakEvenItems ?? Infinity) > TYPED_ITEMS : !!estimate.work.open) && typedByHand(facts.iterable ?? null, module) && !heavyProgramCommand(facts.workerStatements, module)) {
    // as many items as a person types in (at a prompt, or on the command line): a handful, against a process
    // pool's start-up — or, for threads, work per item the code does not show at all (a program it runs, a call it
    // cannot see), which a handful of items would overlap for nothing anyone notices
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `the items are ${describeTyped(typedByHand(facts.iterable ?? null, module)!)}, so there are as many as a person types, and the work per item is not shown to pay for ${estimate.pattern === 'process' ? 'starting processes' : 'a pool at that count'}: ${estimate.summary}`,
      remedy: 'keep the loop sequential (a pool pays off for many items or heavy ones, which the code does not show)',
      line: facts.line,
    });
  } else if (estimate.verdict === 'depends' && estimate.repeated && !(estimate.pattern === 'thread' && estimate.work.cpu + estimate.work.io >= RESTART_SHARE * estimate.startup)) {
    // a pool per call of a repeatedly called function, whose payoff per call is not shown: the restarts would
    // dominate (a loop that calls `step(…)` every tick); the pool belongs outside that loop. Not where one item
    // alone waits far longer than a thread pool takes to start (a request per song of each artist: ≥ 50 ms against
    // ≈ 0.5 ms, round 63's lyrics scrapers): the restarts cost a few per cent at worst
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `a new pool would start on ${estimate.repeated.what} (≈ ${formatSeconds(estimate.startup)} each), and the work of one call is not shown to pay for it: ${estimate.summary}`,
      remedy: 'create one executor outside that loop and pass it in (or parallelise the outer loop if its iterations are independent)',
      line: facts.line,
    });
  } else if (estimate.verdict === 'depends') {
    // a fix is safe only when it provably pays off at the sizes the code shows: here it may not
    const restarts = estimate.repeated ? `; a new pool would start on ${estimate.repeated.what} (≈ ${formatSeconds(estimate.startup)} each)` : '';
    facts.doubts.push({ message: `that the rewrite pays off: ${estimate.summary}${restarts}`, line: estimate.repeated?.line ?? facts.line });
    if (facts.independence === 'independent') facts.independence = 'unknown';
  }
  if (estimate.reimport && estimate.verdict !== 'not-worth-it') {
    facts.doubts.push({ message: `that the rewrite pays off: every worker process first runs this module's top-level code again (\`${estimate.reimport.what}\`, line ${estimate.reimport.line}), which the estimate does not count`, line: estimate.reimport.line });
    if (facts.independence === 'independent') facts.independence = 'unknown';
  }
}

const CALL = new Set(['call']);

const REQUEST_NAMES = /^(get|post|put|patch|delete|head|request|fetch|fetch_\w+|download|download_\w+|send_request)$/;
const URL_LIKE_NAME = /(^|_)(url|urls|uri|link|href|endpoint)s?$/i;

/**
 * Whether every await of the loop reads a file uploaded to the server (`await file.read()` for each `file` of a
 * parameter annotated `list[UploadFile]`): the request's body has arrived whole before the handler runs.
 */
function uploadReadsOnly(awaits: readonly SyntaxNode[], iterable: SyntaxNode | null, fn: SyntaxNode | null): boolean {
  if (!fn || iterable?.type !== 'identifier' || awaits.length === 0) return false;
  const params = fn.childForFieldName('parameters');
  const param = params ? namedChildren(params).find((p) => (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') && (p.childForFieldName('name') ?? p.namedChildren[0])?.text === iterable.text) : undefined;
  if (!/\bUploadFile\b/.test(param?.childForFieldName('type')?.text ?? '')) return false;
  const loop = iterable.parent;
  const target = loop?.type === 'for_statement' ? loop.childForFieldName('left') : null;
  if (target?.type !== 'identifier') return false;
  // (the `await` keyword is a node of the same type, without children)
  return awaits.filter((a) => a.namedChildCount > 0).every((a) => {
    const call = a.namedChildren[0];
    const f = call?.type === 'call' ? call.childForFieldName('function') : null;
    return f?.type === 'attribute' && f.childForFieldName('object')?.text === target.text && /^(read|seek|close)$/.test(f.childForFieldName('attribute')?.text ?? '');
  });
}

/**
 * A call shaped like a request to a remote service: named like an HTTP verb or a fetch (`session.get`, `fetch`,
 * `client.download_file`) and given a URL — a name like `url`/`link`/`endpoint`, or a string spelling one
 * (`"https://…"`, `f"/item/{i}"`). What the analysis cannot see through is still a request the caller makes.
 */
/** The coroutines of this file a region calls: functions of the module, or ones nested in a function around it. */
function awaitedCallees(region: SyntaxNode, module: ModuleInfo): SyntaxNode[] {
  const found = sameFileCallees([region], module, { limit: 10 }).map(({ node }) => node).filter((n) => n.id !== region.id);
  for (const call of descendantsNamed(region, 'call')) {
    const f = call.childForFieldName('function');
    if (f?.type !== 'identifier') continue;
    for (let scope = enclosingFunction(region); scope; scope = enclosingFunction(scope)) {
      const def = namedChildren(scope.childForFieldName('body')!).map((st) => (st.type === 'decorated_definition' ? st.childForFieldName('definition') : st)).find((st) => st?.type === 'function_definition' && st.childForFieldName('name')?.text === f.text);
      if (def) {
        found.push(def);
        break;
      }
    }
  }
  return found;
}

function requestsSomething(region: SyntaxNode): boolean {
  return descendantsNamed(region, 'call').some((call) => {
    const fn = call.childForFieldName('function');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
    if (!name || !REQUEST_NAMES.test(name)) return false;
    return namedChildren(call.childForFieldName('arguments')!).some((a) => {
      const value = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
      if (!value) return false;
      if (value.type === 'identifier' || value.type === 'attribute') return URL_LIKE_NAME.test(value.text.split('.').pop()!);
      // `"https://…"`, `"/path"`, or an f-string starting from a base URL (`f"{API_URL}/items/{i}"`)
      if (value.type === 'string') return /^[rbuf]*['"]+(https?:\/\/|\/)/i.test(value.text) || /^[rb]*f[rb]*['"]+\{(self\.)?(\w*(url|uri|endpoint|api|base|host)\w*)\}/i.test(value.text);
      return false;
    });
  });
}

/**
 * A write request through a client the analysis does not know (`await session.post(f"{API}/targets", json=rec)`,
 * an aiohttp or httpx session handed in) whose answer is read for no more than its status or the id of what it made:
 * records created, changed or deleted on the server in the loop's order (known clients: effects.ts, recordWrite).
 */
function rejectRecordWrites(facts: LoopFacts, body: SyntaxNode): void {
  const write = descendantsNamed(body, 'call').find((call) => {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || !/^(post|put|patch|delete)$/.test(fn.childForFieldName('attribute')?.text ?? '')) return false;
    return requestsSomething(call) && answerOnlyIdentifies(call);
  });
  if (!write) return;
  const fn = write.childForFieldName('function')!;
  facts.rejections.push({ kind: 'ordered-effect', message: recordWrite(`${fn.text.split('\n')[0].slice(0, 40)}()`, fn.childForFieldName('attribute')!.text.toUpperCase()), remedy: RECORD_WRITE_REMEDY, line: lineOf(write) });
}

/**
 * A loop whose awaits reach nothing the analysis knows to wait (a request of an HTTP client, a sleep, a child
 * process, a socket): every awaited coroutine is one it cannot see — a method of an object whose class is not known
 * here (`await self.broker.get_positions()`), a library's — or awaits only such ones. Gathering pays only when
 * those waits overlap, and nothing shows they do: they may run one statement at a time on one connection, take
 * turns on a lock, place orders whose sequence matters, or not wait at all. Not reported (measured on three fresh
 * corpora of services and bots: 1 such loop in 31 was worth gathering).
 */
function rejectUnseenAwaits(facts: LoopFacts, io: readonly Evidence[], awaits: readonly SyntaxNode[]): void {
  const unseen = (e: Evidence) => e.what === 'await' || (e.via ?? '').split(' → ').pop() === 'await';
  // a wait outside every `await` (`Path(p).read_text()` beside `await model.generate(…)`) blocks the event loop:
  // gathering overlaps none of it
  const spans = awaits.map((a) => [a.startPosition.row + 1, a.endPosition.row + 1] as const);
  const awaited = (e: Evidence) => spans.some(([from, to]) => e.line >= from && e.line <= to);
  if (io.some((e) => !unseen(e) && awaited(e))) return;
  const blocking = io.find((e) => !unseen(e));
  const first = awaits[0];
  const what = first?.namedChildren[0]?.text.split('(')[0].split('\n')[0] ?? 'the awaited call';
  const line = first ? lineOf(first) : facts.line;
  facts.rejections.push({
    kind: 'no-heavy-work',
    message: blocking
      ? `not shown to wait: \`await ${what}\` (line ${line}) runs a coroutine the analysis cannot see, and what else the loop waits on (\`${describeEvidence(blocking)}\`, line ${blocking.line}) is called without \`await\`: it blocks the event loop, and gathering overlaps none of it`
      : `not shown to wait: \`await ${what}\` (line ${line}) runs a coroutine the analysis cannot see, and nothing in the loop is known to wait on the network, a timer or a child process, so gathering is not shown to overlap anything`,
    remedy: 'gather the calls if they wait on independent requests; keep the loop if they share one connection, lock or order',
    line,
  });
}

/** The loop's variables and the names the body binds from them, in order (`batch = rows[i:i + 50]`): the item's own. */
function derivedFromItem(body: SyntaxNode, targets: Iterable<string>): Set<string> {
  const derived = new Set(targets);
  walk(body, (n) => {
    if (SCOPE_TYPES.has(n.type)) return false;
    if (n.type === 'assignment' && readsIn(n.childForFieldName('right') ?? n).some((r) => derived.has(r.text))) for (const name of namesBoundBy(n)) derived.add(name);
    return true;
  });
  return derived;
}

/** Calls that run a batch of work at once and wait for all of it. */
const FAN_OUTS = /^(asyncio\.(gather|wait|as_completed)|concurrent\.futures\.(wait|as_completed))$/;
const FOR_IN = new Set(['for_in_clause']);
const POOL_MAPS = new Set(['map', 'imap', 'imap_unordered', 'starmap', 'map_async', 'starmap_async']);

/**
 * A loop over parts of the data whose every iteration already runs its part at once and waits for it
 * (`for i in range(0, n, 50): batch = rows[i:i + 50]; await asyncio.gather(*[write(r) for r in batch])`, or an
 * executor's `map` over the chunk): the loop is the author's bound on how much runs at once. Running the iterations
 * at once too would drop that bound — every request of every part in flight together.
 */
function rejectBatchedFanOut(facts: LoopFacts, body: SyntaxNode | null, module: ModuleInfo): void {
  if (!body || !/gather|wait|as_completed|map/.test(body.text)) return;
  // names the body binds from the item (`batch = rows[i:i + 50]`): the part this iteration runs
  const derived = derivedFromItem(body, facts.targetNames);
  const fanOut = descendantsOfTypes(body, CALL, true).find((call) => {
    const f = call.childForFieldName('function');
    if (!f) return false;
    const name = importedName(dottedName(f), module) ?? f.text;
    const method = f.type === 'attribute' ? f.childForFieldName('attribute')?.text ?? '' : '';
    const pool = f.type === 'attribute' && POOL_MAPS.has(method) && /pool|executor/i.test(f.childForFieldName('object')?.text ?? '');
    if (!FAN_OUTS.test(name) && !pool) return false;
    const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
    const reads = (n: SyntaxNode | null | undefined) => !!n && readsIn(n).some((r) => derived.has(r.text));
    // a pool's map over the part (`executor.map(f, batch)`)
    if (pool) return reads(args[1]);
    // gathered over the part: a comprehension over it, in the call or in a list the body builds
    // (`*[write(r) for r in batch]`, `tasks = [… for r in batch]; gather(*tasks)`); not a few calls for one item
    const overPart = (n: SyntaxNode): boolean => descendantsOfTypes(n, FOR_IN).some((c) => reads(c.childForFieldName('right')));
    return args.some((a) => {
      if (overPart(a)) return true;
      const name = a.type === 'list_splat' ? a.namedChildren[0] : a;
      if (name?.type !== 'identifier') return false;
      const bound = valuesBound(body.parent!, name.text);
      return bound.length > 0 && bound.every((v) => !!v && overPart(v));
    });
  });
  if (!fanOut) return;
  const what = fanOut.childForFieldName('function')!.text;
  facts.rejections.push({
    kind: 'rate-limit',
    message: `each iteration already runs its part at once (\`${what}\`, line ${lineOf(fanOut)}) and the next part starts when this one is done: the loop is the program's bound on how much runs together, and running the iterations at once too would put every part in flight together`,
    remedy: 'to keep the bound without waiting for the slowest of each part, run every item once through a pool of that size (or gather them under an `asyncio.Semaphore` of that size)',
    line: lineOf(fanOut),
  });
}

/** Programs run per item: `subprocess` and `os.system`. */
const RUNS_PROGRAM = /^(subprocess\.(run|call|check_call|check_output|Popen)|os\.system)$/;
/** Names that hold a file (`path`, `image_file`, `src`, `input_pdf`). */
const FILE_NAME = /(?:^|_)(?:path|file|filename|fname|fn|img|image|photo|picture|src|source|input|video|audio|pdf|doc|document)(?:_|$|s?$)/i;
/** An argument naming a file of its own: an extension or a folder separator in its text, or a path built by a call. */
const PATH_SPELLED = /\.[A-Za-z0-9]{2,4}\b|\/|\\|os\.path\.join|Path\(/;

/** A field naming what identifies one record (`id`, `user_id`, `uuid`, `pk`, `guid`). */
const IDENTIFYING_FIELD = /^(id|uuid|guid|pk|_id|\w+_id|\w+Id|arn|\w+Arn|name|\w+Name|\w+_name|slug)$/;

/**
 * A body that is one `if` comparing an identifying field of the item with a value the loop does not change
 * (`if item.get("id") == id:`, `if row["user_id"] == target:`): an id names one item, so the work runs once in all —
 * a search, not a loop of independent work (round 62: one PUT in all, reported as a thread pool's).
 */
function rejectOneItemSought(facts: LoopFacts, body: SyntaxNode | null, evidence: Evidence[]): void {
  const statements = body ? namedChildren(body).filter((c) => c.type !== 'comment') : [];
  // one `if` with no other branch holding every piece of work (`print(repo["name"])` may come before it)
  const tests = statements.filter((s) => s.type === 'if_statement' && !namedChildren(s).some((c) => c.type === 'elif_clause' || c.type === 'else_clause'));
  const work = evidence.filter((e) => e.what !== 'print');
  const guard = tests.find((s) => work.length > 0 && work.every((e) => e.line >= lineOf(s) && e.line <= s.endPosition.row + 1));
  if (!guard) return;
  const test = guard.childForFieldName('condition');
  if (test?.type !== 'comparison_operator' || test.namedChildren.length !== 2 || !test.children.some((c) => c.type === '==')) return;
  const targets = new Set(facts.targetNames);
  const changed = namesChangedIn([body!]);
  const field = (n: SyntaxNode): string | null => {
    // `item.id`, `item["id"]`, `item.get("id")` of the loop's item
    let object: SyntaxNode | null = null;
    let key: string | undefined;
    if (n.type === 'attribute') {
      object = n.childForFieldName('object');
      key = n.childForFieldName('attribute')?.text;
    } else if (n.type === 'subscript') {
      object = n.childForFieldName('value');
      key = /^['"](\w+)['"]$/.exec(n.childForFieldName('subscript')?.text ?? '')?.[1];
    } else if (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute' && n.childForFieldName('function')!.childForFieldName('attribute')?.text === 'get') {
      object = n.childForFieldName('function')!.childForFieldName('object');
      key = /^['"](\w+)['"]$/.exec(namedChildren(n.childForFieldName('arguments')!)[0]?.text ?? '')?.[1];
    }
    return object?.type === 'identifier' && targets.has(object.text) && key && IDENTIFYING_FIELD.test(key) ? key : null;
  };
  const [left, right] = test.namedChildren;
  const key = field(left) ?? field(right);
  const other = field(left) ? right : left;
  if (!key || readsIn(other).some((r) => targets.has(r.text) || changed.has(r.text))) return;
  // a file's name recurs across the folders of a walk (`path.name == "metadata.json"` under `rglob`)
  if (/name$/i.test(key) && /\b(r?glob|i?glob|walk|iterdir|listdir|scandir)\b/.test(facts.iterable?.text ?? '')) return;
  const named = /name$/i.test(key) ? 'a name names one entry of a listing' : 'an id names one item';
  facts.rejections.push({
    kind: 'trivial',
    message: `the work runs only for the item whose \`${key}\` equals \`${other.text.slice(0, 40)}\` (line ${lineOf(test)}): ${named}, so the loop is a search that does its work once, with nothing to run side by side`,
    remedy: 'nothing to parallelise: find the item (`next(i for i in items if i["id"] == wanted)`) and do its work once',
    line: lineOf(test),
  });
}

/** A test that the file `path` names exists (`os.path.exists(path)`, `path.exists()`, `os.path.isfile(path)`), or null. */
function existenceGuard(nodes: SyntaxNode[], path: SyntaxNode): SyntaxNode | null {
  for (const root of nodes) {
    for (const call of descendantsOfTypes(root, CALL, true)) {
      const f = call.childForFieldName('function');
      if (!f) continue;
      const first = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment');
      if (/^os\.path\.(exists|isfile|lexists)$/.test(f.text) && first?.text === path.text) return call;
      if (f.type === 'attribute' && /^(exists|is_file)$/.test(f.childForFieldName('attribute')?.text ?? '') && f.childForFieldName('object')?.text === path.text) return call;
    }
  }
  return null;
}

/** Whether a loop's items are distinct by construction: numbers of a `range`, a set's or a dict's members. */
function distinctItems(iterable: SyntaxNode | null): boolean {
  if (!iterable) return false;
  const text = iterable.text;
  return /^(range|set|sorted\(set)\(/.test(text) || /\.(keys|items)\(\)$/.test(text) || iterable.type === 'set' || iterable.type === 'set_comprehension';
}

/** Requests that only read: an answer asked again is the same answer. */
const READING_REQUEST = /^(get|head|urlopen|describe_\w+|list_\w+|get_\w+|fetch|fetch_\w+|search|search_\w+|lookup|query)$/;

/**
 * A loop whose every request is the same on every iteration (`client.describe_subnets()` asked again for each
 * subnet it already listed, `iam.list_users()` per user): the requests read nothing of the item, so each returns
 * what the first did — the fix is to ask once before the loop, not to ask N times at once (round 67's boto3 loops).
 */
function rejectRepeatedRequests(facts: LoopFacts, body: SyntaxNode | null, evidence: Evidence[]): void {
  if (!body || facts.awaits || facts.kind !== 'for') return;
  const work = evidence.filter((e) => e.what !== 'print');
  if (work.length === 0 || work.some((e) => e.kind !== 'io' || e.via || e.defined || e.waits !== 'network')) return;
  // a loop that only repeats (`for _ in range(n)`, its counter unread) asks N times on purpose: a random quote, a
  // sample of generated users — each answer may differ; only a loop over items that do not reach the request repeats it
  if (!readsIn(body).some((r) => facts.targetNames.includes(r.text))) return;
  // the item, and every name the body binds (a method called on a client does not make its requests vary)
  const varying = new Set(facts.targetNames);
  walk(body, (n) => {
    for (const name of namesBoundBy(n)) varying.add(name);
    return true;
  });
  const calls = descendantsOfTypes(body, CALL, true);
  const repeated: SyntaxNode[] = [];
  for (const e of work) {
    const method = /(\w+)$/.exec(e.what)?.[1] ?? '';
    const call = calls.find((c) => lineOf(c) === e.line && /(\w+)$/.exec(c.childForFieldName('function')?.text ?? '')?.[1] === method);
    if (!call || !READING_REQUEST.test(method) || readsIn(call).some((r) => varying.has(r.text))) return;
    repeated.push(call);
  }
  const first = repeated[0];
  facts.rejections.push({
    kind: 'not-worth-it',
    message: `every iteration makes the same request (\`${first.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(first)}): nothing in it depends on the item, so each answer is the first one again — there is one request's worth of waiting, not one per item`,
    remedy: 'make the request once before the loop and use its answer in every iteration',
    line: lineOf(first),
  });
}

/**
 * A program run per item on the same file (`subprocess.run(["exiv2", "-M", f"del {tag}", path])` for each tag), with
 * only its options following the item: every run is handed that one file, and a program that changes it (a tag or
 * metadata editor, an in-place converter) would have its runs overwrite each other's changes. A run that also names
 * a file of the item's (`out_{i}.png`, `os.path.join(folder, name)`) is not of this shape.
 */
function rejectSameFileRuns(facts: LoopFacts, body: SyntaxNode | null, module: ModuleInfo): void {
  if (!body || !/subprocess|system/.test(body.text)) return;
  const derived = derivedFromItem(body, facts.targetNames);
  const boundInBody = namesChangedIn([body]);
  for (const call of descendantsOfTypes(body, CALL, true)) {
    const f = call.childForFieldName('function');
    if (!f || !RUNS_PROGRAM.test(importedName(dottedName(f), module) ?? '')) continue;
    const first = namedChildren(call.childForFieldName('arguments')!).find((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
    const parts = first?.type === 'list' || first?.type === 'tuple' ? namedChildren(first) : first ? [first] : [];
    // the names an argument reads (in an f-string's interpolations too)
    const reads = (n: SyntaxNode) => readsIn(n).map((r) => r.text);
    // a name the body binds to a path of the item's (`out = f"{name}.png"`)
    const pathOf = (n: SyntaxNode) => PATH_SPELLED.test(n.text) || (n.type === 'identifier' && derived.has(n.text) && valuesBound(body.parent!, n.text).some((v) => !!v && PATH_SPELLED.test(v.text)));
    const shared = parts.flatMap(reads).find((name) => FILE_NAME.test(name) && !derived.has(name) && !boundInBody.has(name));
    if (!shared) continue;
    const ownFile = parts.some((a) => reads(a).some((name) => derived.has(name)) && pathOf(a));
    const followsItem = parts.some((a) => reads(a).some((name) => derived.has(name)));
    if (ownFile || !followsItem) continue;
    facts.rejections.push({
      kind: 'shared-state',
      message: `every run of the program at line ${lineOf(call)} is handed the same \`${shared}\`, and only its options follow the item: a program that changes that file (a tag or metadata editor, an in-place converter) would have its runs at once overwrite each other's changes`,
      remedy: 'give one run of the program every change at once (most such tools take many options in one call), or keep the loop sequential',
      line: lineOf(call),
      name: shared,
    });
    return;
  }
}

/** A call of the loop's item itself (`func()`, `await hook(app)`): the loop dispatches callbacks. */
function itemCall(nodes: SyntaxNode[], targetNames: ReadonlySet<string>): SyntaxNode | undefined {
  for (const root of nodes) {
    const call = descendantsOfTypes(root, CALL, true).find((c) => {
      const f = c.childForFieldName('function');
      return f?.type === 'identifier' && targetNames.has(f.text);
    });
    if (call) return call;
  }
  return undefined;
}

/**
 * A file written by a function of this file that the loop calls (`download(url)` opening `url.split("/")[-1]`):
 * each iteration writes its own file only when the callee's path is an injective function of its parameters
 * and the arguments the loop passes for them vary with the item. A doubt when that is not shown (two items
 * may name one file, and concurrent writers of one file interleave).
 */
/** A file a callee writes or deletes: the message, and whether every call names the same one (a deletion is shared state). */
type CalleeWrite = { message: string; line: number; same?: boolean; kind?: 'shared-state' };

function calleeFileWrite(nodes: SyntaxNode[], module: ModuleInfo, varying: (name: string) => boolean, scope: SyntaxNode | null): CalleeWrite | null {
  const seen = new Set<number>();
  // the function a call reaches in this file, and the argument it passes for one of its parameters: a plain
  // function by name, or a method the file shows (`self.add_to_archive(zip_path=…)`)
  const resolve = (call: SyntaxNode, scopeNode: SyntaxNode | null): { node: SyntaxNode; argumentFor: (p: string) => SyntaxNode | null } | null => {
    const callee = call.childForFieldName('function');
    if (callee?.type === 'identifier') {
      const node = module.functions.get(callee.text);
      return node ? { node, argumentFor: (p) => plainArgumentFor(call, node, p) } : null;
    }
    if (callee?.type !== 'attribute') return null;
    const target = sameFileMethod(callee.childForFieldName('object')!, callee.childForFieldName('attribute')!.text, module, scopeNode ? [scopeNode] : []);
    if (!target || target.guessed) return null;
    return { node: target.node, argumentFor: (p) => {
      const arg = methodArgumentFor(call, target, p);
      return arg === 'receiver' ? null : arg;
    } };
  };
  // `isSame(arg)`: the argument names the same value on every iteration (at the loop: a name or attribute that does
  // not read the item; in a callee: its parameter handed such a value), so a file written under it is one file
  const visit = (roots: SyntaxNode[], isVarying: (name: string) => boolean, isSame: (arg: SyntaxNode) => boolean, scopeNode: SyntaxNode | null, depth: number, via: string, loopLine: number): CalleeWrite | null => {
    if (depth > 3) return null;
    for (const root of roots) {
      for (const call of descendantsOfTypes(root, CALL, true)) {
        const resolved = resolve(call, scopeNode);
        if (!resolved || seen.has(resolved.node.id)) continue;
        const { node: target, argumentFor } = resolved;
        seen.add(target.id);
        const callee = call.childForFieldName('function')!;
        const params = [...scopeOf(target).params];
        const argVaries = new Set(params.filter((p) => {
          const arg = argumentFor(p);
          return arg !== null && variesWithItem(arg, isVarying, scopeNode);
        }));
        const body = target.childForFieldName('body');
        if (!body) continue;
        const called = `\`${callee.text}()\` (called at line ${lineOf(call)}${via})`;
        // the line the loop's own call is on
        const line = depth === 0 ? lineOf(call) : loopLine;
        const found = fileWrite([body], module);
        if (found) {
          if (found.path && variesWithItem(found.path, (name) => argVaries.has(name), target)) continue;
          // a path the function spells itself (`TS_DIR = "./ts_files/"`, then `shutil.rmtree(TS_DIR)`): every call names it
          const own = found.path && !readsIn(found.path).some((r) => scopeOf(target).params.has(r.text)) && sameEveryIteration(found.path, target);
          if (own && depth === 0) {
            const what = `${called} ${found.deletes ? 'deletes' : 'writes'} \`${found.path!.text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(found.call)}) on every call`;
            return found.deletes
              ? { message: `every iteration deletes the same path: ${what}, so iterations running at once would delete what the others are still using`, line, same: true, kind: 'shared-state' as const }
              : { message: `every iteration writes to the same file: ${what}, so the order of the writes matters`, line, same: true };
          }
          // `append_lines(output_file, lines)` opening its `path` parameter to write: every iteration names the
          // same file when the loop passes the same name for it (directly, or through the parameters of callers)
          const param = found.path?.type === 'identifier' && scopeOf(target).params.has(found.path.text) && !plainlyRebound(body, found.path.text) ? found.path.text : null;
          const arg = param ? argumentFor(param) : null;
          if (arg && isSame(arg) && (!found.mayBeDirectory || spelledAsFile(arg, scopeNode))) {
            return { message: `every iteration writes to the same file: ${called} writes its \`${param}\`, the loop passes it the same \`${arg.text}\` each time (written at line ${lineOf(found.call)}), so the order of the writes matters`, line, same: true };
          }
          return { message: `cannot prove that each iteration writes to a different file: ${called} writes \`${(found.path ?? found.call).text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(found.call)}), which two items may name alike`, line };
        }
        // a parameter handed the same value on every iteration names it in the callee too
        const sameParams = new Set(params.filter((p) => {
          const arg = argumentFor(p);
          return arg !== null && isSame(arg) && !plainlyRebound(body, p);
        }));
        const deeper = visit([body], (name) => argVaries.has(name), (a) => a.type === 'identifier' && sameParams.has(a.text), target, depth + 1, `, through \`${callee.text}()\` at line ${lineOf(call)}${via}`, line);
        if (deeper) return deeper;
      }
    }
    return null;
  };
  // (a name given a fresh random identifier in the iteration, `uuid4().hex + ".png"`, differs on every one)
  return visit(nodes, varying, (arg) => (arg.type === 'identifier' || arg.type === 'attribute') && !readsItem(arg, varying, scope) && !variesWithItem(arg, () => false, scope), scope, 0, '', 0);
}

/** Calls that run a function as the task of a pool or a thread: the function is their first argument. */
const TASK_CALLS = /\.(map|map_async|starmap|starmap_async|imap|imap_unordered|apply|apply_async|submit)$/;

/**
 * A loop in a function that this file already runs as the task of a pool (`pool.map(work, …)`,
 * `executor.submit(self.work, …)`, `Thread(target=work)`): the outer pool already overlaps the calls, and a pool
 * inside each task multiplies the workers (threads × threads, or processes inside processes).
 */
function rejectInsidePoolTask(facts: LoopFacts, module: ModuleInfo): void {
  const fn = facts.function;
  if (!fn || facts.rejections.length > 0 || facts.isAsync || facts.inAsyncFunction) return;
  const name = fn.childForFieldName('name')?.text;
  const task = name ? poolTasks(module).get(name) : undefined;
  if (!task) return;
  const via = task.via ? ` (called by \`${task.via}\`)` : '';
  facts.rejections.push({
    kind: 'not-worth-it',
    message: `\`${name}\`${via} already runs as the task of a pool or thread (\`${task.call.text.split('\n')[0].slice(0, 60)}\`, line ${lineOf(task.call)}): the calls already overlap, and a pool inside each task multiplies the workers`,
    remedy: 'keep the loop sequential, or parallelise at one level only (the outer pool is usually the better one)',
    line: lineOf(task.call),
  });
}

/**
 * A process pool whose results are whole decoded images (`[Image.open(p).convert("RGB") for p in paths]`, a photo
 * appended per item): each worker pickles megabytes of pixels back to the parent, a copy that costs about what
 * decoding in the worker saved (round 63: one listing's photos; 20 photos of 1280×960 measured 0.44 s in the
 * comprehension, 0.9 s in a process pool).
 */
function rejectDecodedImagesBack(facts: LoopFacts, module: ModuleInfo): void {
  if (facts.workload !== 'cpu' || facts.inAsyncFunction || facts.rejections.length > 0) return;
  const values = facts.kind === 'for' ? facts.parentStatements.filter((p) => p.kind === 'append' || p.kind === 'store').map((p) => p.value) : facts.element ? [facts.element] : [];
  const image = values.find((v) => decodedImage(v, module));
  if (!image) return;
  facts.rejections.push({
    kind: 'not-worth-it',
    message: `each result is a whole decoded image (\`${image.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(image)}): a worker process would pickle its pixels (megabytes for a photo) back to the parent, a copy that costs about what decoding it in the worker saves`,
    remedy: 'do the per-image work that follows (resizing, features, a hash, saving) in the same worker so that only a small result comes back, or keep the decoding in the parent',
    line: lineOf(image),
  });
}

/**
 * A loop calling, item by item, a function the file already maps over a pool elsewhere (`p.map(sum_square,
 * numbers)` beside `for i in numbers: result.append(sum_square(i))`): the sequential twin of a parallel version,
 * commonly the baseline of a comparison. Reporting it tells the author nothing new.
 */
function rejectPoolTwin(facts: LoopFacts, module: ModuleInfo): void {
  if (facts.rejections.length > 0 || facts.isAsync || facts.inAsyncFunction) return;
  const tasks = poolTasks(module);
  if (tasks.size === 0) return;
  for (const call of descendantsOfTypes(facts.node, CALL, true)) {
    const callee = call.childForFieldName('function');
    const task = callee?.type === 'identifier' ? tasks.get(callee.text) : undefined;
    if (!task || task.via || isAncestorOf(facts.node, task.call)) continue;
    // a comparison puts both versions side by side: in one function, over the same items, or in a file that times
    // them — not a pool over a video's segments in one function and a loop over a page's documents in another
    const together = enclosingFunction(task.call)?.id === enclosingFunction(facts.node)?.id;
    const timed = /\b(perf_counter|process_time|timeit|monotonic)\b|\btime\.time\(\)/.test(module.root.text);
    const sameItems = !!facts.iterable && poolItems(task.call)?.text === facts.iterable.text;
    if (!together && !timed && !sameItems) continue;
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `this file already maps \`${callee!.text}\` over a pool (\`${task.call.text.split('\n')[0].slice(0, 60)}\`, line ${lineOf(task.call)}): this loop is its sequential twin, commonly the baseline of a comparison`,
      remedy: 'nothing to do if the loop is a baseline; otherwise reuse the parallel version',
      line: lineOf(task.call),
    });
    return;
  }
}

/** The items a pool call runs its task over: `pool.map(f, items)`'s second argument, or the iterable of the loop or comprehension around a `submit`. */
function poolItems(call: SyntaxNode): SyntaxNode | null {
  const method = call.childForFieldName('function')?.type === 'attribute' ? call.childForFieldName('function')!.childForFieldName('attribute')?.text : undefined;
  if (method && method !== 'submit' && method !== 'apply_async') {
    const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
    return args[1] ?? null;
  }
  for (let p = call.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type === 'for_statement') return p.childForFieldName('right');
    const clause = ['list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension'].includes(p.type) ? namedChildren(p).find((c) => c.type === 'for_in_clause') : undefined;
    if (clause) return clause.childForFieldName('right');
  }
  return null;
}

const gatherCache = new WeakMap<SyntaxNode, Map<string, SyntaxNode>>();

/**
 * The functions of this file whose calls an `asyncio.gather(…)` runs at once: called in its arguments (`gather(*(
 * fetch(u) for u in urls))`), or awaited by a coroutine function of the file called there (`one(p)` whose body
 * awaits `with_retry(…)`), each with the `gather` call.
 */
function gatheredCalls(module: ModuleInfo): Map<string, SyntaxNode> {
  let found = gatherCache.get(module.root);
  if (found) return found;
  found = new Map();
  if (module.root.text.includes('gather')) {
    const defined = new Map<string, SyntaxNode>();
    walk(module.root, (n) => {
      if (n.type === 'function_definition') defined.set(n.childForFieldName('name')!.text, n);
      return true;
    });
    walk(module.root, (n) => {
      if (n.type !== 'call' || !/(^|\.)gather$/.test(n.childForFieldName('function')?.text ?? '')) return true;
      for (const call of descendantsOfTypes(n.childForFieldName('arguments') ?? n, CALL)) {
        const name = call.childForFieldName('function')?.text ?? '';
        if (!defined.has(name)) continue;
        if (!found!.has(name)) found!.set(name, n);
        const body = defined.get(name)!.childForFieldName('body');
        if (!body) continue;
        for (const inner of descendantsOfTypes(body, CALL, true)) {
          const called = inner.childForFieldName('function')?.text ?? '';
          if (defined.has(called) && inner.parent?.type === 'await' && !found!.has(called)) found!.set(called, n);
        }
      }
      return true;
    });
  }
  gatherCache.set(module.root, found);
  return found;
}

/**
 * A loop in an `async def` awaiting, item by item, a function the same file runs at once with `asyncio.gather`
 * elsewhere: the sequential twin of a concurrent version, commonly the "serial" half of a comparison.
 */
function rejectGatherTwin(facts: LoopFacts, module: ModuleInfo): void {
  if (facts.rejections.length > 0 || !facts.inAsyncFunction) return;
  const gathered = gatheredCalls(module);
  if (gathered.size === 0) return;
  for (const call of descendantsOfTypes(facts.node, CALL, true)) {
    const name = call.childForFieldName('function')?.text ?? '';
    const gather = gathered.get(name);
    if (!gather || call.parent?.type !== 'await' || isAncestorOf(facts.node, gather)) continue;
    facts.rejections.push({
      kind: 'not-worth-it',
      message: `this file already runs \`${name}\` at once with \`${gather.text.split('\n')[0].slice(0, 60)}\` (line ${lineOf(gather)}): this loop is its sequential twin, commonly the baseline of a comparison`,
      remedy: 'nothing to do if the loop is a baseline; otherwise reuse the concurrent version',
      line: lineOf(gather),
    });
    return;
  }
}

const RETURNS = new Set(['return_statement']);
const IDENTIFIER = new Set(['identifier']);

/** Names of a project's functions reading a clock for timing: only the unambiguous ones (not `now`, `timestamp`). */
const CLOCK_WRAPPER = /^_?(monotonic|perf_counter|process_time)(_\w+)?$/;

/** Clocks read to time a piece of work. */
const CLOCKS = /^(time\.(perf_counter|perf_counter_ns|monotonic|monotonic_ns|time|time_ns|process_time|process_time_ns)|timeit\.default_timer)$/;

/**
 * A loop whose body reads a clock twice or more (`start = time.perf_counter()` … `time.perf_counter() - start`):
 * it times each iteration, and what it measures is the iteration running alone. Run at once, every timing would
 * also hold the other iterations' work and waits: the measurement changes, and it is commonly the point of a
 * benchmark or latency test.
 */
function rejectTimedIterations(facts: LoopFacts, module: ModuleInfo): void {
  if (facts.rejections.length > 0 || facts.kind !== 'for') return;
  const body = facts.node.childForFieldName('body');
  if (!body) return;
  // (or a project's own wrapper named for the clock it reads: `monotonic_seconds()`, `perf_counter_ms()`)
  const clocksIn = (node: SyntaxNode) =>
    descendantsOfTypes(node, CALL, true).filter((call) => {
      const f = call.childForFieldName('function')?.text ?? null;
      return CLOCKS.test(importedName(f, module) ?? '') || CLOCK_WRAPPER.test(f?.split('.').pop() ?? '');
    });
  let clocks = clocksIn(body);
  let through = '';
  if (clocks.length < 2) {
    // a function of this file the loop calls that times its own work and returns the time (`run_command(args)`
    // returning `{"seconds": perf_counter() - start, …}`): each iteration is timed there
    for (const call of descendantsOfTypes(body, CALL, true)) {
      const callee = call.childForFieldName('function');
      const fn = callee?.type === 'identifier' ? module.functions.get(callee.text) : undefined;
      const fnBody = fn?.childForFieldName('body');
      if (!fnBody) continue;
      const inner = clocksIn(fnBody);
      if (inner.length < 2) continue;
      // the time is returned as the clock read itself, or through a name bound to it (`seconds = perf_counter() - t0`)
      const timeNames = new Set(inner.map((clock) => {
        let up: SyntaxNode | null = clock.parent;
        while (up && up.id !== fnBody.id && up.type !== 'assignment') up = up.parent;
        const left = up?.type === 'assignment' ? up.childForFieldName('left') : null;
        return left?.type === 'identifier' ? left.text : '';
      }).filter((name) => name !== ''));
      const returnsTime = (r: SyntaxNode) => clocksIn(r).length > 0 || descendantsOfTypes(r, IDENTIFIER, true).some((id) => timeNames.has(id.text));
      if (!descendantsOfTypes(fnBody, RETURNS, true).some(returnsTime)) continue;
      clocks = inner;
      through = ` in \`${callee!.text}()\` (called at line ${lineOf(call)}), which returns the time`;
      break;
    }
  }
  if (clocks.length < 2) return;
  facts.rejections.push({
    kind: 'ordered-effect',
    message: `each iteration is timed (\`${clocks[0].text}\` at line ${lineOf(clocks[0])} and line ${lineOf(clocks[clocks.length - 1])}${through}): the timings measure one iteration running alone; run at once, each would also hold the others' work, so the measurement would change`,
    remedy: 'keep a timed loop sequential (time the whole concurrent run instead, if that is what is to be measured)',
    line: lineOf(clocks[0]),
  });
}

/** Standard input read line by line as the loop goes: `sys.stdin`, `sys.stdin.buffer`, `fileinput.input()`. */
const STDIN_STREAMS = /^(sys\.stdin(\.buffer)?|fileinput\.input\(.*\)|iter\(sys\.stdin(\.buffer)?\.readline,.*\))$/s;

/**
 * A loop over standard input that flushes an answer per line (`print(answer, flush=True)`, `sys.stdout.flush()`):
 * a line protocol with the program at the other end of the pipe, which commonly waits for each answer before it
 * writes the next request (round 35: benchmark workers a harness drives one request at a time). A pool's `map`
 * reads its whole iterable before the first result comes back: every answer would wait for the end of the input,
 * and a peer waiting for an answer would wait forever.
 */
function rejectAnsweredStream(facts: LoopFacts, module: ModuleInfo): void {
  if (facts.rejections.length > 0 || facts.kind !== 'for' || !facts.iterable) return;
  // the stream as its imports name it (`stdin` after `from sys import stdin`), arguments and all
  const stream = facts.iterable.text.replace(/\s+/g, '');
  const [head] = stream.split('(');
  if (!STDIN_STREAMS.test((importedName(head, module) ?? head) + stream.slice(head.length))) return;
  const body = facts.node.childForFieldName('body');
  if (!body) return;
  const flush = descendantsOfTypes(body, CALL, true).find((call) => {
    const callee = call.childForFieldName('function')?.text ?? '';
    if (/^sys\.(stdout|stderr)\.flush$/.test(importedName(callee, module) ?? '')) return true;
    if (callee !== 'print') return false;
    return (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'flush' && a.childForFieldName('value')?.text !== 'False');
  });
  if (!flush) return;
  facts.rejections.push({
    kind: 'ordered-effect',
    message: `each line of \`${facts.iterable.text.split('\n')[0].slice(0, 40)}\` is answered as it arrives (\`${flush.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(flush)}): a line protocol with the program at the other end of the pipe, which may wait for each answer before it writes the next line; a pool's \`map\` reads all of the input before the first answer, so every answer would wait for the end of the input, and a peer waiting for one would wait forever`,
    remedy: 'keep the loop as it is; to overlap requests, let the peer send several at once (a batch per line) and map over the batch',
    line: lineOf(flush),
  });
}

/** Exceptions raised into the main thread from outside, when time runs out or the user presses Ctrl-C. */
const INTERRUPTS = /(^|\.)(\w*TimeLimitExceeded|KeyboardInterrupt)$/;

/**
 * A loop inside a `try` (of its own function) whose handler catches an exception raised into the main thread
 * from outside: a task's time limit (`SoftTimeLimitExceeded`) or Ctrl-C (`KeyboardInterrupt`). The loop stops
 * where that exception lands, and the handler runs then; in a pool the main thread only waits, the tasks already
 * handed out keep running, and the executor's `with` block waits for them before the handler runs, so the loop
 * no longer stops when it is interrupted, and a loop that was to outlast a time limit may finish within it.
 */
function rejectInterruptedRegion(facts: LoopFacts): void {
  if (facts.rejections.length > 0) return;
  for (let a = facts.node.parent; a && !SCOPE_TYPES.has(a.type); a = a.parent) {
    if (a.type !== 'block' || a.parent?.type !== 'try_statement' || a.parent.childForFieldName('body')?.id !== a.id) continue;
    for (const clause of namedChildren(a.parent).filter((c) => c.type === 'except_clause')) {
      const caught = namedChildren(clause).filter((c) => c.type !== 'block');
      const names = caught.flatMap((c) => (c.type === 'tuple' || c.type === 'as_pattern' ? namedChildren(c).flatMap((d) => (d.type === 'tuple' ? namedChildren(d) : [d])) : [c])).map((c) => c.text);
      const hit = names.find((n) => INTERRUPTS.test(n));
      if (!hit) continue;
      facts.rejections.push({
        kind: 'early-exit',
        message: `the loop runs inside a \`try\` that catches \`${hit}\` (line ${lineOf(clause)}), raised into the main thread when ${/KeyboardInterrupt/.test(hit) ? 'the user presses Ctrl-C' : 'its time limit runs out'}: the loop stops there; in a pool the tasks already handed out would keep running and the executor would wait for them, so the loop would no longer stop when interrupted`,
        remedy: 'keep the loop sequential, or cancel the pending tasks in the handler (`executor.shutdown(cancel_futures=True)`) and write the pool by hand',
        line: lineOf(clause),
      });
      return;
    }
  }
}

/** Progress bars that advance as the loop takes their items. */
const PROGRESS_ITERABLES = /^(tqdm|tqdm\.tqdm|tqdm\.auto\.tqdm|tqdm\.notebook\.tqdm|trange|tqdm\.trange|rich\.progress\.track|alive_progress\.alive_it|click\.progressbar)$/;

/**
 * A loop over a progress bar (`for x in tqdm(items)`, `with click.progressbar(items) as bar: for x in bar`): the
 * bar advances as items are taken, and the parallel form takes every item before any work is done, so the bar
 * would fill at once and then wait. The bar belongs around the results, which the rewrite does not do.
 */
function rejectProgressBar(facts: LoopFacts, module: ModuleInfo): void {
  const iterable = facts.iterable;
  if (!iterable || facts.rejections.length > 0) return;
  let source: SyntaxNode | null = iterable;
  if (iterable.type === 'identifier') {
    // `with click.progressbar(items) as bar:` or `bar = tqdm(items)`
    source = null;
    for (let a = iterable.parent; a && !source; a = a.parent) {
      if (a.type === 'with_statement') {
        for (const item of descendantsNamed(a, 'as_pattern')) {
          if (item.childForFieldName('alias')?.text === iterable.text || namedChildren(item).some((c) => c.type === 'as_pattern_target' && c.text === iterable.text)) source = item.namedChildren[0] ?? null;
        }
      }
      if (a.type === 'function_definition') break;
    }
    source ??= singleValue(iterable, module);
  }
  if (source?.type !== 'call') return;
  const name = dottedName(source.childForFieldName('function'));
  // `for x in tqdm(items)`: the rewrite maps over the items and puts the bar around the results
  const wrapped = namedChildren(source.childForFieldName('arguments')!)[0];
  if (source.id === iterable.id && facts.kind === 'for' && !facts.isAsync && !facts.inAsyncFunction && /^tqdm(\.(auto|notebook|std))?\.tqdm$|^tqdm$/.test(importedName(name, module) ?? '') && wrapped && wrapped.type !== 'keyword_argument' && !wrapped.type.endsWith('splat')) return;
  const qualified = importedName(name, module) ?? name ?? '';
  if (!PROGRESS_ITERABLES.test(qualified) && !(name && /^(tqdm|trange|track|alive_it)$/.test(name) && !module.functions.has(name))) return;
  facts.rejections.push({
    kind: 'ordered-effect',
    message: `the loop takes its items from a progress bar (\`${source.text.split('\n')[0].slice(0, 50)}\`, line ${lineOf(source)}), which advances as each item is taken: the parallel form takes them all before any work, so the bar would fill at once`,
    remedy: 'loop over the items themselves in a pool and advance the bar in the parent as each result arrives: `for r in tqdm(executor.map(f, items), total=len(items))`',
    line: lineOf(source),
  });
}

const poolTaskCache = new WeakMap<SyntaxNode, Map<string, { call: SyntaxNode; via?: string }>>();

/**
 * The functions and methods of this file run as pool or thread tasks (`pool.map(work, …)`, `executor.submit(
 * self.work, …)`, `Thread(target=work)`, through `partial`), and those they call by name, two calls deep.
 */
function poolTasks(module: ModuleInfo): Map<string, { call: SyntaxNode; via?: string }> {
  let tasks = poolTaskCache.get(module.root);
  if (tasks) return tasks;
  tasks = new Map();
  if (/\b(map|map_async|starmap|starmap_async|imap|imap_unordered|apply|apply_async|submit|Thread|Process)\b/.test(module.root.text)) {
    const nameOf = (n: SyntaxNode | null | undefined): string | null => {
      if (!n) return null;
      if (n.type === 'identifier') return n.text;
      if (n.type === 'attribute' && /^(self|cls)$/.test(n.childForFieldName('object')?.text ?? '')) return n.childForFieldName('attribute')?.text ?? null;
      if (n.type === 'call' && /^(functools\.)?partial$/.test(n.childForFieldName('function')?.text ?? '')) return nameOf(namedChildren(n.childForFieldName('arguments')!)[0]);
      return null;
    };
    const defined = new Map<string, SyntaxNode>();
    walk(module.root, (n) => {
      if (n.type === 'function_definition') defined.set(n.childForFieldName('name')!.text, n);
      return true;
    });
    walk(module.root, (n) => {
      if (n.type !== 'call') return true;
      const callee = n.childForFieldName('function')?.text ?? '';
      const args = namedChildren(n.childForFieldName('arguments') ?? n).filter((a) => a.type !== 'comment');
      const arg = TASK_CALLS.test(callee) ? args[0] : /(^|\.)(Thread|Process)$/.test(callee) ? args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'target')?.childForFieldName('value') : null;
      // one thread or one submitted task (a GUI's background worker) runs alone: only a map, or tasks started in a loop, overlap
      const many = /\.(map|map_async|starmap|starmap_async|imap|imap_unordered)$/.test(callee) || !!ancestor(n, (a) => a.type === 'for_statement' || a.type === 'while_statement' || a.type === 'list_comprehension' || a.type === 'generator_expression');
      const name = many ? nameOf(arg) : null;
      if (name && defined.has(name) && !tasks!.has(name)) tasks!.set(name, { call: n });
      return true;
    });
    // what a task calls by name runs inside it too
    for (let depth = 0; depth < 2; depth++) {
      for (const [name, task] of [...tasks]) {
        const body = defined.get(name)?.childForFieldName('body');
        if (!body) continue;
        for (const call of descendantsOfTypes(body, CALL, true)) {
          const called = nameOf(call.childForFieldName('function'));
          if (called && defined.has(called) && !tasks.has(called)) tasks.set(called, { call: task.call, via: task.via ?? name });
        }
      }
    }
  }
  poolTaskCache.set(module.root, tasks);
  return tasks;
}

/** Items typed in by a person: a pool must pay off at this many, or its work per item be known to. */
const TYPED_ITEMS = 100;

/**
 * A CPU-bound loop calling a function memoised with `functools.lru_cache`: the iterations share its cache, which
 * worker processes do not (each starts empty), so the work that calls reuse now is done again in every worker.
 * Threads would share it, but CPU-bound work gains nothing from threads: the loop is rejected.
 */
function rejectLostCache(facts: LoopFacts, nodes: SyntaxNode[], module: ModuleInfo, mapped?: SyntaxNode): void {
  if (facts.workload !== 'cpu') return;
  const memo = memoisedCallee(nodes, module, facts.function, mapped);
  if (!memo) return;
  facts.rejections.push({
    kind: 'shared-state',
    message: `\`${memo.name}()\` is memoised (\`${memo.decorator}\`, line ${memo.line}): the iterations share its cache, so a call can reuse what an earlier iteration computed; worker processes would each start with an empty cache and compute it again`,
    remedy: `keep the loop sequential, or make each item's work independent of \`${memo.name}\`'s cache (then the decorator buys nothing across items)`,
    line: memo.line,
    name: memo.name,
  });
}

/** An object of a well-known library that belongs to one thread, shared by the iterations (singleOwner.ts). */
function rejectSingleOwner(facts: LoopFacts, nodes: SyntaxNode[], module: ModuleInfo, bound: ReadonlySet<string>): void {
  // a syntax error inside the loop hides what its damaged statements do (a Python 2 `print 'x'` is output)
  if (facts.node.hasError) {
    facts.rejections.push({ kind: 'unsupported', message: 'the loop contains a syntax error: what the damaged statements do cannot be read', remedy: 'fix the syntax error (the file may be Python 2 code)', line: facts.line });
    return;
  }
  // the statement starts with its keyword: a part that does not spell it holds none (no query into wasm)
  const printed = nodes.flatMap((n) => (textIncludes(n, 'print') ? descendantsNamed(n, 'print_statement') : []))[0];
  if (printed) {
    facts.rejections.push({ kind: 'ordered-effect', message: `\`${printed.text.split('\n')[0].slice(0, 40)}\` (line ${lineOf(printed)}, a Python 2 \`print\` statement) writes to standard output in iteration order`, remedy: 'keep the output in the parent, in order (and port the file to Python 3: `print(…)`)', line: lineOf(printed) });
    return;
  }
  const use = singleOwnerUse(nodes, module, bound);
  if (use && !facts.rejections.some((r) => r.name === use.name)) facts.rejections.push({ ...use, kind: use.kind ?? 'shared-state' });
}

/** Thread, process and pool classes whose creation in a loop (or as a pool) runs a function's items concurrently. */
const FAN_OUT_CLASSES = /^(threading\.Thread|multiprocessing\.(Process|Pool)|multiprocessing\.pool\.(Pool|ThreadPool)|concurrent\.futures\.(ThreadPoolExecutor|ProcessPoolExecutor))$/;

/**
 * Where a same-file function runs its own items concurrently: a thread or process started in a loop of it, or a pool
 * it makes; with the constant pause next to the start when there is one. Null otherwise.
 */
function ownFanOut(fn: SyntaxNode, module: ModuleInfo): { callee: string; calleeLine: number; what: string; line: number; pause: SyntaxNode | null } | null {
  const body = fn.childForFieldName('body');
  if (!body || !/Thread|Process|Pool/.test(body.text)) return null;
  for (const call of body.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    const qualified = callee ? importedName(dottedName(callee), module) : null;
    if (!call || !qualified || !FAN_OUT_CLASSES.test(qualified) || enclosingFunction(call)?.id !== fn.id) continue;
    const pool = /Pool/.test(qualified);
    const loop = ancestor(call, (n) => n.id === body.id || n.type === 'for_statement' || n.type === 'while_statement');
    if (!pool && loop?.id === body.id) continue;
    const pause = loop && loop.id !== body.id ? (loop.childForFieldName('body')?.descendantsOfType('call').find((c) => !!c && /^(time\.)?sleep$/.test(c.childForFieldName('function')?.text ?? '') && c.childForFieldName('arguments')?.namedChildren[0]?.type !== 'identifier') ?? null) : null;
    return { callee: fn.childForFieldName('name')!.text, calleeLine: lineOf(fn), what: `${callee!.text}(…)`, line: lineOf(call), pause };
  }
  return null;
}

/** The decorator compiling the function a loop is in to machine code (`@njit`, `@numba.jit(…)`, `@vectorize`…), or null. */
export function compilingDecorator(loop: SyntaxNode): SyntaxNode | null {
  const fn = enclosingFunction(loop);
  const decorators = fn?.parent?.type === 'decorated_definition' ? namedChildren(fn.parent).filter((c) => c.type === 'decorator') : [];
  return decorators.find((d) => /\b(jit|njit|vectorize|guvectorize|cfunc|stencil|generated_jit)\b/.test(d.text)) ?? null;
}

interface Hazard {
  kind: RejectionKind;
  message: string;
  remedy: string;
  line: number;
}

/**
 * What makes a loop's parallel form wrong whatever the dependences of its body: a generator called for its
 * value (no work is done where it is called), `groupby` groups (views of one iterator), code that reads its own
 * frame (`locals()`), pauses (`await asyncio.sleep`), a function that runs at interpreter exit, and, for a
 * comprehension, a scope it cannot be taken out of.
 */
function hazards(loop: SyntaxNode, iterable: SyntaxNode | null, body: SyntaxNode[], module: ModuleInfo, effects: RegionEffects): Hazard[] {
  const found: Hazard[] = [];
  const launch = effects.launches[0];
  if (launch) {
    const name = launch.call.childForFieldName('function')?.text ?? 'the function';
    found.push({
      kind: 'already-concurrent',
      message: `\`${name}()\` (line ${lineOf(launch.call)}) is launched by its decorator \`${launch.decorator.what}\` (line ${launch.decorator.line}): each call hands the work to the framework and returns a future or a lazy value at once, so the calls already run concurrently (or later, when their results are asked for)`,
      remedy: 'nothing to do here: let the framework run them; wait on the results together (all the futures at once), not one by one between launches',
      line: lineOf(launch.call),
    });
  }
  const fanOut = effects.calledFunctions.map((fn) => ownFanOut(fn, module)).find((f) => f !== null);
  if (fanOut) {
    found.push({
      kind: 'already-concurrent',
      message: `\`${fanOut.callee}()\` (line ${fanOut.calleeLine}) runs its own items concurrently (\`${fanOut.what}\`, line ${fanOut.line})${fanOut.pause ? `, pausing between starts (\`${fanOut.pause.text}\`, line ${lineOf(fanOut.pause)}: a pace its author set)` : ''}: each call is already parallel inside, and running the calls side by side would multiply its workers${fanOut.pause ? ' and undo the pace' : ''}`,
      remedy: fanOut.pause ? 'keep the loop: the pause spaces the requests on purpose' : `give \`${fanOut.callee}\` all the items at once (one pool over every call's items) rather than nesting pools`,
      line: fanOut.line,
    });
  }
  const lazy = effects.lazyCalls[0];
  if (lazy) {
    const name = lazy.childForFieldName('function')?.text ?? 'the function';
    // `map(…)`, `zip(…)`, `itertools.product(…)` make the library's lazy iterators; else a generator function is called
    const generator = !effects.lazyIterators.includes(lazy);
    found.push({
      kind: 'unsupported',
      message: generator
        ? `\`${name}()\` (line ${lineOf(lazy)}) is a generator function: calling it only makes a generator, whose work runs later where it is consumed, and a generator cannot be sent back from a worker process`
        : `\`${name}()\` (line ${lineOf(lazy)}) returns a lazy iterator: its work runs later where it is consumed, and an iterator cannot be sent back from a worker process`,
      remedy: generator ? `consume it where it is called (\`list(${name}(…))\`), or make \`${name}\` return a list` : `consume it where it is called (\`list(${name}(…))\`)`,
      line: lineOf(lazy),
    });
  }
  if (iterable?.type === 'call' && isItertoolsGroupby(iterable, module)) {
    found.push({
      kind: 'shared-state',
      message: '`groupby` hands out groups that are views of one underlying iterator: a group is empty once the next one is taken, and the parallel form takes them all before any iteration runs',
      remedy: 'materialise each group first: `[(k, list(g)) for k, g in groupby(…)]`',
      line: lineOf(iterable),
    });
  }
  const consumed = iterable?.type === 'call' ? poolResults(iterable, module) : null;
  if (consumed) {
    found.push({
      kind: 'not-worth-it',
      message: `the loop takes the results of tasks already running in a pool (\`${consumed}\`, line ${lineOf(iterable!)}): the parallel work is the pool's, and a second pool around this consumer would only compete with it for the same cores and connections`,
      remedy: 'move the work done per result into the function the pool runs',
      line: lineOf(iterable!),
    });
  }
  for (const part of body) {
    if (!/\b(locals|vars|eval|exec)\s*\(/.test(part.text)) continue;
    const call = descendantsNamed(part, 'call').find((c) => {
      const f = c.childForFieldName('function');
      return f?.type === 'identifier' && ['locals', 'vars', 'eval', 'exec'].includes(f.text) && !module.bindings.has(f.text) && (f.text !== 'vars' || namedChildren(c.childForFieldName('arguments')!).length === 0);
    });
    if (call) {
      const name = call.childForFieldName('function')!.text;
      found.push({
        kind: 'unsupported',
        message: `\`${name}()\` (line ${lineOf(call)}) works on the variables of the frame it runs in: moved into a worker function, it would see other ones`,
        remedy: 'name the values it needs explicitly',
        line: lineOf(call),
      });
      break;
    }
  }
  for (const part of body) {
    if (!textIncludes(part, 'sleep')) continue;
    const pause = descendantsNamed(part, 'await').find((a) => a.parent?.type === 'expression_statement' && a.namedChildren[0]?.type === 'call' && qualifiedCallee(a.namedChildren[0], module) === 'asyncio.sleep');
    if (pause) {
      found.push({
        kind: 'ordered-effect',
        message: `\`${pause.text}\` (line ${lineOf(pause)}) is a pause: it spaces the iterations in time (rate limiting, polling) or lets other tasks run between them, and gathered they would all run at once`,
        remedy: 'keep the loop sequential, or bound the concurrency with an `asyncio.Semaphore` if the pause only limits the rate',
        line: lineOf(pause),
      });
      break;
    }
  }
  const fn = enclosingFunction(loop);
  const fnName = fn?.childForFieldName('name')?.text ?? '';
  const recursiveMethod = fn !== null && methodReachesItself(fn, body);
  if (fn && (effects.calledFunctions.some((c) => c.id === fn.id) || reachesItself(fn, body, module) || recursiveMethod)) {
    found.push({
      kind: 'recursion',
      message: recursiveMethod
        ? `the loop calls back into \`${fnName}\`, the method it is in (through \`self\` or its class, directly or through other methods): every level of the recursion would start a pool of its own, inside the workers of the level above — workers and start-up multiply with the depth (and \`multiprocessing.Pool\` workers cannot start processes at all)`
        : `the loop calls back into \`${fnName}\`, the function it is in (directly, through other functions, or passing it on): every level of the recursion would start a pool of its own, inside the workers of the level above — workers and start-up multiply with the depth (and \`multiprocessing.Pool\` workers cannot start processes at all)`,
      remedy: 'parallelise the outermost call only: map the top-level items over a pool from the caller',
      line: lineOf(loop),
    });
  }
  const compiled = compilingDecorator(loop);
  if (compiled) {
    found.push({
      kind: 'unsupported',
      message: `\`${fnName}\` is compiled (\`${compiled.text.split('(')[0]}\`): its body does not run as Python, and a pool cannot be started from it`,
      remedy: 'use the compiler\'s own parallelism (`numba.prange` with `parallel=True`)',
      line: lineOf(compiled),
    });
  }
  for (const part of body) {
    if (!textIncludes(part, 'subTest')) continue;
    const sub = descendantsNamed(part, 'call').find((c) => c.childForFieldName('function')?.type === 'attribute' && c.childForFieldName('function')!.childForFieldName('attribute')?.text === 'subTest');
    if (sub) {
      found.push({
        kind: 'shared-state',
        message: `\`${sub.childForFieldName('function')!.text}()\` (line ${lineOf(sub)}) records each outcome on the test case the iterations share, and unittest is not thread-safe`,
        remedy: 'keep test loops sequential',
        line: lineOf(sub),
      });
      break;
    }
  }
  const registered = fn && registeredAtExit(fn, module);
  if (registered) {
    found.push({
      kind: 'unsupported',
      message: `\`${registered}\` runs at interpreter exit (registered with \`atexit\`), when no new thread or process can be started`,
      remedy: 'keep the loop sequential',
      line: lineOf(loop),
    });
  }
  if (loop.type !== 'for_statement') {
    const outer = ancestor(loop, (a) => a.id === fn?.id || ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'lambda'].includes(a.type));
    if (outer && outer.id !== fn?.id) {
      found.push({
        kind: 'unsupported',
        message: `the comprehension sits inside ${outer.type === 'lambda' ? 'a lambda' : 'another comprehension'} (line ${lineOf(outer)}), whose variables it may use: the rewrite cannot take it out of there`,
        remedy: 'write the outer loop as a `for` statement first',
        line: lineOf(loop),
      });
    }
  }
  return found;
}

/**
 * Whether the loop's code reaches `fn` again through the module's functions it names (calls them, or passes them
 * on as in `map(walk, items)`), and the functions those name, and so on.
 */
function reachesItself(fn: SyntaxNode, region: SyntaxNode[], module: ModuleInfo): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name || module.functions.get(name)?.id !== fn.id) return false;
  // a name a function binds itself (a local `cost` accumulator beside a module function `cost`) is not that function
  const own = (def: SyntaxNode, read: string) => scopeOf(def).locals.has(read) || scopeOf(def).params.has(read);
  const queue: string[] = [];
  for (const part of region) for (const r of readsIn(part)) if (module.functions.has(r.text) && !own(fn, r.text)) queue.push(r.text);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (next === name) return true;
    if (seen.has(next) || seen.size > 500) continue;
    seen.add(next);
    const def = module.functions.get(next)!;
    const body = def.childForFieldName('body');
    if (body) for (const r of readsIn(body)) if (module.functions.has(r.text) && !seen.has(r.text) && !own(def, r.text)) queue.push(r.text);
  }
  return false;
}

/**
 * Whether a method's loop calls the method again through its receiver or its class (`self.words(child)`,
 * `Trie.words(self, child)`), directly or through other methods of the class called the same way.
 */
function methodReachesItself(fn: SyntaxNode, region: SyntaxNode[]): boolean {
  const name = fn.childForFieldName('name')?.text;
  const definition = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const classBody = definition.parent?.type === 'block' && definition.parent.parent?.type === 'class_definition' ? definition.parent : null;
  if (!name || !classBody) return false;
  const className = classBody.parent!.childForFieldName('name')?.text;
  const methods = new Map<string, SyntaxNode>();
  for (const statement of namedChildren(classBody)) {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const methodName = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
    if (def && methodName) methods.set(methodName, def);
  }
  /** Where a part of a method calls methods of the class through `self.` (the method's first parameter) or the class name, in document order. */
  const methodCalls = (method: SyntaxNode, part: SyntaxNode): MethodCall[] => {
    const receiver = namedChildren(method.childForFieldName('parameters')!)[0];
    const receiverName = receiver?.type === 'identifier' ? receiver.text : undefined;
    const found: MethodCall[] = [];
    for (const attribute of descendantsNamed(part, 'attribute')) {
      const object = attribute.childForFieldName('object');
      const called = attribute.childForFieldName('attribute')?.text;
      if (!object || !called || !methods.has(called)) continue;
      if (object.type === 'identifier' && (object.text === receiverName || object.text === className)) found.push({ start: attribute.startIndex, end: attribute.endIndex, called });
      // `super().words(…)` and `type(self).words(…)` reach the same name
      else if (object.type === 'call' && /^(super|type)\b/.test(object.text)) found.push({ start: attribute.startIndex, end: attribute.endIndex, called });
    }
    return found;
  };
  /** The methods of the class a region calls (the parts in its body read from the body's calls, found once per method). */
  const calledMethods = (method: SyntaxNode, parts: SyntaxNode[]): string[] => {
    const body = method.childForFieldName('body');
    const inBody = !!body && parts.every((part) => body.startIndex <= part.startIndex && part.endIndex <= body.endIndex);
    let all = inBody ? callsInBody.get(method) : undefined;
    if (inBody && !all) callsInBody.set(method, (all = methodCalls(method, body)));
    const found: string[] = [];
    for (const part of parts) {
      for (const c of all ?? methodCalls(method, part)) if (!all || (part.startIndex <= c.start && c.end <= part.endIndex)) found.push(c.called);
    }
    return found;
  };
  const queue = calledMethods(fn, region);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (next === name) return true;
    if (seen.has(next) || seen.size > 200) continue;
    seen.add(next);
    const method = methods.get(next)!;
    let calls = methodsCalledBy.get(method);
    if (!calls) {
      const body = method.childForFieldName('body');
      methodsCalledBy.set(method, (calls = body ? calledMethods(method, [body]) : []));
    }
    queue.push(...calls);
  }
  return false;
}

/** A call of a method of the class found in a method's body: the attribute's span and the method's name. */
interface MethodCall {
  start: number;
  end: number;
  called: string;
}

/** Per method: the calls of methods of its class in its body (methodReachesItself asks for every loop in the method). */
const callsInBody = new WeakMap<SyntaxNode, MethodCall[]>();

/** Per method: the methods of its class its body calls (methodReachesItself asks for every loop in the class). */
const methodsCalledBy = new WeakMap<SyntaxNode, string[]>();

/** The qualified name a call's callee resolves to through the imports (`groupby` → `itertools.groupby`), or null. */
function qualifiedCallee(call: SyntaxNode, module: ModuleInfo): string | null {
  return importedName(dottedName(call.childForFieldName('function')!), module);
}

/**
 * The call handing out a running pool's results that a loop iterates (`as_completed(futures)`,
 * `pool.imap_unordered(f, xs)`, `executor.map(f, xs)`), spelled for a message; null for any other iterable.
 */
function poolResults(call: SyntaxNode, module: ModuleInfo): string | null {
  const f = call.childForFieldName('function');
  if (!f) return null;
  const qualified = qualifiedCallee(call, module);
  const shown = `${f.text}(…)`;
  if (qualified === 'concurrent.futures.as_completed' || qualified === 'asyncio.as_completed') return shown;
  if (qualified === null && f.type === 'identifier' && f.text === 'as_completed' && /\bfrom\s+(concurrent\.futures|asyncio)\s+import\b[^\n]*\bas_completed\b/.test(module.root.text)) return shown;
  if (f.type !== 'attribute') return null;
  const method = f.childForFieldName('attribute')!.text;
  // `imap` is a pool's own; `map` and `starmap` are a pool's where the receiver is named as one
  const pooled = /(pool|executor)$/i.test(f.childForFieldName('object')!.text);
  return method === 'imap' || method === 'imap_unordered' || ((method === 'map' || method === 'starmap') && pooled) ? shown : null;
}

/** `groupby(…)` from itertools, imported at module level or in a function (`from itertools import groupby`). */
function isItertoolsGroupby(call: SyntaxNode, module: ModuleInfo): boolean {
  const qualified = qualifiedCallee(call, module);
  if (qualified !== null) return qualified === 'itertools.groupby';
  // imported in the function itself (the same unit of incremental analysis as the loop)
  const scope = enclosingFunction(call);
  return call.childForFieldName('function')?.text === 'groupby' && !!scope && /\bfrom\s+itertools\s+import\b[^\n]*\bgroupby\b/.test(scope.text);
}

const atExitSpelled = new WeakMap<SyntaxTree, boolean>();

/** Whether the module's text spells `atexit.register` (asked once per tree, not per loop). */
function spellsAtExit(tree: SyntaxTree): boolean {
  let spelled = atExitSpelled.get(tree);
  if (spelled === undefined) atExitSpelled.set(tree, (spelled = tree.text.includes('atexit.register')));
  return spelled;
}

/**
 * The name of a function registered with `atexit` (`atexit.register(f)`, `@atexit.register`), or null. Spelled
 * `atexit.register`: what decides is then only in the statements that spell the function's name (the units
 * incremental analysis links to it), not in how `atexit` was imported.
 */
function registeredAtExit(fn: SyntaxNode, module: ModuleInfo): string | null {
  const name = fn.childForFieldName('name')?.text;
  if (!name || !spellsAtExit(module.root.tree)) return null;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  for (const d of decorated ? namedChildren(decorated).filter((c) => c.type === 'decorator') : []) {
    if (d.namedChildren[0]?.text === 'atexit.register') return name;
  }
  for (const token of tokensSpelled(module.root, name, 'identifier')) {
    const call = token.parent?.type === 'argument_list' ? token.parent.parent : null;
    if (call?.type === 'call' && call.childForFieldName('arguments')?.namedChildren[0]?.id === token.id && call.childForFieldName('function')?.text === 'atexit.register') return name;
  }
  return null;
}

function finish(facts: LoopFacts): LoopFacts {
  let independence: Independence = 'independent';
  if (facts.doubts.length > 0) independence = 'unknown';
  if (facts.rejections.some((r) => DEPENDENCE_KINDS.has(r.kind))) independence = 'dependent';
  facts.independence = independence;
  return facts;
}

// ----------------------------------------------------------------------------------------------- liveness

/** Names among `names` that may be read after the loop before being rebound; with the line of that read. */
export function liveAfter(loop: SyntaxNode, names: Set<string>, module: ModuleInfo): Map<string, number> {
  const live = new Map<string, number>();
  if (names.size === 0) return live;
  const fn = enclosingFunction(loop);
  const scopeBody = fn ? fn.childForFieldName('body')! : module.root;
  const outerLoop = ancestor(loop, (n) => n.type === 'for_statement' || n.type === 'while_statement' || n.id === scopeBody.id);
  const pending = new Set(names);

  type Event = { name: string; index: number; read: boolean; node: SyntaxNode; until?: number };
  // every event names a token inside the node it comes from, at or after `from`, and only names still pending
  // count: a subtree in which none of them is spelled from `from` on is skipped
  const events = (from: number, to: number, spelled: Spelling[]): Event[] => {
    const list: Event[] = [];
    walk(scopeBody, (n) => {
      if (n.endIndex <= from || n.startIndex >= to) return false;
      if (!spelledWithin(spelled, n.startIndex, n.endIndex)) return false;
      if (n.id !== scopeBody.id && SCOPE_TYPES.has(n.type)) {
        if (n.startIndex >= from) for (const r of readsIn(n)) list.push({ name: r.text, index: r.startIndex, read: true, node: r });
        return false;
      }
      if (n.startIndex >= from) {
        // reads are collected here (an identifier is a leaf: readsIn of it is itself or nothing); writes below
        if (n.type === 'identifier' && isReadOccurrence(n)) list.push({ name: n.text, index: n.startIndex, read: true, node: n });
        // `del x` needs `x` bound: it uses the value as much as a read does
        if (n.type === 'delete_statement') for (const name of namesBoundBy(n)) list.push({ name, index: n.startIndex, read: true, node: n });
        // a for target is bound once the iterable is evaluated, and only while its body runs; `except E as e` binds
        // `e` for its handler only (Python deletes it when the handler ends)
        const loopTarget = n.type === 'for_statement';
        const handler = n.type === 'except_clause' ? namedChildren(n).find((c) => c.type === 'block') : undefined;
        const at = loopTarget ? (n.childForFieldName('right')?.endIndex ?? n.endIndex) : handler ? handler.startIndex : n.endIndex;
        for (const name of namesBoundBy(n)) list.push({ name, index: at, read: false, node: n, until: loopTarget || handler ? n.endIndex : undefined });
      }
      return true;
    });
    return list.sort((a, b) => a.index - b.index);
  };
  const unconditional = (write: SyntaxNode) => {
    // the write kills the value only if it runs on every path after the loop (a `with` body always runs)
    for (let p = write.parent; p && p.id !== scopeBody.id; p = p.parent) {
      if (p.type === 'block' && !isAncestorOf(p, loop) && p.parent?.type !== 'with_statement') return false;
    }
    return true;
  };
  // a plain assignment statement in a conditional block (or a later loop's body) still kills the value for the
  // rest of that block: `for q in queries: words = q.split(); use(words)` reads its own `words`
  const killedInBlock = (write: SyntaxNode): SyntaxNode | null => {
    // `with open(p) as out:` in a later loop's body binds its own `out` (before its body) for the rest of that block
    const withStatement = write.type === 'as_pattern' && write.parent?.type === 'with_item' ? ancestor(write, (a) => a.type === 'with_statement') : null;
    if (withStatement) return withStatement.parent && (withStatement.parent.type === 'block' || withStatement.parent.type === 'module') ? withStatement.parent : null;
    if (write.type !== 'assignment' || write.parent?.type !== 'expression_statement') return null;
    let block = write.parent.parent;
    // a `with` body always runs: `with open(p) as f: lines = f.readlines()` binds `lines` for the rest of the block around it
    while (block?.type === 'block' && block.parent?.type === 'with_statement' && block.parent.parent) block = block.parent.parent;
    return block && (block.type === 'block' || block.type === 'module') ? block : null;
  };
  // `if …: x = a` / `else: x = b`: every branch assigns, so after the `if` the loop's value is dead
  const killedByEveryBranch = (block: SyntaxNode, name: string): SyntaxNode | null => {
    const owner = block.parent;
    const ifStatement = owner?.type === 'if_statement' ? owner : owner?.type === 'elif_clause' || owner?.type === 'else_clause' ? owner.parent : null;
    if (ifStatement?.type !== 'if_statement') return null;
    const clauses = ifStatement.childrenForFieldName('alternative').filter((c): c is SyntaxNode => !!c);
    if (!clauses.some((c) => c.type === 'else_clause')) return null;
    const branches = [ifStatement.childForFieldName('consequence'), ...clauses.map((c) => c.childForFieldName(c.type === 'else_clause' ? 'body' : 'consequence'))];
    const assigns = (b: SyntaxNode | null) => !!b && statementsOf(b).some((t) => t.type === 'expression_statement' && t.namedChildren[0]?.type === 'assignment' && t.namedChildren[0].childForFieldName('left')?.text === name);
    return branches.every(assigns) ? ifStatement : null;
  };
  const shadowed = new Map<string, number>();
  const killedUntil = new Map<string, Array<{ from: number; to: number }>>();
  const scan = (list: Event[]) => {
    for (const e of list) {
      if (!pending.has(e.name)) continue;
      if ((shadowed.get(e.name) ?? -1) > e.index) continue;
      if (e.until !== undefined) {
        shadowed.set(e.name, e.until);
        continue;
      }
      if (e.read) {
        if (killedUntil.get(e.name)?.some((k) => k.from <= e.index && e.index < k.to)) continue;
        live.set(e.name, lineOf(e.node));
        pending.delete(e.name);
      } else if (unconditional(e.node)) pending.delete(e.name);
      else {
        const block = killedInBlock(e.node);
        if (block) killedUntil.set(e.name, [...(killedUntil.get(e.name) ?? []), { from: e.index, to: block.endIndex }]);
        const branching = block ? killedByEveryBranch(block, e.name) : null;
        if (branching) {
          const to = unconditional(branching) ? scopeBody.endIndex : (branching.parent?.endIndex ?? branching.endIndex);
          killedUntil.set(e.name, [...(killedUntil.get(e.name) ?? []), { from: branching.endIndex, to }]);
        }
      }
    }
  };
  // where a pending name may appear as a name token (the test is a superset: only ASCII letters and `_` before
  // it, or ASCII letters, digits and `_` after it, rule an occurrence out), in order, one scan of the range per name
  type Spelling = { start: number; end: number; name: string };
  const text = loop.tree.text;
  const word = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const spellings = (from: number, to: number): Spelling[] => {
    const range = text.slice(from, to);
    const found: Spelling[] = [];
    for (const name of pending) {
      for (let i = range.indexOf(name); i >= 0; i = range.indexOf(name, i + 1)) {
        const at = from + i;
        const after = text.charCodeAt(at + name.length);
        if (!word(text.charCodeAt(at - 1)) && !(word(after) || (after >= 48 && after <= 57))) found.push({ start: at, end: at + name.length, name });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  };
  const spelledWithin = (spelled: Spelling[], start: number, end: number): boolean => {
    let lo = 0;
    let hi = spelled.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spelled[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < spelled.length && spelled[i].start < end; i++) if (spelled[i].end <= end && pending.has(spelled[i].name)) return true;
    return false;
  };
  // every event names a token inside the scope from `from` on: where no pending name is spelled, none matters
  const eventsFor = (from: number, to: number) => {
    const spelled = spellings(from, scopeBody.endIndex);
    return spelled.length > 0 ? events(from, to, spelled) : [];
  };
  if (outerLoop && outerLoop.id !== scopeBody.id) {
    scan(eventsFor(loop.endIndex, outerLoop.endIndex));
    const outerBody = outerLoop.childForFieldName('body');
    if (outerBody) {
      // the next pass of an outer `for` first binds its own target: a name it binds is not read from here there
      // (`for i in items:` around `for i in items:` — round 67 called the inner `i` read after the inner loop)
      const rebound = outerLoop.type === 'for_statement' ? namesBoundBy(outerLoop).filter((name) => pending.has(name)) : [];
      rebound.forEach((name) => pending.delete(name));
      scan(eventsFor(outerBody.startIndex, loop.startIndex));
      rebound.forEach((name) => pending.add(name));
    }
    scan(eventsFor(outerLoop.endIndex, scopeBody.endIndex));
  } else {
    scan(eventsFor(loop.endIndex, scopeBody.endIndex));
  }
  if (!fn) {
    // module-level names: any function of the module may read them as globals
    let spelled: Spelling[] | undefined;
    for (const f of moduleFunctions(module)) {
      if (pending.size === 0) break;
      spelled ??= spellings(0, text.length);
      if (!spelledWithin(spelled, f.startIndex, f.endIndex)) continue;
      const scope = scopeOf(f);
      for (const r of readsIn(f.childForFieldName('body') ?? f)) {
        if (pending.has(r.text) && !scope.locals.has(r.text) && !scope.params.has(r.text)) {
          live.set(r.text, lineOf(r));
          pending.delete(r.text);
        }
      }
    }
  }
  return live;
}

const moduleFunctionsCache = new WeakMap<ModuleInfo, SyntaxNode[]>();

/** The functions of the module not nested in another function (methods included), in document order. */
function moduleFunctions(module: ModuleInfo): SyntaxNode[] {
  let functions = moduleFunctionsCache.get(module);
  if (!functions) {
    const found: SyntaxNode[] = [];
    walk(module.root, (n) => {
      if (n.type === 'function_definition') {
        found.push(n);
        return false;
      }
      return !isPlainExpression(n);
    });
    functions = found;
    moduleFunctionsCache.set(module, functions);
  }
  return functions;
}

// ------------------------------------------------------------------------------------------ comprehensions

function analyzeComprehension(node: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, options: AnalysisOptions): LoopFacts {
  const clauses = namedChildren(node).filter((c) => c.type === 'for_in_clause');
  const ifs = namedChildren(node).filter((c) => c.type === 'if_clause');
  const body = node.childForFieldName('body');
  const first = clauses[0];
  const target = first?.childForFieldName('left') ?? null;
  const iterable = first?.childForFieldName('right') ?? null;
  const facts = newFacts('comprehension', node, headerSpan(node, null), target, iterable);
  facts.isAsync = first ? children(first).some((c) => c.type === 'async') : false;
  const reject = (kind: RejectionKind, message: string, remedy: string) => facts.rejections.push({ kind, message, remedy, line: facts.line });
  if (!body || !target || !iterable || node.hasError) {
    reject('unsupported', 'the comprehension contains a syntax error', 'fix the syntax first');
    return finish(facts);
  }
  if (node.type === 'generator_expression') facts.reduction = generatorReduction(node) ?? undefined;
  if (node.type === 'dictionary_comprehension') {
    facts.element = body.childForFieldName('value') ?? undefined;
    facts.elementKey = body.childForFieldName('key') ?? undefined;
  } else facts.element = body;
  if (clauses.length > 1) reject('unsupported', 'the comprehension has several `for` clauses', 'flatten the input first, then map over it');
  if (facts.isAsync) reject('unsupported', 'the comprehension uses `async for`', 'collect the items first');
  if (descendantsNamed(node, ['await', 'named_expression', 'yield']).length > 0) reject('unsupported', 'the comprehension awaits, yields or uses `:=`', 'compute the values in a loop');
  const targetNames = new Set(facts.targetNames);
  const ctx = contextFor(node, module, summaries, (name) => (targetNames.has(name) ? 'item' : undefined));
  const elementNodes = [facts.element, facts.elementKey].filter((n): n is SyntaxNode => !!n);
  const effects = scanRegion(elementNodes, ctx);
  for (const h of hazards(node, facts.iterable ?? null, elementNodes, module, effects)) reject(h.kind, h.message, h.remedy);
  facts.problems = effects.problems;
  for (const p of effects.problems) addProblem(facts, p);
  const evidence: Evidence[] = [...effects.cpu, ...effects.io];
  classify(facts, evidence);
  rejectRateLimit(facts, effects.pace);
  rejectSerialised(facts, effects.serialised);
  rejectSingleSlot(facts, effects.singleSlot, effects.io);
  rejectTimedStandIn(facts, effects);
  const filterEffects = scanRegion(ifs, ctx);
  if (evidence.length === 0 && filterEffects.cpu.length + filterEffects.io.length > 0) {
    reject('unsupported', `the expensive work (\`${filterEffects.cpu[0]?.what ?? filterEffects.io[0]?.what}\`) is in the \`if\` filter, which would stay sequential`, 'map the test over a pool, then filter: `keep = [x for x, ok in zip(xs, executor.map(test, xs)) if ok]`');
  }
  for (const p of filterEffects.problems) addProblem(facts, p);
  facts.freeVariables = freeNames(elementNodes, targetNames, module, ctx.enclosing);
  rejectTrivialOrIdle(facts, effects, module);
  rejectLostCache(facts, elementNodes, module);
  rejectSingleOwner(facts, elementNodes, module, targetNames);
  if (facts.reduction) checkReduction(facts, facts.reduction, module);
  contextLeftBehind(facts, node, module);
  return finish(facts);
}

function freeNames(nodes: SyntaxNode[], bound: Set<string>, module: ModuleInfo, enclosing: SyntaxNode[]): string[] {
  const free: string[] = [];
  for (const r of nodes.flatMap((n) => readsIn(n))) {
    const name = r.text;
    if (bound.has(name) || free.includes(name)) continue;
    const binding = module.bindings.get(name);
    const local = isBoundInFunctions(name, enclosing);
    if (!local && (binding === 'def' || binding === 'class' || binding === 'import' || !binding)) continue;
    free.push(name);
  }
  return free;
}

// --------------------------------------------------------------------------------------- list(map(f, xs))

function isListOfMap(call: SyntaxNode): boolean {
  if (call.childForFieldName('function')?.text !== 'list') return false;
  const args = namedChildren(call.childForFieldName('arguments')!);
  if (args.length !== 1 || args[0].type !== 'call') return false;
  return args[0].childForFieldName('function')?.text === 'map' && namedChildren(args[0].childForFieldName('arguments')!).length >= 2;
}

function analyzeMapCall(node: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, options: AnalysisOptions): LoopFacts {
  const mapCall = namedChildren(node.childForFieldName('arguments')!)[0];
  const [callable, ...iterables] = namedChildren(mapCall.childForFieldName('arguments')!);
  const fn = enclosingFunction(node);
  const facts = newFacts('map-call', node, headerSpan(node, null), null, iterables[0] ?? null);
  facts.knownIterations = iterables.length === 1 ? knownIterations(iterables[0]) : undefined;
  facts.mapCallable = callable;
  facts.mapIterables = iterables;
  if (module.bindings.get('map') || (fn && isBoundInFunctions('map', [fn]))) {
    facts.rejections.push({ kind: 'unsupported', message: '`map` is rebound in this module', remedy: '—', line: facts.line });
    return finish(facts);
  }
  if (iterables.some((i) => i.type === 'keyword_argument' || i.type.endsWith('splat')) || callable.type === 'keyword_argument') {
    facts.rejections.push({ kind: 'unsupported', message: 'unpacked or keyword arguments to `map`', remedy: '—', line: facts.line });
    return finish(facts);
  }
  const ctx = contextFor(node, module, summaries, () => undefined);
  const effects = callable.type === 'lambda' ? scanRegion([callable.childForFieldName('body')!], ctx) : scanRegion([], ctx, { callables: [callable] });
  facts.problems = effects.problems;
  for (const p of effects.problems) addProblem(facts, p);
  classify(facts, [...effects.cpu, ...effects.io]);
  contextLeftBehind(facts, node, module);
  threadSharedItems(facts);
  rejectRateLimit(facts, effects.pace);
  rejectSerialised(facts, effects.serialised);
  rejectSingleSlot(facts, effects.singleSlot, effects.io);
  rejectTimedStandIn(facts, effects);
  if (callable.type === 'lambda') facts.rejections.push({ kind: 'unsupported', message: 'the mapped function is a lambda, which cannot be sent to a worker process', remedy: 'define the function at module level', line: facts.line });
  for (const h of hazards(node, null, [callable], module, effects)) facts.rejections.push({ kind: h.kind, message: h.message, remedy: h.remedy, line: h.line });
  rejectTrivialOrIdle(facts, effects, module);
  rejectLostCache(facts, callable.type === 'lambda' ? [callable] : [], module, callable);
  return finish(facts);
}

/**
 * A doubt short enough for a parenthesis, never cut inside a name or a parenthesis: a chain of calls
 * (`` `a()` (called at line 3): `b()` (called at line 9): cannot see what `c()` does (defined elsewhere) ``) keeps
 * its first call and its innermost reason; other text is cut after a word, with an ellipsis.
 */
export function briefDoubt(message: string, limit = 100): string {
  if (message.length <= limit) return message;
  const first = message.indexOf('): ');
  const last = message.lastIndexOf('): ');
  if (first >= 0) return `${message.slice(0, first + 1)}: ${first === last ? '' : '… '}${message.slice(last + 3)}`;
  const cut = message.lastIndexOf(' ', limit);
  return `${message.slice(0, cut > 0 ? cut : limit)} …`;
}

/**
 * Whether an entry `d[k]` is changed in place where it appears: a store into it (`d[k]["id"] = …`, `d[k].x += 1`)
 * or a method called on it (`d[k].append(…)`), rather than its value read.
 */
function changesEntry(entry: SyntaxNode): boolean {
  const up = entry.parent;
  if (!up || (up.type !== 'subscript' && up.type !== 'attribute') || up.childForFieldName(up.type === 'subscript' ? 'value' : 'object')?.id !== entry.id) return false;
  const holder = up.parent;
  if (up.type === 'attribute' && holder?.type === 'call' && holder.childForFieldName('function')?.id === up.id) return true;
  return (holder?.type === 'assignment' || holder?.type === 'augmented_assignment') && holder.childForFieldName('left')?.id === up.id;
}

/**
 * An item shifted by a constant (`n + 1`, `i - 1`) spelled inside a string or path the body builds: with files
 * written, the file one iteration names after its neighbour may be the one that neighbour reads, renames or
 * deletes (rotating `log.3` → `log.4` while the next iteration moves `log.2` → `log.3`; round 54).
 */
function neighbouringItemPath(nodes: SyntaxNode[], isItem: (name: string) => boolean): SyntaxNode | null {
  for (const root of nodes) {
    for (const op of descendantsNamed(root, 'binary_operator')) {
      if (!['+', '-'].includes(op.childForFieldName('operator')?.text ?? '')) continue;
      const [left, right] = [op.childForFieldName('left'), op.childForFieldName('right')];
      const shifted = (left?.type === 'identifier' && isItem(left.text) && right?.type === 'integer') || (right?.type === 'identifier' && isItem(right.text) && left?.type === 'integer' && op.childForFieldName('operator')?.text === '+');
      if (!shifted) continue;
      // inside text or a path: `str(n + 1)`, `f"{base}.{n + 1}"`, `"log." + str(n - 1)`
      let up: SyntaxNode | null = op.parent;
      for (let i = 0; up && i < 4; i++, up = up.parent) {
        const callee = up.type === 'call' ? up.childForFieldName('function')?.text ?? '' : '';
        if (up.type === 'interpolation' || /^(str|os\.path\.join|Path|pathlib\.Path)$/.test(callee) || /\.format$/.test(callee)) return op;
      }
    }
  }
  return null;
}

/**
 * Whether a local of `fn` read by the loop may have no value when the loop starts: it is not a parameter, no
 * statement binding it before the loop stands outside every condition, try and loop (round 56: a preview folder
 * made only under `if preview_dir:`, its path handed to every worker of the rewrite).
 */
function mayBeUnbound(name: string, loop: SyntaxNode, fn: SyntaxNode): boolean {
  const scope = scopeOf(fn);
  if (!scope.locals.has(name) || scope.params.has(name)) return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  let before = 0;
  let unconditional = false;
  walk(body, (n) => {
    if (unconditional || n.startIndex >= loop.startIndex) return false;
    if (n.id !== body.id && SCOPE_TYPES.has(n.type)) return false;
    if (!namesBoundBy(n).includes(name)) return true;
    before++;
    // a binding in a block of the function's own body, or of a `with` there, runs whenever the loop is reached
    let unguarded = true;
    // `while True: try: x = int(input()); break …`: the retry loop ends only by a `break` after the binding
    const retry = ancestor(n, (a) => a.id === body.id || (a.type === 'while_statement' && /^(True|1)$/.test(a.childForFieldName('condition')?.text ?? '')));
    const boundOnExit = retry?.type === 'while_statement' && !isAncestorOf(retry, loop) && breaksAfter(retry, n);
    // (up to the first block around the loop as well: a condition around both holds for both)
    for (let a = boundOnExit ? retry.parent : n.parent; a && a.id !== body.id && !isAncestorOf(a, loop); a = a.parent) {
      // `try: hm = Manager(p) except …: return`: past the `try`, the name is bound
      if (a.type === 'try_statement' && n.startIndex < (a.childForFieldName('body')?.endIndex ?? 0) && handlersLeave(a)) continue;
      // `if a: x = 1 else: x = 2`: every branch binds it
      if (a.type === 'if_statement' && everyBranchBinds(a, name)) continue;
      if (['if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'for_statement', 'while_statement', 'match_statement', 'case_clause', 'conditional_expression', 'boolean_operator'].includes(a.type)) {
        if ((a.type === 'elif_clause' || a.type === 'else_clause') && a.parent?.type === 'if_statement' && everyBranchBinds(a.parent, name)) continue;
        unguarded = false;
      }
    }
    if (unguarded) unconditional = true;
    return true;
  });
  return before > 0 && !unconditional;
}

/** Whether every `except` of a `try` leaves the function or the loop (ends with `return`, `raise`, `continue`, `break`), and no `else`/`finally` binds instead. */
function handlersLeave(statement: SyntaxNode): boolean {
  const handlers = namedChildren(statement).filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
  return handlers.length > 0 && handlers.every((h) => {
    const block = namedChildren(h).find((c) => c.type === 'block');
    const last = block ? namedChildren(block).filter((c) => c.type !== 'comment').pop() : undefined;
    return !!last && ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type);
  });
}

/** Whether an `if` has an `else` and each of its branches binds `name` (outside nested scopes). */
function everyBranchBinds(statement: SyntaxNode, name: string): boolean {
  const branches = [statement.childForFieldName('consequence'), ...namedChildren(statement).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause').map((c) => c.childForFieldName('consequence') ?? c.childForFieldName('body'))];
  if (!namedChildren(statement).some((c) => c.type === 'else_clause')) return false;
  return branches.every((b) => {
    if (!b) return false;
    let bound = false;
    walk(b, (n) => {
      if (bound || SCOPE_TYPES.has(n.type)) return false;
      if (namesBoundBy(n).includes(name)) bound = true;
      return !bound;
    });
    return bound;
  });
}

/** Whether every `break` of a `while` loop (not of a loop inside it) comes after `binding`, in a block that holds it. */
function breaksAfter(loop: SyntaxNode, binding: SyntaxNode): boolean {
  const breaks = descendantsNamed(loop, 'break_statement').filter((b) => ancestor(b, (a) => a.type === 'for_statement' || a.type === 'while_statement')?.id === loop.id);
  return breaks.length > 0 && breaks.every((b) => b.startIndex > binding.endIndex && !!b.parent && isAncestorOf(b.parent, binding));
}
