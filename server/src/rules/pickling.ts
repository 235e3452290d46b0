// Can the values crossing the process boundary be pickled? Proven only for values built from literals,
// ranges and known pure calls, following names to their assignments and parameters to their call sites.
import type { SyntaxNode } from '../parser';
import type { ModuleAnalysis } from '../analysis/loops';
import type { LoopFacts } from '../analysis/model';
import { canPassToWorkers, describeStale, staleInSpawnedWorkers } from '../analysis/globalState';
import { lookupCall } from '../analysis/knowledge';
import { instanceState, moduleClass, receiverOfMethod } from '../analysis/methods';
import { callSitesOf, importedName, localImportOf, parameterNames, scopeOf } from '../analysis/scope';
import { bindingValues } from '../transforms/loopRewrite';
import { ancestor, descendantsNamed, enclosingFunction, isMainGuard, namedChildren, walk } from '../syntax';

type Verdict = 'yes' | 'no' | 'unknown';


const MAX_DEPTH = 5;
/** Methods that return a `str`, `bytes`, a number or a list of them whichever builtin they are called on. */
const STRING_METHODS = new Set(
  'split rsplit splitlines strip lstrip rstrip lower upper title capitalize casefold swapcase encode decode hexdigest digest join replace format copy zfill ljust rjust center removeprefix removesuffix partition rpartition expandtabs translate isoformat'.split(' '),
);
const LITERALS = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none', 'ellipsis']);

function all(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('no')) return 'no';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'yes';
}

/**
 * The `for … in …` clause of a comprehension around `name` that binds it — as the whole target or a name unpacked
 * from it (`for k, v in …`) — or null when the name is not a comprehension variable there.
 */
