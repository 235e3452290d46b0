// Mechanical fixes for risks in parallel code: threads → processes, unpicklable callables → module-level
// functions, the `__main__` guard, `with` blocks, bounded workers, and observed futures.
import { readsIn } from '../analysis/dependence';
import type { PoolConstruction } from '../analysis/executors';
import type { ModuleAnalysis } from '../analysis/loops';
import { globalReader, importedName, scopeOf } from '../analysis/scope';
import { lookupCall } from '../analysis/knowledge';
import type { SyntaxNode } from '../parser';
import { PicklingProver } from '../rules/pickling';
import type { Finding } from '../rules/types';
import { workerFunctions } from '../rules/riskRules';
import { enclosingFunction, isAncestorOf, lineIndent, namedChildren, operandText, statementsOf, tokensSpelled, walk } from '../syntax';
import { definitionBlock, definitionInsertPoint, namesInScope, type RewriteResult, standalone } from './loopRewrite';
import { manglePrivateNames } from './mangling';
import { ensureImports, ensureMainGuard, guardDoubt, type ImportNeed, type Parse } from './module';
import { applySplices, freshName, indentUnit, lineEnd, lineStart, reindent, type Splice, stringContinuationRows } from './text';

export interface RiskRewriteInput {
  text: string;
  analysis: ModuleAnalysis;
  finding: Finding;
  parse: Parse;
}

function fileUnit(text: string, analysis: ModuleAnalysis): string {
  const firstDef = analysis.module.root.descendantsOfType('function_definition')[0];
  return firstDef ? indentUnit(text, firstDef) : '    ';
}

export function rewriteRisk(input: RiskRewriteInput): RewriteResult {
  const { finding } = input;
  switch (finding.fixes[0]?.pattern) {
    case 'swap-to-processes':
      return swapToProcesses(input);
    case 'extract-callable':
      return extractCallable(input);
    case 'main-guard': {
      const guard = ensureMainGuard(input.text, input.parse, fileUnit(input.text, input.analysis));
      // a global the workers read, assigned only inside the new guard: a spawned worker imports the module without it
      const pool = input.finding.risk?.pool;
      if (pool) {
        // a worker defined in the same module-level statement that starts the workers (a `def` in a `for` loop's
        // body): that statement goes under the guard, and the worker's function with it
        let top: SyntaxNode = pool.call;
        while (top.parent && top.parent.type !== 'module') top = top.parent;
        const names = new Set(pool.uses.map((u) => u.callable).filter((c): c is SyntaxNode => c?.type === 'identifier').map((c) => c.text));
        const inside = top.type === 'decorated_definition' || top.type === 'function_definition' || top.type === 'class_definition' ? undefined : top.descendantsOfType('function_definition').find((d) => names.has(d.childForFieldName('name')?.text ?? ''));
        if (inside) {
          return { ok: false, reason: `the worker \`${inside.childForFieldName('name')?.text}\` is defined inside the module-level \`${top.type.replace(/_statement$/, '')}\` (line ${top.startPosition.row + 1}) that the new \`if __name__ == "__main__":\` guard would take in: a worker started by spawn imports the module and cannot find it. Define it at the top level of the module` };
        }
      }
      for (const { fn } of pool ? workerFunctions(pool, input.analysis) : []) {
        const missing = [...guard.guardedNames].find((n) => !guard.rebound?.has(n) && input.analysis.module.bindings.has(n) && globalReader(fn, n));
        if (missing) {
          return { ok: false, reason: `the worker \`${fn.childForFieldName('name')?.text}\` reads the global \`${missing}\`, which the new \`if __name__ == "__main__":\` guard would take in: a worker started by spawn imports the module without it (NameError). Assign \`${missing}\` above the pool's start (outside the guard), or pass it to the workers` };
        }
      }
      const moved = guardDoubt(guard, input.analysis.module.bindings);
      const repeated = repeatedAtImport(input.analysis, guard.guardedNames);
      return guard.wrapped ? { ok: true, text: guard.text, doubts: [...(moved ? [moved] : []), ...repeated] } : { ok: false, reason: 'nothing to guard' };
    }
    case 'with-block':
      return withBlock(input);
    case 'bound-workers':
      return boundWorkers(input);
    case 'observe-futures':
      return observeFutures(input);
    default:
      return { ok: false, reason: 'no mechanical fix' };
  }
}

