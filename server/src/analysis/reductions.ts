// Generator expressions consumed whole, in order, by a reduction: `sum(f(x) for x in xs)`, `max(…)`, `min(…)`,
// `any(…)`, `all(…)`, `sorted(…)`, `list/tuple/set/frozenset(…)` and `"sep".join(…)`. Such a generator runs every
// element where the reduction is called, so it can be analysed as a comprehension: the elements computed in a
// pool (`executor.map`, results in input order) reach the reduction exactly as the generator gave them.
import type { SyntaxNode } from '../parser';
import { enclosingFunction, lineOf, namedChildren } from '../syntax';
import type { LoopFacts } from './model';
import { scopeOf, type ModuleInfo } from './scope';

/** Builtins that consume their iterable argument whole (or up to a decided answer, for `any`/`all`), in order. */
const REDUCERS = new Set(['sum', 'max', 'min', 'any', 'all', 'sorted', 'list', 'tuple', 'set', 'frozenset']);

/** Reducers that stop at the first element deciding the answer (a truthy one for `any`, a falsy one for `all`). */
const SHORT_CIRCUIT = new Set(['any', 'all']);

export interface GeneratorReduction {
  /** The call consuming the generator (`sum(…)`, `"".join(…)`). */
  call: SyntaxNode;
  /** How it is spelled for messages: `sum`, `"".join`. */
  reducer: string;
  /** `any` / `all`: it may stop before the last element. */
  shortCircuit: boolean;
  /** The generator is the call's whole argument list (`sum(f(x) for x in xs)`), not a parenthesised argument. */
  bare: boolean;
}

/** The call a generator expression is the first argument of, and whether it is the bare `f(x for x in xs)` form. */
function consumingCall(gen: SyntaxNode): { call: SyntaxNode; bare: boolean } | null {
  const parent = gen.parent;
  if (parent?.type === 'call' && parent.childForFieldName('arguments')?.id === gen.id) return { call: parent, bare: true };
  if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
    const args = namedChildren(parent).filter((a) => a.type !== 'comment');
    if (args[0]?.id === gen.id) return { call: parent.parent, bare: false };
  }
  return null;
}

/**
 * The reduction consuming `gen` whole, or null. Syntax only: whether the reducer's name is the builtin (not
 * rebound in the module or the function) is `rebound`'s question, asked by the analysis.
 */
export function generatorReduction(gen: SyntaxNode): GeneratorReduction | null {
  if (gen.type !== 'generator_expression') return null;
  const found = consumingCall(gen);
  if (!found) return null;
  const { call, bare } = found;
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier' && REDUCERS.has(fn.text)) {
    // `max(gen, key=…)`, `sum(gen, start)`: the other arguments are used in the parent as before; `sorted`'s
    // and `max`'s `key` runs in the parent too
    return { call, reducer: fn.text, shortCircuit: SHORT_CIRCUIT.has(fn.text), bare };
  }
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join' && bare) {
    // only a literal separator is surely a `str` (`os.path.join(gen)` is not this join)
    const sep = fn.childForFieldName('object');
    if (sep?.type === 'string' && !namedChildren(sep).some((c) => c.type === 'interpolation')) return { call, reducer: `${sep.text}.join`, shortCircuit: false, bare };
  }
  return null;
}

/** Whether the reducer's builtin name is rebound where the call is (a module binding or a local). */
export function reducerRebound(reduction: GeneratorReduction, module: ModuleInfo): boolean {
  const fn = reduction.call.childForFieldName('function');
  if (fn?.type !== 'identifier') return false;
  if (module.bindings.has(fn.text)) return true;
  for (let f = enclosingFunction(reduction.call); f; f = enclosingFunction(f)) {
    if (scopeOf(f).locals.has(fn.text) || scopeOf(f).params.has(fn.text)) return true;
  }
  return false;
}

/**
 * What a reduction adds to a generator's facts: a rebound reducer is not the builtin; `any`/`all` stop at the
 * element that decides, so the pool computing the elements after it must not change anything (the element is
 * proven pure, else the generator is rejected), and the work it does past that point may cost the speed-up.
 * Called once the element's effects are known (its doubts are the analysis's, not the cost model's yet).
 */
export function checkReduction(facts: LoopFacts, reduction: GeneratorReduction, module: ModuleInfo): void {
  const line = lineOf(reduction.call);
  if (reducerRebound(reduction, module)) {
    facts.rejections.push({ kind: 'unsupported', message: `\`${reduction.reducer}\` is rebound here: not the builtin reduction`, remedy: 'use the builtin, or a `for` loop', line });
    return;
  }
  if (!reduction.shortCircuit) return;
  const stop = reduction.reducer === 'any' ? 'the first true element' : 'the first false element';
  const unproven = facts.doubts[0];
  if (unproven) {
    facts.rejections.push({
      kind: 'early-exit',
      message: `\`${reduction.reducer}\` stops at ${stop} and never computes the rest; a pool would compute them too, and the element is not proven free of effects (${unproven.message}, line ${unproven.line})`,
      remedy: 'keep it sequential, or make the element a pure function of the item',
      line,
    });
    return;
  }
  facts.doubts.push({
    message: `that the rewrite pays off: \`${reduction.reducer}\` stops at ${stop}, and when an early item decides, the sequential code computes nothing more while the pool has already started the items after it (the element is pure, so only time is lost; each item is its own task, about 0.1 ms of overhead each)`,
    line,
  });
}