function comprehensionClause(name: SyntaxNode): SyntaxNode | null {
  for (let p = name.parent; p && p.type !== 'function_definition' && p.type !== 'lambda' && p.type !== 'module'; p = p.parent) {
    if (!['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'].includes(p.type)) continue;
    for (const clause of namedChildren(p).filter((c) => c.type === 'for_in_clause')) {
      const left = clause.childForFieldName('left');
      const right = clause.childForFieldName('right');
      if (!left || !right || isAncestorOfNode(right, name)) continue;
      const unpacked = (t: SyntaxNode): boolean => t.type === 'identifier' || ((t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern') && namedChildren(t).every(unpacked));
      const names = left.type === 'identifier' ? [left] : descendantsNamed(left, 'identifier');
      if (names.some((i) => i.text === name.text)) return unpacked(left) ? clause : null;
    }
  }
  return null;
}

function isAncestorOfNode(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

export class PicklingProver {
  constructor(private readonly analysis: ModuleAnalysis) {}

  /** Does the value of `expr` (evaluated in function `fn`) pickle? */
  value(expr: SyntaxNode, fn: SyntaxNode | null, depth = 0): Verdict {
    if (depth > MAX_DEPTH) return 'unknown';
    if (LITERALS.has(expr.type)) return 'yes';
    switch (expr.type) {
      case 'lambda':
        return 'no';
      case 'list':
      case 'tuple':
      case 'set':
        return all(namedChildren(expr).map((e) => this.value(e, fn, depth + 1)));
      case 'dictionary':
        return all(namedChildren(expr).flatMap((p) => namedChildren(p)).map((e) => this.value(e, fn, depth + 1)));
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return descendantsNamed(expr, 'lambda').length > 0 ? 'unknown' : expr.type === 'generator_expression' ? 'no' : 'yes';
      case 'binary_operator':
      case 'unary_operator':
      case 'comparison_operator':
      case 'boolean_operator':
      case 'parenthesized_expression':
      case 'conditional_expression':
        return all(namedChildren(expr).filter((c) => !['comment'].includes(c.type)).map((e) => (e.type.length <= 2 ? 'yes' : this.value(e, fn, depth + 1))));
      case 'call':
        return this.callResult(expr, fn, depth);
      case 'identifier': {
        // a comprehension's own variable (`[submit(f, offset=x) for x in range(n)]`): a part of an item of its
        // iterable, which pickles when the items do
        const clause = comprehensionClause(expr);
        if (clause) return this.items(clause.childForFieldName('right')!, fn, depth + 1);
        return this.name(expr.text, fn, depth, 'value');
      }
      default:
        return 'unknown';
    }
  }

  /** Do the items produced by iterating `expr` pickle? */
  items(expr: SyntaxNode, fn: SyntaxNode | null, depth = 0): Verdict {
    if (depth > MAX_DEPTH) return 'unknown';
    switch (expr.type) {
      case 'string':
        return 'yes';
      case 'list':
      case 'tuple':
      case 'set':
        return all(namedChildren(expr).map((e) => this.value(e, fn, depth + 1)));
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
        return descendantsNamed(expr, 'lambda').length > 0 ? 'unknown' : 'yes';
      case 'dictionary':
      case 'dictionary_comprehension':
        return this.value(expr, fn, depth + 1);
      case 'parenthesized_expression':
        return expr.namedChildren[0] ? this.items(expr.namedChildren[0], fn, depth + 1) : 'unknown';
      case 'binary_operator': {
        // `[a, b] * 500`, `xs + ys`: the items of the sequences
        const op = expr.childForFieldName('operator')?.text;
        const left = expr.childForFieldName('left');
        const right = expr.childForFieldName('right');
        if (!left || !right) return 'unknown';
        if (op === '+') return all([this.items(left, fn, depth + 1), this.items(right, fn, depth + 1)]);
        if (op === '*') return right.type === 'integer' ? this.items(left, fn, depth + 1) : left.type === 'integer' ? this.items(right, fn, depth + 1) : 'unknown';
        return 'unknown';
      }
      case 'call': {
        const f = expr.childForFieldName('function');
        const args = namedChildren(expr.childForFieldName('arguments')!);
        if (f?.type === 'identifier' && !this.analysis.module.bindings.has(f.text)) {
          if (f.text === 'range') return 'yes';
          if (['enumerate', 'reversed', 'sorted', 'list', 'tuple', 'set', 'frozenset', 'iter'].includes(f.text) && args[0]) return this.items(args[0], fn, depth + 1);
          if (f.text === 'zip') return all(args.map((a) => this.items(a, fn, depth + 1)));
        }
        if (f?.type === 'identifier' && this.analysis.module.bindings.get(f.text) === 'def' && !(fn && (scopeOf(fn).locals.has(f.text) || scopeOf(fn).params.has(f.text)))) {
          return this.returned(this.analysis.module.functions.get(f.text)!, depth, 'items');
        }
        // `os.scandir` yields `os.DirEntry` objects, which refuse to pickle
        if (f && importedName(f.text, this.analysis.module) === 'os.scandir') return 'no';
        // listings: names (`glob.glob`, `os.listdir`), `os.walk`'s tuples of names
        if (f && LISTINGS.has(importedName(f.text, this.analysis.module) ?? '')) return 'yes';
        if (f?.type === 'attribute') {
          const method = f.childForFieldName('attribute')!.text;
          const object = f.childForFieldName('object')!;
          if (['items', 'keys', 'values'].includes(method)) return this.value(object, fn, depth + 1);
          if (['split', 'splitlines', 'encode'].includes(method)) return 'yes';
          // a path's listing (`folder.glob("*.csv")`, `.rglob`, `.iterdir()`): `pathlib` paths, which pickle
          if (['glob', 'rglob', 'iterdir'].includes(method) && !importedName(f.text, this.analysis.module)) return 'yes';
        }
        return 'unknown';
      }
      case 'identifier':
        return this.name(expr.text, fn, depth, 'items');
      default:
        return 'unknown';
    }
  }

  /**
   * Does an instance of the class `name` of this file pickle? By reference to its class (defined at module level,
   * not under the `__main__` guard, so a spawned worker finds it) and by value for its state: every value its
   * methods assign to `self.…` must pickle; `__init__`'s parameters are what its constructor calls here pass.
   */
  instance(name: string, depth: number): Verdict {
    if (depth > MAX_DEPTH) return 'unknown';
    const cls = moduleClass(name, this.analysis.module);
    if (!cls || ancestor(cls, isMainGuard)) return 'unknown';
    const cached = this.instances.get(name);
    if (cached) return cached;
    this.instances.set(name, 'yes'); // a class holding an instance of itself: the other attributes decide
    const state = instanceState(name, this.analysis.module);
    const verdict = state ? all(state.map(({ value, method }) => this.stateValue(value, method, name, depth + 1))) : 'unknown';
    this.instances.set(name, verdict);
    return verdict;
  }

  private readonly instances = new Map<string, Verdict>();

  private stateValue(value: SyntaxNode, method: SyntaxNode, className: string, depth: number): Verdict {
    const params = parameterNames(method);
    if (value.type === 'identifier' && params.includes(value.text) && params[0] !== value.text) {
      if (method.childForFieldName('name')?.text !== '__init__') return 'unknown';
      const position = params.indexOf(value.text) - 1;
      const calls = callSitesOf(this.analysis.module, className);
      if (calls.length === 0) return 'unknown';
      return all(
        calls.map((call) => {
          const args = namedChildren(call.childForFieldName('arguments')!).filter((a) => a.type !== 'comment');
          const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === value.text)?.childForFieldName('value');
          const positional = args.filter((a) => a.type !== 'keyword_argument');
          const arg = keyword ?? (positional.some((a) => a.type.endsWith('splat')) ? null : positional[position]);
          return arg ? this.value(arg, enclosingFunction(call), depth + 1) : 'unknown';
        }),
      );
    }
    return this.value(value, method, depth);
  }

  private callResult(call: SyntaxNode, fn: SyntaxNode | null, depth: number): Verdict {
    const f = call.childForFieldName('function');
    const args = namedChildren(call.childForFieldName('arguments')!).map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value')! : a));
    if (f?.type === 'identifier' && this.analysis.module.bindings.get(f.text) === 'class' && !(fn && (scopeOf(fn).locals.has(f.text) || scopeOf(fn).params.has(f.text)))) {
      return this.instance(f.text, depth + 1);
    }
    if (f?.type === 'identifier' && !this.analysis.module.bindings.has(f.text)) {
      if (['list', 'tuple', 'set', 'sorted', 'frozenset'].includes(f.text)) return args[0] ? this.items(args[0], fn, depth + 1) : 'yes';
      if (f.text === 'dict') return args.length === 0 ? 'yes' : 'unknown';
      if (['int', 'float', 'str', 'bool', 'len', 'abs', 'round', 'sum', 'min', 'max', 'ord', 'chr', 'repr', 'bytes', 'range', 'hex', 'oct', 'bin', 'hash', 'divmod', 'pow', 'isinstance', 'format', 'complex', 'any', 'all', 'ascii'].includes(f.text)) return 'yes';
      if (['open', 'iter', 'map', 'filter', 'zip', 'enumerate'].includes(f.text)) return 'no';
    }
    // a function of this module: its value is what it returns
    if (f?.type === 'identifier' && this.analysis.module.bindings.get(f.text) === 'def' && !(fn && (scopeOf(fn).locals.has(f.text) || scopeOf(fn).params.has(f.text)))) {
      return this.returned(this.analysis.module.functions.get(f.text)!, depth);
    }
    if (f?.type === 'attribute') {
      const method = f.childForFieldName('attribute')!.text;
      if (STRING_METHODS.has(method)) return 'yes';
      const root = f.text.split('.')[0];
      const qualified = this.analysis.module.imports.get(root);
      if (qualified) {
        const k = lookupCall(qualified + f.text.slice(root.length));
        if (k && k.effect === 'pure' && !['io'].includes(k.work)) return all(args.map((a) => this.value(a, fn, depth + 1)));
      }
    }
    return 'unknown';
  }

  /** Do the values a module-level function returns pickle? (A generator's do not: the caller gets a generator.) */
  private returned(def: SyntaxNode, depth: number, want: 'value' | 'items' = 'value'): Verdict {
    const body = def.childForFieldName('body');
    if (!body || depth > MAX_DEPTH) return 'unknown';
    const values: SyntaxNode[] = [];
    let generator = false;
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'yield') generator = true;
      if (n.type === 'return_statement') {
        const value = n.namedChildren.find((c) => c.type !== 'comment');
        if (value) values.push(value);
      }
      return true;
    });
    if (generator || (values.length === 0 && want === 'items')) return 'unknown';
    return all(values.map((v) => (want === 'value' ? this.value(v, def, depth + 1) : this.items(v, def, depth + 1))));
  }

  /** Does the value (or the items) bound to `name` in `fn` pickle? */
  name(name: string, fn: SyntaxNode | null, depth = 0, want: 'value' | 'items' = 'value'): Verdict {
    const module = this.analysis.module;
    if (fn) {
      const scope = scopeOf(fn);
      if (scope.params.has(name)) {
        if (annotatedPicklable(fn, name, want)) return 'yes';
        // `self` in a method of a class of this file: the instance pickles by reference to its class, with its state
        const owner = want === 'value' ? receiverOfMethod(fn, name, module) : null;
        return owner ? this.instance(owner, depth) : this.parameter(fn, name, depth, want);
      }
      if (!scope.locals.has(name)) return this.name(name, enclosingFunction(fn), depth + 1, want);
      const values = bindingValues(name, this.analysis, fn);
      if (!values || values.length === 0) {
        if (isLocalDef(fn, name)) return 'no';
        return this.sources(name, fn, depth, want);
      }
      return all(values.map((v) => (want === 'value' ? this.value(v, fn, depth + 1) : this.items(v, fn, depth + 1))));
    }
    const binding = module.bindings.get(name);
    if (binding === 'def' || binding === 'class') return want === 'value' ? 'yes' : 'unknown';
    if (binding !== 'assign') return 'unknown';
    const values = bindingValues(name, this.analysis, null);
    if (!values || values.length === 0) return 'unknown';
    return all(values.map((v) => (want === 'value' ? this.value(v, null, depth + 1) : this.items(v, null, depth + 1))));
  }

  /**
   * A local bound other than by plain assignments: `for y in range(n)`, `a, b = divmod(n, k)`, `y += 1`. The
   * parts of a value that pickles (an item of a proven iterable, an element of a proven tuple) pickle, and an
   * operator applied to picklable builtins gives one; any other kind of binding leaves it unproven.
   */
  private sources(name: string, fn: SyntaxNode, depth: number, want: 'value' | 'items'): Verdict {
    if (want !== 'value') return 'unknown';
    const verdicts: Verdict[] = [];
    let other = false;
    const binds = (target: SyntaxNode | null) => !!target && (target.text === name || descendantsNamed(target, 'identifier').some((i) => i?.text === name && i.parent?.type !== 'attribute' && i.parent?.type !== 'subscript'));
    const unpacked = (target: SyntaxNode): boolean => target.type === 'identifier' || ((target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') && namedChildren(target).every(unpacked));
    walk(fn.childForFieldName('body') ?? fn, (n) => {
      if (other) return false;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
      if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (!binds(left)) return true;
        if (!right || !unpacked(left!)) other = true;
        else if (n.type === 'for_statement') verdicts.push(this.items(right, fn, depth + 1));
        else verdicts.push(this.value(right, fn, depth + 1));
      } else if (n.type === 'named_expression' || n.type === 'as_pattern' || n.type === 'for_in_clause' || n.type === 'except_clause' || n.type === 'import_statement' || n.type === 'import_from_statement') {
        if (n.text.includes(name) && binds(n.childForFieldName('name') ?? n.childForFieldName('alias') ?? n.childForFieldName('left') ?? n)) other = true;
      }
      return true;
    });
    if (other || verdicts.length === 0) return 'unknown';
    return all(verdicts);
  }

  /** A parameter pickles when every call of its function in this module passes something that pickles. */
  private parameter(fn: SyntaxNode, name: string, depth: number, want: 'value' | 'items'): Verdict {
    const fnName = fn.childForFieldName('name')?.text;
    if (!fnName || fn.parent?.type !== 'module' && fn.parent?.parent?.type !== 'decorated_definition' && fn.parent?.type !== 'block') return 'unknown';
    const position = parameterNames(fn).indexOf(name);
    const verdicts: Verdict[] = [];
    for (const n of callSitesOf(this.analysis.module, fnName)) {
      {
        const args = namedChildren(n.childForFieldName('arguments')!);
        const byKeyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value');
        const positional = args.filter((a) => a.type !== 'keyword_argument');
        const arg = byKeyword ?? (positional.some((a) => a.type.endsWith('splat')) ? null : positional[position]);
        const caller = enclosingFunction(n);
        if (!arg) verdicts.push('unknown');
        else verdicts.push(want === 'value' ? this.value(arg, caller, depth + 1) : this.items(arg, caller, depth + 1));
      }
    }
    if (verdicts.length === 0) return 'unknown';
    return all(verdicts);
  }
}