/**
 * Module-level assignments the new guard leaves where they are (workers may read them) whose value waits on I/O:
 * a function of this file that fetches or runs a program, or a library call known to (`pages = get_pages()`). A spawned
 * worker imports the module and runs them again (round 36: a crawler's index page fetched by each of ten workers).
 */
function repeatedAtImport(analysis: ModuleAnalysis, guardedNames: ReadonlySet<string>): string[] {
  const module = analysis.module;
  // the network or another program: a local file read again is cheap, and a value workers may need
  const slow = (waits: string | undefined) => waits === 'network' || waits === 'process';
  const said: string[] = [];
  for (const statement of namedChildren(module.root)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    if (!left || readsIn(left).some((n) => guardedNames.has(n.text)) || (left.type === 'identifier' && guardedNames.has(left.text))) continue;
    const waiting = assignment.descendantsOfType('call').find((call) => {
      const callee = call?.childForFieldName('function');
      if (!callee) return false;
      const own = callee.type === 'identifier' ? module.functions.get(callee.text) : undefined;
      if (own) return slow(analysis.summaries.get(own).io?.waits);
      const qualified = importedName(callee.text, module);
      return !!qualified && slow(lookupCall(qualified)?.waits);
    });
    if (waiting) said.push(`\`${statement.text.split('\n')[0].slice(0, 50)}\` (line ${statement.startPosition.row + 1}) stays outside the guard, where workers can import its value: each worker started by spawn runs it again (\`${waiting.childForFieldName('function')!.text}()\` waits on the network or another program) — move it under the guard if the workers do not read it`);
  }
  return said;
}

function swapToProcesses({ text, analysis, finding, parse }: RiskRewriteInput): RewriteResult {
  const pool = finding.risk!.pool;
  const fn = pool.call.childForFieldName('function')!;
  const imports: ImportNeed[] = [];
  let replacement: string;
  const splices: Splice[] = [];
  if (pool.api === 'ThreadPoolExecutor') {
    if (fn.type === 'identifier') {
      replacement = 'ProcessPoolExecutor';
      const uses = analysis.module.root.descendantsOfType('identifier').filter((i) => i.text === 'ThreadPoolExecutor');
      const imported = uses.find((i) => i.parent?.type === 'dotted_name' && i.parent.parent?.type === 'import_from_statement');
      const remaining = uses.filter((i) => i.id !== fn.id && i.id !== imported?.id);
      if (imported && remaining.length === 0 && !analysis.module.bindings.has('ProcessPoolExecutor')) {
        // the thread pool was the import's only use: import the process pool in its place
        splices.push({ start: imported.startIndex, end: imported.endIndex, text: 'ProcessPoolExecutor' });
      } else imports.push({ from: 'concurrent.futures', name: 'ProcessPoolExecutor' });
    } else replacement = fn.text.replace(/ThreadPoolExecutor$/, 'ProcessPoolExecutor');
  } else {
    if (fn.type === 'identifier') {
      replacement = 'Pool';
      imports.push({ from: 'multiprocessing', name: 'Pool' });
    } else replacement = fn.text.replace(/(\.pool)?\.ThreadPool$|\.dummy\.Pool$/, '.Pool');
  }
  let out = applySplices(text, [...splices, { start: fn.startIndex, end: fn.endIndex, text: replacement }]);
  const guard = ensureMainGuard(out, parse, fileUnit(text, analysis));
  const moved = guardDoubt(guard, analysis.module.bindings);
  return { ok: true, text: ensureImports(guard.text, imports, parse), doubts: moved ? [moved] : [] };
}

/** Names a lambda or nested function reads from the enclosing function (they become parameters). */
function capturedNames(node: SyntaxNode, own: Set<string>, enclosing: SyntaxNode | null): string[] {
  if (!enclosing) return [];
  const scope = scopeOf(enclosing);
  const names: string[] = [];
  for (const r of readsIn(node)) {
    if (own.has(r.text) || names.includes(r.text)) continue;
    if (scope.locals.has(r.text) || scope.params.has(r.text)) names.push(r.text);
  }
  return names;
}

