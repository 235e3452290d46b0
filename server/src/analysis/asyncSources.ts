// Where the items of an `async for` come from. Gathering the loop's awaits collects every item first, which is
// the same only when the source ends on its own and nothing needs the loop to keep pace with it. An async
// generator of this module whose code shows that it ends, without pausing between its items or changing state the
// body could read, is seen; one looping `while True` with no way out never ends; one pausing between its items paces
// the loop; any other source (an imported iterator, a stream, a connection, a class's `__anext__`) is not seen.
import type { SyntaxNode } from '../parser';
import { children, lineOf, namedChildren, SCOPE_TYPES, walk } from '../syntax';
import { describeEvidence, type FunctionSummaries, scanRegion } from './effects';
import { importedName, type ModuleInfo, scopeOf } from './scope';

export type AsyncSource =
  /** An async generator of this module that ends, as far as its code shows. */
  | { kind: 'finite'; generator: string }
  /** An async generator of this module that can never end: `while True` with no `break`, `return` or `raise`. */
  | { kind: 'endless'; generator: string; line: number; loop: string }
  /** An async generator of this module that pauses between its items (a rate limit on the loop). */
  | { kind: 'paced'; generator: string; line: number; pause: string }
  /** Anything else: why the analysis cannot tell that the source ends. */
  | { kind: 'unseen'; why: string };

/** Iterators that never end by themselves (`itertools.count()`), looped over in a generator. */
const ENDLESS_ITERATORS = new Set(['itertools.count', 'itertools.cycle', 'itertools.repeat']);

/** Coroutines followed into when a generator awaits them (deeper ones count as not seen). */
const MAX_DEPTH = 3;

export function asyncSource(iterable: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, fn: SyntaxNode | null): AsyncSource {
  const callee = iterable.type === 'call' ? iterable.childForFieldName('function') : null;
  const shown = iterable.text.split('\n')[0].slice(0, 40);
  if (callee?.type !== 'identifier') return { kind: 'unseen', why: `\`${shown}\` is not a call of an async generator defined in this module` };
  const name = callee.text;
  const local = fn && (scopeOf(fn).locals.has(name) || scopeOf(fn).params.has(name));
  const def = local ? undefined : module.functions.get(name);
  if (!def || !isAsyncDef(def)) {
    const binding = local ? undefined : module.bindings.get(name);
    const what = binding === 'import' ? 'imported' : binding === 'class' ? 'a class: what its `__anext__` does is not followed' : binding === 'def' ? 'a plain `def`: the iterator it returns is not followed' : 'not defined in this module';
    return { kind: 'unseen', why: `\`${name}\` is ${what}` };
  }
  if (!yieldsInOwnFrame(def)) return { kind: 'unseen', why: `\`${name}\` is an \`async def\` that does not \`yield\`: the iterator it returns is not seen` };
  const endless = endlessLoop(def);
  if (endless) return { kind: 'endless', generator: name, line: lineOf(endless), loop: endless.text.split('\n')[0].replace(/:\s*$/, '') };
  const paused = pause(def, module);
  if (paused) return { kind: 'paced', generator: name, line: lineOf(paused), pause: paused.text.split('\n')[0] };
  const why = whyNotFinishing(def, module, summaries, 0);
  return why ? { kind: 'unseen', why: `\`${name}\` ${why}` } : { kind: 'finite', generator: name };
}

/**
 * `await asyncio.sleep(d)` as a statement of the generator's own frame, `d` other than 0: a pause between items,
 * which spaces out the loop's work as a rate limit does (`asyncio.sleep(0)` only lets other tasks run).
 */
function pause(def: SyntaxNode, module: ModuleInfo): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  ownFrame(def, (n) => {
    if (found || n.type !== 'await' || !n.isNamed || n.parent?.type !== 'expression_statement') return;
    const call = n.namedChildren[0];
    const f = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!f || importedName(f.text, module) !== 'asyncio.sleep') return;
    const delay = call!.childForFieldName('arguments')?.namedChildren[0];
    if (!delay || !/^0(\.0*)?$/.test(delay.text)) found = n;
  });
  return found;
}

function isAsyncDef(def: SyntaxNode): boolean {
  return children(def).some((c) => c.type === 'async');
}

/** The nodes of a function's own frame (nested functions, classes, lambdas and comprehensions left out). */
function ownFrame(def: SyntaxNode, visit: (n: SyntaxNode) => void): void {
  const body = def.childForFieldName('body');
  if (!body) return;
  walk(body, (n) => {
    if (SCOPE_TYPES.has(n.type)) return false;
    visit(n);
    return true;
  });
}