/** Types whose values always pickle (builtins and standard value types), by the name an annotation spells. */
const PICKLABLE_TYPES = new Set(
  'str int float bool bytes bytearray complex None NoneType Decimal decimal.Decimal Fraction fractions.Fraction Path pathlib.Path PurePath pathlib.PurePath date datetime time timedelta datetime.date datetime.datetime datetime.timedelta'.split(' '),
);
/** Generic containers: a value pickles when its type arguments do; iterating one yields its first type argument. */
const PICKLABLE_CONTAINERS = new Set(
  'list List tuple Tuple set Set frozenset FrozenSet dict Dict Sequence Iterable Collection Mapping MutableMapping MutableSequence Optional Union typing.List typing.Tuple typing.Set typing.Dict typing.Sequence typing.Iterable typing.Optional typing.Union'.split(' '),
);
/** Containers that are iterators or may be lazy: the annotated value itself may not pickle. */
const ITERATED_ONLY = new Set('Sequence Iterable Collection typing.Sequence typing.Iterable'.split(' '));

/**
 * Whether the annotation of parameter `name` of `fn` names a type whose values pickle (`text: str`,
 * `rows: list[tuple[int, str]]`, `x: int | None`); with `want: 'items'`, whether its items do (`names: list[str]`).
 */
function annotatedPicklable(fn: SyntaxNode, name: string, want: 'value' | 'items'): boolean {
  const parameters = fn.childForFieldName('parameters');
  const parameter = parameters ? namedChildren(parameters).find((p) => (p.type === 'typed_parameter' ? namedChildren(p)[0]?.text : p.childForFieldName('name')?.text) === name) : undefined;
  const annotation = parameter?.type === 'typed_parameter' || parameter?.type === 'typed_default_parameter' ? parameter.childForFieldName('type') : null;
  if (!annotation) return false;
  const text = annotation.text.replace(/\s+/g, '').replace(/^["']|["']$/g, '');
  return want === 'value' ? typePickles(text, 0) : itemsPickle(text);
}

/** The top-level comma-separated parts of a type's arguments (`dict[str,list[int]]` → `str`, `list[int]`). */
function splitTypeArguments(inner: string): string[] {
  const parts: string[] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '[') level++;
    else if (c === ']') level--;
    else if (c === ',' && level === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.filter((p) => p.length > 0);
}

function typePickles(text: string, depth: number): boolean {
  if (depth > 6) return false;
  const union = splitTopLevel(text, '|');
  if (union.length > 1) return union.every((t) => typePickles(t, depth + 1));
  if (PICKLABLE_TYPES.has(text) || text === '...') return true;
  const m = /^([\w.]+)\[(.*)\]$/.exec(text);
  if (!m || !PICKLABLE_CONTAINERS.has(m[1]) || ITERATED_ONLY.has(m[1])) return false;
  return splitTypeArguments(m[2]).every((t) => typePickles(t, depth + 1));
}

function itemsPickle(text: string): boolean {
  if (text === 'str' || text === 'bytes' || text === 'bytearray' || text === 'range') return true;
  const m = /^([\w.]+)\[(.*)\]$/.exec(text);
  if (!m || !PICKLABLE_CONTAINERS.has(m[1]) || /^(typing\.)?(Optional|Union)$/.test(m[1])) return false;
  const args = splitTypeArguments(m[2]);
  // a tuple's items are all its arguments; other containers yield their first (a mapping its keys)
  const yielded = /^(typing\.)?[Tt]uple$/.test(m[1]) ? args : args.slice(0, 1);
  return yielded.length > 0 && yielded.every((t) => typePickles(t, 1));
}

/** A type split at a separator outside brackets (`int|list[str|None]` at `|` → `int`, `list[str|None]`). */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') level++;
    else if (text[i] === ']') level--;
    else if (text[i] === separator && level === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function isLocalDef(fn: SyntaxNode, name: string): boolean {
  let found = false;
  walk(fn.childForFieldName('body') ?? fn, (n) => {
    if ((n.type === 'function_definition' || n.type === 'class_definition') && n.childForFieldName('name')?.text === name) found = true;
    return !found;
  });
  return found;
}

/** Functions listing a folder's names (strings, or `os.walk`'s tuples of them): items that pickle. */
const LISTINGS = new Set(['glob.glob', 'glob.iglob', 'os.listdir', 'os.walk']);

export interface PicklingReport {
  /** Definitely cannot be pickled: no process-pool fix. */
  blockers: string[];
  /** Not proven: the fix is unsafe. */
  doubts: string[];
}

/** Checks the items of the iterable and every free variable shipped to a worker process. */
export function checkPickling(loop: LoopFacts, analysis: ModuleAnalysis): PicklingReport {
  const prover = new PicklingProver(analysis);
  const report: PicklingReport = { blockers: [], doubts: [] };
  const fn = loop.function;
  const iterables = loop.kind === 'map-call' ? (loop.mapIterables ?? []) : loop.iterable ? [loop.iterable] : [];
  for (const it of iterables) {
    const v = prover.items(it, fn);
    if (v === 'no') report.blockers.push(`the items of \`${it.text}\` cannot be pickled`);
    else if (v === 'unknown') report.doubts.push(`cannot prove that the items of \`${short(it.text)}\` can be pickled (they are sent to worker processes)`);
  }
  // functions pickle by reference: a spawned worker must find them by importing the module
  const guardedDefs = new Set<string>();
  const unimportable = new Map<string, string>();
  const workerNodes = [...loop.workerStatements, ...loop.parentStatements.map((p) => p.value), ...(loop.element ? [loop.element] : []), ...(loop.elementKey ? [loop.elementKey] : []), ...(loop.mapCallable ? [loop.mapCallable] : [])];
  for (const n of workerNodes) {
    walk(n, (m) => {
      if (m.type === 'identifier' && analysis.module.bindings.get(m.text) === 'def') {
        const def = analysis.module.functions.get(m.text)!;
        if (ancestor(def, isMainGuard)) guardedDefs.add(m.text);
      }
      if (m.type === 'identifier' && analysis.module.bindings.get(m.text) === 'import' && analysis.module.workspace) {
        // a function of another workspace module travels by reference too: its module must give it by its name
        const symbol = analysis.module.workspace.resolve(analysis.module.imports.get(m.text)!);
        if (symbol?.kind === 'function' && !symbol.summary.importable) unimportable.set(m.text, symbol.where);
      }
      return true;
    });
  }
  if (loop.kind === 'map-call' && loop.mapCallable) {
    // the mapped function itself travels by reference: it must be a module-level name
    const c = loop.mapCallable;
    const root = c.type === 'attribute' ? c.text.split('.')[0] : c.text;
    const local = fn && (scopeOf(fn).locals.has(root) || scopeOf(fn).params.has(root));
    const binding = analysis.module.bindings.get(root);
    if (local || !(c.type === 'identifier' || c.type === 'attribute') || !(binding === 'def' || binding === 'import')) {
      report.blockers.push(`\`${c.text.split('\n')[0]}\` is not a module-level function, so it cannot be pickled to the workers`);
    }
  }
  for (const [name, where] of unimportable) report.doubts.push(`\`${name}\` (defined in \`${where}\`) is decorated, or defined under \`if __name__ == "__main__":\`: cannot prove that a worker process finds it by importing its module`);
  for (const name of guardedDefs) report.blockers.push(`\`${name}\` is defined under \`if __name__ == "__main__":\`, so a spawned worker importing the module cannot find it; move it to module level`);
  for (const name of loop.freeVariables) {
    // imported by the function itself: the worker imports it again (poolSetup.workerFreeValues)
    if (localImportOf(name, fn)) continue;
    const v = prover.name(name, fn);
    if (v === 'no') report.blockers.push(`\`${name}\` is a lambda, a local function or a generator: it cannot be pickled`);
    else if (v === 'unknown') report.doubts.push(`cannot prove that \`${name}\` can be pickled (it is sent to every worker)`);
  }
  return report;
}

function short(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

/**
 * Module-level globals the workers read (through the functions they call) that the running program changed: the
 * process-pool fixes hand the parent's values to each worker when it starts (a spawned worker imports the module
 * afresh), so those values must pickle; a global the loop's code cannot name (a local shadows it) stays stale.
 */
export function checkRestoredGlobals(loop: LoopFacts, analysis: ModuleAnalysis): PicklingReport {
  const report: PicklingReport = { blockers: [], doubts: [] };
  const prover = new PicklingProver(analysis);
  for (const stale of staleInSpawnedWorkers(loop, analysis.module, analysis.summaries)) {
    if (!canPassToWorkers(stale, loop)) {
      report.doubts.push(describeStale(stale));
      continue;
    }
    const verdicts = [prover.name(stale.name, null), ...stale.change.values.map((v) => (v.value ? prover.value(v.value, v.scope) : 'unknown'))];
    const sent = `the fix sends the parent's \`${stale.name}\` to each worker (\`${stale.reader}()\` reads it, and it ${stale.change.how} at line ${stale.change.line})`;
    if (verdicts.includes('no')) report.blockers.push(`${sent}, but it cannot be pickled`);
    else if (verdicts.includes('unknown')) report.doubts.push(`${sent}: cannot prove that it can be pickled`);
  }
  return report;
}