function extractCallable({ text, analysis, finding, parse }: RiskRewriteInput): RewriteResult {
  const use = finding.risk!.use!;
  const callable = use.callable!;
  const pool = finding.risk!.pool;
  const used = new Set(analysis.module.identifiers);
  const unit = fileUnit(text, analysis);
  const splices: Splice[] = [];
  const imports: ImportNeed[] = [];
  let name: string;
  let captured: string[];
  let definition: string;
  if (callable.type === 'lambda') {
    const params = callable.childForFieldName('parameters');
    const paramNames = params ? namedChildren(params).map((p) => (p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? p.text)) : [];
    const body = callable.childForFieldName('body')!;
    captured = capturedNames(body, new Set(paramNames), pool.function);
    // named after what it computes: `squares = list(ex.map(lambda …))` → `_compute_squares`
    let assigned: string | null = null;
    for (let p = use.call.parent; p && p.type !== 'block' && p.type !== 'module'; p = p.parent) {
      if (p.type === 'assignment' && p.childForFieldName('left')?.type === 'identifier') assigned = p.childForFieldName('left')!.text.replace(/^_+/, '');
    }
    name = freshName(assigned ? `_compute_${assigned}` : '_work_item', used);
    definition = `def ${name}(${[params?.text ?? '', ...captured].filter(Boolean).join(', ')}):\n${unit}return ${standalone(body)}`;
  } else {
    // a nested def: move it to module level, its captured names become parameters
    let nested: SyntaxNode | null = null;
    walk(pool.function!.childForFieldName('body')!, (n) => {
      if (!nested && n.type === 'function_definition' && n.childForFieldName('name')?.text === callable.text) nested = n;
      return !nested;
    });
    if (!nested) return { ok: false, reason: 'nested function not found' };
    const def = nested as SyntaxNode;
    const fnScope = scopeOf(def);
    // referenced anywhere but at the pool call: moving it would break those uses
    const others = pool.function!.descendantsOfType('identifier').filter((i) => i.text === callable.text && i.id !== callable.id && i.parent?.id !== def.id);
    if (others.length > 0) return { ok: false, reason: `\`${callable.text}\` is also used elsewhere in the function` };
    // a name it rebinds in the enclosing function (`nonlocal`) would be rebound in a copy, and the parent never sees it
    if (fnScope.nonlocals.size > 0) return { ok: false, reason: `\`${callable.text}\` rebinds \`${[...fnScope.nonlocals][0]}\` of the enclosing function (\`nonlocal\`): moved to module level, it could not` };
    // a name it declares `global` is the module's, whatever the enclosing function binds alike (round 59: a pool
    // initializer's per-worker state): not captured, and a parameter of that name would not compile
    captured = capturedNames(def.childForFieldName('body')!, new Set([...fnScope.params, ...fnScope.locals, ...fnScope.globals]), pool.function);
    // its own name is free once it moves, when no code outside the function spells it (`_2` only for a real clash)
    const preferred = `_${callable.text.replace(/^_+/, '')}`;
    if (preferred === callable.text && tokensSpelled(analysis.module.root, callable.text, 'identifier').every((t) => isAncestorOf(pool.function!, t))) used.delete(preferred);
    name = freshName(preferred, used);
    const defIndent = lineIndent(text, def);
    const start = lineStart(text, def.startIndex);
    const block = text.slice(start, def.endIndex);
    const params = def.childForFieldName('parameters')!;
    const paramList = params.text.slice(1, -1).trim();
    let moved = reindent(block, defIndent, '', def.startPosition.row, stringContinuationRows(analysis.module.root));
    moved = moved.replace(/^(\s*(?:async\s+)?def\s+)[A-Za-z_][A-Za-z0-9_]*\s*\([^]*?\)(\s*(?:->[^:]+)?:)/, (_m, head: string, tail: string) => `${head}${name}(${[paramList, ...captured].filter(Boolean).join(', ')})${tail}`);
    definition = moved;
    splices.push({ start, end: lineEnd(text, def.endIndex - 1), text: '' });
  }
  // the captured values travel to each worker by pickling too: a nested function among them fails the same way
  const prover = new PicklingProver(analysis);
  const doubts: string[] = [];
  for (const c of captured) {
    const verdict = prover.name(c, pool.function);
    if (verdict === 'no') return { ok: false, reason: `\`${c}\`, which it captures, is a lambda, a local function or a generator: passed to the workers, it cannot be pickled either` };
    if (verdict === 'unknown') doubts.push(`cannot prove that \`${c}\`, which the extracted function is given, can be pickled (it is sent to the worker)`);
  }
  let replacement = name;
  if (captured.length > 0) {
    imports.push({ from: 'functools', name: 'partial' });
    replacement = `partial(${name}, ${captured.map((c) => `${c}=${c}`).join(', ')})`;
  }
  splices.push({ start: callable.startIndex, end: callable.endIndex, text: replacement });
  const at = definitionInsertPoint(text, pool.call);
  splices.push({ start: at, end: at, text: definitionBlock(text, at, manglePrivateNames(definition, callable, parse)) });
  let out = applySplices(text, splices);
  const guard = ensureMainGuard(out, parse, unit);
  const moved = guardDoubt(guard, analysis.module.bindings);
  return { ok: true, text: ensureImports(guard.text, imports, parse), doubts: [...doubts, ...(moved ? [moved] : [])] };
}