function yieldsInOwnFrame(def: SyntaxNode): boolean {
  let found = false;
  ownFrame(def, (n) => {
    if (n.type === 'yield' && n.isNamed) found = true;
  });
  return found;
}

/** A `while True:` (or `while 1:`) of the generator's own frame that nothing leaves: no `break` of it, no `return`, no `raise`. */
function endlessLoop(def: SyntaxNode): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  ownFrame(def, (n) => {
    if (found || n.type !== 'while_statement') return;
    const condition = n.childForFieldName('condition');
    if (!condition || !/^(True|[1-9]\d*)$/.test(condition.text)) return;
    if (n.childForFieldName('alternative')) return;
    if (!leaves(n)) found = n;
  });
  return found;
}

/** Whether something in a loop ends it or the frame: a `break` of this loop, a `return` or a `raise`. */
function leaves(loop: SyntaxNode): boolean {
  let exit = false;
  const visit = (n: SyntaxNode, inner: boolean) => {
    for (const c of namedChildren(n)) {
      if (exit || SCOPE_TYPES.has(c.type)) continue;
      if (c.type === 'return_statement' || c.type === 'raise_statement' || (c.type === 'break_statement' && !inner)) exit = true;
      else visit(c, inner || c.type === 'for_statement' || c.type === 'while_statement');
    }
  };
  visit(loop.childForFieldName('body') ?? loop, false);
  return exit;
}

/**
 * Why a coroutine of this module may not finish on its own (null: it does, as far as its code shows): it loops
 * `while` a condition holds, reads another asynchronous source, loops over an endless iterator, awaits something
 * other than `asyncio.sleep` or a coroutine of this module that finishes, or does what the analysis cannot see.
 */
function whyNotFinishing(def: SyntaxNode, module: ModuleInfo, summaries: FunctionSummaries, depth: number): string | null {
  let why: string | null = null;
  const scope = scopeOf(def);
  ownFrame(def, (n) => {
    if (why) return;
    if (n.type === 'while_statement') why = `loops \`${n.text.split('\n')[0].replace(/:\s*$/, '')}\` (line ${lineOf(n)}): how long is not shown`;
    else if (n.type === 'for_statement' && children(n).some((c) => c.type === 'async')) why = `reads another asynchronous source (\`async for\`, line ${lineOf(n)})`;
    else if (n.type === 'for_statement') {
      const iterable = n.childForFieldName('right');
      const f = iterable?.type === 'call' ? iterable.childForFieldName('function') : null;
      const qualified = f ? importedName(f.text, module) : null;
      if (qualified && ENDLESS_ITERATORS.has(qualified)) why = `loops over \`${qualified}(…)\` (line ${lineOf(n)}), which never ends by itself`;
    } else if (n.type === 'await' && n.isNamed) {
      const awaited = n.namedChildren[0];
      const f = awaited?.type === 'call' ? awaited.childForFieldName('function') : null;
      if (f && importedName(f.text, module) === 'asyncio.sleep') return;
      const callee = f?.type === 'identifier' && !scope.locals.has(f.text) && !scope.params.has(f.text) ? module.functions.get(f.text) : undefined;
      const deeper = callee && isAsyncDef(callee) && !yieldsInOwnFrame(callee) && callee.id !== def.id && depth < MAX_DEPTH ? whyNotFinishing(callee, module, summaries, depth + 1) : 'not followed';
      if (deeper) why = `awaits \`${(awaited ?? n).text.split('\n')[0].slice(0, 40)}\` (line ${lineOf(n)}), which may wait for as long as something outside this code decides`;
    }
  });
  if (why) return why;
  // what it calls: every call seen, and no wait other than a pause (a blocking read waits for the outside world)
  const body = def.childForFieldName('body');
  const effects = scanRegion(body ? [body] : [], { module, summaries, enclosing: [def], role: (n) => (scope.params.has(n) ? 'param' : scope.locals.has(n) ? 'fresh' : module.bindings.get(n) === 'import' ? 'module' : 'shared') });
  const unseen = effects.problems.find((p) => p.kind === 'unknown');
  if (unseen) return `calls what the analysis cannot see through (${unseen.message}, line ${unseen.line})`;
  // state it changes while producing items: the body would see it changed by every item, not by the earlier ones
  const change = effects.problems[0];
  if (change) return `changes state as it produces its items (${change.message}, line ${change.line}), and the loop's body could see it`;
  const param = [...effects.mutatedParams][0];
  if (param) return `changes its argument \`${param}\` as it produces its items, and the loop's body could see it`;
  const wait = effects.io.find((e) => !/\basyncio\.sleep$/.test(describeEvidence(e)));
  if (wait) return `waits on \`${describeEvidence(wait)}\` (line ${wait.line}), which may take as long as something outside this code decides`;
  return null;
}