/**
 * The statements a `with` block must cover: from the pool's assignment to the last statement of the same
 * block that uses it — or why its lifetime is not local.
 */
export function withBlockPlan(pool: PoolConstruction, analysis: ModuleAnalysis): { siblings: SyntaxNode[]; index: number; last: number } | { reason: string } {
  if (pool.binding.kind !== 'name') return { reason: 'not bound to a local name' };
  const { name, statement } = pool.binding;
  const siblings = statementsOf(statement.parent!);
  const index = siblings.findIndex((s) => s.id === statement.id);
  // what is made from the pool lives on it: `results = executor.map(…)` is read lazily, `submit = pool.submit`
  // sends to it; the block must end after their last use too, or the program would wait (or stop the pool) earlier
  const derived = derivedFrom(name, siblings.slice(index + 1));
  let last = index;
  siblings.forEach((s, i) => {
    if (i > index && s.descendantsOfType('identifier').some((id) => derived.has(id.text))) last = i;
  });
  // the names must not be used outside this block after the pool is created
  const scope = pool.function ? pool.function.childForFieldName('body')! : analysis.module.root;
  const outside = scope.descendantsOfType('identifier').find((id) => derived.has(id.text) && id.startIndex > siblings[last].endIndex);
  if (outside) return { reason: `\`${outside.text}\`${outside.text === name ? '' : ` (made from \`${name}\`)`} is used after the block, so the pool's lifetime is not local` };
  // a function of the file reading one of them as a global can run at any time, after the block ended
  for (const derivedName of derived) {
    if (pool.function) continue;
    const reader = globalReader(analysis.module.root, derivedName);
    if (reader) return { reason: `\`${derivedName}\`${derivedName === name ? '' : ` (made from \`${name}\`)`} is read by \`${enclosingFunction(reader)!.childForFieldName('name')?.text}()\` (line ${reader.startPosition.row + 1}), which can run after a \`with\` block ended` };
  }
  return { siblings, index, last };
}

/** Methods whose value no longer depends on the pool: a future's result, an AsyncResult's value. */
const SETTLED = new Set(['result', 'get', 'exception', 'done', 'wait', 'successful', 'ready', 'cancel', 'cancelled', 'running']);
/** Calls that consume an iterator there and then. */
const CONSUMERS = new Set(['list', 'tuple', 'set', 'dict', 'sorted', 'sum', 'min', 'max', 'any', 'all', 'len']);

/**
 * Whether a value still depends on the running pool: the pool or a name made from it, one of their attributes
 * (`pool.submit`), or a call of their methods (`executor.map(…)`, `pool.submit(…)`) not consumed on the spot
 * (`list(executor.map(…))`) nor settled (`future.result()`), possibly inside a comprehension.
 */
function tiedToPool(value: SyntaxNode, derived: ReadonlySet<string>): boolean {
  if (value.type === 'identifier') return derived.has(value.text);
  const owner = (attribute: SyntaxNode) => attribute.childForFieldName('object');
  if (value.type === 'attribute') {
    const object = owner(value);
    return !!object && object.type === 'identifier' && derived.has(object.text);
  }
  return value.descendantsOfType('call').some((call) => {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || SETTLED.has(fn.childForFieldName('attribute')?.text ?? '')) return false;
    const object = owner(fn);
    if (object?.type !== 'identifier' || !derived.has(object.text)) return false;
    const consumer = call.parent?.type === 'argument_list' ? call.parent.parent?.childForFieldName('function') : null;
    return !(consumer?.type === 'identifier' && CONSUMERS.has(consumer.text));
  });
}

/** `name` and the names assigned, in `statements`, from values that still depend on the pool. */
function derivedFrom(name: string, statements: SyntaxNode[]): Set<string> {
  const derived = new Set([name]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of statements) {
      for (const assignment of s.descendantsOfType('assignment')) {
        const right = assignment.childForFieldName('right');
        const left = assignment.childForFieldName('left');
        if (!right || !left || !tiedToPool(right, derived)) continue;
        for (const id of left.type === 'identifier' ? [left] : left.descendantsOfType('identifier')) {
          if (id.parent?.type === 'attribute' || id.parent?.type === 'subscript' || derived.has(id.text)) continue;
          derived.add(id.text);
          changed = true;
        }
      }
    }
  }
  return derived;
}

function withBlock({ text, analysis, finding }: RiskRewriteInput): RewriteResult {
  const pool = finding.risk!.pool;
  const plan = withBlockPlan(pool, analysis);
  if ('reason' in plan) return { ok: false, reason: plan.reason };
  if (pool.binding.kind !== 'name') return { ok: false, reason: 'not bound to a local name' };
  const { name, statement } = pool.binding;
  const { siblings, index, last } = plan;
  const ind = lineIndent(text, statement);
  const unit = fileUnit(text, analysis);
  const header = `with ${pool.call.text} as ${name}:`;
  // from the line after the pool's statement: comments between it and the next statement move into the block too
  const startOfRest = siblings[index + 1] ? Math.min(lineEnd(text, statement.endIndex), lineStart(text, siblings[index + 1].startIndex)) : lineStart(text, statement.endIndex);
  const splices: Splice[] = [{ start: statement.startIndex, end: statement.endIndex, text: header }];
  if (last > index) {
    const end = siblings[last].endIndex;
    const body = text.slice(startOfRest, end);
    const firstRow = text.slice(0, startOfRest).split('\n').length - 1;
    splices.push({ start: startOfRest, end, text: reindent(body, ind, ind + unit, firstRow, stringContinuationRows(analysis.module.root)) });
  } else {
    splices.push({ start: statement.endIndex, end: statement.endIndex, text: `\n${ind}${unit}pass` });
  }
  return { ok: true, text: applySplices(text, splices), doubts: [] };
}

function boundWorkers({ text, finding, parse }: RiskRewriteInput): RewriteResult {
  const pool = finding.risk!.pool;
  const arg = pool.workers!;
  const bounded = pool.kind === 'process' ? `min(${arg.text}, os.cpu_count() or 1)` : `min(32, ${arg.text})`;
  const out = applySplices(text, [{ start: arg.startIndex, end: arg.endIndex, text: bounded }]);
  return { ok: true, text: pool.kind === 'process' ? ensureImports(out, [{ module: 'os' }], parse) : out, doubts: [] };
}

function observeFutures({ text, analysis, finding, parse }: RiskRewriteInput): RewriteResult {
  const use = finding.risk!.use!;
  const loop = use.call.parent!.parent!.parent!;
  const target = loop.childForFieldName('left')!;
  const iterable = loop.childForFieldName('right')!;
  const used = namesInScope(loop, analysis);
  const futures = freshName('futures', used);
  const future = freshName('future', used);
  const ind = lineIndent(text, loop);
  const unit = fileUnit(text, analysis);
  const lines = [
    `${futures} = [${use.call.text} for ${target.text} in ${operandText(iterable)}]`,
    `${ind}for ${future} in as_completed(${futures}):`,
    `${ind}${unit}try:`,
    `${ind}${unit}${unit}${future}.result()`,
    `${ind}${unit}except Exception:`,
    `${ind}${unit}${unit}logging.getLogger(__name__).exception("task failed")`,
  ];
  const out = applySplices(text, [{ start: loop.startIndex, end: loop.endIndex, text: lines.join('\n') }]);
  return { ok: true, text: ensureImports(out, [{ module: 'logging' }, { from: 'concurrent.futures', name: 'as_completed' }], parse), doubts: [] };
}
